import Storage

/// One aggregate of an aggregation clause, bound.
struct BoundAggregate {
    var function: AggregateFunction
    var argument: Bound?
    var condition: Bound?
    var name: String
    var type: ValueType
}

/// A grouping key, bound, with its output name.
struct BoundKey {
    var bound: Bound
    var name: String
}

/// Maps each row's key values to a group number. Keys that are all dictionary codes index a
/// dense array by their combined code; anything else goes through a hash table of values.
struct GroupMap {
    private(set) var count = 0
    /// The key values of each group, for output and ordering.
    private(set) var keyValues: [[Value]] = []
    /// Each group's codes for dictionary keys (for ordered categories), −1 for null.
    private(set) var keyCodes: [[Int32]] = []
    private var dense: [Int32] = []
    private var strides: [Int] = []
    private var useDense = false
    private var single: [Value: Int32] = [:]
    private var multi: [[Value]: Int32] = [:]
    let keyCount: Int

    init(keys: [BoundKey], columns: [Column]) {
        keyCount = keys.count
        var size = 1
        var ok = true
        for k in keys {
            guard case .column(let c, .category) = k.bound, let d = columns[c].dictionary else { ok = false; break }
            strides.append(size)
            size *= d.count + 1
            if size > 1 << 20 { ok = false; break }
        }
        if ok {
            useDense = true
            dense = [Int32](repeating: -1, count: size)
        }
    }

    /// The group of each row of a batch, creating groups as new keys appear.
    mutating func groups(_ keys: [Vector]) -> [Int32] {
        let n = keys.first?.count ?? 0
        if keyCount == 0 {
            if count == 0 { count = 1; keyValues.append([]); keyCodes.append([]) }
            return [Int32](repeating: 0, count: n)
        }
        var out = [Int32](repeating: 0, count: n)
        if useDense {
            var codeArrays: [[Int32]] = []
            for k in keys { if case .codes(let c, _) = k { codeArrays.append(c) } }
            for i in 0..<n {
                var slot = 0
                for (k, codes) in codeArrays.enumerated() { slot += (Int(codes[i]) + 1) * strides[k] }
                var g = dense[slot]
                if g < 0 {
                    g = Int32(count)
                    dense[slot] = g
                    newGroup(keys, i)
                }
                out[i] = g
            }
            return out
        }
        for i in 0..<n {
            if keyCount == 1 {
                let v = keys[0].value(i)
                if let g = single[v] { out[i] = g } else {
                    let g = Int32(count)
                    single[v] = g
                    newGroup(keys, i)
                    out[i] = g
                }
            } else {
                let v = keys.map { $0.value(i) }
                if let g = multi[v] { out[i] = g } else {
                    let g = Int32(count)
                    multi[v] = g
                    newGroup(keys, i)
                    out[i] = g
                }
            }
        }
        return out
    }

    private mutating func newGroup(_ keys: [Vector], _ i: Int) {
        count += 1
        keyValues.append(keys.map { $0.value(i) })
        keyCodes.append(keys.map { k in
            if case .codes(let c, _) = k { return c[i] }
            return -1
        })
    }
}

/// The running state of one aggregate over all groups.
struct Accumulator {
    let aggregate: BoundAggregate
    var counts: [Int64] = []
    var sums: [Double] = []
    var intSums: [Int64] = []
    var intOverflow: [Bool] = []
    var extremes: [Value] = []
    var extremeRanks: [Int32] = []
    var lists: [[Double]] = []
    var sets: [Set<Value>] = []

    init(_ a: BoundAggregate) { aggregate = a }

    mutating func grow(to groups: Int) {
        while counts.count < groups {
            counts.append(0)
            sums.append(0)
            intSums.append(0)
            intOverflow.append(false)
            extremes.append(.null)
            extremeRanks.append(-1)
            if aggregate.function == .median { lists.append([]) }
            if aggregate.function == .countDistinct { sets.append([]) }
        }
    }

    /// Adds a batch: `groups[i]` is row i's group; rows whose `mask` is not 1 are skipped.
    mutating func add(_ groups: [Int32], _ argument: Vector?, _ mask: [UInt8]?) {
        let n = groups.count
        @inline(__always) func included(_ i: Int) -> Bool { mask.map { $0[i] == 1 } ?? true }
        guard let argument else {
            for i in 0..<n where included(i) { counts[Int(groups[i])] += 1 }
            return
        }
        switch aggregate.function {
        case .count:
            for i in 0..<n where included(i) && !argument.isNull(i) { counts[Int(groups[i])] += 1 }
        case .countDistinct:
            for i in 0..<n where included(i) && !argument.isNull(i) { sets[Int(groups[i])].insert(argument.value(i)) }
        case .sum, .avg:
            switch argument {
            case .ints(let v, let ok) where aggregate.type == .int:
                for i in 0..<n where ok[i] && included(i) {
                    let g = Int(groups[i])
                    let (s, o) = intSums[g].addingReportingOverflow(v[i])
                    intSums[g] = s
                    if o { intOverflow[g] = true }
                    counts[g] += 1
                }
            case .doubles(let v, let ok):
                for i in 0..<n where ok[i] && included(i) {
                    let g = Int(groups[i])
                    sums[g] += v[i]
                    counts[g] += 1
                }
            case .ints(let v, let ok):
                for i in 0..<n where ok[i] && included(i) {
                    let g = Int(groups[i])
                    sums[g] += Double(v[i])
                    counts[g] += 1
                }
            default: break
            }
        case .median:
            guard let (v, ok) = argument.asDoubles() else { return }
            for i in 0..<n where ok[i] && included(i) { lists[Int(groups[i])].append(v[i]) }
        case .min, .max:
            let wantLess = aggregate.function == .min
            if case .codes(let codes, let d) = argument, d.isOrdered {
                for i in 0..<n where codes[i] >= 0 && included(i) {
                    let g = Int(groups[i])
                    let r = extremeRanks[g]
                    if r < 0 || (wantLess ? codes[i] < r : codes[i] > r) {
                        extremeRanks[g] = codes[i]
                        extremes[g] = .text(d.value(Int(codes[i])))
                    }
                }
                return
            }
            for i in 0..<n where !argument.isNull(i) && included(i) {
                let g = Int(groups[i])
                let v = argument.value(i)
                if extremes[g] == .null { extremes[g] = v; continue }
                let c = compareValues(v, extremes[g])
                if wantLess ? c < 0 : c > 0 { extremes[g] = v }
            }
        }
    }

    func result(_ g: Int) -> Value {
        switch aggregate.function {
        case .count: return .int(counts[g])
        case .countDistinct: return .int(Int64(sets[g].count))
        case .sum:
            if counts[g] == 0 { return .null }
            if aggregate.type == .int { return intOverflow[g] ? .null : .int(intSums[g]) }
            return .decimal(sums[g])
        case .avg:
            if counts[g] == 0 { return .null }
            return .decimal((aggregate.type == .int ? Double(intSums[g]) : sums[g]) / Double(counts[g]))
        case .median:
            let list = lists[g].sorted()
            if list.isEmpty { return .null }
            let mid = list.count / 2
            return .decimal(list.count % 2 == 1 ? list[mid] : (list[mid - 1] + list[mid]) / 2)
        case .min, .max:
            return extremes[g]
        }
    }
}

/// An aggregation: groups, their aggregates, rows sorted by the keys.
func runAggregation(_ input: Relation, keys: [BoundKey], aggregates: [BoundAggregate],
                    _ cancel: CancellationFlag) throws(Cancelled) -> (GroupMap, [Accumulator], order: [Int]) {
    let evaluator = Evaluator(columns: input.columns)
    var map = GroupMap(keys: keys, columns: input.columns)
    var accumulators = aggregates.map(Accumulator.init)
    if keys.isEmpty { _ = map.groups([]) }
    try forEachBatch(input, cancel) { rows, _ in
        let groups: [Int32]
        if keys.isEmpty {
            groups = [Int32](repeating: 0, count: rows.count)
        } else {
            groups = map.groups(keys.map { evaluator.evaluate($0.bound, rows) })
        }
        for a in accumulators.indices {
            accumulators[a].grow(to: map.count)
            let agg = accumulators[a].aggregate
            var mask: [UInt8]? = nil
            if let condition = agg.condition, case .bools(let m) = evaluator.evaluate(condition, rows) { mask = m }
            let argument = agg.argument.map { evaluator.evaluate($0, rows) }
            accumulators[a].add(groups, argument, mask)
        }
    }
    for a in accumulators.indices { accumulators[a].grow(to: map.count) }
    // Groups in key order: ordered categories by their order, the rest ascending, nulls last.
    var sortColumns: [SortColumn] = []
    for (k, key) in keys.enumerated() {
        let values = map.keyValues.map { $0[k] }
        var ranks: [Int32]? = nil
        if case .category(ordered: true) = key.bound.type { ranks = map.keyCodes.map { $0[k] } }
        sortColumns.append(SortColumn(values: values, ranks: ranks, descending: false))
    }
    return (map, accumulators, stableOrder(map.count, sortColumns))
}
