import Testing
import Storage
import Repl
@testable import Query
#if canImport(Glibc)
import Glibc
#endif

/// The fast paths against the general ones, on random ledgers large enough to span many batches
/// and both threads: dense against hashed grouping, radix sort and zone-map or heap top-N
/// against a comparison sort, dictionary and direct joins against hash joins. Every query must
/// give the same rows in the same order (sums to a relative 1e-9: the order of additions
/// differs).
@Suite("Fast paths agree with the general paths")
struct DifferentialTests {
    /// A random ledger: integers and decimals of mixed scales with nulls and ties, a category,
    /// mostly-unique text, dates and booleans; and a small table to join.
    static func ledger(rows: Int, seed: UInt64) -> Catalog {
        var rng = SplitMix(seed: seed)
        var text = "id,n,d,c,t,day,b,k\n"
        for i in 0..<rows {
            func maybe(_ s: String) -> String { rng.next() % 17 == 0 ? "" : s }
            let n = Int(rng.next() % 2001) - 1000
            // Decimals: whole numbers early, tenths and hundredths later (a scale that changes
            // between batches), some repeated.
            let d: String
            switch rng.next() % 4 {
            case 0: d = String(Int(rng.next() % 500))
            case 1: d = "\(rng.next() % 5000).\(rng.next() % 10)"
            case 2: d = i > rows / 2 ? "\(rng.next() % 300).\(rng.next() % 100)" : "\(rng.next() % 300)"
            default: d = "-\(rng.next() % 100).5"
            }
            let c = ["lead", "talks", "signed", "started", "open", "东关镇", "城关镇"][Int(rng.next() % 7)]
            let t = rng.next() % 3 == 0 ? "same \(rng.next() % 50)" : "项目\(rng.next() % 100_000)号 \(i)"
            let day = "2015-\(rng.next() % 12 + 1)-\(rng.next() % 28 + 1)"
            let b = rng.next() % 2 == 0 ? "true" : "false"
            let k = rng.next() % 40
            text += "\(i),\(maybe(String(n))),\(maybe(d)),\(maybe(c)),\(maybe(t)),\(maybe(day)),\(maybe(b)),\(k)\n"
        }
        var dim = "k,label,weight\n"
        for k in 0..<40 where k % 9 != 3 { dim += "\(k),label \(k % 13),\(k * 3)\n" }
        dim += "7,seven again,1\n"   // a key twice: rows repeat
        let folder = makeFolder(["ledger.csv": text, "dim.csv": dim])
        defer { removeFolder(folder) }
        return try! Dataset.open(path: folder)
    }

    static let queries = [
        "ledger count, sum n, avg d, min d, max d, min t, max t, min day, max c by c",
        "ledger count by n",
        // A dense key with a slot per row (one thread: its states are as large as the input).
        "ledger count, sum d, median d, count distinct c by id | top 5 by sum_d",
        "ledger where d > 0 count, min t, max day by id | sort count desc, id | limit 7",
        // contains on a heap: matches dense, sparse (the row of a match found eight offsets at a
        // time) and rare, up to the last row.
        "ledger where t contains \"same\" count",
        "ledger where t contains \"7号\" select id",
        "ledger where t contains \"999号\" select id, t",
        "ledger where id > 10 and t contains \"号 1\" count",
        "ledger count, sum d by t | limit 30",
        "ledger count, median d, count distinct t, count distinct n by c, b",
        "ledger sum n if b as yes, count d if c = signed as s by day | limit 40",
        "ledger count by year(day), month(day)",
        // One date part and only counts: rows counted by day (projq_count_days), nulls too.
        "ledger count by month(day)",
        "ledger where day is not null count, count as again by quarter(day)",
        // A where that narrows the rows first: grouped the usual way.
        "ledger where n > 0 count by month(day)",
        // A date part after another key: its part times the stride, added (projq_date_parts).
        "ledger count, sum n by c, quarter(day)",
        "ledger where d > 100 count by c",
        "ledger sort d desc, id | limit 50",
        "ledger sort d, n desc | select id, d, n",
        "ledger sort t desc | select id, t",
        "ledger sort c, t | limit 25",
        "ledger top 30 by d",
        "ledger top 30 by d asc",
        "ledger where n > 0 top 20 by n",
        "ledger top 20 by t",
        "ledger top 15 by day",
        "ledger sort day desc, b, n | limit 100",
        "ledger join dim on k | count, sum weight by label",
        "ledger where id < 300 join dim on k | select id, label, weight",
        "ledger count by c | join ledger on c | count",
        "ledger count by c across b",
        "ledger sum d by n, c | sort sum_d desc, n | limit 20",
        "ledger count by t, c | top 15 by count",
        "ledger sum n by t | where sum_n > 0 | sort sum_n desc | limit 12",
        "ledger count, max d by t | sort count desc",
        "ledger sort t desc | limit 9",
        "ledger count distinct t by n",
        "ledger count distinct t by c",
        "ledger count distinct n, count distinct t, sum d by c",
        "ledger min t, max t, median d, count distinct c by t | top 10 by median_d",
        "ledger where d > 50 count, sum n by t, day | top 7 by count",
    ]

    @Test("every query: the same answer on the fast and the general paths", arguments: [(5_000, UInt64(1)), (70_000, UInt64(2))])
    func agree(rows: Int, seed: UInt64) throws {
        let catalog = DifferentialTests.ledger(rows: rows, seed: seed)
        let fast = Session(catalog: catalog, generalPaths: false)
        let general = Session(catalog: catalog, generalPaths: true)
        fast.format = .csv
        general.format = .csv
        for q in DifferentialTests.queries {
            guard case .output(let a, _) = fast.query(q), case .output(let b, _) = general.query(q) else {
                Issue.record("\(q): failed")
                continue
            }
            let x = parseCSV(a), y = parseCSV(b)
            let same = x.count == y.count && zip(x, y).allSatisfy { r, s in r.count == s.count && zip(r, s).allSatisfy { cellsAgree($0, $1) } }
            #expect(same, "\(q)\n--- fast (\(x.count) rows)\n\(a.prefix(600))\n--- general (\(y.count) rows)\n\(b.prefix(600))")
        }
    }

    @Test("contains on a heap: the span search, the row-by-row search and the general evaluator find the same rows")
    func containsPaths() throws {
        let session = Session(catalog: DifferentialTests.ledger(rows: 70_000, seed: 3), generalPaths: false)
        session.format = .csv
        for needle in ["same", "7号", "999号", "号 6999", "项目"] {
            let span = "ledger where t contains \"\(needle)\" select id"
            let rowByRow = "ledger sort id desc | where t contains \"\(needle)\" | sort id | select id"
            let general = "ledger where t contains \"\(needle)\" or id < 0 select id"
            var answers: [String] = []
            for q in [span, rowByRow, general] {
                guard case .output(let text, _) = session.query(q) else { Issue.record("\(q): failed"); continue }
                answers.append(text)
            }
            #expect(answers.count == 3 && answers[0] == answers[1] && answers[0] == answers[2], "\(needle)")
            #expect(answers.first.map { $0.split(separator: "\n").count > 1 } == true || needle == "号 6999", "\(needle) matches something")
        }
    }

    @Test("on two threads, a hashed aggregation before a top-N hands on only each thread's best N groups")
    func bestGroupsOnly() throws {
        let fast = Session(catalog: DifferentialTests.ledger(rows: 70_000, seed: 3), generalPaths: false)
        fast.format = .csv
        guard case .output(let text, _) = fast.execute(".explain ledger count, sum d by t, c | top 5 by sum_d") else {
            Issue.record(".explain failed")
            return
        }
        let aggregate = try #require(parseCSV(text).first { $0.first == "2" })
        #expect(aggregate[1] == "aggregate" && aggregate[5] == "70000")
        #expect(aggregate[6] == "10", "rows out: \(aggregate[6])")
    }
}

/// A small deterministic generator (SplitMix64).
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func makeFolder(_ files: [String: String]) -> String {
    var template = Array("/tmp/projq-diff-XXXXXX".utf8CString)
    let folder = String(cString: template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }!)
    for (name, text) in files {
        let fd = open(folder + "/" + name, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var t = text
        t.withUTF8 { _ = write(fd, $0.baseAddress!, $0.count) }
        close(fd)
    }
    return folder
}

func removeFolder(_ folder: String) {
    for name in directoryEntries(folder) ?? [] { unlink(folder + "/" + name) }
    rmdir(folder)
}

@Suite("Median selection")
struct MedianSelectionTests {
    @Test("selecting the k-th value agrees with sorting, on random stretches with many ties")
    func selectAgreesWithSort() {
        var rng = SplitMix(seed: 9)
        for trial in 0..<2000 {
            let n = Int(rng.next() % 200) + 1
            var values = (0..<n).map { _ in rng.next() % UInt64(trial % 7 == 0 ? 3 : 1000) }
            let sorted = values.sorted()
            let k = Int(rng.next() % UInt64(n))
            values.withUnsafeMutableBufferPointer { MedianState.select($0.baseAddress!, 0, n, k) }
            #expect(values[k] == sorted[k])
            #expect(values[..<k].allSatisfy { $0 <= sorted[k] } && values[(k + 1)...].allSatisfy { $0 >= sorted[k] })
        }
    }
}
