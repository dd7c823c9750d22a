import Testing
@testable import Storage

/// The example datasets load with the shapes examples/README.md describes.
@Suite("Example datasets")
struct ExampleDatasetTests {
    let county = try! Dataset.open(path: repositoryRoot + "/examples/county")

    @Test("examples/county: two tables, their row counts and column types")
    func countyShape() throws {
        #expect(county.tables.map(\.name) == ["projects", "units"])
        let projects = try #require(county.table(named: "projects"))
        #expect(projects.rowCount == 600)
        #expect(projects.columns.map(\.name) == ["id", "name", "unit", "sector", "stage", "investment", "signed_on",
                                                 "filed", "reviewed", "town", "origin", "zone"])
        #expect(projects.columns.map(\.type) == [.int, .text, .category(ordered: false), .category(ordered: false), .category(ordered: true),
                                                 .money(.wan, scale: 1), .date, .bool(chinese: false), .bool(chinese: false), .category(ordered: false), .category(ordered: false),
                                                 .category(ordered: false)])
        let units = try #require(county.table(named: "UNITS"))
        #expect(units.rowCount == 40)
        #expect(units.columns.map(\.type) == [.text, .category(ordered: false), .money(.wan, scale: 0), .text])
    }

    @Test("examples/county: nulls where the ledger leaves cells empty")
    func countyNulls() throws {
        let projects = try #require(county.table(named: "projects"))
        let nulls = Dictionary(uniqueKeysWithValues: projects.columns.map { ($0.name, $0.nullCount) })
        #expect(nulls == ["id": 0, "name": 0, "unit": 0, "sector": 0, "stage": 0, "investment": 4, "signed_on": 212,
                          "filed": 0, "reviewed": 0, "town": 7, "origin": 0, "zone": 0])
    }

    @Test("examples/county: dictionaries, and the stage funnel in its declared order")
    func countyDictionaries() throws {
        let projects = try #require(county.table(named: "projects"))
        let stage = try #require(projects.column(named: "stage")?.dictionary)
        #expect(stage.isOrdered)
        #expect(stage.allValues == ["lead", "negotiating", "signed", "started", "operating"])
        #expect(projects.column(named: "unit")?.dictionary?.count == 40)
        #expect(projects.column(named: "sector")?.dictionary?.count == 12)
        #expect(projects.column(named: "sector")?.dictionary?.isOrdered == false)
        #expect(projects.column(named: "zone")?.dictionary.map { Set($0.allValues) } == ["dev_zone", "industrial_park", "township"])
        guard case .strings = projects.column(named: "name")!.data else { Issue.record("names should be a string heap"); return }
        #expect(projects.cells("name")[0] == .text("西河镇31万套铸件项目"))
        #expect(projects.cells("investment")[3] == .decimal("1589.4"))
        #expect(projects.cells("signed_on")[2] == .date(CivilDate(year: 2014, month: 7, day: 14).days))
    }

    @Test("examples/county-zh: Chinese file names, headers, values and Excel-style dates")
    func chineseCounty() throws {
        let zh = try Dataset.open(path: repositoryRoot + "/examples/county-zh")
        #expect(zh.tables.map(\.name) == ["单位", "项目"])
        let projects = try #require(zh.table(named: "项目"))
        #expect(projects.rowCount == 600)
        let stage = try #require(projects.column(named: "阶段")?.dictionary)
        #expect(stage.allValues == ["线索", "在谈", "签约", "开工", "投产"])
        #expect(stage.isOrdered)
        #expect(projects.column(named: "签约日期")?.type == .date)
        #expect(projects.column(named: "签约日期")?.nullCount == 212)
        #expect(projects.column(named: "备案")?.type == .bool(chinese: true))
        #expect(projects.column(named: "投资额")?.type == .money(.wan, scale: 1))
        #expect(zh.table(named: "单位")?.rowCount == 40)
    }

    @Test("the GB18030 copy loads equal to its UTF-8 twin, cell by cell")
    func gb18030Twin() throws {
        let utf8 = try Dataset.open(path: repositoryRoot + "/examples/county-zh")
        let gb = try Dataset.open(path: repositoryRoot + "/examples/county-zh-gb18030")
        #expect(gb.tables.map(\.name) == utf8.tables.map(\.name))
        for table in utf8.tables {
            let other = try #require(gb.table(named: table.name))
            expectEqualTables(table, other)
        }
    }
}

/// Two tables hold the same names, types and cells.
func expectEqualTables(_ a: Table, _ b: Table, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.name == b.name, sourceLocation: sourceLocation)
    #expect(a.rowCount == b.rowCount, sourceLocation: sourceLocation)
    #expect(a.columns.map(\.name) == b.columns.map(\.name), sourceLocation: sourceLocation)
    #expect(a.columns.map(\.type) == b.columns.map(\.type), sourceLocation: sourceLocation)
    for (x, y) in zip(a.columns, b.columns) {
        #expect(x.nullCount == y.nullCount, "\(a.name).\(x.name)", sourceLocation: sourceLocation)
        #expect(x.dictionary?.allValues == y.dictionary?.allValues, "\(a.name).\(x.name)", sourceLocation: sourceLocation)
        #expect(x.dictionary?.isOrdered == y.dictionary?.isOrdered, "\(a.name).\(x.name)", sourceLocation: sourceLocation)
        var mismatches = 0
        for i in 0..<min(x.count, y.count) where x.value(at: i) != y.value(at: i) { mismatches += 1 }
        #expect(mismatches == 0, "\(a.name).\(x.name): \(mismatches) cells differ", sourceLocation: sourceLocation)
    }
}
