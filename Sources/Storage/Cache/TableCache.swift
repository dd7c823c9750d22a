import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// A cache of CSV tables: each table loaded from a CSV file is kept as a one-table snapshot in
/// the cache folder, and an unchanged file opens from it in milliseconds instead of being parsed.
///
/// **Folder.** `$XDG_CACHE_HOME/projq/`, else `$HOME/.cache/projq/`. The entries are copies of
/// confidential ledgers, so the folder is private: created 0700 (missing parents too), made 0700
/// if it is found open to group or others, refused when it belongs to another user; entries are
/// created 0600. `rm -r` of the folder, or `clear()`, removes every copy.
///
/// **Entries.** `<P>-<K>.projqdb` or `<P>-<K>-<H>.projqdb`, where P hashes the CSV file's real
/// path and the table name, K hashes everything a load depends on (`CacheKey`: the file's stamp —
/// device, inode, size, mtime, ctime — a sampled hash of its bytes, the table name, its schema.toml
/// declarations, the projq build, the snapshot format version), and H is the XXH64 of every byte
/// the load read. Writing an entry removes the other entries of the same P. Entries are written
/// like any snapshot: a temporary file in the folder, fsync, rename.
///
/// **Why it never serves stale data.** An entry is only ever written from bytes read while the
/// file kept the stamp K holds (`ContentDigest` records the file the loader read and how much of
/// it; the stamp is taken again after the load), and it is served only when one of two proofs
/// holds that the file still has those bytes:
/// - `<P>-<K>`: the stamp alone. Every change to a file's bytes sets its ctime to the current
///   time, and nothing a user runs can set ctime back; so once a file's stamp was taken at least
///   2 s after its last change (`SourceFile.settleTime`, longer than any timestamp granularity),
///   a later change gives it another ctime, hence another K. This form is only written when the
///   stamp was taken that late, and only on file systems where the kernel keeps ctime
///   (`SourceFile.kernelKeptChangeTime`).
/// - `<P>-<K>-<H>`: a hash of every byte, checked on every open — for a file changed within 2 s
///   before it was stamped (its ctime could still be shared by a change in the same tick: git's
///   "racy" files) or on a file system whose ctime proves nothing. Reading 123 MB for the hash
///   costs ~30 ms, so once such a file's stamp is old enough the entry is renamed to `<P>-<K>`.
/// A hash of every byte on every open would cost more than the whole snapshot open (5–18 ms for
/// 1M rows), which is why the stamp, not the bytes, is the usual proof. The sampled hash in K
/// costs a fraction of a millisecond and is there only as a second line of defence (a clock set
/// back by root, a file system that breaks the rules).
///
/// **Failures.** The cache never makes a load fail and never prints: an unusable folder, a write
/// that fails (read-only, full disk), a corrupt, truncated or other-version entry — each is
/// ignored, the CSV file is loaded, and the first problem of the run is kept for `takeWarning()`
/// (the caller prints it: at most one line a run).
public final class TableCache {
    /// The cache folder; nil when neither XDG_CACHE_HOME nor HOME names one.
    public let folder: String?
    /// False with `--no-cache`: `table` loads every file, and nothing is read or written.
    public let isEnabled: Bool
    var folderState = FolderState.unchecked
    private var warned = false
    private var warning: String?

    enum FolderState {
        case unchecked, ready, unusable
    }

    public init(folder: String?, enabled: Bool = true) {
        self.folder = folder
        isEnabled = enabled
    }

    /// `$XDG_CACHE_HOME/projq` when XDG_CACHE_HOME is an absolute path (the XDG rule: a relative
    /// one is ignored), else `$HOME/.cache/projq`; nil when neither is set.
    public static func standardFolder(xdgCacheHome: String?, home: String?) -> String? {
        if let xdg = xdgCacheHome, xdg.hasPrefix("/") { return join(xdg, "projq") }
        if let home, !home.isEmpty { return join(join(home, ".cache"), "projq") }
        return nil
    }

    /// The first problem the cache met since the last call, as one line without a newline
    /// (`cache not written (FOLDER): …`); nil when there is none. Later problems of the run are
    /// not reported: one line says the cache is not working, and loads go on without it.
    public func takeWarning() -> String? {
        defer { warning = nil }
        return warning
    }

    func warn(_ message: String) {
        guard !warned else { return }
        warned = true
        warning = message
    }

    /// The table in the CSV file at `path`: from its cache entry when one proves the file
    /// unchanged, else `load`ed (its errors are the load's) and then stored.
    func table(csv path: String, name: String, declarations: [String: ColumnSpec]?, nullMarkers: [String]? = nil,
               load: (ContentDigest?) throws(LoadError) -> Table) throws(LoadError) -> Table {
        guard isEnabled, let folder = readyFolder() else { return try load(nil) }
        guard let loader = TableCache.loaderStamp else {
            warn(DataMessage.cacheNoExe())
            return try load(nil)
        }
        // A file that cannot be opened or read is the loader's to report.
        guard let file = SourceFile(path: path), let sample = file.sampledHash() else { return try load(nil) }
        let key = CacheKey(file: file, sample: sample, table: name, declarations: declarations, nullMarkers: nullMarkers, loader: loader)
        // The usual case, an entry the stamp proves, is opened by its name (a missing one is a
        // miss): the folder, which holds every table ever cached, is listed only on a miss.
        if let table = use(TableCache.join(folder, key.provenName), table: name) {
            table.cacheSource = path
            return table
        }
        let verified = (directoryEntries(folder) ?? []).filter { key.verifiedHash(in: $0) != nil }
        if !verified.isEmpty, let hash = file.wholeHash(), file.isUnchanged,
           let match = verified.first(where: { key.verifiedHash(in: $0) == hash }) {
            let entry = TableCache.join(folder, match)
            if let table = use(entry, table: name) {
                table.cacheSource = path
                // The bytes were just read whole under a stamp that now proves them: from here on
                // the stamp is proof enough.
                if file.stampProvesContent { rename(entry, TableCache.join(folder, key.provenName)) }
                return table
            }
        }
        // A miss. Entries of this table in another state are stale copies; those of this state
        // may be another projq's, written a moment ago.
        removeEntries(in: folder, prefix: key.prefix) { !$0.hasPrefix(key.prefix + "-" + key.state) }
        let digest = ContentDigest(hashesBytes: !file.stampProvesContent)
        let table = try load(digest)
        // Store only what was read from this file while it kept its stamp.
        guard digest.device == file.stamp.device, digest.inode == file.stamp.inode,
              digest.byteCount == file.stamp.size, file.isUnchanged else { return table }
        let entry = file.stampProvesContent ? key.provenName : key.verifiedName(hash: digest.hash)
        do {
            try SnapshotWriter.save(Catalog(tables: [table]), to: TableCache.join(folder, entry), mode: 0o600)
            removeEntries(in: folder, prefix: key.prefix) { $0 != entry }
        } catch {
            warn(DataMessage.cacheNotWritten(folder, error.message))
        }
        return table
    }

    /// Puts aside an entry found damaged after it was opened (a block read by a query did not
    /// match its checksum): removed, so that the next load writes it again; the warning says so.
    public func discard(entry: String, _ problem: String) {
        unlink(entry)
        warn(DataMessage.cacheEntryIgnored(entry, problem))
    }

    /// Opens a cache entry: a snapshot holding the one table `name`. An entry that is truncated,
    /// has a damaged header, directory, dictionary or zone map, comes from another snapshot
    /// format version or does not hold the table asked for is a `LoadError` here, and the caller
    /// loads the CSV file and writes the entry again. A damaged block of a column is found when a
    /// query first reads it (the snapshot is checked lazily): the session then `discard`s the
    /// entry, loads the CSV file and runs the statement again.
    func openEntry(_ path: String, table name: String) throws(LoadError) -> Table {
        let catalog = try SnapshotReader.open(path: path)
        guard catalog.tables.count == 1, let table = catalog.tables.first, table.name == name else {
            throw LoadError(file: path, message: DataMessage.notTableAlone(name))
        }
        table.cacheEntry = path
        return table
    }

    /// `openEntry`, with a bad entry reported and ignored. An entry that does not exist (never
    /// written, or replaced or removed by another projq meanwhile) is a miss, not a problem.
    private func use(_ path: String, table name: String) -> Table? {
        do {
            return try openEntry(path, table: name)
        } catch {
            var st = stat()
            if stat(path, &st) != 0, errno == ENOENT { return nil }
            warn(DataMessage.cacheEntryIgnored(path, error.message))
            return nil
        }
    }

    /// The running executable's stamp: a rebuilt or upgraded projq gets other keys. Nil when it
    /// cannot be known, and then nothing is cached.
    static let loaderStamp: FileStamp? = FileStamp.of(path: "/proc/self/exe")

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
