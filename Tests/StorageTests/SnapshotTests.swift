import Testing
@testable import Storage
import CKernels
#if canImport(Glibc)
import Glibc
#endif

@Suite("Snapshots")
struct SnapshotTests {
    @Test("save then open gives the same catalog, cell by cell")
    func roundTrip() throws {
        let scratch = Scratch()
        for example in ["county", "county-zh"] {
            let original = try Dataset.open(path: repositoryRoot + "/examples/" + example)
            let file = scratch.path + "/\(example).projqdb"
            try SnapshotWriter.save(original, to: file)
            let reopened = try Dataset.open(path: file)
            #expect(reopened.tables.count == original.tables.count)
            for table in original.tables { expectEqualTables(table, try #require(reopened.table(named: table.name))) }
        }
    }

    @Test("zone maps are made at load, saved, and read back equal")
    func zoneMaps() throws {
        let scratch = Scratch()
        let original = try Dataset.open(path: repositoryRoot + "/examples/county")
        try SnapshotWriter.save(original, to: scratch.path + "/z.projqdb")
        let reopened = try SnapshotReader.open(path: scratch.path + "/z.projqdb")
        let investment = try #require(reopened.table(named: "projects")?.column(named: "investment")?.zoneMap)
        let fresh = try #require(ZoneMap.of(original.table(named: "projects")!.column(named: "investment")!))
        #expect(investment.mins == fresh.mins)
        #expect(investment.maxs == fresh.maxs)
        #expect(investment.max == fresh.max && investment.min == fresh.min && investment.min < investment.max)
        #expect(reopened.table(named: "projects")?.column(named: "name")?.zoneMap == nil)
        // Mostly-unique text keeps the range of its first eight bytes per block.
        let names = try #require(reopened.table(named: "projects")?.column(named: "name")?.textZoneMap)
        let freshNames = try #require(TextZoneMap.of(original.table(named: "projects")!.column(named: "name")!))
        #expect(names.mins == freshNames.mins && names.maxs == freshNames.maxs)
        #expect(zip(names.mins, names.maxs).allSatisfy { $0 <= $1 })
        #expect(reopened.table(named: "projects")?.column(named: "investment")?.textZoneMap == nil)
    }

    @Test("every storage layout survives a round trip: 8/16-bit codes, heaps, nulls everywhere")
    func layouts() throws {
        var text = "k,wide,n,d,day,ok,s\n"
        for i in 0..<700 {
            let blank = i % 7 == 0
            text += blank ? ",,,,,,\n" : "a\(i % 3),w\(i % 300),\(i),\(Double(i) / 4),2015-01-\(i % 28 + 1),\(i % 2 == 0),unique \(i)\n"
        }
        let table = try loadCSV(text)
        if case .codes16 = table.column(named: "wide")!.data {} else { Issue.record("expected 16-bit codes") }
        let scratch = Scratch()
        let file = scratch.path + "/t.snapshot"
        try SnapshotWriter.save(Catalog(tables: [table]), to: file)
        expectEqualTables(table, try #require(try SnapshotReader.open(path: file).tables.first))
    }

    @Test("a snapshot is known by its magic bytes, whatever its name")
    func detectedByMagic() throws {
        let scratch = Scratch()
        let catalog = try Dataset.open(path: repositoryRoot + "/examples/county")
        try SnapshotWriter.save(catalog, to: scratch.path + "/ledger.csv")
        #expect(try Dataset.open(path: scratch.path + "/ledger.csv").table(named: "projects")?.rowCount == 600)
    }

    @Test("a truncated snapshot is rejected at any length, never read")
    func truncated() throws {
        let scratch = Scratch()
        let catalog = try Dataset.open(path: repositoryRoot + "/examples/county")
        try SnapshotWriter.save(catalog, to: scratch.path + "/full.projqdb")
        let bytes = scratch.read("full.projqdb")
        for length in [0, 7, 8, 40, 47, 48, 1000, bytes.count / 2, bytes.count - 100, bytes.count - 1] {
            scratch.write("cut.projqdb", bytes: Array(bytes[0..<length]))
            #expect(throws: LoadError.self, "cut at \(length)") { try SnapshotReader.open(path: scratch.path + "/cut.projqdb") }
        }
    }

    @Test("a flipped byte is found, naming the part: the header and directory at open, the dictionaries and zone maps at open, any other buffer when its block is first read")
    func flippedBytes() throws {
        let scratch = Scratch()
        let catalog = try Dataset.open(path: repositoryRoot + "/examples/county")
        try SnapshotWriter.save(catalog, to: scratch.path + "/full.projqdb")
        let bytes = scratch.read("full.projqdb")
        let directoryOffset = Int(bytes[16..<24].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        // One byte in each region: header fields, each buffer (the middle byte of every buffer
        // the directory lists), and the directory itself.
        var positions: [(Int, String)] = [(8, "version"), (20, "header"), (directoryOffset + 5, "directory"), (bytes.count - 1, "directory")]
        for (offset, name) in bufferOffsets(bytes, directoryOffset: directoryOffset) { positions.append((offset, name)) }
        #expect(positions.count > 40)
        var foundAtOpen = 0, foundWhenRead = 0
        for (position, part) in positions {
            var corrupted = bytes
            corrupted[position] ^= 0x10
            scratch.write("bad.projqdb", bytes: corrupted)
            let opened: Catalog
            do {
                opened = try SnapshotReader.open(path: scratch.path + "/bad.projqdb")
            } catch {
                #expect(error.message.hasPrefix("not a valid snapshot"), "\(part): \(error.message)")
                if part.hasPrefix("the ") { #expect(error.message.contains(part), "\(error.message)") }
                foundAtOpen += 1
                continue
            }
            // It opened: the damage is in a buffer checked as it is read. Reading every column
            // finds it, naming the buffer; saving the damaged catalog fails.
            #expect(part.hasPrefix("the "), "a flipped byte at \(position) (\(part)) opened")
            var found: CorruptData? = nil
            for table in opened.tables {
                for column in table.columns {
                    do { try column.verifyAll() } catch { found = found ?? error }
                }
            }
            #expect(found?.message.contains(part) == true, "\(part): \(found?.message ?? "not found")")
            #expect(found?.message.hasPrefix(scratch.path + "/bad.projqdb: not a valid snapshot: the checksum of block 1 of ") == true)
            #expect(throws: LoadError.self) { try SnapshotWriter.save(opened, to: scratch.path + "/copy.projqdb") }
            foundWhenRead += 1
        }
        #expect(foundAtOpen > 4 && foundWhenRead > 20)
    }

    @Test("opening does not read the data: a damaged block of one column leaves the others readable")
    func lazyChecks() throws {
        let scratch = Scratch()
        let catalog = try Dataset.open(path: repositoryRoot + "/examples/county")
        try SnapshotWriter.save(catalog, to: scratch.path + "/full.projqdb")
        var bytes = scratch.read("full.projqdb")
        let directoryOffset = Int(bytes[16..<24].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let target = "the data buffer of column 'investment' of table 'projects'"
        let (position, _) = try #require(bufferOffsets(bytes, directoryOffset: directoryOffset).first { $0.1 == target })
        bytes[position] ^= 0x01
        scratch.write("bad.projqdb", bytes: bytes)
        let opened = try SnapshotReader.open(path: scratch.path + "/bad.projqdb")
        let projects = try #require(opened.table(named: "projects"))
        for column in projects.columns where column.name != "investment" { try column.verifyAll() }
        #expect(throws: CorruptData.self) { try projects.column(named: "investment")!.verifyAll() }
        // The damage is found on every read, not only the first.
        #expect(throws: CorruptData.self) { try projects.column(named: "investment")!.verify(rows: 0..<1) }
    }

    @Test("a file's own checksum block size is used: 4 KiB and 64 KiB files (older writers) open, and damage names its block",
          arguments: [4096, 16384, 65536])
    func blockSizes(size: Int) throws {
        let scratch = Scratch()
        // 100,000 integers: an 800,000-byte data buffer, its middle byte in block 400,000 / size + 1.
        let table = try loadCSV("n\n" + (1...100_000).map(String.init).joined(separator: "\n") + "\n")
        try SnapshotWriter.save(Catalog(tables: [table]), to: scratch.path + "/s.projqdb", blockSize: size)
        let good = try SnapshotReader.open(path: scratch.path + "/s.projqdb")
        let n = try #require(good.table(named: "t")?.column(named: "n"))
        try n.verifyAll()
        #expect(n.value(at: 99_999) == .int(100_000))
        var bytes = scratch.read("s.projqdb")
        let directoryOffset = Int(bytes[16..<24].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        let (middle, _) = try #require(bufferOffsets(bytes, directoryOffset: directoryOffset).first { $0.1 == "the data buffer of column 'n' of table 't'" })
        bytes[middle] ^= 0x40
        scratch.write("bad.projqdb", bytes: bytes)
        let bad = try #require(try SnapshotReader.open(path: scratch.path + "/bad.projqdb").table(named: "t")?.column(named: "n"))
        try bad.verify(rows: 0..<10)
        #expect {
            try bad.verify(rows: 50_000..<50_001)
        } throws: { error in
            (error as? CorruptData)?.message.contains("the checksum of block \(400_000 / size + 1) of the data buffer of column 'n'") == true
        }
    }

    @Test("a snapshot of another version is refused by its version, saying how to make one this projq reads: 3 and 4 (decimals as binary fractions) are never misread")
    func otherVersions() throws {
        let older = " (an older projq wrote it, with decimals as binary fractions and weaker checksums); open the CSV files it was made from and .save it again"
        func expectRefused(_ path: String, version: Int, hint: String) {
            #expect {
                _ = try SnapshotReader.open(path: path)
            } throws: { error in
                (error as? LoadError)?.message == "not a valid snapshot: format version \(version); this projq reads version \(SnapshotFormat.version)\(hint)"
            }
        }
        // The version-3 file as that projq wrote it; then its version field rewritten (the version
        // is read before the header's checksum, which an older version computed otherwise).
        let v3 = repositoryRoot + "/Tests/StorageTests/Data/snapshots/county-v3.projqdb"
        expectRefused(v3, version: 3, hint: older)
        let scratch = Scratch()
        var bytes = readWholeFile(v3)!
        for (version, hint) in [(2, older), (4, older), (9, "; a newer projq wrote it")] {
            bytes[8] = UInt8(version)
            scratch.write("v.projqdb", bytes: bytes)
            expectRefused(scratch.path + "/v.projqdb", version: version, hint: hint)
        }
    }

    @Test("a foreign file is not taken for a snapshot")
    func foreign() throws {
        let scratch = Scratch()
        scratch.write("x.projqdb", "PROJQDX\0 not really")
        #expect(!SnapshotReader.isSnapshot(path: scratch.path + "/x.projqdb"))
        #expect(throws: LoadError.self) { try SnapshotReader.open(path: scratch.path + "/x.projqdb") }
    }

    @Test("a failed save leaves the previous file intact")
    func failedSaveKeepsOldFile() throws {
        let scratch = Scratch()
        let catalog = try Dataset.open(path: repositoryRoot + "/examples/county")
        let target = scratch.path + "/ledger.projqdb"
        try SnapshotWriter.save(catalog, to: target)
        let before = scratch.read("ledger.projqdb")
        // The folder loses write permission: the temporary file cannot be made (root ignores
        // permissions, so a target inside a missing folder stands in there).
        chmod(scratch.path, 0o500)
        defer { chmod(scratch.path, 0o700) }
        let blocked = geteuid() == 0 ? scratch.path + "/missing/ledger.projqdb" : target
        #expect(throws: LoadError.self) { try SnapshotWriter.save(catalog, to: blocked) }
        chmod(scratch.path, 0o700)
        #expect(scratch.read("ledger.projqdb") == before)
        // No temporary file is left behind.
        #expect(scratch.read(".ledger.projqdb.tmp-\(getpid())").isEmpty)
    }
}

/// The start of every buffer the directory lists, with the name the reader gives it.
func bufferOffsets(_ bytes: [UInt8], directoryOffset: Int) -> [(Int, String)] {
    var r = ByteReaderForTests(bytes: bytes, position: directoryOffset)
    var out: [(Int, String)] = []
    let blockSize = Int(r.u32())
    let tables = r.u32()
    for _ in 0..<tables {
        let table = r.string()
        _ = r.u64()
        let columns = r.u32()
        for _ in 0..<columns {
            let column = r.string()
            _ = r.u8(); _ = r.u8(); _ = r.u8(); _ = r.u8(); _ = r.u8(); _ = r.u64()   // type, unit, scale, storage, flags, nulls
            let buffers = r.u32()
            for _ in 0..<buffers {
                let role = SnapshotFormat.BufferRole(rawValue: r.u8())!
                let offset = Int(r.u64())
                let length = Int(r.u64())
                for _ in 0..<((length + blockSize - 1) / blockSize) { _ = r.u64() }
                if length > 0 { out.append((offset + length / 2, "the \(role.name) buffer of column '\(column)' of table '\(table)'")) }
            }
            for _ in 0..<r.u32() {   // null markers and their counts
                _ = r.string()
                _ = r.u64()
            }
            _ = r.u64()   // cells rounded to a declared scale
        }
    }
    return out
}

struct ByteReaderForTests {
    let bytes: [UInt8]
    var position: Int

    mutating func u8() -> UInt8 { defer { position += 1 }; return bytes[position] }
    mutating func u32() -> UInt32 { (0..<4).reduce(UInt32(0)) { v, k in v | UInt32(u8()) << (8 * UInt32(k)) } }
    mutating func u64() -> UInt64 { (0..<8).reduce(UInt64(0)) { v, k in v | UInt64(u8()) << (8 * UInt64(k)) } }
    mutating func string() -> String {
        let n = Int(u32())
        defer { position += n }
        return String(decoding: bytes[position..<position + n], as: UTF8.self)
    }
}

@Suite("The snapshot checksum")
struct ChecksumTests {
    /// Bytes that look random (a multiplicative hash of the position).
    static func noise(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: (UInt64($0) &* 0x9E37_79B9_7F4A_7C15) >> 29) } }

    @Test("its CRC32C gives the standard's check value, and the instruction's path equals the table's on every length")
    func crc() {
        #expect(Array("123456789".utf8).withUnsafeBytes { projq_crc32c($0.baseAddress, $0.count) } == 0xE306_9283)
        let bytes = ChecksumTests.noise(20_000)
        bytes.withUnsafeBytes { b in
            for length in Array(0..<100) + [16_383, 16_384, 16_385, 20_000] {
                #expect(projq_checksum(b.baseAddress, length) == projq_checksum_portable(b.baseAddress, length), "length \(length)")
            }
        }
    }

    @Test("two sign bits flipped 64 bytes apart (which a sum of words cancels) change it; so does every single bit and every pair in a word")
    func cancellingErrors() {
        var bytes = ChecksumTests.noise(16_384)
        let original = bytes.withUnsafeBytes { projq_checksum($0.baseAddress, $0.count) }
        for (a, b) in [(7, 71), (8 * 100 + 7, 8 * 108 + 7), (15, 16_383)] {
            bytes[a] ^= 0x80
            bytes[b] ^= 0x80
            #expect(bytes.withUnsafeBytes { projq_checksum($0.baseAddress, $0.count) } != original, "bytes \(a) and \(b)")
            bytes[a] ^= 0x80
            bytes[b] ^= 0x80
        }
        for bit in 0..<64 {
            bytes[800 + bit / 8] ^= UInt8(1) << UInt8(bit % 8)
            #expect(bytes.withUnsafeBytes { projq_checksum($0.baseAddress, $0.count) } != original, "bit \(bit)")
            for other in (bit + 1)..<64 {
                bytes[800 + other / 8] ^= UInt8(1) << UInt8(other % 8)
                #expect(bytes.withUnsafeBytes { projq_checksum($0.baseAddress, $0.count) } != original, "bits \(bit), \(other)")
                bytes[800 + other / 8] ^= UInt8(1) << UInt8(other % 8)
            }
            bytes[800 + bit / 8] ^= UInt8(1) << UInt8(bit % 8)
        }
    }
}
