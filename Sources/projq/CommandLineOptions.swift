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
    /// `--lang zh|en`, as written.
    var language: String?
    var wantsHelp = false

    /// The options, in the order the help lists them.
    enum Option: CaseIterable {
        case query, script, format, bom, encoding, report, set, attach, strict, history, noCache, memoryLimit, lang, help

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
            case .lang: ["--lang"]
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
            case .lang: "LANGUAGE"
            case .noCache, .strict, .bom, .help: nil
            case .encoding: "ENCODING"
            }
        }

        var help: String {
            switch self {
            case .query: HelpText.optionQuery()
            case .script: HelpText.optionScript()
            case .format: HelpText.optionFormat()
            case .bom: HelpText.optionBOM()
            case .encoding: HelpText.optionEncoding()
            case .report: HelpText.optionReport()
            case .set: HelpText.optionSet()
            case .attach: HelpText.optionAttach()
            case .strict: HelpText.optionStrict()
            case .history: HelpText.optionHistory()
            case .noCache: HelpText.optionNoCache()
            case .memoryLimit: HelpText.optionMemoryLimit()
            case .lang: HelpText.optionLang()
            case .help: HelpText.optionHelp()
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
                    throw UsageError(message: ShellMessage.unexpectedArgument(argument))
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
                let close = name.hasPrefix("--") ? closestName(to: String(name), among: names) : nil
                throw UsageError(message: close.map { ShellMessage.unknownOptionDidYouMean(name, $0) } ?? ShellMessage.unknownOption(name))
            }
            var value = ""
            if option.valueName != nil {
                if let attached {
                    value = attached
                } else if i < arguments.count, !looksLikeOption(arguments[i]) {
                    value = arguments[i]
                    i += 1
                } else {
                    throw UsageError(message: ShellMessage.missingValue(option.synopsis), option: option)
                }
            } else if let attached {
                throw UsageError(message: ShellMessage.optionTakesNoValue(name, attached))
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
            case .lang: options.language = value
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

extension CommandLineOptions {
    /// The value of the last `--lang` before `--`, found without reading the rest of the
    /// command line: the language a usage error elsewhere on it is reported in.
    static func languageArgument(_ arguments: [String]) -> String? {
        var found: String? = nil
        var i = 0
        while i < arguments.count, arguments[i] != "--" {
            if arguments[i] == "--lang", i + 1 < arguments.count {
                found = arguments[i + 1]
                i += 1
            } else if arguments[i].hasPrefix("--lang=") {
                found = String(arguments[i].dropFirst("--lang=".count))
            }
            i += 1
        }
        return found
    }
}
