import Storage
import Query
import TextSupport

/// A GitHub table whose columns also line up by display width in a monospace font: numbers
/// right-aligned (`---:`), money headers with their unit, `|` in cells escaped, the rows `total`
/// added in bold.
public struct MarkdownRenderer {
    public init() {}

    public func render(_ table: Table, roles: [RowRole]? = nil) -> String {
        let headers = table.columns.map { Self.escape(BoxRenderer.header($0)) }
        let right = table.columns.map { $0.type.isNumeric }
        let rows: [[String]] = (0..<table.rowCount).map { r in
            let bold = (roles?[r] ?? .detail) != .detail
            return table.columns.map { c in
                let text = Self.escape(BoxRenderer.cell(c, table.row(r)))
                return bold && !text.isEmpty ? "**\(text)**" : text
            }
        }
        var widths = headers.map { max(3, DisplayWidth.of($0)) }
        for row in rows { for (c, t) in row.enumerated() { widths[c] = max(widths[c], DisplayWidth.of(t)) } }
        func pad(_ s: String, _ c: Int, alignRight: Bool) -> String {
            let space = String(repeating: " ", count: widths[c] - DisplayWidth.of(s))
            return alignRight ? space + s : s + space
        }
        var out = "| " + headers.enumerated().map { pad($1, $0, alignRight: false) }.joined(separator: " | ") + " |\n"
        out += "|" + widths.enumerated().map { c, w in
            right[c] ? " " + String(repeating: "-", count: w - 1) + ": " : " " + String(repeating: "-", count: w) + " "
        }.joined(separator: "|") + "|\n"
        for row in rows {
            out += "| " + row.enumerated().map { pad($1, $0, alignRight: right[$0]) }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func escape(_ s: String) -> String {
        s.replacingAll(["|": "\\|", "\n": " "])
    }
}
