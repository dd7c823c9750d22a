import Storage

/// `where`: keeps the rows where the condition is true, as a selection over the same columns.
/// The condition runs as compiled kernels over each batch's selection; a large input is split
/// in two halves filtered on two threads, whose selections are joined in order.
func runFilter(_ input: Relation, _ predicate: Bound, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
    let kernel = FilterKernel.compile(predicate, input.columns)
    let n = input.count
    let parts = Parallel.parts(rows: n)
    let read = predicate.columns.sorted().map { input.columns[$0] }
    let kept = try Parallel.run(parts: parts) { (part) throws(Stopped) -> [Int32] in
        var kept = [Int32]()
        kept.reserveCapacity(n / parts + Execution.batchSize)
        try forEachBatch(input, batches: Parallel.batches(n, part: part, of: parts), cancel, checking: read) { rows, m, _ in
            let k = kernel.apply(rows, m)
            kept.append(contentsOf: UnsafeBufferPointer(start: rows, count: k))
        }
        return kept
    }
    if let overflow = kernel.overflow { throw .overflow(overflow) }
    var out = input
    out.selection = kept.count == 1 ? kept[0] : kept.flatMap { $0 }
    return out
}

/// `limit N`: the first N rows.
func runLimit(_ input: Relation, _ n: Int) -> Relation {
    var out = input
    out.selection = input.rows(batch: 0, count: min(n, input.count))
    return out
}

/// `select`: plain columns kept as they are (under the selection), expressions computed a
/// batch at a time straight into typed columns.
func runProject(_ relation: Relation, _ written: [BoundKey], _ cancel: CancellationFlag) throws(Stopped) -> Relation {
    // share, cumsum and row_number: computed over the rows first, then read as columns.
    let (input, items) = written.contains(where: { $0.bound.readsRows }) ? try RowFunctions.prepare(written, relation, cancel) : (relation, written)
    // Only plain columns: the same rows of them, nothing copied.
    if items.allSatisfy({ if case .column = $0.bound { true } else { false } }) {
        let columns = items.map { item -> Column in
            guard case .column(let c, _) = item.bound else { preconditionFailure() }
            return input.columns[c].renamed(item.name)
        }
        var out = Relation(name: input.name, columns: columns, rowCount: input.rowCount, selection: input.selection)
        out.roles = input.roles
        return out
    }
    let evaluator = Evaluator(columns: input.columns)
    var columns: [Column] = []
    for item in items {
        if case .column(let c, _) = item.bound {
            let column = input.columns[c]
            columns.append((input.selection.map { gather(column, $0) } ?? column).renamed(item.name))
            continue
        }
        var builder = VectorColumnBuilder(name: item.name, type: item.bound.type)
        try forEachBatch(input, cancel) { rows, _ in builder.append(evaluator.evaluate(item.bound, rows)) }
        try Stopped.check(evaluator.trap)
        columns.append(builder.finish())
    }
    var out = Relation(name: input.name, columns: columns, rowCount: input.count)
    out.roles = input.selection.map { input.roles(of: $0) } ?? input.roles
    return out
}
