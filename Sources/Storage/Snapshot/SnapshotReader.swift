#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Dispatch

/// A read-only mapping of a whole file, unmapped when the last buffer that views it is gone.
final class MappedFile: @unchecked Sendable {
    let base: UnsafeRawPointer
    let size: Int
    /// Its place among the mappings a SIGBUS is checked against.
    private let slot: Int32

    init(path: String) throws(LoadError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw LoadError(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LoadError(file: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        size = Int(st.st_size)
        guard size > 0 else { throw LoadError(file: path, message: "the snapshot is empty (truncated?)") }
        let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw LoadError(file: path, message: "cannot map: \(String(cString: strerror(errno)))") }
        base = UnsafeRawPointer(p)
        slot = projq_mapping_register(p, size, path)
    }

    deinit {
        projq_mapping_unregister(slot)
        munmap(UnsafeMutableRawPointer(mutating: base), size)
    }
}

/// Opens a snapshot: checks the header and the directory (which holds a checksum for every
/// 16 KiB block of every buffer), checks the small buffers a query needs before it runs
/// (dictionaries, zone maps) in full, and builds columns that view the mapped file in place.
/// Nothing is copied and the large buffers are not read: each of their blocks is checked the
/// first time a query reads it (`BlockChecks`), so opening costs the same for any size.
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
        // The version before the header's checksum: an older version's checksum is another
        // function, and its file is refused by its version (a damaged version field is refused too).
        guard version >= SnapshotFormat.oldestReadable, version <= SnapshotFormat.version else {
            let hint = version < SnapshotFormat.oldestReadable
                ? " (an older projq wrote it, with decimals as binary fractions and weaker checksums); open the CSV files it was made from and .save it again"
                : "; a newer projq wrote it"
            let readable = SnapshotFormat.oldestReadable == SnapshotFormat.version ? "version \(SnapshotFormat.version)"
                : "versions \(SnapshotFormat.oldestReadable) to \(SnapshotFormat.version)"
            throw corrupt("format version \(version); this projq reads \(readable)\(hint)")
        }
        guard projq_checksum(file.base, 40) == headerChecksum else { throw corrupt("the header checksum does not match (corrupted header)") }
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
        var blockSize = BlockChecks.blockSize
        do {
            let size = try dir.u32("block size")
            guard BlockChecks.accepts(Int(size)) else {
                throw corrupt("checksum blocks of \(size) bytes; this projq reads blocks of a power of two from 4096 to 1048576 bytes")
            }
            blockSize = Int(size)
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
                    let scale = Int(try dir.u8("scale of \(what)"))
                    guard scale <= FixedDecimal.maxScale else { throw corrupt("\(what) claims \(scale) digits after the point") }
                    guard let storage = SnapshotFormat.StorageTag(rawValue: try dir.u8("storage of \(what)")) else {
                        throw corrupt("unknown storage tag for \(what)")
                    }
                    let flags = try dir.u8("flags of \(what)")
                    guard let type = DataType(persistedType: typeCode, unit: unitCode, scale: scale, ordered: flags & 1 != 0) else {
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
                        guard offset % UInt64(SnapshotFormat.alignment) == 0 else { throw corrupt("a buffer of \(what) is not 8-byte aligned") }
                        guard offset <= UInt64(file.size), length <= UInt64(file.size) - offset else {
                            throw corrupt("the \(role.name) buffer of \(what) lies past the end of the file (truncated file)")
                        }
                        let blocks = (Int(length) + blockSize - 1) / blockSize
                        let sums = try dir.u64s(blocks, "block checksums of \(what)")
                        roles[role] = pending.count
                        pending.append(PendingBuffer(offset: Int(offset), length: Int(length), sums: sums, role: role,
                                                     column: columnName, table: name))
                    }
                    var markers: [NullMarkerCount] = []
                    let markerCount = try dir.u32("null-marker count of \(what)")
                    guard markerCount <= 1024 else { throw corrupt("\(what) claims \(markerCount) null markers") }
                    for _ in 0..<markerCount {
                        guard let marker = try dir.string("null marker of \(what)") else { throw corrupt("a null marker of \(what) is not UTF-8") }
                        let count = try dir.u64("null-marker count of \(what)")
                        guard count <= rows else { throw corrupt("\(what) claims \(count) cells of a null marker in \(rows) rows") }
                        markers.append(NullMarkerCount(marker: marker, count: Int(count)))
                    }
                    let rounded = try dir.u64("rounded-cell count of \(what)")
                    guard rounded <= rows, nulls <= rows else { throw corrupt("\(what) claims more nulls or rounded cells than its \(rows) rows") }
                    columns.append(PendingColumn(name: columnName, type: type, storage: storage, ordered: flags & 1 != 0,
                                                 nullCount: Int(nulls), buffers: roles, markers: markers, roundedCells: Int(rounded)))
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

        var catalog: [Table] = []
        for t in tables {
            var columns: [Column] = []
            for c in t.columns {
                columns.append(try build(c, rows: t.rows, table: t.name, pending: pending, file: file, blockSize: blockSize, path: path))
            }
            catalog.append(Table(name: t.name, columns: columns, rowCount: t.rows))
        }
        let opened = Catalog(tables: catalog, source: path)
        opened.addSource(path)
        return opened
    }

    struct PendingBuffer {
        var offset: Int
        var length: Int
        var sums: [UInt64]
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
        var markers: [NullMarkerCount]
        var roundedCells: Int
    }

    struct PendingTable {
        var name: String
        var rows: Int
        var columns: [PendingColumn]
    }

    private static func build(_ c: PendingColumn, rows: Int, table: String, pending: [PendingBuffer], file: MappedFile,
                              blockSize: Int, path: String) throws(LoadError) -> Column {
        let what = "column '\(c.name)' of table '\(table)'"
        func corrupt(_ message: String) -> LoadError { LoadError(file: path, message: "not a valid snapshot: \(what): \(message)") }
        /// A view of a buffer, its blocks checked when first read (`shape` tests each block's
        /// contents after its checksum), or at once (`now`).
        func buffer<T>(_ role: SnapshotFormat.BufferRole, _: T.Type, count: Int? = nil, now: Bool = false,
                       shape: ((UnsafePointer<T>, Range<Int>) -> String?)? = nil) throws(LoadError) -> TypedBuffer<T> {
            guard let k = c.buffers[role] else { throw corrupt("its \(role.name) buffer is missing") }
            let b = pending[k]
            let n = b.length / MemoryLayout<T>.stride
            guard b.length % MemoryLayout<T>.stride == 0 else { throw corrupt("its \(role.name) buffer has a partial element") }
            if let count, n != count { throw corrupt("its \(role.name) buffer holds \(n) values, expected \(count)") }
            let base = file.base + b.offset
            let elements = base.assumingMemoryBound(to: T.self)
            let stride = MemoryLayout<T>.stride
            let checks = BlockChecks(base: base, length: b.length, blockSize: blockSize, sums: b.sums, what: b.what, path: path, shape: shape.map { test in
                { bytes in test(elements, (bytes.lowerBound / stride)..<(bytes.upperBound / stride)) }
            })
            if now {
                do { try checks.verify(0..<b.length) } catch { throw LoadError(file: path, message: error.message.dropPrefix(path + ": ")) }
            }
            return TypedBuffer(storage: RawBuffer(viewing: base, byteCount: b.length, owner: file, checks: now ? nil : checks), count: n)
        }
        /// String offsets must rise and stay inside their bytes, or a read could leave the buffer:
        /// each block is tested with its checksum, against the element before it too.
        func heap(_ bytesRole: SnapshotFormat.BufferRole, _ offsetsRole: SnapshotFormat.BufferRole, count: Int?, now: Bool) throws(LoadError) -> StringHeap {
            let bytes = try buffer(bytesRole, UInt8.self, now: now)
            let byteCount = UInt32(truncatingIfNeeded: bytes.count)
            let offsets = try buffer(offsetsRole, UInt32.self, count: count.map { $0 + 1 }, now: now) { p, range in
                if range.lowerBound == 0, range.upperBound > 0, p[0] != 0 { return "its string offsets do not start at 0" }
                // No early exit: the loop runs over whole vectors (a block holds 16,384 offsets).
                var falls: UInt32 = 0, highest: UInt32 = 0
                let start = Swift.max(range.lowerBound, 1)
                for i in start..<Swift.max(start, range.upperBound) {
                    falls |= p[i] < p[i - 1] ? 1 : 0
                    highest = Swift.max(highest, p[i])
                }
                if range.lowerBound < range.upperBound { highest = Swift.max(highest, p[range.lowerBound]) }
                return falls != 0 || highest > byteCount ? "its string offsets are out of order or out of range" : nil
            }
            guard offsets.count >= 1 else { throw corrupt("its string offsets are empty") }
            return StringHeap(bytes: bytes, offsets: offsets)
        }
        func dictionary() throws(LoadError) -> StringDictionary {
            // Read whole at once: binding reads the values (a category's codes for `stage >= signed`).
            StringDictionary(values: try heap(.dictionaryBytes, .dictionaryOffsets, count: nil, now: true), isOrdered: c.ordered)
        }
        func codes<C: FixedWidthInteger>(_: C.Type, _ d: StringDictionary) throws(LoadError) -> TypedBuffer<C> {
            let limit = Swift.max(d.count, 1)
            return try buffer(.data, C.self, count: rows) { p, range in
                var m: C = 0
                for i in range { m = Swift.max(m, p[i]) }
                return Int(m) >= limit ? "a dictionary code is out of range" : nil
            }
        }
        let words = try buffer(.validity, UInt64.self, count: (rows + 63) / 64)
        let validity = Bitmap(words: words, count: rows)
        let data: ColumnData
        switch c.storage {
        case .int64: data = .int64(try buffer(.data, Int64.self, count: rows))
        case .float64: data = .float64(try buffer(.data, Double.self, count: rows))
        case .int32: data = .int32(try buffer(.data, Int32.self, count: rows))
        case .uint8: data = .uint8(try buffer(.data, UInt8.self, count: rows))
        case .codes8: let d = try dictionary(); data = .codes8(try codes(UInt8.self, d), d)
        case .codes16: let d = try dictionary(); data = .codes16(try codes(UInt16.self, d), d)
        case .codes32: let d = try dictionary(); data = .codes32(try codes(UInt32.self, d), d)
        case .strings: data = .strings(try heap(.heapBytes, .heapOffsets, count: rows, now: false))
        }
        guard Column.fits(data, c.type) else { throw corrupt("its type (\(c.type)) does not match its storage (\(c.storage))") }
        let column = Column(name: c.name, type: c.type, validity: validity, data: data, nullCount: c.nullCount)
        column.nullMarkers = c.markers
        column.roundedCells = c.roundedCells
        if c.buffers[.zoneMinimums] != nil || c.buffers[.zoneMaximums] != nil {
            let blocks = (rows + ZoneMap.blockSize - 1) / ZoneMap.blockSize
            let mins = try buffer(.zoneMinimums, Double.self, count: blocks, now: true)
            let maxs = try buffer(.zoneMaximums, Double.self, count: blocks, now: true)
            column.zoneMap = ZoneMap(mins: Array(UnsafeBufferPointer(start: mins.pointer, count: blocks)),
                                     maxs: Array(UnsafeBufferPointer(start: maxs.pointer, count: blocks)))
        } else if ZoneMap.applies(to: column) {
            // A number column without its zone map: checked now, so that computing one reads
            // checked data.
            do { try column.verifyAll() } catch { throw LoadError(file: path, message: error.message.dropPrefix(path + ": ")) }
            _ = column.zoneMap
        }
        if c.buffers[.textZoneMinimums] != nil || c.buffers[.textZoneMaximums] != nil {
            let blocks = (rows + ZoneMap.blockSize - 1) / ZoneMap.blockSize
            let mins = try buffer(.textZoneMinimums, UInt64.self, count: 2 * blocks, now: true)
            let maxs = try buffer(.textZoneMaximums, UInt64.self, count: 2 * blocks, now: true)
            column.textZoneMap = TextZoneMap(mins: Array(UnsafeBufferPointer(start: mins.pointer, count: 2 * blocks)),
                                             maxs: Array(UnsafeBufferPointer(start: maxs.pointer, count: 2 * blocks)))
        } else if case .strings = data {
            // Without its text zones, a heap column is not checked at open: the top-N that would
            // use them reads it whole instead (checked as it reads).
            column.textZoneMap = nil
        }
        return column
    }
}

extension String {
    func dropPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
