/// One cell, for rendering and tests. Storage never holds these; they are made on the way out.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    case decimal(Double)
    case text(String)
    case date(Int32)
    case bool(Bool)

    public var description: String {
        switch self {
        case .null: "null"
        case .int(let v): String(v)
        case .decimal(let v): formatDecimal(v)
        case .text(let s): s
        case .date(let d): formatDate(d)
        case .bool(let b): b ? "true" : "false"
        }
    }
}
