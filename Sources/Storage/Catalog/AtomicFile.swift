import TextSupport
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// A file replaced in one step: written whole to a temporary file beside it (created
/// exclusively under an unpredictable name, registered so that a signal ending projq removes
/// it), synced, then renamed over the target. A failure leaves the previous file as it was; a
/// link, a folder or a device at the path is never written over; a file replaced keeps its
/// permissions. Snapshots (`.save`) and reports are written so.
public enum AtomicFile {
    /// Writes `path` through `body`; `verb` names the command in messages (`cannot save: …`).
    /// `body` writes through the file, or by the temporary path it is also given.
    static func replace(_ path: String, mode: mode_t = 0o644, verb: String,
                        _ body: (OutputFile, String) throws(LoadError) -> Void) throws(LoadError) {
        // The folder of the target ("/" for /NAME): the temporary file goes beside the target, so
        // that the rename stays on one file system.
        let folder = path.contains("/") ? (path.lastIndex(of: "/") == path.startIndex ? "/" : String(path[..<path.lastIndex(of: "/")!])) : "."
        let base = lastPathComponent(path)
        // What is at the path now: a regular file is replaced and keeps its permissions;
        // anything else (a link, a device, a folder, a pipe) is not written over.
        var existing = stat()
        var keptMode: mode_t? = nil
        if lstat(path, &existing) == 0 {
            guard (existing.st_mode & S_IFMT) == S_IFREG else {
                let what = switch existing.st_mode & S_IFMT {
                case S_IFLNK: DataMessage.symbolicLink(verb)
                case S_IFDIR: DataMessage.aFolder()
                default: DataMessage.notRegular()
                }
                throw LoadError(file: path, message: DataMessage.cannotReplace(verb, what))
            }
            keptMode = existing.st_mode & 0o7777
        }
        sweepStaleTemporaries(folder: folder, base: base)
        // Created exclusively under an unpredictable name (mkostemp): never through a planted link.
        var template = Array(((folder == "/" ? "" : folder) + "/.\(base).tmp-\(getpid())-XXXXXX").utf8CString)
        var slot: Int32 = -1
        let fd = template.withUnsafeMutableBufferPointer { projq_temp_create($0.baseAddress!, &slot) }
        guard fd >= 0 else { throw LoadError(file: path, message: DataMessage.cannotVerb(verb, String(cString: strerror(errno)))) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { projq_temp_unregister(slot) }
        let umaskNow = umask(0)
        umask(umaskNow)
        fchmod(fd, keptMode ?? (mode & ~umaskNow))
        let file = OutputFile(fd: fd, path: path)
        file.verb = verb
        do throws(LoadError) {
            try body(file, temporary)
            guard fsync(fd) == 0 else { throw file.failure("fsync") }
            close(fd)
            file.fd = -1
            guard rename(temporary, path) == 0 else { throw file.failure("rename") }
            // Make the rename itself durable.
            let dirFd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            if dirFd >= 0 {
                fsync(dirFd)
                close(dirFd)
            }
        } catch {
            if file.fd >= 0 { close(file.fd) }
            unlink(temporary)
            throw error
        }
    }

    /// Replaces `path` with the file `writer` writes at the temporary path it is given (for a
    /// library that writes a file by name, like libxlsxwriter); its message, when it fails.
    public static func replace(_ path: String, verb: String = DataMessage.write(), byName writer: (String) -> String?) throws(LoadError) {
        try replace(path, verb: verb) { (_, temporary) throws(LoadError) in
            if let failure = writer(temporary) { throw LoadError(file: path, message: DataMessage.cannotVerbUnchanged(verb, failure)) }
        }
    }

    /// Replaces `path` with `bytes` in one step.
    public static func replace(_ path: String, with bytes: [UInt8], verb: String = DataMessage.write()) throws(LoadError) {
        try replace(path, verb: verb) { (file, _) throws(LoadError) in try file.write(bytes) }
    }

    /// Removes temporary files of saves beside `base` whose process is gone (killed before it
    /// could clean up): `.BASE.tmp-PID-XXXXXX`, and `.BASE.tmp-PID` of older versions.
    static func sweepStaleTemporaries(folder: String, base: String) {
        let prefix = ".\(base).tmp-"
        for name in directoryEntries(folder) ?? [] where name.hasPrefix(prefix) {
            let pid = pid_t(name.dropFirst(prefix.count).prefix { $0 != "-" }) ?? 0
            guard pid > 0, pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((folder == "/" ? "" : folder) + "/" + name)
        }
    }

}
