import Storage

/// The best N positions by sort keys of any types: a heap with the worst kept position on top.
/// A position is first compared by its first key's order word alone; only when that does not
/// decide (a tie, or text sharing eight bytes) are the rows compared in full. Ties keep input
/// order; nulls come last.
struct HeapTopN {
    let keys: [SortKeyColumn]
    let n: Int

    private struct Entry {
        /// The first key's word, with nulls after every value (a flag above the word).
        var word: UInt64
        var isNull: Bool
        var position: Int32
    }

    /// The best value a block of text can hold: its first sixteen bytes as two order words.
    struct Zone: Comparable {
        var first: UInt64
        var second: UInt64
        static func < (a: Zone, b: Zone) -> Bool { a.first != b.first ? a.first < b.first : a.second < b.second }
    }

    /// The best `n` of positions `0..<count`. `zones`: the first key's best possible value in
    /// each block of `ZoneMap.blockSize` positions; blocks are then read best first, and once
    /// the heap is full the first block whose best is worse than the heap's worst ends the scan.
    /// Each block's rows are checked against a snapshot's checksums before they are read.
    func run(count: Int, zones: [Zone]? = nil, _ cancel: CancellationFlag) throws(Stopped) -> [Int32] {
        guard n > 0 else { return [] }
        let block = ZoneMap.blockSize
        let blocks = (count + block - 1) / block
        var order = Array(0..<blocks)
        if let zones, zones.count == blocks {
            order.sort { zones[$0] != zones[$1] ? zones[$0] < zones[$1] : $0 < $1 }
        }
        // Two threads take the blocks in turn (each still best first), keep their own heaps, and
        // the two heaps' rows are ordered at the end.
        let parts = Parallel.parts(rows: count)
        let heaps = try Parallel.run(parts: parts) { (part) throws(Stopped) -> [Entry] in
            try scan(order.enumerated().filter { $0.offset % parts == part }.map(\.element), count: count, zones: zones, cancel)
        }
        return heaps.flatMap { $0 }.sorted(by: before).prefix(n).map(\.position)
    }

    /// Whether a sorts before b.
    private func before(_ a: Entry, _ b: Entry) -> Bool {
        if a.isNull != b.isNull { return b.isNull }
        if a.word != b.word { return a.word < b.word }
        let c = SortKeyColumn.compare(keys, Int(a.position), Int(b.position))
        return c != 0 ? c < 0 : a.position < b.position
    }

    /// One thread's heap over blocks `order`.
    private func scan(_ order: [Int], count: Int, zones: [Zone]?, _ cancel: CancellationFlag) throws(Stopped) -> [Entry] {
        var heap: [Entry] = []
        heap.reserveCapacity(n + 1)
        let first = keys[0]
        let block = ZoneMap.blockSize
        var positions = [UInt32](repeating: 0, count: block)
        var rows = [Int32](repeating: 0, count: block)
        var words = [UInt64](repeating: 0, count: block)
        var nulls = [UInt8](repeating: 0, count: block)
        for b in order {
            try cancel.check()
            // Every row of this block (and of the blocks after it) is worse than the heap's worst
            // when the block's best sixteen bytes are.
            if let zones, heap.count == n, !heap[0].isNull,
               zones[b] > Zone(first: heap[0].word, second: zones[b].first == heap[0].word ? first.secondWord(Int(heap[0].position)) : 0) { break }
            let p = b * block, end = Swift.min(count, p + block)
            for q in p..<end { positions[q - p] = UInt32(q) }
            // The rows this block reads, checked first.
            for key in keys {
                for q in p..<end { rows[q - p] = Int32(key.row(q)) }
                do throws(CorruptData) {
                    try rows.withUnsafeBufferPointer { (r) throws(CorruptData) in
                        try key.column.verify(rows: UnsafeBufferPointer(rebasing: r[0..<(end - p)]))
                    }
                } catch {
                    throw .corrupt(error)
                }
            }
            positions.withUnsafeBufferPointer { pos in
                words.withUnsafeMutableBufferPointer { w in
                    nulls.withUnsafeMutableBufferPointer { z in
                        _ = first.orderWords(pos.baseAddress!, end - p, into: w.baseAddress!, nulls: z.baseAddress!)
                    }
                }
            }
            // Once the heap is full, most rows lose to its worst on the first word alone: that test
            // runs on plain locals; the heap is touched only for the rest.
            var full = heap.count == n
            var worstWord = full ? heap[0].word : 0, worstIsNull = full ? heap[0].isNull : false
            words.withUnsafeBufferPointer { w in
                nulls.withUnsafeBufferPointer { z in
                    for i in 0..<(end - p) {
                        if full {
                            if z[i] != 0 { if !worstIsNull { continue } } else if !worstIsNull, w[i] > worstWord { continue }
                        }
                        let e = Entry(word: w[i], isNull: z[i] != 0, position: Int32(p + i))
                        if !full {
                            heap.append(e)
                            siftUp(&heap, heap.count - 1, before)
                            full = heap.count == n
                        } else {
                            guard before(e, heap[0]) else { continue }
                            heap[0] = e
                            siftDown(&heap, 0, before)
                        }
                        if full {
                            worstWord = heap[0].word
                            worstIsNull = heap[0].isNull
                        }
                    }
                }
            }
        }
        return heap
    }

    private func siftUp(_ h: inout [Entry], _ i: Int, _ before: (Entry, Entry) -> Bool) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            guard before(h[parent], h[i]) else { break }   // the worst belongs on top
            h.swapAt(parent, i)
            i = parent
        }
    }

    private func siftDown(_ h: inout [Entry], _ i: Int, _ before: (Entry, Entry) -> Bool) {
        var i = i
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < h.count, before(h[worst], h[l]) { worst = l }
            if r < h.count, before(h[worst], h[r]) { worst = r }
            if worst == i { return }
            h.swapAt(i, worst)
            i = worst
        }
    }
}
