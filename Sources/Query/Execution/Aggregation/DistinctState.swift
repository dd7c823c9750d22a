import Storage

/// `count distinct X`: the distinct (group, value) pairs, kept in a hash table whose two keys
/// are the group number and the value (a word, or bytes for text without a dictionary); each
/// group's result is how many pairs it has. No list of values per group is ever made.
final class DistinctState: AggregateState {
    let aggregate: BoundAggregate
    let columns: [Column]
    private let reader: KeyReader
    private let condition: FilterKernel?
    private var pairs: HashGroupTable
    private var values = KeyBatch()
    /// The batch's counted rows, compacted: key 0 the group, key 1 the value.
    private var compact: [KeyBatch] = [KeyBatch(), KeyBatch()]
    private let hashes: UnsafeMutablePointer<UInt64>
    private let pairIds: UnsafeMutablePointer<Int32>
    private let mask: UnsafeMutablePointer<UInt8>
    private let scratch: UnsafeMutablePointer<Int32>
    private var groups = 0
    /// Set when each thread counts different values (the rows were shared by the value's hash):
    /// a merge adds the other thread's counts instead of its pairs.
    var valuesAreDisjoint = false
    /// Set when no pair of a partition of the rows appears in another (the rows were shared out
    /// by the group keys, or by this count's value): at the end of each partition its pairs are
    /// counted and dropped, so the table holds one partition's pairs (and stays in the cache).
    var pairsEndWithPartition = false
    /// Counts of pairs no longer in the table: dropped partitions', other threads'.
    private var addedCounts: [Int64] = []

    init(_ a: BoundAggregate, columns: [Column]) {
        aggregate = a
        self.columns = columns
        reader = KeyReader(a.argument ?? .constant(.null, .null), columns: columns, forOrder: false)
        condition = a.condition.map { FilterKernel.compile($0, columns) }
        pairs = HashGroupTable(isBytes: [false, reader.isBytes])
        hashes = .allocate(capacity: Execution.batchSize)
        pairIds = .allocate(capacity: Execution.batchSize)
        mask = .allocate(capacity: Execution.batchSize)
        scratch = .allocate(capacity: Execution.batchSize)
    }

    deinit {
        values.release()
        for b in compact { b.release() }
        hashes.deallocate()
        pairIds.deallocate()
        mask.deallocate()
        scratch.deallocate()
    }

    func makeEmpty() -> AggregateState { DistinctState(aggregate, columns: columns) }
    var arithmeticOverflow: Diagnostic? { reader.overflow ?? condition?.overflow }

    /// Sizes the pair table for `rows` rows when the counted values are mostly unique text (a
    /// string heap: about a value for every two rows), before any pair is in it.
    func presize(rows: Int) {
        guard pairs.count == 0, case .strings = reader.column?.data else { return }
        pairs = HashGroupTable(isBytes: [false, reader.isBytes], expected: rows / 2)
    }
    func reserve(_ groups: Int) { self.groups = Swift.max(self.groups, groups) }

    func update(_ rows: UnsafePointer<Int32>, _ groupOf: UnsafePointer<Int32>, _ n: Int) {
        update(rows, groupOf, n, valueHashes: nil)
    }

    /// `valueHashes`: the rows' values' hashes when already made (the rows were shared out by
    /// them): each pair's hash is then made from it, without reading the value's bytes again.
    func update(_ rows: UnsafePointer<Int32>, _ groupOf: UnsafePointer<Int32>, _ n: Int, valueHashes: UnsafePointer<UInt64>?) {
        reader.read(rows, n, into: &values)
        if let condition { condition.mask(rows, n, into: mask, scratch: scratch) }
        // Keep the rows that count: a value, and the condition (nulls are not counted).
        var m = 0
        let isBytes = reader.isBytes
        for i in 0..<n where values.valid[i] != 0 && (condition == nil || mask[i] != 0) {
            compact[0].words[m] = UInt64(UInt32(bitPattern: groupOf[i]))
            compact[0].valid[m] = 1
            compact[1].valid[m] = 1
            if isBytes {
                compact[1].starts[m] = values.starts[i]
                compact[1].lengths[m] = values.lengths[i]
            } else {
                compact[1].words[m] = values.words[i]
            }
            // As `KeyBatch.hash` would fold the group's hash and the value's.
            if let valueHashes { hashes[m] = KeyWord.combine(KeyWord.hash(compact[0].words[m]), valueHashes[i]) }
            m += 1
        }
        insert(m, hashed: valueHashes != nil)
    }

    private func insert(_ m: Int, hashed: Bool = false) {
        guard m > 0 else { return }
        if !hashed {
            compact[0].hash(m, isBytes: false, into: hashes, fold: false)
            compact[1].hash(m, isBytes: reader.isBytes, into: hashes, fold: true)
        }
        compact.withUnsafeBufferPointer { pairs.assign($0.baseAddress!, hashes, m, into: pairIds) }
    }

    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int) {
        let o = other as! DistinctState
        if valuesAreDisjoint {
            let theirs = o.counts()
            grow(&addedCounts, to: groups, 0)
            for g in 0..<Swift.min(count, theirs.count) { addedCounts[Int(mapping[g])] += theirs[g] }
            return
        }
        for (g, c) in o.addedCounts.enumerated() where g < count && c != 0 {
            grow(&addedCounts, to: groups, 0)
            addedCounts[Int(mapping[g])] += c
        }
        var start = 0
        while start < o.pairs.count {
            let end = Swift.min(start + Execution.batchSize, o.pairs.count)
            compact.withUnsafeMutableBufferPointer { o.pairs.store.read(start..<end, into: $0.baseAddress!) }
            for i in 0..<(end - start) {
                compact[0].words[i] = UInt64(UInt32(bitPattern: mapping[Int(compact[0].words[i])]))
            }
            insert(end - start)
            start = end
        }
    }

    func endPartition() {
        guard pairsEndWithPartition, pairs.count > 0 else { return }
        grow(&addedCounts, to: groups, 0)
        addedCounts.withUnsafeMutableBufferPointer { c in
            for p in 0..<pairs.count { c[Int(pairs.store.word(0, p))] &+= 1 }
        }
        pairs.removeAll()
    }

    /// Each group's count of distinct values: its pairs, and what merges added.
    private func counts() -> [Int64] {
        var counts = [Int64](repeating: 0, count: groups)
        for p in 0..<pairs.count { counts[Int(pairs.store.word(0, p))] += 1 }
        for (g, c) in addedCounts.enumerated() where g < counts.count { counts[g] += c }
        return counts
    }

    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column {
        let counts = self.counts()
        return ResultColumn.int64(aggregate.name, order.count) { (counts[Int(order[$0])], true) }
    }
}
