import TextSupport
/// Turns a statement's UTF-8 bytes into tokens. Hand-written: one pass, a switch on the byte,
/// Unicode words for identifiers so Chinese names need no quoting.
public struct Lexer {
    public let source: [UInt8]
    private var i = 0

    public init(_ text: String) {
        source = Array(text.utf8)
    }

    /// Every token, ending with `.end`; or the first lexical error.
    public static func tokenize(_ text: String) throws(Diagnostic) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    public func text(_ range: SourceRange) -> String {
        String(decoding: source[range.start..<range.end], as: UTF8.self)
    }

    private func peek(_ k: Int = 0) -> UInt8? {
        i + k < source.count ? source[i + k] : nil
    }

    private static func isDigit(_ b: UInt8?) -> Bool { b.map { $0 >= 48 && $0 <= 57 } ?? false }

    /// The Unicode scalar at byte `at`, and its length in bytes.
    private func scalar(at: Int) -> (Unicode.Scalar, Int)? {
        guard at < source.count else { return nil }
        var it = source[at...].makeIterator()
        var decoder = UTF8()
        switch decoder.decode(&it) {
        case .scalarValue(let s): return (s, UTF8.width(s))
        default: return nil
        }
    }

    private static func isWordStart(_ s: Unicode.Scalar) -> Bool {
        s == "_" || (s.isASCII ? (s.properties.isAlphabetic) : (s.properties.isAlphabetic || s.properties.isIdeographic))
    }

    private static func isWordContinue(_ s: Unicode.Scalar) -> Bool {
        isWordStart(s) || s.properties.numericType != nil || (s.value >= 48 && s.value <= 57)
    }

    public mutating func next() throws(Diagnostic) -> Token {
        skipSpaceAndComments()
        let start = i
        guard let b = peek() else { return Token(.end, SourceRange(i, i)) }
        func single(_ k: Token.Kind, _ n: Int = 1) -> Token {
            i += n
            return Token(k, SourceRange(start, i))
        }
        switch b {
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "|"): return single(.pipe)
        case UInt8(ascii: ";"): return single(.semicolon)
        case UInt8(ascii: "="): return single(.equal, peek(1) == UInt8(ascii: "=") ? 2 : 1)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return single(.notEqual, 2) }
            throw Diagnostic(QueryMessage.unexpectedBang(), at: SourceRange(start, start + 1))
        case UInt8(ascii: "<"):
            if peek(1) == UInt8(ascii: "=") { return single(.lessEqual, 2) }
            if peek(1) == UInt8(ascii: ">") { return single(.notEqual, 2) }
            return single(.less)
        case UInt8(ascii: ">"):
            return peek(1) == UInt8(ascii: "=") ? single(.greaterEqual, 2) : single(.greater)
        case UInt8(ascii: "+"): return single(.plus)
        case UInt8(ascii: "-"): return single(.minus)
        case UInt8(ascii: "*"): return single(.star)
        case UInt8(ascii: "/"): return single(.slash)
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return try string(quote: b)
        case UInt8(ascii: "`"): return try quotedIdentifier()
        case UInt8(ascii: "@"):
            // A timestamp: @ then a date, and T and a time (no space: 2015-03-01 14:30 would be
            // a date and a number).
            i += 1
            while let c = peek(), c != UInt8(ascii: " "), c != UInt8(ascii: "\t"), c != UInt8(ascii: "\n"), c != UInt8(ascii: ")"),
                  c != UInt8(ascii: ","), c != UInt8(ascii: "|"), c != UInt8(ascii: ";") { i += 1 }
            guard i > start + 1 else { throw Diagnostic(QueryMessage.expectedTimestamp(), at: SourceRange(start, i)) }
            return Token(.timestamp, SourceRange(start, i))
        case UInt8(ascii: "$"):
            i += 1
            guard let (s, _) = scalar(at: i), Lexer.isWordStart(s) else {
                throw Diagnostic(QueryMessage.expectedParameterName(), at: SourceRange(start, i))
            }
            word()
            return Token(.parameter, SourceRange(start, i))
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            if b == UInt8(ascii: "."), !Lexer.isDigit(peek(1)) {
                throw Diagnostic(QueryMessage.unexpectedDot(), at: SourceRange(start, start + 1))
            }
            return number()
        default:
            guard let (s, width) = scalar(at: i) else {
                throw Diagnostic(QueryMessage.invalidUTF8(), at: SourceRange(start, start + 1))
            }
            if Lexer.isWordStart(s) {
                word()
                // A qualified name, `last.projects`: a table of an attached dataset.
                while peek() == UInt8(ascii: "."), let (next, _) = scalar(at: i + 1), Lexer.isWordStart(next) {
                    i += 1
                    word()
                }
                return Token(.identifier, SourceRange(start, i))
            }
            throw Diagnostic(QueryMessage.unexpectedCharacter(Character(s)) + Lexer.hint(for: s), at: SourceRange(start, start + width))
        }
    }

    /// Fullwidth punctuation typed with a Chinese input method, and what was meant.
    private static func hint(for s: Unicode.Scalar) -> String {
        switch s {
        case "，": QueryMessage.useASCIIComma()
        case "（": QueryMessage.use("(")
        case "）": QueryMessage.use(")")
        case "‘", "’": QueryMessage.useQuote("'")
        case "“", "”": QueryMessage.useQuote("\"")
        case "；": QueryMessage.use(";")
        case "＝": QueryMessage.use("=")
        case "｜": QueryMessage.use("|")
        default: ""
        }
    }

    private mutating func skipSpaceAndComments() {
        while let b = peek() {
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                i += 1
            } else if b == UInt8(ascii: "-"), peek(1) == UInt8(ascii: "-") {
                while let c = peek(), c != UInt8(ascii: "\n") { i += 1 }
            } else if b == 0xE3, peek(1) == 0x80, peek(2) == 0x80 {
                i += 3   // U+3000 ideographic space, from Chinese input methods
            } else {
                return
            }
        }
    }

    private mutating func word() {
        while let (s, w) = scalar(at: i), Lexer.isWordContinue(s) { i += w }
    }

    private mutating func number() -> Token {
        let start = i
        // A date: four digits, then '-' or '/', one or two digits, the same separator, one or two
        // digits (2015-03-01, 2015/3/1); or 2015年3月1日, as Chinese ledgers write it.
        if (0..<4).allSatisfy({ Lexer.isDigit(peek($0)) }) {
            if let length = dateLength() {
                i += length
                return Token(.date, SourceRange(start, i))
            }
        }
        var kind = Token.Kind.integer
        while Lexer.isDigit(peek()) { i += 1 }
        if peek() == UInt8(ascii: "."), Lexer.isDigit(peek(1)) {
            kind = .decimal
            i += 1
            while Lexer.isDigit(peek()) { i += 1 }
        }
        // 万 E4 B8 87, 亿 E4 BA BF, then 元 E5 85 83 (3500万元, 1亿元; 800元 alone is yuan).
        if peek() == 0xE4, (peek(1) == 0xB8 && peek(2) == 0x87) || (peek(1) == 0xBA && peek(2) == 0xBF) {
            i += 3
            kind = .money
        }
        if peek() == 0xE5, peek(1) == 0x85, peek(2) == 0x83 {
            i += 3
            kind = .money
        }
        return Token(kind, SourceRange(start, i))
    }

    /// The length of the date that starts here (four digits read), or nil.
    private func dateLength() -> Int? {
        func digits(_ at: Int) -> Int {
            Lexer.isDigit(peek(at)) ? (Lexer.isDigit(peek(at + 1)) ? 2 : 1) : 0
        }
        func bytes(_ at: Int, _ b: [UInt8]) -> Bool { b.indices.allSatisfy { peek(at + $0) == b[$0] } }
        if let sep = peek(4), sep == UInt8(ascii: "-") || sep == UInt8(ascii: "/") {
            let m = digits(5)
            guard m > 0, peek(5 + m) == sep else { return nil }
            let d = digits(6 + m)
            return d > 0 ? 6 + m + d : nil
        }
        // 年 E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5
        guard bytes(4, [0xE5, 0xB9, 0xB4]) else { return nil }
        let m = digits(7)
        guard m > 0, bytes(7 + m, [0xE6, 0x9C, 0x88]) else { return nil }
        let d = digits(10 + m)
        guard d > 0 else { return nil }
        return bytes(10 + m + d, [0xE6, 0x97, 0xA5]) ? 13 + m + d : 10 + m + d
    }

    private mutating func string(quote: UInt8) throws(Diagnostic) -> Token {
        let start = i
        i += 1
        while let b = peek() {
            i += 1
            if b == quote {
                if peek() == quote { i += 1; continue }
                return Token(.string, SourceRange(start, i))
            }
        }
        throw Diagnostic(QueryMessage.unterminatedText(), at: SourceRange(start, start + 1))
    }

    private mutating func quotedIdentifier() throws(Diagnostic) -> Token {
        let start = i
        i += 1
        while let b = peek() {
            i += 1
            if b == UInt8(ascii: "`") { return Token(.quotedIdentifier, SourceRange(start, i)) }
        }
        throw Diagnostic(QueryMessage.unterminatedName(), at: SourceRange(start, start + 1))
    }
}

extension Lexer {
    /// The value of a string token: quotes removed, doubled quotes undone.
    public func stringValue(_ t: Token) -> String {
        let raw = source[t.range.start..<t.range.end]
        let q = raw.first!
        var out: [UInt8] = []
        var k = raw.startIndex + 1
        while k < raw.endIndex - 1 {
            out.append(raw[k])
            k += raw[k] == q ? 2 : 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The name an identifier token stands for (back quotes removed).
    public func identifier(_ t: Token) -> String {
        if t.kind == .quotedIdentifier {
            return String(decoding: source[(t.range.start + 1)..<(t.range.end - 1)], as: UTF8.self)
        }
        return text(t.range)
    }
}
