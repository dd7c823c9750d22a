/// A validity bitmap: bit i of word i/64 is set when row i holds a value (not null).
public struct Bitmap: @unchecked Sendable {
    public let words: TypedBuffer<UInt64>
    public let count: Int

    public init(words: TypedBuffer<UInt64>, count: Int) {
        precondition(words.count >= (count + 63) / 64)
        self.words = words
        self.count = count
    }

    @inlinable public func isValid(_ i: Int) -> Bool {
        (words.pointer[i >> 6] >> UInt64(i & 63)) & 1 == 1
    }

    /// A bitmap with every row valid.
    public static func allValid(count: Int) -> Bitmap {
        var b = BitmapBuilder(capacity: count)
        b.appendValid(count: count)
        return b.finish()
    }

    /// Number of rows that are null.
    public func nullCount() -> Int {
        var valid = 0
        let full = count / 64
        let p = words.pointer
        for w in 0..<full { valid += p[w].nonzeroBitCount }
        let rest = count & 63
        if rest > 0 { valid += (p[full] & ((1 << UInt64(rest)) - 1)).nonzeroBitCount }
        return count - valid
    }
}

/// Appends validity bits one row at a time.
public struct BitmapBuilder {
    private var words: GrowableBuffer<UInt64>
    private var current: UInt64 = 0
    public private(set) var count = 0
    public private(set) var nullCount = 0

    public init(capacity: Int = 0) {
        words = GrowableBuffer(capacity: (capacity + 63) / 64)
    }

    @inline(__always) public mutating func append(_ valid: Bool) {
        if valid { current |= 1 << UInt64(count & 63) } else { nullCount &+= 1 }
        count &+= 1
        if count & 63 == 0 {
            words.append(current)
            current = 0
        }
    }

    /// Appends n valid bits: a whole word at a time between the partial words at either end.
    public mutating func appendValid(count n: Int) {
        var n = n
        while n > 0, count & 63 != 0 {
            append(true)
            n -= 1
        }
        if n >= 64 { words.append(repeating: ~0, count: n / 64) }
        count &+= n / 64 * 64
        for _ in 0..<(n & 63) { append(true) }
    }

    public func isValid(_ i: Int) -> Bool {
        let w = i >> 6
        let word = w < words.count ? words[w] : current
        return (word >> UInt64(i & 63)) & 1 == 1
    }

    public mutating func finish() -> Bitmap {
        if count & 63 != 0 { words.append(current) }
        let n = count
        current = 0
        count = 0
        return Bitmap(words: words.finish(), count: n)
    }

    public mutating func release() { words.release() }
}
