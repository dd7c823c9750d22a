import Storage

/// `total [by K]` as planned: the aggregation it follows, run again over the same rows with
/// fewer keys — by K alone for the subtotals, by nothing for the grand total — so that every
/// aggregate of a total row is computed from the rows (an average of the rows, not of the
/// groups' averages; a count of distinct values over the rows).
struct TotalPlan {
    /// The subtotal level (keys: the first key) when there are subtotals, then the grand total.
    var levels: [AggregatePlan]
    var subtotals: Bool
    /// How many key columns the aggregation's result starts with.
    var keyCount: Int
    var label: String
    var subtotalLabel: String
    /// The dictionaries of the labelled key columns, as bound (`BoundTotal.labelled`).
    var labelled: [Int: StringDictionary]

    /// The detail rows (the aggregation's result, in key order) with a subtotal row after each
    /// group of the first key and the total row last. The added rows are laid out after the
    /// detail rows and placed by the selection; their roles say what they are.
    func run(_ detail: Relation, over input: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        let detail = detail.materialized()
        var tails: [[Value]] = Array(repeating: [], count: detail.columns.count)
        var roles = [RowRole](repeating: .detail, count: detail.rowCount)
        // Row number of the subtotal of each value of the first key.
        var subtotalRow: [Value: Int32] = [:]
        var added = detail.rowCount
        for (l, levelPlan) in levels.enumerated() {
            let level = try Aggregation(plan: levelPlan).run(input, cancel).materialized()
            let keys = levelPlan.keys.count
            let isSubtotal = subtotals && l == 0
            for r in 0..<level.rowCount {
                for c in detail.columns.indices {
                    let value: Value
                    if c < keys {
                        value = level.columns[c].value(at: r)
                    } else if c < keyCount {
                        value = c == keys && detail.columns[c].type.isTextual ? .text(isSubtotal ? subtotalLabel : label) : .null
                    } else {
                        value = level.columns[keys + c - keyCount].value(at: r)
                    }
                    tails[c].append(value)
                }
                if isSubtotal { subtotalRow[level.columns[0].value(at: r)] = Int32(added) }
                roles.append(isSubtotal ? .subtotal : .total)
                added += 1
            }
        }
        // The order: each detail row, a subtotal after the last row of its group, the total.
        var order: [Int32] = []
        order.reserveCapacity(added)
        let first = detail.columns.first
        for r in 0..<detail.rowCount {
            order.append(Int32(r))
            guard subtotals, let first else { continue }
            let value = first.value(at: r)
            if r + 1 == detail.rowCount || first.value(at: r + 1) != value, let s = subtotalRow[value] { order.append(s) }
        }
        for r in (detail.rowCount..<added) where roles[r] == .total { order.append(Int32(r)) }
        let columns = detail.columns.indices.map { c in appending(detail.columns[c], tails[c], dictionary: labelled[c]) }
        var out = Relation(name: detail.name, columns: columns, rowCount: added,
                           selection: order)
        out.roles = roles
        return out
    }
}

extension Sorting {
    /// `sort` and `top` after `total`: the rows are sorted within each stretch that a total row
    /// ends, and each total row stays after its stretch (a subtotal after its group's rows, the
    /// total last); `top N` (and `sort … | limit N`) keeps the first N rows of each stretch.
    func runKeepingTotals(_ input: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        let rows = input.selection ?? (0..<Int32(input.rowCount)).map { $0 }
        // A stretch number a row: detail rows of stretch s are 2s, the total row ending it 2s + 1.
        var stretch = GrowableBuffer<Int64>(capacity: input.rowCount)
        stretch.append(repeating: 0, count: input.rowCount)
        var s: Int64 = 0
        for r in rows {
            if input.role(Int(r)) == .detail {
                stretch[Int(r)] = 2 * s
            } else {
                stretch[Int(r)] = 2 * s + 1
                s += 1
            }
        }
        var extended = input
        extended.columns.append(Column(name: "stretch*", type: .int, validity: .allValid(count: input.rowCount), data: .int64(stretch.finish())))
        let key = BoundSortKey(bound: .column(input.columns.count, .int), descending: false)
        var sorted = try Sorting(keys: [key] + keys, limit: nil, general: general).run(extended, cancel)
        if let limit, let order = sorted.selection {
            let column = extended.columns[input.columns.count]
            var kept: [Int32] = []
            var current: Int = -1, taken = 0
            for r in order {
                let st = column.value(at: Int(r))
                guard case .int(let v) = st else { continue }
                if v % 2 == 1 { kept.append(r); continue }
                if Int(v) != current { current = Int(v); taken = 0 }
                if taken < limit { kept.append(r); taken += 1 }
            }
            sorted.selection = kept
        }
        sorted.columns.removeLast()
        return sorted
    }
}
