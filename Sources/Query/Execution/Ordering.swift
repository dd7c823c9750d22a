import Storage

/// How one sort key orders its values: ordered categories by their declared order, other
/// text by code point, numbers and dates ascending; nulls last whichever the direction.
struct SortColumn {
    var values: [Value]
    /// For an ordered category: each row's code, which is its place in the order.
    var ranks: [Int32]?
    var descending: Bool

    func compare(_ a: Int, _ b: Int) -> Int {
        let x = values[a], y = values[b]
        if x == .null || y == .null {
            if x == .null && y == .null { return 0 }
            return x == .null ? 1 : -1   // nulls last, in both directions
        }
        var c: Int
        if let ranks { c = ranks[a] < ranks[b] ? -1 : (ranks[a] > ranks[b] ? 1 : 0) } else { c = compareValues(x, y) }
        if descending { c = -c }
        return c
    }
}

/// A stable order of `count` rows by the sort columns (ties keep their input order).
func stableOrder(_ count: Int, _ keys: [SortColumn]) -> [Int] {
    var order = Array(0..<count)
    order.sort { a, b in
        for k in keys {
            let c = k.compare(a, b)
            if c != 0 { return c < 0 }
        }
        return a < b
    }
    return order
}

/// The values of an expression over all the relation's rows, for sorting.
func sortColumn(_ input: Relation, _ key: Bound, descending: Bool, _ cancel: CancellationFlag) throws(Cancelled) -> SortColumn {
    let evaluator = Evaluator(columns: input.columns)
    var values: [Value] = []
    values.reserveCapacity(input.count)
    var ranks: [Int32]? = nil
    if case .category(ordered: true) = key.type { ranks = [] }
    try forEachBatch(input, cancel) { rows, _ in
        let v = evaluator.evaluate(key, rows)
        if case .codes(let codes, _) = v, ranks != nil { ranks!.append(contentsOf: codes) }
        for i in 0..<rows.count { values.append(v.value(i)) }
    }
    if let r = ranks, r.count != values.count { ranks = nil }
    return SortColumn(values: values, ranks: ranks, descending: descending)
}

/// `sort` and `top`: the relation's rows reordered (and cut to `limit`).
func runSort(_ input: Relation, _ keys: [(Bound, Bool)], limit: Int?, _ cancel: CancellationFlag) throws(Cancelled) -> Relation {
    var columns: [SortColumn] = []
    for (b, desc) in keys { columns.append(try sortColumn(input, b, descending: desc, cancel)) }
    var order = stableOrder(input.count, columns)
    if let limit, order.count > limit { order.removeLast(order.count - limit) }
    let rows = input.rows(batch: 0, count: input.count)
    var out = input
    out.selection = order.map { rows[$0] }
    return out
}
