import TextSupport
/// Workbooks as datasets: `projq LEDGER.xlsx`, `.load LEDGER.xlsx [sheet NAME] [as TABLE]`,
/// and workbooks in a dataset folder beside its CSV files. Workbooks are not cached: the cache
/// keeps copies of CSV tables only, and a workbook is read again each time it is opened.
extension Dataset {
    /// True when `path` should be read as a workbook: by its name, or by the zip or compound
    /// file signature of its first bytes.
    public static func isWorkbook(_ path: String) -> Bool {
        if Workbook.isWorkbookName(path) { return true }
        let magic = Workbook.firstBytes(path, 4)
        return magic == [0x50, 0x4B, 0x03, 0x04] || magic == [0xD0, 0xCF, 0x11, 0xE0]
    }

    /// One workbook as a catalog: each visible sheet a table, typed by the schema.toml beside it.
    static func openWorkbook(_ path: String, source: String? = nil) throws(LoadError) -> Catalog {
        let folder = folderOf(path)
        let schema = try readSchema(in: folder)
        let tables = try loadWorkbook(path, schema: schema) { _ in nil }
        let catalog = Catalog(source: source ?? path)
        for table in tables { catalog.add(table) }
        catalog.addSource(source ?? path)
        if let schema { catalog.addSource(schema.path) }
        return catalog
    }

    /// The sheets of the workbook at `path` (or the one called `sheet`) as tables: named
    /// `tableName` (one sheet only), else after the sheet — or the file, for a workbook of one
    /// sheet — and typed by `schema`'s entries for those names. `table` finds an already
    /// loaded table by name, for categories ordered from another table's column.
    static func loadWorkbook(_ path: String, sheet: String? = nil, as tableName: String? = nil, schema: DatasetSchema?,
                             table: (String) -> Table?) throws(LoadError) -> [Table] {
        let workbook = try Workbook(path: path)
        let indices = try sheet.map { (s) throws(LoadError) in [try workbook.sheetIndex(named: s)] } ?? Array(workbook.sheetNames.indices)
        if tableName != nil, indices.count > 1 {
            throw LoadError(file: path, message: DataMessage.manySheets(indices.count, workbook.sheetNames.joined(separator: ", "), path))
        }
        let names = indices.map { i in tableName ?? (sheet != nil ? workbook.sheetNames[i] : workbook.tableName(ofSheet: i)) }
        // A sheet whose categories take their order from another sheet's column loads after it.
        var loaded: [String: Table] = [:]
        var pending = Array(names.indices)
        while !pending.isEmpty {
            let ready = pending.filter { k in
                (schema?.ordersFrom(names[k]) ?? []).allSatisfy { dep in
                    loaded[dep] != nil || dep == names[k].lowercased() || !names.contains { $0.lowercased() == dep }
                }
            }
            for k in ready.isEmpty ? [pending[0]] : ready {
                loaded[names[k].lowercased()] = try loadSheet(workbook, indices[k], as: names[k], schema: schema) { t in loaded[t.lowercased()] ?? table(t) }
                pending.removeAll { $0 == k }
            }
        }
        return names.map { loaded[$0.lowercased()]! }
    }

    static func loadSheet(_ workbook: Workbook, _ index: Int, as name: String, schema: DatasetSchema?,
                          table: (String) -> Table?) throws(LoadError) -> Table {
        let declarations = try schema?.resolvingOrders(schema?.columns(of: name), lookup: table)
        return try workbook.load(sheet: index, as: name, declarations: declarations, nullMarkers: schema?.nullMarkers(of: name),
                                 header: schema?.headerRow(of: name), schemaFile: schema)
    }

    /// `.load` of a workbook: its schema is the one named (`schemaFile`), else the schema.toml
    /// beside it when that declares the table, else the open dataset's.
    static func loadWorkbookTables(_ path: String, sheet: String?, as tableName: String?, schemaOf catalog: Catalog?,
                                   schemaFile: String?) throws(LoadError) -> [Table] {
        var schema: DatasetSchema? = nil
        if let schemaFile {
            guard let bytes = readWholeFile(schemaFile) else { throw LoadError(file: schemaFile, message: StorageMessage.cannotReadIt()) }
            schema = try DatasetSchema.parse(String(decoding: bytes, as: UTF8.self), path: schemaFile)
        } else {
            let beside = try readSchema(in: folderOf(path))
            let candidates = [tableName, sheet, stem(of: path)].compactMap { $0 }
            if let beside, candidates.contains(where: { beside.columns(of: $0) != nil || beside.headerRow(of: $0) != nil }) {
                schema = beside
            } else if let source = catalog?.source, directoryEntries(source) != nil, let own = try readSchema(in: source) {
                schema = own
            } else {
                schema = beside
            }
        }
        return try loadWorkbook(path, sheet: sheet, as: tableName, schema: schema) { t in catalog?.table(named: t) }
    }

    static func folderOf(_ path: String) -> String {
        path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
    }
}
