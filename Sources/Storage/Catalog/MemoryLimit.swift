import TextSupport
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// The memory projq lets one statement's large builds take — a join's output, a stream read
/// into memory — checked before they are made, so that asking for too much is an error naming
/// what it would take, not the process killed by the system halfway. `--memory-limit` sets it;
/// the default is three quarters of the machine's memory.
public enum MemoryLimit {
    nonisolated(unsafe) public static var bytes: Int = machineDefault

    /// Set once at start (`setUp`): whether the address space is limited (`ulimit -v`), in which
    /// case malloc keeps one arena for all threads.
    nonisolated(unsafe) private static var arenasShared = false

    /// Installs what turns a failed allocation into a message and exit status 2 (the Swift
    /// runtime's abort included), and under `ulimit -v` one malloc arena: call once, first.
    public static func setUp() { arenasShared = projq_memory_setup() == 1 }

    public static var machineDefault: Int {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), size = sysconf(Int32(_SC_PAGESIZE))
        return pages > 0 && size > 0 ? pages / 4 * 3 * size : 4 << 30
    }

    /// What a build may take now: the limit, or less where the process's address space is
    /// limited (`ulimit -v`) and most of it is in use (mapped snapshots, thread stacks).
    public static var available: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return bytes }
        // The address space in use: the first field of /proc/self/statm, in pages.
        var used = 0
        if let statm = readWholeFile("/proc/self/statm", limit: 4096), let first = statm.split(separator: 32).first {
            used = (Int(String(decoding: first, as: UTF8.self)) ?? 0) * Int(sysconf(Int32(_SC_PAGESIZE)))
        }
        // Less what worker threads reserve when they start, which the limit counts though
        // little of it is ever touched: a stack of 8 MB each, and a malloc arena of 64 MB each
        // unless `setUp` made them share one.
        let reserved = (arenasShared ? 32 : 128) << 20
        return Swift.max(0, Swift.min(bytes, Int(limit.rlim_cur) - used - reserved))
    }

    /// A message when `needed` bytes for `what` pass what is available, else nil. A build of a
    /// few megabytes is never refused: the estimate of what is available keeps a margin for
    /// threads' reservations, which small builds fit in.
    public static func refusal(_ needed: Int, for what: String) -> String? {
        guard needed > 4 << 20 else { return nil }
        let free = available
        guard needed > free else { return nil }
        let limited = free < bytes ? StorageMessage.addressSpaceLeft() : StorageMessage.memoryLimitOption()
        return StorageMessage.needsMemory(what, describe(needed), limited, describe(free))
    }

    /// `300MB`, `2GB`, `1.5G`, `512M`, `4096` (bytes); binary units (MB is 2^20 bytes). Nil when
    /// it does not read or is below a megabyte.
    public static func parse(_ text: String) -> Int? {
        var digits = Substring(text.uppercased())
        var unit = 1
        for (suffix, size) in [("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1)] {
            if digits.hasSuffix(suffix) {
                digits = digits.dropLast(suffix.count)
                unit = size
                break
            }
        }
        guard let value = Double(digits), value.isFinite, value > 0, value * Double(unit) < 1e18 else { return nil }
        let bytes = Int(value * Double(unit))
        return bytes >= 1 << 20 ? bytes : nil
    }

    /// `1.5 GB`, `300 MB`.
    public static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return formatTenths(Double(bytes) / Double(1 << 30)) + " GB" }
        return formatTenths(Double(bytes) / Double(1 << 20)) + " MB"
    }

    private static func formatTenths(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
}
