import CLibEdit
import CTerminal
#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// Line editing for the interactive shell, on libedit's native API: prompt and continuation
/// prompt, emacs keys, history in a file (loaded at start, saved after each statement, no
/// consecutive duplicates), TAB completion, and Ctrl-C that abandons the line.
final class LineEditor {
    enum Input {
        case line(String)
        case interrupted
        case end
    }

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyPath: String?
    /// The prompt libedit asks for through the callback, as C text that stays put.
    private var promptStorage = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    let completer: Completer

    init(historyPath: String?, completer: Completer) {
        self.historyPath = historyPath
        self.completer = completer
        promptStorage.initialize(to: 0)
        editor = el_init("projq", projq_stdin(), projq_stdout(), projq_stderr())
        history = history_init()
        projq_history_setsize(history, 2000)
        projq_history_setunique(history, 1)
        if let historyPath { projq_history_load(history, historyPath) }
        projq_el_set_editor(editor, "emacs")
        projq_el_set_signal(editor, 1)
        projq_el_set_hist(editor, history)
        projq_el_set_clientdata(editor, Unmanaged.passUnretained(self).toOpaque())
        projq_el_set_prompt(editor, lineEditorPrompt)
        projq_el_addfn(editor, "projq-complete", "complete a name or value", lineEditorComplete)
        projq_el_bind(editor, "^I", "projq-complete")
    }

    deinit {
        el_end(editor)
        history_end(history)
        promptStorage.deallocate()
    }

    fileprivate var promptPointer: UnsafeMutablePointer<CChar> { promptStorage }

    private func setPrompt(_ prompt: String) {
        let c = Array(prompt.utf8CString)
        promptStorage.deallocate()
        promptStorage = .allocate(capacity: c.count)
        promptStorage.initialize(from: c, count: c.count)
    }

    /// Reads a line after showing `prompt`. The trailing line break is removed.
    func read(prompt: String) -> Input {
        setPrompt(prompt)
        var count: Int32 = 0
        errno = 0
        guard let raw = el_gets(editor, &count) else {
            if count < 0 || projq_sigint_pending() != 0 {
                projq_sigint_clear()
                el_reset(editor)
                return .interrupted
            }
            return .end
        }
        // el_gets reuses its buffer: copy now, and strip the line break as bytes.
        var bytes = Array(UnsafeBufferPointer(start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: Int(count)))
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        return .line(String(decoding: bytes, as: UTF8.self))
    }

    /// Adds a statement to the history and saves the file.
    func remember(_ statement: String) {
        let text = statement.trimmingWhitespace
        guard !text.isEmpty else { return }
        projq_history_enter(history, text)
        if let historyPath { projq_history_save(history, historyPath) }
    }

    /// Completes the word before the cursor. Returns libedit's refresh code.
    fileprivate func complete() -> UInt8 {
        guard let info = el_line(editor) else { return UInt8(CC_REFRESH_BEEP) }
        let start = UnsafeRawPointer(info.pointee.buffer!).assumingMemoryBound(to: UInt8.self)
        let cursor = UnsafeRawPointer(info.pointee.cursor!).assumingMemoryBound(to: UInt8.self)
        let before = String(decoding: UnsafeBufferPointer(start: start, count: cursor - start), as: UTF8.self)
        let result = completer.complete(before)
        switch result.candidates.count {
        case 0:
            return UInt8(CC_REFRESH_BEEP)
        case 1:
            let insertion = result.insertion
            if !insertion.isEmpty { el_insertstr(editor, insertion) }
            return UInt8(CC_REFRESH)
        default:
            if !result.insertion.isEmpty {
                el_insertstr(editor, result.insertion)
                return UInt8(CC_REFRESH)
            }
            // Several: list them under the line, then redraw it.
            let list = Completer.columns(result.candidates, width: terminalWidth() ?? 80)
            var text = "\n" + list
            text.withUTF8 { b in _ = write(1, b.baseAddress!, b.count) }
            return UInt8(CC_REDISPLAY)
        }
    }
}

private func lineEditorPrompt(_ el: OpaquePointer?) -> UnsafeMutablePointer<CChar>? {
    guard let el, let data = projq_el_get_clientdata(el) else { return nil }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptPointer
}

private func lineEditorComplete(_ el: OpaquePointer?, _ key: Int32) -> UInt8 {
    guard let el, let data = projq_el_get_clientdata(el) else { return UInt8(CC_REFRESH_BEEP) }
    return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
}

/// The terminal's height in rows, when standard output is a terminal.
public func terminalHeight() -> Int? {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
    return nil
}

/// The terminal's width in columns, when standard output is a terminal.
public func terminalWidth() -> Int? {
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return nil
}
