import Repl
import Storage

#if canImport(Glibc)
import Glibc
#endif

/// The projq executable: reads the command line, opens the data, runs the statements or the
/// shell, and exits with 0 (success), 1 (a query error) or 2 (a usage or data error).
@main
enum ProjqCommand {
    static func main() {
        MemoryLimit.setUp()
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions.parse(Array(CommandLine.arguments.dropFirst()))
        } catch {
            Shell.stderr(CommandLineOptions.message(for: error))
            exit(2)
        }
        if options.wantsHelp {
            Shell.stdout(CommandLineOptions.help)
            exit(0)
        }
        exit(run(options))
    }

    /// Runs what the command line asks for; returns the exit status.
    static func run(_ options: CommandLineOptions) -> Int32 {
        // The values of options are checked before the data is loaded: a typo should not wait
        // for a large ledger to load.
        var format: Session.OutputFormat? = nil
        if let name = options.format {
            guard let chosen = Session.OutputFormat(rawValue: name.lowercased()) else {
                Shell.stderr("error: unknown format '\(name)'; formats: \(Session.OutputFormat.allCases.map(\.rawValue).joined(separator: ", "))\n")
                return 2
            }
            format = chosen
        }
        if let limit = options.memoryLimit {
            guard let bytes = MemoryLimit.parse(limit) else {
                Shell.stderr("error: --memory-limit takes a size of at least 1MB, like 2GB or 500MB, not '\(limit)'\n")
                return 2
            }
            MemoryLimit.bytes = bytes
        }
        var parameters: [(name: String, value: String)] = []
        for p in options.parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                Shell.stderr("error: --set takes NAME=VALUE, not '\(p)'\n")
                return 2
            }
            var name = String(p[..<eq])
            if name.hasPrefix("$") { name.removeFirst() }
            parameters.append((name, String(p[p.index(after: eq)...])))
        }

        let interactive = options.queries.isEmpty && options.script == nil && isatty(0) == 1
        let cache = TableCache(folder: TableCache.standardFolder(xdgCacheHome: environment("XDG_CACHE_HOME"), home: environment("HOME")),
                               enabled: !options.noCache && (environment("PROJQ_NO_CACHE") ?? "0") == "0")
        var catalog = Catalog()
        // What the interactive shell's banner says was opened (the tables' summary follows).
        var opened: String? = nil
        if let data = options.data {
            guard let loaded = load(data, cache: cache) else { return 2 }
            catalog = loaded
            opened = "projq: opened \(data): "
        } else if Dataset.exists("examples/county") {
            guard let loaded = load("examples/county", cache: cache) else { return 2 }
            catalog = loaded
            opened = "projq: no data named, so opened the example ledger examples/county: "
        }

        for a in options.attachments {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex, a.index(after: eq) != a.endIndex else {
                Shell.stderr("error: --attach takes NAME=PATH, like --attach last=ledger-2015-10.projqdb, not '\(a)'\n")
                return 2
            }
            let name = String(a[..<eq]), path = String(a[a.index(after: eq)...])
            if let problem = Session.attachmentNameProblem(name) {
                Shell.stderr("error: --attach \(a): \(problem)\n")
                return 2
            }
            guard let attached = load(path, cache: cache) else { return 2 }
            catalog.attach(attached, as: name)
        }

        let session = Session(catalog: catalog, cache: cache)
        session.format = format ?? (isatty(1) == 1 ? .box : .csv)
        session.strict = options.strict
        session.bom = options.bom
        if let encoding = options.encoding {
            switch encoding.lowercased() {
            case "utf-8", "utf8": session.encoding = nil
            case "gb18030", "gbk": session.encoding = "GB18030"
            default:
                Shell.stderr("error: --encoding takes utf-8 or gb18030, not '\(encoding)'\n")
                return 2
            }
        }
        session.outputIsTerminal = isatty(1) == 1
        if isatty(1) == 1 { session.terminalWidth = terminalWidth() }
        for (name, value) in parameters { session.parameters[name] = value }
        let shell = Shell(session: session)
        if let path = options.report, let problem = session.startReport(path) {
            Shell.stderr("error: --report \(path): \(problem)\n")
            return 2
        }
        let status = runStatements(options, shell: shell, catalog: catalog, interactive: interactive, opened: opened)
        // A report still open at the end (--report, or .report without .report end) is written
        // now; a report that cannot be written is a data error.
        if let problem = session.finishReport() {
            Shell.stderr("error: \(problem)\n")
            return 2
        }
        return status
    }

    /// Runs what the command line asks for: -c, -f, the interactive shell, or standard input.
    static func runStatements(_ options: CommandLineOptions, shell: Shell, catalog: Catalog, interactive: Bool, opened: String?) -> Int32 {
        if !options.queries.isEmpty { return shell.run(commands: options.queries) }
        if let script = options.script { return shell.runScript(path: script) }
        if interactive {
            let banner = opened.map { $0 + summary(catalog) + "\n" }
                ?? "projq: no data open; .open a dataset folder, a CSV file or a snapshot\n"
            let help = ".help for commands, .quit or Ctrl-D to leave, TAB completes names and values.\n"
            let history = options.history ?? (environment("HOME") ?? ".") + "/.projq_history"
            return shell.interactive(historyPath: history, banner: banner + help)
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
        if bytes.isEmpty, options.data != nil {
            // Nothing to run: show what loaded.
            Shell.stdout(CatalogListing.render(catalog))
            return 0
        }
        return shell.runScript(text: String(decoding: bytes, as: UTF8.self), origin: "stdin")
    }

    /// The dataset at `path`; nil, with the error on standard error, when it does not load.
    static func load(_ path: String, cache: TableCache) -> Catalog? {
        do {
            let catalog = try Dataset.open(path: path, cache: cache)
            Shell.stderr(CatalogListing.loadNotes(catalog.tables))
            if let warning = cache.takeWarning() { Shell.stderr("projq: \(warning)\n") }
            return catalog
        } catch {
            Shell.stderr("error: \(error)\n")
            return nil
        }
    }

    /// An environment variable; nil when unset or empty.
    static func environment(_ name: String) -> String? {
        guard let value = getenv(name) else { return nil }
        let s = String(cString: value)
        return s.isEmpty ? nil : s
    }

    static func summary(_ catalog: Catalog) -> String {
        catalog.tables.map { "\($0.name) (\($0.rowCount) rows)" }.joined(separator: ", ")
    }
}
