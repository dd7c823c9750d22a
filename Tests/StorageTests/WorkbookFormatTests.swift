import Testing
@testable import Storage

/// How a workbook's numbers become the text the CSV parsers read: number formats, serial
/// dates in both date systems, decimal text kept exact.
@Suite("Workbook cell formats")
struct WorkbookFormatTests {
    @Test("custom number formats: dates, times, timestamps, percentages, and what only looks like them", arguments: [
        ("yyyy\"年\"m\"月\"d\"日\"", CellFormat.date),
        ("yyyy-mm-dd", .date),
        ("m/d/yy", .date),
        ("[$-804]yyyy\"年\"m\"月\";@", .date),
        ("mmm-yy", .date),
        ("yyyy-mm-dd hh:mm:ss", .timestamp),
        ("yyyy/m/d h:mm", .timestamp),
        ("h:mm", .time),
        ("mm:ss", .time),
        ("[h]:mm:ss", .time),
        ("h\"时\"mm\"分\"", .time),
        ("0.00%", .percent),
        ("#,##0.00_);[Red](#,##0.00)", .number),
        ("0.00E+00", .number),
        ("General", .number),
        ("\"day \"0", .number),
        ("#,##0\" 元\"", .number),
        ("@", .number),
    ])
    func classify(_ code: String, _ expected: CellFormat) {
        #expect(CellFormat.classify(code) == expected, "\(code)")
    }

    @Test("built-in format ids")
    func builtIn() {
        #expect(CellFormat.builtIn(0) == .number)
        #expect(CellFormat.builtIn(14) == .date)
        #expect(CellFormat.builtIn(22) == .timestamp)
        #expect(CellFormat.builtIn(20) == .time)
        #expect(CellFormat.builtIn(46) == .time)
        #expect(CellFormat.builtIn(10) == .percent)
        #expect(CellFormat.builtIn(31) == .date)   // yyyy"年"m"月"d"日" in a Chinese Excel
        #expect(CellFormat.builtIn(49) == .number)
    }

    static func decimal(_ text: String, shift: Int = 0) -> String? {
        var out = GrowableBuffer<UInt8>()
        defer { out.release() }
        let bytes = Array(text.utf8)
        let ok = bytes.withUnsafeBufferPointer { ExcelNumber.appendDecimal($0.baseAddress!, $0.count, shift: shift, to: &out) }
        return ok ? String(decoding: UnsafeBufferPointer(out.elements), as: UTF8.self) : nil
    }

    @Test("number text as a plain decimal, exactly: exponents moved into the digits, no digit lost")
    func decimals() {
        #expect(WorkbookFormatTests.decimal("2024418.17") == "2024418.17")
        #expect(WorkbookFormatTests.decimal("1.5E-3") == "0.0015")
        #expect(WorkbookFormatTests.decimal("1e-05") == "0.00001")
        #expect(WorkbookFormatTests.decimal("1.2345E+5") == "123450")
        #expect(WorkbookFormatTests.decimal("3500.0") == "3500")
        #expect(WorkbookFormatTests.decimal("-0.0") == "0")
        #expect(WorkbookFormatTests.decimal("0.1") == "0.1")
        #expect(WorkbookFormatTests.decimal("-12.50") == "-12.5")
        #expect(WorkbookFormatTests.decimal("0.125", shift: 2) == "12.5")
        #expect(WorkbookFormatTests.decimal("1", shift: 2) == "100")
        #expect(WorkbookFormatTests.decimal("abc") == nil)
        #expect(WorkbookFormatTests.decimal("1E+400") == nil)
    }

    static func serial(_ value: Double, _ format: CellFormat, date1904: Bool = false) -> String? {
        var out = GrowableBuffer<UInt8>()
        defer { out.release() }
        guard ExcelNumber.appendSerial(value, as: format, date1904: date1904, to: &out) else { return nil }
        return String(decoding: UnsafeBufferPointer(out.elements), as: UTF8.self)
    }

    @Test("serial dates: the 1900 system with its phantom 29 February, and the 1904 system")
    func serials() {
        #expect(WorkbookFormatTests.serial(1, .date) == "1900-01-01")
        #expect(WorkbookFormatTests.serial(59, .date) == "1900-02-28")
        #expect(WorkbookFormatTests.serial(60, .date) == nil)
        #expect(WorkbookFormatTests.serial(61, .date) == "1900-03-01")
        #expect(WorkbookFormatTests.serial(42064, .date) == "2015-03-01")
        #expect(WorkbookFormatTests.serial(42064.604166666664, .timestamp) == "2015-03-01 14:30:00")
        #expect(WorkbookFormatTests.serial(0.604166666666667, .time) == "14:30:00")
        #expect(WorkbookFormatTests.serial(1.5, .time) == "36:00:00")
        #expect(WorkbookFormatTests.serial(0, .date, date1904: true) == "1904-01-01")
        #expect(WorkbookFormatTests.serial(40602, .date, date1904: true) == "2015-03-01")
        #expect(WorkbookFormatTests.serial(1e9, .date) == nil)
    }

    @Test("Excel's cell names")
    func cellNames() {
        #expect(excelCellName(column: 0, row: 1) == "A1")
        #expect(excelCellName(column: 2, row: 14) == "C14")
        #expect(excelColumnName(25) == "Z")
        #expect(excelColumnName(26) == "AA")
        #expect(excelColumnName(16383) == "XFD")
    }

    @Test("totals rows by their first cell")
    func totals() {
        for (word, expected) in [("合计", true), ("合  计", true), ("总计：", true), ("小计", true), ("Total", true), ("合计金额", false), ("城关镇", false)] {
            let bytes = Array(word.utf8)
            #expect(bytes.withUnsafeBufferPointer { HeaderRule.isTotals($0.baseAddress!, $0.count) } == expected, "\(word)")
        }
    }
}
