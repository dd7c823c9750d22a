import Testing
import CKernels

/// `projq_date_parts`, the slots of `by month(d)` (and year, quarter) for consecutive rows,
/// against the rule it implements, row by row: days inside, before and after the table's range
/// (clamped to its ends), nulls where the validity says so, and runs that start at every bit
/// of a validity word and end anywhere (the eight-row step crosses words and leaves tails).
@Suite("Date-part slots of consecutive rows")
struct DatePartsKernelTests {
    @Test("each row's slot is its table entry + 1, clamped to the table, 0 when null", arguments: UInt64(1)...UInt64(30))
    func agreesWithTheRule(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let count = Int(rng.next() % 700) + 1
        let first = Int32(truncatingIfNeeded: Int64(rng.next() % 40_000) - 20_000)
        let span = Int(rng.next() % 900) + 1
        // The table with its one entry of padding (read, never used).
        let table = (0..<span).map { _ in UInt16(rng.next() % 200) } + [UInt16(0xBEEF)]
        let last = UInt32(span - 1)
        // Mostly inside the range, some far outside it both ways, and the extremes.
        let days: [Int32] = (0..<count).map { _ in
            switch rng.next() % 10 {
            case 0: return Int32.min
            case 1: return Int32.max
            case 2: return first &- Int32(rng.next() % 1000) &- 1
            case 3: return first &+ Int32(span) &+ Int32(rng.next() % 1000)
            default: return first &+ Int32(rng.next() % UInt64(span))
            }
        }
        let nullEvery = [0, 2, 7][Int(rng.next() % 3)]
        var words = [UInt64](repeating: 0, count: (count + 63) / 64)
        for r in 0..<count where nullEvery == 0 || rng.next() % UInt64(nullEvery) != 0 { words[r >> 6] |= 1 << UInt64(r & 63) }
        for _ in 0..<6 {
            let r0 = Int(rng.next() % UInt64(count))
            let n = Int(rng.next() % UInt64(count - r0 + 1))
            var out = [Int32](repeating: -1, count: n + 1)
            days.withUnsafeBufferPointer { d in
                projq_date_parts(d.baseAddress! + r0, n, nullEvery == 0 ? nil : words, r0, table, last, first, &out)
            }
            let expected: [Int32] = (r0..<(r0 + n)).map { r in
                if nullEvery != 0, (words[r >> 6] >> UInt64(r & 63)) & 1 == 0 { return 0 }
                let offset = UInt32(bitPattern: days[r] &- first)
                return Int32(table[Int(Swift.min(offset, last))]) + 1
            }
            #expect(Array(out[0..<n]) == expected, "seed \(seed), rows \(r0)..<\(r0 + n)")
            #expect(out[n] == -1, "wrote past the end")
        }
    }
}
