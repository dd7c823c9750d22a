/// The smallest and largest first sixteen bytes (as two big-endian words, zero-padded: the
/// order of the text, ties aside) of each block of `ZoneMap.blockSize` rows of a mostly-unique
/// text column (nulls left out; an all-null block has minimum all ones and maximum zero).
/// `sort name | limit 20` reads the blocks whose least prefix is smallest first and skips the
/// blocks whose prefixes cannot beat the twentieth row so far — nearly all of them — instead of
/// reading every name. Sixteen bytes, not eight: names that begin with the same place (three
/// Chinese characters are nine bytes) would otherwise tie in every block.
public struct TextZoneMap: Sendable, Equatable {
    /// Two words per block: block b's first eight bytes at 2b, the next eight at 2b + 1.
    public let mins: [UInt64]
    public let maxs: [UInt64]

    public init(mins: [UInt64], maxs: [UInt64]) {
        self.mins = mins
        self.maxs = maxs
    }

    /// Block b's smallest and largest prefix.
    public func minimum(_ b: Int) -> (UInt64, UInt64) { (mins[2 * b], mins[2 * b + 1]) }
    public func maximum(_ b: Int) -> (UInt64, UInt64) { (maxs[2 * b], maxs[2 * b + 1]) }

    /// Bytes 8..<16 of a string as a word in the string's order (zero-padded).
    @inlinable public static func secondPrefix(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        b.count > 8 ? prefix(UnsafeBufferPointer(rebasing: b[8...])) : 0
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
        var mins = [UInt64](repeating: .max, count: 2 * blocks)
        var maxs = [UInt64](repeating: 0, count: 2 * blocks)
        let hasNulls = column.nullCount > 0
        for b in 0..<blocks {
            var lo = (UInt64.max, UInt64.max), hi: (UInt64, UInt64) = (0, 0)
            for r in (b * ZoneMap.blockSize)..<Swift.min(n, (b + 1) * ZoneMap.blockSize) where !hasNulls || column.validity.isValid(r) {
                let bytes = heap.bytes(at: r)
                let w = prefix(bytes)
                // The second word only where the first ties (most rows differ in the first).
                if w < lo.0 || (w == lo.0 && secondPrefix(bytes) < lo.1) { lo = (w, secondPrefix(bytes)) }
                if w > hi.0 || (w == hi.0 && secondPrefix(bytes) > hi.1) { hi = (w, secondPrefix(bytes)) }
            }
            (mins[2 * b], mins[2 * b + 1]) = lo
            (maxs[2 * b], maxs[2 * b + 1]) = hi
        }
        return TextZoneMap(mins: mins, maxs: maxs)
    }
}
