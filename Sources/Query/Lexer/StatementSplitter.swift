import Storage
import TextSupport

/// Cuts script text into statements: one a line, `;` between statements on a line; a line
/// continues onto the next inside an open parenthesis or quote, when it ends with `|` or `,` (a
/// list goes on), or when the next line starts with `|`. Lines starting with `.` are shell commands, whole.
public enum StatementSplitter {
    public struct Statement: Equatable, Sendable {
        public var text: String
        /// The 1-based line of the script where the statement starts.
        public var line: Int
    }

    public static func split(_ text: String) -> [String] { statements(text).map(\.text) }

    /// Whether typed text is a whole statement, or goes on on the next line: inside a quote or
    /// parenthesis, or after a trailing `|` or `,` (comments aside). Dot-commands are always whole.
    public static func isComplete(_ text: String) -> Bool { !scan(text).open }

    /// What keeps typed text from being a whole statement, for the shell's continuation prompt.
    public enum Open: Equatable, Sendable {
        /// Inside quoted text (the quote character).
        case quote(Character)
        /// Inside a parenthesis.
        case parenthesis
        /// After a trailing `|` or `,`.
        case continuation
    }

    /// What is open at the end of `text`, or nil when it is whole.
    public static func open(_ text: String) -> Open? { scan(text).what }

    public static func statements(_ text: String) -> [Statement] { scan(text).statements }

    /// The statements of `text`, and whether it ends inside one that goes on.
    private static func scan(_ text: String) -> (statements: [Statement], open: Bool, what: Open?) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingSuffix("\r") }
        var out: [Statement] = []
        var current = ""
        var startLine = 1
        var depth = 0
        var quote: Character? = nil
        /// The last significant line ended with `|` or `,`: blank and comment lines keep it going.
        var continuing = false
        func isCommentOrBlank(_ line: String) -> Bool {
            let t = line.trimmingWhitespace
            return t.isEmpty || t.hasPrefix("--")
        }
        func flush() {
            let t = current.trimmingWhitespace
            let meaningful = t.split(separator: "\n").contains { !isCommentOrBlank(String($0)) }
            if meaningful { out.append(Statement(text: t, line: startLine)) }
            current = ""
        }
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            if current.isEmpty { startLine = lineNumber }
            let trimmed = line.trimmingWhitespace
            if current.trimmingWhitespace.isEmpty, quote == nil, depth == 0, trimmed.hasPrefix(".") {
                // A dot-command is one line; `;` outside quotes still separates statements.
                for part in splitOutsideQuotes(trimmed) {
                    let t = part.trimmingWhitespace
                    if !t.isEmpty { out.append(Statement(text: t, line: lineNumber)) }
                }
                current = ""
                continue
            }
            if !current.isEmpty { current += "\n" }
            var chars = Array(line)
            var k = 0
            var lastSignificant: Character? = nil
            while k < chars.count {
                let c = chars[k]
                if let q = quote {
                    current.append(c)
                    if c == q { quote = nil }
                    k += 1
                    continue
                }
                if c == "-", k + 1 < chars.count, chars[k + 1] == "-" {
                    // A comment: keep it (ranges stay true) but it ends the line's content.
                    current += String(chars[k...])
                    k = chars.count
                    break
                }
                switch c {
                case "'", "\"", "`": quote = c
                case "(": depth += 1
                case ")": depth = max(0, depth - 1)
                case ";":
                    if depth == 0 {
                        flush()
                        startLine = lineNumber
                        k += 1
                        lastSignificant = nil
                        continue
                    }
                default: break
                }
                current.append(c)
                if !c.isWhitespace { lastSignificant = c }
                k += 1
            }
            chars = []
            if quote != nil || depth > 0 { continue }
            if lastSignificant != nil { continuing = lastSignificant == "|" || lastSignificant == "," }
            if continuing { continue }
            // The next line with content starting with `|` continues this statement.
            if let next = lines[(index + 1)...].first(where: { !isCommentOrBlank($0) }), next.trimmingWhitespace.hasPrefix("|"),
               !current.trimmingWhitespace.isEmpty {
                continue
            }
            flush()
        }
        let open = quote != nil || depth > 0 || (continuing && !current.trimmingWhitespace.isEmpty)
        let what: Open? = if let quote { .quote(quote) } else if depth > 0 { .parenthesis } else if open { .continuation } else { nil }
        flush()
        return (out, open, what)
    }
}

/// Splits at `;` that stand outside quotes.
func splitOutsideQuotes(_ s: String) -> [String] {
    var parts: [String] = []
    var current = ""
    var quote: Character? = nil
    for c in s {
        if let q = quote {
            if c == q { quote = nil }
            current.append(c)
        } else if c == "'" || c == "\"" {
            quote = c
            current.append(c)
        } else if c == ";" {
            parts.append(current)
            current = ""
        } else {
            current.append(c)
        }
    }
    parts.append(current)
    return parts
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
