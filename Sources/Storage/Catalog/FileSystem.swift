#if canImport(Glibc)
import Glibc
#endif

/// A whole file's bytes; nil when it cannot be read (errno says why; a folder is EISDIR; one
/// longer than `limit` bytes, EFBIG — `.read /dev/zero` would otherwise grow without end).
/// For the small files projq reads whole: schema.toml, scripts.
public func readWholeFile(_ path: String, limit: Int = 16 << 20) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
        errno = EISDIR
        return nil
    }
    // Read straight into the result, sized by the file (one byte more, so that its end is
    // seen without growing it): schema.toml is read at every start, and the zeroed 64 KiB
    // chunk this read through before cost more page faults than its few hundred bytes. A file
    // that grows meanwhile is read on into a larger buffer.
    var out = [UInt8](repeating: 0, count: max(Int(st.st_size), 0) + 1)
    var count = 0
    while true {
        if count == out.count {
            guard count < limit else {
                errno = EFBIG
                return nil
            }
            out += [UInt8](repeating: 0, count: Swift.min(out.count, limit + 1 - out.count))
        }
        let r = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
        if r < 0 { if errno == EINTR { continue } else { return nil } }
        if r == 0 { break }
        count += r
    }
    out.removeLast(out.count - count)
    return out
}

/// The names in a folder, without `.` and `..`; nil when it cannot be listed.
public func directoryEntries(_ path: String) -> [String]? {
    guard let dir = opendir(path) else { return nil }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        if name != ".", name != ".." { names.append(name) }
    }
    return names
}
