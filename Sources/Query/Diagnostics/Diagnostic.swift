import Storage
import TextSupport

/// A byte range in a statement's UTF-8 text. Tokens carry one from the lexer, the AST keeps
/// them, and every diagnostic points with one; line and column are computed only to render.
public struct SourceRange: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = end
    }
}

/// A problem found in a statement: what, where, and notes (a "did you mean", a hint).
public struct Diagnostic: Error, Hashable, Sendable {
    public enum Severity: String, Sendable { case error, note }

    public var severity: Severity
    public var message: String
    public var range: SourceRange
    public var notes: [String]

    public init(_ message: String, at range: SourceRange, severity: Severity = .error, notes: [String] = []) {
        self.severity = severity
        self.message = message
        self.range = range
        self.notes = notes
    }

    /// The 1-based line and character column of the range's start in `source`.
    public func location(in source: String) -> (line: Int, column: Int) {
        var text = source
        let p = text.withUTF8 { TextPosition.locate(offset: range.start, in: $0) }
        return (p.line, p.column)
    }
}
