/// How a column's values are laid out in memory. Every case is contiguous typed buffers;
/// kernels switch on this once per batch, never per row.
public enum ColumnData: @unchecked Sendable {
    /// int, timestamp, and the units of decimal, money and percent (scaled by the type's scale).
    case int64(TypedBuffer<Int64>)
    /// float: binary doubles.
    case float64(TypedBuffer<Double>)
    /// date: days since 1970-01-01.
    case int32(TypedBuffer<Int32>)
    /// bool: 0 or 1 a byte.
    case uint8(TypedBuffer<UInt8>)
    /// Dictionary codes in the narrowest width that holds the dictionary.
    case codes8(TypedBuffer<UInt8>, StringDictionary)
    case codes16(TypedBuffer<UInt16>, StringDictionary)
    case codes32(TypedBuffer<UInt32>, StringDictionary)
    /// Mostly-unique text.
    case strings(StringHeap)

    public var dictionary: StringDictionary? {
        switch self {
        case .codes8(_, let d), .codes16(_, let d), .codes32(_, let d): d
        default: nil
        }
    }

    /// The dictionary code of row i of a dictionary-encoded column.
    @inlinable public func code(at i: Int) -> Int {
        switch self {
        case .codes8(let c, _): Int(c[i])
        case .codes16(let c, _): Int(c[i])
        case .codes32(let c, _): Int(c[i])
        default: preconditionFailure("not a dictionary-encoded column")
        }
    }
}

/// A named column of `count` values with a validity bitmap. Immutable once built.
public final class Column: @unchecked Sendable {
    public let name: String
    public let type: DataType
    public let count: Int
    public let validity: Bitmap
    public let nullCount: Int
    public let data: ColumnData
    /// The markers (`NA`, `-` …) read as null when the column was loaded, with their counts.
    public internal(set) var nullMarkers: [NullMarkerCount] = []
    /// Cells with more digits after the point than the schema's `scale = N`, rounded to it.
    public internal(set) var roundedCells = 0

    public init(name: String, type: DataType, validity: Bitmap, data: ColumnData, nullCount: Int? = nil) {
        precondition(validity.count == Column.length(of: data), "validity and data lengths differ")
        precondition(Column.fits(data, type), "a \(type) column cannot be laid out as \(data)")
        self.name = name
        self.type = type
        self.count = validity.count
        self.validity = validity
        self.data = data
        self.nullCount = nullCount ?? validity.nullCount()
    }

    static func length(of data: ColumnData) -> Int {
        switch data {
        case .int64(let b): b.count
        case .float64(let b): b.count
        case .int32(let b): b.count
        case .uint8(let b): b.count
        case .codes8(let b, _): b.count
        case .codes16(let b, _): b.count
        case .codes32(let b, _): b.count
        case .strings(let h): h.count
        }
    }

    /// Whether `data` is a layout of `type`: the one place where the two meet.
    static func fits(_ data: ColumnData, _ type: DataType) -> Bool {
        switch (type.layout, data) {
        case (.int64, .int64), (.float64, .float64), (.int32, .int32), (.uint8, .uint8): return true
        case (.text, .codes8), (.text, .codes16), (.text, .codes32), (.text, .strings): return true
        case (.codes, .codes8(_, let d)), (.codes, .codes16(_, let d)), (.codes, .codes32(_, let d)):
            return type == .category(ordered: d.isOrdered)
        default: return false
        }
    }

    /// A copy under another name, sharing the buffers.
    public func renamed(_ newName: String) -> Column {
        Column(name: newName, type: type, validity: validity, data: data, nullCount: nullCount)
    }

    public var dictionary: StringDictionary? { data.dictionary }

    /// Per-block minimum and maximum of a number or date column, computed on first use and
    /// kept (queries run on one thread at a time, so the lazy first computation does not race).
    public lazy var zoneMap: ZoneMap? = ZoneMap.of(self)

    /// For a string-heap column, the first eight bytes' range in each block; made and kept like
    /// `zoneMap`.
    public lazy var textZoneMap: TextZoneMap? = TextZoneMap.of(self)

    /// The number of distinct non-null values (dictionary size for encoded columns).
    public func distinctCount() -> Int {
        switch data {
        case .codes8, .codes16, .codes32:
            var seen = [Bool](repeating: false, count: dictionary!.count)
            var n = 0
            for i in 0..<count where validity.isValid(i) {
                let c = data.code(at: i)
                if !seen[c] { seen[c] = true; n += 1 }
            }
            return n
        default:
            var set = Set<Value>()
            for i in 0..<count where validity.isValid(i) { set.insert(value(at: i)) }
            return set.count
        }
    }

    /// Row i as a `Value`; for rendering, tests and small results, never inside kernels.
    public func value(at i: Int) -> Value {
        guard validity.isValid(i) else { return .null }
        switch data {
        case .int64(let b):
            if type != .int, let s = type.scale { return .decimal(FixedDecimal(units: b[i], scale: s)) }
            return type == .timestamp ? .timestamp(b[i]) : .int(b[i])
        case .float64(let b): return .float(b[i])
        case .int32(let b): return .date(b[i])
        case .uint8(let b): return .bool(b[i] != 0)
        case .codes8(let c, let d): return .text(d.value(Int(c[i])))
        case .codes16(let c, let d): return .text(d.value(Int(c[i])))
        case .codes32(let c, let d): return .text(d.value(Int(c[i])))
        case .strings(let h): return .text(h.string(at: i))
        }
    }
}
