import TextSupport
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
        guard fd >= 0 else { throw LoadError(file: path, message: DataMessage.cannotOpen(String(cString: strerror(errno)))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw LoadError(file: path, message: DataMessage.cannotRead(String(cString: strerror(errno)))) }
        size = Int(st.st_size)
        guard size > 0 else { throw LoadError(file: path, message: SnapshotMessage.empty()) }
        guard let p = MappedFile.map(fd, size) else {
            throw LoadError(file: path, message: SnapshotMessage.cannotMap(String(cString: strerror(errno))))
        }
        base = UnsafeRawPointer(p)
        slot = projq_mapping_register(p, size, path)
    }

    /// Maps a file of 2 MiB or more at a 2 MiB boundary, advised for huge pages. Where the
    /// page cache holds the file in 2 MiB pieces (ext4 on this machine's Linux 6.18 does, for a
    /// file written or read in large pieces), each is mapped by one page-table entry instead of
    /// 512: `name contains` over 10M rows went from 80 to 55 ms a process, and unmapping the
    /// file at exit from 8.3 to 0.3 ms. The advice also has the kernel read a file that is not
    /// cached yet in 2 MiB pieces. Elsewhere, 4 KiB pages are mapped as before.
    private static func map(_ fd: Int32, _ size: Int) -> UnsafeMutableRawPointer? {
        let huge = HugePages.size
        guard size >= huge else {
            let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0)
            return p == MAP_FAILED ? nil : p
        }
        // Reserves room for the file and a boundary, maps the file over the first boundary in it,
        // and gives back the rest.
        guard let room = mmap(nil, size + huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              room != MAP_FAILED else { return nil }
        let start = (Int(bitPattern: room) + huge - 1) & ~(huge - 1)
        let aligned = UnsafeMutableRawPointer(bitPattern: start)!
        guard let p = mmap(aligned, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0), p != MAP_FAILED else {
            let saved = errno
            munmap(room, size + huge)
            errno = saved
            return nil
        }
        // The file's last page ends the mapping (munmap takes page boundaries only).
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let head = start - Int(bitPattern: room), end = start + (size + page - 1) / page * page
        if head > 0 { munmap(room, head) }
        let tail = Int(bitPattern: room) + size + huge - end
        if tail > 0 { munmap(UnsafeMutableRawPointer(bitPattern: end), tail) }
        // The whole mapping, its last part-page too: advising whole 2 MiB pages only would split
        // it in two.
        HugePages.adviseAll(p, bytes: size)
        return p
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
        func corrupt(_ message: String) -> LoadError { LoadError(file: path, message: SnapshotMessage.notValid(message)) }

        guard file.size >= SnapshotFormat.headerSize else { throw corrupt(SnapshotMessage.headerTooShort(file.size)) }
        let magic = UnsafeRawBufferPointer(start: file.base, count: 8)
        guard Array(magic) == SnapshotFormat.magic else { throw corrupt(SnapshotMessage.wrongMagic()) }
        var header = ByteReader(base: file.base, count: SnapshotFormat.headerSize, position: 8)
        let version: UInt32, directoryOffset: UInt64, directoryLength: UInt64, directoryChecksum: UInt64, headerChecksum: UInt64
        do {
            version = try header.u32(SnapshotMessage.fieldVersion())
            _ = try header.u32(SnapshotMessage.fieldFlags())
            directoryOffset = try header.u64(SnapshotMessage.fieldDirectoryOffset())
            directoryLength = try header.u64(SnapshotMessage.fieldDirectoryLength())
            directoryChecksum = try header.u64(SnapshotMessage.fieldDirectoryChecksum())
            headerChecksum = try header.u64(SnapshotMessage.fieldHeaderChecksum())
        } catch {
            throw corrupt(SnapshotMessage.headerTruncatedAt(error.what))
        }
        // The version before the header's checksum: an older version's checksum is another
        // function, and its file is refused by its version (a damaged version field is refused too).
        guard version >= SnapshotFormat.oldestReadable, version <= SnapshotFormat.version else {
            let hint = version < SnapshotFormat.oldestReadable
                ? SnapshotMessage.olderWroteIt()
                : SnapshotMessage.newerWroteIt()
            let readable = SnapshotFormat.oldestReadable == SnapshotFormat.version ? SnapshotMessage.oneVersion(SnapshotFormat.version)
                : SnapshotMessage.versionRange(SnapshotFormat.oldestReadable, SnapshotFormat.version)
            throw corrupt(SnapshotMessage.formatVersion(version, readable, hint))
        }
        guard projq_checksum(file.base, 40) == headerChecksum else { throw corrupt(SnapshotMessage.headerChecksum()) }
        guard directoryOffset <= UInt64(file.size), directoryLength <= UInt64(file.size) - directoryOffset else {
            throw corrupt(SnapshotMessage.directoryPastEnd(file.size))
        }
        let dirBase = file.base + Int(directoryOffset)
        guard projq_checksum(dirBase, Int(directoryLength)) == directoryChecksum else {
            throw corrupt(SnapshotMessage.directoryChecksum())
        }

        var dir = ByteReader(base: dirBase, count: Int(directoryLength))
        var pending: [PendingBuffer] = []
        var tables: [PendingTable] = []
        var blockSize = BlockChecks.blockSize
        do {
            let size = try dir.u32(SnapshotMessage.fieldBlockSize())
            guard BlockChecks.accepts(Int(size)) else {
                throw corrupt(SnapshotMessage.blockSize(size))
            }
            blockSize = Int(size)
            let tableCount = try dir.u32(SnapshotMessage.fieldTableCount())
            for _ in 0..<tableCount {
                guard let name = try dir.string(SnapshotMessage.fieldTableName()) else { throw corrupt(SnapshotMessage.tableNameNotUTF8()) }
                let rows = try dir.u64(SnapshotMessage.fieldRowCount(name))
                guard rows <= UInt64(Int32.max) * 8 else { throw corrupt(SnapshotMessage.tableClaimsRows(name, rows)) }
                let columnCount = try dir.u32(SnapshotMessage.fieldColumnCount(name))
                var columns: [PendingColumn] = []
                for _ in 0..<columnCount {
                    guard let columnName = try dir.string(SnapshotMessage.fieldColumnName(name)) else { throw corrupt(SnapshotMessage.columnNameNotUTF8(name)) }
                    // Only for a message: built when one is thrown.
                    func what() -> String { SnapshotMessage.columnOfTable(columnName, name) }
                    let typeCode = try dir.u8(SnapshotMessage.fieldType(what())), unitCode = try dir.u8(SnapshotMessage.fieldUnit(what()))
                    let scale = Int(try dir.u8(SnapshotMessage.fieldScale(what())))
                    guard scale <= FixedDecimal.maxScale else { throw corrupt(SnapshotMessage.claimsDigits(what(), scale)) }
                    guard let storage = SnapshotFormat.StorageTag(rawValue: try dir.u8(SnapshotMessage.fieldStorage(what()))) else {
                        throw corrupt(SnapshotMessage.unknownStorageTag(what()))
                    }
                    let flags = try dir.u8(SnapshotMessage.fieldColumnFlags(what()))
                    guard let type = DataType(persistedType: typeCode, unit: unitCode, scale: scale, ordered: flags & 1 != 0) else {
                        throw corrupt(SnapshotMessage.unknownTypeCode(typeCode, unitCode, what()))
                    }
                    let nulls = try dir.u64(SnapshotMessage.fieldNullCount(what()))
                    let bufferCount = try dir.u32(SnapshotMessage.fieldBufferCount(what()))
                    var roles: [SnapshotFormat.BufferRole: Int] = [:]
                    for _ in 0..<bufferCount {
                        guard let role = SnapshotFormat.BufferRole(rawValue: try dir.u8(SnapshotMessage.fieldBufferRole(what()))) else {
                            throw corrupt(SnapshotMessage.unknownBufferRole(what()))
                        }
                        let offset = try dir.u64(SnapshotMessage.fieldBufferOffset(what()))
                        let length = try dir.u64(SnapshotMessage.fieldBufferLength(what()))
                        guard offset % UInt64(SnapshotFormat.alignment) == 0 else { throw corrupt(SnapshotMessage.bufferNotAligned(what())) }
                        guard offset <= UInt64(file.size), length <= UInt64(file.size) - offset else {
                            throw corrupt(SnapshotMessage.bufferPastEnd(role.name, what()))
                        }
                        let blocks = (Int(length) + blockSize - 1) / blockSize
                        let sums = try dir.u64s(blocks, SnapshotMessage.fieldBlockChecksums(what()))
                        roles[role] = pending.count
                        pending.append(PendingBuffer(offset: Int(offset), length: Int(length), sums: sums, role: role,
                                                     column: columnName, table: name))
                    }
                    var markers: [NullMarkerCount] = []
                    let markerCount = try dir.u32(SnapshotMessage.fieldMarkerCount(what()))
                    guard markerCount <= 1024 else { throw corrupt(SnapshotMessage.claimsMarkers(what(), markerCount)) }
                    for _ in 0..<markerCount {
                        guard let marker = try dir.string(SnapshotMessage.fieldMarker(what())) else { throw corrupt(SnapshotMessage.markerNotUTF8(what())) }
                        let count = try dir.u64(SnapshotMessage.fieldMarkerCount(what()))
                        guard count <= rows else { throw corrupt(SnapshotMessage.claimsMarkerCells(what(), count, rows)) }
                        markers.append(NullMarkerCount(marker: marker, count: Int(count)))
                    }
                    let rounded = try dir.u64(SnapshotMessage.fieldRoundedCount(what()))
                    guard rounded <= rows, nulls <= rows else { throw corrupt(SnapshotMessage.claimsMoreNulls(what(), rows)) }
                    columns.append(PendingColumn(name: columnName, type: type, storage: storage, ordered: flags & 1 != 0,
                                                 nullCount: Int(nulls), buffers: roles, markers: markers, roundedCells: Int(rounded)))
                }
                tables.append(PendingTable(name: name, rows: Int(rows), columns: columns))
            }
        } catch let e as ByteReader.Truncated {
            throw corrupt(SnapshotMessage.directoryEndsEarly(e.what))
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
        var what: String { SnapshotMessage.bufferOfColumn(role.name, column, table) }
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
        func corrupt(_ message: String) -> LoadError {
            LoadError(file: path, message: SnapshotMessage.notValid(SnapshotMessage.located(SnapshotMessage.columnOfTable(c.name, table), message)))
        }
        /// A view of a buffer, its blocks checked when first read (`shape` tests each block's
        /// contents after its checksum), or at once (`now`).
        func buffer<T>(_ role: SnapshotFormat.BufferRole, _: T.Type, count: Int? = nil, now: Bool = false,
                       shape: ((UnsafePointer<T>, Range<Int>) -> String?)? = nil) throws(LoadError) -> TypedBuffer<T> {
            guard let k = c.buffers[role] else { throw corrupt(SnapshotMessage.bufferMissing(role.name)) }
            let b = pending[k]
            let n = b.length / MemoryLayout<T>.stride
            guard b.length % MemoryLayout<T>.stride == 0 else { throw corrupt(SnapshotMessage.partialElement(role.name)) }
            if let count, n != count { throw corrupt(SnapshotMessage.holdsValues(role.name, n, count)) }
            let base = file.base + b.offset
            let elements = base.assumingMemoryBound(to: T.self)
            let stride = MemoryLayout<T>.stride
            let checks = BlockChecks(base: base, length: b.length, blockSize: blockSize, sums: b.sums, what: { b.what }, path: path, shape: shape.map { test in
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
                if range.lowerBound == 0, range.upperBound > 0, p[0] != 0 { return SnapshotMessage.offsetsNotAtZero() }
                // No early exit: the loop runs over whole vectors (a block holds 16,384 offsets).
                var falls: UInt32 = 0, highest: UInt32 = 0
                let start = Swift.max(range.lowerBound, 1)
                for i in start..<Swift.max(start, range.upperBound) {
                    falls |= p[i] < p[i - 1] ? 1 : 0
                    highest = Swift.max(highest, p[i])
                }
                if range.lowerBound < range.upperBound { highest = Swift.max(highest, p[range.lowerBound]) }
                return falls != 0 || highest > byteCount ? SnapshotMessage.offsetsOutOfOrder() : nil
            }
            guard offsets.count >= 1 else { throw corrupt(SnapshotMessage.offsetsEmpty()) }
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
                return Int(m) >= limit ? SnapshotMessage.codeOutOfRange() : nil
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
        guard Column.fits(data, c.type) else { throw corrupt(SnapshotMessage.typeMismatch(c.type, c.storage)) }
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
