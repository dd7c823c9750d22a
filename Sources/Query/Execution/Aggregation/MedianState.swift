import Storage

/// `median X`: the (group, value) pairs of the rows that count, appended to two flat buffers.
/// At the end they are laid out group by group with a counting sort, and each group's median is
/// read from its own stretch: the middle value, or the mean of the two middle values.
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
        return ResultColumn.float64(aggregate.name, aggregate.type, order.count) { i in
            let g = Int(order[i])
            let lo = starts[g], hi = starts[g + 1]
            guard hi > lo else { return (0, false) }
            placed[lo..<hi].sort()
            let mid = lo + (hi - lo) / 2
            return ((hi - lo) % 2 == 1 ? placed[mid] : (placed[mid - 1] + placed[mid]) / 2, true)
        }
    }
}
