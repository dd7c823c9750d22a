import Testing
import CKernels

/// `projq_date_parts`, the share of `month(d)` (and year, quarter) in the group numbers of
/// consecutive rows, against the rule it implements, row by row: days inside, before and after
/// the table's range (clamped to its ends), nulls where the validity says so, runs that start at
/// every bit of a validity word and end anywhere (the eight-row step crosses words and leaves
/// tails), as the first key (written) and as a later one (times its stride, added).
@Suite("Date-part slots of consecutive rows")
struct DatePartsKernelTests {
    @Test("each row's part is its table entry + 1, clamped to the table, 0 when null; times the stride, added for a later key",
          arguments: UInt64(1)...UInt64(30))
    func agreesWithTheRule(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let count = Int(rng.next() % 700) + 1
        let first = Int32(truncatingIfNeeded: Int64(rng.next() % 40_000) - 20_000)
        let span = Int(rng.next() % 900) + 1
        // The table with its one entry of padding (read, never used).
        let table = (0..<span).map { _ in UInt16(rng.next() % 200) } + [UInt16(0xBEEF)]
        let last = UInt32(span - 1)
        let days = KernelTestInput.days(&rng, count: count, first: first, span: span)
        let validity = KernelTestInput.Validity(&rng, count: count)
        for _ in 0..<6 {
            let r0 = Int(rng.next() % UInt64(count))
            let n = Int(rng.next() % UInt64(count - r0 + 1))
            // The first key writes its part; a later one adds part × stride to what is there.
            let later = rng.next() % 2 == 0
            let stride = later ? Int32(rng.next() % 50) + 2 : 1
            let before: [Int32] = (0..<n).map { _ in later ? Int32(rng.next() % 1000) : -7 }
            var out = before + [-1]
            days.withUnsafeBufferPointer { d in
                projq_date_parts(d.baseAddress! + r0, n, validity.argument, r0, table, last, first, stride, later ? 1 : 0, &out)
            }
            let expected: [Int32] = (r0..<(r0 + n)).map { r in
                var part: Int32 = 0
                if validity.isValid(r) {
                    part = Int32(table[Int(Swift.min(UInt32(bitPattern: days[r] &- first), last))]) + 1
                }
                return part * stride + (later ? before[r - r0] : 0)
            }
            #expect(Array(out[0..<n]) == expected, "seed \(seed), rows \(r0)..<\(r0 + n), stride \(stride)")
            #expect(out[n] == -1, "wrote past the end")
        }
    }
}
