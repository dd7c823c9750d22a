import Storage

/// The values of one expression over a batch of rows. Numbers, dates and booleans are flat
/// arrays with a validity array; dictionary columns stay as codes (−1 for null) so that
/// comparisons and grouping work on integers; other text is materialised.
enum Vector {
    case ints([Int64], [Bool])
    /// Exact decimals: units at a scale (the expression type's, at most 9 for a result; a
    /// constant converted between money units may carry up to 18).
    case decimals([Int64], [Bool], Int)
    case doubles([Double], [Bool])
    case dates([Int32], [Bool])
    /// 0 false, 1 true, 2 null (three-valued logic).
    case bools([UInt8])
    case codes([Int32], StringDictionary)
    case texts([String?])

    var count: Int {
        switch self {
        case .ints(let v, _): v.count
        case .decimals(let v, _, _): v.count
        case .doubles(let v, _): v.count
        case .dates(let v, _): v.count
        case .bools(let v): v.count
        case .codes(let v, _): v.count
        case .texts(let v): v.count
        }
    }

    func isNull(_ i: Int) -> Bool {
        switch self {
        case .ints(_, let ok), .decimals(_, let ok, _), .doubles(_, let ok), .dates(_, let ok): !ok[i]
        case .bools(let v): v[i] == 2
        case .codes(let c, _): c[i] < 0
        case .texts(let t): t[i] == nil
        }
    }

    /// Row i as a `Value` (for the generic paths: grouping on expressions, joins, output).
    func value(_ i: Int) -> Value {
        switch self {
        case .ints(let v, let ok): ok[i] ? .int(v[i]) : .null
        case .decimals(let v, let ok, let s): ok[i] ? .decimal(FixedDecimal(units: v[i], scale: s)) : .null
        case .doubles(let v, let ok): ok[i] ? .float(v[i]) : .null
        case .dates(let v, let ok): ok[i] ? .date(v[i]) : .null
        case .bools(let v): v[i] == 2 ? .null : .bool(v[i] == 1)
        case .codes(let c, let d): c[i] < 0 ? .null : .text(d.value(Int(c[i])))
        case .texts(let t): t[i].map { .text($0) } ?? .null
        }
    }

    /// The values as doubles (numbers only).
    func asDoubles() -> ([Double], [Bool])? {
        switch self {
        case .doubles(let v, let ok): (v, ok)
        case .ints(let v, let ok): (v.map { Double($0) }, ok)
        case .decimals(let v, let ok, let s): (v.map { FixedDecimal(units: $0, scale: s).doubleValue }, ok)
        default: nil
        }
    }

    /// The digits after the point of exact decimals, 0 for ints, nil for others.
    var scale: Int? {
        switch self {
        case .ints: 0
        case .decimals(_, _, let s): s
        default: nil
        }
    }

    /// The values as exact decimals (units and scale) for ints and decimals; nil for others.
    func asExact() -> ([Int64], [Bool], Int)? {
        switch self {
        case .ints(let v, let ok): (v, ok, 0)
        case .decimals(let v, let ok, let s): (v, ok, s)
        default: nil
        }
    }

    /// The values as text (text and codes).
    func asTexts() -> [String?]? {
        switch self {
        case .texts(let t): return t
        case .codes(let c, let d):
            var cache = [String?](repeating: nil, count: d.count)
            return c.map { code -> String? in
                guard code >= 0 else { return nil }
                if let s = cache[Int(code)] { return s }
                let s = d.value(Int(code))
                cache[Int(code)] = s
                return s
            }
        default: return nil
        }
    }

    static func constant(_ v: Value, count n: Int) -> Vector {
        switch v {
        case .null: .bools([UInt8](repeating: 2, count: n))
        case .int(let x): .ints([Int64](repeating: x, count: n), [Bool](repeating: true, count: n))
        case .decimal(let x): .decimals([Int64](repeating: x.units, count: n), [Bool](repeating: true, count: n), x.scale)
        case .float(let x): .doubles([Double](repeating: x, count: n), [Bool](repeating: true, count: n))
        case .date(let x): .dates([Int32](repeating: x, count: n), [Bool](repeating: true, count: n))
        case .timestamp(let x): .ints([Int64](repeating: x, count: n), [Bool](repeating: true, count: n))
        case .bool(let b): .bools([UInt8](repeating: b ? 1 : 0, count: n))
        case .text(let s): .texts([String?](repeating: s, count: n))
        }
    }
}

/// Orders text by Unicode code point (the UTF-8 bytes' order), not by Swift's String order.
@inline(__always) func codePointLess(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}

/// The three-way order of two values of one type: numbers numerically, text by code point,
/// dates by day, false before true. Nulls are not passed here.
func compareValues(_ a: Value, _ b: Value) -> Int {
    switch (a, b) {
    case (.int(let x), .int(let y)): return x < y ? -1 : (x > y ? 1 : 0)
    case (.int(let x), .decimal(let y)): return FixedDecimal(x) < y ? -1 : (FixedDecimal(x) > y ? 1 : 0)
    case (.decimal(let x), .int(let y)): return x < FixedDecimal(y) ? -1 : (x > FixedDecimal(y) ? 1 : 0)
    case (.decimal(let x), .decimal(let y)): return x < y ? -1 : (x > y ? 1 : 0)
    case (.float(let x), .float(let y)): return x < y ? -1 : (x > y ? 1 : 0)
    case (.float(let x), .int(let y)): return x < Double(y) ? -1 : (x > Double(y) ? 1 : 0)
    case (.int(let x), .float(let y)): return Double(x) < y ? -1 : (Double(x) > y ? 1 : 0)
    case (.float(let x), .decimal(let y)): return x < y.doubleValue ? -1 : (x > y.doubleValue ? 1 : 0)
    case (.decimal(let x), .float(let y)): return x.doubleValue < y ? -1 : (x.doubleValue > y ? 1 : 0)
    case (.date(let x), .date(let y)): return x < y ? -1 : (x > y ? 1 : 0)
    case (.bool(let x), .bool(let y)): return x == y ? 0 : (!x ? -1 : 1)
    case (.text(let x), .text(let y)): return x == y ? 0 : (codePointLess(x, y) ? -1 : 1)
    default: return 0
    }
}
