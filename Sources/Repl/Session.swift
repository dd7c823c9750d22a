import Storage
import Query

/// The state of one projq run — the open catalog — and the dot-commands that act on it.
/// Output is returned, not printed, so that the shell, batch mode and tests share one path.
public final class Session {
    public private(set) var catalog: Catalog {
        didSet { engine = Engine(catalog) }
    }
    private var engine: Engine
    /// How results are written: csv or tsv (the shell issue adds the rest).
    public var format: OutputFormat = .csv
    /// Where the statement came from, for error locations (`meeting.pq`).
    public var origin: String? = nil
    /// `.timer on`: each query's run time goes to standard error as `time: 12.345 ms`.
    public var timer = false

    public init(catalog: Catalog = Catalog()) {
        self.catalog = catalog
        engine = Engine(catalog)
    }

    public enum OutputFormat: String, CaseIterable, Sendable {
        case csv, tsv
    }

    /// What a statement produced: text for standard output, or an error and its kind.
    public enum Outcome: Equatable {
        /// Text for standard output, and notes for standard error.
        case output(String, notes: String = "")
        case quit
        /// A statement the user got wrong (exit status 1 in batch mode).
        case statementError(String)
        /// Data that would not load or save (exit status 2 in batch mode).
        case dataError(String)
    }

    public static let commands: [(name: String, usage: String, help: String)] = [
        ("help", ".help", "list the dot-commands"),
        ("tables", ".tables", "list the tables with their row counts"),
        ("schema", ".schema [TABLE]", "columns, types, units, null counts and category values"),
        ("open", ".open PATH", "open a dataset folder, a CSV file or a snapshot, replacing the catalog"),
        ("load", ".load FILE.csv [as NAME]", "add one CSV file as a table"),
        ("save", ".save FILE", "save the catalog as a snapshot (atomic: the old file survives a failure)"),
        ("timer", ".timer on|off", "show each query's run time (on standard error)"),
        ("quit", ".quit", "leave projq"),
    ]

    /// Runs one statement of the query language and renders its result.
    public func query(_ statement: String, cancel: CancellationFlag = .none) -> Outcome {
        let started = Clock.now()
        let outcome = engine.run(statement, cancel: cancel)
        let elapsed = Clock.now() - started
        switch outcome {
        case .success(let result):
            var notes = result.notes.map { DiagnosticRenderer.render($0, source: statement, origin: origin) }.joined()
            if timer { notes += "time: \(formatMilliseconds(elapsed)) ms\n" }
            return .output(render(result.table), notes: notes)
        case .failure(.diagnostic(let d)):
            return .statementError(DiagnosticRenderer.render(d, source: statement, origin: origin))
        case .failure(.cancelled):
            return .statementError("cancelled")
        }
    }

    public func render(_ table: Table) -> String {
        switch format {
        case .csv: CSVRenderer().render(table)
        case .tsv: CSVRenderer(separator: "\t").render(table)
        }
    }

    public func execute(_ statement: String) -> Outcome {
        let trimmed = statement.trimmingWhitespace
        guard trimmed.hasPrefix(".") else { return query(statement) }
        let words = trimmed.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard let command = words.first?.lowercased() else { return .statementError("error: a dot-command needs a name (.help lists them)") }
        let args = Array(words.dropFirst())
        switch command {
        case "help":
            let width = Session.commands.map { $0.usage.count }.max() ?? 0
            return .output(Session.commands.map { $0.usage.padding(width) + "  " + $0.help }.joined(separator: "\n") + "\n")
        case "tables":
            if catalog.tables.isEmpty { return .output("no tables; .open a dataset folder, CSV file or snapshot\n") }
            let width = catalog.tables.map { DisplayWidth.of($0.name) }.max() ?? 0
            return .output(catalog.tables.map { CatalogListing.padded($0.name, width) + "  \($0.rowCount) rows" }.joined(separator: "\n") + "\n")
        case "schema":
            if let name = args.first {
                guard let table = catalog.table(named: name) else {
                    let hint = closestName(to: name, among: catalog.tables.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""
                    return .statementError("error: no table '\(name)'\(hint)")
                }
                return .output(CatalogListing.describe(table))
            }
            return .output(CatalogListing.render(catalog))
        case "open":
            guard args.count == 1 else { return .statementError("error: usage: .open PATH") }
            do {
                catalog = try Dataset.open(path: args[0])
                return .output(CatalogListing.render(catalog))
            } catch {
                return .dataError("error: \(error)")
            }
        case "load":
            guard args.count == 1 || (args.count == 3 && args[1].lowercased() == "as") else {
                return .statementError("error: usage: .load FILE.csv [as NAME]")
            }
            do {
                let table = try Dataset.loadCSV(args[0], as: args.count == 3 ? args[2] : nil)
                catalog.add(table)
                return .output(CatalogListing.describe(table))
            } catch {
                return .dataError("error: \(error)")
            }
        case "save":
            guard args.count == 1 else { return .statementError("error: usage: .save FILE") }
            do {
                try SnapshotWriter.save(catalog, to: args[0])
                return .output("")
            } catch {
                return .dataError("error: \(error)")
            }
        case "timer":
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return .statementError("error: usage: .timer on|off") }
            timer = args[0].lowercased() == "on"
            return .output("")
        case "quit", "exit":
            return .quit
        default:
            let hint = closestName(to: command, among: Session.commands.map(\.name)).map { "; did you mean .\($0)?" } ?? ""
            return .statementError("error: unknown command .\(command)\(hint)")
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }

    func padding(_ width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}

/// Monotonic time in nanoseconds.
enum Clock {
    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}

/// Nanoseconds as milliseconds with three decimals.
func formatMilliseconds(_ ns: UInt64) -> String {
    let micro = (ns + 500) / 1000
    let frac = String(micro % 1000)
    return "\(micro / 1000).\(String(repeating: "0", count: 3 - frac.count))\(frac)"
}

#if canImport(Glibc)
import Glibc
#endif
