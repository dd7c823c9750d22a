import Storage

/// `top N by COLUMN` on a number or date column, with the filter before it fused in: a heap of
/// the N best rows, and blocks visited best zone first (by the zone map's max for desc, min for
/// asc) so that once the heap is full, every block whose zone cannot beat its worst row is
/// skipped — for `where investment >= 1亿 top 10 by investment`, nearly all of them.
struct ZoneMapTopN {
    let column: Column
    let n: Int
    let descending: Bool

    private struct Entry {
        var value: Double
        var row: Int32
    }

    /// Whether a ranks before b: by value in the direction, then file order.
    private func better(_ a: Entry, _ b: Entry) -> Bool {
        if a.value != b.value { return descending ? a.value > b.value : a.value < b.value }
        return a.row < b.row
    }

    /// Whether the column is one this path reads: a number or a date stored by value.
    static func applies(_ column: Column) -> Bool {
        switch column.data {
        case .int64, .float64, .int32: true
        default: false
        }
    }

    /// `checking`: the columns it reads (the key's and the filter's), whose snapshot blocks are
    /// checked block by block as the scan visits them.
    func run(_ input: Relation, filter: FilterKernel?, checking: [Column], _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        var out = input
        guard n > 0 else {
            out.selection = []
            return out
        }
        // A heap with the worst kept row on top.
        var heap: [Entry] = []
        heap.reserveCapacity(n + 1)
        var nullRows: [Int32] = []
        let value: (Int) -> Double
        switch column.data {
        case .float64(let b): let p = b.pointer; value = { p[$0] }
        case .int64(let b): let p = b.pointer; value = { Double(p[$0]) }
        case .int32(let b): let p = b.pointer; value = { Double(p[$0]) }
        default: return out
        }
        let hasNulls = column.nullCount > 0
        func push(_ e: Entry) {
            if heap.count == n {
                guard better(e, heap[0]) else { return }
                heap[0] = e
                siftDown(&heap, 0)
            } else {
                heap.append(e)
                siftUp(&heap, heap.count - 1)
            }
        }
        let batch = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        defer { batch.deallocate() }
        func take(_ m: Int) {
            let k = filter?.apply(batch, m) ?? m
            for i in 0..<k {
                let r = Int(batch[i])
                if hasNulls && !column.validity.isValid(r) {
                    nullRows.append(batch[i])
                } else {
                    push(Entry(value: value(r), row: batch[i]))
                }
            }
        }
        func check(_ rows: Range<Int>) throws(Stopped) {
            do throws(CorruptData) {
                for c in checking { try c.verify(rows: rows) }
            } catch {
                throw .corrupt(error)
            }
        }
        if input.selection == nil, let zones = column.zoneMap, ZoneMap.blockSize == Execution.batchSize {
            // Best zone first; among equal zones, the earlier block first (ties go to the earlier row).
            let blocks = (0..<zones.mins.count).sorted { a, b in
                let x = descending ? zones.maxs[a] : zones.mins[a], y = descending ? zones.maxs[b] : zones.mins[b]
                if x != y { return descending ? x > y : x < y }
                return a < b
            }
            for b in blocks {
                try cancel.check()
                if heap.count == n {
                    // No row of this block (nor of any later one) can beat the heap's worst: its
                    // zone is worse, or equal and its rows all come after the worst's row.
                    // (Zones are widened by one ulp; unwidened, a zone equal to the worst value
                    // can hold only ties.)
                    let worst = heap[0]
                    let bound = descending ? zones.maxs[b] : zones.mins[b]
                    if descending ? bound < worst.value : bound > worst.value { break }
                    let exact = descending ? bound.nextDown : bound.nextUp
                    if exact == worst.value, b * ZoneMap.blockSize > Int(worst.row) { break }
                }
                let start = b * ZoneMap.blockSize
                let m = min(ZoneMap.blockSize, input.rowCount - start)
                try check(start..<(start + m))
                for i in 0..<m { batch[i] = Int32(start + i) }
                take(m)
            }
        } else {
            for c in checking {
                do throws(CorruptData) {
                    if let s = input.selection {
                        try s.withUnsafeBufferPointer { (rows) throws(CorruptData) in try c.verify(rows: rows) }
                    } else {
                        try c.verifyAll()
                    }
                } catch {
                    throw .corrupt(error)
                }
            }
            let total = input.count
            var start = 0
            while start < total {
                try cancel.check()
                let m = min(Execution.batchSize, total - start)
                fillBatch(input, start, m, batch)
                take(m)
                start += m
            }
        }
        var rows = heap.sorted(by: better).map(\.row)
        if rows.count < n {
            // Nulls sort last, in file order (only reached when every block was read).
            nullRows.sort()
            rows += nullRows.prefix(n - rows.count)
        }
        out.selection = rows
        return out
    }

    private func siftUp(_ h: inout [Entry], _ i: Int) {
        var i = i
        while i > 0 {
            let parent = (i - 1) / 2
            guard better(h[parent], h[i]) else { break }   // the worst belongs on top
            h.swapAt(parent, i)
            i = parent
        }
    }

    private func siftDown(_ h: inout [Entry], _ i: Int) {
        var i = i
        while true {
            let l = 2 * i + 1, r = l + 1
            var worst = i
            if l < h.count, better(h[worst], h[l]) { worst = l }
            if r < h.count, better(h[worst], h[r]) { worst = r }
            if worst == i { return }
            h.swapAt(i, worst)
            i = worst
        }
    }
}
