import TextSupport
/// Constants and tags of the snapshot file format; docs/snapshot-format.md describes it.
enum SnapshotFormat {
    static let magic: [UInt8] = Array("PROJQDB".utf8) + [0]
    static let version: UInt32 = 5
    /// The oldest version this reader opens. Versions 3 and 4 held decimal and money columns as
    /// binary doubles, which version 5 holds as exact scaled integers, and checked blocks with
    /// sums that two errors could cancel, where version 5 has CRC32C: they are refused (with how
    /// to re-save them) rather than read as numbers they never were.
    static let oldestReadable: UInt32 = 5
    static let headerSize = 48
    static let alignment = 8

    enum StorageTag: UInt8 {
        case int64 = 0, float64, int32, uint8, codes8, codes16, codes32, strings
    }

    enum BufferRole: UInt8 {
        case validity = 0, data, heapBytes, heapOffsets, dictionaryBytes, dictionaryOffsets, zoneMinimums, zoneMaximums
        case textZoneMinimums, textZoneMaximums

        var name: String {
            switch self {
            case .validity: SnapshotMessage.roleValidity()
            case .data: SnapshotMessage.roleData()
            case .heapBytes: SnapshotMessage.roleHeapBytes()
            case .heapOffsets: SnapshotMessage.roleHeapOffsets()
            case .dictionaryBytes: SnapshotMessage.roleDictionaryBytes()
            case .dictionaryOffsets: SnapshotMessage.roleDictionaryOffsets()
            case .zoneMinimums: SnapshotMessage.roleZoneMinimums()
            case .zoneMaximums: SnapshotMessage.roleZoneMaximums()
            case .textZoneMinimums: SnapshotMessage.roleTextZoneMinimums()
            case .textZoneMaximums: SnapshotMessage.roleTextZoneMaximums()
            }
        }
    }
}

/// Appends little-endian values to a byte array (the directory).
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        bytes.append(contentsOf: s.utf8)
    }
}

/// Reads little-endian values with bounds checks; every failure names what was being read.
struct ByteReader {
    let base: UnsafeRawPointer
    let count: Int
    var position = 0

    struct Truncated: Error { var what: String }

    mutating func u8(_ what: @autoclosure () -> String) throws(Truncated) -> UInt8 {
        guard position + 1 <= count else { throw Truncated(what: what()) }
        defer { position += 1 }
        return base.load(fromByteOffset: position, as: UInt8.self)
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(Truncated) -> UInt32 {
        guard position + 4 <= count else { throw Truncated(what: what()) }
        defer { position += 4 }
        return UInt32(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt32.self))
    }

    mutating func u64(_ what: @autoclosure () -> String) throws(Truncated) -> UInt64 {
        guard position + 8 <= count else { throw Truncated(what: what()) }
        defer { position += 8 }
        return UInt64(littleEndian: base.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    /// `n` values in a row (a buffer's block checksums: thousands, read without a message each).
    mutating func u64s(_ n: Int, _ what: @autoclosure () -> String) throws(Truncated) -> [UInt64] {
        guard n >= 0, n <= (count - position) / 8 else { throw Truncated(what: what()) }
        defer { position += 8 * n }
        let start = position
        return (0..<n).map { UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start + 8 * $0, as: UInt64.self)) }
    }

    mutating func string(_ what: @autoclosure () -> String) throws(Truncated) -> String? {
        let n = Int(try u32(what()))
        guard n <= count - position else { throw Truncated(what: what()) }
        let p = (base + position).assumingMemoryBound(to: UInt8.self)
        position += n
        guard firstInvalidUTF8(p, n) == nil || n == 0 else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}
