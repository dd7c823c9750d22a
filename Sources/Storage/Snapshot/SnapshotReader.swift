#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Dispatch

/// A read-only mapping of a whole file, unmapped when the last buffer that views it is gone.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let size: Int

    init(path: String) throws(LoadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LoadError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        size = Int(st.st_size)
        guard size > 0 else { throw LoadError(file: path, message: "the snapshot is empty (truncated?)") }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw LoadError(file: path, message: "cannot map: \(String(cString: strerror(errno)))") }
        base = UnsafeRawPointer(p)
    }

    deinit { munmap(UnsafeMutableRawPointer(mutating: base), size) }
}

/// Opens a snapshot: checks the header, the directory and every buffer's checksum, then builds
/// columns that view the mapped file in place (nothing is copied).
public enum SnapshotReader {
    /// True when the file starts with the snapshot magic, whatever its name.
    public static func isSnapshot(path: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 8)
        let r = head.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 8) }
        return r == 8 && head == SnapshotFormat.magic
    }

    public static func open(path: String) throws(LoadError) -> Catalog {
        let file = try MappedFile(path: path)
        func corrupt(_ message: String) -> LoadError { LoadError(file: path, message: "not a valid snapshot: " + message) }

        guard file.size >= SnapshotFormat.headerSize else { throw corrupt("the header is truncated (\(file.size) bytes)") }
        let magic = UnsafeRawBufferPointer(start: file.base, count: 8)
        guard Array(magic) == SnapshotFormat.magic else { throw corrupt("wrong magic bytes; this is not a projq snapshot") }
        var header = ByteReader(base: file.base, count: SnapshotFormat.headerSize, position: 8)
        let version: UInt32, directoryOffset: UInt64, directoryLength: UInt64, directoryChecksum: UInt64, headerChecksum: UInt64
        do {
            version = try header.u32("version")
            _ = try header.u32("flags")
            directoryOffset = try header.u64("directory offset")
            directoryLength = try header.u64("directory length")
            directoryChecksum = try header.u64("directory checksum")
            headerChecksum = try header.u64("header checksum")
        } catch {
            throw corrupt("the header is truncated at its \(error.what)")
        }
        guard projq_checksum(file.base, 40) == headerChecksum else { throw corrupt("the header checksum does not match (corrupted header)") }
        guard version == SnapshotFormat.version else {
            throw corrupt("format version \(version); this projq reads version \(SnapshotFormat.version)")
        }
        guard directoryOffset <= UInt64(file.size), directoryLength <= UInt64(file.size) - directoryOffset else {
            throw corrupt("the directory lies past the end of the file (truncated file: \(file.size) bytes)")
        }
        let dirBase = file.base + Int(directoryOffset)
        guard projq_checksum(dirBase, Int(directoryLength)) == directoryChecksum else {
            throw corrupt("the directory checksum does not match (corrupted directory)")
        }

        var dir = ByteReader(base: dirBase, count: Int(directoryLength))
        var pending: [PendingBuffer] = []
        var tables: [PendingTable] = []
        do {
            let tableCount = try dir.u32("table count")
            for _ in 0..<tableCount {
                guard let name = try dir.string("table name") else { throw corrupt("a table name is not UTF-8") }
                let rows = try dir.u64("row count of \(name)")
                guard rows <= UInt64(Int32.max) * 8 else { throw corrupt("table '\(name)' claims \(rows) rows") }
                let columnCount = try dir.u32("column count of \(name)")
                var columns: [PendingColumn] = []
                for _ in 0..<columnCount {
                    guard let columnName = try dir.string("column name in \(name)") else { throw corrupt("a column name in '\(name)' is not UTF-8") }
                    let what = "column '\(columnName)' of table '\(name)'"
                    let typeCode = try dir.u8("type of \(what)"), unitCode = try dir.u8("unit of \(what)")
                    guard let storage = SnapshotFormat.StorageTag(rawValue: try dir.u8("storage of \(what)")) else {
                        throw corrupt("unknown storage tag for \(what)")
                    }
                    let flags = try dir.u8("flags of \(what)")
                    guard let type = DataType(persistedType: typeCode, unit: unitCode, ordered: flags & 1 != 0) else {
                        throw corrupt("unknown type code \(typeCode) (unit \(unitCode)) for \(what)")
                    }
                    let nulls = try dir.u64("null count of \(what)")
                    let bufferCount = try dir.u32("buffer count of \(what)")
                    var roles: [SnapshotFormat.BufferRole: Int] = [:]
                    for _ in 0..<bufferCount {
                        guard let role = SnapshotFormat.BufferRole(rawValue: try dir.u8("buffer role in \(what)")) else {
                            throw corrupt("unknown buffer role in \(what)")
                        }
                        let offset = try dir.u64("buffer offset in \(what)")
                        let length = try dir.u64("buffer length in \(what)")
                        let checksum = try dir.u64("buffer checksum in \(what)")
                        guard offset % UInt64(SnapshotFormat.alignment) == 0 else { throw corrupt("a buffer of \(what) is not 8-byte aligned") }
                        guard offset <= UInt64(file.size), length <= UInt64(file.size) - offset else {
                            throw corrupt("the \(role.name) buffer of \(what) lies past the end of the file (truncated file)")
                        }
                        roles[role] = pending.count
                        pending.append(PendingBuffer(offset: Int(offset), length: Int(length), checksum: checksum, role: role,
                                                     column: columnName, table: name))
                    }
                    columns.append(PendingColumn(name: columnName, type: type, storage: storage, ordered: flags & 1 != 0,
                                                 nullCount: Int(nulls), buffers: roles))
                }
                tables.append(PendingTable(name: name, rows: Int(rows), columns: columns))
            }
        } catch let e as ByteReader.Truncated {
            throw corrupt("the directory ends early, while reading the \(e.what)")
        } catch let e as LoadError {
            throw e
        } catch {
            throw corrupt("\(error)")
        }

        try verifyChecksums(pending, file: file, path: path)

        var catalog: [Table] = []
        for t in tables {
            var columns: [Column] = []
            for c in t.columns {
                columns.append(try build(c, rows: t.rows, table: t.name, pending: pending, file: file, path: path))
            }
            catalog.append(Table(name: t.name, columns: columns, rowCount: t.rows))
        }
        return Catalog(tables: catalog, source: path)
    }

    struct PendingBuffer {
        var offset: Int
        var length: Int
        var checksum: UInt64
        var role: SnapshotFormat.BufferRole
        var column: String
        var table: String

        /// Built only for an error message (string interpolation of an enum is not free).
        var what: String { "the \(role.name) buffer of column '\(column)' of table '\(table)'" }
    }

    struct PendingColumn {
        var name: String
        var type: DataType
        var storage: SnapshotFormat.StorageTag
        var ordered: Bool
        var nullCount: Int
        var buffers: [SnapshotFormat.BufferRole: Int]
    }

    struct PendingTable {
        var name: String
        var rows: Int
        var columns: [PendingColumn]
    }

    /// Checks every buffer's checksum, on both cores when there is much to read.
    private static func verifyChecksums(_ buffers: [PendingBuffer], file: MappedFile, path: String) throws(LoadError) {
        let total = buffers.reduce(0) { $0 + $1.length }
        let results = ChecksumResults(count: buffers.count)
        // Deal buffers out largest first to the thread with less to read.
        var owner = [Int](repeating: 0, count: buffers.count)
        var load = [0, 0]
        for k in buffers.indices.sorted(by: { buffers[$0].length > buffers[$1].length }) {
            let t = load[0] <= load[1] ? 0 : 1
            owner[k] = t
            load[t] += buffers[k].length
        }
        let owners = owner
        let work = { @Sendable (part: Int, parts: Int) in
            for (k, b) in buffers.enumerated() where parts == 1 || owners[k] == part {
                results.set(k, projq_checksum(file.base + b.offset, b.length) == b.checksum)
            }
        }
        if total > 4 << 20 {
            DispatchQueue.concurrentPerform(iterations: 2) { work($0, 2) }
        } else {
            work(0, 1)
        }
        for (k, b) in buffers.enumerated() where !results.ok[k] {
            throw LoadError(file: path, message: "not a valid snapshot: the checksum of \(b.what) does not match (corrupted data)")
        }
    }

    private static func build(_ c: PendingColumn, rows: Int, table: String, pending: [PendingBuffer], file: MappedFile,
                              path: String) throws(LoadError) -> Column {
        let what = "column '\(c.name)' of table '\(table)'"
        func corrupt(_ message: String) -> LoadError { LoadError(file: path, message: "not a valid snapshot: \(what): \(message)") }
        func buffer<T>(_ role: SnapshotFormat.BufferRole, _: T.Type, count: Int? = nil) throws(LoadError) -> TypedBuffer<T> {
            guard let k = c.buffers[role] else { throw corrupt("its \(role.name) buffer is missing") }
            let b = pending[k]
            let n = b.length / MemoryLayout<T>.stride
            guard b.length % MemoryLayout<T>.stride == 0 else { throw corrupt("its \(role.name) buffer has a partial element") }
            if let count, n != count { throw corrupt("its \(role.name) buffer holds \(n) values, expected \(count)") }
            return TypedBuffer(storage: RawBuffer(viewing: file.base + b.offset, byteCount: b.length, owner: file), count: n)
        }
        func heap(_ bytesRole: SnapshotFormat.BufferRole, _ offsetsRole: SnapshotFormat.BufferRole, count: Int?) throws(LoadError) -> StringHeap {
            let bytes = try buffer(bytesRole, UInt8.self)
            let offsets = try buffer(offsetsRole, UInt32.self, count: count.map { $0 + 1 })
            guard offsets.count >= 1 else { throw corrupt("its string offsets are empty") }
            // Offsets must rise within the bytes, or a read could leave the buffer.
            var previous: UInt32 = 0
            let p = offsets.pointer
            guard p[0] == 0 else { throw corrupt("its string offsets do not start at 0") }
            for i in 0..<offsets.count {
                let o = p[i]
                if o < previous || Int(o) > bytes.count { throw corrupt("its string offsets are out of order or out of range") }
                previous = o
            }
            return StringHeap(bytes: bytes, offsets: offsets)
        }
        func dictionary() throws(LoadError) -> StringDictionary {
            StringDictionary(values: try heap(.dictionaryBytes, .dictionaryOffsets, count: nil), isOrdered: c.ordered)
        }
        func checkCodes(_ maxCode: Int, _ d: StringDictionary) throws(LoadError) {
            if rows > 0, maxCode >= Swift.max(d.count, 1) { throw corrupt("a dictionary code is out of range") }
        }
        let words = try buffer(.validity, UInt64.self, count: (rows + 63) / 64)
        let validity = Bitmap(words: words, count: rows)
        let data: ColumnData
        switch c.storage {
        case .int64: data = .int64(try buffer(.data, Int64.self, count: rows))
        case .float64: data = .float64(try buffer(.data, Double.self, count: rows))
        case .int32: data = .int32(try buffer(.data, Int32.self, count: rows))
        case .uint8: data = .uint8(try buffer(.data, UInt8.self, count: rows))
        case .codes8:
            let d = try dictionary(); let b = try buffer(.data, UInt8.self, count: rows)
            if d.count <= Int(UInt8.max) { try checkCodes(maxElement(b), d) }; data = .codes8(b, d)
        case .codes16:
            let d = try dictionary(); let b = try buffer(.data, UInt16.self, count: rows)
            if d.count <= Int(UInt16.max) { try checkCodes(maxElement(b), d) }; data = .codes16(b, d)
        case .codes32:
            let d = try dictionary(); let b = try buffer(.data, UInt32.self, count: rows)
            try checkCodes(maxElement(b), d); data = .codes32(b, d)
        case .strings: data = .strings(try heap(.heapBytes, .heapOffsets, count: rows))
        }
        guard Column.fits(data, c.type) else { throw corrupt("its type (\(c.type)) does not match its storage (\(c.storage))") }
        let column = Column(name: c.name, type: c.type, validity: validity, data: data, nullCount: c.nullCount)
        if c.buffers[.zoneMinimums] != nil || c.buffers[.zoneMaximums] != nil {
            let blocks = (rows + ZoneMap.blockSize - 1) / ZoneMap.blockSize
            let mins = try buffer(.zoneMinimums, Double.self, count: blocks)
            let maxs = try buffer(.zoneMaximums, Double.self, count: blocks)
            column.zoneMap = ZoneMap(mins: Array(UnsafeBufferPointer(start: mins.pointer, count: blocks)),
                                     maxs: Array(UnsafeBufferPointer(start: maxs.pointer, count: blocks)))
        }
        return column
    }
}

/// Per-buffer checksum verdicts written by the two checking threads (disjoint indices).
/// The largest code, in a loop the compiler vectorises (one per width: generic code here was
/// not specialised and cost more than the checksums).
private func maxElement(_ b: TypedBuffer<UInt8>) -> Int {
    var m: UInt8 = 0
    let p = b.pointer
    for i in 0..<b.count { m = Swift.max(m, p[i]) }
    return Int(m)
}

private func maxElement(_ b: TypedBuffer<UInt16>) -> Int {
    var m: UInt16 = 0
    let p = b.pointer
    for i in 0..<b.count { m = Swift.max(m, p[i]) }
    return Int(m)
}

private func maxElement(_ b: TypedBuffer<UInt32>) -> Int {
    var m: UInt32 = 0
    let p = b.pointer
    for i in 0..<b.count { m = Swift.max(m, p[i]) }
    return Int(m)
}

/// Raw memory rather than an array: an array property written from two threads would trip
/// Swift's exclusivity checks.
private final class ChecksumResults: @unchecked Sendable {
    let ok: UnsafeMutablePointer<Bool>
    init(count: Int) {
        ok = .allocate(capacity: Swift.max(count, 1))
        ok.initialize(repeating: false, count: Swift.max(count, 1))
    }
    deinit { ok.deallocate() }
    func set(_ i: Int, _ v: Bool) { ok[i] = v }
}
