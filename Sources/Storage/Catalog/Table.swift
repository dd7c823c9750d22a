/// A named table: ordered columns of equal length.
public final class Table: @unchecked Sendable {
    public let name: String
    public let columns: [Column]
    public let rowCount: Int
    /// The cache entry this table was opened from instead of its CSV file (`TableCache`); nil
    /// when it was loaded, opened from a snapshot, or computed.
    public internal(set) var cacheEntry: String? = nil

    public init(name: String, columns: [Column], rowCount: Int? = nil) {
        let n = rowCount ?? columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == n }, "columns of table \(name) differ in length")
        self.name = name
        self.columns = columns
        self.rowCount = n
    }

    /// The column called `name`, compared case-insensitively (names are matched the way the
    /// query language matches them).
    public func column(named name: String) -> Column? {
        if let exact = columns.first(where: { $0.name == name }) { return exact }
        let key = name.lowercased()
        return columns.first { $0.name.lowercased() == key }
    }
}
