import Storage

/// One sort key over a relation's positions (0 ..< count, in the relation's order): a column
/// read where it is (through the selection) or an expression computed once into a column, read
/// as order words — inverted for a descending key, so a radix sort or a heap always wants the
/// smaller word — and, for text without a dictionary, the bytes that settle ties of the words.
struct SortKeyColumn {
    let column: Column
    let reader: KeyReader
    let descending: Bool
    /// Row of position p (the selection), or nil when positions are rows.
    let rows: [Int32]?
    /// Floats that are all whole numbers of tenths (hundredths, …) are ordered by those
    /// integers: their words vary in three or four bytes instead of eight, so a radix sort makes
    /// half the passes. Fixed for the whole sort, so that every word compares with every other.
    /// (Exact decimals are integers of units already.)
    private var scale: Double? = nil

    init(_ key: BoundSortKey, _ input: Relation, _ cancel: CancellationFlag) throws(Stopped) {
        descending = key.descending
        if case .column(let c, _) = key.bound {
            column = input.columns[c]
            rows = input.selection
        } else {
            // An expression is computed once, for every position.
            let evaluator = Evaluator(columns: input.columns)
            var builder = VectorColumnBuilder(name: "key", type: key.bound.type)
            try forEachBatch(input, cancel) { rows, _ in builder.append(evaluator.evaluate(key.bound, rows)) }
            try Stopped.check(evaluator.trap)
            column = builder.finish()
            rows = nil
        }
        reader = KeyReader(.column(0, column.type), columns: [column], forOrder: true)
        scale = decimalScale(input.count)
    }

    /// Whether the words can tie for different values (text compared by its first eight bytes).
    var needsTieBreak: Bool { reader.isBytes }

    @inline(__always) func row(_ p: Int) -> Int { rows.map { Int($0[p]) } ?? p }

    @inline(__always) func isNull(_ p: Int) -> Bool {
        column.nullCount > 0 && !column.validity.isValid(row(p))
    }

    /// The order word of position p: smaller sorts first (inverted when descending).
    @inline(__always) func word(_ p: Int) -> UInt64? {
        reader.word(row(p)).map { descending ? ~$0 : $0 }
    }

    /// For text in a string heap: bytes 8..<16 of position p's value as an order word (inverted
    /// when descending), the second half of what a text zone map keeps per row.
    func secondWord(_ p: Int) -> UInt64 {
        guard case .strings(let heap) = column.data else { return 0 }
        let w = TextZoneMap.secondPrefix(heap.bytes(at: row(p)))
        return descending ? ~w : w
    }

    /// Fills the words of `perm[0..<n]` (nulls get 0 and are flagged); returns whether any is
    /// null. Read a batch at a time through the key reader's typed loops.
    func orderWords(_ perm: UnsafePointer<UInt32>, _ n: Int, into words: UnsafeMutablePointer<UInt64>,
                    nulls: UnsafeMutablePointer<UInt8>) -> Bool {
        var anyNull = false
        var batch = KeyBatch()
        let rowsBuffer = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        defer {
            batch.release()
            rowsBuffer.deallocate()
        }
        let invert: UInt64 = descending ? ~0 : 0
        var start = 0
        while start < n {
            let m = Swift.min(Execution.batchSize, n - start)
            if let rows {
                rows.withUnsafeBufferPointer { r in for i in 0..<m { rowsBuffer[i] = r[Int(perm[start + i])] } }
            } else {
                for i in 0..<m { rowsBuffer[i] = Int32(bitPattern: perm[start + i]) }
            }
            reader.read(rowsBuffer, m, into: &batch)
            let w = words + start, z = nulls + start
            if let scale, case .float64(let b) = column.data {
                let p = b.pointer
                for i in 0..<m {
                    let k = batch.valid[i] != 0 ? Int64((p[Int(rowsBuffer[i])] * scale).rounded()) : 0
                    w[i] = (UInt64(bitPattern: k) ^ KeyWord.signBit) ^ invert
                }
            } else if reader.isBytes {
                for i in 0..<m { w[i] = KeyWord.prefix(batch.bytes(i)) ^ invert }
            } else {
                for i in 0..<m { w[i] = batch.words[i] ^ invert }
            }
            if batch.allValid {
                z.update(repeating: 0, count: m)
            } else {
                anyNull = true
                for i in 0..<m { z[i] = 1 &- batch.valid[i] }
            }
            start += m
        }
        return anyNull
    }

    /// The power of ten p ≤ 10^4 such that the value v of each of the `n` positions of a decimal
    /// column is exactly the double nearest to k / p for an integer k (so k orders as v does),
    /// or nil.
    private func decimalScale(_ n: Int) -> Double? {
        guard case .float64(let b) = column.data else { return nil }
        let p = b.pointer
        let hasNulls = column.nullCount > 0
        let words = column.validity.words.pointer
        var scale = 1.0
        for position in 0..<n {
            let r = row(position)
            if hasNulls, (words[r >> 6] >> UInt64(r & 63)) & 1 == 0 { continue }
            let v = p[r]
            while true {
                let k = (v * scale).rounded()
                if Swift.abs(k) < 9e15, k / scale == v { break }
                scale *= 10
                if scale > 1e4 { return nil }
            }
        }
        return scale
    }

    /// Three-way comparison of positions a and b by this key: nulls last, then the values.
    @inline(__always) func compare(_ a: Int, _ b: Int) -> Int {
        if needsTieBreak {
            // Text: the bytes themselves.
            let s = reader.bytes(row(a)), t = reader.bytes(row(b))
            guard let s, let t else { return s == nil ? (t == nil ? 0 : 1) : -1 }
            let c = compareBytes(s, t)
            return descending ? -c : c
        }
        let x = word(a), y = word(b)
        guard let x, let y else { return x == nil ? (y == nil ? 0 : 1) : -1 }
        if x != y { return x < y ? -1 : 1 }
        guard needsTieBreak, let s = reader.bytes(row(a)), let t = reader.bytes(row(b)) else { return 0 }
        let c = compareBytes(s, t)
        return descending ? -c : c
    }

    /// Three-way comparison by every key in turn.
    static func compare(_ keys: [SortKeyColumn], _ a: Int, _ b: Int) -> Int {
        for k in keys {
            let c = k.compare(a, b)
            if c != 0 { return c }
        }
        return 0
    }

    /// After sorting by words: orders each run of equal words by the full text (stable), eight
    /// bytes deeper at a time — a radix sort of each run by its strings' next eight bytes, then
    /// of each run of that, until the strings end — with a comparison sort for small runs.
    func settleTies(_ perm: inout [UInt32], _ words: [UInt64], _ cancel: CancellationFlag) throws(Stopped) {
        var start = 0
        let n = perm.count
        while start < n {
            var end = start + 1
            while end < n, words[end] == words[start] { end += 1 }
            if end - start > 1 {
                if end - start > 4096 { try cancel.check() }
                refine(&perm, start, end, depth: 1)
            }
            start = end
        }
    }

    /// A stable comparison sort of `perm[lo..<hi]` by the full key.
    private func comparisonSort(_ perm: inout [UInt32], _ lo: Int, _ hi: Int) {
        if hi - lo <= 32 {
            for i in (lo + 1)..<hi {
                let x = perm[i]
                var j = i - 1
                while j >= lo, compare(Int(perm[j]), Int(x)) > 0 {
                    perm[j + 1] = perm[j]
                    j -= 1
                }
                perm[j + 1] = x
            }
            return
        }
        var run = Array(perm[lo..<hi].enumerated())
        run.sort { a, b in
            let c = compare(Int(a.element), Int(b.element))
            return c != 0 ? c < 0 : a.offset < b.offset
        }
        perm.replaceSubrange(lo..<hi, with: run.map(\.element))
    }

    /// Orders positions `perm[lo..<hi]`, whose strings agree on their first `depth` × 8 bytes.
    private func refine(_ perm: inout [UInt32], _ lo: Int, _ hi: Int, depth: Int) {
        if hi - lo <= 32 {
            comparisonSort(&perm, lo, hi)
            return
        }
        let invert: UInt64 = descending ? ~0 : 0
        let offset = depth * 8
        var words = [UInt64](repeating: 0, count: hi - lo)
        var longer = [Bool](repeating: false, count: hi - lo)
        for i in lo..<hi {
            let b = reader.bytes(row(Int(perm[i]))) ?? UnsafeBufferPointer(start: emptyBytes, count: 0)
            let rest = b.count > offset ? UnsafeBufferPointer(rebasing: b[offset...]) : UnsafeBufferPointer(start: emptyBytes, count: 0)
            words[i - lo] = KeyWord.prefix(rest) ^ invert
            longer[i - lo] = b.count > offset + 8
        }
        var slice = Array(perm[lo..<hi])
        var flags = (0..<UInt32(hi - lo)).map { $0 }
        // Sort the run's words, carrying each one's place in the run (to find its flags).
        var sortedWords = words
        RadixSort.sort(&sortedWords, &flags)
        slice = flags.map { slice[Int($0)] }
        let stillLonger = flags.map { longer[Int($0)] }
        perm.replaceSubrange(lo..<hi, with: slice)
        var start = 0
        let m = hi - lo
        while start < m {
            var end = start + 1
            while end < m, sortedWords[end] == sortedWords[start] { end += 1 }
            if end - start > 1 {
                if stillLonger[start..<end].contains(true) {
                    refine(&perm, lo + start, lo + end, depth: depth + 1)
                } else {
                    // The strings end here: equal, or differing only in trailing zero bytes.
                    comparisonSort(&perm, lo + start, lo + end)
                }
            }
            start = end
        }
    }
}
