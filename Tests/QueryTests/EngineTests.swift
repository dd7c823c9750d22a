import Testing
import Storage
@testable import Query

@Suite("The engine without the shell")
struct EngineTests {
    let engine = Engine(try! Dataset.open(path: GoldenFiles.root + "/examples/county"))

    @Test("Engine(catalog).run(text) returns a table")
    func runsAQuery() throws {
        guard case .success(let r) = engine.run("projects where stage = signed count by zone") else {
            Issue.record("the query failed")
            return
        }
        #expect(r.table.columns.map(\.name) == ["zone", "count"])
        #expect(r.table.rowCount == 3)
        #expect(r.notes.isEmpty)
    }

    @Test("a result keeps the column types: category keys, exact money sums at the column's scale, means at six more digits, int counts")
    func resultTypes() throws {
        guard case .success(let r) = engine.run("projects count, sum investment, avg investment by stage") else {
            Issue.record("the query failed")
            return
        }
        #expect(r.table.columns.map(\.type) == [.category(ordered: true), .int, .money(.wan, scale: 1), .money(.wan, scale: 7)])
        #expect(r.table.columns[0].dictionary?.isOrdered == true)
    }

    @Test("a set cancellation flag stops the query between batches")
    func cancellation() {
        var flag: Int32 = 1
        let outcome = withUnsafePointer(to: &flag) { engine.run("projects count by unit", cancel: CancellationFlag($0)) }
        guard case .failure(.cancelled) = outcome else {
            Issue.record("the query was not cancelled")
            return
        }
    }

    @Test("errors are diagnostics with a range")
    func diagnostics() {
        guard case .failure(.diagnostic(let d)) = engine.run("projects where secter = x") else {
            Issue.record("no diagnostic")
            return
        }
        #expect(d.range == SourceRange(15, 21))
        #expect(d.notes.first == "did you mean 'sector'?")
    }
}
