import TextSupport
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// Saves a catalog to one snapshot file, atomically: everything goes to a temporary file in
/// the same folder, which is fsync'd and then renamed over the target. A crash or a failed
/// write at any point leaves the previous file as it was.
public enum SnapshotWriter {
    /// `mode` is the new file's permissions (less the umask); the cache makes its entries 0600.
    /// `blockSize`: of the checksum blocks (tests write the sizes other writers may have used).
    public static func save(_ catalog: Catalog, to path: String, mode: mode_t = 0o644,
                            blockSize: Int = BlockChecks.blockSize) throws(LoadError) {
        precondition(BlockChecks.accepts(blockSize))
        try AtomicFile.replace(path, mode: mode, verb: DataMessage.save()) { (file, _) throws(LoadError) in
            try file.write(zeros: SnapshotFormat.headerSize)
            // Fault injection for the tests of interrupted saves: a pause with the temporary file
            // half written, long enough for a test to send a signal.
            if let pause = getenv("PROJQ_TEST_SAVE_PAUSE_MS").flatMap({ Int(String(cString: $0)) }), pause > 0 {
                usleep(useconds_t(Swift.min(pause, 60_000) * 1000))
            }
            var dir = ByteWriter()
            dir.u32(UInt32(blockSize))
            dir.u32(UInt32(catalog.tables.count))
            for table in catalog.tables {
                dir.string(table.name)
                dir.u64(UInt64(table.rowCount))
                dir.u32(UInt32(table.columns.count))
                for column in table.columns {
                    try writeColumn(column, to: file, directory: &dir, blockSize: blockSize)
                }
            }
            try file.pad()
            let directoryOffset = file.offset
            try file.write(dir.bytes)
            var header = ByteWriter()
            header.bytes = SnapshotFormat.magic
            header.u32(SnapshotFormat.version)
            header.u32(0)
            header.u64(UInt64(directoryOffset))
            header.u64(UInt64(dir.bytes.count))
            header.u64(dir.bytes.withUnsafeBytes { projq_checksum($0.baseAddress, $0.count) })
            header.u64(header.bytes.withUnsafeBytes { projq_checksum($0.baseAddress, $0.count) })
            try file.pwrite(header.bytes, at: 0)
        }
    }

    private static func writeColumn(_ column: Column, to file: OutputFile, directory dir: inout ByteWriter,
                                    blockSize: Int) throws(LoadError) {
        // A column read from a snapshot is checked before it is copied, so that a damaged block
        // is never written out under a fresh checksum.
        do { try column.verifyAll() } catch {
            throw LoadError(file: file.path, message: DataMessage.cannotVerbUnchanged(DataMessage.save(), error.message))
        }
        dir.string(column.name)
        let code = column.type.persistedCode
        dir.u8(code.type)
        dir.u8(code.unit)
        dir.u8(UInt8(column.type.scale ?? 0))
        var buffers: [(SnapshotFormat.BufferRole, UnsafeRawBufferPointer, AnyObject)] = []
        func add<T>(_ role: SnapshotFormat.BufferRole, _ b: TypedBuffer<T>) {
            buffers.append((role, UnsafeRawBufferPointer(start: b.storage.base, count: b.count * MemoryLayout<T>.stride), b.storage))
        }
        add(.validity, column.validity.words)
        let storage: SnapshotFormat.StorageTag
        var ordered = false
        func addDictionary(_ d: StringDictionary) {
            add(.dictionaryBytes, d.values.bytes)
            add(.dictionaryOffsets, d.values.offsets)
            ordered = d.isOrdered
        }
        switch column.data {
        case .int64(let b): storage = .int64; add(.data, b)
        case .float64(let b): storage = .float64; add(.data, b)
        case .int32(let b): storage = .int32; add(.data, b)
        case .uint8(let b): storage = .uint8; add(.data, b)
        case .codes8(let b, let d): storage = .codes8; add(.data, b); addDictionary(d)
        case .codes16(let b, let d): storage = .codes16; add(.data, b); addDictionary(d)
        case .codes32(let b, let d): storage = .codes32; add(.data, b); addDictionary(d)
        case .strings(let h): storage = .strings; add(.heapBytes, h.bytes); add(.heapOffsets, h.offsets)
        }
        // Number and date columns keep their zone maps, so a query never scans to make them.
        if let zones = column.textZoneMap {
            add(.textZoneMinimums, TypedBuffer.copying(zones.mins))
            add(.textZoneMaximums, TypedBuffer.copying(zones.maxs))
        }
        if let zones = column.zoneMap {
            add(.zoneMinimums, TypedBuffer.copying(zones.mins))
            add(.zoneMaximums, TypedBuffer.copying(zones.maxs))
        }
        dir.u8(storage.rawValue)
        dir.u8(ordered ? 1 : 0)
        dir.u64(UInt64(column.nullCount))
        dir.u32(UInt32(buffers.count))
        for (role, bytes, owner) in buffers {
            try file.pad()
            dir.u8(role.rawValue)
            dir.u64(UInt64(file.offset))
            dir.u64(UInt64(bytes.count))
            for sum in BlockChecks.sums(bytes.baseAddress, bytes.count, blockSize: blockSize) { dir.u64(sum) }
            try file.write(bytes)
            withExtendedLifetime(owner) {}
        }
        dir.u32(UInt32(column.nullMarkers.count))
        for m in column.nullMarkers {
            dir.string(m.marker)
            dir.u64(UInt64(m.count))
        }
        dir.u64(UInt64(column.roundedCells))
    }
}
