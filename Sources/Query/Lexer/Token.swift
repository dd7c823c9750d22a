/// A token: its kind and the byte range it covers in the statement's UTF-8 text. The text of
/// identifiers and literals is read back from the source through the range when needed.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case identifier        // a word, Chinese included; keywords are identifiers the parser knows
        case quotedIdentifier  // `back quoted`: never a keyword
        case integer
        case decimal
        case money             // 500万, 1.2亿, 3500万元, 800元: an amount, with a Chinese magnitude or 元
        case string
        case date              // 2015-03-01, 2015/3/1, 2015年3月1日
        case timestamp         // @2015-03-01T14:30, @2013-01-01T10:00:00Z
        case parameter         // $name
        case leftParen, rightParen, comma, pipe, semicolon
        case equal, notEqual, less, lessEqual, greater, greaterEqual
        case plus, minus, star, slash
        case end
    }

    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }
}
