import Testing
import Storage
import Repl
import CKernels

/// `projq_sum_groups`, the one pass behind `sum X by …` of a stored integer column, against the
/// rule it implements, and the sums it feeds through the engine when a group's 64 bits wrap.
@Suite("Summing an integer column by group")
struct SumGroupsKernelTests {
    @Test("adds each valid row to its group's sum and count; stops at the first add past 64 bits, adding nothing of it",
          arguments: UInt64(1)...UInt64(30))
    func agreesWithTheRule(seed: UInt64) {
        var rng = SplitMix(seed: seed)
        let count = Int(rng.next() % 700) + 1
        let groupCount = Int(rng.next() % 9) + 1
        // Small values mostly; near the limits often enough that some runs wrap.
        let big = rng.next() % 3 == 0
        let values: [Int64] = (0..<count).map { _ in
            big && rng.next() % 8 == 0 ? (rng.next() % 2 == 0 ? Int64.max - Int64(rng.next() % 10) : Int64.min + Int64(rng.next() % 10))
                : Int64(rng.next() % 2001) - 1000
        }
        let groups: [Int32] = (0..<count).map { _ in Int32(rng.next() % UInt64(groupCount)) }
        let validity = KernelTestInput.Validity(&rng, count: count)
        for _ in 0..<6 {
            let r0 = Int(rng.next() % UInt64(count))
            let n = Int(rng.next() % UInt64(count - r0 + 1))
            let withCounts = rng.next() % 2 == 0
            let start: [Int64] = (0..<groupCount).map { _ in Int64(rng.next() % 100) }
            var sums = start, counts = [Int32](repeating: 3, count: groupCount)
            let stopped = values.withUnsafeBufferPointer { v in
                groups.withUnsafeBufferPointer { g in
                    counts.withUnsafeMutableBufferPointer { c in
                        projq_sum_groups(v.baseAddress! + r0, g.baseAddress! + r0, n, validity.argument, r0,
                                         &sums, withCounts ? c.baseAddress : nil)
                    }
                }
            }
            // The rule, row by row, up to the first wrap.
            var expectedSums = start, expectedCounts = [Int32](repeating: 3, count: groupCount), expectedStop = n
            for i in 0..<n {
                let r = r0 + i, g = Int(groups[r])
                guard validity.isValid(r) else { continue }
                let (x, wrapped) = expectedSums[g].addingReportingOverflow(values[r])
                if wrapped { expectedStop = i; break }
                expectedSums[g] = x
                if withCounts { expectedCounts[g] += 1 }
            }
            #expect(stopped == expectedStop, "seed \(seed), rows \(r0)..<\(r0 + n)")
            #expect(sums == expectedSums, "seed \(seed), rows \(r0)..<\(r0 + n)")
            #expect(counts == expectedCounts, "seed \(seed), rows \(r0)..<\(r0 + n)")
        }
    }

    /// A ledger of `values` keyed a, b, a, b, …: rows go to four lanes of their group in turn, so
    /// rows 0, 4, 8 and 12 share a lane (and key a).
    static func ledger(_ values: [Int64]) -> Session {
        var text = "id,k,v\n"
        for (i, v) in values.enumerated() { text += "\(i),\(["a", "b"][i % 2]),\(v)\n" }
        let folder = makeFolder(["ledger.csv": text])
        defer { removeFolder(folder) }
        let session = Session(catalog: try! Dataset.open(path: folder), generalPaths: false)
        session.format = .csv
        return session
    }

    @Test("a sum that leaves 64 bits on the way and comes back is exact; one that ends beyond them is an error")
    func wrapsThroughTheEngine() {
        let e = Int64(9_000_000_000_000_000_000)
        // Rows 0, 4, 8: e + e (past 2^63) − e; every other row adds 1.
        let back = Self.ledger([e, 1, 1, 1, e, 1, 1, 1, -e, 1, 1, 1, 1, 1, 1, 1])
        for (query, expected) in [("ledger sum v", "sum_v\n9000000000000000013\n"),
                                  ("ledger count, sum v by k", "k,count,sum_v\na,8,9000000000000000005\nb,8,8\n")] {
            guard case .output(let text, _) = back.query(query) else {
                Issue.record("\(query) failed")
                continue
            }
            #expect(text == expected, "\(query)")
        }
        let beyond = Self.ledger([e, 0, 0, 0, e, 0, 0, 0])
        for query in ["ledger sum v", "ledger sum v by k"] {
            guard case .statementError(let message) = beyond.query(query) else {
                Issue.record("\(query): no error")
                continue
            }
            #expect(message.contains("the result of sum v is beyond the 64-bit integer range"), "\(query): \(message)")
        }
    }
}
