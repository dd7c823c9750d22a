import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// An Excel workbook opened as tables: .xlsx (and .xlsm) through libzip and expat, legacy .xls
/// through FreeXL, told apart by their first bytes rather than their names (an .xls that is an
/// .xlsx inside opens; an HTML page saved as .xls is refused by name). Each visible sheet is a
/// table, named after the sheet — or after the file when the workbook has one sheet. A sheet
/// loads whole or not at all; its errors name the workbook, the sheet and the cell.
public final class Workbook {
    public let path: String
    /// The visible sheets, in the workbook's order.
    public let sheetNames: [String]
    private let xlsx: XLSXPackage?
    private let xls: XLSReader?

    /// The extensions by which a folder's files and `projq FILE` are taken for workbooks.
    public static let extensions = ["xlsx", "xlsm", "xls"]

    public static func isWorkbookName(_ path: String) -> Bool {
        let lower = lastPathComponent(path).lowercased()
        return extensions.contains { lower.hasSuffix("." + $0) }
    }

    public init(path: String) throws(LoadError) {
        self.path = path
        let magic = Workbook.firstBytes(path, 8)
        do throws(WorkbookError) {
            if magic.starts(with: [0x50, 0x4B, 0x03, 0x04]) || magic.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
                let package = try XLSXPackage(path: path)
                xlsx = package
                xls = nil
                sheetNames = package.sheets.map(\.name)
            } else if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
                if Workbook.isEncryptedPackage(path) {
                    throw WorkbookError(DataMessage.encrypted())
                }
                let reader = try XLSReader(path: path)
                xls = reader
                xlsx = nil
                sheetNames = reader.sheets
            } else {
                throw WorkbookError(Workbook.notAWorkbook(magic))
            }
        } catch {
            throw error.loadError(file: path)
        }
        if sheetNames.isEmpty { throw LoadError(file: path, message: DataMessage.noVisibleSheets()) }
    }

    /// The table name of sheet `index` when the caller names none.
    public func tableName(ofSheet index: Int) -> String {
        sheetNames.count == 1 ? Dataset.stem(of: path) : sheetNames[index]
    }

    /// Loads sheet `index` as table `name`: typed by `declarations` (schema.toml's entry for the
    /// table), `nullMarkers` and a declared `header` row; `schemaFile` places errors about them.
    public func load(sheet index: Int, as name: String, declarations: [String: ColumnSpec]? = nil, nullMarkers: [String]? = nil,
                     header: Int? = nil, schemaFile: DatasetSchema? = nil) throws(LoadError) -> Table {
        let sheet = sheetNames[index]
        if let refusal = MemoryLimit.refusal(Workbook.fileSize(path) * 8, for: DataMessage.loadingSheet(sheet, lastPathComponent(path))) {
            throw LoadError(file: path, message: refusal)
        }
        var forcedText = Set<Int>()
        while true {
            let rows = SheetRows(sheet: sheet, path: path, tableName: name, schema: declarations ?? [:], schemaFile: schemaFile,
                                 nullMarkers: nullMarkers, declaredHeader: header, forcedText: forcedText)
            do {
                if let xlsx {
                    try XLSXSheetReader.read(xlsx.archive, part: xlsx.sheets[index].part, into: rows, strings: try xlsx.sharedStrings(),
                                             styles: xlsx.styles, date1904: xlsx.date1904)
                } else if let xls {
                    try xls.read(sheet: index, into: rows)
                }
                return try rows.finish()
            } catch {
                if let schemaError = rows.schemaError { throw schemaError }
                if case .restart(let columns)? = rows.stop {
                    forcedText.formUnion(columns)
                    continue
                }
                var e = error
                if e.sheet == nil { e.sheet = sheet }
                throw e.loadError(file: path)
            }
        }
    }

    /// The index of the sheet called `name` (case-insensitively), or an error listing them.
    public func sheetIndex(named name: String) throws(LoadError) -> Int {
        if let i = sheetNames.firstIndex(of: name) ?? sheetNames.firstIndex(where: { $0.lowercased() == name.lowercased() }) { return i }
        throw LoadError(file: path, message: DataMessage.noSheet(name, sheetNames.joined(separator: ", ")))
    }

    static func firstBytes(_ path: String, _ n: Int) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: n)
        let got = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress!, n) }
        return Array(bytes.prefix(Swift.max(got, 0)))
    }

    static func fileSize(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }

    /// An Office file encrypted with a password is a compound file holding an
    /// `EncryptedPackage` stream (named in UTF-16 in its directory).
    static func isEncryptedPackage(_ path: String) -> Bool {
        let head = firstBytes(path, 1 << 20)
        let name = Array("EncryptedPackage".utf8).flatMap { [$0, UInt8(0)] }
        guard head.count >= name.count else { return false }
        for i in 0...(head.count - name.count) where head[i] == name[0] {
            if Array(head[i..<(i + name.count)]) == name { return true }
        }
        return false
    }

    static func notAWorkbook(_ magic: [UInt8]) -> String {
        let text = String(decoding: magic, as: UTF8.self).lowercased()
        if text.hasPrefix("<") || text.hasPrefix("\u{FEFF}<") {
            return DataMessage.webPage()
        }
        if magic.isEmpty { return DataMessage.emptyWorkbook() }
        return DataMessage.notAWorkbook()
    }
}
