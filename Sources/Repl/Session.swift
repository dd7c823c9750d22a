import Storage
import Query
#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// The state of one projq run — the open catalog, the output mode, parameters — and the
/// statements that act on it: queries and dot-commands. Output is returned, not printed, so
/// that the interactive shell, scripts, `-c` and tests share one path.
public final class Session {
    public private(set) var catalog: Catalog {
        didSet { engine = Engine(catalog, generalPaths: generalPaths) }
    }
    private var engine: Engine
    /// How results are written.
    public var format: OutputFormat = .csv
    /// Where the statement came from, for error locations (`meeting.pq`).
    public var origin: String? = nil
    /// The line of the script where the statement being run starts.
    public var firstLine = 1
    /// `.timer on`: each query's run time is shown (in the box footer, else on standard error).
    public var timer = false
    /// `--strict` / `.strict on`: a note that would leave a statement's answer empty (a value its
    /// column never holds) stops it as an error, for scripts that must not print a wrong 0.
    public var strict = false
    /// `.echo on`: a script's statements, and its comment lines, written before their results.
    public var echo = false
    /// `.pager on`: on a terminal, a result taller than it goes through the pager (`Pager`),
    /// every row of it, instead of its first and last rows.
    public var pager = false
    /// Values for `$NAME` in statements.
    public var parameters: [String: String] = [:]
    /// `.output FILE`: results go to this file instead of standard output.
    public private(set) var outputPath: String? = nil
    /// Whether a result has gone into the `.output` file since it was opened: the next is set
    /// off by a blank line, as on standard output (two markdown tables would otherwise run
    /// together into one broken table).
    public var outputHasResult = false
    /// `--bom`, `.mode csv bom`: CSV and TSV start with a UTF-8 byte-order mark, by which Excel
    /// on a Chinese Windows reads them as UTF-8 instead of its code page.
    public var bom = false
    /// `--encoding gb18030`: results written in GB18030 instead of UTF-8 (nil: UTF-8).
    public var encoding: String? = nil
    /// The document that `.report FILE` (or `--report FILE`) started: results and directives go
    /// into it until `.report end` writes it.
    public private(set) var report: Report? = nil
    /// `.chart …`: how the next result is drawn.
    public private(set) var pendingChart: ChartSpec? = nil
    /// The terminal's width, for box mode; nil when not writing to a terminal.
    public var terminalWidth: Int? = nil
    /// Whether standard output is a terminal: only there does the box show long results as
    /// their first and last rows; into a pipe or a file it prints every row, as every format does.
    public var outputIsTerminal = true
    /// Scripts being read by `.read`, to refuse a script that reads itself.
    private var reading: [String] = []
    /// Runs a script for `.read` (set by the shell, which owns script running).
    public var readScript: ((String) -> Outcome)? = nil
    /// Where `.open` and `.load` cache CSV tables; nil: they load every file.
    public let cache: TableCache?

    /// The engine's test switch: only the general paths (see `Engine.generalPaths`).
    public let generalPaths: Bool

    /// Whether query results come back as tables (`Outcome.table`) for the caller to render
    /// into its destination a piece at a time, rather than as text: the shell's choice, so that
    /// a long result is never held whole as text.
    public var streamsResults = false

    /// A result to render, with the footer box mode shows under it.
    public final class Result: Equatable, @unchecked Sendable {
        public let table: Table
        public let footer: String?
        /// What each row is, when `total` added rows (the box sets them apart).
        public let roles: [RowRole]?
        /// The `.chart` drawn after the table (box only).
        let chart: ChartData?
        init(_ table: Table, footer: String?, roles: [RowRole]? = nil, chart: ChartData? = nil) {
            self.table = table
            self.footer = footer
            self.roles = roles
            self.chart = chart
        }
        public static func == (a: Result, b: Result) -> Bool { a === b }
    }

    /// The file the tables were read from that `path` names (the same file, through any link
    /// or other spelling of its path), or nil.
    func sourceFile(at path: String) -> String? {
        var target = stat()
        guard stat(path, &target) == 0 else { return nil }
        for source in catalog.sourceFiles {
            var st = stat()
            if stat(source, &st) == 0, st.st_dev == target.st_dev, st.st_ino == target.st_ino { return source }
        }
        return nil
    }

    public init(catalog: Catalog = Catalog(), cache: TableCache? = nil, generalPaths: Bool = Engine.generalPathsFromEnvironment) {
        self.catalog = catalog
        self.cache = cache
        self.generalPaths = generalPaths
        engine = Engine(catalog, generalPaths: generalPaths)
    }

    public enum OutputFormat: String, CaseIterable, Sendable {
        case box, records, csv, tsv, json, markdown
    }

    /// What a statement produced.
    public enum Outcome: Equatable {
        /// Result text (for standard output or the `.output` file), and notes for standard error.
        case output(String, notes: String = "")
        /// A result table to render where results go (`streamsResults`), and notes.
        case table(Result, notes: String = "")
        case quit
        /// A statement the user got wrong (exit status 1 in batch mode).
        case statementError(String)
        /// Data that would not load or save (exit status 2 in batch mode).
        case dataError(String)

        /// The outcome with `lines` shown before its own notes (on standard error).
        func withNotes(_ lines: String) -> Outcome {
            switch self {
            case .output(let text, let notes): .output(text, notes: lines + notes)
            case .table(let result, let notes): .table(result, notes: lines + notes)
            case .statementError(let m): .statementError(lines + m)
            case .dataError(let m): .dataError(lines + m)
            case .quit: self
            }
        }
    }

    public struct Command: Sendable {
        public var name: String
        public var usage: String
        /// The line `.help` gives it.
        public var summary: HelpText
        /// What `.help NAME` says of it: how it behaves, and an example.
        public var detail: HelpText
        /// Whether its argument is a file name (for completion).
        public var takesFile: Bool

        /// The summary in the current language.
        public var help: String { summary() }
    }

    public static let commands: [Command] = [
        Command(name: "help", usage: ".help [COMMAND]", summary: .helpSummary, detail: .helpDetail, takesFile: false),
        Command(name: "tables", usage: ".tables", summary: .tablesSummary, detail: .tablesDetail, takesFile: false),
        Command(name: "schema", usage: ".schema [TABLE]", summary: .schemaSummary, detail: .schemaDetail, takesFile: false),
        Command(name: "open", usage: ".open PATH", summary: .openSummary, detail: .openDetail, takesFile: true),
        Command(name: "load", usage: ".load FILE [sheet SHEET] [as NAME] [schema TOML]", summary: .loadSummary, detail: .loadDetail, takesFile: true),
        Command(name: "attach", usage: ".attach PATH as NAME", summary: .attachSummary, detail: .attachDetail, takesFile: true),
        Command(name: "detach", usage: ".detach NAME", summary: .detachSummary, detail: .detachDetail, takesFile: false),
        Command(name: "save", usage: ".save FILE", summary: .saveSummary, detail: .saveDetail, takesFile: true),
        Command(name: "cache", usage: ".cache [clear]", summary: .cacheSummary, detail: .cacheDetail, takesFile: false),
        Command(name: "mode", usage: ".mode box|records|csv|tsv|json|markdown [bom]", summary: .modeSummary, detail: .modeDetail, takesFile: false),
        Command(name: "output", usage: ".output [FILE]", summary: .outputSummary, detail: .outputDetail, takesFile: true),
        Command(name: "timer", usage: ".timer on|off", summary: .timerSummary, detail: .timerDetail, takesFile: false),
        Command(name: "report", usage: ".report FILE | .report end", summary: .reportSummary, detail: .reportDetail, takesFile: true),
        Command(name: "title", usage: ".title TEXT", summary: .titleSummary, detail: .titleDetail, takesFile: false),
        Command(name: "heading", usage: ".heading TEXT", summary: .headingSummary, detail: .headingDetail, takesFile: false),
        Command(name: "subheading", usage: ".subheading TEXT", summary: .subheadingSummary, detail: .subheadingDetail, takesFile: false),
        Command(name: "text", usage: ".text TEXT", summary: .textSummary, detail: .textDetail, takesFile: false),
        Command(name: "chart", usage: ".chart bar|column|line|pie|funnel [X] Y[, Y2]", summary: .chartSummary, detail: .chartDetail, takesFile: false),
        Command(name: "pagebreak", usage: ".pagebreak", summary: .pagebreakSummary, detail: .pagebreakDetail, takesFile: false),
        Command(name: "print", usage: ".print TEXT", summary: .printSummary, detail: .printDetail, takesFile: false),
        Command(name: "strict", usage: ".strict on|off", summary: .strictSummary, detail: .strictDetail, takesFile: false),
        Command(name: "pager", usage: ".pager [on|off]", summary: .pagerSummary, detail: .pagerDetail, takesFile: false),
        Command(name: "echo", usage: ".echo on|off", summary: .echoSummary, detail: .echoDetail, takesFile: false),
        Command(name: "explain", usage: ".explain QUERY", summary: .explainSummary, detail: .explainDetail, takesFile: false),
        Command(name: "read", usage: ".read FILE", summary: .readSummary, detail: .readDetail, takesFile: true),
        Command(name: "set", usage: ".set NAME VALUE", summary: .setSummary, detail: .setDetail, takesFile: false),
        Command(name: "lang", usage: ".lang [zh|en]", summary: .langSummary, detail: .langDetail, takesFile: false),
        Command(name: "quit", usage: ".quit", summary: .quitSummary, detail: .quitDetail, takesFile: false),
    ]

    /// Runs one statement: a dot-command or a query.
    public func execute(_ statement: String, cancel: CancellationFlag = .none) -> Outcome {
        let trimmed = statement.trimmingWhitespace
        if trimmed.hasPrefix(".") { return command(trimmed) }
        return query(statement, cancel: cancel)
    }

    /// Runs one statement of the query language and renders its result.
    public func query(_ statement: String, cancel: CancellationFlag = .none) -> Outcome {
        let started = Clock.now()
        let outcome = engine.run(statement, parameters: parameters, cancel: cancel)
        let elapsed = Clock.now() - started
        switch outcome {
        case .success(let result):
            if strict, !result.notes.isEmpty {
                return .statementError(result.notes.map { note in
                    var d = note
                    d.severity = .error
                    d.notes.append(ShellMessage.strictStops())
                    return DiagnosticRenderer.render(d, source: statement, origin: origin, firstLine: firstLine)
                }.joined())
            }
            var notes = result.notes.map { DiagnosticRenderer.render($0, source: statement, origin: origin, firstLine: firstLine) }.joined()
            let time = timer ? ShellMessage.time(formatMilliseconds(elapsed)) : nil
            // The time goes under a box or markdown table on the screen, else to standard error.
            let boxFooter = (format == .box || format == .records || format == .markdown) && outputPath == nil
            if let time, !boxFooter { notes += time + "\n" }
            var chart: ChartData? = nil
            if let spec = pendingChart {
                pendingChart = nil
                switch ChartData.make(spec, result.table, roles: result.rowRoles) {
                case .success(let data): chart = data
                case .failure(let f): return error(ShellMessage.chartBeforeStatement(f.message, spec.kind.rawValue))
                }
            }
            if let report {
                report.add(result.table, roles: result.rowRoles, chart: chart)
                return .output("", notes: notes)
            }
            // Charts are drawn in the box only: csv, json and markdown stay plain tables.
            if format != .box { chart = nil }
            if streamsResults { return .table(Result(result.table, footer: boxFooter ? time : nil, roles: result.rowRoles, chart: chart), notes: notes) }
            return .output(render(result.table, footer: boxFooter ? time : nil, roles: result.rowRoles, chart: chart), notes: notes)
        case .failure(.diagnostic(let d)):
            return .statementError(DiagnosticRenderer.render(d, source: statement, origin: origin, firstLine: firstLine))
        case .failure(.cancelled):
            return .statementError(ShellMessage.cancelled())
        case .failure(.corrupt(let data)):
            // A damaged copy in the cache is not the user's problem: the tables copied in it are
            // loaded from their CSV files again, and the statement runs once more.
            if let recovered = recoverFromCache(data) {
                let outcome = query(statement, cancel: cancel)
                return outcome.withNotes(recovered)
            }
            return .dataError(QueryMessage.errorLabel() + data.message)
        }
    }

    /// Reloads the tables opened from the cache entry `data.file` from their CSV files, dropping
    /// the entry; returns the line to show, or nil when the file is not a cache entry.
    private func recoverFromCache(_ data: CorruptData) -> String? {
        guard let cache else { return nil }
        let damaged = catalog.tables.filter { $0.cacheEntry == data.file && $0.cacheSource != nil }
        guard !damaged.isEmpty else { return nil }
        cache.discard(entry: data.file, data.message)
        for table in damaged {
            guard let reloaded = try? Dataset.loadCSV(table.cacheSource!, as: table.name, cache: cache) else { return nil }
            catalog.add(reloaded)
        }
        return cacheNote()
    }

    /// A result in the current format. Box mode on the screen shows the first and last rows of
    /// a long result; files and other formats get every row.
    func render(_ table: Table, footer: String? = nil, roles: [RowRole]? = nil, chart: ChartData? = nil) -> String {
        let sink = OutputSink()
        render(table, footer: footer, roles: roles, chart: chart, into: sink)
        return sink.text
    }

    /// Renders into a sink: CSV and TSV a row at a time; the other formats, which measure
    /// every row first (box, markdown) or are read whole (JSON), as one piece.
    func render(_ table: Table, footer: String? = nil, roles: [RowRole]? = nil, chart: ChartData? = nil, into sink: OutputSink) {
        switch format {
        case .box:
            let toScreen = outputPath == nil && outputIsTerminal
            sink.write(BoxRenderer(width: toScreen ? terminalWidth : nil, maxRows: toScreen && !pager ? 40 : Int.max).render(table, footer: footer, roles: roles))
            if let chart { sink.write("\n" + TextChart.render(chart, width: Swift.min(toScreen ? terminalWidth ?? 100 : 100, 120))) }
        case .records:
            let toScreen = outputPath == nil && outputIsTerminal
            sink.write(RecordsRenderer(width: toScreen ? terminalWidth : nil, maxRows: toScreen && !pager ? 40 : Int.max).render(table, footer: footer, roles: roles))
        case .csv: CSVRenderer().render(table, into: sink)
        case .tsv: CSVRenderer(separator: "\t").render(table, into: sink)
        case .json: sink.write(JSONRenderer().render(table))
        case .markdown:
            sink.write(MarkdownRenderer().render(table, roles: roles))
            if let footer { sink.write("\n" + footer + "\n") }
        }
    }

    func error(_ message: String) -> Outcome {
        let place = origin.map { "\($0):\(firstLine): " } ?? ""
        return .statementError(place + QueryMessage.errorLabel() + message)
    }

    func dataError(_ message: String) -> Outcome {
        let place = origin.map { "\($0):\(firstLine): " } ?? ""
        return .dataError(place + QueryMessage.errorLabel() + message)
    }

    /// Splits a dot-command's arguments: words, or quoted text with spaces.
    static func arguments(_ s: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var quote: Character? = nil
        var has = false
        for c in s {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "'" {
                quote = c
                has = true
            } else if c == " " || c == "\t" {
                if has || !current.isEmpty { out.append(current) }
                current = ""
                has = false
            } else {
                current.append(c)
            }
        }
        if has || !current.isEmpty { out.append(current) }
        return out
    }

    func command(_ trimmed: String) -> Outcome {
        let body = trimmed.dropFirst()
        let name = String(body.prefix { !$0.isWhitespace })
        let args = Session.arguments(body.dropFirst(name.count))
        let command = name.lowercased()
        func usage() -> Outcome { error(ShellMessage.usage(Session.commands.first { $0.name == command }!.usage)) }
        switch command {
        case "help":
            if let topic = args.first {
                let key = topic.hasPrefix(".") ? String(topic.dropFirst()) : topic
                guard let c = Session.commands.first(where: { $0.name == key.lowercased() }) else {
                    return unknown(key)
                }
                // The command explained, with an example; the one-line summary where there is none.
                let detail = c.detail()
                return .output(c.usage + "\n" + detail.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n")
            }
            let width = Session.commands.map { $0.usage.count }.max() ?? 0
            return .output(Session.commands.map { $0.usage.padding(width) + "  " + $0.help }.joined(separator: "\n")
                           + "\n\n" + HelpText.queriesLine() + "\n"
                           + "\n" + CacheListing.summary(cache))
        case "tables":
            if catalog.tables.isEmpty { return .output(ShellMessage.noTables() + "\n") }
            let width = catalog.tables.map { DisplayWidth.of($0.name) }.max() ?? 0
            return .output(catalog.tables.map { CatalogListing.padded($0.name, width) + "  " + ShellMessage.count($0.rowCount, one: .oneRow, other: .rows) }.joined(separator: "\n") + "\n")
        case "schema":
            if let name = args.first {
                guard let table = catalog.table(named: name) else {
                    let hint = closestName(to: name, among: catalog.tables.map(\.name)).map { ShellMessage.didYouMeanTable($0) } ?? ""
                    return error(ShellMessage.noTable(name) + hint)
                }
                return .output(CatalogListing.schema(table))
            }
            if catalog.tables.isEmpty { return .output(ShellMessage.noTables() + "\n") }
            return .output(catalog.tables.map(CatalogListing.schema).joined(separator: "\n"))
        case "open":
            guard args.count == 1 else { return usage() }
            do {
                catalog = try Dataset.open(path: args[0], cache: cache)
                return .output(CatalogListing.render(catalog), notes: CatalogListing.loadNotes(catalog.tables) + cacheNote())
            } catch {
                return dataError("\(error)")
            }
        case "load":
            // FILE [sheet SHEET] [as NAME] [schema TOML]
            var name: String? = nil, schemaFile: String? = nil, sheet: String? = nil
            var rest = args.dropFirst()
            while rest.count >= 2, let word = rest.first?.lowercased(), word == "as" || word == "schema" || word == "sheet" {
                let value = rest.dropFirst().first
                switch word {
                case "as": name = value
                case "sheet": sheet = value
                default: schemaFile = value
                }
                rest = rest.dropFirst(2)
            }
            guard !args.isEmpty, rest.isEmpty else { return usage() }
            do {
                // A snapshot's tables keep their types; a CSV file takes its schema entry.
                let tables = try Dataset.loadTables(args[0], sheet: sheet, as: name, schemaOf: catalog, schemaFile: schemaFile, cache: cache)
                for table in tables { catalog.add(table) }
                catalog.addSource(args[0])
                return .output("", notes: tables.map(CatalogListing.describe).joined() + CatalogListing.loadNotes(tables) + cacheNote())
            } catch {
                return dataError("\(error)")
            }
        case "attach":
            guard args.count == 3, args[1].lowercased() == "as" else { return usage() }
            if let problem = Session.attachmentNameProblem(args[2]) { return error(problem) }
            do {
                let attached = try Dataset.open(path: args[0], cache: cache)
                catalog.attach(attached, as: args[2])
                let names = attached.tables.map { "\(args[2]).\($0.name) (" + ShellMessage.count($0.rowCount, one: .oneRow, other: .rows) + ")" }.joined(separator: ", ")
                return .output("", notes: ShellMessage.attached(args[0], names) + "\n" + CatalogListing.loadNotes(attached.tables) + cacheNote())
            } catch {
                return dataError("\(error)")
            }
        case "detach":
            guard args.count == 1 else { return usage() }
            return catalog.detach(args[0]) ? .output("") : error(ShellMessage.nothingAttached(args[0]))
        case "save":
            guard args.count == 1 else { return usage() }
            // Over the snapshot the tables came from is safe (the new file takes its name in one
            // step; the open one stays readable); over a CSV file or schema.toml it would lose it.
            if let source = sourceFile(at: args[0]), !SnapshotReader.isSnapshot(path: source) {
                return dataError(ShellMessage.cannotSaveOverSource(args[0], source))
            }
            do {
                try SnapshotWriter.save(catalog, to: args[0])
                return .output("")
            } catch {
                return dataError("\(error)")
            }
        case "cache":
            if args.isEmpty { return .output(CacheListing.describe(cache, catalog: catalog)) }
            guard args.count == 1, args[0].lowercased() == "clear" else { return usage() }
            return .output(CacheListing.clear(cache))
        case "mode":
            guard !args.isEmpty else { return .output("\(format.rawValue)\(bom ? " bom" : "")\n") }
            guard args.count == 1 || (args.count == 2 && args[1].lowercased() == "bom" && ["csv", "tsv"].contains(args[0].lowercased())) else {
                return error(ShellMessage.modeUsage())
            }
            guard let f = OutputFormat(rawValue: args[0].lowercased()) else {
                let modes = OutputFormat.allCases.map(\.rawValue).joined(separator: ", ")
                return error(closestName(to: args[0], among: OutputFormat.allCases.map(\.rawValue))
                    .map { ShellMessage.unknownModeDidYouMean(args[0], $0, modes) } ?? ShellMessage.unknownMode(args[0], modes))
            }
            format = f
            bom = args.count == 2
            return .output("")
        case "output":
            if args.isEmpty {
                outputPath = nil
                return .output("")
            }
            guard args.count == 1 else { return usage() }
            if let source = sourceFile(at: args[0]) {
                return dataError(ShellMessage.cannotOutputOverSource(args[0], source))
            }
            // Start the file empty now, so a bad path is an error here and not later.
            let fd = open(args[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return dataError(ShellMessage.cannotWrite(args[0], String(cString: strerror(errno)))) }
            close(fd)
            outputPath = args[0]
            outputHasResult = false
            return .output("")
        case "timer":
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return usage() }
            timer = args[0].lowercased() == "on"
            return .output("")
        case "title", "heading", "subheading", "text":
            // `$NAME` and `{QUERY}` (a query of one value) are replaced in the text.
            let raw = String(body.dropFirst(name.count).drop(while: { $0 == " " || $0 == "\t" }))
            guard !raw.isEmpty else { return usage() }
            let text: String
            switch interpolate(raw) {
            case .success(let t): text = t
            case .failure(let f): return error(f.message)
            }
            guard let report else {
                // Without a report, the directive's text is printed like `.print`.
                return .output(text + "\n")
            }
            switch command {
            case "title": report.add(.title(text))
            case "heading": report.add(.heading(text))
            case "subheading": report.add(.subheading(text))
            default: report.add(.text(text))
            }
            return .output("")
        case "chart":
            guard let spec = ChartSpec.parse(args) else {
                return error(ShellMessage.chartUsage(ChartSpec.Kind.allCases.map(\.rawValue).joined(separator: "|")))
            }
            pendingChart = spec
            return .output("")
        case "pagebreak":
            guard args.isEmpty else { return usage() }
            report?.add(.pageBreak)
            return .output("")
        case "report":
            guard args.count == 1 else { return usage() }
            if args[0].lowercased() == "end" {
                guard report != nil else { return error(ShellMessage.noReportOpen()) }
                return finishReport().map { dataError($0) } ?? .output("")
            }
            return startReport(args[0]).map { error($0) } ?? .output("")
        case "print":
            // The rest of the line as written, $NAME replaced by its value (sqlite3's .print).
            return .output(substitutingParameters(String(body.dropFirst(name.count).drop(while: { $0 == " " || $0 == "\t" }))) + "\n")
        case "pager":
            if args.isEmpty { return .output(ShellMessage.pagerIs(pager ? "on" : "off", Pager.command.joined(separator: " ")) + "\n") }
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return usage() }
            pager = args[0].lowercased() == "on"
            return .output("")
        case "echo":
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return usage() }
            echo = args[0].lowercased() == "on"
            return .output("")
        case "strict":
            guard args.count == 1, ["on", "off"].contains(args[0].lowercased()) else { return usage() }
            strict = args[0].lowercased() == "on"
            return .output("")
        case "set":
            guard args.count >= 1 else {
                if parameters.isEmpty { return .output(ShellMessage.noParameters() + "\n") }
                return .output(parameters.keys.sorted().map { "$\($0) = \(parameters[$0]!)" }.joined(separator: "\n") + "\n")
            }
            guard args.count == 2 else { return usage() }
            var name = args[0]
            if name.hasPrefix("$") { name.removeFirst() }
            guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
                  name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }) else {
                return error(ShellMessage.notAParameterName(args[0]))
            }
            parameters[name] = args[1]
            return .output("")
        case "read":
            guard args.count == 1 else { return usage() }
            guard let run = readScript else { return error(ShellMessage.readNotAvailable()) }
            if reading.contains(args[0]) { return error(ShellMessage.alreadyBeingRead(args[0])) }
            reading.append(args[0])
            defer { reading.removeLast() }
            return run(args[0])
        case "explain":
            let query = String(body.dropFirst(name.count)).trimmingWhitespace
            guard !query.isEmpty else { return usage() }
            // The query's positions count from its own start, as if it had been typed alone.
            switch engine.explain(query, parameters: parameters) {
            case .success(let result):
                return .output(render(result.table))
            case .failure(.diagnostic(let d)):
                return .statementError(DiagnosticRenderer.render(d, source: query, origin: origin, firstLine: firstLine))
            case .failure(.cancelled):
                return .statementError(ShellMessage.cancelled())
            case .failure(.corrupt(let data)):
                return .dataError(QueryMessage.errorLabel() + data.message)
            }
        case "lang":
            // The language of messages, help and footers, for the whole run (like --lang).
            guard !args.isEmpty else { return .output(ShellMessage.languageIs(Language.current.rawValue) + "\n") }
            guard args.count == 1, let language = Language(name: args[0]) else { return usage() }
            Language.choose(language)
            return .output("")
        case "quit", "exit":
            return .quit
        case "system", "shell":
            return error(ShellMessage.noOtherPrograms(command))
        default:
            return unknown(name)
        }
    }

    /// The cache's warning of the last load, as a line for standard error ("" when none).
    /// Starts a report written to `path` at `.report end`; the message why not, or nil.
    public func startReport(_ path: String) -> String? {
        guard let format = Report.Format(path: path) else {
            return ShellMessage.reportExtension(path)
        }
        if let source = sourceFile(at: path) {
            return ShellMessage.reportOverSource(path, source)
        }
        if let open = report { return ShellMessage.reportAlreadyOpen(open.path) }
        report = Report(path: path, format: format)
        return nil
    }

    /// Writes the open report (atomically: a failure leaves the previous file) and closes it;
    /// the message of a failure, or nil.
    public func finishReport() -> String? {
        guard let report else { return nil }
        self.report = nil
        do {
            try report.write()
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// `text` with `$NAME` replaced by the parameter's value and `{QUERY}` by the query's one
    /// value (formatted as the box shows it); a failure's message.
    struct InterpolationFailure: Error {
        var message: String
    }

    func interpolate(_ text: String) -> Swift.Result<String, InterpolationFailure> {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { return .failure(InterpolationFailure(message: ShellMessage.braceNotClosed())) }
            let query = String(rest[rest.index(after: open)..<close])
            switch engine.run(query, parameters: parameters) {
            case .success(let result):
                guard result.table.rowCount == 1, result.table.columns.count == 1 else {
                    return .failure(InterpolationFailure(message: ShellMessage.notOneValue(query, result.table.rowCount, result.table.columns.count)))
                }
                out += BoxRenderer.cell(result.table.columns[0], result.table.row(0))
            case .failure(.diagnostic(let d)):
                return .failure(InterpolationFailure(message: ShellMessage.inQuery(query) + DiagnosticRenderer.render(d, source: query, origin: nil, firstLine: 1).drop(while: { $0 != " " }).dropFirst()))
            case .failure(.cancelled):
                return .failure(InterpolationFailure(message: ShellMessage.cancelled()))
            case .failure(.corrupt(let data)):
                return .failure(InterpolationFailure(message: data.message))
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return .success(substitutingParameters(out))
    }

    /// `text` with each `$NAME` replaced by its value, the longest names first (so that `$date`
    /// does not take the start of `$date2`).
    func substitutingParameters(_ text: String) -> String {
        var out = text
        for (name, value) in parameters.sorted(by: { $0.key.count > $1.key.count }) { out = out.replacing("$" + name, with: value) }
        return out
    }

    /// Why `name` cannot name an attached dataset, or nil: it must be a plain word (it is
    /// written before a table's name, `last.projects`) and not a table's name.
    public static func attachmentNameProblem(_ name: String) -> String? {
        guard let first = name.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
              name.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || $0.properties.numericType != nil }) else {
            return ShellMessage.badAttachmentName(name)
        }
        return nil
    }

    func cacheNote() -> String {
        cache?.takeWarning().map { "projq: \($0)\n" } ?? ""
    }

    func unknown(_ name: String) -> Outcome {
        return error(closestName(to: name, among: Session.commands.map(\.name))
            .map { ShellMessage.unknownCommandDidYouMean(name, $0) } ?? ShellMessage.unknownCommand(name))
    }
}

extension String {
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
