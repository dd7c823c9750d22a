/// The tables of one dataset, in the order they were loaded.
public final class Catalog: @unchecked Sendable {
    public private(set) var tables: [Table]
    /// Where the catalog came from (a folder, a CSV file or a snapshot), for banners and errors.
    public let source: String?
    /// The files the tables were read from (CSV files, schema.toml, a snapshot), so that a
    /// command writing a file can refuse to write over one of them.
    public private(set) var sourceFiles: [String] = []

    public init(tables: [Table] = [], source: String? = nil) {
        self.tables = tables
        self.source = source
    }

    /// The table called `name`, case-insensitively.
    public func table(named name: String) -> Table? {
        if let exact = tables.first(where: { $0.name == name }) { return exact }
        let key = name.lowercased()
        return tables.first { $0.name.lowercased() == key }
    }

    /// Records a file the tables were read from.
    public func addSource(_ path: String) {
        if !sourceFiles.contains(path) { sourceFiles.append(path) }
    }

    /// Adds `table`, replacing one of the same name.
    public func add(_ table: Table) {
        let key = table.name.lowercased()
        if let i = tables.firstIndex(where: { $0.name.lowercased() == key }) {
            tables[i] = table
        } else {
            tables.append(table)
        }
    }
}
