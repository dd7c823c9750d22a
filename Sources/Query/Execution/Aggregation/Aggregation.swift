import Storage

/// How an aggregation numbers its groups: computed from small key domains, or looked up by hash.
enum GroupingStrategy {
    case dense(DenseGrouping)
    case hash
}

/// An aggregation as the planner made it: keys, aggregates, the `where` fused in before it, and
/// how groups are numbered.
struct AggregatePlan {
    var keys: [BoundKey]
    var aggregates: [BoundAggregate]
    var prefilter: Bound?
    var grouping: GroupingStrategy
    /// Whether the result's groups come in key order; a hashed aggregation that a sort follows
    /// leaves them in the order found (the sort breaks its ties by the keys instead).
    var orderedByKeys = true
    /// Set when a top-N comes right after a hashed aggregation: each thread keeps only its best
    /// `n` groups by these keys (the threads' groups are different, so the best of all are among
    /// them), and the top-N after it chooses among those.
    var keepBest: (keys: [BoundSortKey], n: Int)? = nil
    /// Dense keys whose null part is left out of the result instead of filtered out row by row:
    /// a fused `where C is not null` on a key's column removes exactly the rows of that part.
    var nullPartsLeftOut: [Int] = []
    /// What of `prefilter` runs over the rows (all of it, but for the conjuncts
    /// `nullPartsLeftOut` does instead).
    var rowFilter: Bound?
    /// A dense grouping by one date part with only plain counts, over few days: rows are
    /// counted by day and the days added into their periods (`DayCounts`).
    var countsByDay = false

    init(keys: [BoundKey], aggregates: [BoundAggregate], prefilter: Bound?, grouping: GroupingStrategy) {
        self.keys = keys
        self.aggregates = aggregates
        self.prefilter = prefilter
        self.grouping = grouping
        rowFilter = prefilter
    }

    /// The columns the aggregation reads.
    var reads: Set<Int> {
        var set = prefilter?.columns ?? []
        for k in keys { set.formUnion(k.bound.columns) }
        for a in aggregates {
            set.formUnion(a.argument?.columns ?? [])
            set.formUnion(a.condition?.columns ?? [])
        }
        return set
    }

    /// Only plain counts of every row, without keys or conditions: the answer is the number of
    /// rows, and no column is read.
    var isRowCount: Bool {
        keys.isEmpty && prefilter == nil && !aggregates.isEmpty
            && aggregates.allSatisfy { $0.function == .count && $0.argument == nil && $0.condition == nil }
    }
}

/// Runs an aggregation on two threads, each numbering groups and updating its own aggregate
/// states a batch at a time; the result one row per group in key order. The same states and the
/// same merge serve dense and hashed grouping.
///
/// How the rows are shared decides what the merge costs. Dense grouping splits the rows in two
/// halves and adds the two threads' slots together. Hashed grouping, and a distinct count, share
/// them out by a hash — of the keys, of the counted value — into partitions (`HashPartitions`),
/// each thread taking every other partition: the two threads then hold different groups
/// (different values) and their results are put side by side, where merging millions of groups
/// found by both would cost as much as finding them.
struct Aggregation {
    let plan: AggregatePlan

    func run(_ input: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        if plan.isRowCount {
            let columns = plan.aggregates.map { a in ResultColumn.int64(a.name, 1) { _ in (Int64(input.count), true) } }
            return Relation(name: input.name, columns: columns, rowCount: 1)
        }
        let columns = input.columns
        let prefilter = plan.rowFilter.map { FilterKernel.compile($0, columns) }
        var parts = Parallel.parts(rows: input.count)
        // Dense states as large as the input: a second thread would double the memory first
        // touched and add a merge as large as the input, to save half the rows' updates. (A
        // million-slot key over a million rows: 77 against 86 ms end to end.)
        if case .dense(let d) = plan.grouping, d.slotCount * 2 > input.count { parts = 1 }
        // What shares the rows out into partitions, if anything: the keys, or the value of the
        // first distinct count.
        var split: GroupingWorker.Split = .rows
        var partitionKeys: [Bound] = []
        if parts > 1 {
            if case .hash = plan.grouping, !plan.keys.isEmpty {
                split = .keyPartitions
                partitionKeys = plan.keys.map(\.bound)
            } else if let distinct = plan.aggregates.first(where: { $0.function == .countDistinct }), let argument = distinct.argument {
                split = .valuePartitions
                partitionKeys = [argument]
            }
        }
        if case .rows = split {
            let lanes: Int
            if case .dense(let d) = plan.grouping, d.slotCount <= 1 << 14 { lanes = 4 } else { lanes = 1 }
            let workers = try Parallel.run(parts: parts) { (part) throws(Stopped) -> GroupingWorker in
                let w = GroupingWorker(plan, columns: columns, lanes: lanes, rows: input.count / parts)
                try w.run(input, Parallel.batches(input.count, part: part, of: parts), prefilter: prefilter, cancel)
                return w
            }
            return try result(workers, input.name, cancel)
        }
        let partitions = HashPartitions(rows: input.count, sources: parts)
        let read = plan.reads.sorted().map { columns[$0] }
        _ = try Parallel.run(parts: parts) { (part) throws(Stopped) -> Int in
            let readers = partitionKeys.map { KeyReader($0, columns: columns, forOrder: false) }
            try partitions.fill(source: part, input, batches: Parallel.batches(input.count, part: part, of: parts), keys: readers,
                                prefilter: prefilter, checking: read, cancel)
            return 0
        }
        if let d = prefilter?.overflow { throw .overflow(d) }
        if case .keyPartitions = split {
            // Different groups in each thread: each builds its result (and keeps its best groups
            // when a top-N follows), then the pieces side by side, then in key order.
            let pieces = try Parallel.run(parts: parts) { (part) throws(Stopped) -> Relation in
                let w = GroupingWorker(plan, columns: columns, lanes: 1, split: split, rows: partitions.rowsPerPartition)
                try w.run(partitions, Array(stride(from: part, to: partitions.count, by: parts)), cancel)
                let piece = hashedResult(w, input.name)
                guard let best = plan.keepBest else { return piece }
                return try Sorting(keys: best.keys, limit: best.n, general: false).run(piece, cancel).materialized()
            }
            let grouped = Relation(name: input.name, columns: pieces[0].columns.indices.map { c in concatenate(pieces.map { $0.columns[c] }) },
                                   rowCount: pieces.reduce(0) { $0 + $1.rowCount })
            return try ordered(grouped, cancel)
        }
        let workers = try Parallel.run(parts: parts) { (part) throws(Stopped) -> GroupingWorker in
            let w = GroupingWorker(plan, columns: columns, lanes: 1, split: split, rows: partitions.rowsPerPartition)
            try w.run(partitions, Array(stride(from: part, to: partitions.count, by: parts)), cancel)
            return w
        }
        return try result(workers, input.name, cancel)
    }

    /// The workers' groups merged into the first's, as the result.
    private func result(_ workers: [GroupingWorker], _ name: String, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        let merged = workers[0]
        for w in workers.dropFirst() { merged.absorb(w) }
        // The threads' sums added together may leave 64 bits where neither did.
        if let d = merged.states.lazy.compactMap(\.arithmeticOverflow).first { throw .overflow(d) }
        switch plan.grouping {
        case .dense(let d):
            let states = merged.states
            let rowCounts = (states[0] as! CountState).counts
            let leftOut = plan.nullPartsLeftOut
            var order = d.order { s in rowCounts[s] > 0 && !leftOut.contains { d.part(s, key: $0) == 0 } }
            if let best = plan.keepBest, best.n < order.count {
                order = try bestGroups(order, d, states, stateOf: merged.stateOf, best, name, cancel)
            }
            var out: [Column] = []
            for (k, key) in plan.keys.enumerated() {
                out.append(d.keyColumn(k, name: key.name, type: key.bound.type.columnType, order: order))
            }
            for (a, aggregate) in plan.aggregates.enumerated() {
                out.append(states[merged.stateOf[a]].column(order, aggregate))
            }
            return Relation(name: name, columns: out, rowCount: order.count)
        case .hash:
            return try ordered(hashedResult(merged, name), cancel)
        }
    }

    /// The slots of the best `best.n` groups of `order` (best first, ties in key order): the
    /// columns the top-N reads are made for every group, the others only for these.
    private func bestGroups(_ order: [Int32], _ d: DenseGrouping, _ states: [AggregateState], stateOf: [Int],
                            _ best: (keys: [BoundSortKey], n: Int), _ name: String, _ cancel: CancellationFlag) throws(Stopped) -> [Int32] {
        var columns: [Column] = []
        var keys: [BoundSortKey] = []
        for key in best.keys {
            guard case .column(let c, let type) = key.bound else { preconditionFailure("the planner keeps best groups by columns only") }
            let column: Column
            if c < plan.keys.count {
                column = d.keyColumn(c, name: plan.keys[c].name, type: plan.keys[c].bound.type.columnType, order: order)
            } else {
                let a = plan.aggregates[c - plan.keys.count]
                column = states[stateOf[c - plan.keys.count]].column(order, a)
            }
            keys.append(BoundSortKey(bound: .column(columns.count, type), descending: key.descending))
            columns.append(column)
        }
        let top = try Sorting(keys: keys, limit: best.n, general: false).run(Relation(name: name, columns: columns, rowCount: order.count), cancel)
        return (top.selection ?? []).map { order[Int($0)] }
    }

    /// A hashed worker's groups, in the order it found them: key columns, then aggregates.
    private func hashedResult(_ w: GroupingWorker, _ name: String) -> Relation {
        let table = w.table!
        let order = (0..<Int32(table.count)).map { $0 }
        var out: [Column] = []
        for (k, key) in plan.keys.enumerated() {
            let reader = w.readers[k]
            let type = reader.isBytes ? DataType.text : key.bound.type.columnType
            out.append(table.store.takeColumn(k, name: key.name, type: reader.dictionary == nil ? type : key.bound.type,
                                              dictionary: reader.dictionary))
        }
        for (a, aggregate) in plan.aggregates.enumerated() {
            out.append(w.states[w.stateOf[a]].column(order, aggregate))
        }
        return Relation(name: name, columns: out, rowCount: order.count)
    }

    /// Hashed groups in key order (unless a sort follows, which orders them itself).
    private func ordered(_ grouped: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        if !plan.orderedByKeys { return grouped }
        let keys = plan.keys.indices.map { BoundSortKey(bound: .column($0, grouped.columns[$0].type), descending: false) }
        return try Sorting(keys: keys, limit: nil, general: false).run(grouped, cancel).materialized()
    }
}

/// One thread's share of an aggregation: its group numbering and its aggregate states.
final class GroupingWorker {
    /// Which rows the thread takes.
    enum Split {
        /// A stretch of the batches (the threads' groups overlap; merged by `absorb`).
        case rows
        /// Partitions by the hash of the keys: the threads' groups differ, and each distinct
        /// count's pairs of a partition are counted and dropped when it ends.
        case keyPartitions
        /// Partitions by the hash of the first distinct count's value: the threads count
        /// different values (their counts add up), dropped when a partition ends.
        case valuePartitions
    }

    let plan: AggregatePlan
    let columns: [Column]
    /// Lanes per slot while the rows run (folded away at the end of `run`).
    private(set) var lanes: Int
    let split: Split
    /// The states, the first always the row count of each group; `stateOf[a]` is aggregate a's.
    private(set) var states: [AggregateState]
    let stateOf: [Int]
    private(set) var table: HashGroupTable?
    let readers: [KeyReader]
    private var batches: [KeyBatch]
    private let hashes: UnsafeMutablePointer<UInt64>
    private let groups: UnsafeMutablePointer<Int32>
    private var groupCount = 0
    /// With value partitions: the distinct count whose values shared out the rows (it takes
    /// their hashes from the partitions).
    private var partitionedDistinct: DistinctState? = nil
    /// With `plan.countsByDay`: the rows counted by day, added into the row count at the end.
    private let dayCounts: DayCounts?

    /// `rows`: about how many rows one table sees (to size tables for mostly-unique text).
    init(_ plan: AggregatePlan, columns: [Column], lanes: Int, split: Split = .rows, rows: Int = 0) {
        self.plan = plan
        self.columns = columns
        self.lanes = lanes
        self.split = split
        let rowCount = BoundAggregate(function: .count, argument: nil, condition: nil, name: "count", type: .int, dictionary: nil)
        var states: [AggregateState] = [CountState(rowCount, columns: columns)]
        var stateOf: [Int] = []
        // Aggregates that compute the same thing share a state: a plain count is the row count;
        // sum and avg of one column (without `if`) share a running sum and count.
        var shared: [String: Int] = [:]
        for a in plan.aggregates {
            var key: String? = nil
            if a.condition == nil {
                if a.function == .count, a.argument == nil { key = "rows" }
                if a.function == .sum || a.function == .avg, case .column(let c, _) = a.argument { key = "sum \(c)" }
            }
            if key == "rows" { stateOf.append(0); continue }
            // A count of a column's values is the count a sum or avg of it keeps (a total's mean
            // asks for both).
            if a.function == .count, a.condition == nil, case .column(let c, _)? = a.argument, let s = shared["sum \(c)"] {
                stateOf.append(s)
                continue
            }
            if let key, let s = shared[key] { stateOf.append(s); continue }
            if let key { shared[key] = states.count }
            stateOf.append(states.count)
            if a.function == .sum || a.function == .avg {
                // The count of values only where a row may have none, or an avg shares the state.
                let counts = a.function == .avg || a.condition != nil || SumState.needsCounts(a.argument, columns)
                    || plan.aggregates.contains { b in (b.function == .avg || b.function == .count) && b.condition == nil && GroupingWorker.sameColumn(a.argument, b.argument) }
                states.append(SumState(a, columns: columns, keepsCounts: counts))
            } else {
                states.append(makeAggregateState(a, columns: columns))
            }
        }
        for state in states { (state as? DistinctState)?.presize(rows: rows) }
        switch split {
        case .rows: break
        case .keyPartitions:
            for state in states { (state as? DistinctState)?.pairsEndWithPartition = true }
        case .valuePartitions:
            if let a = plan.aggregates.firstIndex(where: { $0.function == .countDistinct }), let d = states[stateOf[a]] as? DistinctState {
                d.pairsEndWithPartition = true
                d.valuesAreDisjoint = true
                partitionedDistinct = d
            }
        }
        self.states = states
        self.stateOf = stateOf
        if plan.countsByDay, split == .rows, states.count == 1, case .dense(let d) = plan.grouping {
            dayCounts = DayCounts(d)
        } else {
            dayCounts = nil
        }
        if case .hash = plan.grouping {
            readers = plan.keys.map { KeyReader($0.bound, columns: columns, forOrder: false) }
            // Keys of mostly-unique text (a string heap) make a group for most rows: the table is
            // made that large at once instead of doubling its way there.
            let unique = readers.contains { $0.column.map { if case .strings = $0.data { true } else { false } } ?? false }
            table = HashGroupTable(isBytes: readers.map(\.isBytes), expected: unique ? rows * 3 / 4 : 0)
        } else {
            readers = []
        }
        batches = readers.map { _ in KeyBatch() }
        hashes = .allocate(capacity: Execution.batchSize)
        groups = .allocate(capacity: Execution.batchSize)
    }

    deinit {
        for b in batches { b.release() }
        hashes.deallocate()
        groups.deallocate()
    }

    /// Whether two aggregates' arguments are the same plain column (sum and avg of it share a state).
    private static func sameColumn(_ a: Bound?, _ b: Bound?) -> Bool {
        if case .column(let x, _) = a, case .column(let y, _) = b { return x == y }
        return false
    }

    /// Groups batches `range` of the input (narrowed by `prefilter`).
    func run(_ input: Relation, _ range: Range<Int>, prefilter: FilterKernel?, _ cancel: CancellationFlag) throws(Stopped) {
        let read = plan.reads.sorted().map { columns[$0] }
        if case .dense(let d) = plan.grouping {
            groupCount = d.slotCount * lanes
            for s in states { s.reserve(groupCount) }
        }
        try forEachBatch(input, batches: range, cancel, checking: read) { rows, count, _ in
            var n = count
            if let prefilter {
                n = prefilter.apply(rows, n)
                if n == 0 { return }
            }
            group(rows, n, hashed: nil)
        }
        try checkOverflow(prefilter)
        if let dayCounts { dayCounts.add(into: states[0] as! CountState, lanes: lanes) }
        if lanes > 1, case .dense(let d) = plan.grouping { foldLanes(slots: d.slotCount) }
    }

    /// Stops with an integer overflow that a key, an aggregate or the `where` met.
    private func checkOverflow(_ prefilter: FilterKernel?) throws(Stopped) {
        if let d = prefilter?.overflow ?? readers.lazy.compactMap(\.overflow).first
            ?? states.lazy.compactMap(\.arithmeticOverflow).first {
            throw .overflow(d)
        }
    }

    /// Groups the rows of partitions `mine`, one after another (rows already filtered and
    /// checked; for key partitions, hashed by the keys).
    func run(_ partitions: HashPartitions, _ mine: [Int], _ cancel: CancellationFlag) throws(Stopped) {
        if case .dense(let d) = plan.grouping {
            groupCount = d.slotCount
            for s in states { s.reserve(groupCount) }
        }
        for p in mine {
            try partitions.withBatches(of: p, cancel) { rows, hashes, n in
                switch split {
                case .keyPartitions: group(rows, n, hashed: hashes)
                case .valuePartitions, .rows: group(rows, n, hashed: nil, valueHashes: hashes)
                }
            }
            // The partition's groups (or values) appear in no other: its table starts empty.
            table?.startPartition()
            for s in states { s.endPartition() }
        }
        try checkOverflow(nil)
    }

    /// Numbers the groups of `n` rows and updates the states. `hashed`: the rows' key hashes,
    /// when already made; `valueHashes`: those of the partitioned distinct count's values.
    @inline(__always)
    private func group(_ rows: UnsafeMutablePointer<Int32>, _ n: Int, hashed: UnsafePointer<UInt64>?,
                       valueHashes: UnsafePointer<UInt64>? = nil) {
        switch plan.grouping {
        case .dense(let d):
            if let dayCounts, dayCounts.count(columns, rows, n) { return }
            d.slots(columns, rows, n, into: groups)
            if lanes > 1 { for i in 0..<n { groups[i] = groups[i] &* 4 &+ Int32(i & 3) } }
        case .hash:
            for k in readers.indices {
                readers[k].read(rows, n, into: &batches[k])
                if hashed == nil { batches[k].hash(n, isBytes: readers[k].isBytes, into: hashes, fold: k > 0) }
            }
            batches.withUnsafeBufferPointer { table!.assign($0.baseAddress!, hashed ?? UnsafePointer(hashes), n, into: groups) }
            if table!.count > groupCount {
                groupCount = table!.count
                for s in states { s.reserve(groupCount) }
            }
        }
        for s in states {
            if let valueHashes, let d = partitionedDistinct, s === d {
                d.update(rows, groups, n, valueHashes: valueHashes)
            } else {
                s.update(rows, groups, n)
            }
        }
    }

    /// Adds another thread's groups and states into this one's.
    func absorb(_ other: GroupingWorker) {
        let mapping: [Int32]
        if let table, let otherTable = other.table {
            mapping = table.absorb(otherTable)
            for s in states { s.reserve(table.count) }
        } else {
            guard case .dense(let d) = plan.grouping else { return }
            mapping = (0..<Int32(d.slotCount * lanes)).map { $0 }
        }
        mapping.withUnsafeBufferPointer { m in
            for (s, o) in zip(states, other.states) { s.merge(o, m.baseAddress!, m.count) }
        }
    }

    /// Adds each slot's lanes together (in the worker's own thread, before threads merge: a
    /// distinct count must see a value once per group, not once per lane).
    private func foldLanes(slots: Int) {
        let mapping = (0..<Int32(slots * lanes)).map { $0 / Int32(lanes) }
        let flagged = states.map { ($0 as? DistinctState)?.valuesAreDisjoint ?? false }
        states = mapping.withUnsafeBufferPointer { m in
            states.map { s in
                let folded = s.makeEmpty()
                folded.reserve(slots)
                folded.merge(s, m.baseAddress!, m.count)
                return folded
            }
        }
        for (state, flag) in zip(states, flagged) where flag { (state as? DistinctState)?.valuesAreDisjoint = true }
        lanes = 1
    }
}
