import Storage
import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// Where rendered results go: bytes gathered and written to a file in pieces of a megabyte, so
/// that a result of millions of rows is never held whole as text; or kept (for tests and for
/// results that are shown as one piece). A failed write is kept and reported, never dropped.
public final class OutputSink {
    private var buffer = GrowableBuffer<UInt8>(capacity: 1 << 16)
    private let fd: Int32?
    private let path: String
    /// The first write that failed, as a message; later writes are skipped.
    public private(set) var failure: String? = nil
    /// Set for output in another encoding than UTF-8 (`--encoding gb18030`).
    var transcoder: Transcoder? = nil

    /// A sink that writes to `fd` (`path` names it in errors).
    public init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// A sink that keeps what is written (`text` returns it).
    public init() {
        fd = nil
        path = ""
    }

    deinit { buffer.release() }

    public func write(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
        flushIfFull()
    }

    /// Appends bytes through `body`, then writes out a full buffer.
    @inline(__always)
    func append(_ body: (inout GrowableBuffer<UInt8>) -> Void) {
        body(&buffer)
        flushIfFull()
    }

    @inline(__always) private func flushIfFull() {
        if fd != nil, buffer.count >= 1 << 20 { flush() }
    }

    /// Writes what is gathered (a sink that keeps its text keeps it).
    public func flush() {
        guard let fd else { return }
        defer { buffer.removeAll() }
        guard failure == nil else { return }
        if let transcoder {
            let converted = transcoder.convert(UnsafeBufferPointer(buffer.elements))
            converted.withUnsafeBufferPointer { writeAll(fd, $0) }
        } else {
            writeAll(fd, UnsafeBufferPointer(buffer.elements))
        }
    }

    private func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        var done = 0
        while done < bytes.count {
            let r = Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
            if r < 0, errno == EINTR { continue }
            if r <= 0 {
                failure = ShellMessage.cannotWrite(path, r < 0 ? String(cString: strerror(errno)) : ShellMessage.nothingWritten())
                return
            }
            done += r
        }
    }

    /// What a keeping sink holds.
    public var text: String { String(decoding: buffer.elements, as: UTF8.self) }
}
