/// The unit a money column is written in. Amounts are stored as written (a 万元 column holds
/// 3500 for 35,000,000 yuan); `yuanPerUnit` converts.
public enum MoneyUnit: String, Sendable, CaseIterable, Hashable {
    case yuan = "元"
    case wan = "万元"
    case yi = "亿元"

    public var yuanPerUnit: Double {
        switch self {
        case .yuan: 1
        case .wan: 10_000
        case .yi: 100_000_000
        }
    }

    /// Accepts the Chinese unit names and their pinyin spellings.
    public init?(name: String) {
        switch name.lowercased() {
        case "元", "yuan": self = .yuan
        case "万元", "万", "wan", "wanyuan": self = .wan
        case "亿元", "亿", "yi", "yiyuan": self = .yi
        default: return nil
        }
    }
}

/// The logical type of a column. Storage representation is separate (`ColumnData`): text may be
/// dictionary-encoded or a byte heap; category is always dictionary-encoded.
public enum ColumnType: Sendable, Hashable, CustomStringConvertible {
    case int
    case decimal
    case money(MoneyUnit)
    case text
    case category
    case date
    case bool

    public var description: String {
        switch self {
        case .int: "int"
        case .decimal: "decimal"
        case .money(let unit): "money(\(unit.rawValue))"
        case .text: "text"
        case .category: "category"
        case .date: "date"
        case .bool: "bool"
        }
    }

    /// The type names a schema file may use.
    public static let schemaNames = ["int", "decimal", "money", "text", "category", "date", "bool"]

    public var isNumeric: Bool {
        switch self {
        case .int, .decimal, .money: true
        default: false
        }
    }

    public var isTextual: Bool {
        switch self {
        case .text, .category: true
        default: false
        }
    }
}
