import Testing
import CKernels
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

@Suite("The cache of CSV tables")
struct TableCacheTests {
    @Test("XXH64 gives its published values, whether the bytes come in one piece or many")
    func hashVectors() {
        func xxh64(_ s: String) -> UInt64 { Array(s.utf8).withUnsafeBytes { projq_hash($0.baseAddress, $0.count, 0) } }
        #expect(xxh64("") == 0xEF46_DB37_51D8_E999)
        #expect(xxh64("a") == 0xD24E_C4F1_A98C_6E5B)
        #expect(xxh64("abc") == 0x44BC_2CF5_AD77_0999)
        #expect(xxh64("xxhash") == 0x32DD_3895_2C4B_C720)
        #expect(xxh64("The quick brown fox jumps over the lazy dog") == 0x0B24_2D36_1FDA_71BC)

        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 3) }
        let whole = bytes.withUnsafeBytes { projq_hash($0.baseAddress, $0.count, FileHash.seed) }
        let digest = ContentDigest(hashesBytes: true)
        digest.start(device: 0, inode: 0)
        var offset = 0
        for piece in [1, 2, 31, 32, 33, 64, 5, 1000, 3] + Array(repeating: 997, count: 9) where offset < bytes.count {
            let n = min(piece, bytes.count - offset)
            bytes.withUnsafeBytes { digest.add($0.baseAddress! + offset, n) }
            offset += n
        }
        #expect(offset == bytes.count)
        #expect(digest.hash == whole)
        #expect(digest.byteCount == bytes.count)
    }

    @Test("the digest of a load is the hash of the file's bytes, the file's own inode, and its size")
    func digestOfALoad() throws {
        let scratch = Scratch()
        let text = "k,v\n" + (0..<5000).map { "key \($0),\($0)\n" }.joined()
        let csv = scratch.write("t.csv", text)
        let digest = ContentDigest(hashesBytes: true)
        _ = try CSVLoader.load(path: csv, name: "t", blockSize: 4096, digest: digest)
        let file = try #require(SourceFile(path: csv))
        #expect(digest.hash == file.wholeHash())
        #expect(digest.byteCount == text.utf8.count)
        #expect(digest.inode == file.stamp.inode && digest.device == file.stamp.device)
    }

    @Test("the first open writes one private entry per table; the second opens them, equal cell by cell")
    func firstAndSecondOpen() throws {
        let scratch = Scratch()
        // Neither the folder nor its parent exists: both are made, private.
        let folder = scratch.path + "/xdg/projq"
        for example in ["county", "county-zh-gb18030"] {
            let path = repositoryRoot + "/examples/" + example
            let loaded = try Dataset.open(path: path)
            let first = TableCache(folder: folder)
            let written = try Dataset.open(path: path, cache: first)
            #expect(first.takeWarning() == nil)
            #expect(written.tables.allSatisfy { $0.cacheEntry == nil })
            let second = TableCache(folder: folder)
            let cached = try Dataset.open(path: path, cache: second)
            #expect(second.takeWarning() == nil)
            #expect(cached.tables.map(\.name) == loaded.tables.map(\.name))
            for table in loaded.tables {
                let fromCache = try #require(cached.table(named: table.name))
                #expect(fromCache.cacheEntry?.hasPrefix(folder + "/") == true)
                expectEqualTables(table, fromCache)
            }
        }
        #expect(entries(folder).count == 4)
        #expect(permissions(scratch.path + "/xdg") == 0o700)
        #expect(permissions(folder) == 0o700)
        for name in entries(folder) { #expect(permissions(folder + "/" + name) == 0o600, "\(name)") }
    }

    @Test("a file changed a moment ago is proven by a hash of all its bytes, then by its stamp once that is old enough")
    func racyThenSettled() async throws {
        let scratch = Scratch()
        let csv = scratch.write("t.csv", "k,v\na,1\nb,2\n")
        let folder = scratch.path + "/cache"
        _ = try Dataset.open(path: csv, cache: TableCache(folder: folder))
        let racy = entries(folder)
        #expect(racy.count == 1 && racy[0].split(separator: "-").count == 3, "\(racy)")
        #expect(try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0].cacheEntry == folder + "/" + racy[0])
        // Such an entry is served only while the bytes hash to the value in its name.
        let parts = racy[0].split(separator: "-")
        let wrong = "\(parts[0])-\(parts[1])-0123456789abcdef.projqdb"
        rename(folder + "/" + racy[0], folder + "/" + wrong)
        #expect(try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0].cacheEntry == nil)
        #expect(entries(folder) == racy)

        try await settle(csv)
        #expect(try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0].cacheEntry != nil)
        let proven = entries(folder)
        #expect(proven.count == 1 && proven[0].split(separator: "-").count == 2, "\(proven)")
        #expect(racy[0].hasPrefix(String(proven[0].dropLast(".projqdb".count))))
        #expect(try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0].cacheEntry == folder + "/" + proven[0])
    }

    @Test("an edit that keeps the size and the mtime, and that the sampled hash misses, is seen: in place or by a rename, right after a load or long after",
          arguments: [false, true])
    func editKeepingSizeAndMtime(settled: Bool) async throws {
        // 1.5 MB of rows: the sampled hash reads 384 KiB of them, so an edit between two samples is
        // seen only through the file's stamp (or, for a file changed a moment ago, the whole hash).
        let rows = (0..<100_000).map { "row\(String(100_000 + $0)),\(1000 + $0 % 9000)\n" }
        let text = "k,v\n" + rows.joined()
        let row = 4_800   // 72 KB in: past the first 64 KiB sample, before the first 4 KiB slice (at 86 KB)
        let edited = text.replacingFirst("row\(100_000 + row),\(1000 + row)\n", with: "row\(100_000 + row),\(9999 - row % 10)\n")
        #expect(edited.utf8.count == text.utf8.count && edited != text)

        for byRename in [false, true] {
            let scratch = Scratch()
            let csv = scratch.write("t.csv", text)
            if settled { try await settle(csv) }
            let folder = scratch.path + "/cache"
            #expect(try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0].cells("v")[row] == .int(Int64(1000 + row)))
            let before = try #require(FileStamp.of(path: csv))
            let sampleBefore = SourceFile(path: csv)?.sampledHash()

            if byRename {
                scratch.write("new.csv", edited)
                rename(scratch.path + "/new.csv", csv)
            } else {
                scratch.write("t.csv", edited)
            }
            var times = [timespec(tv_sec: Int(before.modified / 1_000_000_000), tv_nsec: Int(before.modified % 1_000_000_000))]
            times.append(times[0])
            #expect(utimensat(AT_FDCWD, csv, times, 0) == 0)
            let after = try #require(FileStamp.of(path: csv))
            #expect(after.size == before.size && after.modified == before.modified)
            #expect(SourceFile(path: csv)?.sampledHash() == sampleBefore)

            let reopened = try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0]
            #expect(reopened.cacheEntry == nil, "rename: \(byRename)")
            #expect(reopened.cells("v")[row] == .int(Int64(9999 - row % 10)), "rename: \(byRename)")
            // The stale copy is gone, and the new bytes are the ones cached.
            #expect(entries(folder).count == 1)
            let third = try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0]
            #expect(third.cacheEntry != nil && third.cells("v")[row] == .int(Int64(9999 - row % 10)))
        }
    }

    @Test("a changed schema.toml reloads the tables whose declarations changed, and only those")
    func schemaChanges() throws {
        let scratch = Scratch()
        scratch.write("t.csv", "k,amount\na,10\nb,20\n")
        scratch.write("u.csv", "x\n1\n2\n")
        scratch.write("schema.toml", "[t.columns]\namount = { type = \"money\", unit = \"万元\" }\n")
        let folder = scratch.path + "/cache"
        func open() throws -> Catalog { try Dataset.open(path: scratch.path, cache: TableCache(folder: folder)) }
        _ = try open()
        let cached = try open()
        #expect(cached.tables.allSatisfy { $0.cacheEntry != nil })

        scratch.write("schema.toml", "[t.columns]\namount = { type = \"money\", unit = \"元\" }\n")
        let unitChanged = try open()
        #expect(unitChanged.table(named: "t")?.cacheEntry == nil)
        #expect(unitChanged.table(named: "t")?.column(named: "amount")?.type == .money(.yuan, scale: 0))
        #expect(unitChanged.table(named: "u")?.cacheEntry != nil)

        scratch.write("schema.toml", "[t.columns]\namount = { type = \"money\", unit = \"元\" }\n[u.columns]\nx = \"text\"\n")
        let declared = try open()
        #expect(declared.table(named: "t")?.cacheEntry != nil)
        #expect(declared.table(named: "u")?.cacheEntry == nil)
        #expect(declared.table(named: "u")?.column(named: "x")?.type == .text)
        #expect(entries(folder).count == 2)
    }

    @Test("`.load FILE as NAME`: each name is its own entry")
    func tableNames() throws {
        let scratch = Scratch()
        let csv = scratch.write("t.csv", "k,v\na,1\n")
        let folder = scratch.path + "/cache"
        #expect(try Dataset.loadCSV(csv, as: "a", cache: TableCache(folder: folder)).name == "a")
        #expect(try Dataset.loadCSV(csv, as: "b", cache: TableCache(folder: folder)).name == "b")
        #expect(entries(folder).count == 2)
        let again = try Dataset.loadCSV(csv, as: "a", cache: TableCache(folder: folder))
        #expect(again.name == "a" && again.cacheEntry != nil)
    }

    @Test("a truncated, corrupted or other-version entry is ignored with one warning, and written again",
          arguments: ["truncated", "flipped byte", "other version"])
    func damagedEntry(damage: String) throws {
        let scratch = Scratch()
        let csv = scratch.write("t.csv", "k,v\n" + (0..<300).map { "key \($0),\($0)\n" }.joined())
        let folder = scratch.path + "/cache"
        let loaded = try Dataset.open(path: csv, cache: TableCache(folder: folder)).tables[0]
        let name = try #require(entries(folder).first)
        let entry = folder + "/" + name
        let good = try #require(readWholeFile(entry))

        var bad = good
        switch damage {
        case "truncated": bad = Array(good[0..<good.count / 2])
        case "flipped byte":
            // In a data buffer: the padding between buffers is not checked, and needs not be.
            let directoryOffset = Int(good[16..<24].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            let (offset, _) = try #require(bufferOffsets(good, directoryOffset: directoryOffset).last)
            bad[offset] ^= 0x10
        default:
            bad[8] = UInt8(SnapshotFormat.version + 1)
            let sum = bad.withUnsafeBytes { projq_checksum($0.baseAddress, 40) }
            withUnsafeBytes(of: sum.littleEndian) { for k in 0..<8 { bad[40 + k] = $0[k] } }
        }
        overwrite(entry, bad)

        let cache = TableCache(folder: folder)
        let reloaded = try Dataset.open(path: csv, cache: cache).tables[0]
        #expect(reloaded.cacheEntry == nil)
        expectEqualTables(loaded, reloaded)
        let warning = try #require(cache.takeWarning())
        #expect(warning.hasPrefix("cache entry ignored (\(entry)): not a valid snapshot: "), "\(warning)")
        if damage == "other version" { #expect(warning.contains("format version \(SnapshotFormat.version + 1)")) }
        #expect(cache.takeWarning() == nil)
        #expect(readWholeFile(entry) == good)

        let again = TableCache(folder: folder)
        #expect(try Dataset.open(path: csv, cache: again).tables[0].cacheEntry == entry)
        #expect(again.takeWarning() == nil)
    }

    @Test("several problems in one run give one warning")
    func oneWarningARun() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/cache"
        let path = repositoryRoot + "/examples/county"
        _ = try Dataset.open(path: path, cache: TableCache(folder: folder))
        for name in entries(folder) { overwrite(folder + "/" + name, Array("PROJQDB\0 cut short".utf8)) }
        let cache = TableCache(folder: folder)
        let catalog = try Dataset.open(path: path, cache: cache)
        #expect(catalog.tables.count == 2 && catalog.tables.allSatisfy { $0.cacheEntry == nil })
        #expect(cache.takeWarning() != nil)
        _ = try Dataset.open(path: path, cache: cache)
        #expect(cache.takeWarning() == nil)
    }

    @Test("an unusable cache folder never fails a load: a file, a parent that is a file, no HOME")
    func unusableFolder() throws {
        let scratch = Scratch()
        let csv = scratch.write("t.csv", "k,v\na,1\n")
        let file = scratch.write("plain-file", "not a folder")
        let cases: [(String?, String)] = [
            (file, "cache not used (\(file)): not a folder"),
            (file + "/projq", "cache not used (\(file)/projq): Not a directory"),
            (TableCache.standardFolder(xdgCacheHome: nil, home: nil), "cache not used: neither XDG_CACHE_HOME nor HOME is set"),
        ]
        for (folder, message) in cases {
            let cache = TableCache(folder: folder)
            let table = try Dataset.open(path: csv, cache: cache).tables[0]
            #expect(table.cells("v") == [.int(1)] && table.cacheEntry == nil)
            #expect(cache.takeWarning() == message)
        }
        #expect(readWholeFile(file) == Array("not a folder".utf8))
    }

    @Test("a cache folder open to others is made private before anything is written in it")
    func widePermissions() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/cache"
        mkdir(folder, 0o700)
        chmod(folder, 0o755)
        _ = try Dataset.open(path: scratch.write("t.csv", "k\n1\n"), cache: TableCache(folder: folder))
        #expect(permissions(folder) == 0o700)
        #expect(entries(folder).count == 1)
    }

    @Test("a cache folder of another user is not used", .enabled(if: geteuid() == 0, "only root can give a folder away"))
    func otherUsersFolder() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/cache"
        mkdir(folder, 0o700)
        chown(folder, 65534, 65534)
        let cache = TableCache(folder: folder)
        _ = try Dataset.open(path: scratch.write("t.csv", "k\n1\n"), cache: cache)
        #expect(cache.takeWarning() == "cache not used (\(folder)): the folder belongs to another user")
        #expect(entries(folder).isEmpty)
    }

    @Test("the folder: $XDG_CACHE_HOME/projq when that is an absolute path, else $HOME/.cache/projq")
    func standardFolder() {
        #expect(TableCache.standardFolder(xdgCacheHome: "/x/cache", home: "/home/a") == "/x/cache/projq")
        #expect(TableCache.standardFolder(xdgCacheHome: "/x/cache/", home: "/home/a") == "/x/cache/projq")
        #expect(TableCache.standardFolder(xdgCacheHome: "relative", home: "/home/a") == "/home/a/.cache/projq")
        #expect(TableCache.standardFolder(xdgCacheHome: nil, home: "/home/a") == "/home/a/.cache/projq")
        #expect(TableCache.standardFolder(xdgCacheHome: nil, home: nil) == nil)
    }

    @Test("clear() deletes the entries and nothing else; usage() counts them")
    func clear() throws {
        let scratch = Scratch()
        let folder = scratch.path + "/cache"
        let cache = TableCache(folder: folder)
        _ = try Dataset.open(path: repositoryRoot + "/examples/county", cache: cache)
        let other = folder + "/notes.txt"
        overwrite(other, Array("mine".utf8))
        let usage = cache.usage()
        #expect(usage.entries == 2 && usage.bytes > 40_000)
        let cleared = cache.clear()
        #expect(cleared.entries == 2 && cleared.bytes == usage.bytes)
        #expect(cache.usage().entries == 0)
        #expect(readWholeFile(other) == Array("mine".utf8))
    }

    @Test("entry names: two or three parts of 16 lowercase hex digits, and the temporary files of their saves")
    func entryNames() {
        let p = "0123456789abcdef"
        #expect(TableCache.isEntryName("\(p)-\(p).projqdb"))
        #expect(TableCache.isEntryName("\(p)-\(p)-\(p).projqdb"))
        #expect(TableCache.isEntryName(".\(p)-\(p).projqdb.tmp-4242"))
        #expect(!TableCache.isEntryName("\(p).projqdb"))
        #expect(!TableCache.isEntryName("\(p)-\(p.uppercased()).projqdb"))
        #expect(!TableCache.isEntryName("ledger.projqdb"))
        #expect(!TableCache.isEntryName(".\(p)-\(p).projqdb.tmp-x"))
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let r = firstRange(of: target) else { return self }
        return String(self[..<r.lowerBound]) + replacement + String(self[r.upperBound...])
    }
}

/// The cache entries in `folder`, by name.
func entries(_ folder: String) -> [String] {
    (directoryEntries(folder) ?? []).filter { TableCache.isEntryName($0) && !$0.hasPrefix(".") }.sorted()
}

func permissions(_ path: String) -> mode_t {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o777 : 0
}

/// Writes `bytes` over the file at `path`, keeping its inode and permissions.
func overwrite(_ path: String, _ bytes: [UInt8]) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write \(path)")
    bytes.withUnsafeBytes { _ = write(fd, $0.baseAddress!, $0.count) }
    close(fd)
}

/// Waits until the last change of every file is `SourceFile.settleTime` old, so that the cache
/// takes their stamps as proof of their bytes.
func settle(_ paths: String...) async throws {
    let newest = paths.compactMap { FileStamp.of(path: $0)?.changed }.max() ?? 0
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let wait = newest + SourceFile.settleTime + 50_000_000 - (Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
    if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait)) }
}
