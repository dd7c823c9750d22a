import Storage
#if canImport(Glibc)
import Glibc
#endif

/// What a statement gave: a table, notes that did not stop it, and what each step did.
public struct QueryResult: Sendable {
    public var table: Table
    public var notes: [Diagnostic]
    /// The steps that ran, in order, the scan first (what `.explain` shows).
    public var steps: [StepStatistics]
    /// What each row of the table is, when `total` added rows (nil: every row is data): the
    /// renderers set total rows apart.
    public var rowRoles: [RowRole]? = nil
}

/// Runs statements of the query language against a catalog. Usable without the shell:
/// `Engine(catalog).run("projects count by stage")`.
///
/// A statement is parsed, its clauses bound (names and types resolved, each clause against the
/// columns the one before it gives), planned into physical steps (`Planner`), and run
/// (`Executor`). Binding runs ahead of execution, so a mistake anywhere is reported before
/// anything runs — except after `across`, whose columns are the values it finds: the clauses
/// after it are bound when it has run.
public final class Engine: @unchecked Sendable {
    /// The names of the language's functions (for the shell's completion).
    public static let functionNames = Function.allCases.map(\.rawValue)

    public let catalog: Catalog
    /// The test switch: every special path off (hash grouping, heap top-N, comparison sort, hash
    /// joins), so that tests can hold the general paths to the same answers.
    public let generalPaths: Bool

    public init(_ catalog: Catalog, generalPaths: Bool = Engine.generalPathsFromEnvironment) {
        self.catalog = catalog
        self.generalPaths = generalPaths
    }

    /// `PROJQ_GENERAL_PATHS=1` in the environment forces the general paths (for tests of the
    /// binary).
    public static var generalPathsFromEnvironment: Bool {
        guard let v = getenv("PROJQ_GENERAL_PATHS") else { return false }
        return String(cString: v) == "1"
    }

    public enum Failure: Error, Sendable {
        case diagnostic(Diagnostic)
        case cancelled
        /// A block of the snapshot did not match its checksum when the query first read it.
        case corrupt(CorruptData)
    }

    /// Parses, binds, plans and runs one statement.
    public func run(_ statement: String, parameters: [String: String] = [:], cancel: CancellationFlag = .none) -> Result<QueryResult, Failure> {
        do throws(Diagnostic) {
            let query = try Parser.parse(statement, parameters: parameters)
            var run = QueryRun(catalog: catalog, source: statement, general: generalPaths, cancel: cancel)
            switch try run.run(query) {
            case .success(let relation):
                return .success(QueryResult(table: relation.table(), notes: run.binder.notes, steps: run.statistics,
                                            rowRoles: relation.selection.map { relation.roles(of: $0) } ?? relation.roles))
            case .failure(.cancelled):
                return .failure(.cancelled)
            case .failure(.diagnostic(let d)):
                return .failure(.diagnostic(d))
            case .failure(.corrupt(let data)):
                return .failure(.corrupt(data))
            }
        } catch {
            return .failure(.diagnostic(error))
        }
    }

    /// Runs a statement and describes how: one row per step — the operator, the clause, the path
    /// chosen and why, rows in and out, milliseconds.
    public func explain(_ statement: String, parameters: [String: String] = [:], cancel: CancellationFlag = .none) -> Result<QueryResult, Failure> {
        run(statement, parameters: parameters, cancel: cancel).map { result in
            var r = result
            r.table = Engine.explanation(result.steps)
            r.rowRoles = nil
            return r
        }
    }

    static func explanation(_ steps: [StepStatistics]) -> Table {
        var step = GrowableBuffer<Int64>(), rowsIn = GrowableBuffer<Int64>(), rowsOut = GrowableBuffer<Int64>()
        var ms = GrowableBuffer<Double>()
        var texts = (0..<4).map { _ in StringHeapBuilder() }
        for (i, s) in steps.enumerated() {
            step.append(Int64(i + 1))
            for (k, t) in [s.name, s.clause, s.path, s.why].enumerated() { texts[k].append(t) }
            rowsIn.append(Int64(s.rowsIn))
            rowsOut.append(Int64(s.rowsOut))
            ms.append((Double(s.nanoseconds) / 1000).rounded() / 1000)
        }
        let n = steps.count
        func valid() -> Bitmap { .allValid(count: n) }
        let names = ["operator", "clause", "path", "why"]
        var columns = [Column(name: "step", type: .int, validity: valid(), data: .int64(step.finish()))]
        for k in 0..<4 { columns.append(Column(name: names[k], type: .text, validity: valid(), data: .strings(texts[k].finish()))) }
        columns.append(Column(name: "rows_in", type: .int, validity: valid(), data: .int64(rowsIn.finish())))
        columns.append(Column(name: "rows_out", type: .int, validity: valid(), data: .int64(rowsOut.finish())))
        columns.append(Column(name: "ms", type: .float, validity: valid(), data: .float64(ms.finish())))
        return Table(name: "explain", columns: columns, rowCount: n)
    }
}

/// One statement's run: bind a stretch of clauses, plan it, run it, and go on after `across`.
struct QueryRun {
    var binder: ClauseBinder
    let planner: Planner
    var executor: Executor
    var statistics: [StepStatistics] { executor.statistics }

    init(catalog: Catalog, source: String, general: Bool, cancel: CancellationFlag) {
        binder = ClauseBinder(catalog: catalog, source: source)
        planner = Planner(general: general, source: source)
        executor = Executor(cancel: cancel, general: general)
    }

    mutating func run(_ query: Query) throws(Diagnostic) -> Result<Relation, ExecutionFailure> {
        let table = try binder.table(query.table, query.tableRange)
        var relation = Relation(table: table)
        var schema = table.columns.map(ColumnInfo.init)
        executor.note(StepStatistics(name: "scan", clause: table.name, path: "\(table.columns.count) columns in memory",
                                     why: "the table the statement names", rowsIn: table.rowCount, rowsOut: table.rowCount, nanoseconds: 0))
        var i = 0
        let clauses = query.clauses
        while i < clauses.count {
            var items: [Planner.Item] = []
            var input = schema
            while i < clauses.count {
                let bound = try binder.bind(clauses[i], input: input)
                items.append(Planner.Item(bound: bound, clause: clauses[i], input: input))
                i += 1
                guard let output = bound.output(input) else { break }
                input = output
            }
            do throws(ExecutionFailure) {
                relation = try executor.run(planner.plan(items), relation)
            } catch {
                return .failure(error)
            }
            schema = relation.columns.map(ColumnInfo.init)
        }
        // The result's rows are read to be shown: checked like any step's.
        do throws(Stopped) {
            try verify(relation, columns: relation.columns.indices)
        } catch {
            if case .corrupt(let data) = error { return .failure(.corrupt(data)) }
            return .failure(.cancelled)
        }
        return .success(relation)
    }
}
