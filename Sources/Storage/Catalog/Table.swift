/// A named table: ordered columns of equal length, or — for a query's result — some of their
/// rows in an order (`rows`), so that a sorted or filtered result of millions of rows is shown
/// without being copied first. Readers take row i's values at `row(i)`.
public final class Table: @unchecked Sendable {
    public let name: String
    public let columns: [Column]
    public let rowCount: Int
    /// The columns' rows the table holds, in order; nil for all of them in order.
    public let rows: [Int32]?
    /// The cache entry this table was opened from instead of its CSV file (`TableCache`); nil
    /// when it was loaded, opened from a snapshot, or computed.
    public internal(set) var cacheEntry: String? = nil
    /// For a table opened from the cache: the CSV file it is a copy of.
    public internal(set) var cacheSource: String? = nil
    /// What loading left out and says so on standard error (a workbook's totals row:
    /// `台账.xlsx: sheet 项目: row 615 (合计) is a totals row: left out`).
    public internal(set) var loadNotes: [String] = []

    public init(name: String, columns: [Column], rowCount: Int? = nil) {
        let n = rowCount ?? columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == n }, "columns of table \(name) differ in length")
        self.name = name
        self.columns = columns
        self.rowCount = n
        self.rows = nil
    }

    /// The rows `rows` of `columns`, in that order.
    public init(name: String, columns: [Column], rows: [Int32]) {
        let n = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == n }, "columns of table \(name) differ in length")
        self.name = name
        self.columns = columns
        self.rowCount = rows.count
        self.rows = rows
    }

    /// The same table under another name (a snapshot's one table loaded `as NAME`).
    public func renamed(_ newName: String) -> Table {
        let t = rows.map { Table(name: newName, columns: columns, rows: $0) } ?? Table(name: newName, columns: columns, rowCount: rowCount)
        t.cacheEntry = cacheEntry
        t.cacheSource = cacheSource
        t.loadNotes = loadNotes
        return t
    }

    /// The columns' row that is row i of the table.
    @inline(__always) public func row(_ i: Int) -> Int {
        guard let rows else { return i }
        return Int(rows[i])
    }

    /// The column called `name`, compared case-insensitively (names are matched the way the
    /// query language matches them).
    public func column(named name: String) -> Column? {
        if let exact = columns.first(where: { $0.name == name }) { return exact }
        let key = name.lowercased()
        return columns.first { $0.name.lowercased() == key }
    }
}
