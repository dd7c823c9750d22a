/// The smallest and largest first eight bytes (big-endian, zero-padded: the order of the text,
/// ties aside) of each block of `ZoneMap.blockSize` rows of a mostly-unique text column (nulls
/// left out; an all-null block has minimum all ones and maximum zero). `sort name | limit 20`
/// reads the blocks whose least prefix is smallest first and skips the blocks whose prefixes
/// cannot beat the twentieth row so far — nearly all of them — instead of reading every name.
public struct TextZoneMap: Sendable, Equatable {
    public let mins: [UInt64]
    public let maxs: [UInt64]

    public init(mins: [UInt64], maxs: [UInt64]) {
        self.mins = mins
        self.maxs = maxs
    }

    /// The first eight bytes of a string as a word in the string's order (big-endian, a short
    /// string padded with zeros).
    @inlinable public static func prefix(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = b.baseAddress else { return 0 }
        if b.count >= 8 { return UInt64(bigEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt64.self)) }
        var w: UInt64 = 0
        withUnsafeMutableBytes(of: &w) { $0.copyMemory(from: UnsafeRawBufferPointer(b)) }
        return UInt64(bigEndian: w)
    }

    /// The text zone map of a string-heap column; nil for other columns.
    public static func of(_ column: Column) -> TextZoneMap? {
        guard case .strings(let heap) = column.data else { return nil }
        let n = column.count
        let blocks = (n + ZoneMap.blockSize - 1) / ZoneMap.blockSize
        var mins = [UInt64](repeating: .max, count: blocks)
        var maxs = [UInt64](repeating: 0, count: blocks)
        let hasNulls = column.nullCount > 0
        for b in 0..<blocks {
            var lo = UInt64.max, hi: UInt64 = 0
            for r in (b * ZoneMap.blockSize)..<Swift.min(n, (b + 1) * ZoneMap.blockSize) where !hasNulls || column.validity.isValid(r) {
                let w = prefix(heap.bytes(at: r))
                lo = Swift.min(lo, w)
                hi = Swift.max(hi, w)
            }
            mins[b] = lo
            maxs[b] = hi
        }
        return TextZoneMap(mins: mins, maxs: maxs)
    }
}
