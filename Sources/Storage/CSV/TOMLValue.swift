import TextSupport

/// A value of schema.toml and where it is written, so that an error about it can point at it.
/// Only the kinds `TOMLReader` accepts: floats, dates and times have no use in a schema.
struct TOMLValue {
    enum Content {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case array([TOMLValue])
        case table(TOMLTable)
    }

    let content: Content
    /// Where the value starts: its opening quote, bracket or brace, or its first character.
    let position: TextPosition

    var string: String? {
        if case .string(let s) = content { return s }
        return nil
    }

    var integer: Int? {
        if case .integer(let i) = content { return i }
        return nil
    }

    var boolean: Bool? {
        if case .boolean(let b) = content { return b }
        return nil
    }

    var array: [TOMLValue]? {
        if case .array(let a) = content { return a }
        return nil
    }

    var table: TOMLTable? {
        if case .table(let t) = content { return t }
        return nil
    }
}
