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

    /// Other datasets opened beside this one (`.attach PATH as NAME`): their tables are
    /// `NAME.TABLE`, each keeping the schema it was loaded with.
    public private(set) var attached: [(name: String, catalog: Catalog)] = []

    /// The table called `name`, case-insensitively; `NAME.TABLE` is a table of an attached
    /// dataset.
    public func table(named name: String) -> Table? {
        if let exact = tables.first(where: { $0.name == name }) { return exact }
        let key = name.lowercased()
        if let table = tables.first(where: { $0.name.lowercased() == key }) { return table }
        guard let dot = name.firstIndex(of: ".") else { return nil }
        let prefix = name[..<dot].lowercased()
        return attached.first { $0.name.lowercased() == prefix }?.catalog.table(named: String(name[name.index(after: dot)...]))
    }

    /// Every table name a query may use: the own tables, then `NAME.TABLE` of the attached.
    public var tableNames: [String] {
        tables.map(\.name) + attached.flatMap { a in a.catalog.tables.map { "\(a.name).\($0.name)" } }
    }

    /// Attaches `catalog` as `name`, replacing one of that name; its files count as sources
    /// (a command writing a file refuses to write over them).
    public func attach(_ catalog: Catalog, as name: String) {
        attached.removeAll { $0.name.lowercased() == name.lowercased() }
        attached.append((name, catalog))
        for file in catalog.sourceFiles { addSource(file) }
    }

    /// Removes the attached dataset `name`; false when there is none.
    public func detach(_ name: String) -> Bool {
        let before = attached.count
        attached.removeAll { $0.name.lowercased() == name.lowercased() }
        return attached.count < before
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
