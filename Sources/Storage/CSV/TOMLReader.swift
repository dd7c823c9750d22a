import TextSupport

/// Reads the part of TOML 1.0 that schema.toml uses, and refuses the rest with a located error
/// saying what was expected. projq reads its schema with its own reader rather than a TOML
/// library because the libraries at hand pull all of Foundation (with ICU, for dates) into a
/// binary whose whole run is a few milliseconds; this grammar is small.
///
/// Accepted:
/// - comments (`# ...`), blank lines, LF or CRLF line ends, a byte-order mark at the start;
/// - table headers `[a]`, `[a.b]`, whose keys are bare (`A-Z a-z 0-9 _ -`), "basic" or
///   'literal' quoted (`["项目".columns]`);
/// - `key = value` with a bare or quoted key;
/// - values: basic strings with the TOML escapes (`\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`),
///   literal strings, decimal integers (`-12`, `1_000`), `true` and `false`, arrays (over
///   several lines, with comments and a trailing comma), inline tables `{ k = v, ... }`.
///
/// Refused, each with its own message: floats, dates and times, hexadecimal, octal and binary
/// integers, multi-line strings, arrays of tables (`[[a]]`), dotted keys in a key/value
/// (`a.b = 1`), unquoted text, a duplicate key, a table defined twice or a [section] that
/// adds to a value, a trailing comma or a line break in an inline table, control characters
/// in strings.
///
/// Lines and columns are 1-based, the column counted in characters (as `LoadError` counts
/// them), kept as the reader goes so each key and value knows where it is written.
struct TOMLReader {
    /// What is wrong and where: the place the reader stopped, or the start of the construct
    /// that never ended (an unclosed string points at its opening quote).
    struct SyntaxError: Error, Equatable {
        var position: TextPosition
        var message: String
    }

    private let bytes: [UInt8]
    private var offset = 0
    private var line = 1
    /// Offset of the current line's first byte (past a byte-order mark on line 1).
    private var lineStart = 0

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The document's root table.
    static func read(_ text: String) throws(SyntaxError) -> TOMLTable {
        var reader = TOMLReader(text)
        return try reader.document()
    }

    // MARK: Grammar: one function per rule

    /// document := { [ header | keyValue ] lineEnd }
    private mutating func document() throws(SyntaxError) -> TOMLTable {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            offset = 3
            lineStart = 3
        }
        let root = TOMLTable(origin: .root)
        var current = root
        while offset < bytes.count {
            skipSpaces()
            switch peek {
            case UInt8(ascii: "["):
                current = try header(root: root)
                try lineEnd(after: SchemaMessage.theTableHeader())
            case nil, UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
                try lineEnd(after: nil)
            default:
                try keyValue(into: current)
                try lineEnd(after: SchemaMessage.theValue())
            }
        }
        return root
    }

    /// header := '[' key { '.' key } ']'. Defines the table it names, creating its parents as
    /// it reads their keys, and returns it: the key/values that follow go into it.
    private mutating func header(root: TOMLTable) throws(SyntaxError) -> TOMLTable {
        let start = position()
        let startOffset = offset
        offset += 1
        if peek == UInt8(ascii: "[") {
            throw SyntaxError(position: start, message: SchemaMessage.arraysOfTables())
        }
        var table = root
        while true {
            skipSpaces()
            let (key, at) = try self.key()
            skipSpaces()
            let isLast = !consume(".")
            if isLast, !consume("]") { throw expected(SchemaMessage.closeTableHeader(), found: here()) }
            guard let existing = table.entry(key) else {
                let made = TOMLTable(origin: isLast ? .header : .implicit)
                table.append(.init(key: key, position: start, value: TOMLValue(content: .table(made), position: start)))
                if isLast { return made }
                table = made
                continue
            }
            guard let inner = existing.value.table, inner.origin != .inline else {
                throw SyntaxError(position: at, message: SchemaMessage.alreadyAValue(key, TOMLReader.place(existing.position)))
            }
            if isLast {
                guard inner.origin == .implicit else {
                    let header = String(decoding: bytes[startOffset..<offset], as: UTF8.self)
                    throw SyntaxError(position: start, message: SchemaMessage.definedTwice(header, TOMLReader.place(existing.position)))
                }
                inner.origin = .header
                return inner
            }
            table = inner
        }
    }

    /// keyValue := key '=' value, added to `table`.
    private mutating func keyValue(into table: TOMLTable) throws(SyntaxError) {
        let (name, at) = try key()
        skipSpaces()
        if peek == UInt8(ascii: ".") {
            throw expected(SchemaMessage.equalsAfterKey(name), found: here(), note: SchemaMessage.dottedKeys())
        }
        guard consume("=") else { throw expected(SchemaMessage.equalsAfterKey(name), found: here()) }
        skipSpaces()
        let value = try self.value()
        if let first = table.entry(name) {
            throw SyntaxError(position: at, message: SchemaMessage.duplicateKey(name, TOMLReader.place(first.position)))
        }
        table.append(.init(key: name, position: at, value: value))
    }

    /// key := bare | basicString | literalString
    private mutating func key() throws(SyntaxError) -> (key: String, position: TextPosition) {
        let at = position()
        switch peek {
        case UInt8(ascii: "\""):
            return (try basicString(), at)
        case UInt8(ascii: "'"):
            return (try literalString(), at)
        default:
            let word = self.word(isKey: true)
            guard !word.isEmpty else {
                throw expected(SchemaMessage.aKeyName(), found: here())
            }
            guard word.allSatisfy(TOMLReader.isBare) else {
                let text = String(decoding: word, as: UTF8.self)
                throw SyntaxError(position: at, message: SchemaMessage.keyNeedsQuotes(text))
            }
            offset += word.count
            return (String(decoding: word, as: UTF8.self), at)
        }
    }

    /// value := basicString | literalString | integer | boolean | array | inlineTable
    private mutating func value() throws(SyntaxError) -> TOMLValue {
        let at = position()
        switch peek {
        case UInt8(ascii: "\""):
            return TOMLValue(content: .string(try basicString()), position: at)
        case UInt8(ascii: "'"):
            return TOMLValue(content: .string(try literalString()), position: at)
        case UInt8(ascii: "["):
            return try array()
        case UInt8(ascii: "{"):
            return try inlineTable()
        default:
            let word = self.word(isKey: false)
            guard !word.isEmpty else { throw expected(TOMLReader.aValue, found: here()) }
            let content = try scalar(word, at: at)
            offset += word.count
            return TOMLValue(content: content, position: at)
        }
    }

    /// A value written without quotes or brackets: an integer, true or false. The other things
    /// TOML writes that way (floats, dates and times, other bases) and unquoted text get
    /// messages of their own.
    private func scalar(_ word: ArraySlice<UInt8>, at: TextPosition) throws(SyntaxError) -> TOMLValue.Content {
        let text = String(decoding: word, as: UTF8.self)
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if TOMLReader.isInteger(word) {
            guard let value = Int(text.filter { $0 != "_" }) else {
                throw SyntaxError(position: at, message: SchemaMessage.integerTooLarge(text, Int.max))
            }
            return .integer(value)
        }
        let unsigned = word.drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        if let first = unsigned.first, TOMLReader.isDigit(first) {
            let why: String
            if first == UInt8(ascii: "0"), unsigned.count > 2, "xob".utf8.contains(unsigned[unsigned.startIndex + 1]) {
                why = SchemaMessage.radixNotSupported()
            } else if word.contains(UInt8(ascii: ":"))
                        || (word.count > 4 && word.prefix(4).allSatisfy(TOMLReader.isDigit) && word[word.startIndex + 4] == UInt8(ascii: "-")) {
                why = SchemaMessage.datesNotSupported()
            } else if word.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
                why = SchemaMessage.floatsNotSupported()
            } else {
                why = SchemaMessage.notAnInteger()
            }
            throw SyntaxError(position: at, message: SchemaMessage.expectedFoundNote(TOMLReader.aValue, text, why))
        }
        if unsigned.elementsEqual("inf".utf8) || unsigned.elementsEqual("nan".utf8) {
            throw SyntaxError(position: at, message: SchemaMessage.expectedFoundNote(TOMLReader.aValue, text, SchemaMessage.floatsNotSupported()))
        }
        throw SyntaxError(position: at, message: SchemaMessage.textNeedsQuotes(TOMLReader.aValue, text))
    }

    /// array := '[' { value ',' } [ value ] ']', with line breaks and comments anywhere between.
    private mutating func array() throws(SyntaxError) -> TOMLValue {
        let start = position()
        offset += 1
        var items: [TOMLValue] = []
        while true {
            try skipBlank()
            if consume("]") { break }
            items.append(try value())
            try skipBlank()
            if consume(",") { continue }
            if consume("]") { break }
            throw expected(SchemaMessage.commaOrBracket(TOMLReader.place(start)), found: here())
        }
        return TOMLValue(content: .array(items), position: start)
    }

    /// inlineTable := '{' [ keyValue { ',' keyValue } ] '}', on one line (a value inside, such
    /// as a list, may span lines).
    private mutating func inlineTable() throws(SyntaxError) -> TOMLValue {
        let start = position()
        offset += 1
        let table = TOMLTable(origin: .inline)
        skipSpaces()
        if !consume("}") {
            let oneLine = SchemaMessage.inlineOneLine()
            while true {
                skipSpaces()
                if peek == UInt8(ascii: "}") {
                    throw expected(SchemaMessage.aKeyAfterComma(), found: here(), note: SchemaMessage.inlineNoComma())
                }
                if atLineEnd { throw expected(SchemaMessage.aKey(), found: here(), note: oneLine) }
                try keyValue(into: table)
                skipSpaces()
                if consume(",") { continue }
                if consume("}") { break }
                throw expected(SchemaMessage.commaOrBrace(TOMLReader.place(start)), found: here(),
                               note: atLineEnd ? oneLine : nil)
            }
        }
        return TOMLValue(content: .table(table), position: start)
    }

    /// basicString := '"' { character | escape } '"', on one line.
    private mutating func basicString() throws(SyntaxError) -> String {
        let start = position()
        if bytes[offset...].starts(with: Array("\"\"\"".utf8)) {
            throw SyntaxError(position: start, message: SchemaMessage.multiLineBasic())
        }
        offset += 1
        var out: [UInt8] = []
        while true {
            guard !atLineEnd, let b = peek else {
                throw unclosed(start, quote: "\"")
            }
            switch b {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            default:
                try checkNotControl(b)
                out.append(b)
                offset += 1
            }
        }
    }

    /// escape := '\' ( b | t | n | f | r | " | \ | u XXXX | U XXXXXXXX )
    private mutating func escape(into out: inout [UInt8]) throws(SyntaxError) {
        let at = position()
        offset += 1
        guard !atLineEnd, let letter = peek, letter >= 0x20 else {
            throw SyntaxError(position: at, message: SchemaMessage.expectedEscape(TOMLReader.escapes, here()))
        }
        if let byte = TOMLReader.escaped(letter) {
            out.append(byte)
            offset += 1
            return
        }
        guard letter == UInt8(ascii: "u") || letter == UInt8(ascii: "U") else {
            throw SyntaxError(position: at, message: SchemaMessage.unknownEscape(character(), TOMLReader.escapes))
        }
        let count = letter == UInt8(ascii: "u") ? 4 : 8
        let hex = bytes[(offset + 1)...].prefix(count)
        guard hex.count == count, hex.allSatisfy(TOMLReader.isHexDigit) else {
            throw SyntaxError(position: at, message: SchemaMessage.hexDigits(count, Character(Unicode.Scalar(letter))))
        }
        let code = UInt32(String(decoding: hex, as: UTF8.self), radix: 16)!
        guard let scalar = Unicode.Scalar(code) else {
            throw SyntaxError(position: at, message: SchemaMessage.notAScalar(Character(Unicode.Scalar(letter)), String(decoding: hex, as: UTF8.self)))
        }
        out.append(contentsOf: String(Character(scalar)).utf8)
        offset += 1 + count
    }

    /// literalString := "'" { character } "'", on one line, without escapes.
    private mutating func literalString() throws(SyntaxError) -> String {
        let start = position()
        if bytes[offset...].starts(with: Array("'''".utf8)) {
            throw SyntaxError(position: start, message: SchemaMessage.multiLineLiteral())
        }
        offset += 1
        let first = offset
        while true {
            guard !atLineEnd, let b = peek else {
                throw unclosed(start, quote: "'")
            }
            if b == UInt8(ascii: "'") {
                offset += 1
                return String(decoding: bytes[first..<(offset - 1)], as: UTF8.self)
            }
            try checkNotControl(b)
            offset += 1
        }
    }

    /// lineEnd := [ comment ] ( LF | CRLF | end of file ). `after` names what came before, for
    /// the error when something else follows it on the line.
    private mutating func lineEnd(after: String?) throws(SyntaxError) {
        skipSpaces()
        if peek == UInt8(ascii: "#") { skipComment() }
        if consumeLineBreak() || peek == nil { return }
        throw expected(after.map { SchemaMessage.endOfLineAfter($0) } ?? SchemaMessage.endOfLine(), found: here())
    }

    // MARK: The cursor

    private var peek: UInt8? { offset < bytes.count ? bytes[offset] : nil }

    private func peek(_ ahead: Int) -> UInt8? { offset + ahead < bytes.count ? bytes[offset + ahead] : nil }

    /// At a line break or the end of the file.
    private var atLineEnd: Bool {
        peek == nil || peek == UInt8(ascii: "\n") || (peek == UInt8(ascii: "\r") && peek(1) == UInt8(ascii: "\n"))
    }

    private mutating func consume(_ c: Unicode.Scalar) -> Bool {
        guard peek == UInt8(ascii: c) else { return false }
        offset += 1
        return true
    }

    private mutating func skipSpaces() {
        while let b = peek, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { offset += 1 }
    }

    /// Skips to the line break (which stays).
    private mutating func skipComment() {
        while !atLineEnd { offset += 1 }
    }

    /// LF or CRLF, counted as a new line.
    private mutating func consumeLineBreak() -> Bool {
        if peek == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { offset += 1 }
        guard peek == UInt8(ascii: "\n") else { return false }
        offset += 1
        line += 1
        lineStart = offset
        return true
    }

    /// Spaces, line breaks and comments, as a list allows between its values.
    private mutating func skipBlank() throws(SyntaxError) {
        while true {
            skipSpaces()
            if peek == UInt8(ascii: "#") { skipComment() }
            if !consumeLineBreak() { return }
        }
    }

    /// The run of bytes from here that could be a key or an unquoted value. Not consumed. A
    /// key's run is its bare characters, and non-ASCII ones (a Chinese name without quotes is
    /// a mistake the error should show whole); a value's runs to the next space, quote or
    /// punctuation of the grammar, so that 1.5 or 2015-03-01 is refused whole.
    private func word(isKey: Bool) -> ArraySlice<UInt8> {
        var end = offset
        if isKey {
            while end < bytes.count, TOMLReader.isBare(bytes[end]) || bytes[end] >= 0x80 { end += 1 }
        } else {
            while end < bytes.count, !TOMLReader.endsValue(bytes[end]) { end += 1 }
        }
        return bytes[offset..<end]
    }

    private func position() -> TextPosition {
        var column = 1
        for b in bytes[lineStart..<offset] where b & 0xC0 != 0x80 { column += 1 }
        return TextPosition(line: line, column: column)
    }

    /// What is at the cursor, for "found ...": a character in quotes, or the end of the line or file.
    private func here() -> String {
        guard let b = peek else { return SchemaMessage.endOfFile() }
        if atLineEnd { return SchemaMessage.endOfLine() }
        if b < 0x20 || b == 0x7F { return TOMLReader.codePoint(b) }
        return "'" + character() + "'"
    }

    /// The character at the cursor (its UTF-8 bytes decoded).
    private func character() -> String {
        var end = offset + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    private func checkNotControl(_ b: UInt8) throws(SyntaxError) {
        if (b < 0x20 && b != UInt8(ascii: "\t")) || b == 0x7F {
            throw SyntaxError(position: position(), message: SchemaMessage.controlCharacter(TOMLReader.codePoint(b), TOMLReader.hex4(b)))
        }
    }

    private func expected(_ what: String, found: String, note: String? = nil) -> SyntaxError {
        SyntaxError(position: position(), message: note.map { SchemaMessage.expectedFoundNote(what, found, $0) } ?? SchemaMessage.expectedFound(what, found))
    }

    private func unclosed(_ start: TextPosition, quote: String) -> SyntaxError {
        let end = peek == nil ? SchemaMessage.endOfFile() : SchemaMessage.endOfLine()
        return SyntaxError(position: start, message: SchemaMessage.unclosedString(quote, end))
    }

    // MARK: Character classes

    /// What a value may be, for "expected …" (in the current language).
    static var aValue: String { SchemaMessage.aValue() }
    static let escapes = "\\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX"

    /// The byte `\b \t \n \f \r \" \\` stand for; nil for other letters.
    static func escaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "t"): 0x09
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): letter
        default: nil
        }
    }

    static func isBare(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z")) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    static func isHexDigit(_ b: UInt8) -> Bool {
        isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
    }

    static func endsValue(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "#"),
             UInt8(ascii: "="), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return b < 0x20 || b == 0x7F
        }
    }

    /// `-12`, `+3`, `1_000`, `0`: an optional sign, then 0 or digits without a leading zero,
    /// each `_` between two digits.
    static func isInteger(_ word: ArraySlice<UInt8>) -> Bool {
        var digits = word
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard let first = digits.first, isDigit(first), !(first == UInt8(ascii: "0") && digits.count > 1) else { return false }
        var previousIsDigit = false
        for b in digits {
            if b == UInt8(ascii: "_") {
                guard previousIsDigit else { return false }
                previousIsDigit = false
            } else {
                guard isDigit(b) else { return false }
                previousIsDigit = true
            }
        }
        return previousIsDigit
    }

    static func place(_ p: TextPosition) -> String { "\(p.line):\(p.column)" }

    static func hex4(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }

    static func codePoint(_ b: UInt8) -> String { "U+" + hex4(b) }
}
