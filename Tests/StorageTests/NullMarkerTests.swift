import Testing
@testable import Storage

@Suite("Null markers")
struct NullMarkerTests {
    @Test("without a schema, NA and the other built-in markers are null in a number, date or bool column, and counted")
    func builtInMarkers() throws {
        let t = try loadCSV("""
            n,d,day,ok,s
            1,1.5,2015-01-01,true,x
            NA,NA,NA,NA,NA
            -,—,/,无,-
            #N/A,N/A,NULL,NA,y
            4,2.25,2015-02-01,false,z

            """)
        #expect(t.column(named: "n")?.type == .int)
        #expect(t.cells("n") == [.int(1), .null, .null, .null, .int(4)])
        #expect(t.column(named: "d")?.type == .decimal(scale: 2))
        #expect(t.column(named: "day")?.type == .date)
        #expect(t.column(named: "ok")?.type == .bool(chinese: false))
        #expect(t.column(named: "n")?.nullCount == 3)
        // In the order of the built-in list.
        #expect(t.column(named: "n")?.nullMarkers == [NullMarkerCount(marker: "NA", count: 1), NullMarkerCount(marker: "#N/A", count: 1),
                                                      NullMarkerCount(marker: "-", count: 1)])
        // In a text column they are text.
        #expect(t.column(named: "s")?.nullCount == 0)
        #expect(t.cells("s") == ["x", "NA", "-", "y", "z"].map { .text($0) })
    }

    @Test("numbers sorted as numbers, not as text: one NA no longer makes a column a category of strings")
    func naKeepsNumbers() throws {
        let t = try loadCSV("v\n-1\n-10\nNA\n-11\n2\n")
        #expect(t.column(named: "v")?.type == .int)
        #expect(t.cells("v") == [.int(-1), .int(-10), .null, .int(-11), .int(2)])
    }

    @Test("a marker past the rows that decided the type is null too, not a reason to reload as text")
    func markerAfterInference() throws {
        let rows = (1...30_000).map(String.init).joined(separator: "\n")
        let t = try loadCSV("v\n" + rows + "\nNA\n7\n", blockSize: 4096)
        #expect(t.column(named: "v")?.type == .int)
        #expect(t.rowCount == 30_002 && t.column(named: "v")?.nullCount == 1)
    }

    @Test("a declared type never fails on a built-in marker; a declared text column keeps it as text")
    func declaredTypes() throws {
        let t = try loadCSV("n,s\nNA,NA\n3,x\n", schema: "[t.columns]\nn = \"int\"\ns = \"text\"\n")
        #expect(t.cells("n") == [.null, .int(3)])
        #expect(t.cells("s") == [.text("NA"), .text("x")])
    }

    @Test("schema markers replace the built-in ones where they apply: a column's, the table's, the file's; a text column too")
    func schemaMarkers() throws {
        let schema = """
            null = ["?"]
            [t]
            null = ["-"]
            [t.columns]
            a = { type = "int", null = ["-999"] }
            s = { type = "text", null = ["无"] }
            """
        let t = try loadCSV("a,b,s\n-999,-,无\n5,NA,x\n1,2,-\n", schema: schema)
        #expect(t.cells("a") == [.null, .int(5), .int(1)])        // -999 is a value of the type: every cell is tested
        #expect(t.column(named: "a")?.nullMarkers == [NullMarkerCount(marker: "-999", count: 1)])
        // b has the table's "-" only: NA is then not a marker, so b is text.
        #expect(t.column(named: "b")?.type == .text)
        #expect(t.cells("b") == [.null, .text("NA"), .text("2")])
        #expect(t.cells("s") == [.null, .text("x"), .text("-")])
        // The file's markers apply to a table without its own.
        let u = try loadCSV("c\n?\n4\n", schema: "null = [\"?\"]\n")
        #expect(u.cells("c") == [.null, .int(4)])
    }

    @Test("a timestamp column survives a snapshot: its type and its values")
    func timestampSnapshot() throws {
        let scratch = Scratch()
        let t = try loadCSV("at\n2013-01-01T10:00:00Z\n2015-03-01 14:30:00.25\n\n")
        #expect(t.column(named: "at")?.type == .timestamp)
        try SnapshotWriter.save(Catalog(tables: [t]), to: scratch.path + "/s.projqdb")
        let back = try SnapshotReader.open(path: scratch.path + "/s.projqdb").table(named: "t")
        #expect(back?.column(named: "at")?.type == .timestamp)
        #expect(back?.cells("at") == t.cells("at"))
        #expect(t.cells("at").map(\.description) == ["2013-01-01 10:00:00", "2015-03-01 14:30:00.250000", "null"])
    }

    @Test("marker counts survive a snapshot and the cache")
    func persisted() throws {
        let scratch = Scratch()
        let t = try loadCSV("n\nNA\n1\n-\nNA\n")
        try SnapshotWriter.save(Catalog(tables: [t]), to: scratch.path + "/s.projqdb")
        let back = try SnapshotReader.open(path: scratch.path + "/s.projqdb").table(named: "t")
        #expect(back?.column(named: "n")?.nullMarkers == [NullMarkerCount(marker: "NA", count: 2), NullMarkerCount(marker: "-", count: 1)])
    }
}
