#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// A CSV file as the cache sees it: opened once by its real path, stamped, and able to say whether
/// its stamp alone proves its bytes unchanged since then.
final class SourceFile {
    let realPath: String
    let fd: Int32
    let stamp: FileStamp
    /// The stamp proves the bytes: the file system's ctime is kept by the kernel, and the stamp
    /// was taken when that ctime was at least `settleTime` old (see `TableCache`).
    let stampProvesContent: Bool

    /// A change this long ago can no longer share its ctime with a later one, on any file system
    /// whose timestamps have a granularity of 1 s or finer (ext4 with small inodes has 1 s; the
    /// others record nanoseconds of a clock that ticks every few milliseconds).
    static let settleTime: Int64 = 2_000_000_000

    /// File systems whose ctime only the kernel sets. Not here, so their files are always checked
    /// by a hash of every byte: FAT and exFAT (ctime is mtime there, and mtime can be set back),
    /// SMB (a client can set the change time), NFS and FUSE (another machine's or program's clock).
    static let kernelKeptChangeTime: [UInt64] = [
        0xEF53,       // ext2, ext3, ext4
        0x5846_5342,  // xfs
        0x9123_683E,  // btrfs
        0x0102_1994,  // tmpfs
        0xF2F5_2010,  // f2fs
        0x2FC1_2FC1,  // zfs
        0xCA45_1A4E,  // bcachefs
        0x794C_7630,  // overlayfs (containers)
    ]

    /// Nil when the file cannot be opened or is not a regular file: the loader then reports why.
    init?(path: String) {
        guard let resolved = realpath(path, nil) else { return nil }
        realPath = String(cString: resolved)
        free(resolved)
        fd = open(realPath, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        // The clock is read before the stamp: the stamp is then at least this late, so a ctime
        // older than `settleTime` by this clock is older still when the stamp is taken.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        stamp = FileStamp(st)
        let observed = Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
        stampProvesContent = SourceFile.kernelKeptChangeTime.contains(projq_file_system_type(fd))
            && observed - stamp.changed >= SourceFile.settleTime
    }

    deinit { close(fd) }

    /// True when the file still has the stamp it had when opened.
    var isUnchanged: Bool { FileStamp.of(fd: fd) == stamp }

    func sampledHash() -> UInt64? { FileHash.sampled(fd: fd, size: stamp.size) }

    func wholeHash() -> UInt64? { FileHash.whole(fd: fd, size: stamp.size) }
}
