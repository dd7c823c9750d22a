import TextSupport
import Storage

/// `total [by K]` as planned: the aggregation it follows, run again over the same rows with
/// fewer keys — by K alone for the subtotals, by nothing for the grand total — so that every
/// aggregate of a total row is computed from the rows (an average of the rows, not of the
/// groups' averages; a count of distinct values over the rows).
struct TotalPlan {
    /// The subtotal level (keys: the first key) when there are subtotals, then the grand total.
    var levels: [AggregatePlan]
    /// When every aggregate can be: how each total cell is made from the groups' results
    /// instead of from the rows again — counts and exact sums added (exactly, as over the rows),
    /// minimums and maximums of numbers and dates taken, an exact mean from its sum and count
    /// (`hidden` columns the aggregation also made). Nil: the aggregation runs again.
    var reductions: [Reduction]? = nil
    /// How many columns at the end of the aggregation's result are only for the reductions.
    var hidden = 0
    /// After `across`: each level's pivot (its rows turned as the result's were); the total
    /// rows' cells are then matched to the result's columns by name (a value a level lacks is 0
    /// for a count, else empty).
    var pivots: [Pivot]? = nil

    enum Reduction: Equatable {
        case add, minimum, maximum
        /// The mean of the rows: the columns of its sum and its count, and its digits.
        case mean(sum: Int, count: Int, scale: Int)
    }
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
    func run(_ aggregated: Relation, over input: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        var detail = aggregated.materialized()
        let reduced = reductions.flatMap { reduce(detail, $0) }
        detail.columns.removeLast(hidden)
        var tails: [[Value]] = Array(repeating: [], count: detail.columns.count)
        var roles = [RowRole](repeating: .detail, count: detail.rowCount)
        // Row number of the subtotal of each value of the first key.
        var subtotalRow: [Value: Int32] = [:]
        var added = detail.rowCount
        for (l, levelPlan) in levels.enumerated() {
            var level: Relation
            if let reduced { level = reduced[l] } else { level = try Aggregation(plan: levelPlan).run(input, cancel).materialized() }
            var keys = levelPlan.keys.count
            if let pivot = pivots?[l] {
                guard case .success(let turned) = try pivot.run(level, over: input, cancel) else { throw .memory(QueryMessage.totalsColumnsClash()) }
                level = turned.materialized()
                keys = pivot.rowKeys
                // The level's columns in the result's order, by name.
                let counts = pivot.aggregates.allSatisfy { $0.function == .count || $0.function == .countDistinct }
                let byName = Dictionary(level.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
                level.columns = detail.columns.enumerated().map { c, column in
                    if c < keys { return level.columns[c] }
                    if let i = byName[column.name], c >= keyCount { return level.columns[i] }
                    return valueColumn(named: column.name, type: c >= keyCount && counts ? .int : column.type, dictionary: column.dictionary,
                                       values: Array(repeating: c >= keyCount && counts ? .int(0) : .null, count: level.rowCount))
                }
            }
            let isSubtotal = subtotals && l == 0
            for r in 0..<level.rowCount {
                for c in detail.columns.indices {
                    let value: Value
                    if c < keys {
                        value = level.columns[c].value(at: r)
                    } else if c < keyCount {
                        value = c == keys && detail.columns[c].type.isTextual ? .text(isSubtotal ? subtotalLabel : label) : .null
                    } else {
                        // A turned level is laid out as the result; another has its aggregates
                        // right after its keys.
                        value = level.columns[pivots == nil ? keys + c - keyCount : c].value(at: r)
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

extension TotalPlan {
    /// Each level's rows (the subtotals by the first key, then the total), made from the groups'
    /// results; nil when a sum leaves 64 bits (the aggregation run again then reports it).
    func reduce(_ detail: Relation, _ reductions: [Reduction]) -> [Relation]? {
        let n = detail.rowCount
        let aggregates = detail.columns.count - hidden - keyCount
        var out: [Relation] = []
        for level in levels {
            let keys = level.keys.count
            // The groups of this level: runs of equal first key (the result is in key order).
            var runs: [Range<Int>] = []
            var start = 0
            for r in 0..<n where r + 1 == n || (keys > 0 && detail.columns[0].value(at: r + 1) != detail.columns[0].value(at: r)) {
                runs.append(start..<(r + 1))
                start = r + 1
            }
            if n == 0 { runs = keys > 0 ? [] : [0..<0] }
            var columns: [Column] = []
            for k in 0..<keys {
                let c = detail.columns[k]
                columns.append(valueColumn(named: c.name, type: c.type, dictionary: c.dictionary, values: runs.map { c.value(at: $0.lowerBound) }))
            }
            for a in 0..<aggregates {
                let c = detail.columns[keyCount + a]
                var values: [Value] = []
                for run in runs {
                    guard let v = TotalPlan.reduce(reductions[a], detail, keyCount + a, run) else { return nil }
                    values.append(v)
                }
                columns.append(valueColumn(named: c.name, type: c.type, dictionary: c.dictionary, values: values))
            }
            out.append(Relation(name: detail.name, columns: columns, rowCount: runs.count))
        }
        return out
    }

    /// One total cell from the groups `rows` of column `c`; nil when it leaves 64 bits.
    static func reduce(_ how: Reduction, _ detail: Relation, _ c: Int, _ rows: Range<Int>) -> Value? {
        let column = detail.columns[c]
        switch how {
        case .add:
            var total: Int128 = 0, any = false, scale = 0, isInt = true
            for r in rows {
                switch column.value(at: r) {
                case .int(let v): total += Int128(v); any = true
                case .decimal(let d): total += Int128(d.units); scale = d.scale; isInt = false; any = true
                default: break
                }
            }
            guard any else { return .null }
            guard let units = Int64(exactly: total) else { return nil }
            return isInt ? .int(units) : .decimal(FixedDecimal(units: units, scale: scale))
        case .minimum, .maximum:
            var best: Value = .null
            for r in rows {
                let v = column.value(at: r)
                guard v != .null else { continue }
                if best == .null || (how == .minimum ? TotalPlan.less(v, best) : TotalPlan.less(best, v)) { best = v }
            }
            return best
        case .mean(let sum, let count, let scale):
            guard case .int(let n)? = reduce(.add, detail, count, rows), n > 0 else { return .null }
            switch reduce(.add, detail, sum, rows) {
            case .int(let s)?: return .decimal(FixedDecimal(units: Int64(FixedDecimal.divideRounding(Int128(s) * Int128(FixedDecimal.powers[scale]), Int128(n))), scale: scale))
            case .decimal(let d)?:
                let q = FixedDecimal.divideRounding(Int128(d.units) * Int128(FixedDecimal.powers[scale - d.scale]), Int128(n))
                guard let units = Int64(exactly: q) else { return nil }
                return .decimal(FixedDecimal(units: units, scale: scale))
            case nil: return nil
            default: return .null
            }
        }
    }

    /// The order of two values of one numeric or date column.
    static func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)), (.timestamp(let x), .timestamp(let y)): return x < y
        case (.decimal(let x), .decimal(let y)):
            let s = Swift.max(x.scale, y.scale)
            return (x.rescaled(to: s)?.units ?? 0) < (y.rescaled(to: s)?.units ?? 0)
        case (.float(let x), .float(let y)): return x < y
        case (.date(let x), .date(let y)): return x < y
        default: return false
        }
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
