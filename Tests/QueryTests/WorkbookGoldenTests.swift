import Testing
@testable import Repl
import Storage

/// examples/county-zh.xlsx — the example county as the office keeps it in Excel, a title above
/// each sheet's header and a 合计 row under its data — answers every golden query of the CSV
/// dataset examples/county-zh exactly as the CSV files do.
@Suite("The example county as a workbook")
struct WorkbookGoldenTests {
    static let catalog: Catalog = {
        let catalog = Catalog(source: GoldenFiles.root + "/examples/county-zh")
        let tables = try! Dataset.loadTables(GoldenFiles.root + "/examples/county-zh.xlsx", schemaOf: catalog,
                                             schemaFile: GoldenFiles.root + "/examples/county-zh/schema.toml")
        for t in tables { catalog.add(t) }
        return catalog
    }()

    static var cases: [GoldenCase] { GoldenFiles.cases.filter { $0.dataset == "examples/county-zh" && !$0.isExplain } }

    @Test("the workbook's tables: the CSV files' rows (合计 left out), columns and types")
    func shape() throws {
        let csv = try DatasetCache.shared.catalog("examples/county-zh")
        #expect(WorkbookGoldenTests.catalog.tables.map(\.name) == ["单位", "项目"])
        for table in csv.tables {
            let book = try #require(WorkbookGoldenTests.catalog.table(named: table.name))
            #expect(book.rowCount == table.rowCount)
            #expect(book.columns.map(\.name) == table.columns.map(\.name))
            #expect(book.columns.map(\.type) == table.columns.map(\.type))
            #expect(book.loadNotes.count == 1 && book.loadNotes[0].contains("(合计) is a totals row: left out"))
        }
    }

    @Test("every golden query on examples/county-zh gives the same answer from the workbook", arguments: cases)
    func sameAnswers(_ c: GoldenCase) throws {
        let csv = Session(catalog: try DatasetCache.shared.catalog(c.dataset))
        let book = Session(catalog: WorkbookGoldenTests.catalog)
        csv.format = .csv
        book.format = .csv
        let a = csv.query(c.query), b = book.query(c.query)
        switch (a, b) {
        case (.output(let x, _), .output(let y, _)):
            #expect(x == y, "\(c.file):\(c.line)\n\(c.query)\n--- CSV dataset\n\(x)--- workbook\n\(y)")
        case (.statementError(let x), .statementError(let y)):
            #expect(x == y, "\(c.file):\(c.line)")
        default:
            Issue.record("\(c.file):\(c.line): the CSV dataset and the workbook disagree on whether \(c.query) fails")
        }
    }
}
