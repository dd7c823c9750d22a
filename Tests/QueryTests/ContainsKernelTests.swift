import Testing
import CKernels

/// `projq_contains_rows`, the loop behind `where TEXT contains "…"`, against a plain search of
/// each selected row: random heaps over a small alphabet (so needles match often, inside rows,
/// across two rows and at 64-byte step boundaries), empty strings, and selections that are
/// contiguous, with gaps, and sparse.
@Suite("contains over a string heap")
struct ContainsKernelTests {
    static let alphabet: [[UInt8]] = [Array("a".utf8), Array("b".utf8), Array("机".utf8), Array("械".utf8), Array("号".utf8)]

    @Test("the span search keeps exactly the selected rows whose string holds the needle", arguments: UInt64(1)...UInt64(40))
    func agreesWithPlainSearch(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let count = Int(rng.next() % 3000) + 1
        var bytes: [UInt8] = []
        var offsets: [UInt32] = [0]
        for _ in 0..<count {
            let pieces = rng.next() % 5 == 0 ? 0 : Int(rng.next() % 12)
            for _ in 0..<pieces { bytes += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }
            offsets.append(UInt32(bytes.count))
        }
        for _ in 0..<8 {
            var needle: [UInt8] = []
            for _ in 0..<(Int(rng.next() % 4) + 1) { needle += Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))] }
            // Every row, rows with gaps, or a sparse few.
            let keep = [1, 2, 37][Int(rng.next() % 3)]
            let start = Int(rng.next() % UInt64(count))
            let selected = (start..<count).filter { _ in keep == 1 || rng.next() % UInt64(keep) == 0 }.map { Int32($0) }
            guard !selected.isEmpty else { continue }
            let expected = selected.filter { r in
                let s = bytes[Int(offsets[Int(r)])..<Int(offsets[Int(r) + 1])]
                return s.count >= needle.count && (0...(s.count - needle.count)).contains { Array(s.dropFirst($0).prefix(needle.count)) == needle }
            }
            var p1 = 0, p2 = 0
            if needle.count >= 2 { projq_find_positions(needle, needle.count, &p1, &p2) }
            var rows = selected
            let kept = rows.withUnsafeMutableBufferPointer { r in
                projq_contains_rows(bytes, offsets, r.baseAddress!, r.count, needle, needle.count, p1, p2)
            }
            #expect(Array(rows.prefix(kept)) == expected, "seed \(seed), needle \(String(decoding: needle, as: UTF8.self)), keep 1 in \(keep)")
        }
    }
}
