import Storage
import TextSupport

/// Draws a diagnostic the way compilers do: `LINE:COL: error: message`, the source line with a
/// gutter, and a caret line under the range, measured in display columns so that the carets
/// sit under Chinese characters too.
///
///     1:17: error: unknown column 'secter'
///       1 | projects where secter = machinery
///         |                ^^^^^^
///         = did you mean 'sector'?
///
/// In Chinese only the words change; the gutter and carets are the same:
///
///     1:17: 错误：未知的列 'secter'
///       1 | projects where secter = machinery
///         |                ^^^^^^
///         = 是否应为 'sector'？
public enum DiagnosticRenderer {
    /// `firstLine` is the line of the script where the statement starts, so that a statement on
    /// line 12 of meeting.pq reports `meeting.pq:12:…`. The location stays `LINE:COL` in every
    /// language (editors and scripts read it); the label is `error:` or, in Chinese, `错误：`.
    public static func render(_ d: Diagnostic, source: String, origin: String? = nil, firstLine: Int = 1,
                              language: Language = .current) -> String {
        let (line, column) = d.location(in: source)
        let prefix = origin.map { "\($0):" } ?? ""
        let label = d.severity == .error ? QueryMessage.errorLabel(in: language) : QueryMessage.noteLabel(in: language)
        var out = "\(prefix)\(line + firstLine - 1):\(column): \(label)\(d.message)\n"
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        let bytes = Array(source.utf8)
        // The byte offset where the diagnostic's line starts.
        var lineStart = 0
        var seen = 1
        while seen < line, lineStart < bytes.count {
            if bytes[lineStart] == UInt8(ascii: "\n") { seen += 1 }
            lineStart += 1
        }
        if line - 1 < lines.count {
            let text = String(lines[line - 1])
            let textBytes = Array(text.utf8)
            let startInLine = max(0, d.range.start - lineStart)
            let endInLine = min(textBytes.count, max(startInLine + 1, d.range.end - lineStart))
            let before = String(decoding: textBytes[0..<min(startInLine, textBytes.count)], as: UTF8.self)
            let underlined = startInLine < textBytes.count
                ? String(decoding: textBytes[startInLine..<endInLine], as: UTF8.self) : " "
            let gutter = String(line + firstLine - 1)
            let pad = String(repeating: " ", count: gutter.count)
            out += " \(gutter) | \(text)\n"
            out += " \(pad) | \(String(repeating: " ", count: DisplayWidth.of(before)))\(String(repeating: "^", count: max(1, DisplayWidth.of(underlined))))\n"
            for note in d.notes { out += " \(pad) = \(note)\n" }
        } else {
            for note in d.notes { out += "  = \(note)\n" }
        }
        return out
    }
}
