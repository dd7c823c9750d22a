import TextSupport
#if canImport(Glibc)
import Glibc
#endif
import CFreeXL

/// A legacy .xls workbook (BIFF8 in a compound file, Excel 97–2003) read with FreeXL, which
/// decodes the shared strings to UTF-8 and types each cell: integers and doubles, text, and
/// dates, timestamps and times by the cell's format (in either date system). Doubles carry no
/// decimal text in this format: they are written as the shortest decimal that reads back as
/// the same double (`1234.5`, not `1234.4999999999998`). FreeXL reads error cells as empty,
/// and percentages as their ratio.
final class XLSReader {
    private var handle: UnsafeRawPointer?
    let sheets: [String]

    init(path: String) throws(WorkbookError) {
        if let signal = XLSReader.signalReading(path) {
            throw WorkbookError(DataMessage.xlsReaderCrashed(String(cString: strsignal(signal))))
        }
        var h: UnsafeRawPointer? = nil
        let status = freexl_open(path, &h)
        handle = h
        guard status == FREEXL_OK, let h else {
            if h != nil { freexl_close(h) }
            handle = nil
            throw WorkbookError(XLSReader.describe(status))
        }
        var password: UInt32 = 0
        if freexl_get_info(h, UInt16(FREEXL_BIFF_PASSWORD), &password) == FREEXL_OK, password == UInt32(FREEXL_BIFF_OBFUSCATED) {
            freexl_close(h)
            handle = nil
            throw WorkbookError(DataMessage.xlsProtected())
        }
        var count: UInt32 = 0
        _ = freexl_get_info(h, UInt16(FREEXL_BIFF_SHEET_COUNT), &count)
        var names: [String] = []
        for i in 0..<Swift.min(count, 65_535) {
            var name: UnsafePointer<CChar>? = nil
            if freexl_get_worksheet_name(h, UInt16(i), &name) == FREEXL_OK, let name {
                names.append(String(cString: name))
            } else {
                names.append("Sheet\(i + 1)")
            }
        }
        sheets = names
    }

    deinit { if let handle { freexl_close(handle) } }

    /// FreeXL reads some damaged files past their ends — a crash in the library, where an error
    /// was due — so each .xls is first read whole in a child process (fork; no other program
    /// runs): the signal that ended it, or nil when it read to the end (or could not be
    /// started, and the file is read as before).
    static func signalReading(_ path: String) -> Int32? {
        let pid = fork()
        if pid < 0 { return nil }
        if pid == 0 {
            // The child dies by the signal itself: no crash report, no handlers of projq's.
            for s in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] { signal(s, SIG_DFL) }
            var h: UnsafeRawPointer? = nil
            if freexl_open(path, &h) == FREEXL_OK, let h {
                var count: UInt32 = 0
                _ = freexl_get_info(h, UInt16(FREEXL_BIFF_SHEET_COUNT), &count)
                var value = FreeXL_CellValue()
                for s in 0..<Swift.min(count, 65_535) {
                    var name: UnsafePointer<CChar>? = nil
                    _ = freexl_get_worksheet_name(h, UInt16(s), &name)
                    guard freexl_select_active_worksheet(h, UInt16(s)) == FREEXL_OK else { continue }
                    var lastRow: UInt32 = 0, lastColumn: UInt16 = 0
                    guard freexl_worksheet_dimensions(h, &lastRow, &lastColumn) == FREEXL_OK else { continue }
                    rows: for r in 0..<lastRow {
                        for c in 0..<lastColumn where freexl_get_cell_value(h, r, c, &value) != FREEXL_OK { break rows }
                    }
                }
                freexl_close(h)
            }
            _exit(0)
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal != 0 && signal != 0x7f ? signal : nil
    }

    /// Sends sheet `index`'s cells to `rows`.
    func read(sheet index: Int, into rows: SheetRows) throws(WorkbookError) {
        guard let handle else { return }
        guard freexl_select_active_worksheet(handle, UInt16(index)) == FREEXL_OK else {
            throw WorkbookError(DataMessage.cannotSelectSheet(index + 1))
        }
        var lastRow: UInt32 = 0, lastColumn: UInt16 = 0
        guard freexl_worksheet_dimensions(handle, &lastRow, &lastColumn) == FREEXL_OK else {
            throw WorkbookError(DataMessage.cannotReadSize())
        }
        rows.expectedRows = Int(lastRow)
        var scratch = GrowableBuffer<UInt8>(capacity: 64)
        defer { scratch.release() }
        var value = FreeXL_CellValue()
        // FreeXL reports rows and columns counted from 0 and its dimensions as counts.
        for r in 0..<lastRow {
            rows.beginRow(Int(r) + 1)
            for c in 0..<lastColumn {
                let status = freexl_get_cell_value(handle, r, c, &value)
                guard status == FREEXL_OK else {
                    throw WorkbookError(XLSReader.describe(status), cell: excelCellName(column: Int(c), row: Int(r) + 1))
                }
                switch Int32(value.type) {
                case FREEXL_CELL_INT:
                    scratch.removeAll()
                    let digits = Array(String(value.value.int_value).utf8)
                    digits.withUnsafeBufferPointer { rows.cell(Int(c), $0.baseAddress!, $0.count, isText: false) }
                case FREEXL_CELL_DOUBLE:
                    scratch.removeAll()
                    let text = Array(value.value.double_value.description.utf8)
                    let ok = text.withUnsafeBufferPointer { ExcelNumber.appendNumber($0.baseAddress!, $0.count, to: &scratch) }
                    if ok {
                        rows.cell(Int(c), UnsafePointer(scratch.elements.baseAddress!), scratch.count, isText: false)
                    } else {
                        text.withUnsafeBufferPointer { rows.cell(Int(c), $0.baseAddress!, $0.count, isText: false) }
                    }
                case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
                    guard let s = value.value.text_value else { continue }
                    let n = strlen(s)
                    let isText = Int32(value.type) == FREEXL_CELL_TEXT || Int32(value.type) == FREEXL_CELL_SST_TEXT
                    s.withMemoryRebound(to: UInt8.self, capacity: n) { rows.cell(Int(c), $0, n, isText: isText) }
                default:
                    continue
                }
                if rows.stopped { return }
            }
            rows.endRow()
            if rows.stopped { return }
        }
    }

    static func describe(_ status: Int32) -> String {
        switch status {
        case FREEXL_FILE_NOT_FOUND: DataMessage.xlsCannotOpen()
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE:
            DataMessage.notXLSHeader()
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
            DataMessage.notXLSNoWorkbook()
        case FREEXL_INSUFFICIENT_MEMORY: DataMessage.xlsNoMemory()
        case FREEXL_UNSUPPORTED_CHARSET, FREEXL_INVALID_CHARACTER: DataMessage.xlsCodePage()
        default: DataMessage.xlsDamaged(status)
        }
    }
}
