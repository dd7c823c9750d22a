import Storage

/// Turns bound clauses into physical steps by these rules (`.explain` shows which applied):
///
/// 1. A `where` just before an aggregation runs inside it, narrowing each batch before
///    grouping; just before `top` on a stored number column, inside the top-N scan.
/// 2. An aggregation numbers its groups densely (a computed slot, no hashing) when every key
///    has a small domain — a dictionary's codes, a boolean, the year/quarter/month of a date, an
///    integer or date column whose zone map spans under 2^20 values — and the slots multiply to
///    at most 2^20; otherwise by a hash table. Grouped by one date part over at most 2^14 days,
///    with plain counts only, rows are counted by day and the days added into their periods.
/// 3. `top N by K` on a stored number or date column reads the zone map's best blocks first and
///    skips blocks that cannot beat the N-th row; any other `top`, and `sort … | limit N`, keep a
///    heap of the N best rows; `sort` alone is a stable radix sort of order words.
/// 4. `across` is an aggregation by the keys and the across column, then a pivot.
/// 5. A join matches one text key with dictionaries on both sides through a table of the left
///    dictionary's codes, one integer key whose right values span a short range through an array
///    indexed by value, anything else through a hash table of the right side's keys; it copies
///    only the columns later clauses read.
///
/// 6. A top-N right after an aggregation: the aggregation hands on only its best N groups.
///
/// `general` (the test switch) turns off every special path: hash grouping, heap top-N,
/// comparison sort, hash joins — so the golden files can check the general paths too.
struct Planner {
    let general: Bool
    let source: String

    /// A clause to plan: bound, as written, and the columns it reads.
    struct Item {
        var bound: BoundClause
        var clause: Clause
        var input: Schema
    }

    func text(_ r: SourceRange) -> String {
        let bytes = Array(source.utf8)
        let raw = String(decoding: bytes[r.start..<min(r.end, bytes.count)], as: UTF8.self)
        return raw.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    func plan(_ items: [Item]) -> [PlanStep] {
        let needed = neededColumns(items)
        var steps: [PlanStep] = []
        /// Set after a hashed aggregation whose groups were left in the order they were found
        /// (a sort or top-N comes next): its keys, to break that step's ties as key order would.
        var tieKeys: [BoundSortKey] = []
        /// Whether the clause at `index` is followed (past any `where`) by a sort or a top.
        func sortFollows(_ index: Int) -> Bool {
            var j = index + 1
            while j < items.count, case .filter = items[j].bound { j += 1 }
            guard j < items.count else { return false }
            switch items[j].bound {
            case .sort, .top: return true
            default: return false
            }
        }
        var i = 0
        while i < items.count {
            let item = items[i]
            let next = i + 1 < items.count ? items[i + 1] : nil
            // Each step is placed at its clause (a limit it meets while it runs is shown there).
            let placed = steps.count
            defer {
                for s in placed..<steps.count where steps[s].range == SourceRange(0, 0) { steps[s].range = item.clause.range }
            }
            switch item.bound {
            case .filter(let p):
                if let next, case .aggregate(let a) = next.bound, a.across == nil {
                    steps.append(aggregate(a, next, prefilter: (p, item.clause.range), sortFollows: sortFollows(i + 1), tieKeys: &tieKeys))
                    i += 2
                    continue
                }
                if let next, case .top(let n, let key) = next.bound, let column = zoneMapColumn(key, next.input) {
                    steps.append(zoneMapTopN(n, key, column, next, prefilter: (p, item.clause.range)))
                    i += 2
                    continue
                }
                steps.append(PlanStep(op: .filter(p), name: "filter", clause: text(item.clause.range),
                                      path: "compiled kernels over each batch, two threads on large inputs",
                                      why: "keeps the rows where the condition holds, as a selection of row numbers"))
            case .aggregate(let a):
                if a.across == nil {
                    steps.append(aggregate(a, item, prefilter: nil, sortFollows: sortFollows(i), tieKeys: &tieKeys))
                } else {
                    var byAll = a
                    byAll.keys.append(a.across!)
                    byAll.across = nil
                    var none: [BoundSortKey] = []
                    steps.append(aggregate(byAll, item, prefilter: nil, sortFollows: false, tieKeys: &none))
                    var pivot = Pivot(rowKeys: a.keys.count, aggregates: a.aggregates)
                    if a.acrossTotal {
                        var byRow = a
                        byRow.across = nil
                        if case .aggregate(let plan) = aggregate(byRow, item, prefilter: nil, sortFollows: false, tieKeys: &none).op { pivot.total = plan }
                    }
                    steps.append(PlanStep(op: .pivot(pivot, range: item.clause.range),
                                          name: "pivot", clause: "across \(a.across!.name)",
                                          path: "typed gathers of each aggregate into one column per \(a.across!.name) value",
                                          why: "across turns the values of \(a.across!.name) into columns"))
                }
            case .sort(var keys):
                keys += tieKeys
                tieKeys = []
                if let next, case .limit(let n) = next.bound {
                    steps.append(PlanStep(op: .topN(TopNPlan(keys: keys, n: n, prefilter: nil, strategy: .heap)), name: "top-n",
                                          clause: text(item.clause.range) + " | " + text(next.clause.range),
                                          path: "heap of \(n)", why: "sort followed by limit: only the first \(n) rows are kept, so no full sort"))
                    i += 2
                    continue
                }
                steps.append(PlanStep(op: .sort(Sorting(keys: keys, limit: nil, general: general)), name: "sort", clause: text(item.clause.range),
                                      path: general ? "comparison sort" : "radix sort of order words",
                                      why: general ? "the general path was asked for" : "stable; a pass per key byte that varies, text ties settled by comparison",
                                      range: item.clause.range))
            case .top(let n, let key) where !tieKeys.isEmpty:
                // After groups left unordered: a heap, the group keys breaking ties.
                steps.append(PlanStep(op: .topN(TopNPlan(keys: [key] + tieKeys, n: n, prefilter: nil, strategy: .heap)), name: "top-n",
                                      clause: text(item.clause.range), path: "heap of \(n)",
                                      why: "the groups before it were not ordered; their keys break ties"))
                tieKeys = []
            case .top(let n, let key):
                if let column = zoneMapColumn(key, item.input) {
                    steps.append(zoneMapTopN(n, key, column, item, prefilter: nil))
                } else {
                    steps.append(PlanStep(op: .topN(TopNPlan(keys: [key], n: n, prefilter: nil, strategy: .heap)), name: "top-n",
                                          clause: text(item.clause.range), path: "heap of \(n)",
                                          why: general ? "the general path was asked for" : "the key is not a stored number or date column"))
                }
            case .limit(let n):
                steps.append(PlanStep(op: .limit(n), name: "limit", clause: text(item.clause.range), path: "first \(n) rows",
                                      why: "keeps the first rows of the selection"))
            case .select(let items):
                steps.append(PlanStep(op: .project(items), name: "select", clause: text(item.clause.range),
                                      path: "plain columns kept as they are; expressions computed a batch at a time",
                                      why: "select names the result's columns"))
            case .join(let j):
                steps.append(join(j, item, needed: needed[i]))
            case .total(let t):
                // The aggregation it follows, again with fewer keys (and the where run inside it).
                var prefilter: (Bound, SourceRange)? = nil
                if case .aggregate(let p)? = steps.last?.op, let f = p.prefilter { prefilter = (f, SourceRange(0, 0)) }
                let aggregated = Item(bound: .aggregate(t.aggregation), clause: t.aggregationClause, input: t.aggregationInput)
                var none: [BoundSortKey] = []
                var levels: [AggregatePlan] = []
                var pivots: [Pivot] = []
                for keys in (t.subtotals ? [1, 0] : [0]) {
                    var a = t.aggregation
                    a.keys = Array(a.keys.prefix(keys))
                    if let across = a.across {
                        // After across: the level aggregated by its keys and the across column,
                        // then turned like the rows (its total column too).
                        var pivot = Pivot(rowKeys: keys, aggregates: a.aggregates)
                        if a.acrossTotal {
                            var byRow = a
                            byRow.across = nil
                            if case .aggregate(let plan) = aggregate(byRow, aggregated, prefilter: nil, sortFollows: false, tieKeys: &none).op { pivot.total = plan }
                        }
                        pivots.append(pivot)
                        a.keys.append(across)
                        a.across = nil
                    }
                    if case .aggregate(let plan) = aggregate(a, aggregated, prefilter: prefilter, sortFollows: false, tieKeys: &none).op {
                        levels.append(plan)
                    }
                }
                var plan = TotalPlan(levels: levels, subtotals: t.subtotals, keyCount: t.aggregation.keys.count,
                                     label: t.label, subtotalLabel: t.subtotalLabel, labelled: t.labelled)
                plan.pivots = pivots.isEmpty ? nil : pivots
                let what = t.subtotals ? "by \(t.aggregation.keys[0].name), then of all rows" : "of all rows"
                var path = "the aggregation again \(what)"
                var why = "a median or a distinct count is computed from the rows, not from the groups' results"
                if !general, t.aggregation.across == nil, case .aggregate(var detail)? = steps.last?.op, let reductions = reductions(t.aggregation, &detail) {
                    // Counts and exact sums add up; a mean is its rows' sum over their count.
                    plan.reductions = reductions
                    plan.hidden = detail.aggregates.count - t.aggregation.aggregates.count
                    steps[steps.count - 1].op = .aggregate(detail)
                    path = "from the groups' results \(what)"
                    why = "counts and exact sums add up, minimums and maximums are of the groups', a mean is the rows' sum over their count: the same as over the rows, without reading them again"
                }
                steps.append(PlanStep(op: .total(plan), name: "total", clause: text(item.clause.range), path: path, why: why))
            case .changes(let c):
                steps.append(PlanStep(op: .changes(ChangesPlan(bound: c)), name: "changes", clause: text(item.clause.range),
                                      path: "the rows of \(c.earlier.name) by key, each row here looked up",
                                      why: "rows are paired by their keys; a key on one side only is added or removed"))
            case .rank(let r):
                steps.append(PlanStep(op: .rank(r), name: "rank", clause: text(item.clause.range),
                                      path: "a sort of the rows by \(r.within.isEmpty ? "" : "the within columns and ")the key",
                                      why: "competition ranks (1, 2, 2, 4); the rows keep their order"))
            }
            i += 1
        }
        keepBestGroups(&steps)
        return steps
    }

    /// Rule 6: a top-N right after an aggregation lets it hand on only its best N groups: a
    /// hashed aggregation's threads (which find different groups) each keep their best N; a
    /// dense one makes the columns the top-N reads for every group, the others for N of them.
    private func keepBestGroups(_ steps: inout [PlanStep]) {
        guard !general else { return }
        for s in steps.indices.dropLast() {
            guard case .aggregate(var a) = steps[s].op, !a.keys.isEmpty, case .topN(let top) = steps[s + 1].op,
                  top.prefilter == nil, case .heap = top.strategy else { continue }
            switch a.grouping {
            case .hash:
                guard !a.orderedByKeys else { continue }
                steps[s].why += "; split over two threads, each keeps only its best \(top.n) groups for the top-n"
            case .dense:
                guard top.keys.allSatisfy({ if case .column = $0.bound { true } else { false } }) else { continue }
                steps[s].why += "; only the best \(top.n) groups for the top-n are made whole"
            }
            a.keepBest = (top.keys, top.n)
            steps[s].op = .aggregate(a)
        }
    }

    private func aggregate(_ a: BoundAggregation, _ item: Item, prefilter: (Bound, SourceRange)?, sortFollows: Bool,
                           tieKeys: inout [BoundSortKey]) -> PlanStep {
        var clause = text(item.clause.range)
        if let prefilter { clause = text(prefilter.1) + " " + clause }
        let fused = prefilter == nil ? "" : "; the where runs inside it"
        let grouping: GroupingStrategy
        var path: String
        var why: String
        // Without keys there is one group, general path or not.
        switch general && !a.keys.isEmpty ? .failure(DenseGrouping.Refusal(key: "")) : DenseGrouping.plan(a.keys, schema: item.input) {
        case .success(let d):
            grouping = .dense(d)
            path = a.keys.isEmpty ? "dense: one group" : "dense: \(d.slotCount) slots"
            let parts = zip(a.keys, d.keys).map { k, key -> String in
                switch key {
                case .codes(_, let dict): "\(k.name): \(dict.count) codes"
                case .datePart(_, let f, _, _, let parts, _): "\(k.name): \(parts) \(f.rawValue)s"
                case .range(_, _, _, let parts): "\(k.name): a range of \(parts)"
                }
            }
            why = (a.keys.isEmpty ? "no keys" : "every key has a small domain (" + parts.joined(separator: ", ") + ")") + fused
        case .failure(let refusal):
            grouping = .hash
            path = a.keys.isEmpty ? "hash table" : "hash table on \(a.keys.map(\.name).joined(separator: ", "))"
            why = (general ? "the general path was asked for" : refusal.reason) + fused
        }
        var plan = AggregatePlan(keys: a.keys, aggregates: a.aggregates, prefilter: prefilter?.0, grouping: grouping)
        if case .dense(let d) = grouping, let filter = prefilter?.0 {
            leaveOutNullParts(&plan, d, filter)
            if !plan.nullPartsLeftOut.isEmpty {
                let names = plan.nullPartsLeftOut.map { a.keys[$0].name }.joined(separator: ", ")
                why += "; `is not null` on the column of \(names) leaves out that key's null group instead of filtering rows"
            }
        }
        if case .dense(let d) = grouping, plan.rowFilter == nil, DayCounts.applies(to: d),
           case .datePart(_, let f, _, let table, _, _) = d.keys[0],
           plan.aggregates.allSatisfy({ $0.function == .count && $0.argument == nil && $0.condition == nil }) {
            plan.countsByDay = true
            path += ", rows counted by day"
            why += "; only counts: each row is counted under its day (\(table.count - 1) days), the days added into their \(f.rawValue)s after"
        }
        if case .hash = grouping, sortFollows, !a.keys.isEmpty {
            // Ordering the groups by their keys would be undone by the sort: the keys only break
            // its ties.
            plan.orderedByKeys = false
            tieKeys = a.keys.indices.map { k in
                BoundSortKey(bound: .column(k, ColumnInfo.of(a.keys[k].bound, name: a.keys[k].name, in: item.input).type), descending: false)
            }
            why += "; groups left in the order found, the sort after it breaks ties by the keys"
        }
        if plan.isRowCount {
            return PlanStep(op: .aggregate(plan), name: "aggregate", clause: clause, path: "the row count",
                            why: "counting every row reads no column")
        }
        return PlanStep(op: .aggregate(plan), name: "aggregate", clause: clause, path: path, why: why, range: item.clause.range)
    }

    /// A fused `where C is not null` (or a conjunct of it) on the column a dense key reads
    /// removes exactly the rows of that key's null part: the rows are grouped unfiltered and the
    /// part left out of the result, which saves a pass over every row. Only where grouping the
    /// extra rows cannot fail (plain counts and extremes of columns, no `if`): a sum over rows the
    /// `where` removes could overflow where the query asked for none.
    private func leaveOutNullParts(_ plan: inout AggregatePlan, _ d: DenseGrouping, _ filter: Bound) {
        let safe = plan.aggregates.allSatisfy { g in
            guard g.condition == nil, g.function == .count || g.function == .min || g.function == .max else { return false }
            if let argument = g.argument, case .column = argument { return true }
            return g.argument == nil
        }
        guard safe, !d.keys.isEmpty else { return }
        // The conjuncts in order, without recursion (a generated `where` may chain 100,000 ands).
        var kept: [Bound] = []
        var pending = [filter]
        while let b = pending.popLast() {
            if case .logical(.and, let l, let r) = b {
                pending.append(r)
                pending.append(l)
            } else if case .isNull(.column(let c, _), negated: true) = b, let k = d.keys.firstIndex(where: { $0.column == c }) {
                if !plan.nullPartsLeftOut.contains(k) { plan.nullPartsLeftOut.append(k) }
            } else {
                kept.append(b)
            }
        }
        if plan.nullPartsLeftOut.isEmpty { return }
        plan.rowFilter = kept.isEmpty ? nil : kept.dropFirst().reduce(kept[0]) { .logical(.and, $0, $1) }
    }

    /// How `total` makes each of the aggregation's results from the groups' (its rows read
    /// once): nil when one cannot be (a median, a distinct count, text extremes, sums of floats,
    /// whose order of addition would show). A mean gets its sum and count as hidden aggregates
    /// of `detail`, at the end of its result.
    private func reductions(_ a: BoundAggregation, _ detail: inout AggregatePlan) -> [TotalPlan.Reduction]? {
        var out: [TotalPlan.Reduction] = []
        var hidden: [BoundAggregate] = []
        for g in a.aggregates {
            let argumentType = g.argument?.type
            switch g.function {
            case .count:
                out.append(.add)
            case .sum where argumentType != .float:
                out.append(.add)
            case .min, .max:
                guard let t = argumentType, t.isNumeric || t == .date || t == .timestamp else { return nil }
                out.append(g.function == .min ? .minimum : .maximum)
            case .avg where argumentType != .float:
                guard let t = argumentType, let scale = g.type.scale, let written = g.origin?.text.dropFirst(4) else { return nil }
                // The sum and the count of the same values: an aggregate already asked for, or a
                // hidden one.
                func column(_ f: AggregateFunction, _ type: DataType) -> Int {
                    if g.condition == nil, let k = a.aggregates.firstIndex(where: {
                        $0.function == f && $0.condition == nil && $0.argument != nil && $0.origin?.text == "\(f.rawValue) \(written)"
                    }) {
                        return a.keys.count + k
                    }
                    hidden.append(BoundAggregate(function: f, argument: g.argument, condition: g.condition, name: "\(f.rawValue)*", type: type, origin: g.origin))
                    return a.keys.count + a.aggregates.count + hidden.count - 1
                }
                let sum = column(.sum, t == .null ? .int : t.columnType)
                out.append(.mean(sum: sum, count: column(.count, .int), scale: scale))
            default:
                return nil
            }
        }
        detail.aggregates += hidden
        return out
    }

    /// The column `top` can read by zone map: a stored number or date column, plainly named.
    private func zoneMapColumn(_ key: BoundSortKey, _ input: Schema) -> Int? {
        guard !general, case .column(let c, let type) = key.bound, type.isNumeric || type == .date,
              let base = input[c].base, ZoneMapTopN.applies(base) else { return nil }
        return c
    }

    private func zoneMapTopN(_ n: Int, _ key: BoundSortKey, _ column: Int, _ item: Item, prefilter: (Bound, SourceRange)?) -> PlanStep {
        var clause = text(item.clause.range)
        if let prefilter { clause = text(prefilter.1) + " " + clause }
        let plan = TopNPlan(keys: [key], n: n, prefilter: prefilter?.0, strategy: .zoneMap(column: column))
        return PlanStep(op: .topN(plan), name: "top-n", clause: clause, path: "zone-map heap of \(n)",
                        why: "\(item.input[column].name) is a stored number column: blocks are read best first and skipped when they cannot beat row \(n) of the heap"
                            + (prefilter == nil ? "" : "; the where runs inside the scan"))
    }

    private func join(_ j: BoundJoin, _ item: Item, needed: Set<Int>) -> PlanStep {
        let input = item.input
        var strategy = JoinStrategy.hash
        var path = "hash table of the keys of \(j.right.name)"
        var why = general ? "the general path was asked for" : "keys of any type"
        if !general, j.pairs.count == 1 {
            let (l, r) = j.pairs[0]
            let rightColumn = j.right.columns[r]
            if input[l].dictionary != nil, rightColumn.dictionary != nil {
                strategy = .dictionary
                path = "the dictionary of \(input[l].name) mapped to the rows of \(j.right.name)"
                why = "one text key with a dictionary on both sides: each value looked up once"
            } else if input[l].type == .int || input[l].type == .date, rightColumn.type == input[l].type,
                      let zm = rightColumn.zoneMap, zm.min <= zm.max, zm.min >= -9e15, zm.max <= 9e15,
                      zm.max - zm.min < Double(Swift.max(4 * j.right.rowCount, 1024)), zm.max - zm.min < Double(1 << 26) {
                let lo = Int64(zm.min.rounded(.up)), hi = Int64(zm.max.rounded(.down))
                strategy = .direct(minimum: lo, span: Int(hi - lo) + 1)
                path = "array indexed by \(input[l].name) (\(hi - lo + 1) values)"
                why = "one integer key whose values in \(j.right.name) span a short range"
            }
        }
        // The columns of the result later clauses read.
        let leftCount = input.count
        let neededRight = Set(j.rightColumns.indices.filter { needed.contains(leftCount + $0) })
        let neededLeft = Set((0..<leftCount).filter { needed.contains($0) })
        let copied = neededRight.count == j.rightColumns.count ? "all" : "\(neededRight.count) of \(j.rightColumns.count)"
        return PlanStep(op: .join(JoinPlan(join: j, strategy: strategy, neededRight: neededRight, neededLeft: neededLeft)),
                        name: "join", clause: text(item.clause.range),
                        path: path + "; copies \(copied) of its columns", why: why)
    }

    /// For each clause, the columns of its output that a later clause reads (or that reach the
    /// result): worked backwards from the end, where every column is needed.
    func neededColumns(_ items: [Item]) -> [Set<Int>] {
        var out = [Set<Int>](repeating: [], count: items.count)
        guard let last = items.last else { return out }
        // After `across` (whose columns are not known yet) nothing passes through.
        var needed: Set<Int> = Set(0..<(last.bound.output(last.input)?.count ?? 0))
        for i in items.indices.reversed() {
            out[i] = needed
            let item = items[i]
            switch item.bound {
            case .filter(let e): needed.formUnion(e.columns)
            case .sort(let keys): for k in keys { needed.formUnion(k.bound.columns) }
            case .top(_, let k): needed.formUnion(k.bound.columns)
            case .limit: break
            case .select(let items):
                needed = items.enumerated().reduce(into: Set<Int>()) { set, e in if needed.contains(e.offset) { set.formUnion(e.element.bound.columns) } }
            case .aggregate(let a):
                var set = Set<Int>()
                for k in a.keys { set.formUnion(k.bound.columns) }
                if let across = a.across { set.formUnion(across.bound.columns) }
                for g in a.aggregates {
                    if let arg = g.argument { set.formUnion(arg.columns) }
                    if let c = g.condition { set.formUnion(c.columns) }
                }
                needed = set
            case .join(let j):
                needed = needed.filter { $0 < item.input.count }.union(j.pairs.map(\.left))
            case .total:
                needed = Set(item.input.indices)
            case .rank(let r):
                needed = needed.filter { $0 < item.input.count }.union(r.key.bound.columns).union(r.within)
            case .changes:
                needed = Set(item.input.indices)
            }
        }
        return out
    }
}
