#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// Opens what a user names on the command line or with `.open`: a dataset folder (each
/// `*.csv` or `*.tsv` a table, each sheet of a `*.xlsx` or `*.xls` workbook a table, plus an
/// optional schema.toml), one CSV file, one workbook, or a snapshot (known by its
/// magic bytes, whatever its name). All or nothing: a dataset that fails to load yields an
/// error and no catalog. With a `cache`, each CSV file opens from its cache entry when the file
/// is unchanged, and is cached when it is loaded.
public enum Dataset {
    public static func open(path: String, cache: TableCache? = nil) throws(LoadError) -> Catalog {
        if StreamCopy.isStream(path) {
            // Read once; a snapshot or a CSV file from the copy (no cache: a stream has no stamp).
            let copy = try StreamCopy(reading: path)
            return try copy.use(as: path) { (p) throws(LoadError) -> Catalog in
                if SnapshotReader.isSnapshot(path: p) {
                    let snapshot = try SnapshotReader.open(path: p)
                    let catalog = Catalog(tables: snapshot.tables, source: path)
                    catalog.addSource(path)
                    return catalog
                }
                if isWorkbook(p) { return try openWorkbook(p, source: path) }
                let catalog = Catalog(source: path)
                catalog.add(try CSVLoader.load(path: p, name: streamTableName(path)))
                catalog.addSource(path)
                return catalog
            }
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw LoadError(file: path, message: StorageMessage.noSuchFile())
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return try openFolder(path, cache: cache) }
        if SnapshotReader.isSnapshot(path: path) { return try SnapshotReader.open(path: path) }
        if isWorkbook(path) { return try openWorkbook(path) }
        let catalog = Catalog(source: path)
        catalog.add(try loadCSV(path, cache: cache))
        catalog.addSource(path)
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if exists(folder + "/schema.toml") { catalog.addSource(folder + "/schema.toml") }
        return catalog
    }

    /// What `.load` adds: a snapshot's tables (its one table named `tableName`, when given; a
    /// snapshot of several keeps their names and refuses a name), a workbook's sheets (or the
    /// one called `sheet`), or one CSV file (`loadCSV`).
    public static func loadTables(_ path: String, sheet: String? = nil, as tableName: String? = nil, schemaOf catalog: Catalog? = nil,
                                  schemaFile: String? = nil, cache: TableCache? = nil) throws(LoadError) -> [Table] {
        if !StreamCopy.isStream(path), exists(path), !SnapshotReader.isSnapshot(path: path), isWorkbook(path) {
            return try loadWorkbookTables(path, sheet: sheet, as: tableName, schemaOf: catalog, schemaFile: schemaFile)
        }
        if sheet != nil { throw LoadError(file: path, message: DataMessage.sheetNotWorkbook()) }
        if !StreamCopy.isStream(path), exists(path), SnapshotReader.isSnapshot(path: path) {
            let tables = try SnapshotReader.open(path: path).tables
            guard let tableName else { return tables }
            guard tables.count == 1 else {
                throw LoadError(file: path, message: StorageMessage.snapshotKeepsNames(tables.count, path))
            }
            return [tables[0].renamed(tableName)]
        }
        return [try loadCSV(path, as: tableName, schemaOf: catalog, schemaFile: schemaFile, cache: cache)]
    }

    /// Loads one CSV file as a table named after its stem, or `tableName`. Its declarations: the
    /// entry of a schema.toml beside it for the name it is loaded as, else for its stem; without
    /// one there, the entry of the open dataset's schema.toml (`schemaOf`'s folder) for that name,
    /// else for its stem — so last month's 项目.csv loaded `as 上月` reads stages and money as 项目
    /// does.
    /// `schemaFile`: a schema.toml named instead (`.load FILE as NAME schema TOML`), whose entry
    /// for NAME, else for the file's name, must exist.
    public static func loadCSV(_ path: String, as tableName: String? = nil, schemaOf catalog: Catalog? = nil,
                               schemaFile: String? = nil, cache: TableCache? = nil) throws(LoadError) -> Table {
        if StreamCopy.isStream(path) {
            let name = tableName ?? streamTableName(path)
            let copy = try StreamCopy(reading: path)
            return try copy.use(as: path) { (p) throws(LoadError) -> Table in try CSVLoader.load(path: p, name: name) }
        }
        let name = tableName ?? stem(of: path)
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        if let schemaFile {
            guard let bytes = readWholeFile(schemaFile) else { throw LoadError(file: schemaFile, message: StorageMessage.cannotReadIt()) }
            let named = try DatasetSchema.parse(String(decoding: bytes, as: UTF8.self), path: schemaFile)
            guard let key = [name, stem(of: path)].first(where: { named.columns(of: $0) != nil }) else {
                throw LoadError(file: schemaFile, message: SchemaMessage.declaresNoTable(name, name == stem(of: path) ? "" : SchemaMessage.orStem(stem(of: path)), named.tables.keys.sorted().joined(separator: ", ")))
            }
            let declarations = try named.resolvingOrders(named.columns(of: key)) { t in catalog?.table(named: t) }
            return try load(path, name: name, declarations: declarations, nullMarkers: named.nullMarkers(of: key), schema: named, cache: cache)
        }
        var schema = try readSchema(in: folder)
        var entry = schema.flatMap { s in s.columns(of: name).map { _ in name } ?? s.columns(of: stem(of: path)).map { _ in stem(of: path) } }
        if entry == nil, let source = catalog?.source, directoryEntries(source) != nil, let own = try readSchema(in: source),
           let found = [name, stem(of: path)].first(where: { own.columns(of: $0) != nil }) {
            schema = own
            entry = found
        }
        let key = entry ?? stem(of: path)
        let declarations = try schema?.resolvingOrders(schema?.columns(of: key)) { t in catalog?.table(named: t) }
        return try load(path, name: name, declarations: declarations,
                        nullMarkers: schema?.nullMarkers(of: key), schema: schema, cache: cache)
    }

    /// Where every CSV table is loaded: through the cache when there is one.
    static func load(_ path: String, name: String, declarations: [String: ColumnSpec]?, nullMarkers: [String]?,
                     schema: DatasetSchema?, cache: TableCache?) throws(LoadError) -> Table {
        guard let cache else {
            return try CSVLoader.load(path: path, name: name, schema: declarations, schemaFile: schema, nullMarkers: nullMarkers)
        }
        return try cache.table(csv: path, name: name, declarations: declarations, nullMarkers: nullMarkers) { digest throws(LoadError) in
            try CSVLoader.load(path: path, name: name, schema: declarations, schemaFile: schema, nullMarkers: nullMarkers, digest: digest)
        }
    }

    /// A table a folder's file makes: a CSV file, or one sheet of a workbook.
    struct FolderTable {
        var name: String
        var file: String
        var sheet: Int?
    }

    static func openFolder(_ folder: String, cache: TableCache? = nil) throws(LoadError) -> Catalog {
        let files = try listTableFiles(folder)
        let schema = try readSchema(in: folder)
        func pathOf(_ file: String) -> String { folder.hasSuffix("/") ? folder + file : folder + "/" + file }
        // Each workbook is opened once: its sheets are its tables.
        var workbooks: [String: Workbook] = [:]
        var sources: [FolderTable] = []
        for file in files {
            if Workbook.isWorkbookName(file) {
                let workbook = try Workbook(path: pathOf(file))
                workbooks[file] = workbook
                for i in workbook.sheetNames.indices { sources.append(FolderTable(name: workbook.tableName(ofSheet: i), file: file, sheet: i)) }
            } else {
                sources.append(FolderTable(name: stem(of: file), file: file, sheet: nil))
            }
        }
        if let schema {
            for declared in schema.tables.keys.sorted() where !sources.contains(where: { $0.name.lowercased() == declared.lowercased() }) {
                let hint = closestName(to: declared, among: sources.map(\.name)).map { SchemaMessage.didYouMean($0) } ?? ""
                throw schema.error(table: declared, column: nil, SchemaMessage.declaresMissingTable(declared, folder, hint))
            }
        }
        if files.isEmpty { throw LoadError(file: folder, message: StorageMessage.noCSVFiles()) }
        for (k, source) in sources.enumerated() {
            if let other = sources[..<k].first(where: { $0.name.lowercased() == source.name.lowercased() }) {
                let what = { (t: FolderTable) in t.sheet == nil ? t.file : "\(t.file) sheet \(workbooks[t.file]!.sheetNames[t.sheet!])" }
                throw LoadError(file: folder, message: StorageMessage.sameTableName(what(other), what(source), source.name))
            }
        }
        // Tables whose categories take their order from another table load after it; the
        // catalog keeps the files' order.
        var loaded: [String: Table] = [:]
        var pending = sources.indices.map { $0 }
        while !pending.isEmpty {
            let ready = pending.filter { k in
                let name = sources[k].name.lowercased()
                return (schema?.ordersFrom(sources[k].name) ?? []).allSatisfy { dep in
                    loaded.keys.contains(dep) || !sources.contains { $0.name.lowercased() == dep } || dep == name
                }
            }
            // A cycle: load them anyway, and the missing order is reported as not loaded.
            let batch = ready.isEmpty ? [pending[0]] : ready
            for k in batch {
                let source = sources[k]
                let name = source.name
                if let sheet = source.sheet {
                    loaded[name.lowercased()] = try loadSheet(workbooks[source.file]!, sheet, as: name, schema: schema) { t in loaded[t.lowercased()] }
                    continue
                }
                let declarations = try schema?.resolvingOrders(schema?.columns(of: name)) { t in loaded[t.lowercased()] }
                loaded[name.lowercased()] = try load(pathOf(source.file), name: name, declarations: declarations, nullMarkers: schema?.nullMarkers(of: name),
                                                     schema: schema, cache: cache)
            }
            pending.removeAll { batch.contains($0) }
        }
        let catalog = Catalog(source: folder)
        for source in sources { catalog.add(loaded[source.name.lowercased()]!) }
        for file in files { catalog.addSource(pathOf(file)) }
        if let schema { catalog.addSource(schema.path) }
        return catalog
    }

    static func readSchema(in folder: String) throws(LoadError) -> DatasetSchema? {
        let path = folder.hasSuffix("/") ? folder + "schema.toml" : folder + "/schema.toml"
        guard let bytes = readWholeFile(path) else { return nil }
        guard firstInvalidUTF8(bytes, bytes.count) == nil || bytes.isEmpty else {
            throw LoadError(file: path, message: StorageMessage.schemaNotUTF8())
        }
        return try DatasetSchema.parse(String(decoding: bytes, as: UTF8.self), path: path)
    }

    static func listTableFiles(_ folder: String) throws(LoadError) -> [String] {
        guard let entries = directoryEntries(folder) else {
            throw LoadError(file: folder, message: StorageMessage.cannotList(String(cString: strerror(errno))))
        }
        // Excel's lock file beside an open workbook (~$台账.xlsx) is no workbook.
        let names = entries.filter { ($0.lowercased().hasSuffix(".csv") || $0.lowercased().hasSuffix(".tsv") || Workbook.isWorkbookName($0))
            && !$0.hasPrefix(".") && !$0.hasPrefix("~$") }
        // Code point order, so the table order does not depend on the file system.
        return names.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
    }

    /// The file name without its folder and extension: `examples/county/项目.csv` → `项目`.
    /// A stream's table: named after it (a named pipe `ledger` gives `ledger`), or `data` where
    /// that is a number (`<(…)` is `/dev/fd/63`), which a query could not name.
    static func streamTableName(_ path: String) -> String {
        let name = stem(of: path)
        return name.first.map { $0.isNumber } ?? true ? "data" : name
    }

    public static func stem(of path: String) -> String {
        let file = lastPathComponent(path)
        if let dot = file.lastIndex(of: "."), dot != file.startIndex { return String(file[..<dot]) }
        return file
    }
}

extension Dataset {
    /// True when something exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }
}
