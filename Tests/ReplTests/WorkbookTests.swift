import Foundation
import Testing
import Repl
import Storage

/// Excel workbooks opened as tables (issue 13), through the binary as a user runs it. The test
/// workbooks are made by real writers (Tests/StorageTests/Data/workbooks/README.md): openpyxl,
/// and LibreOffice from the example county's CSV files.
@Suite("Workbooks")
struct WorkbookTests {
    static let folder = "Tests/StorageTests/Data/workbooks"

    static func file(_ name: String) -> String { Projq.root + "/" + folder + "/" + name }

    static var expectedFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Projq.root + "/" + folder)) ?? [])
            .filter { $0.hasSuffix(".expected.csv") }.sorted()
    }

    @Test("openpyxl's and LibreOffice's workbooks read cell by cell as the writer's values (NAME.SHEET.expected.csv)", arguments: expectedFiles)
    func cellByCell(_ expected: String) throws {
        let parts = expected.split(separator: ".").map(String.init)   // NAME.SHEET.expected.csv
        let workbook = parts[0] + ".xlsx", sheet = parts[1]
        let r = try Projq.run([WorkbookTests.folder + "/" + workbook, "--format", "csv", "-c", ".load \(WorkbookTests.folder)/\(workbook) sheet \(sheet) as t", "-c", "t"])
        #expect(r.status == 0, "\(r.stderr)")
        let want = try String(contentsOfFile: WorkbookTests.file(expected), encoding: .utf8)
        #expect(r.stdout == want, "\(workbook) sheet \(sheet)\n--- expected\n\(want)--- actual\n\(r.stdout)")
    }

    @Test("LibreOffice's .xlsx and .xls of the example county's CSV files hold the same table as the CSV", arguments: ["项目", "单位"])
    func libreOfficeCounty(_ table: String) throws {
        let scratch = try FaultTests.scratchFolder("xlsx-county-\(table)")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // The CSV alone, without the example's schema (the workbooks have none either).
        try FileManager.default.copyItem(atPath: Projq.root + "/examples/county-zh/\(table).csv", toPath: scratch + "/\(table).csv")
        let csv = try Projq.run([scratch + "/\(table).csv", "--format", "csv", "-c", table, "-c", ".schema"])
        #expect(csv.status == 0)
        for ext in ["xlsx", "xls"] {
            let book = try Projq.run([WorkbookTests.folder + "/lo_\(table).\(ext)", "--format", "csv", "-c", "lo_\(table)", "-c", ".schema"])
            #expect(book.status == 0, "\(book.stderr)")
            #expect(book.stdout.replacingOccurrences(of: "lo_\(table)", with: table) == csv.stdout, "lo_\(table).\(ext)")
        }
    }

    @Test("a title row, blank rows and a note line above the header are passed over; the 合计 row below is left out with a note on standard error")
    func ledgerLayout() throws {
        let r = try Projq.run([WorkbookTests.folder + "/ledger.xlsx", "--format", "csv", "-c", "项目 sum 投资额"])
        #expect(r.status == 0)
        #expect(r.stdout == "sum_投资额\n30609.5\n")
        #expect(r.stderr == "projq: ledger.xlsx: sheet 项目: row 9 (合计) is a totals row: left out\n")
    }

    @Test("error cells are null, counted by .schema among the null markers; times of day are text")
    func errorsInSchema() throws {
        let r = try Projq.run([WorkbookTests.folder + "/types.xlsx", "-c", ".schema"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("  指标      decimal(1)      3         2\n            null markers: #N/A ×2, #DIV/0! ×1\n"), "\(r.stdout)")
        #expect(r.stdout.contains("  时间      text "))
        #expect(r.stdout.contains("  比例      percent(4) "))
        #expect(r.stdout.contains("  中文日期  date "))
    }

    @Test("header = N in schema.toml names the header row; a declared type a cell does not fit is an error at the cell, in Excel's notation")
    func schemaOnWorkbooks() throws {
        let scratch = try FaultTests.scratchFolder("xlsx-schema")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.copyItem(atPath: WorkbookTests.file("ledger.xlsx"), toPath: scratch + "/台账.xlsx")
        // Row 3 is the note line: as the header its columns are 填报单位：县招商局 … 单位：万元.
        try "[\"项目\"]\nheader = 4\n[\"项目\".columns]\n\"投资额\" = { type = \"money\", unit = \"万元\" }\n".write(toFile: scratch + "/schema.toml", atomically: true, encoding: .utf8)
        let ok = try Projq.run([scratch, "--format", "csv", "-c", "项目 sum 投资额 by 阶段"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "阶段,sum_投资额\n在谈,2900.5\n签约,15709\n线索,12000\n")
        try "[\"项目\".columns]\n\"阶段\" = \"date\"\n".write(toFile: scratch + "/schema.toml", atomically: true, encoding: .utf8)
        let bad = try Projq.run([scratch, "-c", "项目"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: \(scratch)/台账.xlsx: sheet 项目: C5: '签约' in column '阶段' is not a date (2015-03-01, 2015/3/1 or 2015年3月1日) (schema.toml declares date)\n")
    }

    @Test("a folder's workbooks beside its CSV files: each sheet a table, schema.toml applying by table name")
    func folderWithWorkbooks() throws {
        let scratch = try FaultTests.scratchFolder("xlsx-folder")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try FileManager.default.copyItem(atPath: Projq.root + "/examples/county-zh/单位.csv", toPath: scratch + "/单位.csv")
        try FileManager.default.copyItem(atPath: WorkbookTests.file("lo_项目.xlsx"), toPath: scratch + "/项目.xlsx")
        try FileManager.default.copyItem(atPath: Projq.root + "/examples/county-zh/schema.toml", toPath: scratch + "/schema.toml")
        let r = try Projq.run([scratch, "--format", "csv", "-c", "项目 where 行业 = 机械加工 and 阶段 = 签约 sum 投资额 by 责任单位 | top 3 by sum_投资额"])
        let csv = try Projq.run(["examples/county-zh", "--format", "csv", "-c", "项目 where 行业 = 机械加工 and 阶段 = 签约 sum 投资额 by 责任单位 | top 3 by sum_投资额"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == csv.stdout)
        let tables = try Projq.run([scratch, "-c", ".tables"])
        #expect(tables.stdout.contains("项目") && tables.stdout.contains("单位"))
    }

    @Test("not a workbook, a damaged one, an encrypted one, a web page saved as .xls, a sheet without a header: a clear error, exit 2, never a signal")
    func refusals() throws {
        let scratch = try FaultTests.scratchFolder("xlsx-bad")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let good = try Data(contentsOf: URL(fileURLWithPath: WorkbookTests.file("ledger.xlsx")))
        try Data("编号,名称\n1,a\n".utf8).write(to: URL(fileURLWithPath: scratch + "/text.xlsx"))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: scratch + "/truncated.xlsx"))
        try Data("<html><body><table><tr><td>1</td></tr></table></body></html>".utf8).write(to: URL(fileURLWithPath: scratch + "/page.xls"))
        var encrypted = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + Data(count: 504)
        encrypted += Data("EncryptedPackage".utf8.flatMap { [$0, 0] }) + Data(count: 512)
        try encrypted.write(to: URL(fileURLWithPath: scratch + "/locked.xlsx"))
        let cases: [(String, String)] = [
            ("text.xlsx", "not an Excel workbook (.xlsx is a zip archive, .xls a compound file; this file is neither)"),
            ("truncated.xlsx", "not a readable .xlsx workbook (its zip archive: "),
            ("page.xls", "not an Excel workbook: it is a web page or XML file under an Excel name"),
            ("locked.xlsx", "the workbook is encrypted (saved with a password)"),
        ]
        for (name, message) in cases {
            let r = try Projq.run([scratch + "/" + name, "-c", ".tables"])
            #expect(r.status == 2, "\(name): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: \(scratch)/\(name): \(message)"), "\(name): \(r.stderr)")
        }
        let missing = try Projq.run([WorkbookTests.folder + "/ledger.xlsx", "-c", ".load \(WorkbookTests.folder)/ledger.xlsx sheet 汇总"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no sheet '汇总'; its sheets: 项目, 两行表头"), "\(missing.stderr)")
    }

    @Test("a sheet of numbers only has no header: the error names the workbook and the sheet")
    func noHeader() throws {
        let scratch = try FaultTests.scratchFolder("xlsx-noheader")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try "1,2\n3,4\n".write(toFile: scratch + "/numbers.csv", atomically: true, encoding: .utf8)
        let convert = Process()
        convert.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        convert.arguments = ["-c", "import openpyxl,sys\nwb=openpyxl.Workbook()\nws=wb.active\nws.title='数'\nws.append([1,2])\nws.append([3,4])\nwb.save(sys.argv[1])", scratch + "/numbers.xlsx"]
        try convert.run()
        convert.waitUntilExit()
        let r = try Projq.run([scratch + "/numbers.xlsx", "-c", ".tables"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(scratch)/numbers.xlsx: sheet 数: no header row: none of the first 2 rows has text in every column A–B followed by data; name the header row with header = N for this table in schema.toml\n")
    }
}
