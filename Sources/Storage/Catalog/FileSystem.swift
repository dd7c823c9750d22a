#if canImport(Glibc)
import Glibc
#endif

/// A whole file's bytes; nil when it cannot be read (errno says why; a folder is EISDIR).
/// For the small files projq reads whole: schema.toml, scripts.
public func readWholeFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
        errno = EISDIR
        return nil
    }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let r = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
        if r < 0 { if errno == EINTR { continue } else { return nil } }
        if r == 0 { break }
        out.append(contentsOf: chunk[0..<r])
    }
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
