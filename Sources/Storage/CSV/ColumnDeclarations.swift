import TextSupport

/// What schema.toml declares for a table's columns, matched to the columns a file has: each
/// column's spec and its own null markers. Shared by the CSV loader and the workbook loader,
/// which both make their `ColumnLoader`s from it.
struct ColumnDeclarations {
    /// The declaration of each column, or nil.
    let specs: [ColumnSpec?]
    /// Each column's markers from the schema (its own, else the table's), or nil for the
    /// built-in ones where the column is not text.
    let named: [NullMarkers?]

    /// Matches `schema` (the table's declarations) to `names`; a declared column the source
    /// lacks is an error, at the declaration when schema.toml is known. `source` names what
    /// lacks it in the message (`projects.csv`, `台账.xlsx sheet 项目`); `path` is the file.
    init(names: [String], schema: [String: ColumnSpec], table: String, source: String, path: String,
         schemaFile: DatasetSchema?, nullMarkers: [String]?) throws(LoadError) {
        var specs: [ColumnSpec?] = Array(repeating: nil, count: names.count)
        for (declaredName, spec) in schema.sorted(by: { $0.key < $1.key }) {
            guard let c = names.firstIndex(where: { $0.lowercased() == declaredName.lowercased() }) else {
                let hint = closestName(to: declaredName, among: names).map { SchemaMessage.didYouMean($0) } ?? ""
                let message = SchemaMessage.declaresMissingColumn(declaredName, table, source, hint, names.joined(separator: ", "))
                throw schemaFile?.error(table: table, column: declaredName, message) ?? LoadError(file: path, message: message)
            }
            specs[c] = spec
        }
        self.specs = specs
        named = specs.map { spec in (spec?.nullMarkers ?? nullMarkers).map(NullMarkers.init) }
    }

    /// Column `c`'s markers: its own, the table's, else (nil) the built-in ones where the
    /// column is not text.
    func markers(_ c: Int, forcedText: Set<Int>, inferred: (type: DataType, markers: NullMarkers)?) -> NullMarkers {
        if let n = named[c] { return n }
        if let spec = specs[c] { return spec.type.isTextual ? .none : NullMarkers(NullMarkers.builtIn) }
        return forcedText.contains(c) ? .none : inferred?.markers ?? .none
    }

    /// The loaders of the columns: typed by the declarations, else by `inferred` (nil: no rows,
    /// so text), columns in `forcedText` read as text.
    func loaders(names: [String], inferred: [(type: DataType, markers: NullMarkers)]?, forcedText: Set<Int>) -> [ColumnLoader] {
        names.indices.map { c in
            ColumnLoader(name: names[c], declared: specs[c],
                         inferred: forcedText.contains(c) ? .text : inferred?[c].type ?? .text,
                         markers: markers(c, forcedText: forcedText, inferred: inferred?[c]))
        }
    }
}
