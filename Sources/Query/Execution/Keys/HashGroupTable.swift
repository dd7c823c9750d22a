import Storage
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// Assigns group numbers to keys of any types by hashing: an open-addressing table whose slots
/// hold a tag and a group number, probed a batch at a time. With one key read as words the tag
/// is the key itself, so a probe is one slot read; otherwise the tag is the full hash and the
/// keys are compared in the store only when tags match. Group numbers count up from 0 in order
/// of first appearance. Used for grouping (`by`), joins (the right side's distinct keys) and
/// distinct counts.
final class HashGroupTable {
    private struct Slot {
        var tag: UInt64
        /// Group + 1; 0 is an empty slot.
        var group: Int32
    }

    let store: GroupKeyStore
    /// Each group's full hash (to grow the table without reading keys again). Behind a pointer,
    /// like the store's buffers, so that the probe loop appends in place.
    private let hashes: UnsafeMutablePointer<GrowableBuffer<UInt64>>
    private var slots: UnsafeMutablePointer<Slot>
    private var mask: Int
    /// One key read as words: the slot's tag is the word, and nulls are one group kept aside.
    private let singleWord: Bool
    private var nullGroup: Int32 = -1
    /// The first group of the current partition: the slots hold only the groups from it on.
    private var firstGroup = 0
    /// The size the table was made with (a partition starts again at it).
    private let initialSize: Int

    var count: Int { store.count }

    /// How many rows ahead a probe's slot is fetched.
    static let lookahead = 16

    init(isBytes: [Bool], expected: Int = 0) {
        store = GroupKeyStore(isBytes: isBytes)
        hashes = .allocate(capacity: 1)
        hashes.initialize(to: GrowableBuffer())
        singleWord = isBytes.count == 1 && !isBytes[0]
        var size = 1024
        while size < expected * 2 { size <<= 1 }
        slots = HashGroupTable.makeSlots(size)
        mask = size - 1
        initialSize = size
    }

    /// Empties the slots for a partition whose keys no earlier one held; the groups found so far
    /// stay in the store, numbered as they were. A table that grew is made its first size again
    /// (clearing a large one for every partition would cost more than the partitions).
    func startPartition() {
        firstGroup = store.count
        nullGroup = -1
        if mask + 1 > initialSize {
            free(slots)
            slots = HashGroupTable.makeSlots(initialSize)
            mask = initialSize - 1
        } else {
            memset(slots, 0, (mask + 1) * MemoryLayout<Slot>.stride)
        }
    }

    /// Forgets every group, for the next partition.
    func removeAll() {
        store.removeAll()
        hashes.pointee.removeAll()
        startPartition()
        firstGroup = 0
    }

    /// Empty slots. A large table is asked for in huge pages: probes land anywhere in it, and
    /// with 4 KiB pages nearly every one would miss the TLB as well as the cache.
    private static func makeSlots(_ size: Int) -> UnsafeMutablePointer<Slot> {
        let bytes = size * MemoryLayout<Slot>.stride
        let huge = 2 << 20
        guard bytes >= 2 * huge, let p = aligned_alloc(huge, (bytes + huge - 1) / huge * huge) else {
            return calloc(size, MemoryLayout<Slot>.stride)!.bindMemory(to: Slot.self, capacity: size)
        }
        HugePages.adviseAll(p, bytes: (bytes + huge - 1) / huge * huge)
        memset(p, 0, bytes)
        return p.bindMemory(to: Slot.self, capacity: size)
    }

    deinit {
        free(slots)
        hashes.pointee.release()
        hashes.deinitialize(count: 1).deallocate()
        store.release()
    }

    /// The group of each of the `n` rows of `batches` (one per key), adding new groups.
    /// `hashes` holds the rows' hashes (`KeyBatch.hash`).
    func assign(_ batches: UnsafePointer<KeyBatch>, _ rowHashes: UnsafePointer<UInt64>, _ n: Int,
                into groups: UnsafeMutablePointer<Int32>) {
        // Room for every row of the batch to be new, so the loop never grows the table.
        if (store.count - firstGroup + n) * 2 > mask + 1 { grow(to: store.count - firstGroup + n) }
        let store = self.store, hashes = self.hashes
        if singleWord {
            assignWords(batches[0], rowHashes, n, groups)
            return
        }
        let s = slots, m = mask
        // The slots a few rows ahead are fetched while this row probes: a large table misses
        // the cache on nearly every probe, and the misses then overlap instead of waiting in turn.
        // So are the text keys' bytes, which lie anywhere when the rows come from a partition.
        let text = (0..<store.isBytes.count).filter { store.isBytes[$0] }
        for i in 0..<Swift.min(n, HashGroupTable.lookahead) { projq_prefetch(s + (Int(truncatingIfNeeded: rowHashes[i]) & m)) }
        for i in 0..<n {
            if i &+ HashGroupTable.lookahead < n {
                let ahead = i &+ HashGroupTable.lookahead
                projq_prefetch(s + (Int(truncatingIfNeeded: rowHashes[ahead]) & m))
                for k in text {
                    // Both ends: a key of 30 to 60 bytes spans two lines.
                    let start = batches[k].starts[ahead]
                    projq_prefetch(start)
                    projq_prefetch(start + Swift.max(0, Int(batches[k].lengths[ahead]) - 1))
                }
            }
            let h = rowHashes[i]
            var p = Int(truncatingIfNeeded: h) & m
            while true {
                let slot = s[p]
                if slot.group == 0 {
                    let g = Int32(store.count)
                    store.append(batches, i)
                    hashes.pointee.append(h)
                    s[p] = Slot(tag: h, group: g &+ 1)
                    groups[i] = g
                    break
                }
                if slot.tag == h, store.equals(Int(slot.group &- 1), batches, i) {
                    groups[i] = slot.group &- 1
                    break
                }
                p = (p &+ 1) & m
            }
        }
    }

    @inline(__always)
    private func assignWords(_ keys: KeyBatch, _ rowHashes: UnsafePointer<UInt64>, _ n: Int, _ groups: UnsafeMutablePointer<Int32>) {
        let s = slots, m = mask, words = keys.words, valid = keys.valid, store = self.store, hashes = self.hashes
        var batches = [keys]
        for i in 0..<Swift.min(n, HashGroupTable.lookahead) { projq_prefetch(s + (Int(truncatingIfNeeded: rowHashes[i]) & m)) }
        for i in 0..<n {
            if i &+ HashGroupTable.lookahead < n { projq_prefetch(s + (Int(truncatingIfNeeded: rowHashes[i &+ HashGroupTable.lookahead]) & m)) }
            if valid[i] == 0 {
                if nullGroup < 0 {
                    nullGroup = Int32(store.count)
                    batches.withUnsafeBufferPointer { store.append($0.baseAddress!, i) }
                    hashes.pointee.append(rowHashes[i])
                }
                groups[i] = nullGroup
                continue
            }
            let w = words[i]
            var p = Int(truncatingIfNeeded: rowHashes[i]) & m
            while true {
                let slot = s[p]
                if slot.group == 0 {
                    let g = Int32(store.count)
                    batches.withUnsafeBufferPointer { store.append($0.baseAddress!, i) }
                    hashes.pointee.append(rowHashes[i])
                    s[p] = Slot(tag: w, group: g &+ 1)
                    groups[i] = g
                    break
                }
                if slot.tag == w {
                    groups[i] = slot.group &- 1
                    break
                }
                p = (p &+ 1) & m
            }
        }
    }

    /// The group of each row's key, or −1 where the table does not hold it (nothing is added).
    /// Null keys match nothing.
    func find(_ batches: UnsafePointer<KeyBatch>, _ rowHashes: UnsafePointer<UInt64>, _ n: Int,
              into groups: UnsafeMutablePointer<Int32>) {
        let s = slots, m = mask
        for i in 0..<Swift.min(n, HashGroupTable.lookahead) { projq_prefetch(s + (Int(truncatingIfNeeded: rowHashes[i]) & m)) }
        for i in 0..<n {
            if i &+ HashGroupTable.lookahead < n { projq_prefetch(s + (Int(truncatingIfNeeded: rowHashes[i &+ HashGroupTable.lookahead]) & m)) }
            groups[i] = -1
            var anyNull = false
            for k in store.isBytes.indices where batches[k].valid[i] == 0 { anyNull = true }
            if anyNull { continue }
            let h = rowHashes[i]
            let tag = singleWord ? batches[0].words[i] : h
            var p = Int(truncatingIfNeeded: h) & m
            while true {
                let slot = s[p]
                if slot.group == 0 { break }
                if slot.tag == tag, singleWord || store.equals(Int(slot.group &- 1), batches, i) {
                    groups[i] = slot.group &- 1
                    break
                }
                p = (p &+ 1) & m
            }
        }
    }

    /// Doubles the table until `groups` fit at half load, placing the groups again by hash.
    private func grow(to groups: Int) {
        var size = mask + 1
        while groups * 2 > size { size <<= 1 }
        free(slots)
        slots = HashGroupTable.makeSlots(size)
        mask = size - 1
        for g in firstGroup..<store.count where !(singleWord && Int32(g) == nullGroup) {
            let h = hashes.pointee[g]
            var p = Int(truncatingIfNeeded: h) & mask
            while slots[p].group != 0 { p = (p &+ 1) & mask }
            slots[p] = Slot(tag: singleWord ? store.word(0, g) : h, group: Int32(g + 1))
        }
    }

    /// Adds another table's groups to this one; returns, for each of its groups, the group it is
    /// here. The two threads of an aggregation each build a table, then meet here.
    func absorb(_ other: HashGroupTable) -> [Int32] {
        var mapping = [Int32](repeating: 0, count: other.count)
        var batches = other.store.isBytes.map { _ in KeyBatch() }
        defer { for b in batches { b.release() } }
        var start = 0
        while start < other.count {
            let end = Swift.min(start + Execution.batchSize, other.count)
            batches.withUnsafeMutableBufferPointer { b in
                other.store.read(start..<end, into: b.baseAddress!)
                other.hashes.pointee.elements.baseAddress.map { h in
                    mapping.withUnsafeMutableBufferPointer { m in
                        assign(b.baseAddress!, h + start, end - start, into: m.baseAddress! + start)
                    }
                }
            }
            start = end
        }
        return mapping
    }
}
