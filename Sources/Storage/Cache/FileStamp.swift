#if canImport(Glibc)
import Glibc
#endif

/// The `stat` fields that say which file this is and when it last changed. The one that matters
/// is `changed` (ctime): the kernel sets it to the current time whenever the file's bytes or its
/// inode change — on every write, truncation and `utimensat` — and no call lets a user set it
/// back. The others catch the rest: a file replaced by a rename (inode), grown or cut (size).
struct FileStamp: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    /// mtime and ctime in nanoseconds since 1970.
    var modified: Int64
    var changed: Int64

    init(_ st: stat) {
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int(st.st_size)
        modified = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        changed = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }

    static func of(fd: Int32) -> FileStamp? {
        var st = stat()
        return fstat(fd, &st) == 0 ? FileStamp(st) : nil
    }

    static func of(path: String) -> FileStamp? {
        var st = stat()
        return stat(path, &st) == 0 ? FileStamp(st) : nil
    }
}
