import Storage

/// The rows of a large hashed aggregation (or distinct count) shared out by the top bits of a
/// hash — of the group keys, or of the counted value — into partitions small enough that one
/// partition's hash table stays in the cache. Each thread first hashes its half of the rows and
/// appends each row's number and hash to its lists for the row's partition; then each thread
/// takes every other partition and groups its rows, a partition at a time. Groups (and distinct
/// values) never span two partitions, so a thread's partitions need no merge with the other's,
/// and a partition's table can be emptied for the next.
///
/// Without it, a table of millions of groups is probed at random: nearly every row misses the
/// cache three times (the slot, the group's key, its bytes), one after the other.
final class HashPartitions: @unchecked Sendable {
    let bits: Int
    let sources: Int
    var count: Int { 1 << bits }
    /// About how many rows a partition holds.
    let rowsPerPartition: Int
    /// List `source * count + p`: the row numbers, and their hashes.
    private let rows: UnsafeMutablePointer<GrowableBuffer<Int32>>
    private let hashes: UnsafeMutablePointer<GrowableBuffer<UInt64>>

    /// Partitions for `rows` rows filled by `sources` threads: about 16,384 rows each, at most 256
    /// (more would scatter each thread's writes over too many pages at once).
    init(rows total: Int, sources: Int) {
        var bits = 1
        while bits < 8, total >> bits > 1 << 14 { bits += 1 }
        self.bits = bits
        self.sources = sources
        let lists = sources << bits
        rowsPerPartition = total >> bits + 1
        let each = rowsPerPartition / sources + rowsPerPartition / (8 * sources) + 16
        rows = .allocate(capacity: lists)
        rows.initialize(repeating: GrowableBuffer(), count: lists)
        hashes = .allocate(capacity: lists)
        hashes.initialize(repeating: GrowableBuffer(), count: lists)
        for l in 0..<lists {
            rows[l].reserve(each)
            hashes[l].reserve(each)
        }
    }

    deinit {
        for l in 0..<(sources << bits) {
            rows[l].release()
            hashes[l].release()
        }
        rows.deinitialize(count: sources << bits).deallocate()
        hashes.deinitialize(count: sources << bits).deallocate()
    }

    /// Source `source`'s share: batches `range` of the input, narrowed by `prefilter`, placed by
    /// the hash of `keys` (folded in order, as grouping hashes them), each row appended to the
    /// lists of its partition with its hash.
    /// `checking`: the columns the aggregation reads, checked against a snapshot's checksums
    /// batch by batch (the partitions' rows are then all checked).
    func fill(source: Int, _ input: Relation, batches range: Range<Int>, keys readers: [KeyReader], prefilter: FilterKernel?,
              checking: [Column], _ cancel: CancellationFlag) throws(Stopped) {
        var keys = readers.map { _ in KeyBatch() }
        let batchHashes = UnsafeMutablePointer<UInt64>.allocate(capacity: Execution.batchSize)
        defer {
            for k in keys { k.release() }
            batchHashes.deallocate()
        }
        let shift = UInt64(64 - bits)
        let rowLists = rows + (source << bits), hashLists = hashes + (source << bits)
        try forEachBatch(input, batches: range, cancel, checking: checking) { batch, count, _ in
            var n = count
            if let prefilter {
                n = prefilter.apply(batch, n)
                if n == 0 { return }
            }
            for k in readers.indices {
                readers[k].read(batch, n, into: &keys[k])
                keys[k].hash(n, isBytes: readers[k].isBytes, into: batchHashes, fold: k > 0)
            }
            for i in 0..<n {
                let h = batchHashes[i]
                let p = Int(truncatingIfNeeded: h >> shift)
                rowLists[p].append(batch[i])
                hashLists[p].append(h)
            }
        }
    }

    /// Partition p's rows and hashes a batch at a time, source by source (so in row order within
    /// each source).
    func withBatches(of p: Int, _ cancel: CancellationFlag,
                      _ body: (UnsafeMutablePointer<Int32>, UnsafePointer<UInt64>, Int) -> Void) throws(Stopped) {
        for source in 0..<sources {
            let list = (source << bits) + p
            let r = rows[list].elements, h = hashes[list].elements
            var start = 0
            while start < r.count {
                try cancel.check()
                let n = Swift.min(Execution.batchSize, r.count - start)
                body(r.baseAddress! + start, UnsafePointer(h.baseAddress! + start), n)
                start += n
            }
        }
    }
}
