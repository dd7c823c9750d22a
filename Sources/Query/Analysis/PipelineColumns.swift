import Storage

/// A column a statement's clauses leave, as the shell's completion needs it.
public struct PipelineColumn: Sendable, Equatable {
    public var name: String
    /// A category's values, in its order; nil for other columns.
    public var values: [String]?
}

extension Engine {
    /// The columns a statement leaves after its last clause, found by binding it without running
    /// it; nil when it does not parse or bind, or when a clause's columns depend on the data
    /// (`across` makes a column per value it meets).
    public func columns(after statement: String, parameters: [String: String] = [:]) -> [PipelineColumn]? {
        do throws(Diagnostic) {
            let query = try Parser.parse(statement, parameters: parameters)
            var binder = ClauseBinder(catalog: catalog, source: statement)
            var schema = try binder.table(query.table, query.tableRange).columns.map(ColumnInfo.init)
            for clause in query.clauses {
                guard let output = try binder.bind(clause, input: schema).output(schema) else { return nil }
                schema = output
            }
            return schema.map { PipelineColumn(name: $0.name, values: $0.dictionary?.allValues) }
        } catch {
            return nil
        }
    }
}
