/// Guesses a column's type from a sample of its cells, where the schema is silent. The most
/// specific type that every non-empty cell fits wins: bool, int, decimal, date, else text.
/// Text stays text here; the loader decides category or heap from the distinct count. Cells
/// that are null markers are left out: the schema's, or the built-in ones, which count only if
/// the column is not text (`markers`).
struct TypeInference {
    private var canBool = true
    private var canInt = true
    private var canDecimal = true
    private var canDate = true
    private var canTimestamp = true
    /// The most digits after the point of a decimal cell so far.
    private var fractionDigits = 0
    /// Every number so far was written with a percent sign.
    private var allPercent = true
    private var values = 0

    mutating func observe(_ p: UnsafePointer<UInt8>, _ n: Int, markers: NullMarkers) {
        guard n > 0, markers.index(of: p, n) == nil else { return }
        values += 1
        if canBool, CellParsers.parseBool(p, n) == nil { canBool = false }
        if canInt || canDecimal {
            if CellParsers.parseInt(p, n) != nil {
                allPercent = false
            } else if CellParsers.parseDouble(p, n) != nil {
                canInt = false
                allPercent = false
                fractionDigits = Swift.max(fractionDigits, FixedDecimal.parse(p, n)?.scale ?? Int.max)
            } else if let f = FormattedNumber.parse(p, n) {
                if f.integer == nil { canInt = false }   // 1,234 stays an integer; 12.5% does not
                if !f.percent { allPercent = false }
                fractionDigits = Swift.max(fractionDigits, f.exact?.scale ?? Int.max)
            } else {
                canInt = false
                canDecimal = false
            }
        }
        if canDate, CivilDate.parse(p, n) == nil { canDate = false }
        if canTimestamp, Timestamp.parse(p, n) == nil { canTimestamp = false }
    }

    var type: DataType {
        if values == 0 { return .text }
        if canBool { return .bool(chinese: false) }
        if canInt { return .int }
        if canDecimal {
            // More digits than money or a ledger's figures carry: a binary float printed out.
            if fractionDigits > FixedDecimal.maxScale { return .float }
            if allPercent && !canInt { return .percent(scale: fractionDigits) }
            return .decimal(scale: fractionDigits)
        }
        if canDate { return .date }
        // Dates and timestamps together are timestamps (a date alone is its midnight).
        if canTimestamp { return .timestamp }
        return .text
    }

    /// Infers every column from the first `limit` records of a tokenized block; `named`: each
    /// column's markers from the schema, or nil for the built-in ones. Returns the types and the
    /// markers each column reads as null.
    static func infer(base: UnsafePointer<UInt8>, index: FieldIndex, limit: Int,
                      named: [NullMarkers?]) -> [(type: DataType, markers: NullMarkers)] {
        var scratch: [UInt8] = []
        let builtIn = NullMarkers(NullMarkers.builtIn)
        return (0..<index.columns).map { c in
            let markers = named[c] ?? builtIn
            var inference = TypeInference()
            for r in 0..<Swift.min(limit, index.rows) {
                let k = r * index.columns + c
                let s = Int(index.starts[k])
                let rawEnd = index.ends[k]
                let e = Int(rawEnd & ~FieldIndex.escapedFlag)
                if rawEnd & FieldIndex.escapedFlag != 0 {
                    scratch = unescape(base + s, e - s)
                    scratch.withUnsafeBufferPointer { inference.observe($0.baseAddress ?? emptyBytes, $0.count, markers: markers) }
                } else {
                    inference.observe(base + s, e - s, markers: markers)
                }
            }
            let type = inference.type
            // The built-in markers are text in a text column.
            return (type, named[c] != nil || type != .text ? markers : .none)
        }
    }
}

/// Undoes doubled quotes in a quoted field's bytes.
func unescape(_ p: UnsafePointer<UInt8>, _ n: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(n + 8)
    var i = 0
    while i < n {
        out.append(p[i])
        i += p[i] == CSVTokenizer.quote ? 2 : 1
    }
    out.append(contentsOf: [UInt8](repeating: 0, count: 8))   // slack for word reads
    out.removeLast(8)
    return out
}
