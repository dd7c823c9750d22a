import Testing
@testable import Storage

/// The files of `Data/file-forms`, written by Python's codecs (`make.py` there): each loads as
/// the same six-row ledger, or is refused naming the line where it breaks.
@Suite("File forms: delimiters and encodings")
struct FileFormTests {
    static let folder = repositoryRoot + "/Tests/StorageTests/Data/file-forms/"

    /// What every form of the ledger must load as.
    static func expectLedger(_ t: Table, _ file: String) {
        #expect(t.columns.map(\.name) == ["编号", "项目名称", "责任单位", "投资额", "签约日期"], "\(file)")
        #expect(t.rowCount == 6, "\(file)")
        #expect(t.cells("项目名称")[2] == .text("精密机械配件项目，二期"), "\(file)")
        #expect(t.cells("投资额") == ([1709, 2900, "1200.5", 880, 45000, 330] as [FixedDecimal]).map { .decimal($0) }, "\(file)")
        #expect(t.column(named: "签约日期")?.type == .date && t.column(named: "签约日期")?.nullCount == 1, "\(file)")
    }

    @Test("a tab, a semicolon or '|' between fields is found from the first lines, as a comma is",
          arguments: ["ledger.tsv", "semicolon.csv", "pipe.txt"])
    func delimiters(file: String) throws {
        FileFormTests.expectLedger(try CSVLoader.load(path: FileFormTests.folder + file, name: "t"), file)
    }

    @Test("UTF-16 with a byte-order mark, little- and big-endian (Excel's \"Unicode text\": tabs, CRLF)",
          arguments: ["unicode-text-le.txt", "unicode-text-be.txt"])
    func utf16(file: String) throws {
        FileFormTests.expectLedger(try CSVLoader.load(path: FileFormTests.folder + file, name: "t"), file)
    }

    @Test("Big5 is told from GBK by its lead bytes and converted: traditional characters, not mojibake")
    func big5() throws {
        let t = try CSVLoader.load(path: FileFormTests.folder + "big5.csv", name: "t")
        #expect(t.columns.map(\.name) == ["編號", "項目名稱", "責任單位", "投資額"])
        #expect(t.cells("項目名稱") == ["西河鎮鑄件項目", "南塘鎮陶瓷項目", "精密機械配件項目", "年產飼料項目", "電子元器件項目", "石材加工項目"].map { .text($0) })
    }

    @Test("GBK rows under UTF-8 ones are refused at the first line that is not UTF-8, not at line 1")
    func mixedEncodings() {
        #expect {
            _ = try CSVLoader.load(path: FileFormTests.folder + "gbk-under-utf8.csv", name: "t")
        } throws: { error in
            let e = error as! LoadError
            return e.line == 11 && e.column == 4
                && e.message == "bytes that are not UTF-8 (0xCF), though the lines before them are: the file mixes encodings (rows in GBK pasted into a UTF-8 file?); save it again in one encoding"
        }
    }

    @Test("a comma file whose text holds tabs and semicolons stays a comma file; a ragged TSV gets its field-count error")
    func sniffingChoices() throws {
        let t = try loadCSV("a,b\nx;y\tz,1\nw,2\n")
        #expect(t.columns.map(\.name) == ["a", "b"])
        #expect(t.cells("a") == [.text("x;y\tz"), .text("w")])
        // The header has the most tabs; a line without enough is an error naming it.
        let e = loadError("a\tb\tc\n1\t2\t3\n4\t5\n")
        #expect(e?.line == 3 && e?.message == "2 fields on this line, the header has 3")
        // A single column: no delimiter at all.
        #expect(try loadCSV("name\nx\ny\n").cells("name") == [.text("x"), .text("y")])
    }

    @Test("a quoted field ends at a quote followed by the file's delimiter; the error names the delimiter")
    func quotesAndDelimiter() throws {
        let t = try loadCSV("a\tb\n\"x\ty\"\t1\n")
        #expect(t.cells("a") == [.text("x\ty")])
        let e = loadError("a\tb\n\"x\"y\t1\n")
        #expect(e?.message == "expected a tab or the end of the line after the closing quote")
    }

    @Test("a dataset folder takes .tsv files as tables too, and refuses two files that would be one table")
    func folderForms() throws {
        let scratch = Scratch()
        _ = scratch.write("a.csv", "k,v\nx,1\n")
        _ = scratch.write("b.tsv", "k\tv\ny\t2\n")
        let catalog = try Dataset.open(path: scratch.path)
        #expect(catalog.tables.map(\.name) == ["a", "b"])
        #expect(catalog.table(named: "b")?.cells("v") == [.int(2)])
        _ = scratch.write("B.csv", "k\nz\n")
        #expect(throws: LoadError.self) { _ = try Dataset.open(path: scratch.path) }
    }
}
