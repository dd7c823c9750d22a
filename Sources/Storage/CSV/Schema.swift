import TOMLKit
import TextSupport

/// What schema.toml declares for one column.
public struct ColumnSpec: Sendable, Equatable {
    public var type: DataType
    /// The declared order of a category, in its order; nil when unordered.
    public var order: [String]?
}

/// The declarations of schema.toml, by table and column name (matched case-insensitively).
public struct DatasetSchema: Sendable {
    public var tables: [String: [String: ColumnSpec]] = [:]
    /// Where each declaration stands in the file, for errors about it.
    var positions: [String: (line: Int, column: Int)] = [:]
    public var path: String = "schema.toml"

    public init() {}

    func key(_ table: String, _ column: String) -> String { table.lowercased() + "\u{0}" + column.lowercased() }

    public func columns(of table: String) -> [String: ColumnSpec]? {
        let k = table.lowercased()
        return tables.first { $0.key.lowercased() == k }?.value
    }

    func error(table: String, column: String?, _ message: String) -> LoadError {
        let p = positions[key(table, column ?? "")]
        return LoadError(file: path, line: p?.line, column: p?.column, message: message)
    }

    /// Parses schema.toml. The file's shape: `[TABLE.columns]` sections whose keys are column
    /// names and whose values are a type name or `{ type = ..., unit = ..., order = [...] }`.
    public static func parse(_ text: String, path: String) throws(LoadError) -> DatasetSchema {
        var schema = DatasetSchema()
        schema.path = path
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw LoadError(file: path, line: e.source.begin.line, column: e.source.begin.column,
                            message: "schema syntax error: \(e.description)")
        } catch {
            throw LoadError(file: path, message: "schema syntax error: \(error)")
        }
        let locator = KeyLocator(text: text)
        for tableName in root.keys.sorted() {
            let tablePos = locator.section(tableName)
            schema.positions[schema.key(tableName, "")] = tablePos
            guard let section = root[tableName]?.table else {
                throw LoadError(file: path, line: tablePos?.line, column: tablePos?.column,
                                message: "'\(tableName)' should be a table section like [\(tableName).columns]")
            }
            for sub in section.keys where sub != "columns" {
                throw LoadError(file: path, line: tablePos?.line, column: tablePos?.column,
                                message: "unknown key '\(sub)' in table '\(tableName)'; expected [\(tableName).columns]")
            }
            guard let columns = section["columns"]?.table else { continue }
            var specs: [String: ColumnSpec] = [:]
            for columnName in columns.keys.sorted() {
                let pos = locator.key(columnName, after: tablePos?.line ?? 0)
                schema.positions[schema.key(tableName, columnName)] = pos
                func fail(_ message: String) -> LoadError {
                    LoadError(file: path, line: pos?.line, column: pos?.column, message: message)
                }
                let value = columns[columnName]!
                var typeName: String
                var unitName: String? = nil
                var order: [String]? = nil
                if let s = value.string {
                    typeName = s
                } else if let t = value.table {
                    guard let s = t["type"]?.string else {
                        throw fail("column '\(columnName)' of '\(tableName)' needs type = \"...\" (one of \(DataType.schemaNames.joined(separator: ", ")))")
                    }
                    typeName = s
                    for k in t.keys where !["type", "unit", "order"].contains(k) {
                        throw fail("unknown key '\(k)' for column '\(columnName)'; expected type, unit or order")
                    }
                    if let u = t["unit"] {
                        guard let s = u.string else { throw fail("unit of '\(columnName)' should be text: \"元\", \"万元\" or \"亿元\"") }
                        unitName = s
                    }
                    if let o = t["order"] {
                        guard let array = o.array else { throw fail("order of '\(columnName)' should be a list of values") }
                        var values: [String] = []
                        for item in array {
                            guard let s = item.string else { throw fail("order of '\(columnName)' should list text values") }
                            if values.contains(s) { throw fail("order of '\(columnName)' lists '\(s)' twice") }
                            values.append(s)
                        }
                        order = values
                    }
                } else {
                    throw fail("column '\(columnName)' of '\(tableName)' should be a type name or { type = ... }")
                }
                typeName = typeName.lowercased()
                var unit: MoneyUnit? = nil
                if typeName == "money" {
                    guard let unitName else { throw fail("money column '\(columnName)' needs a unit: \"元\", \"万元\" or \"亿元\"") }
                    guard let u = MoneyUnit(name: unitName) else {
                        throw fail("unknown money unit '\(unitName)' for '\(columnName)'; expected 元, 万元 or 亿元")
                    }
                    unit = u
                }
                guard let type = DataType(schemaName: typeName, unit: unit, ordered: order != nil) else {
                    let suggestion = closestName(to: typeName, among: DataType.schemaNames).map { "; did you mean '\($0)'?" } ?? ""
                    throw fail("unknown type '\(typeName)' for column '\(columnName)'\(suggestion) (types: \(DataType.schemaNames.joined(separator: ", ")))")
                }
                if unitName != nil, typeName != "money" { throw fail("unit is only for money columns, and '\(columnName)' is \(typeName)") }
                if order != nil, !type.isCategory { throw fail("order is only for category columns, and '\(columnName)' is \(typeName)") }
                if let order, order.isEmpty { throw fail("order of '\(columnName)' is empty") }
                specs[columnName] = ColumnSpec(type: type, order: order)
            }
            schema.tables[tableName] = specs
        }
        return schema
    }
}

/// Finds where a section or key is written in the TOML text (TOMLKit gives no positions for
/// values), so that errors about a declaration point at its line.
struct KeyLocator {
    let lines: [Substring]

    init(text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    func section(_ table: String) -> (line: Int, column: Int)? {
        for (i, line) in lines.enumerated() {
            let t = line.trimmingLeadingSpaces
            guard t.hasPrefix("[") else { continue }
            if t.hasPrefix("[\(table).") || t.hasPrefix("[\"\(table)\".") || t.hasPrefix("['\(table)'.") || t.hasPrefix("[\(table)]") {
                return (i + 1, line.count - t.count + 1)
            }
        }
        return nil
    }

    func key(_ key: String, after line: Int) -> (line: Int, column: Int)? {
        for i in max(0, line - 1)..<lines.count {
            let l = lines[i]
            let t = l.trimmingLeadingSpaces
            for form in [key, "\"\(key)\"", "'\(key)'"] where t.hasPrefix(form) {
                let rest = t.dropFirst(form.count).trimmingLeadingSpaces
                if rest.hasPrefix("=") { return (i + 1, l.count - t.count + 1) }
            }
        }
        return nil
    }
}

extension Substring {
    var trimmingLeadingSpaces: Substring { drop { $0 == " " || $0 == "\t" } }
}
