import Storage
import TextSupport

/// What the user sees after opening data: each table with its row count and its columns with
/// their types, null counts and (for categories) their distinct values.
public enum CatalogListing {
    public static func render(_ catalog: Catalog) -> String {
        var out = ""
        for (i, table) in catalog.tables.enumerated() {
            if i > 0 { out += "\n" }
            out += describe(table)
        }
        return out
    }

    public static func describe(_ table: Table) -> String {
        var out = "\(table.name): " + ShellMessage.rowsAndColumns(ShellMessage.count(table.rowCount, one: .oneRow, other: .rows), table.columns.count) + "\n"
        let nameWidth = table.columns.map { DisplayWidth.of($0.name) }.max() ?? 0
        let types = table.columns.map { typeLabel($0) }
        let typeWidth = types.map { DisplayWidth.of($0) }.max() ?? 0
        for (column, type) in zip(table.columns, types) {
            var line = "  " + padded(column.name, nameWidth) + "  " + padded(type, typeWidth)
            var notes: [String] = []
            if column.nullCount > 0 { notes.append(ShellMessage.count(column.nullCount, one: .oneNull, other: .nulls) + markerNote(column)) }
            if let d = column.dictionary, column.type.isCategory {
                let values = d.allValues
                let shown = values.prefix(8).joined(separator: ", ")
                notes.append(ShellMessage.count(values.count, one: d.isOrdered ? .oneValueInOrder : .oneValue, other: d.isOrdered ? .valuesInOrder : .values)
                             + ShellMessage.colon() + shown + (values.count > 8 ? ", …" : ""))
            }
            if !notes.isEmpty { line += "  " + notes.joined(separator: "; ") }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// `.schema`: each column's type (with unit or order), null count and distinct count, and a
    /// category's values (all of them, in order for an ordered one).
    public static func schema(_ table: Table) -> String {
        var out = "\(table.name): " + ShellMessage.count(table.rowCount, one: .oneRow, other: .rows) + "\n"
        let header = ShellMessage.schemaHeader().split(separator: "|").map(String.init)
        let nameWidth = max(DisplayWidth.of(header[0]), table.columns.map { DisplayWidth.of($0.name) }.max() ?? 0)
        let types = table.columns.map { typeLabel($0) }
        let typeWidth = max(DisplayWidth.of(header[1]), types.map { DisplayWidth.of($0) }.max() ?? 0)
        out += "  " + padded(header[0], nameWidth) + "  " + padded(header[1], typeWidth)
            + "  " + rightAligned(header[2], 5) + "  " + rightAligned(header[3], 8) + "\n"
        for (column, type) in zip(table.columns, types) {
            // Counting distinct values reads every row: a snapshot's blocks are checked first.
            let checked: String?
            do { try column.verifyAll(); checked = nil } catch { checked = error.message }
            let nulls = String(column.nullCount), distinct = checked == nil ? String(column.distinctCount()) : "?"
            var line = "  " + padded(column.name, nameWidth) + "  " + padded(type, typeWidth)
            line += "  " + String(repeating: " ", count: max(0, 5 - nulls.count)) + nulls
            line += "  " + String(repeating: " ", count: max(0, 8 - distinct.count)) + distinct
            if let d = column.dictionary, column.type.isCategory {
                let values = d.allValues
                line += "  " + (d.isOrdered ? values.joined(separator: " < ") : values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.prefix(20).joined(separator: ", ") + (values.count > 20 ? ", …" : ""))
            }
            out += line + "\n"
            if !column.nullMarkers.isEmpty {
                out += "  " + String(repeating: " ", count: nameWidth + 2) + ShellMessage.nullMarkers()
                    + column.nullMarkers.map { "\($0.marker) ×\($0.count)" }.joined(separator: ", ") + "\n"
            }
            if column.roundedCells > 0, let s = column.type.scale {
                out += "  " + String(repeating: " ", count: nameWidth + 2)
                    + ShellMessage.rounded(ShellMessage.count(column.roundedCells, one: .oneCell, other: .cells), ShellMessage.count(s, one: .oneDigit, other: .digits), s) + "\n"
            }
            if let checked { out += "  ! " + checked + "\n" }
        }
        return out
    }

    /// What loading the tables left out (a workbook's totals row), a `projq:` line each, for
    /// standard error.
    public static func loadNotes(_ tables: [Table]) -> String {
        tables.flatMap(\.loadNotes).map { "projq: \($0)\n" }.joined()
    }

    /// `(12 of them NA, 3 -)`: the markers read as null, after the null count.
    static func markerNote(_ c: Column) -> String {
        guard !c.nullMarkers.isEmpty else { return "" }
        return " (" + c.nullMarkers.map { "\($0.count) \($0.marker)" }.joined(separator: ", ") + ")"
    }

    static func typeLabel(_ c: Column) -> String {
        switch c.type {
        // Exact numbers with their digits after the point, as SQL writes DECIMAL(p, s).
        case .money(let u, let s): "money (\(u.rawValue), \(s))"
        case .decimal(let s): "decimal(\(s))"
        case .percent(let s): "percent(\(s))"
        case .category(ordered: true): "category (ordered)"
        default: c.type.description
        }
    }

    static func padded(_ s: String, _ width: Int) -> String {
        s + String(repeating: " ", count: max(0, width - DisplayWidth.of(s)))
    }

    static func rightAligned(_ s: String, _ width: Int) -> String {
        String(repeating: " ", count: max(0, width - DisplayWidth.of(s))) + s
    }
}
