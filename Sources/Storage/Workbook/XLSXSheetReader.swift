import TextSupport
/// Types one worksheet's cells (`SheetScanner` reads its XML) into `SheetRows`: each cell by its
/// `t` attribute and its style's number format. Shared strings (`t="s"`), inline strings and
/// formula strings are text; booleans `true`/`false`; error values (`t="e"`) null and counted;
/// numbers keep their decimal text from `<v>`, or become dates, timestamps, times or
/// percentages by their format. A formula cell is read by its cached value. Cells may be
/// missing (sparse rows) and rows may lack their `r` number: they count on from the last.
struct XLSXSheetReader: SheetSink {
    private let rows: SheetRows
    private let strings: SharedStrings
    private let styles: [CellFormat]
    private let date1904: Bool
    private var converted = GrowableBuffer<UInt8>(capacity: 64)

    init(rows: SheetRows, strings: SharedStrings, styles: [CellFormat], date1904: Bool) {
        self.rows = rows
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
    }

    /// Reads sheet `part` of `archive` into `rows`.
    static func read(_ archive: ZipArchive, part: String, into rows: SheetRows, strings: SharedStrings, styles: [CellFormat],
                     date1904: Bool) throws(WorkbookError) {
        var scanner = SheetScanner(sink: XLSXSheetReader(rows: rows, strings: strings, styles: styles, date1904: date1904), part: part)
        defer {
            scanner.sink.converted.release()
            scanner.release()
        }
        try archive.withEntry(part, readAhead: true) { (read) throws(WorkbookError) in try scanner.run(read) }
    }

    mutating func expect(rows n: Int) { rows.expectedRows = n }

    mutating func beginRow(_ number: Int) { rows.beginRow(number) }

    mutating func endRow() throws(WorkbookError) {
        rows.endRow()
        guard let stop = rows.stop else { return }
        if case .failure(let e) = stop { throw e }
        throw WorkbookError("restart")
    }

    /// A cell with a value, into the rows.
    mutating func cell(column: Int, row: Int, kind: CellKind, style: Int, _ p: UnsafePointer<UInt8>, _ n: Int) throws(WorkbookError) {
        func fail(_ message: String) -> WorkbookError { WorkbookError(message, cell: excelCellName(column: Swift.max(column, 0), row: row)) }
        switch kind {
        case .sharedString:
            guard let i = SheetScanner<XLSXSheetReader>.integer(p, n), i < strings.count else {
                throw fail(DataMessage.xlsxNoSharedString(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self), strings.count))
            }
            let (s, count) = strings.string(i)
            rows.cell(column, s, count, isText: true)
        case .formulaString, .inlineString:
            rows.cell(column, p, n, isText: true)
        case .boolean:
            let truth = p[0] == UInt8(ascii: "1") || p[0] | 0x20 == UInt8(ascii: "t")
            let word: StaticString = truth ? "true" : "false"
            rows.cell(column, word.utf8Start, word.utf8CodeUnitCount, isText: false)
        case .error:
            rows.errorCell(column, String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        case .date:
            rows.cell(column, p, n, isText: false)
        case .number:
            let format = style < styles.count ? styles[style] : .number
            converted.removeAll()
            switch format {
            case .number, .percent:
                // A percentage is written as one (`12.5%`): the column becomes a percent column.
                let percent = format == .percent
                if ExcelNumber.appendNumber(p, n, shift: percent ? 2 : 0, to: &converted) {
                    if percent { converted.append(UInt8(ascii: "%")) }
                    rows.cell(column, UnsafePointer(converted.elements.baseAddress!), converted.count, isText: false)
                } else if CellParsers.parseDouble(p, n) != nil {
                    rows.cell(column, p, n, isText: false)   // beyond a plain decimal: a float
                } else {
                    throw fail(DataMessage.xlsxNotANumber(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
                }
            case .date, .timestamp, .time:
                guard let serial = CellParsers.parseDouble(p, n) else {
                    throw fail(DataMessage.xlsxNotASerial(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)))
                }
                guard ExcelNumber.appendSerial(serial, as: format, date1904: date1904, to: &converted) else {
                    throw fail(!date1904 && Int(serial) == 60
                         ? DataMessage.xlsxSerial60()
                         : DataMessage.xlsxSerialOutside(serial))
                }
                rows.cell(column, UnsafePointer(converted.elements.baseAddress!), converted.count, isText: false)
            }
        }
    }
}
