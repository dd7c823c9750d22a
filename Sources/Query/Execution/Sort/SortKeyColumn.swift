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
            column = builder.finish()
            rows = nil
        }
        reader = KeyReader(.column(0, column.type), columns: [column], forOrder: true)
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

    /// Fills the words of `perm[0..<n]` (nulls get 0 and are flagged); returns whether any is null.
    func orderWords(_ perm: UnsafePointer<UInt32>, _ n: Int, into words: UnsafeMutablePointer<UInt64>,
                    nulls: UnsafeMutablePointer<UInt8>) -> Bool {
        var anyNull = false
        for i in 0..<n {
            if let w = word(Int(perm[i])) {
                words[i] = w
                nulls[i] = 0
            } else {
                words[i] = 0
                nulls[i] = 1
                anyNull = true
            }
        }
        return anyNull
    }

    /// Three-way comparison of positions a and b by this key: nulls last, then the values.
    @inline(__always) func compare(_ a: Int, _ b: Int) -> Int {
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

    /// After sorting by words: orders each run of equal words by the full text (stable).
    func settleTies(_ perm: inout [UInt32], _ words: [UInt64], _ cancel: CancellationFlag) throws(Stopped) {
        var start = 0
        let n = perm.count
        while start < n {
            var end = start + 1
            while end < n, words[end] == words[start] { end += 1 }
            if end - start > 1 {
                if (end - start) > 4096 { try cancel.check() }
                // Equal text keeps the run's order (the order of the keys after this one).
                var run = Array(perm[start..<end].enumerated())
                run.sort { a, b in
                    let c = compare(Int(a.element), Int(b.element))
                    return c != 0 ? c < 0 : a.offset < b.offset
                }
                perm.replaceSubrange(start..<end, with: run.map(\.element))
            }
            start = end
        }
    }
}
