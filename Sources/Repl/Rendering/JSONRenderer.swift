import Storage

/// A JSON array of objects, one per row: numbers as numbers (money in its unit), null as null,
/// dates as ISO strings, booleans as true/false.
public struct JSONRenderer {
    public init() {}

    public func render(_ table: Table) -> String {
        if table.rowCount == 0 { return "[]\n" }
        var out = "[\n"
        let names = table.columns.map { Self.quote($0.name) }
        for r in 0..<table.rowCount {
            out += "  {"
            for (c, column) in table.columns.enumerated() {
                if c > 0 { out += ", " }
                out += names[c] + ": " + Self.value(column.value(at: table.row(r)))
            }
            out += r + 1 < table.rowCount ? "},\n" : "}\n"
        }
        return out + "]\n"
    }

    static func value(_ v: Value) -> String {
        switch v {
        case .null: "null"
        case .int(let x): String(x)
        case .decimal(let x): x.description
        case .float(let x): x.isFinite ? formatDecimal(x) : "null"
        case .text(let s): quote(s)
        case .date(let d): quote(formatDate(d))
        case .timestamp(let t): quote(formatTimestamp(t))
        case .bool(let b): b ? "true" : "false"
        }
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
