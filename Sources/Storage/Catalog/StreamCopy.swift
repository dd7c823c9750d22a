import TextSupport
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// A pipe, FIFO or other stream named as data (`projq <(zcat ledger.csv.gz)`, `mkfifo`), read
/// exactly once into an anonymous file in memory, which is then read like any file: sniffing a
/// snapshot's magic bytes, the CSV loader's passes and a restart all read the copy, where
/// opening the stream again would find it drained (rows lost) or block forever.
struct StreamCopy {
    /// The copy, by a path that opens it (`/proc/self/fd/N`), while `fd` is open.
    let path: String
    let fd: Int32

    /// Whether `path` is a stream rather than a regular file or a folder.
    static func isStream(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let kind = st.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFCHR || kind == S_IFSOCK
    }


    init(reading stream: String) throws(LoadError) {
        let source = open(stream, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw LoadError(file: stream, message: DataMessage.cannotRead(String(cString: strerror(errno)))) }
        defer { close(source) }
        let copy = projq_anonymous_file()
        guard copy >= 0 else { throw LoadError(file: stream, message: DataMessage.cannotCopyStream(String(cString: strerror(errno)))) }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        // The copy lives in memory: an endless stream (`/dev/zero`) stops at the memory limit, or
        // at what ulimit -v leaves, whichever is less.
        let limit = MemoryLimit.available
        while true {
            let r = read(source, buffer, 1 << 20)
            if r < 0, errno == EINTR { continue }
            if r < 0 {
                close(copy)
                throw LoadError(file: stream, message: DataMessage.cannotRead(String(cString: strerror(errno))))
            }
            if r == 0 { break }
            total += r
            guard total <= limit else {
                close(copy)
                throw LoadError(file: stream, message: DataMessage.streamPastLimit(MemoryLimit.describe(limit)))
            }
            var done = 0
            while done < r {
                let w = write(copy, buffer + done, r - done)
                if w < 0, errno == EINTR { continue }
                guard w > 0 else {
                    close(copy)
                    throw LoadError(file: stream, message: DataMessage.cannotKeepStream(String(cString: strerror(errno))))
                }
                done += w
            }
        }
        fd = copy
        path = "/proc/self/fd/\(copy)"
    }

    /// Runs `body` on the copy's path; errors name the stream, not the copy.
    func use<T>(as stream: String, _ body: (String) throws(LoadError) -> T) throws(LoadError) -> T {
        defer { close(fd) }
        do {
            return try body(path)
        } catch {
            var e = error
            if e.file == path { e.file = stream }
            e.message = e.message.replacing(path, with: stream)
            throw e
        }
    }
}
