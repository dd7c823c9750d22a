import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// Where a sheet reader (.xlsx or .xls) puts its cells, row by row, as the text the CSV path's
/// parsers read: the first rows are kept to find the header (`HeaderRule`); after it, each
/// row's cells go into a block of bytes with a `FieldIndex` over them, and each full block is
/// typed and converted by the same `ColumnLoader`s as a CSV file's, so a sheet of a million
/// rows is never held as cells. Blank rows are skipped; the last row, when it is a totals row
/// (`合计` in its first column), is left out with a note. Error cells (`#N/A`, `#DIV/0!`) are
/// null, counted by their text in the column's null markers.
final class SheetRows {
    /// How the load stops early.
    enum Stop {
        case failure(WorkbookError)
        /// Inferred types that later rows contradicted: load again reading these as text.
        case restart(Set<Int>)
    }

    let sheet: String
    let path: String
    let tableName: String
    let schema: [String: ColumnSpec]
    let schemaFile: DatasetSchema?
    let nullMarkers: [String]?
    let declaredHeader: Int?
    let forcedText: Set<Int>
    /// How many rows the sheet says it has (its dimension), to size the columns; 0 unknown.
    var expectedRows = 0

    static let sampleRows = 64
    static let blockRows = 65_536
    static let blockBytes = 64 << 20

    private(set) var stop: Stop?
    private(set) var notes: [String] = []

    // Before the header is known.
    private var sample: [HeaderRule.Row]? = []
    private var sampleRow = HeaderRule.Row(number: 0, cells: [])

    // After it.
    private var names: [String] = []
    private var declarations: ColumnDeclarations?
    private var index = FieldIndex(columns: 0)
    private var excelRows = GrowableBuffer<Int32>()
    private var rowNumber = 0
    private var rowByteStart = 0
    private var pendingTotals: (number: Int, cells: [[UInt8]])?
    private var errorCounts: [[String: Int]] = []
    private var loaders: [ColumnLoader] = []

    /// What each cell touches, in one struct: a class's stored properties are each checked for
    /// exclusive access at run time, and a cell is the hot path (a million-row sheet has
    /// eleven million), so `cell` makes one access where it made seven.
    private struct Hot {
        var sampling = true
        var first = 0
        var columns = 0
        var bytes = GrowableBuffer<UInt8>()
        var rowStarts = GrowableBuffer<UInt32>()
        var rowEnds = GrowableBuffer<UInt32>()
        var rowCells = 0
        var outside = 0

        /// A cell after the header; false while the sample is taken.
        @inline(__always)
        mutating func cell(_ column: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
            if sampling { return false }
            let c = column &- first
            guard c >= 0, c < columns else { outside &+= 1; return true }
            let start = bytes.count
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            rowStarts[c] = UInt32(truncatingIfNeeded: start)
            rowEnds[c] = UInt32(truncatingIfNeeded: bytes.count)
            rowCells &+= 1
            return true
        }
    }
    private var hot = Hot()
    private var first: Int { get { hot.first } set { hot.first = newValue } }
    private var columns: Int { get { hot.columns } set { hot.columns = newValue } }
    private var bytes: GrowableBuffer<UInt8> { get { hot.bytes } set { hot.bytes = newValue } }
    private var rowStarts: GrowableBuffer<UInt32> { get { hot.rowStarts } set { hot.rowStarts = newValue } }
    private var rowEnds: GrowableBuffer<UInt32> { get { hot.rowEnds } set { hot.rowEnds = newValue } }
    private var rowCells: Int { get { hot.rowCells } set { hot.rowCells = newValue } }
    private var outside: Int { get { hot.outside } set { hot.outside = newValue } }
    private var rowsLoaded = 0

    init(sheet: String, path: String, tableName: String, schema: [String: ColumnSpec], schemaFile: DatasetSchema?,
         nullMarkers: [String]?, declaredHeader: Int?, forcedText: Set<Int>) {
        self.sheet = sheet
        self.path = path
        self.tableName = tableName
        self.schema = schema
        self.schemaFile = schemaFile
        self.nullMarkers = nullMarkers
        self.declaredHeader = declaredHeader
        self.forcedText = forcedText
    }

    deinit {
        bytes.release()
        index.release()
        excelRows.release()
        rowStarts.release()
        rowEnds.release()
    }

    var stopped: Bool { stop != nil }

    /// Starts row `number` (1-based, as Excel numbers rows).
    func beginRow(_ number: Int) {
        rowNumber = number
        if sample != nil {
            sampleRow = HeaderRule.Row(number: number, cells: [])
            return
        }
        rowCells = 0
        rowByteStart = bytes.count
        (rowStarts.elements.baseAddress!).update(repeating: 0, count: columns)
        (rowEnds.elements.baseAddress!).update(repeating: 0, count: columns)
    }

    /// A cell of the current row (0-based column): its text, and whether it was text in the
    /// sheet (a header is made of text cells).
    @inline(__always)
    func cell(_ column: Int, _ p: UnsafePointer<UInt8>, _ n: Int, isText: Bool) {
        guard n > 0 else { return }
        if hot.cell(column, p, n) { return }
        sampleRow.cells.append(HeaderRule.Cell(column: column, kind: isText ? .text : .value, bytes: Array(UnsafeBufferPointer(start: p, count: n))))
    }

    /// A cell whose formula failed (`#DIV/0!`): null, counted.
    func errorCell(_ column: Int, _ text: String) {
        if sample != nil {
            sampleRow.cells.append(HeaderRule.Cell(column: column, kind: .error, bytes: Array(text.utf8)))
            return
        }
        let c = column - first
        guard c >= 0, c < columns else { outside += 1; return }
        errorCounts[c][text, default: 0] += 1
        rowCells += 1   // the row is not blank
    }

    func endRow() {
        guard stop == nil else { return }
        if var rows = sample {
            if !sampleRow.cells.isEmpty { rows.append(sampleRow) }
            sample = rows
            if rows.count >= SheetRows.sampleRows, declaredHeader.map({ rowNumber > $0 }) ?? true { decide(more: true) }
            return
        }
        guard rowCells > 0 else { return }
        // A totals row waits: it is left out if no row follows it.
        if rowEnds[0] > rowStarts[0], HeaderRule.isTotals(bytes.elements.baseAddress! + Int(rowStarts[0]), Int(rowEnds[0] - rowStarts[0])) {
            commitPendingTotals()
            var cells: [[UInt8]] = []
            for c in 0..<columns {
                cells.append(Array(UnsafeBufferPointer(start: bytes.elements.baseAddress! + Int(rowStarts[c]), count: Int(rowEnds[c] - rowStarts[c]))))
            }
            pendingTotals = (rowNumber, cells)
            bytes.truncate(to: rowByteStart)
            return
        }
        commitPendingTotals()
        commit()
    }

    private func commitPendingTotals() {
        guard let pending = pendingTotals else { return }
        pendingTotals = nil
        let saved = (rowNumber, rowCells, rowByteStart)
        let starts = Array(UnsafeBufferPointer(start: rowStarts.elements.baseAddress!, count: columns))
        let ends = Array(UnsafeBufferPointer(start: rowEnds.elements.baseAddress!, count: columns))
        rowNumber = pending.number
        rowByteStart = bytes.count
        for c in 0..<columns {
            let start = bytes.count
            pending.cells[c].withUnsafeBufferPointer { bytes.append(contentsOf: $0) }
            rowStarts[c] = UInt32(truncatingIfNeeded: start)
            rowEnds[c] = UInt32(truncatingIfNeeded: bytes.count)
        }
        commit()
        (rowNumber, rowCells, rowByteStart) = saved
        for c in 0..<columns {
            rowStarts[c] = starts[c]
            rowEnds[c] = ends[c]
        }
    }

    private func commit() {
        index.starts.append(contentsOf: UnsafeBufferPointer(rowStarts.elements))
        index.ends.append(contentsOf: UnsafeBufferPointer(rowEnds.elements))
        index.recordStarts.append(UInt32(truncatingIfNeeded: rowByteStart))
        excelRows.append(Int32(truncatingIfNeeded: rowNumber))
        if index.rows >= SheetRows.blockRows || bytes.count >= SheetRows.blockBytes { flush() }
    }

    /// Picks the header from the sample and sends the rows after it into the blocks.
    private func decide(more: Bool) {
        guard let rows = sample else { return }
        sample = nil
        hot.sampling = false
        let header: HeaderRule.Header
        do {
            header = try HeaderRule.find(rows, more: more, declared: declaredHeader)
        } catch {
            stop = .failure(error)
            return
        }
        let headerRow = rows[header.rows[0]].number
        var names: [String] = []
        for (k, raw) in header.names.enumerated() {
            let name = raw.isEmpty ? "column_\(k + 1)" : raw
            if let other = names.firstIndex(where: { $0.lowercased() == name.lowercased() }) {
                stop = .failure(WorkbookError(DataMessage.duplicateColumnName(name, excelColumnName(header.first + other)),
                                              cell: excelCellName(column: header.first + k, row: headerRow)))
                return
            }
            names.append(name)
        }
        do {
            declarations = try ColumnDeclarations(names: names, schema: schema, table: tableName, source: "\(lastPathComponent(path)) sheet \(sheet)",
                                                  path: path, schemaFile: schemaFile, nullMarkers: nullMarkers)
        } catch {
            stop = .failure(WorkbookError(error.message))
            schemaError = error
            return
        }
        self.names = names
        first = header.first
        columns = names.count
        index = FieldIndex(columns: columns)
        rowStarts.append(repeating: 0, count: columns)
        rowEnds.append(repeating: 0, count: columns)
        errorCounts = Array(repeating: [:], count: columns)
        bytes.reserve(1 << 20)
        for row in rows[(header.rows.last! + 1)...] {
            beginRow(row.number)
            for cell in row.cells {
                switch cell.kind {
                case .error: errorCell(cell.column, String(decoding: cell.bytes, as: UTF8.self))
                case .text, .value: cell.bytes.withUnsafeBufferPointer { self.cell(cell.column, $0.baseAddress!, $0.count, isText: cell.kind == .text) }
                }
            }
            endRow()
            if stop != nil { return }
        }
    }

    /// A schema.toml error met while matching the header: reported as schema.toml's, not the
    /// sheet's.
    private(set) var schemaError: LoadError?

    /// Types (first block) and converts the block's rows.
    private func flush() {
        guard stop == nil, index.rows > 0 else { return }
        let base = UnsafePointer(bytes.elements.baseAddress!)
        if loaders.isEmpty {
            let inferred = TypeInference.infer(base: base, index: index, limit: CSVLoader.inferenceRows, named: declarations!.named)
            loaders = declarations!.loaders(names: names, inferred: inferred, forcedText: forcedText)
            let rows = Swift.max(expectedRows, index.rows)
            for (c, loader) in loaders.enumerated() {
                loader.reserve(rows: rows, textBytes: index.fieldBytes(column: c) * rows / index.rows)
            }
        }
        CSVLoader.convert([BlockPart(base: base, index: index, offset: 0)], loaders: loaders)
        var restart = Set<Int>()
        for (c, loader) in loaders.enumerated() {
            if let f = loader.failure {
                stop = .failure(WorkbookError(f.message, cell: cellName(column: c, offset: f.offset)))
                return
            }
            if loader.needsText { restart.insert(c) }
        }
        if !restart.isEmpty {
            stop = .restart(restart)
            return
        }
        rowsLoaded += index.rows
        index.reset()
        excelRows.removeAll()
        bytes.removeAll()
    }

    /// The cell of column `c` in this block whose bytes hold `offset`.
    private func cellName(column c: Int, offset: Int) -> String? {
        for r in 0..<index.rows {
            let k = r * columns + c
            let s = Int(index.starts[k]), e = Int(index.ends[k])
            if s <= offset, offset < Swift.max(e, s + 1) { return excelCellName(column: first + c, row: Int(excelRows[r])) }
        }
        return nil
    }

    /// Ends the sheet: the table, or why it did not load.
    func finish() throws(WorkbookError) -> Table {
        if sample != nil { decide(more: false) }
        if let pending = pendingTotals {
            notes.append(DataMessage.totalsRowLeftOut(pending.number, HeaderRule.name(pending.cells[0])))
        }
        flush()
        if case .failure(let e)? = stop { throw e }
        if stop != nil { throw WorkbookError("restart") }
        if loaders.isEmpty { loaders = declarations!.loaders(names: names, inferred: nil, forcedText: forcedText) }
        if outside > 0 {
            notes.append((outside == 1 ? DataMessage.oneCellOutsideHeader : .cellsOutsideHeader)(outside, excelColumnName(first), excelColumnName(first + columns - 1)))
        }
        let built = loaders.map { $0.finish() }
        for (c, column) in built.enumerated() where !errorCounts[c].isEmpty {
            column.nullMarkers += errorCounts[c].sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
                .map { NullMarkerCount(marker: $0.key, count: $0.value) }
        }
        for column in built {
            _ = column.zoneMap
            _ = column.textZoneMap
        }
        let table = Table(name: tableName, columns: built)
        table.loadNotes = notes.map { "\(lastPathComponent(path)): " + DataMessage.inSheet(sheet) + $0 }
        return table
    }
}
