import Storage

/// CSV (or TSV) of a result: a header row, then rows; numbers plain with the shortest exact
/// decimal and no separators, ISO dates, true/false, null as an empty field, money as a plain
/// number in its column's unit. RFC 4180 quoting where a field needs it.
public struct CSVRenderer {
    public var separator: Character = ","

    public init(separator: Character = ",") {
        self.separator = separator
    }

    public func render(_ table: Table) -> String {
        var out = table.columns.map { quote($0.name) }.joined(separator: String(separator)) + "\n"
        for row in 0..<table.rowCount {
            // A one-column row that is null would be a blank line, which readers skip.
            if table.columns.count == 1, !table.columns[0].validity.isValid(row) {
                out += "\"\"\n"
                continue
            }
            var first = true
            for column in table.columns {
                if !first { out.append(separator) }
                first = false
                out += quote(CellText.plain(column, row))
            }
            out += "\n"
        }
        return out
    }

    func quote(_ s: String) -> String {
        if separator == "\t" {
            return s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" })
                ? s.replacingAll(["\t": "\\t", "\n": "\\n", "\r": "\\r"]) : s
        }
        guard s.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

/// The text of one cell, the same for every plain-text format.
enum CellText {
    static func plain(_ column: Column, _ row: Int) -> String {
        switch column.value(at: row) {
        case .null: ""
        case .int(let v): String(v)
        case .decimal(let v): formatDecimal(v)
        case .text(let s): s
        case .date(let d): formatDate(d)
        case .bool(let b): b ? "true" : "false"
        }
    }
}

extension String {
    func replacingAll(_ map: [Character: String]) -> String {
        var out = ""
        for c in self { out += map[c] ?? String(c) }
        return out
    }
}
