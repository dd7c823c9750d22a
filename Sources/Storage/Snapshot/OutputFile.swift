import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// A file being written, with its offset and error reporting.
final class OutputFile {
    var fd: Int32
    let path: String
    var offset = 0
    /// The command in messages: `cannot save (write failed: …)`.
    var verb = DataMessage.save()

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    func failure(_ what: String) -> LoadError {
        LoadError(file: path, message: DataMessage.callFailed(verb, what, String(cString: strerror(errno))))
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(LoadError) {
        var done = 0
        while done < bytes.count {
            let r = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if r < 0 {
                if errno == EINTR { continue }
                throw failure("write")
            }
            done += r
        }
        offset += bytes.count
    }

    func write(_ bytes: [UInt8]) throws(LoadError) {
        // A copy: the directory and header are small, and typed throws cannot leave a closure.
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(bytes.count, 1), alignment: 8)
        defer { copy.deallocate() }
        copy.copyBytes(from: bytes)
        try write(UnsafeRawBufferPointer(rebasing: copy[0..<bytes.count]))
    }

    func write(zeros n: Int) throws(LoadError) {
        try write([UInt8](repeating: 0, count: n))
    }

    /// Pads to the next 8-byte boundary, so that every buffer can be used in place from a map.
    func pad() throws(LoadError) {
        let rest = offset % SnapshotFormat.alignment
        if rest != 0 { try write(zeros: SnapshotFormat.alignment - rest) }
    }

    func pwrite(_ bytes: [UInt8], at position: Int) throws(LoadError) {
        let r = bytes.withUnsafeBytes { Glibc.pwrite(fd, $0.baseAddress!, $0.count, off_t(position)) }
        if r != bytes.count { throw failure("write") }
    }
}
