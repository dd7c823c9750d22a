import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// The cache folder: made private before first use, pruned of replaced entries, measured and
/// cleared for `.cache`.
extension TableCache {
    /// The folder, ready for entries; nil (and a warning) when it cannot be used. Checked once a
    /// run, at the first CSV load, so runs that open no CSV file never touch it.
    func readyFolder() -> String? {
        switch folderState {
        case .ready: return folder
        case .unusable: return nil
        case .unchecked: break
        }
        folderState = .unusable
        guard let folder else {
            warn(DataMessage.cacheNoHome())
            return nil
        }
        if let problem = TableCache.makePrivate(folder) {
            warn(DataMessage.cacheNotUsed(folder, problem))
            return nil
        }
        folderState = .ready
        return folder
    }

    /// Creates `folder` and its missing parents 0700, and makes an existing folder 0700 when
    /// group or others may enter it (it holds copies of confidential ledgers). Refuses a folder
    /// of another user: its owner could read the copies, or plant tables. Nil when ready, else why not.
    static func makePrivate(_ folder: String) -> String? {
        var st = stat()
        if stat(folder, &st) != 0 {
            guard errno == ENOENT else { return String(cString: strerror(errno)) }
            var path = folder.hasPrefix("/") ? "" : "."
            for part in folder.split(separator: "/") {
                path += "/" + part
                if mkdir(path, 0o700) != 0, errno != EEXIST {
                    return DataMessage.cannotCreate(path, String(cString: strerror(errno)))
                }
            }
            guard stat(folder, &st) == 0 else { return String(cString: strerror(errno)) }
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return DataMessage.notAFolder() }
        guard st.st_uid == geteuid() else { return DataMessage.otherUser() }
        if st.st_mode & 0o077 != 0, chmod(folder, 0o700) != 0 {
            return DataMessage.notPrivate(String(cString: strerror(errno)))
        }
        return nil
    }

    /// Removes the entries `<prefix>-…` whose names `stale` picks, and the temporary files of that
    /// prefix left by a projq that died while writing (older than ten minutes, so that a write
    /// under way in another projq is left alone). Failures are ignored: a stale entry is never
    /// served anyway.
    func removeEntries(in folder: String, prefix: String, where stale: (String) -> Bool) {
        for name in directoryEntries(folder) ?? [] where TableCache.isEntryName(name) {
            let path = TableCache.join(folder, name)
            if name.hasPrefix(prefix + "-") {
                if stale(name) { unlink(path) }
            } else if name.hasPrefix("." + prefix + "-") {
                var st = stat()
                var now = timespec()
                clock_gettime(CLOCK_REALTIME, &now)
                if stat(path, &st) == 0, now.tv_sec - st.st_mtim.tv_sec > 600 { unlink(path) }
            }
        }
    }

    /// Entries in the folder and their bytes (temporary files included); zero when it does not exist.
    public func usage() -> (entries: Int, bytes: Int) {
        guard let folder else { return (0, 0) }
        var entries = 0
        var bytes = 0
        for name in directoryEntries(folder) ?? [] where TableCache.isEntryName(name) {
            var st = stat()
            guard stat(TableCache.join(folder, name), &st) == 0 else { continue }
            if !name.hasPrefix(".") { entries += 1 }
            bytes += Int(st.st_size)
        }
        return (entries, bytes)
    }

    /// Deletes every entry (and temporary file) in the folder; other files are left alone. Tables
    /// already open from an entry stay usable: their mapping outlives the name.
    public func clear() -> (entries: Int, bytes: Int) {
        let before = usage()
        guard let folder else { return before }
        for name in directoryEntries(folder) ?? [] where TableCache.isEntryName(name) {
            unlink(TableCache.join(folder, name))
        }
        let after = usage()
        return (before.entries - after.entries, before.bytes - after.bytes)
    }

    /// `<16 hex>-<16 hex>[-<16 hex>].projqdb`, or the temporary file a save writes for one.
    static func isEntryName(_ name: String) -> Bool {
        var entry = Substring(name)
        if name.hasPrefix(".") {
            // `.<entry>.tmp-<pid>`
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[2] == "projqdb", parts[3].hasPrefix("tmp-"),
                  parts[3].dropFirst(4).allSatisfy(\.isNumber) else { return false }
            entry = parts[1]
        } else {
            guard entry.hasSuffix(".projqdb") else { return false }
            entry = entry.dropLast(".projqdb".count)
        }
        let parts = entry.split(separator: "-", omittingEmptySubsequences: false)
        return (parts.count == 2 || parts.count == 3)
            && parts.allSatisfy { $0.count == 16 && $0.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
    }
}
