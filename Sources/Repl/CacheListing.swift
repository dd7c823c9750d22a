import Storage
import TextSupport

/// What `.help` and `.cache` say about the cache of CSV tables. The copies are of confidential
/// ledgers, so every text says where they are, who can read them and how to delete them.
enum CacheListing {
    /// The paragraph at the end of `.help`.
    static func summary(_ cache: TableCache?) -> String {
        let folder = cache?.folder ?? ShellMessage.defaultCacheFolder()
        let off = cache?.isEnabled == true ? "" : ShellMessage.cacheOffInThisRun()
        return ShellMessage.cacheSummary(folder, off) + "\n"
    }

    /// `.cache`: the folder, its entries and size, and which open tables came from it.
    static func describe(_ cache: TableCache?, catalog: Catalog) -> String {
        guard let cache else { return ShellMessage.cacheOffInSession() + "\n" }
        guard let folder = cache.folder else { return ShellMessage.noCacheFolder() + "\n" }
        let (entries, bytes) = cache.usage()
        let off = cache.isEnabled ? "" : ShellMessage.cacheOffByOption()
        var out = "\(folder): " + ShellMessage.count(entries, one: .oneCachedTable, other: .cachedTables) + ", \(size(bytes))\(off)\n"
        out += ShellMessage.cacheCopiesAre(folder) + "\n"
        let cached = catalog.tables.filter { $0.cacheEntry != nil }.map(\.name)
        if !cached.isEmpty { out += ShellMessage.openedFromCache(cached.joined(separator: ", ")) + "\n" }
        return out
    }

    /// `.cache clear`.
    static func clear(_ cache: TableCache?) -> String {
        guard let cache, let folder = cache.folder else { return ShellMessage.noCacheToClear() + "\n" }
        let (entries, bytes) = cache.clear()
        return ShellMessage.deletedCache(ShellMessage.count(entries, one: .oneCachedTable, other: .cachedTables), size(bytes), folder) + "\n"
    }

    /// Bytes in decimal units, one decimal: `118.4 MB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1000 { return ShellMessage.byteCount(bytes) }
        var value = Double(bytes)
        for unit in ["KB", "MB", "GB", "TB"] {
            value /= 1000
            if value < 999.95 || unit == "TB" {
                let tenths = Int((value * 10).rounded())
                return "\(tenths / 10).\(tenths % 10) \(unit)"
            }
        }
        return ShellMessage.byteCount(bytes)
    }
}
