import Foundation
import Testing

/// Issue 9's faults, limits and hostile input, each through the binary: a signal counts as a
/// failure (its exit status is above 128, or the process never answers).
@Suite("Faults and limits, through the binary")
struct FaultTests {
    @Test("generated chains — 12,000 additions, 100,000 ands, 20,000 ors, subtractions or products — are answered, not a stack overflow")
    func flatChains() throws {
        let chains: [(String, String)] = [
            ("projects select " + Array(repeating: "1", count: 12_000).joined(separator: " + ") + " as x | limit 1", "x\n12000\n"),
            ("projects where " + Array(repeating: "id > 0", count: 100_000).joined(separator: " and ") + " count", "count\n600\n"),
            ("projects where " + Array(repeating: "id = 0", count: 20_000).joined(separator: " or ") + " or id = 7 select id", "id\n7\n"),
            ("projects select " + Array(repeating: "1", count: 20_000).joined(separator: " - ") + " as x | limit 1", "x\n-19998\n"),
            ("projects where id = 2 select id " + String(repeating: "* 1 ", count: 20_000) + "/ 2 as x", "x\n1\n"),
        ]
        for (query, expected) in chains {
            let r = try Projq.run(["examples/county", "--format", "csv"], stdin: query + "\n")
            #expect(r.status == 0, "\(query.prefix(40))…: \(r.stderr.prefix(200))")
            #expect(r.stdout == expected, "\(query.prefix(40))…")
        }
    }

    @Test("a short chain keeps the order it is written in: left to right")
    func shortChains() throws {
        let r = try Projq.run(["examples/county", "--format", "csv", "-c", "projects where id = 1 select 10 - 3 - 2 as a, 100 / 10 / 5 as b, 2 * 3 - 4 + 1 as c"])
        #expect(r.stdout == "a,b,c\n5,2,3\n")
    }
}
