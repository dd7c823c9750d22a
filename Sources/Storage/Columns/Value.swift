/// One cell, for rendering and tests. Storage never holds these; they are made on the way out.
public enum Value: Hashable, Sendable, CustomStringConvertible {
    case null
    case int(Int64)
    /// An exact decimal (decimal, money and percent values).
    case decimal(FixedDecimal)
    /// A binary double (float values).
    case float(Double)
    case text(String)
    case date(Int32)
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    case timestamp(Int64)
    case bool(Bool)

    public var description: String {
        switch self {
        case .null: "null"
        case .int(let v): String(v)
        case .decimal(let d): d.description
        case .float(let v): formatDecimal(v)
        case .text(let s): s
        case .date(let d): formatDate(d)
        case .timestamp(let t): formatTimestamp(t)
        case .bool(let b): b ? "true" : "false"
        }
    }
}
