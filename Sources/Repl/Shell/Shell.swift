import Storage
import Query
import CTerminal
#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// Runs statements and writes what they give: results to standard output (or the `.output`
/// file), notes and errors to standard error. One path for `-c`, `-f`, piped standard input,
/// `.read` and the interactive shell.
public final class Shell {
    public let session: Session
    /// Whether a result has been written, so the next is set off by a blank line.
    private var wroteResult = false

    public init(session: Session) {
        self.session = session
        session.streamsResults = true
        session.readScript = { [unowned self] path in
            // Errors in the script were printed where they happened.
            let status = runScript(path: path, fromRead: true)
            return status == 0 ? .output("") : (status == 2 ? .dataError("") : .statementError(""))
        }
    }

    /// What a batch run ends with: 0 success, 1 a statement error, 2 a data or usage error.
    public typealias Status = Int32

    static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { b in
            var done = 0
            while done < b.count {
                let r = Glibc.write(fd, b.baseAddress! + done, b.count - done)
                if r <= 0 { if errno == EINTR { continue } else { break } }
                done += r
            }
        }
    }

    public static func stdout(_ s: String) { write(1, s) }
    /// Messages name cells and columns of the data, which may hold control characters: shown
    /// visibly, never obeyed by the terminal.
    public static func stderr(_ s: String) { write(2, s.visibleControlsKeepingLines) }

    /// Writes an outcome; returns nil to go on, or the status to stop with.
    func emit(_ outcome: Session.Outcome, separate: Bool) -> Status? {
        switch outcome {
        case .output(let text, let notes):
            if !notes.isEmpty { Shell.stderr(notes) }
            guard !text.isEmpty else { return nil }
            // Listings (.schema, .tables) show names and values of the data.
            return deliver(separate: separate, table: false) { $0.write(text.visibleControlsKeepingLines) }
        case .table(let result, let notes):
            if !notes.isEmpty { Shell.stderr(notes) }
            return deliver(separate: separate, table: true) { session.render(result.table, footer: result.footer, roles: result.roles, chart: result.chart, into: $0) }
        case .quit:
            return 0
        case .statementError(let message):
            if !message.isEmpty { Shell.stderr(message.hasSuffix("\n") ? message : message + "\n") }
            return 1
        case .dataError(let message):
            if !message.isEmpty { Shell.stderr(message.hasSuffix("\n") ? message : message + "\n") }
            return 2
        }
    }

    /// Writes a result where results go: the `.output` file (appended to), or standard output
    /// (after a blank line that sets it off from the result before). A failed write — a full
    /// disk, a closed pipe — is an error (status 2), never a silently short file.
    private func deliver(separate: Bool, table: Bool, _ body: (OutputSink) -> Void) -> Status? {
        if let path = session.outputPath {
            let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                Shell.stderr(QueryMessage.errorLabel() + ShellMessage.cannotWrite(path, String(cString: strerror(errno))) + "\n")
                return 2
            }
            defer { close(fd) }
            let sink = makeSink(fd: fd, path: path, markFirst: table && !session.outputHasResult)
            if separate, session.outputHasResult { sink.write("\n") }
            body(sink)
            sink.flush()
            session.outputHasResult = true
            if let failure = sink.failure {
                Shell.stderr(QueryMessage.errorLabel() + failure + "\n")
                return 2
            }
            return nil
        }
        // With the pager on, a result taller than the terminal goes through it.
        var rendered: String? = nil
        var separated = !(separate && wroteResult)
        if session.pager, session.outputIsTerminal, session.encoding == nil, let rows = terminalHeight() {
            let memory = OutputSink()
            body(memory)
            let text = memory.text
            if text.utf8.lazy.filter({ $0 == 10 }).count >= rows {
                if !separated { Shell.stdout("\n") }
                separated = true
                wroteResult = true
                guard let problem = Pager.show(text) else { return nil }
                Shell.stderr(QueryMessage.noteLabel() + problem + "\n")
            }
            rendered = text
        }
        let sink = makeSink(fd: 1, path: ShellMessage.standardOutput(), markFirst: table && !wroteResult)
        if !separated { sink.write("\n") }
        if let rendered { sink.write(rendered) } else { body(sink) }
        sink.flush()
        wroteResult = true
        if let failure = sink.failure {
            Shell.stderr(QueryMessage.errorLabel() + failure + "\n")
            return 2
        }
        return nil
    }

    /// A sink in the session's encoding; the first result of a CSV or TSV stream starts with the
    /// byte-order mark when asked for (UTF-8 only: GB18030 is Excel's own code page).
    private func makeSink(fd: Int32, path: String, markFirst: Bool) -> OutputSink {
        let sink = OutputSink(fd: fd, path: path)
        if let encoding = session.encoding { sink.transcoder = Transcoder(to: encoding) }
        if markFirst, session.bom, session.encoding == nil, session.format == .csv || session.format == .tsv { sink.write("\u{FEFF}") }
        return sink
    }

    /// `-c`: each argument may hold several statements (`;` or lines).
    public func run(commands: [String]) -> Status {
        for text in commands {
            for statement in StatementSplitter.statements(text) {
                session.firstLine = statement.line
                if let status = emit(session.execute(statement.text), separate: true) { return status }
            }
        }
        return 0
    }

    /// `-f FILE` and `.read FILE`: stops at the first error, which names FILE:LINE:COLUMN.
    public func runScript(path: String, fromRead: Bool = false) -> Status {
        guard let bytes = readWholeFile(path) else {
            let why = errno == EFBIG ? ShellMessage.scriptPast16MB() : String(cString: strerror(errno))
            Shell.stderr(QueryMessage.errorLabel() + ShellMessage.cannotRead(path, why) + "\n")
            return 2
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            Shell.stderr(QueryMessage.errorLabel() + ShellMessage.notUTF8Text(path) + "\n")
            return 2
        }
        return runScript(text: text, origin: path)
    }

    /// Runs script text (a file's, or piped standard input's).
    public func runScript(text: String, origin: String) -> Status {
        let savedOrigin = session.origin, savedLine = session.firstLine
        defer {
            session.origin = savedOrigin
            session.firstLine = savedLine
        }
        session.origin = origin
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var echoed = 0
        for statement in StatementSplitter.statements(text) {
            session.firstLine = statement.line
            // .echo on: the script's lines up to the statement's end — its comments with it.
            let end = Swift.min(lines.count, statement.line - 1 + statement.text.split(separator: "\n", omittingEmptySubsequences: false).count)
            if session.echo {
                let shown = lines[Swift.min(echoed, end)..<end].filter { !String($0).trimmingWhitespace.isEmpty }
                if !shown.isEmpty { _ = emit(.output(shown.joined(separator: "\n") + "\n"), separate: true) }
            }
            echoed = end
            if let status = emit(session.execute(statement.text), separate: true) {
                return status
            }
        }
        return 0
    }

    /// The prompt: `projq> `, or on a continued line what is open — `...(> ` a parenthesis,
    /// `...'> ` a quote, `...> ` a trailing `|` or `,`.
    static func prompt(_ buffer: String) -> String {
        guard !buffer.isEmpty else { return "projq> " }
        switch StatementSplitter.open(buffer) {
        case .quote(let q): return "  ...\(q)> "
        case .parenthesis: return "  ...(> "
        default: return "   ...> "
        }
    }

    /// The interactive shell: line editing, history, completion, Ctrl-C, `.quit` or Ctrl-D.
    public func interactive(historyPath: String?, banner: String) -> Status {
        // Without a locale libedit drops Chinese input; containers often have none.
        if let l = setlocale(LC_CTYPE, ""), String(cString: l) != "C", String(cString: l) != "POSIX" {} else {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        projq_install_sigint()
        let editor = LineEditor(historyPath: historyPath, completer: Completer(catalog: { [unowned self] in session.catalog }))
        Shell.stdout(banner)
        var buffer = ""
        let flag = CancellationFlag(UnsafePointer(projq_sigint_flag()).withMemoryRebound(to: Int32.self, capacity: 1) { $0 })
        while true {
            switch editor.read(prompt: Shell.prompt(buffer)) {
            case .end:
                Shell.stdout("\n")
                return 0
            case .interrupted:
                // Ctrl-C abandons the line (and any continued lines before it).
                buffer = ""
                Shell.stdout("\n")
                continue
            case .line(let line):
                // An empty line ends an unfinished statement: it runs as typed, and an unclosed
                // quote or parenthesis is reported at its place instead of waiting forever.
                let ends = line.trimmingWhitespace.isEmpty && !buffer.isEmpty
                buffer += buffer.isEmpty ? line : "\n" + line
                if buffer.trimmingWhitespace.isEmpty {
                    buffer = ""
                    continue
                }
                guard ends || StatementSplitter.isComplete(buffer) else { continue }
                editor.remember(buffer)
                let text = buffer
                buffer = ""
                for statement in StatementSplitter.statements(text) {
                    session.firstLine = statement.line
                    session.terminalWidth = terminalWidth()
                    projq_sigint_clear()
                    let outcome = session.execute(statement.text, cancel: flag)
                    projq_sigint_clear()
                    if case .quit = outcome { return 0 }
                    // The terminal echoed ^C: start the message on a line of its own.
                    if case .statementError("cancelled") = outcome { Shell.stderr("\n") }
                    _ = emit(outcome, separate: false)
                }
            }
        }
    }
}
