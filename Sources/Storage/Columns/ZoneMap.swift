/// The smallest and largest value of each block of `blockSize` rows of a number or date column
/// (nulls left out; an all-null block has min +∞, max −∞). A filter or a top-N can skip a block
/// whose range cannot hold an answer.
public struct ZoneMap: Sendable {
    public static let blockSize = 2048
    public let mins: [Double]
    public let maxs: [Double]
    public let min: Double
    public let max: Double

    public init(mins: [Double], maxs: [Double]) {
        self.mins = mins
        self.maxs = maxs
        min = mins.min() ?? .infinity
        max = maxs.max() ?? -.infinity
    }

    /// Whether a column has zone maps (numbers and dates stored by value).
    public static func applies(to column: Column) -> Bool {
        switch column.data {
        case .float64, .int64, .int32: true
        default: false
        }
    }

    /// Computes the zone map of a number or date column; nil for other types.
    public static func of(_ column: Column) -> ZoneMap? {
        switch column.data {
        case .float64(let b): return build(column, b.pointer) { $0 }
        case .int64(let b): return build(column, b.pointer) { Double($0) }
        case .int32(let b): return build(column, b.pointer) { Double($0) }
        default: return nil
        }
    }

    private static func build<T>(_ column: Column, _ p: UnsafePointer<T>, _ toDouble: (T) -> Double) -> ZoneMap {
        let n = column.count
        let blocks = (n + blockSize - 1) / blockSize
        var mins = [Double](repeating: .infinity, count: blocks)
        var maxs = [Double](repeating: -.infinity, count: blocks)
        let hasNulls = column.nullCount > 0
        for b in 0..<blocks {
            var lo = Double.infinity, hi = -Double.infinity
            let end = Swift.min(n, (b + 1) * blockSize)
            for r in (b * blockSize)..<end where !hasNulls || column.validity.isValid(r) {
                let v = toDouble(p[r])
                lo = Swift.min(lo, v)
                hi = Swift.max(hi, v)
            }
            // Int64 beyond 2^53 rounds in a Double: widen so the range still holds the value.
            mins[b] = lo.nextDown
            maxs[b] = hi.nextUp
        }
        return ZoneMap(mins: mins, maxs: maxs)
    }
}
