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
        // The folder of the target ("/" for /NAME): the temporary file goes beside the target, so
        // that the rename stays on one file system.
        let folder = path.contains("/") ? (path.lastIndex(of: "/") == path.startIndex ? "/" : String(path[..<path.lastIndex(of: "/")!])) : "."
        let base = lastPathComponent(path)
        // What is at the path now: a regular file is replaced and keeps its permissions;
        // anything else (a link, a device, a folder, a pipe) is not written over.
        var existing = stat()
        var keptMode: mode_t? = nil
        if lstat(path, &existing) == 0 {
            guard (existing.st_mode & S_IFMT) == S_IFREG else {
                let what = switch existing.st_mode & S_IFMT {
                case S_IFLNK: "a symbolic link (save to the file it points to)"
                case S_IFDIR: "a folder"
                default: "not a regular file"
                }
                throw LoadError(file: path, message: "cannot save: it is \(what); the file is unchanged")
            }
            keptMode = existing.st_mode & 0o7777
        }
        sweepStaleTemporaries(folder: folder, base: base)
        // Created exclusively under an unpredictable name (mkostemp): never through a planted link.
        var template = Array(((folder == "/" ? "" : folder) + "/.\(base).tmp-\(getpid())-XXXXXX").utf8CString)
        var slot: Int32 = -1
        let fd = template.withUnsafeMutableBufferPointer { projq_temp_create($0.baseAddress!, &slot) }
        guard fd >= 0 else { throw LoadError(file: path, message: "cannot save: \(String(cString: strerror(errno)))") }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { projq_temp_unregister(slot) }
        let umaskNow = umask(0)
        umask(umaskNow)
        fchmod(fd, keptMode ?? (mode & ~umaskNow))
        let file = OutputFile(fd: fd, path: path)
        do throws(LoadError) {
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
            guard fsync(fd) == 0 else { throw file.failure("fsync") }
            close(fd)
            file.fd = -1
            guard rename(temporary, path) == 0 else { throw file.failure("rename") }
            // Make the rename itself durable.
            let dirFd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirFd >= 0 {
                fsync(dirFd)
                close(dirFd)
            }
        } catch {
            if file.fd >= 0 { close(file.fd) }
            unlink(temporary)
            throw error
        }
    }

    /// Removes temporary files of saves beside `base` whose process is gone (killed before it
    /// could clean up): `.BASE.tmp-PID-XXXXXX`, and `.BASE.tmp-PID` of older versions.
    static func sweepStaleTemporaries(folder: String, base: String) {
        let prefix = ".\(base).tmp-"
        for name in directoryEntries(folder) ?? [] where name.hasPrefix(prefix) {
            let pid = pid_t(name.dropFirst(prefix.count).prefix { $0 != "-" }) ?? 0
            guard pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((folder == "/" ? "" : folder) + "/" + name)
        }
    }

    private static func writeColumn(_ column: Column, to file: OutputFile, directory dir: inout ByteWriter,
                                    blockSize: Int) throws(LoadError) {
        // A column read from a snapshot is checked before it is copied, so that a damaged block
        // is never written out under a fresh checksum.
        do { try column.verifyAll() } catch {
            throw LoadError(file: file.path, message: "cannot save: \(error.message); the previous file is unchanged")
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

/// A file being written, with its offset and error reporting.
final class OutputFile {
    var fd: Int32
    let path: String
    var offset = 0

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func failure(_ what: String) -> LoadError {
        LoadError(file: path, message: "cannot save (\(what) failed: \(String(cString: strerror(errno)))); the previous file is unchanged")
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(LoadError) {
        var done = 0
        while done < bytes.count {
            let r = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if r < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            done += r
        }
        offset += bytes.count
    }

    func write(_ bytes: [UInt8]) throws(LoadError) {
        // A copy: the directory and header are small, and typed throws cannot leave a closure.
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(bytes.count, 1), alignment: 8)
        defer { copy.deallocate() }
        copy.copyBytes(from: bytes)
        try write(UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count]))
    }

    func write(zeros n: Int) throws(LoadError) {
        try write([UInt8](repeating: 0, count: n))
    }

    /// Pads to the next 8-byte boundary, so that every buffer can be used in place from a map.
    func pad() throws(LoadError) {
        let rest = offset % SnapshotFormat.alignment
        if rest != 0 { try write(zeros: SnapshotFormat.alignment - rest) }
    }

    func pwrite(_ bytes: [UInt8], at position: Int) throws(LoadError) {
        let r = bytes.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress!, $0.count, off_t(position)) }
        if r != bytes.count { throw failure("write") }
    }
}
