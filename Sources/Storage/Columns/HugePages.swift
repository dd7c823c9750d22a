#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large working buffers with 2 MiB pages. This machine's transparent
/// huge pages are given only where asked (`madvise` mode), and a buffer of tens of megabytes
/// first touched in 4 KiB pages costs a fault each: at a million groups, the aggregate states'
/// faults took more system time than the grouping took user time.
public enum HugePages {
    static let size = 2 << 20

    /// Advises the whole 2 MiB pages inside `bytes` bytes at `start`; smaller buffers, and
    /// buffers whose memory is already touched, gain nothing and are left alone.
    public static func advise(_ start: UnsafeMutableRawPointer?, bytes: Int) {
        guard let start, bytes >= size else { return }
        let first = (Int(bitPattern: start) + size - 1) & ~(size - 1)
        let end = (Int(bitPattern: start) + bytes) & ~(size - 1)
        guard end > first else { return }
        adviseAll(UnsafeMutableRawPointer(bitPattern: first)!, bytes: end - first)
    }

    /// Advises all of a region its caller owns whole (a mapping, or an allocation aligned to and
    /// rounded up to 2 MiB), so that its first touches fault in 2 MiB at a time.
    public static func adviseAll(_ start: UnsafeMutableRawPointer, bytes: Int) {
        _ = madvise(start, bytes, 14 /* MADV_HUGEPAGE */)
    }
}
