#if canImport(Glibc)
import Glibc
#endif

/// The allocator's heaps in huge pages, for runs on large data.
///
/// Grouping, joins and sorts on a large table allocate hundreds of megabytes in many blocks,
/// most of them below the size that `HugePages.advise` is given. With 4 KiB pages the kernel
/// faults each page in on first touch: for `sum … by contact, stage` on a million rows
/// (580,000 groups), 36,000 faults and a fifth of the run. glibc puts its heaps in
/// transparent huge pages when GLIBC_TUNABLES says `glibc.malloc.hugetlb=1`, but it reads
/// that once, when the process starts, and offers no call to change it later. So a run whose
/// data is large starts itself again with it set, before it has read anything: the whole
/// second start costs about 1.5 ms, against 19% of that query at 1M rows and 22% at 10M
/// (the join of Q8 at 10M: 30%). Small data (the start-up most runs see) never pays it.
enum HugePageHeap {
    /// Data smaller than this is opened without a second start.
    static let largeData = 64 << 20
    static let tunable = "glibc.malloc.hugetlb"

    /// Starts projq again with huge-page heaps when it is worth it: the files named (the data
    /// and the attachments) hold at least `largeData` bytes, the kernel gives huge pages to
    /// memory that asks for them (`madvise` mode; `always` gives them without asking, `never`
    /// not at all), and GLIBC_TUNABLES does not already say (the second start, or the user's
    /// own choice). Returns when it is not, or when the second start fails (the run goes on
    /// as it is).
    static func restartIfWorthIt(paths: [String]) {
        guard advisedOnly(), !paths.isEmpty else { return }
        let existing = getenv("GLIBC_TUNABLES").map { String(cString: $0) } ?? ""
        guard !existing.contains(tunable) else { return }
        let threshold = getenv("PROJQ_HUGE_PAGE_DATA").flatMap { Int(String(cString: $0)) } ?? largeData
        var bytes = 0
        for path in paths where bytes < threshold { bytes += size(of: path) }
        guard bytes >= threshold else { return }
        setenv("GLIBC_TUNABLES", existing.isEmpty ? tunable + "=1" : existing + ":" + tunable + "=1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // exec failed (no /proc): the allocator stays as it is.
        if existing.isEmpty { unsetenv("GLIBC_TUNABLES") } else { setenv("GLIBC_TUNABLES", existing, 1) }
    }

    /// True when the kernel's transparent huge pages are in `madvise` mode.
    static func advisedOnly() -> Bool {
        guard let mode = readSmallFile("/sys/kernel/mm/transparent_hugepage/enabled") else { return false }
        return mode.contains("[madvise]")
    }

    /// A file's size, or the sizes of the files directly in a folder; 0 for what cannot be read.
    static func size(of path: String) -> Int {
        var s = stat()
        guard stat(path, &s) == 0 else { return 0 }
        if s.st_mode & S_IFMT == S_IFREG { return Int(s.st_size) }
        guard s.st_mode & S_IFMT == S_IFDIR, let dir = opendir(path) else { return 0 }
        defer { closedir(dir) }
        var total = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            var f = stat()
            if name != ".", name != "..", stat(path + "/" + name, &f) == 0, f.st_mode & S_IFMT == S_IFREG { total += Int(f.st_size) }
        }
        return total
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = read(fd, &buffer, buffer.count)
        return n > 0 ? String(decoding: buffer[..<n], as: UTF8.self) : nil
    }
}
