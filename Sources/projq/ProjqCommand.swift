import Repl
import Storage
import TextSupport

#if canImport(Glibc)
import Glibc
#endif

/// The projq executable: reads the command line, opens the data, runs the statements or the
/// shell, and exits with 0 (success), 1 (a query error) or 2 (a usage or data error).
@main
enum ProjqCommand {
    static func main() {
        MemoryLimit.setUp()
        // The language first, so that even a usage error speaks it: `--lang` (looked for before
        // the command line is read, which may fail), else the locale.
        let arguments = Array(CommandLine.arguments.dropFirst())
        Language.choose(CommandLineOptions.languageArgument(arguments).flatMap(Language.init(name:))
            ?? Language.fromLocale(lcAll: environment("LC_ALL"), lcMessages: environment("LC_MESSAGES"), lang: environment("LANG")))
        let options: CommandLineOptions
        do {
            options = try CommandLineOptions.parse(arguments)
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
        if let name = options.language, Language(name: name) == nil {
            Shell.stderr(QueryMessage.errorLabel() + ShellMessage.unknownLanguage(name) + "\n")
            return 2
        }
        var format: Session.OutputFormat? = nil
        if let name = options.format {
            guard let chosen = Session.OutputFormat(rawValue: name.lowercased()) else {
                Shell.stderr(QueryMessage.errorLabel() + ShellMessage.unknownFormat(name, Session.OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")) + "\n")
                return 2
            }
            format = chosen
        }
        if let limit = options.memoryLimit {
            guard let bytes = MemoryLimit.parse(limit) else {
                Shell.stderr(QueryMessage.errorLabel() + ShellMessage.badMemoryLimit(limit) + "\n")
                return 2
            }
            MemoryLimit.bytes = bytes
        }
        var parameters: [(name: String, value: String)] = []
        for p in options.parameters {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                Shell.stderr(QueryMessage.errorLabel() + ShellMessage.badSet(p) + "\n")
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
            opened = "projq: " + ShellMessage.opened(data)
        } else if Dataset.exists("examples/county") {
            guard let loaded = load("examples/county", cache: cache) else { return 2 }
            catalog = loaded
            opened = "projq: " + ShellMessage.openedExample()
        }

        for a in options.attachments {
            guard let eq = a.firstIndex(of: "="), eq != a.startIndex, a.index(after: eq) != a.endIndex else {
                Shell.stderr(QueryMessage.errorLabel() + ShellMessage.badAttach(a) + "\n")
                return 2
            }
            let name = String(a[..<eq]), path = String(a[a.index(after: eq)...])
            if let problem = Session.attachmentNameProblem(name) {
                Shell.stderr(QueryMessage.errorLabel() + "--attach \(a): \(problem)\n")
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
                Shell.stderr(QueryMessage.errorLabel() + ShellMessage.badEncoding(encoding) + "\n")
                return 2
            }
        }
        session.outputIsTerminal = isatty(1) == 1
        if isatty(1) == 1 { session.terminalWidth = terminalWidth() }
        for (name, value) in parameters { session.parameters[name] = value }
        let shell = Shell(session: session)
        if let path = options.report, let problem = session.startReport(path) {
            Shell.stderr(QueryMessage.errorLabel() + "--report \(path): \(problem)\n")
            return 2
        }
        let status = runStatements(options, shell: shell, catalog: catalog, interactive: interactive, opened: opened)
        // A report still open at the end (--report, or .report without .report end) is written
        // now; a report that cannot be written is a data error.
        if let problem = session.finishReport() {
            Shell.stderr(QueryMessage.errorLabel() + problem + "\n")
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
                ?? "projq: " + ShellMessage.noDataOpen() + "\n"
            let help = ShellMessage.bannerHelp() + "\n"
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
            Shell.stderr(QueryMessage.errorLabel() + "\(error)\n")
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
        catalog.tables.map { "\($0.name) (" + ShellMessage.count($0.rowCount, one: .oneRow, other: .rows) + ")" }.joined(separator: ", ")
    }
}
