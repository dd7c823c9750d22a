import Storage

/// `median X`: the (group, value) pairs of the rows that count, appended to two flat buffers.
/// At the end they are laid out group by group with a counting sort, and each group's median is
/// selected in its own stretch (a quickselect, linear on average, not a sort): the middle value,
/// or the mean of the two middle values.
final class MedianState: AggregateState {
    let aggregate: BoundAggregate
    let columns: [Column]
    let input: AggregateInput
    private var groupOf = GrowableBuffer<Int32>()
    private var values = GrowableBuffer<Double>()
    private var groups = 0

    init(_ a: BoundAggregate, columns: [Column]) {
        aggregate = a
        self.columns = columns
        input = AggregateInput(a, columns: columns)
    }

    deinit {
        groupOf.release()
        values.release()
    }

    func makeEmpty() -> AggregateState { MedianState(aggregate, columns: columns) }
    func reserve(_ groups: Int) { self.groups = Swift.max(self.groups, groups) }

    func update(_ rows: UnsafePointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int) {
        let weights = input.prepare(rows, n)
        let v = input.values(rows, n, Double.self)
        groupOf.reserveMore(n)
        values.reserveMore(n)
        for i in 0..<n where (weights?[i] ?? 1) != 0 {
            groupOf.appendUnchecked(groups[i])
            values.appendUnchecked(v[i])
        }
    }

    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int) {
        let o = other as! MedianState
        groupOf.reserveMore(o.groupOf.count)
        values.reserveMore(o.values.count)
        for k in 0..<o.groupOf.count {
            groupOf.appendUnchecked(mapping[Int(o.groupOf[k])])
            values.appendUnchecked(o.values[k])
        }
    }

    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column {
        // Counting sort by group: where each group's stretch starts, then the values placed.
        var starts = [Int](repeating: 0, count: groups + 1)
        for k in 0..<groupOf.count { starts[Int(groupOf[k]) + 1] += 1 }
        for g in 0..<groups { starts[g + 1] += starts[g] }
        var placed = [Double](repeating: 0, count: values.count)
        var next = starts
        for k in 0..<groupOf.count {
            let g = Int(groupOf[k])
            placed[next[g]] = values[k]
            next[g] += 1
        }
        return placed.withUnsafeMutableBufferPointer { p in
            ResultColumn.float64(aggregate.name, aggregate.type, order.count) { i in
                let g = Int(order[i])
                let lo = starts[g], hi = starts[g + 1]
                guard hi > lo else { return (0, false) }
                let mid = lo + (hi - lo) / 2
                if (hi - lo) % 2 == 1 {
                    MedianState.select(p.baseAddress!, lo, hi, mid)
                    return (p[mid], true)
                }
                // The lower middle, then the least of the values above it.
                MedianState.select(p.baseAddress!, lo, hi, mid - 1)
                var upper = p[mid]
                for j in (mid + 1)..<hi where p[j] < upper { upper = p[j] }
                return ((p[mid - 1] + upper) / 2, true)
            }
        }
    }

    /// Puts the value that would be at `k` in sorted order at `k`, the values before it no
    /// greater and those after no smaller (Hoare's selection, median of three pivots).
    static func select(_ a: UnsafeMutablePointer<Double>, _ lo: Int, _ hi: Int, _ k: Int) {
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
