/// Streams one worksheet part (`xl/worksheets/sheetN.xml`) into `SheetRows`: each `<c>` cell
/// typed by its `t` attribute and its style's number format. Shared strings (`t="s"`), inline
/// strings and formula strings are text; booleans `true`/`false`; error values (`t="e"`) null
/// and counted; numbers keep their decimal text from `<v>`, or become dates, timestamps, times
/// or percentages by their format. A formula cell is read by its cached value. Cells may be
/// missing (sparse rows) and rows may lack their `r` number: they count on from the last.
final class XLSXSheetReader: XMLHandler {
    private let rows: SheetRows
    private let strings: SharedStrings
    private let styles: [CellFormat]
    private let date1904: Bool

    private var rowNumber = 0
    private var column = -1
    private var type: UInt8 = 0          // the first letter of t: n, s, b, e, d, i(nlineStr), s(tr: second letter t)
    private var isFormulaString = false
    private var style = 0
    private var collecting = false
    private var inInline = false
    private var phonetic = 0
    private var inData = false
    private var done = false
    private var value: UnsafeMutablePointer<UInt8>
    private var valueCount = 0
    private var valueCapacity = 256
    private var converted = GrowableBuffer<UInt8>(capacity: 64)
    private var ownFailure: WorkbookError?

    init(rows: SheetRows, strings: SharedStrings, styles: [CellFormat], date1904: Bool) {
        self.rows = rows
        self.strings = strings
        self.styles = styles
        self.date1904 = date1904
        value = .allocate(capacity: valueCapacity)
    }

    deinit {
        value.deallocate()
        converted.release()
    }

    var failure: WorkbookError? {
        if let ownFailure { return ownFailure }
        if case .failure(let e)? = rows.stop { return e }
        if rows.stopped { return WorkbookError("restart") }
        return nil
    }

    private func fail(_ message: String) {
        if ownFailure == nil { ownFailure = WorkbookError(message, cell: excelCellName(column: Swift.max(column, 0), row: rowNumber)) }
        done = true
    }

    func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        guard !done else { return }
        let first = UInt8(bitPattern: name[0])
        if first == UInt8(ascii: "c"), name[1] == 0 {
            guard inData else { return }
            column += 1
            type = UInt8(ascii: "n")
            isFormulaString = false
            style = 0
            valueCount = 0
            var i = 0
            while let key = attributes[i], let v = attributes[i + 1] {
                let k = XMLStream.localName(key)
                if k[1] == 0 {
                    switch UInt8(bitPattern: k[0]) {
                    case UInt8(ascii: "r"): column = XLSXSheetReader.column(of: v) ?? column
                    case UInt8(ascii: "t"):
                        type = UInt8(bitPattern: v[0])
                        isFormulaString = type == UInt8(ascii: "s") && v[1] == CChar(UInt8(ascii: "t"))
                    case UInt8(ascii: "s"): style = XLSXSheetReader.integer(v) ?? 0
                    default: break
                    }
                }
                i += 2
            }
        } else if first == UInt8(ascii: "v"), name[1] == 0 {
            collecting = inData
        } else if first == UInt8(ascii: "t"), name[1] == 0 {
            collecting = inInline && phonetic == 0
        } else if XMLStream.equals(name, "row") {
            guard inData else { return }
            let r = XMLStream.attribute(attributes, "r").flatMap { XLSXSheetReader.integer($0) }
            rowNumber = r ?? rowNumber + 1
            column = -1
            rows.beginRow(rowNumber)
        } else if XMLStream.equals(name, "is") {
            inInline = true
        } else if XMLStream.equals(name, "rPh") {
            phonetic += 1
        } else if XMLStream.equals(name, "sheetData") {
            inData = true
        } else if XMLStream.equals(name, "dimension"), let ref = XMLStream.attribute(attributes, "ref") {
            // A1:K1000 → about 1000 rows.
            var p = ref
            while p.pointee != 0, p.pointee != 58 { p += 1 }
            if p.pointee == 58, let last = XLSXSheetReader.integer(XLSXSheetReader.digits(of: p + 1)) { rows.expectedRows = Swift.min(last, 1 << 22) }
        }
    }

    func end(_ name: UnsafePointer<CChar>) {
        guard !done else { return }
        let first = UInt8(bitPattern: name[0])
        if first == UInt8(ascii: "c"), name[1] == 0 {
            if inData { emit() }
        } else if (first == UInt8(ascii: "v") || first == UInt8(ascii: "t")), name[1] == 0 {
            collecting = false
        } else if XMLStream.equals(name, "row") {
            guard inData else { return }
            rows.endRow()
            if rows.stopped { done = true }
        } else if XMLStream.equals(name, "is") {
            inInline = false
        } else if XMLStream.equals(name, "rPh") {
            phonetic -= 1
        } else if XMLStream.equals(name, "sheetData") {
            inData = false
            done = true   // merged cells, conditional formats …: nothing for the table
        }
    }

    func text(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard collecting else { return }
        if valueCount + n > valueCapacity {
            let capacity = Swift.max(valueCapacity * 2, valueCount + n)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: value, count: valueCount)
            value.deallocate()
            value = grown
            valueCapacity = capacity
        }
        (value + valueCount).update(from: p, count: n)
        valueCount += n
    }

    /// The cell just ended, into the rows.
    private func emit() {
        let p = UnsafePointer(value), n = valueCount
        guard n > 0 else { return }
        switch type {
        case UInt8(ascii: "s") where !isFormulaString:
            guard let i = XLSXSheetReader.integer(p, n), i < strings.count else {
                fail("shared string \(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)) does not exist (the workbook has \(strings.count))")
                return
            }
            let (s, count) = strings.string(i)
            rows.cell(column, s, count, isText: true)
        case UInt8(ascii: "s"), UInt8(ascii: "i"):
            rows.cell(column, p, n, isText: true)
        case UInt8(ascii: "b"):
            let truth = p[0] == UInt8(ascii: "1") || p[0] | 0x20 == UInt8(ascii: "t")
            let word: StaticString = truth ? "true" : "false"
            rows.cell(column, word.utf8Start, word.utf8CodeUnitCount, isText: false)
        case UInt8(ascii: "e"):
            rows.errorCell(column, String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
        case UInt8(ascii: "d"):
            rows.cell(column, p, n, isText: false)
        default:
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
                    fail("'\(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))' is not a number, though the cell says it holds one")
                }
            case .date, .timestamp, .time:
                guard let serial = CellParsers.parseDouble(p, n) else {
                    fail("'\(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))' is not a date serial number, though the cell's format is a date")
                    return
                }
                guard ExcelNumber.appendSerial(serial, as: format, date1904: date1904, to: &converted) else {
                    fail(!date1904 && Int(serial) == 60
                         ? "serial 60 is 1900-02-29, a day that never was (Excel counts it, taking 1900 for a leap year)"
                         : "\(serial) is outside the dates Excel can show (years 1900–9999)")
                    return
                }
                rows.cell(column, UnsafePointer(converted.elements.baseAddress!), converted.count, isText: false)
            }
        }
    }

    /// The 0-based column of a cell reference (`AB12` → 27).
    static func column(of ref: UnsafePointer<CChar>) -> Int? {
        var c = 0
        var i = 0
        while true {
            let b = UInt8(bitPattern: ref[i]) & ~0x20
            guard b >= 65, b <= 90 else { break }
            c = c * 26 + Int(b - 64)
            i += 1
            if i > 3 { return nil }
        }
        return i == 0 ? nil : c - 1
    }

    static func digits(of ref: UnsafePointer<CChar>) -> UnsafePointer<CChar> {
        var p = ref
        while p.pointee != 0, UInt8(bitPattern: p.pointee) &- 48 >= 10 { p += 1 }
        return p
    }

    static func integer(_ s: UnsafePointer<CChar>) -> Int? {
        var n = 0
        while s[n] != 0 { n += 1 }
        return s.withMemoryRebound(to: UInt8.self, capacity: n) { integer($0, n) }
    }

    static func integer(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        guard n > 0, n < 12 else { return nil }
        var v = 0
        for k in 0..<n {
            let d = p[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}
