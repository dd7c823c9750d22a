import TextSupport

/// What schema.toml declares for one column.
public struct ColumnSpec: Sendable, Equatable {
    public var type: DataType
    /// The declared order of a category, in its order; nil when unordered.
    public var order: [String]?
    /// The cells read as null in this column (`null = [...]` in its entry); nil: the table's.
    public var nullMarkers: [String]? = nil
    /// `scale = N` of a decimal, money or percent column: its digits after the point, cells
    /// with more rounded half away from zero. Nil: the most digits any cell has.
    public var scale: Int? = nil
    /// `order_from = "TABLE.COLUMN"`: the order is that column's values in file order (the
    /// office's own order of its units), filled into `order` when the table is loaded.
    public var orderFrom: OrderSource? = nil

    /// Where a category's order comes from, and where schema.toml says so (for errors).
    public struct OrderSource: Sendable, Equatable {
        public var table: String
        public var column: String
        public var position: TextPosition
    }

    public init(type: DataType, order: [String]?, nullMarkers: [String]? = nil, scale: Int? = nil) {
        self.type = type
        self.order = order
        self.nullMarkers = nullMarkers
        self.scale = scale
    }
}

/// The declarations of schema.toml, by table and column name (matched case-insensitively).
public struct DatasetSchema: Sendable {
    public var tables: [String: [String: ColumnSpec]] = [:]
    /// `null = [...]` at the top of the file: markers for every table.
    public var nullMarkers: [String]? = nil
    /// `null = [...]` in a table's section, by table name.
    public var tableNullMarkers: [String: [String]] = [:]
    /// `header = N` in a table's section: a workbook sheet's header is row N (1-based, as
    /// Excel numbers rows), not the row the header rule finds.
    public var headerRows: [String: Int] = [:]
    /// Where each declaration stands in the file, for errors about it.
    var positions: [String: (line: Int, column: Int)] = [:]
    public var path: String = "schema.toml"

    public init() {}

    func key(_ table: String, _ column: String) -> String { table.lowercased() + "\u{0}" + column.lowercased() }

    public func columns(of table: String) -> [String: ColumnSpec]? {
        let k = table.lowercased()
        return tables.first { $0.key.lowercased() == k }?.value
    }

    /// The markers of a table's columns that name none of their own: the table's, else the file's.
    public func nullMarkers(of table: String) -> [String]? {
        let k = table.lowercased()
        return tableNullMarkers.first { $0.key.lowercased() == k }?.value ?? nullMarkers
    }

    /// The header row schema.toml names for a workbook sheet's table, if any.
    public func headerRow(of table: String) -> Int? {
        let k = table.lowercased()
        return headerRows.first { $0.key.lowercased() == k }?.value
    }

    func error(table: String, column: String?, _ message: String) -> LoadError {
        let p = positions[key(table, column ?? "")]
        return LoadError(file: path, line: p?.line, column: p?.column, message: message)
    }

    /// Parses schema.toml. The file's shape: `[TABLE.columns]` sections whose keys are column
    /// names and whose values are a type name or `{ type = ..., unit = ..., order = [...],
    /// null = [...] }`; `null = [...]` may also stand at the top (every table) and in `[TABLE]`.
    /// Errors point at the declaration they are about: a column's key, or the value of one of
    /// its fields.
    public static func parse(_ text: String, path: String) throws(LoadError) -> DatasetSchema {
        var schema = DatasetSchema()
        schema.path = path
        let root: TOMLTable
        do {
            root = try TOMLReader.read(text)
        } catch {
            throw LoadError(file: path, line: error.position.line, column: error.position.column,
                            message: SchemaMessage.syntaxError(error.message))
        }
        func fail(_ at: TextPosition, _ message: String) -> LoadError {
            LoadError(file: path, line: at.line, column: at.column, message: message)
        }
        for tableEntry in root.entries {
            let tableName = tableEntry.key
            if tableName == "null", tableEntry.value.table == nil {
                schema.nullMarkers = try nullMarkers(tableEntry, whose: SchemaMessage.theSchema(), fail: fail)
                continue
            }
            schema.positions[schema.key(tableName, "")] = (tableEntry.position.line, tableEntry.position.column)
            guard let section = tableEntry.value.table else {
                throw fail(tableEntry.position, SchemaMessage.shouldBeSection(tableName))
            }
            for sub in section.entries where sub.key != "columns" && sub.key != "null" && sub.key != "header" {
                throw fail(sub.position, SchemaMessage.unknownTableKey(sub.key, tableName))
            }
            if let h = section.entry("header") {
                guard let n = h.value.integer, n >= 1 else {
                    throw fail(h.value.position, SchemaMessage.headerNumber(tableName))
                }
                schema.headerRows[tableName] = n
            }
            if let n = section.entry("null") { schema.tableNullMarkers[tableName] = try nullMarkers(n, whose: SchemaMessage.ofTable(tableName), fail: fail) }
            guard let columnsEntry = section.entry("columns") else { continue }
            guard let columns = columnsEntry.value.table else {
                throw fail(columnsEntry.position, SchemaMessage.columnsSection(tableName))
            }
            var specs: [String: ColumnSpec] = [:]
            for column in columns.entries {
                let columnName = column.key
                let pos = column.position
                schema.positions[schema.key(tableName, columnName)] = (pos.line, pos.column)
                let spec = try columnSpec(column, table: tableName, fail: fail)
                specs[columnName] = spec
            }
            schema.tables[tableName] = specs
        }
        return schema
    }

    /// One column's declaration: `name = "type"` or `name = { type = ..., unit = ..., order = [...] }`.
    /// A `null = [...]` list of markers, at any of its three levels (`whose` names the level).
    private static func nullMarkers(_ entry: TOMLTable.Entry, whose: String,
                                    fail: (TextPosition, String) -> LoadError) throws(LoadError) -> [String] {
        guard let array = entry.value.array else {
            throw fail(entry.value.position, SchemaMessage.nullList(whose))
        }
        var values: [String] = []
        for item in array {
            guard let s = item.string, !s.isEmpty else { throw fail(item.position, SchemaMessage.nullNonEmpty(whose)) }
            values.append(s)
        }
        return values
    }

    private static func columnSpec(_ column: TOMLTable.Entry, table tableName: String,
                                   fail: (TextPosition, String) -> LoadError) throws(LoadError) -> ColumnSpec {
        let columnName = column.key
        let pos = column.position
        var typeName: String
        var unit: (name: String, entry: TOMLTable.Entry)? = nil
        var order: (values: [String], position: TextPosition)? = nil
        var orderFrom: (table: String, column: String, position: TextPosition)? = nil
        var nullMarkers: [String]? = nil
        var scale: (digits: Int, position: TextPosition)? = nil
        if let s = column.value.string {
            typeName = s
        } else if let t = column.value.table {
            guard let s = t["type"]?.string else {
                throw fail(pos, SchemaMessage.needsType(columnName, tableName, DataType.schemaNames.joined(separator: ", ")))
            }
            typeName = s
            for field in t.entries where !["type", "unit", "order", "order_from", "null", "scale"].contains(field.key) {
                throw fail(field.position, SchemaMessage.unknownColumnKey(field.key, columnName))
            }
            if let o = t.entry("order_from") {
                guard let text = o.value.string, let dot = text.firstIndex(of: "."), dot != text.startIndex, text.index(after: dot) != text.endIndex else {
                    throw fail(o.value.position, SchemaMessage.orderFromForm(columnName))
                }
                orderFrom = (String(text[..<dot]), String(text[text.index(after: dot)...]), o.value.position)
                if t.entry("order") != nil { throw fail(o.position, SchemaMessage.bothOrders(columnName)) }
            }
            if let e = t.entry("scale") {
                guard let n = e.value.integer, (0...FixedDecimal.maxScale).contains(n) else {
                    throw fail(e.value.position, SchemaMessage.scaleNumber(columnName, FixedDecimal.maxScale))
                }
                scale = (n, e.position)
            }
            if let n = t.entry("null") { nullMarkers = try self.nullMarkers(n, whose: SchemaMessage.ofColumn(columnName), fail: fail) }
            if let u = t.entry("unit") {
                guard let s = u.value.string else { throw fail(u.value.position, SchemaMessage.unitText(columnName)) }
                unit = (s, u)
            }
            if let o = t.entry("order") {
                guard let array = o.value.array else { throw fail(o.value.position, SchemaMessage.orderList(columnName)) }
                var values: [String] = []
                for item in array {
                    guard let s = item.string else { throw fail(item.position, SchemaMessage.orderText(columnName)) }
                    if values.contains(s) { throw fail(item.position, SchemaMessage.orderTwice(columnName, s)) }
                    values.append(s)
                }
                order = (values, o.position)
            }
        } else {
            throw fail(pos, SchemaMessage.typeOrTable(columnName, tableName))
        }
        typeName = typeName.lowercased()
        var moneyUnit: MoneyUnit? = nil
        if typeName == "money" {
            guard let unit else { throw fail(pos, SchemaMessage.moneyNeedsUnit(columnName)) }
            guard let u = MoneyUnit(name: unit.name) else {
                throw fail(unit.entry.value.position, SchemaMessage.unknownMoneyUnit(unit.name, columnName))
            }
            moneyUnit = u
        }
        guard let type = DataType(schemaName: typeName, unit: moneyUnit, ordered: order != nil || orderFrom != nil) else {
            let suggestion = closestName(to: typeName, among: DataType.schemaNames).map { SchemaMessage.didYouMean($0) } ?? ""
            throw fail(pos, SchemaMessage.unknownType(typeName, columnName, suggestion, DataType.schemaNames.joined(separator: ", ")))
        }
        if let unit, typeName != "money" { throw fail(unit.entry.position, SchemaMessage.unitOnlyMoney(columnName, typeName)) }
        if let order, !type.isCategory { throw fail(order.position, SchemaMessage.orderOnlyCategory(columnName, typeName)) }
        if let order, order.values.isEmpty { throw fail(order.position, SchemaMessage.orderEmpty(columnName)) }
        if let orderFrom, !type.isCategory { throw fail(orderFrom.position, SchemaMessage.orderFromOnlyCategory(columnName, typeName)) }
        if let scale, !type.isExact || type == .int {
            throw fail(scale.position, SchemaMessage.scaleOnly(columnName, typeName))
        }
        var spec = ColumnSpec(type: scale.map { type.withScale($0.digits) } ?? type, order: order?.values, nullMarkers: nullMarkers, scale: scale?.digits)
        if let orderFrom { spec.orderFrom = ColumnSpec.OrderSource(table: orderFrom.table, column: orderFrom.column, position: orderFrom.position) }
        return spec
    }

    /// The declarations of `table` with each `order_from` filled in from `lookup`'s tables: the
    /// column's distinct values in file order. Errors name schema.toml's line and column.
    public func resolvingOrders(_ columns: [String: ColumnSpec]?, lookup: (String) -> Table?) throws(LoadError) -> [String: ColumnSpec]? {
        guard var columns else { return nil }
        for (name, spec) in columns {
            guard let from = spec.orderFrom else { continue }
            func fail(_ message: String) -> LoadError { LoadError(file: path, line: from.position.line, column: from.position.column, message: message) }
            guard let table = lookup(from.table) else {
                throw fail(SchemaMessage.orderFromNotLoaded(name, from.table))
            }
            guard let column = table.column(named: from.column) else {
                throw fail(SchemaMessage.orderFromNoColumn(name, table.name, from.column, table.columns.map(\.name).joined(separator: ", ")))
            }
            var seen = Set<String>(), values: [String] = []
            for r in 0..<table.rowCount {
                guard case .text(let v) = column.value(at: table.row(r)), seen.insert(v).inserted else { continue }
                values.append(v)
            }
            guard !values.isEmpty else { throw fail(SchemaMessage.orderFromNoValues(name, "\(table.name).\(column.name)")) }
            var resolved = spec
            resolved.order = values
            columns[name] = resolved
        }
        return columns
    }

    /// The tables whose declarations take an order from another table.
    func ordersFrom(_ table: String) -> Set<String> {
        Set((columns(of: table) ?? [:]).values.compactMap { $0.orderFrom?.table.lowercased() })
    }
}
