import Testing
@testable import Storage

@Suite("CSV parsing")
struct CSVParsingTests {
    @Test("quoted fields hold commas, doubled quotes and line breaks")
    func quotedFields() throws {
        let t = try loadCSV("id,name\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,plain\n")
        #expect(t.rowCount == 4)
        #expect(t.cells("name") == [.text("a, b"), .text("say \"hi\""), .text("two\nlines"), .text("plain")])
    }

    @Test("CRLF and LF line ends, and a last line without one")
    func lineEnds() throws {
        let crlf = try loadCSV("a,b\r\n1,x\r\n2,y")
        #expect(crlf.cells("a") == [.int(1), .int(2)])
        #expect(crlf.cells("b") == [.text("x"), .text("y")])
    }

    @Test("a UTF-8 byte-order mark is not part of the first column's name")
    func byteOrderMark() throws {
        let t = try loadCSV("\u{FEFF}编号,名称\n1,甲\n")
        #expect(t.columns.map(\.name) == ["编号", "名称"])
    }

    @Test("an empty cell is null, for every type")
    func emptyCellsAreNull() throws {
        let t = try loadCSV("n,d,x,day,ok,s\n1,1.5,a,2015-01-01,true,q\n,,,,,\"\"\n")
        for c in t.columns {
            #expect(c.nullCount == 1, "column \(c.name)")
            #expect(c.value(at: 1) == .null)
        }
    }

    @Test("more than nine digits after the point is a binary float printed out: the column is float, not decimal")
    func floatInference() throws {
        let t = try loadCSV("m,d\n10.357019999999999,1.5\n2.5,0.123456789\n")
        #expect(t.column(named: "m")?.type == .float)
        #expect(t.column(named: "d")?.type == .decimal(scale: 9))
        #expect(t.cells("m") == [.float(10.357019999999999), .float(2.5)])
        #expect(t.cells("d") == [.decimal("1.5"), .decimal("0.123456789")])
    }

    @Test("a declared decimal or money column: scale = N rounds half away from zero and counts the cells; without it, more than nine digits is an error at the cell")
    func declaredScale() throws {
        let t = try loadCSV("a\n1.005\n-2.345\n3\n", schema: "[t.columns]\na = { type = \"money\", unit = \"元\", scale = 2 }\n")
        #expect(t.columns[0].type == .money(.yuan, scale: 2))
        #expect(t.cells("a") == [.decimal("1.01"), .decimal("-2.35"), .decimal(3)])
        #expect(t.columns[0].roundedCells == 2)
        let e = loadError("id,amount\n1,2.5\n2,10.357019999999999\n", schema: "[t.columns]\namount = \"decimal\"\n")
        #expect(e?.description == "t.csv:3:3: '10.357019999999999' in column 'amount' has more digits after the point than decimal keeps (at most 9); declare scale = N for the column in schema.toml to round to N digits, or declare it float")
        let f = loadError("amount\n92233720368547758.07\n", schema: "[t.columns]\namount = { type = \"money\", unit = \"元\", scale = 3 }\n")
        #expect(f?.description.hasPrefix("t.csv:2:1: '92233720368547758.07' in column 'amount' is too large for money(元) at 3 digits after the point") == true)
    }

    @Test("types are inferred: int, decimal, three date forms, bool, text")
    func inference() throws {
        let t = try loadCSV("""
        i,d,iso,slash,zh,b,zb,s
        1,1.5,2015-03-01,2015/3/1,2015年3月1日,true,是,x
        -2,3,2015-12-31,2015/12/31,2015年12月31日,FALSE,否,y

        """)
        #expect(t.columns.map(\.type) ==  [.int, .decimal(scale: 1), .date, .date, .date, .bool(chinese: false), .bool(chinese: true), .text])
        let march1 = CivilDate(year: 2015, month: 3, day: 1).days
        #expect(t.cells("iso")[0] == .date(march1))
        #expect(t.cells("slash")[0] == .date(march1))
        #expect(t.cells("zh")[0] == .date(march1))
        #expect(t.cells("zb") == [.bool(true), .bool(false)])
        #expect(t.cells("d") == [.decimal("1.5"), .decimal(3)])
    }

    @Test("a column that meets more digits past the sample: an int column becomes decimal, a decimal one takes the digits; units exact")
    func widening() throws {
        func column(_ cell: (Int) -> String, then last: String) throws -> Table {
            var text = "v\n"
            for i in 0..<25_000 { text += cell(i) + "\n" }
            return try loadCSV(text + last + "\n")
        }
        let ints = try column({ "\($0)" }, then: "2.5")
        #expect(ints.columns[0].type == .decimal(scale: 1))
        #expect(ints.cells("v").last == .decimal("2.5"))
        #expect(ints.cells("v")[7] == .decimal(7))
        let halves = try column({ "\($0).5" }, then: "0.125\n-7")
        #expect(halves.columns[0].type == .decimal(scale: 3))
        #expect(halves.cells("v")[1] == .decimal("1.5"))
        #expect(halves.cells("v").suffix(2) == [.decimal("0.125"), .decimal(-7)])
        guard case .int64(let units) = halves.columns[0].data else { Issue.record("a decimal column holds 64-bit units"); return }
        #expect(units[1] == 1500 && units[25_000] == 125)
    }

    @Test("an inferred number column that later holds text is read again as text")
    func restartAsText() throws {
        var text = "code,n\n"
        for i in 0..<25_000 { text += "\(i),\(i)\n" }
        text += "A-17,1\n"
        let t = try loadCSV(text)
        #expect(t.column(named: "code")!.type == .text)
        #expect(t.cells("code")[3] == .text("3"))
        #expect(t.cells("code").last == .text("A-17"))
        #expect(t.column(named: "n")!.type == .int)
    }

    @Test("low-cardinality text becomes a category; mostly-unique text a string heap")
    func categoriesAndHeaps() throws {
        var text = "name,sector\n"
        let sectors = ["machinery", "tourism", "food"]
        for i in 0..<3000 { text += "项目\(i),\(sectors[i % 3])\n" }
        let t = try loadCSV(text)
        let sector = t.column(named: "sector")!
        #expect(sector.type == .category(ordered: false))
        guard case .codes8(_, let d) = sector.data else { Issue.record("sector is not byte codes"); return }
        #expect(d.allValues == sectors)
        #expect(d.isOrdered == false)
        let name = t.column(named: "name")!
        #expect(name.type == .text)
        guard case .strings(let heap) = name.data else { Issue.record("name is not a heap"); return }
        #expect(heap.string(at: 2999) == "项目2999")
    }

    @Test("codes widen to 16 bits past 256 distinct values")
    func wideCodes() throws {
        var text = "k\n"
        for i in 0..<4000 { text += "v\(i % 300)\n" }
        let t = try loadCSV(text)
        guard case .codes16(let codes, let d) = t.columns[0].data else { Issue.record("expected 16-bit codes"); return }
        #expect(d.count == 300)
        #expect(codes[299] == 299)
        #expect(t.cells("k")[3999] == .text("v99"))
    }

    @Test("records cut by block ends anywhere load the same as whole")
    func tinyBlocks() throws {
        let text = "id,name,note\n1,\"a,\"\"b\"\"\nc\",x\r\n2,城关镇机械厂,\"\"\n3,\"\",\"y\"\n"
        let whole = try loadCSV(text)
        for size in [16, 17, 19, 23, 31, 64] {
            let cut = try loadCSV(text, blockSize: size)
            for c in whole.columns {
                #expect(cut.cells(c.name) == whole.cells(c.name), "block size \(size), column \(c.name)")
            }
        }
        #expect(whole.cells("name") == [.text("a,\"b\"\nc"), .text("城关镇机械厂"), .null])
    }

    @Test("a header with no rows gives an empty table of declared types")
    func headerOnly() throws {
        let t = try loadCSV("a,b\n", schema: "[t.columns]\na = \"date\"\n")
        #expect(t.rowCount == 0)
        #expect(t.columns.map(\.type) == [.date, .text])
    }
}

@Suite("CSV parsing on two threads")
struct ParallelTokenizingTests {
    /// A block of more than a megabyte is tokenized as two halves; quoted line breaks all
    /// through it make the guessed split land inside a quoted field for some blocks.
    @Test("a large block split in two halves loads the same as in one piece")
    func halvesAgreeWithOnePiece() throws {
        var text = "id,note,stage\n"
        var i = 0
        while text.utf8.count < 3_000_000 {
            let note = i % 3 == 0 ? "\"第\(i)行\n续行, 含逗号\"" : "note \(i)"
            text += "\(i),\(note),\(["lead", "signed"][i % 2])\n"
            i += 1
        }
        let split = try loadCSV(text, blockSize: 4 << 20)          // one block, tokenized in halves
        let onePiece = try loadCSV(text, blockSize: 600 << 10)    // blocks below the threshold
        #expect(split.rowCount == i)
        expectEqualTables(split, onePiece)
        #expect(split.cells("note")[3] == .text("第3行\n续行, 含逗号"))
    }
}
