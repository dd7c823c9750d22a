#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// The pager a result taller than the terminal goes through with `.pager on`: `$PAGER`, else
/// `less -SRX` (-S: long lines scroll sideways instead of wrapping the table; -R: colours pass;
/// -X: the table stays on the screen after quitting). The one program projq starts, and only
/// when asked: the command is split on spaces and started directly, never through a shell, so
/// `$PAGER` cannot run anything but the pager it names.
enum Pager {
    /// The pager's command words.
    static var command: [String] {
        if let p = getenv("PAGER") {
            let words = String(cString: p).split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            if !words.isEmpty { return words }
        }
        return ["less", "-SRX"]
    }

    /// projq's environment for the pager, saying that the text is UTF-8: projq writes UTF-8
    /// whatever the locale (it falls back to C.UTF-8 when there is none), and less without a
    /// locale would show the bytes of every Chinese character as <E4><B8><AD>.
    static func pagerEnvironment() -> [String] {
        var out: [String] = []
        var p = environ
        while let entry = p.pointee {
            out.append(String(cString: entry))
            p += 1
        }
        func has(_ name: String) -> Bool { out.contains { $0.hasPrefix(name + "=") && $0.count > name.count + 1 } }
        if !has("LESSCHARSET") { out.append("LESSCHARSET=utf-8") }
        if !has("LC_ALL") && !has("LC_CTYPE") && !has("LANG") { out.append("LC_CTYPE=C.UTF-8") }
        return out
    }

    /// Shows `text` through the pager and waits until it is quit; the reason when the pager
    /// could not be started (the caller then prints the text itself).
    static func show(_ text: String) -> String? {
        let words = command
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return ShellMessage.pagerNoPipe(String(cString: strerror(errno))) }
        // The pager reads the pipe as its standard input; our end of it is not inherited.
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { for a in argv { free(a) } }
        var environment = pagerEnvironment().map { strdup($0) } + [nil]
        defer { for e in environment { free(e) } }
        var pid = pid_t()
        let started = posix_spawnp(&pid, argv[0]!, &actions, nil, &argv, &environment)
        close(fds[0])
        guard started == 0 else {
            close(fds[1])
            return ShellMessage.pagerCannotStart(words.joined(separator: " "), String(cString: strerror(started)))
        }
        // Quitting the pager before the end closes the pipe: the write stops there (EPIPE)
        // instead of a SIGPIPE ending projq.
        let previous = signal(SIGPIPE, SIG_IGN)
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = write(fds[1], buffer.baseAddress! + done, buffer.count - done)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
        }
        close(fds[1])
        signal(SIGPIPE, previous)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return nil
    }
}
