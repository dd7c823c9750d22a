import TextSupport

/// What the command line asks for: `projq [DATA] [-c QUERY]... [-f FILE] [--format FORMAT]
/// [--set NAME=VALUE]... [--history FILE] [--no-cache] [--memory-limit SIZE] [-h | --help]`.
///
/// Hand-written rather than swift-argument-parser, which found the options by reflection
/// (`Mirror`) and protocol-conformance lookups at every start: about a third of the start-up
/// of a run that should take a few milliseconds.
///
/// The rules, those of swift-argument-parser before: an option's value is the next argument,
/// or follows `=` (`--format=csv`, `-c=QUERY`); an argument that starts with `-` is never a
/// value, so `projq -c --format csv` is a missing value, not a query; `-c` and `--set` may
/// repeat, and a later `-f`, `--format` or `--history` replaces an earlier one; after `--`
/// every argument is DATA; `-h` or `--help` anywhere before it shows the help, whatever else
/// is wrong.
struct CommandLineOptions {
    var data: String?
    var queries: [String] = []
    var script: String?
    var format: String?
    /// `NAME=VALUE`, as written.
    var parameters: [String] = []
    /// `NAME=PATH`, as written.
    var attachments: [String] = []
    var history: String?
    var noCache = false
    var strict = false
    var report: String?
    var bom = false
    var encoding: String?
    var memoryLimit: String?
    var wantsHelp = false

    /// The options, in the order the help lists them.
    enum Option: CaseIterable {
        case query, script, format, bom, encoding, report, set, attach, strict, history, noCache, memoryLimit, help

        var names: [String] {
            switch self {
            case .query: ["-c"]
            case .script: ["-f"]
            case .format: ["--format"]
            case .report: ["--report"]
            case .bom: ["--bom"]
            case .encoding: ["--encoding"]
            case .set: ["--set"]
            case .attach: ["--attach"]
            case .strict: ["--strict"]
            case .history: ["--history"]
            case .noCache: ["--no-cache"]
            case .memoryLimit: ["--memory-limit"]
            case .help: ["-h", "--help"]
            }
        }

        /// The value's name in the help; nil for a flag.
        var valueName: String? {
            switch self {
            case .query: "QUERY"
            case .script, .history, .report: "FILE"
            case .format: "FORMAT"
            case .set: "NAME=VALUE"
            case .attach: "NAME=PATH"
            case .memoryLimit: "SIZE"
            case .noCache, .strict, .bom, .help: nil
            case .encoding: "ENCODING"
            }
        }

        var help: String {
            switch self {
            case .query: "Run statements (repeatable; ';' separates several), then exit."
            case .script: "Run a script file of statements, comments and dot-commands, then exit."
            case .format: "Output format: box, records, csv, tsv, json or markdown (default: box on a terminal, else csv)."
            case .bom: "Start CSV and TSV output with a UTF-8 byte-order mark, so that Excel on a Chinese Windows reads it as UTF-8."
            case .encoding: "Write results in utf-8 (the default) or gb18030, the code page Chinese Excel reads CSV in."
            case .report: "Write the results, with the script's .title, .heading and .text, as one document: FILE.html or FILE.md."
            case .set: "Define $NAME for the statements (one literal value; repeatable)."
            case .attach: "Open another dataset or snapshot beside DATA; its tables are NAME.TABLE in queries (repeatable)."
            case .strict: "Stop a statement with an error (exit 1) where it would only note a value its column never holds, like a misspelt 签药 for 签约."
            case .history: "History file of the interactive shell (default ~/.projq_history)."
            case .noCache: "Neither read nor write the cache of CSV tables in $XDG_CACHE_HOME/projq (default ~/.cache/projq); PROJQ_NO_CACHE=1 does the same."
            case .memoryLimit: "The most memory one statement's large builds (a join's rows, a stream read into memory) may take, like 2GB or 500MB (default: three quarters of the machine's)."
            case .help: "Show this help."
            }
        }

        /// `-c QUERY`, `-h, --help`: how the help and errors name it.
        var synopsis: String {
            names.joined(separator: ", ") + (valueName.map { " " + $0 } ?? "")
        }

        init?(name: Substring) {
            guard let option = Option.allCases.first(where: { $0.names.contains { $0 == name } }) else { return nil }
            self = option
        }
    }

    /// A command line projq cannot run: exit status 2, the message and the usage on standard error.
    struct UsageError: Error, Equatable {
        var message: String
        /// The option the message is about, whose help follows it.
        var option: Option?
    }

    /// Reads the arguments after the program's name.
    static func parse(_ arguments: [String]) throws(UsageError) -> CommandLineOptions {
        // Help wins over every other problem of the command line. No value starts with '-',
        // so before `--` an argument `-h` is the option.
        if arguments.prefix(while: { $0 != "--" }).contains(where: { $0 == "-h" || $0 == "--help" }) {
            return CommandLineOptions(wantsHelp: true)
        }
        var options = CommandLineOptions()
        var onlyData = false
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if onlyData || !looksLikeOption(argument) {
                if options.data != nil {
                    throw UsageError(message: "Unexpected argument '\(argument)'")
                }
                options.data = argument
                continue
            }
            if argument == "--" {
                onlyData = true
                continue
            }
            let equals = argument.firstIndex(of: "=")
            let name = argument[..<(equals ?? argument.endIndex)]
            let attached = equals.map { String(argument[argument.index(after: $0)...]) }
            guard let option = Option(name: name) else {
                let names = Option.allCases.flatMap(\.names).filter { $0.hasPrefix("--") }
                let hint = name.hasPrefix("--") ? closestName(to: String(name), among: names).map { ". Did you mean '\($0)'?" } ?? "" : ""
                throw UsageError(message: "Unknown option '\(name)'\(hint)")
            }
            var value = ""
            if option.valueName != nil {
                if let attached {
                    value = attached
                } else if i < arguments.count, !looksLikeOption(arguments[i]) {
                    value = arguments[i]
                    i += 1
                } else {
                    throw UsageError(message: "Missing value for '\(option.synopsis)'", option: option)
                }
            } else if let attached {
                throw UsageError(message: "The option '\(name)' does not take any value, but '\(attached)' was specified.")
            }
            switch option {
            case .query: options.queries.append(value)
            case .script: options.script = value
            case .format: options.format = value
            case .report: options.report = value
            case .bom: options.bom = true
            case .encoding: options.encoding = value
            case .set: options.parameters.append(value)
            case .attach: options.attachments.append(value)
            case .history: options.history = value
            case .noCache: options.noCache = true
            case .strict: options.strict = true
            case .memoryLimit: options.memoryLimit = value
            case .help: options.wantsHelp = true
            }
        }
        return options
    }

    /// `-x`, `--name`, `--name=value`, `--`; not `-` alone, which names a file.
    static func looksLikeOption(_ argument: String) -> Bool {
        argument.hasPrefix("-") && argument != "-"
    }
}
