import ArgumentParser
import Repl
import Storage
import Query

#if canImport(Glibc)
import Glibc
#endif

@main
struct ProjqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projq",
        abstract: "A query shell for investment-attraction project ledgers.",
        discussion: "DATA is a dataset folder (CSV files and an optional schema.toml), one CSV file, or a snapshot."
    )

    @Argument(help: "A dataset folder, a .csv file or a snapshot file.")
    var data: String?

    @Option(name: .short, help: "Run a statement (repeatable), then exit.")
    var c: [String] = []

    @Option(help: "Output format: csv or tsv.")
    var format: String = "csv"

    mutating func run() throws {
        let path: String
        var banner = ""
        if let data {
            path = data
        } else if Dataset.exists("examples/county") {
            path = "examples/county"
            banner = "opened the example dataset examples/county\n"
        } else {
            print("no data: run projq DATA (a dataset folder, a CSV file or a snapshot)")
            return
        }
        let catalog: Catalog
        do {
            catalog = try Dataset.open(path: path)
        } catch {
            FileHandleOut.stderr("error: \(error)\n")
            throw ExitCode(2)
        }
        let session = Session(catalog: catalog)
        guard let outputFormat = Session.OutputFormat(rawValue: format.lowercased()) else {
            FileHandleOut.stderr("error: unknown format '\(format)'; formats: \(Session.OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))\n")
            throw ExitCode(2)
        }
        session.format = outputFormat
        if c.isEmpty {
            FileHandleOut.stdout(banner + CatalogListing.render(catalog))
            return
        }
        var first = true
        for statement in c.flatMap(StatementSplitter.split) {
            switch session.execute(statement) {
            case .output(let text, let notes):
                if !notes.isEmpty { FileHandleOut.stderr(notes) }
                if !first, !text.isEmpty { FileHandleOut.stdout("\n") }
                if !text.isEmpty { first = false }
                FileHandleOut.stdout(text)
            case .quit: return
            case .statementError(let message):
                FileHandleOut.stderr(message.hasSuffix("\n") ? message : message + "\n")
                throw ExitCode(1)
            case .dataError(let message):
                FileHandleOut.stderr(message + "\n")
                throw ExitCode(2)
            }
        }
    }
}

/// Unbuffered-enough writes to the standard streams without Foundation.
enum FileHandleOut {
    static func stdout(_ s: String) { write(1, s) }
    static func stderr(_ s: String) { write(2, s) }

    private static func write(_ fd: Int32, _ s: String) {
        var s = s
        s.withUTF8 { b in
            var done = 0
            while done < b.count {
                let r = Glibc.write(fd, b.baseAddress! + done, b.count - done)
                if r <= 0 { break }
                done += r
            }
        }
    }
}
