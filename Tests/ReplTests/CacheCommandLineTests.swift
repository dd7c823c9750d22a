import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The cache of CSV tables as a user meets it: through the projq binary, with XDG_CACHE_HOME (or
/// HOME) pointing into a scratch folder.
@Suite("The command line: the cache of CSV tables")
struct CacheCommandLineTests {
    let query = "projects where sector = machinery and stage = signed sum investment by unit"

    @Test("a second run opens the tables from the cache, which only the user can read, and answers the same")
    func secondRun() throws {
        let scratch = ScratchFolder()
        let env = ["XDG_CACHE_HOME": scratch.path + "/xdg"]
        let first = try Projq.run(["examples/county", "-c", query, "-c", ".cache"], environment: env)
        #expect(first.status == 0 && first.stderr == "")
        #expect(first.stdout.contains("\(scratch.path)/xdg/projq: 2 cached tables"))
        #expect(!first.stdout.contains("Opened from the cache"))
        #expect(permissions(scratch.path + "/xdg") == 0o700)
        #expect(permissions(scratch.path + "/xdg/projq") == 0o700)
        let names = entries(scratch.path + "/xdg/projq")
        #expect(names.count == 2)
        for name in names { #expect(permissions(scratch.path + "/xdg/projq/" + name) == 0o600) }

        let second = try Projq.run(["examples/county", "-c", query, "-c", ".cache"], environment: env)
        #expect(second.status == 0 && second.stderr == "")
        #expect(second.stdout.contains("Opened from the cache: projects, units\n"))
        #expect(answer(second.stdout) == answer(first.stdout))
        #expect(answer(first.stdout).hasPrefix("unit,sum_investment\n"))
    }

    @Test("--no-cache and PROJQ_NO_CACHE=1 neither read nor write the cache")
    func noCache() throws {
        let scratch = ScratchFolder()
        let xdg = scratch.path + "/xdg"
        for (arguments, env) in [(["--no-cache"], ["XDG_CACHE_HOME": xdg]), ([], ["XDG_CACHE_HOME": xdg, "PROJQ_NO_CACHE": "1"])] {
            let r = try Projq.run(["examples/county", "-c", "projects count"] + arguments, environment: env)
            #expect(r.status == 0 && r.stdout == "count\n600\n" && r.stderr == "")
            #expect(!FileManager.default.fileExists(atPath: xdg), "\(arguments) \(env)")
        }
        _ = try Projq.run(["examples/county", "-c", "projects count"], environment: ["XDG_CACHE_HOME": xdg])
        let off = try Projq.run(["examples/county", "--no-cache", "-c", ".cache"], environment: ["XDG_CACHE_HOME": xdg])
        #expect(off.stdout.hasPrefix("\(xdg)/projq: 2 cached tables, "))
        #expect(off.stdout.contains("(off in this run: --no-cache or PROJQ_NO_CACHE)"))
        #expect(!off.stdout.contains("Opened from the cache"))
    }

    @Test("the cache is in $XDG_CACHE_HOME/projq, else in ~/.cache/projq")
    func location() throws {
        let scratch = ScratchFolder()
        let home = scratch.path + "/home", xdg = scratch.path + "/xdg"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
        _ = try Projq.run(["examples/county", "-c", "projects count"], environment: ["XDG_CACHE_HOME": xdg, "HOME": home])
        #expect(entries(xdg + "/projq").count == 2)
        #expect(!FileManager.default.fileExists(atPath: home + "/.cache"))
        _ = try Projq.run(["examples/county", "-c", "projects count"], environment: ["XDG_CACHE_HOME": nil, "HOME": home])
        #expect(entries(home + "/.cache/projq").count == 2)
        #expect(permissions(home + "/.cache") == 0o700)
    }

    @Test("an edit that keeps the size and the mtime is seen")
    func editKeepingSizeAndMtime() async throws {
        let scratch = ScratchFolder()
        let data = scratch.copyOfCounty()
        try await settle(data + "/projects.csv")
        let env = ["XDG_CACHE_HOME": scratch.path + "/xdg"]
        let before = try Projq.run([data, "-c", "projects count by sector"], environment: env)
        #expect(before.stdout.contains("machinery,"))

        // machinery → MACHINERY: the same size, written in place, and the mtime put back to the nanosecond.
        let csv = data + "/projects.csv"
        var old = stat()
        #expect(stat(csv, &old) == 0)
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        try text.replacingOccurrences(of: "machinery", with: "MACHINERY").write(toFile: csv, atomically: false, encoding: .utf8)
        let times = [old.st_atim, old.st_mtim]
        #expect(utimensat(AT_FDCWD, csv, times, 0) == 0)
        var new = stat()
        #expect(stat(csv, &new) == 0)
        #expect(new.st_size == old.st_size && new.st_ino == old.st_ino)
        #expect(new.st_mtim.tv_sec == old.st_mtim.tv_sec && new.st_mtim.tv_nsec == old.st_mtim.tv_nsec)

        let after = try Projq.run([data, "-c", "projects count by sector", "-c", ".cache"], environment: env)
        #expect(after.status == 0 && after.stderr == "")
        #expect(after.stdout.contains("MACHINERY,") && !after.stdout.contains("machinery,"))
        #expect(after.stdout.contains("Opened from the cache: units\n"))
    }

    @Test("a truncated cache entry: one line on standard error, the right answer, and the entry written again")
    func truncatedEntry() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/xdg/projq"
        let env = ["XDG_CACHE_HOME": scratch.path + "/xdg"]
        let first = try Projq.run(["examples/county", "-c", query], environment: env)
        let largest = try #require(entries(folder).max { size(folder + "/" + $0) < size(folder + "/" + $1) })
        let path = folder + "/" + largest
        let full = size(path)
        #expect(truncate(path, off_t(full / 2)) == 0)

        let second = try Projq.run(["examples/county", "-c", query], environment: env)
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.hasPrefix("projq: cache entry ignored (\(path)): not a valid snapshot: "))
        #expect(second.stderr.filter { $0 == "\n" }.count == 1, "\(second.stderr)")
        #expect(size(path) == full)

        let third = try Projq.run(["examples/county", "-c", query, "-c", ".cache"], environment: env)
        #expect(third.stderr == "")
        #expect(third.stdout.contains("Opened from the cache: projects, units\n"))
    }

    @Test("a damaged block in a cache entry, found by the query that reads it: one line, the right answer from the CSV file, the entry written again")
    func damagedBlock() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/xdg/projq"
        let env = ["XDG_CACHE_HOME": scratch.path + "/xdg"]
        let sum = "projects sum investment by stage"
        let first = try Projq.run(["examples/county", "-c", sum, "--format", "csv"], environment: env)
        #expect(first.status == 0)
        // The entry of projects holds investment's values (1709, 2900, 333 first: units of 0.1
        // 万元) in a block that the open does not check; damage one of them.
        let pattern = [Int64(17090), 29000, 3330].flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        var damaged: String? = nil
        for name in entries(folder) {
            let path = folder + "/" + name
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            guard let at = (0...(bytes.count - pattern.count)).first(where: { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) }) else { continue }
            bytes[at + 9] ^= 0x04
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            damaged = path
        }
        let path = try #require(damaged)
        // A query that does not read the damaged block runs from the cache, silently.
        let counts = try Projq.run(["examples/county", "-c", "projects count by stage", "--format", "csv"], environment: env)
        #expect(counts.stderr == "")
        let second = try Projq.run(["examples/county", "-c", sum, "--format", "csv"], environment: env)
        #expect(second.status == 0)
        #expect(second.stdout == first.stdout)
        #expect(second.stderr.hasPrefix("projq: cache entry ignored (\(path)): \(path): not a valid snapshot: the checksum of block 1 of the data buffer of column 'investment'"), "\(second.stderr)")
        #expect(second.stderr.filter { $0 == "\n" }.count == 1, "\(second.stderr)")
        let third = try Projq.run(["examples/county", "-c", sum, "--format", "csv"], environment: env)
        #expect(third.stderr == "" && third.stdout == first.stdout)
    }

    @Test("a read-only cache folder: the answer, at most one line on standard error, and its entries still read")
    func readOnlyFolder() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/xdg/projq"
        let env = ["XDG_CACHE_HOME": scratch.path + "/xdg"]
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        chmod(scratch.path + "/xdg", 0o700)
        chmod(folder, 0o500)
        defer { chmod(folder, 0o700) }
        // Root writes into read-only folders; without CAP_DAC_OVERRIDE it is held to the mode too.
        let launcher = geteuid() == 0 ? ["/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"] : []

        let empty = try Projq.run(["examples/county", "-c", query], environment: env, launcher: launcher)
        #expect(empty.status == 0)
        #expect(answer(empty.stdout).hasPrefix("unit,sum_investment\n"))
        #expect(empty.stderr.hasPrefix("projq: cache not written (\(folder)): "), "\(empty.stderr)")
        #expect(empty.stderr.filter { $0 == "\n" }.count == 1, "\(empty.stderr)")
        #expect(entries(folder).isEmpty)

        chmod(folder, 0o700)
        _ = try Projq.run(["examples/county", "-c", query], environment: env)
        chmod(folder, 0o500)
        let filled = try Projq.run(["examples/county", "-c", query, "-c", ".cache"], environment: env, launcher: launcher)
        #expect(filled.status == 0 && filled.stderr == "")
        #expect(filled.stdout.contains("Opened from the cache: projects, units\n"))
        #expect(answer(filled.stdout) == answer(empty.stdout))
    }

    @Test("no usable cache folder (a file in its place, HOME a file, no HOME): the answer and one line")
    func unusableFolder() throws {
        let scratch = ScratchFolder()
        let file = scratch.path + "/file"
        try "not a folder".write(toFile: file, atomically: false, encoding: .utf8)
        let cases: [([String: String?], String)] = [
            (["XDG_CACHE_HOME": file], "projq: cache not used (\(file)/projq): Not a directory\n"),
            (["XDG_CACHE_HOME": nil, "HOME": file], "projq: cache not used (\(file)/.cache/projq): Not a directory\n"),
            (["XDG_CACHE_HOME": nil, "HOME": nil], "projq: cache not used: neither XDG_CACHE_HOME nor HOME is set\n"),
        ]
        for (env, line) in cases {
            let r = try Projq.run(["examples/county", "-c", "projects count"], environment: env)
            #expect(r.status == 0 && r.stdout == "count\n600\n")
            #expect(r.stderr == line)
        }
    }

    @Test(".cache clear deletes every copy; .help says where the copies are and how to delete them")
    func clearAndHelp() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/xdg/projq"
        let env = ["XDG_CACHE_HOME": scratch.path + "/xdg"]
        _ = try Projq.run(["examples/county", "-c", "projects count"], environment: env)
        #expect(entries(folder).count == 2)
        let clear = try Projq.run(["examples/county", "-c", ".cache clear"], environment: env)
        #expect(clear.stdout.hasPrefix("deleted 2 cached tables ("))
        #expect(clear.stdout.hasSuffix(" KB) from \(folder)\n"))
        #expect(entries(folder).isEmpty)
        let help = try Projq.run(["-c", ".help"], environment: env)
        #expect(help.stdout.contains("Cache: a copy of each CSV table loaded is kept in \(folder), readable only by you"))
        #expect(help.stdout.contains(".cache clear or rm -r \(folder) deletes the copies"))
    }
}

/// A scratch folder for one test, removed when the test ends.
final class ScratchFolder {
    let path: String

    init() {
        var template = Array("/tmp/projq-cli-XXXXXX".utf8CString)
        path = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }!)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A copy of examples/county (new files: the cache has never seen them).
    func copyOfCounty() -> String {
        let copy = path + "/county"
        try! FileManager.default.copyItem(atPath: Projq.root + "/examples/county", toPath: copy)
        return copy
    }
}

/// The result of the first statement: the output up to the blank line after it.
private func answer(_ stdout: String) -> String {
    guard let blank = stdout.range(of: "\n\n") else { return stdout }
    return String(stdout[..<blank.lowerBound]) + "\n"
}

/// The cache entries in a folder (not the temporary files of saves).
private func entries(_ folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".projqdb") && !$0.hasPrefix(".") }
}

private func permissions(_ path: String) -> mode_t {
    var st = stat()
    return stat(path, &st) == 0 ? st.st_mode & 0o777 : 0
}

private func size(_ path: String) -> Int {
    var st = stat()
    return stat(path, &st) == 0 ? Int(st.st_size) : -1
}

/// Waits until a file's last change is more than 2 s old, so that projq takes its stamp (inode,
/// size, mtime, ctime) as proof of its bytes instead of hashing them all.
private func settle(_ path: String) async throws {
    var st = stat()
    guard stat(path, &st) == 0 else { return }
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    let changed = Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    let wait = changed + 2_050_000_000 - (Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec))
    if wait > 0 { try await Task.sleep(nanoseconds: UInt64(wait)) }
}
