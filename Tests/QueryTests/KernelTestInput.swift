/// Random inputs shared by the C kernel tests (date parts, counting by day, sums by group),
/// drawn in a fixed order from the test's generator.
enum KernelTestInput {
    /// `count` days: mostly inside `first ..< first + span`, some far outside it both ways, and
    /// the extremes (a kernel clamps them to the range's ends).
    static func days(_ rng: inout SplitMix, count: Int, first: Int32, span: Int) -> [Int32] {
        (0..<count).map { _ in
            switch rng.next() % 10 {
            case 0: return Int32.min
            case 1: return Int32.max
            case 2: return first &- Int32(rng.next() % 1000) &- 1
            case 3: return first &+ Int32(span) &+ Int32(rng.next() % 1000)
            default: return first &+ Int32(rng.next() % UInt64(span))
            }
        }
    }

    /// A validity bitmap of `count` rows: none null, every second about, or every seventh.
    struct Validity {
        let words: [UInt64]
        let hasNulls: Bool

        init(_ rng: inout SplitMix, count: Int) {
            let nullEvery = [0, 2, 7][Int(rng.next() % 3)]
            var words = [UInt64](repeating: 0, count: (count + 63) / 64)
            for r in 0..<count where nullEvery == 0 || rng.next() % UInt64(nullEvery) != 0 { words[r >> 6] |= 1 << UInt64(r & 63) }
            self.words = words
            hasNulls = nullEvery != 0
        }

        /// What a kernel is given: the words, or nil when no row is null.
        var argument: [UInt64]? { hasNulls ? words : nil }

        func isValid(_ r: Int) -> Bool { !hasNulls || (words[r >> 6] >> UInt64(r & 63)) & 1 == 1 }
    }
}
