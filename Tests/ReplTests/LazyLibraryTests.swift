import Testing

/// What a run loads: the libraries only some runs need (the shell's line editor, the workbook
/// readers and writer) are loaded when first used, not at start-up, where loading and
/// relocating them cost every run more than a query on a small folder. The dynamic loader says
/// which libraries it looks for (LD_DEBUG=libs).
@Suite("Libraries loaded on first use")
struct LazyLibraryTests {
    static let optional = ["libedit.so", "libexpat.so", "libfreexl.so", "libzip.so", "libxlsxwriter.so"]

    /// The libraries of `optional` the loader looked for in a run of projq.
    func loaded(_ arguments: [String]) throws -> Set<String> {
        let r = try Projq.run(arguments, environment: ["LD_DEBUG": "libs"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let found = r.stderr.split(separator: "\n").filter { $0.contains("find library=") }
        return Set(Self.optional.filter { name in found.contains { $0.contains("find library=" + name) } })
    }

    @Test("A query on CSV files loads none of them")
    func csvRun() throws {
        #expect(try loaded(["examples/county", "--no-cache", "-c", "projects count by stage"]).isEmpty)
    }

    @Test("Reading an .xlsx workbook loads libzip and expat, and only them")
    func xlsxRun() throws {
        #expect(try loaded(["Tests/StorageTests/Data/workbooks/ledger.xlsx", "--no-cache", "-c", ".tables"])
                == ["libzip.so", "libexpat.so"])
    }

    @Test("Reading an .xls workbook loads FreeXL, and only it")
    func xlsRun() throws {
        #expect(try loaded(["Tests/StorageTests/Data/workbooks/lo_项目.xls", "--no-cache", "-c", ".tables"]) == ["libfreexl.so"])
    }
}
