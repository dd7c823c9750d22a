import Testing
@testable import projq

/// How projq reads its command line: `projq [DATA] [-c QUERY]... [-f FILE] [--format FORMAT]
/// [--set NAME=VALUE]... [--history FILE] [--no-cache] [--memory-limit SIZE]`, and what it says when it cannot.
@Suite("The command line's options")
struct CommandLineOptionsTests {
    @Test("every option, in any order; -c and --set repeat, in order")
    func everyOption() throws {
        let o = try CommandLineOptions.parse(["-c", "projects count", "examples/county", "--set", "s=machinery", "-f", "a.pq",
                                             "--format", "json", "-c", "units count", "--history", "h.txt", "--no-cache", "--set", "$n=3"])
        #expect(o.data == "examples/county")
        #expect(o.queries == ["projects count", "units count"])
        #expect(o.script == "a.pq")
        #expect(o.format == "json")
        #expect(o.parameters == ["s=machinery", "$n=3"])
        #expect(o.history == "h.txt")
        #expect(o.noCache)
        #expect(!o.wantsHelp)
    }

    @Test("nothing: no data, no statements, the cache on")
    func nothing() throws {
        let o = try CommandLineOptions.parse([])
        #expect(o.data == nil && o.queries.isEmpty && o.script == nil && o.format == nil && !o.noCache && !o.wantsHelp)
    }

    @Test("a value after '=': --format=csv, -c=QUERY, --set=NAME=VALUE; an empty value is a value")
    func attachedValues() throws {
        let o = try CommandLineOptions.parse(["--format=csv", "-c=projects count", "--set=a=b", "--history="])
        #expect(o.format == "csv")
        #expect(o.queries == ["projects count"])
        #expect(o.parameters == ["a=b"])
        #expect(o.history == "")
    }

    @Test("a later -f, --format or --history replaces an earlier one")
    func lastWins() throws {
        let o = try CommandLineOptions.parse(["--format", "csv", "--format", "tsv", "-f", "a", "-f", "b"])
        #expect(o.format == "tsv")
        #expect(o.script == "b")
    }

    @Test("after --, and '-' alone, an argument is DATA")
    func data() throws {
        #expect(try CommandLineOptions.parse(["--", "--odd-folder-name"]).data == "--odd-folder-name")
        #expect(try CommandLineOptions.parse(["-c", "x", "--", "-h"]).data == "-h")
        #expect(try CommandLineOptions.parse(["-"]).data == "-")
    }

    @Test("-h or --help anywhere before --, whatever else is wrong")
    func help() throws {
        for arguments in [["-h"], ["--help"], ["examples/county", "-c", "x", "--help"], ["--bogus", "-h"], ["-c", "-h"], ["a", "b", "--help"]] {
            #expect(try CommandLineOptions.parse(arguments).wantsHelp, "\(arguments)")
        }
    }

    @Test("usage errors: the message, and the option's help when it is about one", arguments: [
        (["--bogus"], "Unknown option '--bogus'", nil),
        (["--hist", "h.txt"], "Unknown option '--hist'. Did you mean '--history'?", nil),
        (["--formt=csv"], "Unknown option '--formt'. Did you mean '--format'?", nil),
        (["-x"], "Unknown option '-x'", nil),
        (["-cf", "a"], "Unknown option '-cf'", nil),
        (["-c"], "Missing value for '-c QUERY'", CommandLineOptions.Option.query),
        (["-c", "--format", "csv"], "Missing value for '-c QUERY'", .query),
        (["examples/county", "--format"], "Missing value for '--format FORMAT'", .format),
        (["--set", "-c", "x"], "Missing value for '--set NAME=VALUE'", .set),
        (["-f"], "Missing value for '-f FILE'", .script),
        (["--history"], "Missing value for '--history FILE'", .history),
        (["a", "b"], "Unexpected argument 'b'", nil),
        (["--", "a", "b"], "Unexpected argument 'b'", nil),
        (["--no-cache=yes"], "The option '--no-cache' does not take any value, but 'yes' was specified.", nil),
    ] as [([String], String, CommandLineOptions.Option?)])
    func usageErrors(arguments: [String], message: String, option: CommandLineOptions.Option?) {
        #expect(throws: CommandLineOptions.UsageError(message: message, option: option)) {
            try CommandLineOptions.parse(arguments)
        }
    }

    @Test("a usage error prints the message, the option's help and the usage")
    func usageMessage() {
        let text = CommandLineOptions.message(for: .init(message: "Missing value for '-c QUERY'", option: .query))
        #expect(text == """
        error: Missing value for '-c QUERY'
        Help:  -c QUERY  Run statements (repeatable; ';' separates several), then exit.
        Usage: projq [DATA] [-c QUERY]... [-f FILE] [--format FORMAT] [--bom] [--encoding ENCODING] [--report FILE] [--set NAME=VALUE]... [--attach NAME=PATH]... [--strict] [--history FILE] [--no-cache] [--memory-limit SIZE] [--lang zh|en]
          See 'projq --help' for more information.

        """)
    }

    @Test("the help: what DATA is, the exit statuses, every option, within 80 columns")
    func helpText() {
        let help = CommandLineOptions.help
        #expect(help.hasPrefix("""
        OVERVIEW: A query shell for investment-attraction project ledgers.

        USAGE: projq [DATA] [-c QUERY]... [-f FILE] [--format FORMAT] [--bom]
                     [--encoding ENCODING] [--report FILE] [--set NAME=VALUE]...
                     [--attach NAME=PATH]... [--strict] [--history FILE] [--no-cache]
                     [--memory-limit SIZE] [--lang zh|en]

        DATA is a dataset folder (CSV files and an optional schema.toml), one CSV file,
        or a snapshot; without it, projq opens examples/county if it is there.
        Without -c or -f, projq reads statements: interactively on a terminal, else as a
        script from standard input.
        Exit status: 0 success, 1 a query error (the first one stops a script), 2 a
        usage or data error.

        ARGUMENTS:
          DATA                    A dataset folder, a .csv file or a snapshot file.

        OPTIONS:
          -c QUERY                Run statements (repeatable; ';' separates several),
                                  then exit.

        """))
        #expect(help.contains("""
          --no-cache              Neither read nor write the cache of CSV tables in
                                  $XDG_CACHE_HOME/projq (default ~/.cache/projq);
                                  PROJQ_NO_CACHE=1 does the same.
          --memory-limit SIZE     The most memory one statement's large builds (a join's
                                  rows, a stream read into memory) may take, like 2GB or
                                  500MB (default: three quarters of the machine's).
          --lang LANGUAGE         The language of messages, help and errors: zh or en
                                  (default: zh when LC_ALL, LC_MESSAGES or LANG starts
                                  with zh, else en).
          -h, --help              Show this help.

        """))
        for option in CommandLineOptions.Option.allCases {
            #expect(help.contains("\n  \(option.synopsis) "), "\(option)")
        }
        for line in help.split(separator: "\n") {
            #expect(line.count <= 80, "\(line)")
        }
    }

    @Test("a synopsis too long for its column puts the explanation on the next line")
    func longSynopsis() {
        #expect(CommandLineOptions.entry("--a-very-long-option VALUE", "Explained.")
                == "  --a-very-long-option VALUE\n                          Explained.\n")
    }
}
