/// A column viewed from a snapshot is checked as it is read: before a query reads rows of it,
/// the blocks of its buffers that hold those rows are checked against the snapshot's checksums
/// (once; a checked block stays checked). Columns built in memory have nothing to check.
extension Column {
    /// Whether any of the column's buffers views a snapshot.
    public var isMapped: Bool {
        if validity.words.storage.checks != nil { return true }
        switch data {
        case .int64(let b): return b.storage.checks != nil
        case .float64(let b): return b.storage.checks != nil
        case .int32(let b): return b.storage.checks != nil
        case .uint8(let b), .codes8(let b, _): return b.storage.checks != nil
        case .codes16(let b, _): return b.storage.checks != nil
        case .codes32(let b, _): return b.storage.checks != nil
        case .strings(let h): return h.offsets.storage.checks != nil || h.bytes.storage.checks != nil
        }
    }

    /// Checks rows `rows` (every buffer's blocks that hold them).
    public func verify(rows: Range<Int>) throws(CorruptData) {
        guard !rows.isEmpty, isMapped else { return }
        try validity.words.verify((rows.lowerBound >> 6)..<((rows.upperBound + 63) >> 6))
        switch data {
        case .int64(let b): try b.verify(rows)
        case .float64(let b): try b.verify(rows)
        case .int32(let b): try b.verify(rows)
        case .uint8(let b), .codes8(let b, _): try b.verify(rows)
        case .codes16(let b, _): try b.verify(rows)
        case .codes32(let b, _): try b.verify(rows)
        case .strings(let h):
            // The offsets first: they say which bytes the rows hold.
            try h.offsets.verify(rows.lowerBound..<(rows.upperBound + 1))
            try h.bytes.verify(Int(h.offsets[rows.lowerBound])..<Int(h.offsets[rows.upperBound]))
        }
    }

    /// Checks the rows of a selection: row by row when it is sparse (ten rows of a large column
    /// check ten blocks), else the stretch from its first to its last row.
    public func verify(rows: UnsafeBufferPointer<Int32>) throws(CorruptData) {
        guard !rows.isEmpty, isMapped else { return }
        var lo = Int(rows[0]), hi = lo
        var ascending = true
        var previous = lo
        for r in rows {
            let x = Int(r)
            lo = Swift.min(lo, x)
            hi = Swift.max(hi, x)
            if x < previous { ascending = false }
            previous = x
        }
        if rows.count * 64 >= hi - lo + 1 || !ascending && rows.count > 4096 {
            try verify(rows: lo..<(hi + 1))
            return
        }
        // Sparse: a row at a time, skipping rows in the block just checked.
        var checkedUpTo = -1
        for r in rows where Int(r) > checkedUpTo || !ascending {
            let x = Int(r)
            try verify(rows: x..<(x + 1))
            checkedUpTo = x
        }
    }

    /// Checks every row.
    public func verifyAll() throws(CorruptData) {
        try verify(rows: 0..<count)
    }
}
