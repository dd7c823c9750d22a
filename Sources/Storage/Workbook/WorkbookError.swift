import TextSupport
/// Why a workbook, or one of its sheets, did not load. `sheet` and `cell` (Excel's notation,
/// `C14`) are filled in as the error travels up; `LoadError` then reads
/// `台账.xlsx: sheet 项目: C14: message`.
struct WorkbookError: Error {
    var message: String
    var sheet: String? = nil
    var cell: String? = nil

    init(_ message: String, sheet: String? = nil, cell: String? = nil) {
        self.message = message
        self.sheet = sheet
        self.cell = cell
    }

    func loadError(file: String) -> LoadError {
        var m = ""
        if let sheet { m += DataMessage.inSheet(sheet) }
        if let cell { m += "\(cell): " }
        return LoadError(file: file, message: m + message)
    }
}

/// Excel's name of a column: 0 → A, 25 → Z, 26 → AA.
func excelColumnName(_ column: Int) -> String {
    var c = column + 1
    var letters: [UInt8] = []
    while c > 0 {
        let r = (c - 1) % 26
        letters.append(UInt8(65 + r))
        c = (c - 1) / 26
    }
    return String(decoding: letters.reversed(), as: UTF8.self)
}

/// Excel's name of a cell: column 2 of row 14 (1-based) → C14.
func excelCellName(column: Int, row: Int) -> String { excelColumnName(column) + String(row) }
