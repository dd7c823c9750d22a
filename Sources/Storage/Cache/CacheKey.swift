import CKernels

/// Everything that decides what loading a CSV file as a table gives, hashed into the names of its
/// cache entries. Two loads with equal keys give equal tables.
struct CacheKey {
    /// Bumped when what the cache stores, or how it names or proves entries, changes.
    static let layoutVersion: UInt32 = 1

    /// Names the file and table, whatever their state: `<prefix>-…` entries are the versions of
    /// one table, and writing one removes the others.
    let prefix: String
    /// Names the state: every field below.
    let state: String

    /// - `file`: the CSV file's real path, and its stamp (device, inode, size, mtime, ctime).
    /// - `sample`: a hash of samples of its bytes (`FileHash.sampled`), a second line of defence.
    /// - `table`, `declarations`, `nullMarkers`: the table's name and what schema.toml declares
    ///   for it.
    /// - `loader`: the stamp of the running projq: another build may infer types differently, so
    ///   it never reads tables this build made. The snapshot format version and `layoutVersion`.
    init(file: SourceFile, sample: UInt64, table: String, declarations: [String: ColumnSpec]?, nullMarkers: [String]? = nil,
         loader: FileStamp) {
        var identity = ByteWriter()
        identity.string(file.realPath)
        identity.string(table)
        prefix = CacheKey.hex(identity.bytes.withUnsafeBytes { projq_hash($0.baseAddress, $0.count, FileHash.seed) })

        var w = ByteWriter()
        w.string("projq table cache")
        w.u32(CacheKey.layoutVersion)
        w.u32(SnapshotFormat.version)
        for stamp in [loader, file.stamp] {
            w.u64(stamp.device)
            w.u64(stamp.inode)
            w.u64(UInt64(stamp.size))
            w.u64(UInt64(bitPattern: stamp.modified))
            w.u64(UInt64(bitPattern: stamp.changed))
        }
        w.u64(sample)
        w.bytes += identity.bytes
        let specs = (declarations ?? [:]).sorted { $0.key < $1.key }
        w.u32(UInt32(specs.count))
        for (column, spec) in specs {
            w.string(column)
            let code = spec.type.persistedCode
            w.u8(code.type)
            w.u8(code.unit)
            for list in [spec.order, spec.nullMarkers] {
                if let list {
                    w.u32(UInt32(list.count))
                    for value in list { w.string(value) }
                } else {
                    w.u32(UInt32.max)
                }
            }
        }
        if let nullMarkers {
            w.u32(UInt32(nullMarkers.count))
            for value in nullMarkers { w.string(value) }
        } else {
            w.u32(UInt32.max)
        }
        state = CacheKey.hex(w.bytes.withUnsafeBytes { projq_hash($0.baseAddress, $0.count, FileHash.seed) })
    }

    /// The entry whose file stamp proves its bytes: served whenever the stamp is unchanged.
    var provenName: String { "\(prefix)-\(state).projqdb" }

    /// The entry of a file whose stamp proves nothing (changed a moment before it was loaded, or
    /// on a file system that lets ctime be set): served only while every byte still hashes to `hash`.
    func verifiedName(hash: UInt64) -> String { "\(prefix)-\(state)-\(CacheKey.hex(hash)).projqdb" }

    /// The hash a verified entry's name holds; nil for any other name.
    func verifiedHash(in name: String) -> UInt64? {
        let head = "\(prefix)-\(state)-"
        guard name.hasPrefix(head), name.hasSuffix(".projqdb") else { return nil }
        let hex = name.dropFirst(head.count).dropLast(".projqdb".count)
        guard hex.count == 16 else { return nil }
        return UInt64(hex, radix: 16)
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
