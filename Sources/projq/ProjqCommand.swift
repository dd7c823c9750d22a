import ArgumentParser
import Repl
import Storage

#if canImport(Glibc)
import Glibc
#endif

@main
struct ProjqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "projq",
        abstract: "A query shell for investment-attraction project ledgers.",
        discussion: """
        DATA is a dataset folder (CSV files and an optional schema.toml), one CSV file, or a snapshot.
        Without -c or -f, projq reads statements: interactively on a terminal, else as a script from standard input.
        Exit status: 0 success, 1 a query error (the first one stops a script), 2 a usage or data error.
        """
    )

    @Argument(help: "A dataset folder, a .csv file or a snapshot file.")
    var data: String?

    @Option(name: .short, help: ArgumentHelp("Run statements (repeatable; ';' separates several), then exit.", valueName: "QUERY"))
    var c: [String] = []

    @Option(name: .short, help: ArgumentHelp("Run a script file of statements, comments and dot-commands, then exit.", valueName: "FILE"))
    var f: String?

    @Option(help: "Output format: box, csv, tsv, json or markdown (default: box on a terminal, else csv).")
    var format: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Define $NAME for the statements (one literal value).", valueName: "NAME=VALUE"))
    var parameters: [String] = []

    @Option(help: ArgumentHelp("History file of the interactive shell (default ~/.projq_history).", valueName: "FILE"))
    var history: String?

    @Flag(name: .customLong("no-cache"), help: "Neither read nor write the cache of CSV tables in $XDG_CACHE_HOME/projq (default ~/.cache/projq); PROJQ_NO_CACHE=1 does the same.")
    var noCache = false

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Shell.stdout(fullMessage(for: error) + "\n")
                Glibc.exit(0)
            }
            Shell.stderr("error: " + fullMessage(for: error).replacingOccurrences("Error: ", "") + "\n")
            Glibc.exit(2)
        }
    }

    mutating func run() throws {
        let interactive = c.isEmpty && f == nil && isatty(0) == 1
        let cache = TableCache(folder: TableCache.standardFolder(xdgCacheHome: environment("XDG_CACHE_HOME"), home: environment("HOME")),
                               enabled: !noCache && (environment("PROJQ_NO_CACHE") ?? "0") == "0")
        var banner = ""
        var catalog = Catalog()
        if let data {
            catalog = try load(data, cache: cache)
            banner = "projq: opened \(data): \(summary(catalog))\n"
        } else if Dataset.exists("examples/county") {
            catalog = try load("examples/county", cache: cache)
            banner = "projq: no data named, so opened the example ledger examples/county: \(summary(catalog))\n"
        } else {
            banner = "projq: no data open; .open a dataset folder, a CSV file or a snapshot\n"
        }
        let session = Session(catalog: catalog, cache: cache)
        if let format {
            guard let chosen = Session.OutputFormat(rawValue: format.lowercased()) else {
                Shell.stderr("error: unknown format '\(format)'; formats: \(Session.OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))\n")
                throw ExitCode(2)
            }
            session.format = chosen
        } else {
            session.format = isatty(1) == 1 ? .box : .csv
        }
        if session.format == .box, isatty(1) == 1 { session.terminalWidth = terminalWidth() }
        for p in parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                Shell.stderr("error: --set takes NAME=VALUE, not '\(p)'\n")
                throw ExitCode(2)
            }
            var name = String(p[..<eq])
            if name.hasPrefix("$") { name.removeFirst() }
            session.parameters[name] = String(p[p.index(after: eq)...])
        }
        let shell = Shell(session: session)
        if !c.isEmpty {
            throw ExitCode(shell.run(commands: c))
        }
        if let f {
            throw ExitCode(shell.runScript(path: f))
        }
        if interactive {
            let home = String(cString: getenv("HOME") ?? strdup("."))
            let help = ".help for commands, .quit or Ctrl-D to leave, TAB completes names and values.\n"
            throw ExitCode(shell.interactive(historyPath: history ?? home + "/.projq_history", banner: banner + help))
        }
        // Standard input that is not a terminal is a script.
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress!, 65536) }
            if r < 0, errno == EINTR { continue }
            if r <= 0 { break }
            bytes += chunk[0..<r]
        }
        if bytes.isEmpty, data != nil {
            // Nothing to run: show what loaded.
            Shell.stdout(CatalogListing.render(catalog))
            return
        }
        throw ExitCode(shell.runScript(text: String(decoding: bytes, as: UTF8.self), origin: "stdin"))
    }

    func load(_ path: String, cache: TableCache) throws -> Catalog {
        do {
            let catalog = try Dataset.open(path: path, cache: cache)
            if let warning = cache.takeWarning() { Shell.stderr("projq: \(warning)\n") }
            return catalog
        } catch {
            Shell.stderr("error: \(error)\n")
            throw ExitCode(2)
        }
    }

    /// An environment variable; nil when unset or empty.
    func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let s = String(cString: value)
        return s.isEmpty ? nil : s
    }

    func summary(_ catalog: Catalog) -> String {
        catalog.tables.map { "\($0.name) (\($0.rowCount) rows)" }.joined(separator: ", ")
    }
}

extension String {
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard !a.isEmpty else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
