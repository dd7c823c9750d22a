import Testing
import CKernels

/// `projq_count_days`, the count of rows per day behind `count by month(d)` when the days are
/// few, against the rule it implements: each row adds one to its day's entry (clamped to the
/// range's ends) or, when null, to the entry after the last; the four copies add up to that.
/// Runs start at every bit of a validity word and end anywhere (the four-row step leaves tails
/// and crosses words); a null row's stored day may be anything.
@Suite("Counting rows by day")
struct DayCountsKernelTests {
    @Test("the four copies add up to each day's rows, clamped to the range; nulls in the entry after the last",
          arguments: UInt64(1)...UInt64(30))
    func agreesWithTheRule(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let count = Int(rng.next() % 700) + 1
        let first = Int32(truncatingIfNeeded: Int64(rng.next() % 40_000) - 20_000)
        let span = Int(rng.next() % 900) + 1
        let last = UInt32(span - 1)
        let days = KernelTestInput.days(&rng, count: count, first: first, span: span)
        let validity = KernelTestInput.Validity(&rng, count: count)
        for _ in 0..<6 {
            let r0 = Int(rng.next() % UInt64(count))
            let n = Int(rng.next() % UInt64(count - r0 + 1))
            // Room between the copies, which must stay as it was.
            let stride = span + 1 + Int(rng.next() % 3)
            var counts = [UInt32](repeating: 0, count: 4 * stride)
            days.withUnsafeBufferPointer { d in
                projq_count_days(d.baseAddress! + r0, n, validity.argument, r0, first, last, stride, &counts)
            }
            var expected = [UInt32](repeating: 0, count: span + 1)
            for r in r0..<(r0 + n) {
                if validity.isValid(r) {
                    expected[Int(Swift.min(UInt32(bitPattern: days[r] &- first), last))] += 1
                } else {
                    expected[span] += 1
                }
            }
            let summed = (0...span).map { e in (0..<4).reduce(UInt32(0)) { $0 + counts[$1 * stride + e] } }
            #expect(summed == expected, "seed \(seed), rows \(r0)..<\(r0 + n)")
            let untouched = (0..<4).allSatisfy { c in (span + 1..<stride).allSatisfy { counts[c * stride + $0] == 0 } }
            #expect(untouched, "wrote between the copies")
        }
    }
}
