import TextSupport
/// The unit a money column is written in. Amounts are stored as written (a 万元 column holds
/// 3500 for 35,000,000 yuan); `powerOfTen` converts, exactly (a shift of the point).
public enum MoneyUnit: String, Sendable, CaseIterable, Hashable {
    case yuan = "元"
    case wan = "万元"
    case yi = "亿元"

    /// The unit as a power of ten of yuan: 元 0, 万元 4, 亿元 8 (conversions are exact shifts
    /// of the point).
    public var powerOfTen: Int {
        switch self {
        case .yuan: 0
        case .wan: 4
        case .yi: 8
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

/// The logical type of a column, a result column or an expression: what its values mean,
/// with the unit of money and whether a category's values have a declared order. How the
/// values lie in memory is `ColumnData` (`layout` says which layouts a type may take), and
/// everything else that depends on the type — the snapshot's type code, the schema's type
/// names, the boxed `Value` of a cell, the parser of a CSV cell — is derived from it here, so
/// that a new type is added in this file and in the switches the compiler then points to.
public enum DataType: Hashable, Sendable, CustomStringConvertible {
    /// `chinese`: the values were written 是/否 in the source, and are printed so.
    case bool(chinese: Bool)
    case int
    /// An exact number with `scale` digits after the point (`FixedDecimal`): a column's scale
    /// is the most digits any of its cells has, at most `FixedDecimal.maxScale`.
    case decimal(scale: Int)
    /// A measurement printed by a machine as a binary float (`10.357019999999999`: more than
    /// nine digits after the point), kept as a binary double.
    case float
    /// A ratio read from cells written with a percent sign (`12.5%` is 0.125): a number like a
    /// decimal (exact, at `scale`), shown as a percentage by box and markdown and as the ratio
    /// by csv and json.
    case percent(scale: Int)
    /// An exact amount in a unit, at `scale` digits after the point.
    case money(MoneyUnit, scale: Int)
    /// Days since 1970-01-01.
    case date
    /// Microseconds since 1970-01-01 00:00:00 UTC (`Timestamp`).
    case timestamp
    case text
    /// Text with few distinct values, always dictionary-encoded. `ordered`: the dictionary is
    /// a declared order (the funnel `lead < negotiating < signed`), so codes compare as it does.
    case category(ordered: Bool)
    /// The type of a bare `null`, which fits wherever a value does. Never a column's type.
    case null

    /// How a column of the type is laid out.
    public enum Layout: Sendable {
        case int64, float64, int32, uint8
        /// Dictionary codes (any width), or a string heap for mostly-unique text.
        case text
        /// Dictionary codes only.
        case codes
    }

    public var layout: Layout {
        switch self {
        case .int, .timestamp, .decimal, .percent, .money: .int64
        case .float, .null: .float64
        case .date: .int32
        case .bool: .uint8
        case .text: .text
        case .category: .codes
        }
    }

    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .float: "float"
        case .percent: "percent"
        case .money(let u, _): "money in \(u.rawValue)"
        case .date: "date"
        case .timestamp: "timestamp"
        case .text: "text"
        case .category: "category"
        case .null: "null"
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .int, .decimal, .float, .percent, .money: true
        default: false
        }
    }

    public var isBool: Bool {
        if case .bool = self { return true }
        return false
    }

    public var isTextual: Bool {
        switch self {
        case .text, .category: true
        default: false
        }
    }

    public var isCategory: Bool {
        if case .category = self { return true }
        return false
    }

    public var moneyUnit: MoneyUnit? {
        if case .money(let u, _) = self { return u }
        return nil
    }

    /// The digits after the point of an exact number's values (0 for int), nil for others.
    public var scale: Int? {
        switch self {
        case .int: 0
        case .decimal(let s), .percent(let s), .money(_, let s): s
        default: nil
        }
    }

    /// Whether values are exact decimals held as scaled integers (int counts, at scale 0).
    public var isExact: Bool { scale != nil }

    /// The same kind of number at another scale (int becomes a decimal).
    public func withScale(_ s: Int) -> DataType {
        switch self {
        case .percent: .percent(scale: s)
        case .money(let u, _): .money(u, scale: s)
        default: .decimal(scale: s)
        }
    }

    /// The same type, whatever its scale: `decimal(2)` and `decimal(4)` are one kind.
    public func sameKind(_ other: DataType) -> Bool {
        switch (self, other) {
        case (.decimal, .decimal), (.percent, .percent): true
        case (.money(let u, _), .money(let v, _)): u == v
        default: self == other
        }
    }

    /// The type a result column gets when its values come from an expression of this type:
    /// a bare null becomes a decimal column of nulls.
    public var columnType: DataType { self == .null ? .decimal(scale: 0) : self }
}

// MARK: the schema file's names

extension DataType {
    /// The type names a schema file may use.
    public static let schemaNames = ["int", "decimal", "float", "percent", "money", "text", "category", "date", "timestamp", "bool"]

    /// The type a schema name stands for (`unit` for money), or nil for an unknown name.
    /// Aliases are accepted (`integer`, `float`, `string`, `boolean`).
    public init?(schemaName name: String, unit: MoneyUnit?, ordered: Bool) {
        switch name.lowercased() {
        case "int", "integer": self = .int
        case "decimal", "number": self = .decimal(scale: 0)
        case "float", "double": self = .float
        case "percent": self = .percent(scale: 0)
        case "text", "string": self = .text
        case "category": self = .category(ordered: ordered)
        case "date": self = .date
        case "timestamp", "datetime": self = .timestamp
        case "bool", "boolean": self = .bool(chinese: false)
        case "money":
            guard let unit else { return nil }
            self = .money(unit, scale: 0)
        default: return nil
        }
    }

    /// The type as schema.toml writes it, for messages about declarations: `money(万元)`.
    public var schemaDescription: String {
        switch self {
        case .money(let u, _): "money(\(u.rawValue))"
        default: description
        }
    }

    /// What a CSV cell of the type looks like, for "'x' is not …" messages.
    public var cellDescription: String {
        switch self {
        case .int: DataMessage.anInteger()
        case .decimal, .float, .null: DataMessage.aNumber()
        case .percent: DataMessage.aPercentage()
        case .money(let u, _): DataMessage.anAmount(u.rawValue)
        case .date: DataMessage.aDate()
        case .timestamp: DataMessage.aTimestamp()
        case .bool: DataMessage.aBool()
        case .text, .category: DataMessage.someText()
        }
    }
}

// MARK: persisted codes

extension DataType {
    /// The snapshot's codes for the type: a type code and a unit code (0 for types without a
    /// unit); the scale is written beside them. Written to files, so a code is never
    /// renumbered; a new type takes a new code.
    public var persistedCode: (type: UInt8, unit: UInt8) {
        switch self {
        case .int: (0, 0)
        case .decimal, .null: (1, 0)
        case .money(let u, _): (2, u == .yuan ? 0 : u == .wan ? 1 : 2)
        case .text: (3, 0)
        case .category: (4, 0)
        case .date: (5, 0)
        case .bool(let chinese): (6, chinese ? 1 : 0)
        case .timestamp: (7, 0)
        case .percent: (8, 0)
        case .float: (9, 0)
        }
    }

    public init?(persistedType type: UInt8, unit: UInt8, scale: Int, ordered: Bool) {
        switch (type, unit) {
        case (0, 0): self = .int
        case (1, 0): self = .decimal(scale: scale)
        case (2, 0): self = .money(.yuan, scale: scale)
        case (2, 1): self = .money(.wan, scale: scale)
        case (2, 2): self = .money(.yi, scale: scale)
        case (3, 0): self = .text
        case (4, 0): self = .category(ordered: ordered)
        case (5, 0): self = .date
        case (6, 0): self = .bool(chinese: false)
        case (6, 1): self = .bool(chinese: true)
        case (7, 0): self = .timestamp
        case (8, 0): self = .percent(scale: scale)
        case (9, 0): self = .float
        default: return nil
        }
    }
}
