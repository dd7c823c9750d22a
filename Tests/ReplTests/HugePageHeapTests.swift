import Foundation
import Testing

/// A run on large data starts itself again with glibc's heaps in huge pages
/// (Sources/CStart/huge_page_heap.c, before main), and answers the same. The dynamic loader
/// says how many times the program was started (LD_DEBUG=libs: "initialize program" once a
/// start); the test makes every dataset count as large with PROJQ_HUGE_PAGE_DATA=0.
@Suite("Huge-page heaps for large data")
struct HugePageHeapTests {
    /// The kernel gives huge pages to memory that asks (the only mode that restarts).
    static let advisedOnly: Bool = {
        (try? String(contentsOfFile: "/sys/kernel/mm/transparent_hugepage/enabled", encoding: .utf8))?.contains("[madvise]") ?? false
    }()

    func starts(_ arguments: [String], _ environment: [String: String?]) throws -> (starts: Int, stdout: String) {
        let r = try Projq.run(arguments, environment: environment.merging(["LD_DEBUG": "libs"]) { a, _ in a })
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        return (r.stderr.components(separatedBy: "initialize program: ").count - 1, r.stdout)
    }

    static let query = ["examples/county", "--no-cache", "--format", "csv", "-c", "projects count by stage"]

    @Test("Large data: started again once, with the same answer; small data: started once")
    func largeData() throws {
        let small = try starts(Self.query, ["GLIBC_TUNABLES": nil])
        #expect(small.starts == 1)
        let large = try starts(Self.query, ["PROJQ_HUGE_PAGE_DATA": "0", "GLIBC_TUNABLES": nil])
        #expect(large.starts == (Self.advisedOnly ? 2 : 1))
        #expect(large.stdout == small.stdout)
        #expect(large.stdout.hasPrefix("stage,count\n"))
    }

    @Test("The user's own glibc.malloc.hugetlb is kept: no second start")
    func usersChoice() throws {
        let r = try starts(Self.query, ["PROJQ_HUGE_PAGE_DATA": "0", "GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"])
        #expect(r.starts == 1)
    }

    @Test("Under valgrind (its preload in LD_PRELOAD) no second start: /proc/self/exe is valgrind's tool")
    func valgrind() throws {
        // A preload that does not exist: the loader says so and goes on.
        let r = try starts(Self.query, ["PROJQ_HUGE_PAGE_DATA": "0", "GLIBC_TUNABLES": nil,
                                        "LD_PRELOAD": "/nonexistent/vgpreload_memcheck-amd64-linux.so"])
        #expect(r.starts == 1)
        #expect(r.stdout.hasPrefix("stage,count\n"))
    }

    @Test("Started again, the process keeps its name: ps and top show projq, not exe")
    func name() throws {
        guard Self.advisedOnly else { return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Projq.binary)
        p.arguments = ["examples/county", "--no-cache"]
        p.currentDirectoryURL = URL(fileURLWithPath: Projq.root)
        var env = ProcessInfo.processInfo.environment
        env["PROJQ_HUGE_PAGE_DATA"] = "0"
        env["GLIBC_TUNABLES"] = nil
        env["XDG_CACHE_HOME"] = Projq.testCache
        p.environment = env
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer {
            try? input.fileHandleForWriting.close()
            p.waitUntilExit()
        }
        // Waits (up to 10 s) for the second start (its environment names the tunable) and for
        // its name: between the exec and the start-up code that renames it, it is exe. The shell
        // then waits for statements on its standard input.
        let proc = "/proc/\(p.processIdentifier)/"
        var restarted = false, comm = ""
        for _ in 0..<1000 where !(restarted && comm == "projq\n") {
            let environ = (try? Data(contentsOf: URL(fileURLWithPath: proc + "environ"))) ?? Data()
            restarted = String(decoding: environ, as: UTF8.self).contains("glibc.malloc.hugetlb=1")
            comm = (try? String(contentsOfFile: proc + "comm", encoding: .utf8)) ?? ""
            usleep(10_000)
        }
        #expect(restarted)
        #expect(comm == "projq\n")
    }

    @Test("Attached data counts as well as the opened data")
    func attachments() throws {
        let r = try starts(["--no-cache", "--attach", "county=examples/county", "-c", ".tables"],
                           ["PROJQ_HUGE_PAGE_DATA": "0", "GLIBC_TUNABLES": nil])
        #expect(r.starts == (Self.advisedOnly ? 2 : 1))
    }
}
