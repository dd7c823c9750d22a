import Foundation
import Testing
import Storage
@testable import Query

/// Exact decimals against Foundation's `Decimal` (base-10 arithmetic of 38 digits, computed
/// apart from projq's units and scales): on random ledgers of amounts with zero to three digits
/// after the point, negatives and nulls, over many batches and both threads, every group's sum,
/// minimum and maximum, and the rows each side of thresholds with more digits than the column,
/// must be exactly the same numbers.
@Suite("Exact decimals against Foundation's Decimal")
struct ExactDecimalPropertyTests {
    @Test("sums, extremes and boundary comparisons are exact on random ledgers", arguments: [UInt64(1), 2, 3])
    func randomLedgers(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let groups = ["a", "b", "c", "d"]
        var text = "g,x\n"
        var values: [(String, Decimal?)] = []
        for i in 0..<20_000 {
            let g = groups[Int(rng.next() % 4)]
            var cell = ""
            if rng.next() % 13 != 0 {
                let whole = Int(rng.next() % 2_000_000) - 1_000_000
                // The digits after the point grow along the file: the column's scale changes
                // between batches (whole numbers first, then tenths, then thousandths).
                let digits = min(3, i / 5_000)
                let fraction = digits == 0 ? "" : "." + String(String(rng.next() % 1000 + 1000).suffix(digits))
                cell = "\(whole)\(fraction)"
            }
            text += "\(g),\(cell)\n"
            values.append((g, cell.isEmpty ? nil : Decimal(string: cell)!))
        }
        let folder = makeFolder(["t.csv": text])
        defer { removeFolder(folder) }
        let engine = Engine(try Dataset.open(path: folder))

        func rows(_ query: String) throws -> [[String]] {
            guard case .success(let r) = engine.run(query) else { throw Failure(query) }
            let t = r.table
            return (0..<t.rowCount).map { row in t.columns.map { $0.value(at: t.row(row)).description } }
        }
        let result = try rows("t sum x, min x, max x, count x by g")
        #expect(result.count == 4)
        for line in result {
            let mine = values.filter { $0.0 == line[0] }.compactMap(\.1)
            #expect(Decimal(string: line[1]) == mine.reduce(0, +), "sum of \(line[0])")
            #expect(Decimal(string: line[2]) == mine.min(), "min of \(line[0])")
            #expect(Decimal(string: line[3]) == mine.max(), "max of \(line[0])")
            #expect(Int(line[4]) == mine.count)
        }
        // Thresholds with a fourth digit, and one the column holds exactly.
        for threshold in ["-123.4565", "0.0005", "999.9995", "12.5"] {
            let c = Decimal(string: threshold)!
            for (op, test) in [("<", { (v: Decimal) in v < c }), ("<=", { $0 <= c }), (">", { $0 > c }), (">=", { $0 >= c }), ("=", { $0 == c })] {
                let counted = try rows("t where x \(op) \(threshold) count")
                #expect(Int(counted[0][0]) == values.compactMap(\.1).filter(test).count, "x \(op) \(threshold)")
            }
        }
        // Arithmetic: every row's x × 3 − 0.001, summed, as Decimal computes it.
        let arithmetic = try rows("t select x * 3 - 0.001 as y | sum y")
        #expect(Decimal(string: arithmetic[0][0]) == values.compactMap(\.1).reduce(0) { $0 + $1 * 3 - Decimal(string: "0.001")! })
    }

    struct Failure: Error {
        let query: String
        init(_ query: String) { self.query = query }
    }
}
