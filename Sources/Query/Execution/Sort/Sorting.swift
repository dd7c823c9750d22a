import Storage

/// `sort K1 [desc], K2 …` and, with a limit, `sort … | limit N` and `top N by K`: a stable order
/// of the relation's rows by typed keys — numbers, dates and booleans by value, ordered
/// categories by their declared order, other text by code point — nulls last whichever the
/// direction, ties in input order.
///
/// A full sort orders each key's 64-bit order words with a least-significant-digit radix sort
/// (a pass per byte that varies; stable, so sorting by the last key first and the first key last
/// gives the order of all keys), places nulls after, and settles text that shares its first
/// eight bytes by comparing the rest. With a limit, a heap of the best N rows is kept instead.
struct Sorting {
    let keys: [BoundSortKey]
    let limit: Int?
    /// The test switch: a comparison sort instead of the radix sort.
    let general: Bool

    func run(_ input: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        let n = input.count
        // What the sort reads of a snapshot is checked before it is read: the columns an
        // expression key is computed from, then (a full sort) every key column; a top-N checks
        // the blocks it visits as it visits them.
        let computed = keys.filter { if case .column = $0.bound { false } else { true } }
        try verify(input, columns: computed.reduce(Set<Int>()) { $0.union($1.bound.columns) })
        let sortKeys = try keys.map { (k) throws(Stopped) in try SortKeyColumn(k, input, cancel) }
        var out = input
        let positions: [Int32]
        if let limit, limit < n {
            positions = try HeapTopN(keys: sortKeys, n: limit).run(count: n, zones: general ? nil : Sorting.zones(sortKeys[0], input), cancel)
        } else {
            try verify(input, columns: keys.reduce(Set<Int>()) { $0.union($1.bound.columns) })
            positions = general ? comparisonSort(sortKeys, n) : try radixSort(sortKeys, n, cancel)
        }
        out.selection = input.selection.map { s in positions.map { s[Int($0)] } } ?? positions
        return out
    }

    /// The first key's best order words (its first sixteen bytes) in each block of rows, when a
    /// top-N can skip blocks by them: a string-heap column read in row order (no selection),
    /// with its text zone map.
    static func zones(_ key: SortKeyColumn, _ input: Relation) -> [HeapTopN.Zone]? {
        guard input.selection == nil, key.column.count == input.rowCount, case .strings = key.column.data,
              let zones = key.column.textZoneMap else { return nil }
        let blocks = zones.mins.count / 2
        if key.descending { return (0..<blocks).map { let m = zones.maximum($0); return HeapTopN.Zone(first: ~m.0, second: ~m.1) } }
        return (0..<blocks).map { let m = zones.minimum($0); return HeapTopN.Zone(first: m.0, second: m.1) }
    }

    private func comparisonSort(_ keys: [SortKeyColumn], _ n: Int) -> [Int32] {
        var order = (0..<Int32(n)).map { $0 }
        order.sort { a, b in
            let c = SortKeyColumn.compare(keys, Int(a), Int(b))
            return c != 0 ? c < 0 : a < b
        }
        return order
    }

    private func radixSort(_ keys: [SortKeyColumn], _ n: Int, _ cancel: CancellationFlag) throws(Stopped) -> [Int32] {
        var perm = (0..<UInt32(n)).map { $0 }
        var words = [UInt64](repeating: 0, count: n)
        var nulls = [UInt8](repeating: 0, count: n)
        for key in keys.reversed() {
            try cancel.check()
            // The key's order word of each position, in the current order.
            var anyNull = false
            words.withUnsafeMutableBufferPointer { w in
                nulls.withUnsafeMutableBufferPointer { z in
                    perm.withUnsafeBufferPointer { p in
                        anyNull = key.orderWords(p.baseAddress!, n, into: w.baseAddress!, nulls: z.baseAddress!)
                    }
                }
            }
            var nullAt: [UInt8] = []
            if anyNull {
                nullAt = [UInt8](repeating: 0, count: n)
                for i in 0..<n { nullAt[Int(perm[i])] = nulls[i] }
            }
            RadixSort.sort(&words, &perm)
            if key.needsTieBreak { try key.settleTies(&perm, words, cancel) }
            if anyNull { stablePartitionNullsLast(&perm, nullAt) }
        }
        return perm.map { Int32(bitPattern: $0) }
    }

    /// Moves the positions whose key is null after the others, keeping both in order.
    private func stablePartitionNullsLast(_ perm: inout [UInt32], _ nullAt: [UInt8]) {
        var values: [UInt32] = []
        var nullPositions: [UInt32] = []
        values.reserveCapacity(perm.count)
        for p in perm {
            if nullAt[Int(p)] != 0 { nullPositions.append(p) } else { values.append(p) }
        }
        perm = values + nullPositions
    }
}

/// A least-significant-digit radix sort of 64-bit words carrying a payload: one pass per byte
/// that is not the same in every word, each a stable scatter. A large input is sorted by two
/// threads: each counts and scatters its half, the first half's words of a digit placed before
/// the second's, so the sort stays stable.
enum RadixSort {
    static func sort(_ words: inout [UInt64], _ payload: inout [UInt32]) {
        let n = words.count
        guard n > 1 else { return }
        let parts = Parallel.parts(rows: n)
        var otherWords = [UInt64](repeating: 0, count: n)
        var otherPayload = [UInt32](repeating: 0, count: n)
        // Which bytes vary: a histogram of every byte, once.
        let constant: [Bool] = words.withUnsafeBufferPointer { w in
            let histograms = Parallel.run(parts: parts) { (part) -> [Int] in
                var c = [Int](repeating: 0, count: 8 * 256)
                c.withUnsafeMutableBufferPointer { c in
                    for i in (n * part / parts)..<(n * (part + 1) / parts) {
                        let x = w[i]
                        for b in 0..<8 { c[b &* 256 &+ Int((x >> UInt64(b &* 8)) & 0xFF)] &+= 1 }
                    }
                }
                return c
            }
            return (0..<8).map { b in (0..<256).contains { v in histograms.reduce(0) { $0 + $1[b * 256 + v] } == n } }
        }
        for b in 0..<8 where !constant[b] {
            let shift = UInt64(b * 8)
            words.withUnsafeBufferPointer { w in
                payload.withUnsafeBufferPointer { p in
                    otherWords.withUnsafeMutableBufferPointer { ow in
                        otherPayload.withUnsafeMutableBufferPointer { op in
                            // Each part's count of each digit, then where its words of a digit start.
                            let counts = Parallel.run(parts: parts) { (part) -> [Int] in
                                var c = [Int](repeating: 0, count: 256)
                                for i in (n * part / parts)..<(n * (part + 1) / parts) { c[Int((w[i] >> shift) & 0xFF)] &+= 1 }
                                return c
                            }
                            var starts = [[Int]](repeating: [Int](repeating: 0, count: 256), count: parts)
                            var sum = 0
                            for d in 0..<256 {
                                for part in 0..<parts {
                                    starts[part][d] = sum
                                    sum += counts[part][d]
                                }
                            }
                            _ = Parallel.run(parts: parts) { (part) -> Int in
                                var next = starts[part]
                                next.withUnsafeMutableBufferPointer { nx in
                                    for i in (n * part / parts)..<(n * (part + 1) / parts) {
                                        let x = w[i]
                                        let d = Int((x >> shift) & 0xFF)
                                        let at = nx[d]
                                        ow[at] = x
                                        op[at] = p[i]
                                        nx[d] = at &+ 1
                                    }
                                }
                                return 0
                            }
                        }
                    }
                }
            }
            swap(&words, &otherWords)
            swap(&payload, &otherPayload)
        }
    }
}
