import Storage
import TextSupport

/// What a statement gave: a table, and notes that did not stop it.
public struct QueryResult: Sendable {
    public var table: Table
    public var notes: [Diagnostic]
}

/// Runs statements of the query language against a catalog. Usable without the shell:
/// `Engine(catalog).run("projects count by stage")`.
public final class Engine: @unchecked Sendable {
    public let catalog: Catalog

    public init(_ catalog: Catalog) {
        self.catalog = catalog
    }

    public enum Failure: Error, Sendable {
        case diagnostic(Diagnostic)
        case cancelled
    }

    /// Parses, analyses and runs one statement.
    public func run(_ statement: String, parameters: [String: String] = [:], cancel: CancellationFlag = .none) -> Result<QueryResult, Failure> {
        do {
            let query = try Parser.parse(statement, parameters: parameters)
            var runner = Runner(catalog: catalog, source: statement, cancel: cancel)
            return try runner.run(query)
        } catch let d as Diagnostic {
            return .failure(.diagnostic(d))
        } catch {
            return .failure(.cancelled)
        }
    }
}

/// Plans and runs a query's clauses in order: each clause is bound against the table the
/// clause before it produced (its columns, types and dictionaries), then executed.
struct Runner {
    let catalog: Catalog
    let source: String
    let cancel: CancellationFlag
    var notes: [Diagnostic] = []

    init(catalog: Catalog, source: String, cancel: CancellationFlag) {
        self.catalog = catalog
        self.source = source
        self.cancel = cancel
    }

    func text(_ r: SourceRange) -> String {
        let bytes = Array(source.utf8)
        let raw = String(decoding: bytes[r.start..<min(r.end, bytes.count)], as: UTF8.self)
        return raw.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    func table(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Table {
        if let t = catalog.table(named: name) { return t }
        let names = catalog.tables.map(\.name)
        var n: [String] = []
        if let c = closestName(to: name, among: names) { n.append("did you mean '\(c)'?") }
        n.append(names.isEmpty ? "no tables are loaded; .open a dataset" : "tables: \(names.joined(separator: ", "))")
        throw Diagnostic("unknown table '\(name)'", at: range, notes: n)
    }

    mutating func run(_ query: Query) throws -> Result<QueryResult, Engine.Failure> {
        var relation = Relation(table: try table(query.table, query.tableRange))
        var i = 0
        while i < query.clauses.count {
            // A `where` just before a `top` or an aggregation runs inside it (the top-N scan
            // skips zones; dense grouping narrows each batch), instead of writing a selection.
            var prefilter: Bound? = nil
            if case .filter(let e) = query.clauses[i].kind, relation.selection == nil, i + 1 < query.clauses.count,
               Runner.takesPrefilter(query.clauses[i + 1].kind) {
                var b = binder(relation)
                prefilter = try b.predicate(e)
                notes += b.notes
                i += 1
            }
            relation = try apply(query.clauses[i], to: relation, prefilter: prefilter)
            i += 1
        }
        return .success(QueryResult(table: relation.table(), notes: notes))
    }

    mutating func binder(_ r: Relation) -> Binder { Binder(columns: r.columns, source: source) }

    static func takesPrefilter(_ kind: ClauseKind) -> Bool {
        switch kind {
        case .top: true
        case .aggregate(let aggregates, let keys, nil): !aggregates.isEmpty || !keys.isEmpty
        default: false
        }
    }

    /// Runs one clause. `prefilter` is a bound `where` fused into a `top` or an aggregation.
    mutating func apply(_ clause: Clause, to input: Relation, prefilter: Bound? = nil) throws -> Relation {
        if let prefilter, !Runner.takesPrefilter(clause.kind) {
            return try apply(clause, to: runFilter(input, prefilter, cancel))
        }
        switch clause.kind {
        case .filter(let e):
            var b = binder(input)
            let p = try b.predicate(e)
            notes += b.notes
            return try runFilter(input, p, cancel)
        case .limit(let n):
            return runLimit(input, n)
        case .sort(let keys):
            var b = binder(input)
            var bound: [(Bound, Bool)] = []
            for k in keys { bound.append((try b.bind(k.expr), k.descending ?? false)) }
            return try runSort(input, bound, limit: nil, cancel)
        case .top(let n, let key):
            var b = binder(input)
            let k = try b.bind(key.expr)
            if case .column(let c, _) = k, TopN.applies(input.columns[c]) {
                return try TopN(column: input.columns[c], n: n, descending: key.descending ?? true)
                    .run(input, filter: prefilter.map { FilterKernel.compile($0, input.columns) }, cancel)
            }
            let filtered = try prefilter.map { (p) throws(Cancelled) in try runFilter(input, p, cancel) } ?? input
            return try runSort(filtered, [(k, key.descending ?? true)], limit: n, cancel)
        case .select(let items):
            return try select(items, input)
        case .aggregate(let aggregates, let keys, let across):
            return try aggregate(aggregates, keys, across, input, clause.range, prefilter: prefilter)
        case .join(let name, let range, let condition):
            return try join(name, range, condition, input)
        }
    }

    /// The name a column gets: its `as` name, else the column's own name, else the source text.
    func outputName(_ e: Expr, _ alias: String?, _ columns: [Column]) -> String {
        if let alias { return alias }
        if case .name(let n) = e.kind, let c = Binder(columns: columns, source: source).columnIndex(n) { return columns[c].name }
        return text(e.range)
    }

    func checkUnique(_ names: [(String, SourceRange)]) throws(Diagnostic) {
        var seen: [String: Int] = [:]
        for (i, (n, range)) in names.enumerated() {
            if seen[n.lowercased()] != nil {
                throw Diagnostic("two columns would be called '\(n)'", at: range, notes: ["name one with as: … as another_name"])
            }
            seen[n.lowercased()] = i
        }
    }

    mutating func select(_ items: [NamedExpr], _ input: Relation) throws -> Relation {
        var b = binder(input)
        var bound: [(Bound, String)] = []
        for item in items { bound.append((try b.bind(item.expr), outputName(item.expr, item.alias, input.columns))) }
        notes += b.notes
        try checkUnique(zip(bound, items).map { ($0.0.1, $0.1.expr.range) })
        let m = input.materialized()
        let evaluator = Evaluator(columns: m.columns)
        var columns: [Column] = []
        for (bnd, name) in bound {
            if case .column(let c, _) = bnd {
                columns.append(m.columns[c].renamed(name))
                continue
            }
            var builder = VectorColumnBuilder(name: name, type: bnd.type.isTextual ? .text : bnd.type)
            try forEachBatch(m, cancel) { rows, _ in builder.append(evaluator.evaluate(bnd, rows)) }
            columns.append(builder.finish())
        }
        return Relation(name: input.name, columns: columns, rowCount: m.rowCount)
    }

    mutating func aggregate(_ aggregates: [Aggregate], _ keys: [NamedExpr], _ across: (String, SourceRange)?,
                            _ input: Relation, _ range: SourceRange, prefilter: Bound? = nil) throws -> Relation {
        var b = binder(input)
        var boundKeys: [BoundKey] = []
        for k in keys { boundKeys.append(BoundKey(bound: try b.bind(k.expr), name: outputName(k.expr, k.alias, input.columns))) }
        var boundAggregates: [BoundAggregate] = []
        for a in aggregates { boundAggregates.append(try bindAggregate(a, &b, input)) }
        notes += b.notes
        var names = zip(boundKeys, keys).map { ($0.0.name, $0.1.expr.range) }
        names += zip(boundAggregates, aggregates).map { ($0.0.name, $0.1.range) }
        var acrossKey: BoundKey? = nil
        if let (name, nameRange) = across {
            guard let c = b.columnIndex(name) else { throw b.unknownColumn(name, nameRange) }
            acrossKey = BoundKey(bound: .column(c, b.type(of: c)), name: input.columns[c].name)
            if aggregates.isEmpty { throw Diagnostic("across needs an aggregate to fill its cells, like: count by unit across stage", at: nameRange) }
        } else {
            try checkUnique(names)
        }
        if acrossKey == nil, let dense = DenseAggregation(keys: boundKeys, aggregates: boundAggregates, columns: input.columns) {
            return try dense.run(input, keyNames: boundKeys.map(\.name),
                                 prefilter: prefilter.map { FilterKernel.compile($0, input.columns) }, cancel)
        }
        // The hashed path takes the rows the filter keeps.
        let input = try prefilter.map { (p) throws(Cancelled) in try runFilter(input, p, cancel) } ?? input
        let allKeys = boundKeys + (acrossKey.map { [$0] } ?? [])
        let (map, accumulators, order) = try runAggregation(input, keys: allKeys, aggregates: boundAggregates, cancel)

        // Key columns, then aggregate columns, one row per group in key order.
        func keyBuilder(_ k: BoundKey) -> ValueColumnBuilder {
            if case .column(let c, let t) = k.bound { return ValueColumnBuilder(name: k.name, type: t, dictionary: input.columns[c].dictionary) }
            return ValueColumnBuilder(name: k.name, type: k.bound.type == .null ? .text : k.bound.type)
        }
        guard let acrossKey else {
            var builders = boundKeys.map(keyBuilder)
            var aggBuilders = boundAggregates.map { ValueColumnBuilder(name: $0.name, type: $0.type) }
            for g in order {
                for k in builders.indices { builders[k].append(map.keyValues[g][k]) }
                for a in aggBuilders.indices { aggBuilders[a].append(accumulators[a].result(g)) }
            }
            let columns = builders.map { $0.finish() } + aggBuilders.map { $0.finish() }
            return Relation(name: input.name, columns: columns, rowCount: order.count)
        }

        // across: the last key's values become columns.
        let k = boundKeys.count
        var rowIndex: [[Value]: Int] = [:]
        var rowKeys: [[Value]] = []
        var acrossValues: [Value] = []
        var seenAcross = Set<Value>()
        for g in order {
            let key = Array(map.keyValues[g][0..<k])
            if rowIndex[key] == nil { rowIndex[key] = rowKeys.count; rowKeys.append(key) }
            let v = map.keyValues[g][k]
            if !seenAcross.contains(v) { seenAcross.insert(v); acrossValues.append(v) }
        }
        // `order` sorts by the row keys first; the across values need their own order.
        let acrossRanks: [Value: Int32] = {
            var r: [Value: Int32] = [:]
            for g in 0..<map.count { r[map.keyValues[g][k]] = map.keyCodes[g][k] }
            return r
        }()
        let sortCol = SortColumn(values: acrossValues,
                                 ranks: acrossKey.bound.type == .category(ordered: true) ? acrossValues.map { acrossRanks[$0] ?? -1 } : nil,
                                 descending: false)
        acrossValues = stableOrder(acrossValues.count, [sortCol]).map { acrossValues[$0] }
        var cells = [[Value]](repeating: [Value](repeating: .null, count: acrossValues.count * boundAggregates.count), count: rowKeys.count)
        let position = Dictionary(uniqueKeysWithValues: acrossValues.enumerated().map { ($1, $0) })
        for g in 0..<map.count {
            let row = rowIndex[Array(map.keyValues[g][0..<k])]!
            let col = position[map.keyValues[g][k]]!
            for a in boundAggregates.indices { cells[row][col * boundAggregates.count + a] = accumulators[a].result(g) }
        }
        var builders = boundKeys.map(keyBuilder)
        var cellBuilders: [ValueColumnBuilder] = []
        var cellNames: [(String, SourceRange)] = []
        for v in acrossValues {
            let label = v == .null ? "null" : v.description
            for a in boundAggregates {
                let name = boundAggregates.count == 1 ? label : "\(label)_\(a.name)"
                cellBuilders.append(ValueColumnBuilder(name: name, type: a.type))
                cellNames.append((name, range))
            }
        }
        try checkUnique(zip(boundKeys, keys).map { ($0.0.name, $0.1.expr.range) } + cellNames)
        for (r, key) in rowKeys.enumerated() {
            for i in builders.indices { builders[i].append(key[i]) }
            for c in cellBuilders.indices {
                var v = cells[r][c]
                if v == .null, boundAggregates[c % boundAggregates.count].function == .count || boundAggregates[c % boundAggregates.count].function == .countDistinct { v = .int(0) }
                cellBuilders[c].append(v)
            }
        }
        return Relation(name: input.name, columns: builders.map { $0.finish() } + cellBuilders.map { $0.finish() }, rowCount: rowKeys.count)
    }

    func bindAggregate(_ a: Aggregate, _ b: inout Binder, _ input: Relation) throws(Diagnostic) -> BoundAggregate {
        let argument = try a.argument.map { (e) throws(Diagnostic) in try b.bind(e) }
        let condition = try a.condition.map { (e) throws(Diagnostic) in try b.predicate(e) }
        let argName = a.argument.map { outputName($0, nil, input.columns) }
        let name = a.alias ?? (argName.map { "\(a.function.rawValue)_\($0)" } ?? "count")
        var type: ValueType = .int
        if let argument, let e = a.argument {
            let t = argument.type
            switch a.function {
            case .count, .countDistinct: type = .int
            case .sum:
                guard t.isNumeric || t == .null else { throw Diagnostic("sum needs numbers; \(text(e.range)) is \(t)", at: e.range) }
                type = t == .null ? .decimal : t
            case .avg, .median:
                guard t.isNumeric || t == .null else { throw Diagnostic("\(a.function.rawValue) needs numbers; \(text(e.range)) is \(t)", at: e.range) }
                type = t.moneyUnit.map { .money($0) } ?? .decimal
            case .min, .max:
                if case .category = t { type = .text } else { type = t == .null ? .decimal : t }
            }
        }
        return BoundAggregate(function: a.function, argument: argument, condition: condition, name: name, type: type)
    }

    mutating func join(_ name: String, _ range: SourceRange, _ condition: JoinCondition, _ input: Relation) throws -> Relation {
        let right = try table(name, range)
        let left = input.materialized()
        let lb = Binder(columns: left.columns, source: source)
        let rb = Binder(columns: right.columns, source: source)
        var pairs: [(Int, Int)] = []
        func find(_ binder: Binder, _ n: String, _ r: SourceRange, side: String) throws(Diagnostic) -> Int {
            if let c = binder.columnIndex(n) { return c }
            var d = binder.unknownColumn(n, r)
            d.message += " in \(side)"
            throw d
        }
        switch condition {
        case .columns(let names):
            for (n, r) in names { pairs.append((try find(lb, n, r, side: "the left side"), try find(rb, n, r, side: "table '\(right.name)'"))) }
        case .equal(let a, let ar, let bName, let br):
            pairs.append((try find(lb, a, ar, side: "the left side"), try find(rb, bName, br, side: "table '\(right.name)'")))
        }
        for (l, r) in pairs {
            let lt = lb.type(of: l), rt = rb.type(of: r)
            if !(lt.isTextual && rt.isTextual) && !(lt.isNumeric && rt.isNumeric) && lt != rt {
                throw Diagnostic("cannot join \(left.columns[l].name) (\(lt)) with \(right.name).\(right.columns[r].name) (\(rt))", at: range)
            }
        }
        // Hash the right side's keys; null keys never match.
        let rightRel = Relation(table: right)
        let re = Evaluator(columns: right.columns)
        let rightRows = rightRel.rows(batch: 0, count: right.rowCount)
        let rightKeys = pairs.map { re.evaluate(.column($0.1, rb.type(of: $0.1)), rightRows) }
        var index: [[Value]: [Int32]] = [:]
        for i in 0..<right.rowCount {
            let key = rightKeys.map { normalize($0.value(i)) }
            if key.contains(.null) { continue }
            index[key, default: []].append(Int32(i))
        }
        var leftOut: [Int32] = []
        var rightOut: [Int32] = []
        let le = Evaluator(columns: left.columns)
        try forEachBatch(left, cancel) { rows, _ in
            let keys = pairs.map { le.evaluate(.column($0.0, lb.type(of: $0.0)), rows) }
            for i in 0..<rows.count {
                let key = keys.map { normalize($0.value(i)) }
                if !key.contains(.null), let matches = index[key] {
                    for m in matches { leftOut.append(rows[i]); rightOut.append(m) }
                } else {
                    leftOut.append(rows[i])
                    rightOut.append(-1)
                }
            }
        }
        var columns = left.columns.map { gather($0, leftOut) }
        let leftNames = Set(left.columns.map { $0.name.lowercased() })
        let rightKeyColumns = Set(pairs.map(\.1))
        for (c, column) in right.columns.enumerated() where !rightKeyColumns.contains(c) {
            let g = gather(column, rightOut)
            columns.append(leftNames.contains(column.name.lowercased()) ? g.renamed("\(right.name)_\(column.name)") : g)
        }
        return Relation(name: input.name, columns: columns, rowCount: leftOut.count)
    }

    /// Join keys compare by value: an integer equals the same decimal.
    func normalize(_ v: Value) -> Value {
        if case .int(let x) = v { return .decimal(Double(x)) }
        return v
    }
}
