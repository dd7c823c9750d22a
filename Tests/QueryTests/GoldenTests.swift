import Testing
import Storage
import Query
import Repl

/// One case of a golden file: a query and the CSV it must print, or a statement and the
/// error it must give.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    var file: String
    var line: Int
    var dataset: String
    var query: String
    var expected: String
    var isError: Bool
    /// An `explain` case: the expected table is `.explain`'s, without its milliseconds.
    var isExplain = false

    var testDescription: String { "\(file):\(line): \(query.split(separator: "\n").first ?? "")" }
}

/// Reads `Tests/QueryTests/Golden/*.test` (sqllogictest-style: `dataset PATH [attach NAME=PATH]…`, `query`/`error`,
/// the statement, `----`, the expected CSV or error, a blank line) and the query/result pairs
/// of docs/language.md.
enum GoldenFiles {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func read(_ path: String) -> String? {
        readWholeFile(path).map { String(decoding: $0, as: UTF8.self) }
    }

    static func testFiles() -> [String] {
        let folder = root + "/Tests/QueryTests/Golden"
        return (directoryEntries(folder) ?? []).filter { $0.hasSuffix(".test") }.sorted().map { folder + "/" + $0 }
    }

    static let cases: [GoldenCase] = testFiles().flatMap { parse(read($0) ?? "", file: String($0.split(separator: "/").last!)) }

    static func parse(_ text: String, file: String) -> [GoldenCase] {
        var out: [GoldenCase] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var dataset = "examples/county"
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if line.hasPrefix("dataset ") {
                dataset = String(line.dropFirst(8)).trimmingCharacters(in: " ")
                i += 1
            } else if line == "query" || line == "error" || line == "explain" {
                let start = i + 1
                var query: [String] = []
                i += 1
                while i < lines.count, lines[i] != "----" { query.append(lines[i]); i += 1 }
                i += 1
                var expected: [String] = []
                while i < lines.count, !lines[i].isEmpty { expected.append(lines[i]); i += 1 }
                out.append(GoldenCase(file: file, line: start, dataset: dataset, query: query.joined(separator: "\n"),
                                      expected: expected.joined(separator: "\n"), isError: line == "error", isExplain: line == "explain"))
            } else {
                i += 1
            }
        }
        return out
    }

    /// The examples of the manual: a ```query block, then a ```result block.
    static let manualCases: [GoldenCase] = {
        guard let text = read(root + "/docs/language.md") else { return [] }
        var out: [GoldenCase] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i < lines.count {
            if lines[i].hasPrefix("```query") {
                let info = lines[i]
                var dataset = "examples/county"
                if let r = info.firstRange(of: "dataset=") { dataset = String(info[r.upperBound...]).trimmingCharacters(in: " ") }
                let start = i + 1
                var query: [String] = []
                i += 1
                while i < lines.count, !lines[i].hasPrefix("```") { query.append(lines[i]); i += 1 }
                i += 1
                while i < lines.count, lines[i].isEmpty { i += 1 }
                guard i < lines.count, lines[i].hasPrefix("```result") else { continue }
                i += 1
                var expected: [String] = []
                while i < lines.count, !lines[i].hasPrefix("```") { expected.append(lines[i]); i += 1 }
                out.append(GoldenCase(file: "language.md", line: start, dataset: dataset, query: query.joined(separator: "\n"),
                                      expected: expected.joined(separator: "\n"), isError: false))
            }
            i += 1
        }
        return out
    }()
}

/// Datasets are loaded once per run.
final class DatasetCache: @unchecked Sendable {
    static let shared = DatasetCache()
    private var sessions: [String: Catalog] = [:]
    private let lock = Mutex()

    func catalog(_ path: String) throws -> Catalog {
        lock.lock()
        defer { lock.unlock() }
        if let c = sessions[path] { return c }
        // `dataset PATH attach NAME=PATH …`: the dataset, and others attached beside it.
        let parts = path.split(separator: " attach ").map(String.init)
        let c = try Dataset.open(path: GoldenFiles.root + "/" + parts[0])
        for a in parts.dropFirst() {
            let nameAndPath = a.split(separator: "=", maxSplits: 1).map(String.init)
            c.attach(try Dataset.open(path: GoldenFiles.root + "/" + nameAndPath[1]), as: nameAndPath[0])
        }
        sessions[path] = c
        return c
    }
}

final class Mutex: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    func lock() { pthread_mutex_lock(&m) }
    func unlock() { pthread_mutex_unlock(&m) }
}

/// Parses CSV text into rows of fields (RFC 4180).
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var field = ""
    var quoted = false
    var chars = Array(text)
    if chars.last != "\n" { chars.append("\n") }
    var i = 0
    while i < chars.count {
        let c = chars[i]
        if quoted {
            if c == "\"" {
                if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
            } else { field.append(c) }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(field); field = ""
        } else if c == "\n" {
            row.append(field); field = ""
            rows.append(row); row = []
        } else if c != "\r" {
            field.append(c)
        }
        i += 1
    }
    return rows
}

/// Cells agree when equal, or both numbers within a relative 1e-9 (summation order).
/// Cells agree when their text is the same: decimals are exact, and a float prints its shortest
/// digits, so no tolerance is needed (one would hide a value off in its last digits).
func cellsAgree(_ a: String, _ b: String) -> Bool { a == b }

func runGolden(_ c: GoldenCase, generalPaths: Bool = false) throws {
    let session = Session(catalog: try DatasetCache.shared.catalog(c.dataset), generalPaths: generalPaths)
    session.format = .csv
    if c.isExplain {
        // The plan the fast paths make; the general paths plan otherwise by design.
        guard !generalPaths else { return }
        guard case .output(let text, _) = session.execute(".explain " + c.query) else {
            Issue.record("\(c.file):\(c.line): .explain failed")
            return
        }
        let withoutTimes = parseCSV(text).map { $0.dropLast().map { field in
            field.contains(",") || field.contains("\"") ? "\"" + field.replacingAll("\"", "\"\"") + "\"" : field
        }.joined(separator: ",") }.joined(separator: "\n")
        #expect(withoutTimes == c.expected, "\(c.file):\(c.line)\n\(c.query)\n--- expected\n\(c.expected)\n--- actual\n\(withoutTimes)")
        return
    }
    switch session.query(c.query) {
    case .output(let text, _):
        #expect(!c.isError, "expected an error, got:\n\(text)")
        if c.isError { return }
        let actual = parseCSV(text)
        let expected = parseCSV(c.expected + "\n")
        let same = actual.count == expected.count && zip(actual, expected).allSatisfy { a, e in
            a.count == e.count && zip(a, e).allSatisfy { cellsAgree($0, $1) }
        }
        #expect(same, "\(c.file):\(c.line)\n\(c.query)\n--- expected\n\(c.expected)\n--- actual\n\(text)")
    case .statementError(let message):
        if c.isError {
            #expect(message.trimmingCharacters(in: "\n") == c.expected, "\(c.file):\(c.line)\n--- expected\n\(c.expected)\n--- actual\n\(message)")
        } else {
            Issue.record("\(c.file):\(c.line)\n\(c.query)\n--- error\n\(message)")
        }
    default:
        Issue.record("unexpected outcome")
    }
}

@Suite("Golden queries")
struct GoldenTests {
    @Test("every golden file case", arguments: GoldenFiles.cases)
    func golden(_ c: GoldenCase) throws { try runGolden(c) }

    @Test("every example of docs/language.md", arguments: GoldenFiles.manualCases)
    func manual(_ c: GoldenCase) throws { try runGolden(c) }

    // The same answers from the general paths: hash grouping for every key, a heap for every
    // top-N, a comparison sort, hash joins. The fast paths are checked against them here.
    @Test("every golden file case, general paths only", arguments: GoldenFiles.cases)
    func goldenGeneral(_ c: GoldenCase) throws { try runGolden(c, generalPaths: true) }

    @Test("every example of docs/language.md, general paths only", arguments: GoldenFiles.manualCases)
    func manualGeneral(_ c: GoldenCase) throws { try runGolden(c, generalPaths: true) }

    @Test("the golden files and the manual hold cases")
    func nonEmpty() {
        #expect(GoldenFiles.cases.count > 50)
    }
}


#if canImport(Glibc)
import Glibc
#endif

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        split(separator: Character(a), omittingEmptySubsequences: false).joined(separator: b)
    }
}
import TextSupport
