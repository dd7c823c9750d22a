import Storage

/// `median X`: the (group, value) pairs of the rows that count, appended to two flat buffers,
/// each value as its order word (`KeyWord`: exact units or a double, compared as unsigned).
/// At the end they are laid out group by group with a counting sort, and each group's median is
/// selected in its own stretch (a quickselect, linear on average, not a sort): the middle value,
/// or the mean of the two middle values (exact for exact numbers: the result has one more digit
/// after the point than the values). Another thread's pairs are not copied in a merge but
/// kept beside these with their group mapping: the counting sort places both threads' pairs at
/// once, a thread each, and the groups' selections are shared between two threads too.
final class MedianState: AggregateState {
    let aggregate: BoundAggregate
    let columns: [Column]
    let input: AggregateInput
    private var groupOf = GrowableBuffer<Int32>()
    private var values = GrowableBuffer<UInt64>()
    /// Exact units (else doubles).
    private let exact: Bool
    private var groups = 0
    /// States merged into this one, with the group here of each of their groups.
    private var merged: [(state: MedianState, mapping: [Int32])] = []

    init(_ a: BoundAggregate, columns: [Column]) {
        aggregate = a
        self.columns = columns
        input = AggregateInput(a, columns: columns)
        exact = a.argument.map { $0.type.isExact || $0.type == .null } ?? true
    }

    deinit {
        groupOf.release()
        values.release()
    }

    func makeEmpty() -> AggregateState { MedianState(aggregate, columns: columns) }
    var arithmeticOverflow: Diagnostic? { input.overflow }
    func reserve(_ groups: Int) { self.groups = Swift.max(self.groups, groups) }

    func update(_ rows: UnsafePointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int) {
        let weights = input.prepare(rows, n)
        groupOf.reserveMore(n)
        values.reserveMore(n)
        if exact {
            let v = input.values(rows, n, Int64.self)
            for i in 0..<n where (weights?[i] ?? 1) != 0 {
                groupOf.appendUnchecked(groups[i])
                values.appendUnchecked(UInt64(bitPattern: v[i]) ^ KeyWord.signBit)
            }
        } else {
            let v = input.values(rows, n, Double.self)
            for i in 0..<n where (weights?[i] ?? 1) != 0 {
                groupOf.appendUnchecked(groups[i])
                values.appendUnchecked(KeyWord.of(v[i]))
            }
        }
    }

    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int) {
        let o = other as! MedianState
        let mine = Array(UnsafeBufferPointer(start: mapping, count: count))
        // What the other had merged maps through its mapping, then this one.
        for (state, theirs) in o.merged { merged.append((state, theirs.map { $0 < count ? mine[Int($0)] : $0 })) }
        merged.append((o, mine))
    }

    /// Each piece's pairs: its groups (mapped to this state's) and values.
    private var pieces: [(groupOf: UnsafeMutableBufferPointer<Int32>, values: UnsafeMutableBufferPointer<UInt64>, mapping: [Int32]?)] {
        [(groupOf.elements, values.elements, nil)] + merged.map { ($0.state.groupOf.elements, $0.state.values.elements, $0.mapping) }
    }

    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column {
        let pieces = self.pieces, groups = self.groups
        let total = pieces.reduce(0) { $0 + $1.values.count }
        // Counting sort by group: each piece's count of each group (a thread per piece), where
        // each group's stretch starts and each piece's part of it, then the values placed.
        let histograms = Parallel.run(parts: pieces.count) { (p) -> [Int] in
            var h = [Int](repeating: 0, count: groups)
            let piece = pieces[p]
            for k in 0..<piece.groupOf.count {
                let g = Int(piece.groupOf[k])
                h[piece.mapping.map { Int($0[g]) } ?? g] += 1
            }
            return h
        }
        var starts = [Int](repeating: 0, count: groups + 1)
        var pieceStarts = [[Int]](repeating: [Int](repeating: 0, count: groups), count: pieces.count)
        var at = 0
        for g in 0..<groups {
            starts[g] = at
            for p in pieces.indices {
                pieceStarts[p][g] = at
                at += histograms[p][g]
            }
        }
        starts[groups] = at
        let placed = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(total, 1))
        defer { placed.deallocate() }
        _ = Parallel.run(parts: pieces.count) { (p) -> Int in
            var next = pieceStarts[p]
            let piece = pieces[p]
            for k in 0..<piece.groupOf.count {
                let g0 = Int(piece.groupOf[k])
                let g = piece.mapping.map { Int($0[g0]) } ?? g0
                placed[next[g]] = piece.values[k]
                next[g] += 1
            }
            return 0
        }
        // Each group's median, the groups shared between two threads by their values.
        // The middle word, and the upper middle one of an even count (else the same).
        let medians = UnsafeMutablePointer<(UInt64, UInt64)>.allocate(capacity: Swift.max(order.count, 1))
        let found = UnsafeMutablePointer<Bool>.allocate(capacity: Swift.max(order.count, 1))
        defer {
            medians.deallocate()
            found.deallocate()
        }
        var split = 0, seen = 0
        while split < order.count, seen < total / 2 {
            let g = Int(order[split])
            seen += starts[g + 1] - starts[g]
            split += 1
        }
        let ranges = [0..<split, split..<order.count]
        _ = Parallel.run(parts: total >= Execution.parallelRows ? 2 : 1) { (part) -> Int in
            for i in (total >= Execution.parallelRows ? ranges[part] : 0..<order.count) {
                let g = Int(order[i])
                (medians[i], found[i]) = MedianState.median(placed, starts[g], starts[g + 1])
            }
            return 0
        }
        guard exact, let target = aggregate.type.scale else {
            return ResultColumn.float64(aggregate.name, order.count) {
                let (a, b) = medians[$0]
                return ((KeyWord.double(a) + KeyWord.double(b)) / 2, found[$0])
            }
        }
        // (a + b) / 2 at one more digit than the values: (a + b) × 5, exact (rounded only where
        // the values already have the most digits a number keeps).
        let widen = Int128(FixedDecimal.powers[target - (aggregate.argument?.type.scale ?? 0)])
        return ResultColumn.units(aggregate.name, aggregate.type, order.count) {
            guard found[$0] else { return (0, false) }
            let (a, b) = medians[$0]
            let sum = Int128(KeyWord.int64(a)) + Int128(KeyWord.int64(b))
            // Beyond 64 bits only for values within a tenth of the units' limit.
            let median = Int64(exactly: FixedDecimal.divideRounding(sum * widen, 2))
            return (median ?? 0, median != nil)
        }
    }

    /// The middle words of `a[lo..<hi]` (reordering it) — the same word twice for an odd
    /// count — and whether there are any.
    private static func median(_ p: UnsafeMutablePointer<UInt64>, _ lo: Int, _ hi: Int) -> ((UInt64, UInt64), Bool) {
        guard hi > lo else { return ((0, 0), false) }
        let mid = lo + (hi - lo) / 2
        if (hi - lo) % 2 == 1 {
            select(p, lo, hi, mid)
            return ((p[mid], p[mid]), true)
        }
        // The lower middle, then the least of the values above it.
        select(p, lo, hi, mid - 1)
        var upper = p[mid]
        for j in (mid + 1)..<hi where p[j] < upper { upper = p[j] }
        return ((p[mid - 1], upper), true)
    }

    /// Puts the value that would be at `k` in sorted order at `k`, the values before it no
    /// greater and those after no smaller (Hoare's selection, median of three pivots).
    static func select(_ a: UnsafeMutablePointer<UInt64>, _ lo: Int, _ hi: Int, _ k: Int) {
        @inline(__always) func swap(_ x: Int, _ y: Int) {
            let t = a[x]
            a[x] = a[y]
            a[y] = t
        }
        var lo = lo, hi = hi - 1
        while hi > lo {
            let m = lo + (hi - lo) / 2
            // Median of three as the pivot.
            if a[m] < a[lo] { swap(m, lo) }
            if a[hi] < a[lo] { swap(hi, lo) }
            if a[hi] < a[m] { swap(hi, m) }
            let pivot = a[m]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j {
                    swap(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}
