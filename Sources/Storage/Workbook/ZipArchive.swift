#if canImport(Glibc)
import Glibc
#endif
import TextSupport
import CZip

/// An .xlsx package opened with libzip: its parts read whole (the small ones: workbook, styles,
/// relationships) or streamed in chunks (the sheets, the shared strings). Read-only; closed on
/// deinit.
final class ZipArchive {
    private let archive: OpaquePointer

    /// Opens `path`; the message says why not (not a zip, truncated, unreadable).
    init(path: String) throws(WorkbookError) {
        var code: Int32 = 0
        guard let a = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code) else {
            var error = zip_error_t()
            zip_error_init_with_code(&error, code)
            defer { zip_error_fini(&error) }
            let why = String(cString: zip_error_strerror(&error))
            throw WorkbookError(DataMessage.zipUnreadable(why))
        }
        archive = a
    }

    deinit { zip_discard(archive) }

    /// True when the archive has an entry named `name`.
    func contains(_ name: String) -> Bool { zip_name_locate(archive, name, 0) >= 0 }

    /// The whole of entry `name`, or nil when there is none. Parts larger than `limit` are
    /// refused: the small parts of a workbook are kilobytes.
    func read(_ name: String, limit: Int = 256 << 20) throws(WorkbookError) -> [UInt8]? {
        guard contains(name) else { return nil }
        var bytes: [UInt8] = []
        try stream(name) { (chunk) throws(WorkbookError) in
            if bytes.count + chunk.count > limit { throw WorkbookError(DataMessage.partTooLarge(name, limit >> 20)) }
            bytes.append(contentsOf: chunk)
        }
        return bytes
    }

    /// Entry `name` opened for reading, decompressed, by `body`: `read(buffer, n)` puts up to n
    /// next bytes into buffer and says how many (0 at the entry's end, where its CRC is checked).
    /// With `readAhead` on a machine of two cores or more, the entry is inflated on a second
    /// thread while `body` works (`ReadAhead`).
    func withEntry<R>(_ name: String, readAhead: Bool = false,
                      _ body: ((UnsafeMutablePointer<UInt8>, Int) throws(WorkbookError) -> Int) throws(WorkbookError) -> R) throws(WorkbookError) -> R {
        guard let file = zip_fopen(archive, name, 0) else {
            throw WorkbookError(DataMessage.cannotReadPart(name, String(cString: zip_strerror(archive))))
        }
        defer { zip_fclose(file) }
        if readAhead, sysconf(Int32(_SC_NPROCESSORS_ONLN)) > 1, let ahead = ReadAhead(file: file, part: name) {
            defer { ahead.stop() }   // before the entry closes
            return try body { (buffer, n) throws(WorkbookError) in try ahead.read(buffer, n) }
        }
        return try body { (buffer, n) throws(WorkbookError) in
            var got = 0
            // zip_fread may return less than asked before the end; fill what it can.
            while got < n {
                let k = zip_fread(file, buffer + got, zip_uint64_t(n - got))
                if k < 0 { throw WorkbookError(DataMessage.partDamaged(name, String(cString: zip_file_strerror(file)))) }
                if k == 0 { break }
                got += Int(k)
            }
            return got
        }
    }

    /// Streams entry `name` through `body` in chunks of up to 1 MiB, decompressed.
    func stream(_ name: String, _ body: (UnsafeBufferPointer<UInt8>) throws(WorkbookError) -> Void) throws(WorkbookError) {
        guard let file = zip_fopen(archive, name, 0) else {
            throw WorkbookError(DataMessage.cannotReadPart(name, String(cString: zip_strerror(archive))))
        }
        defer { zip_fclose(file) }
        let size = 1 << 20
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { buffer.deallocate() }
        while true {
            let n = zip_fread(file, buffer, zip_uint64_t(size))
            if n < 0 {
                throw WorkbookError(DataMessage.partDamaged(name, String(cString: zip_file_strerror(file))))
            }
            if n == 0 { break }
            try body(UnsafeBufferPointer(start: buffer, count: Int(n)))
        }
    }
}
