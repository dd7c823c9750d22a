import Storage

/// What `.help` and `.cache` say about the cache of CSV tables. The copies are of confidential
/// ledgers, so every text says where they are, who can read them and how to delete them.
enum CacheListing {
    /// The paragraph at the end of `.help`.
    static func summary(_ cache: TableCache?) -> String {
        let folder = cache?.folder ?? "$XDG_CACHE_HOME/projq (default ~/.cache/projq)"
        let off = cache?.isEnabled == true ? "" : " It is off in this run."
        return "Cache: a copy of each CSV table loaded is kept in \(folder), readable only by you,\n"
            + "so that an unchanged file opens at once the next time.\(off)\n"
            + ".cache shows it; .cache clear or rm -r \(folder) deletes the copies; --no-cache turns it off.\n"
    }

    /// `.cache`: the folder, its entries and size, and which open tables came from it.
    static func describe(_ cache: TableCache?, catalog: Catalog) -> String {
        guard let cache else { return "the cache is off in this session\n" }
        guard let folder = cache.folder else { return "no cache: neither XDG_CACHE_HOME nor HOME is set\n" }
        let (entries, bytes) = cache.usage()
        let off = cache.isEnabled ? "" : " (off in this run: --no-cache or PROJQ_NO_CACHE)"
        var out = "\(folder): \(entries) cached table\(entries == 1 ? "" : "s"), \(size(bytes))\(off)\n"
        out += "Copies of CSV ledgers, readable only by you (folder 0700, files 0600); .cache clear or rm -r \(folder) deletes them.\n"
        let cached = catalog.tables.filter { $0.cacheEntry != nil }.map(\.name)
        if !cached.isEmpty { out += "Opened from the cache: \(cached.joined(separator: ", "))\n" }
        return out
    }

    /// `.cache clear`.
    static func clear(_ cache: TableCache?) -> String {
        guard let cache, let folder = cache.folder else { return "no cache to clear\n" }
        let (entries, bytes) = cache.clear()
        return "deleted \(entries) cached table\(entries == 1 ? "" : "s") (\(size(bytes))) from \(folder)\n"
    }

    /// Bytes in decimal units, one decimal: `118.4 MB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return "\(bytes) bytes" }
        var value = Double(bytes)
        for unit in ["KB", "MB", "GB", "TB"] {
            value /= 1000
            if value < 999.95 || unit == "TB" {
                let tenths = Int((value * 10).rounded())
                return "\(tenths / 10).\(tenths % 10) \(unit)"
            }
        }
        return "\(bytes) bytes"
    }
}
