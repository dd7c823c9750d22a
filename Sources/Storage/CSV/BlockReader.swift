#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// Reads a CSV file in blocks, so that the file is never held whole beside its columns. The
/// tokenizer takes the complete records of a block; the cut record moves to the front and the
/// next read fills in behind it. A file in another encoding than UTF-8 is converted whole and
/// served as one block.
public final class BlockReader {
    let path: String
    private var fd: Int32 = -1
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    private(set) var filled = 0
    /// Offset in the decoded text of `buffer[0]`.
    private(set) var blockOffset = 0
    private(set) var eof = false
    private(set) var encoding = TextEncoding.utf8(bomLength: 0)
    /// The byte between fields, sniffed from the first lines (`Delimiter`).
    private(set) var delimiter = CSVTokenizer.comma
    let fileSize: Int
    /// Told which file this is and every byte read from it, for the cache (nil: no one asks).
    private let digest: ContentDigest?

    public static let blockSize = 1 << 20

    init(path: String, blockSize: Int = BlockReader.blockSize, digest: ContentDigest? = nil) throws(LoadError) {
        self.path = path
        self.digest = digest
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw LoadError(file: path, message: DataMessage.cannotOpen(String(cString: strerror(errno)))) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw LoadError(file: path, message: DataMessage.cannotRead(String(cString: strerror(errno))))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw LoadError(file: path, message: DataMessage.isAFolder())
        }
        fileSize = Int(st.st_size)
        digest?.start(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
        capacity = Swift.max(blockSize, 16)
        buffer = malloc(capacity + 16)!.assumingMemoryBound(to: UInt8.self)
        do throws(LoadError) {
            try fill()
            do throws(TextEncoding.Mixed) {
                encoding = try TextEncoding.detect(UnsafeBufferPointer(start: buffer, count: min(filled, 1 << 20)), isWholeFile: eof)
            } catch {
                let p = TextPosition.locate(offset: error.offset, in: UnsafeBufferPointer(start: buffer, count: filled))
                throw LoadError(file: path, line: p.line, column: p.column,
                                message: DataMessage.mixedEncodings(String(buffer[error.offset], radix: 16, uppercase: true)))
            }
            switch encoding {
            case .utf8(let bom):
                if bom > 0 { consume(bom) }
            case .converted(let from):
                while !eof {
                    grow()
                    try fill()
                }
                let (converted, count) = try convertToUTF8(UnsafeBufferPointer(start: buffer, count: filled), from: from, file: path)
                free(buffer)
                buffer = converted
                capacity = count
                filled = count
                close(fd)
                fd = -1
            }
            delimiter = Delimiter.sniff(buffer, filled, isWholeFile: eof)
        } catch {
            // Every property is set, so deinit runs on this throw and frees the buffer.
            if fd >= 0 { close(fd) }
            fd = -1
            throw error
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
        free(buffer)
    }

    /// Reads until the buffer is full or the file ends.
    func fill() throws(LoadError) {
        while filled < capacity, !eof, fd >= 0 {
            let r = read(fd, buffer + filled, capacity - filled)
            if r < 0 {
                if errno == EINTR { continue }
                throw LoadError(file: path, message: DataMessage.readFailed(String(cString: strerror(errno))))
            }
            if r == 0 {
                eof = true
            } else {
                digest?.add(buffer + filled, r)
                filled += r
            }
        }
        if fd < 0 { eof = true }
        (buffer + filled).initialize(repeating: 0, count: 16)
    }

    /// Drops the first `n` bytes of the buffer (records already taken).
    func consume(_ n: Int) {
        guard n > 0 else { return }
        memmove(buffer, buffer + n, filled - n)
        filled -= n
        blockOffset += n
    }

    /// Doubles the buffer, for a record longer than a block.
    func grow() {
        capacity *= 2
        buffer = realloc(buffer, capacity + 16)!.assumingMemoryBound(to: UInt8.self)
    }

    /// The line and column of an offset in the decoded text. Rereads the file's start: only
    /// error paths call it.
    func position(of offset: Int) -> TextPosition {
        if offset >= blockOffset, offset <= blockOffset + filled, blockOffset == 0 || encoding.isConverted {
            return TextPosition.locate(offset: offset - blockOffset, in: UnsafeBufferPointer(start: buffer, count: filled))
        }
        let f = open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return TextPosition(line: 0, column: 0) }
        defer { close(f) }
        var bytes = [UInt8](repeating: 0, count: offset)
        var got = 0
        while got < offset {
            let r = bytes.withUnsafeMutableBytes { read(f, $0.baseAddress! + got, offset - got) }
            if r <= 0 { break }
            got += r
        }
        return bytes.withUnsafeBufferPointer { TextPosition.locate(offset: got, in: $0) }
    }

    func error(at offset: Int, _ message: String) -> LoadError {
        let p = position(of: offset)
        return LoadError(file: path, line: p.line, column: p.column, message: message)
    }
}
