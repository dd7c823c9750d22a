import Storage
import Query
import TextSupport

/// A result as records, one block per row with a line per column — `name │ value` — like
/// psql's expanded mode: what a table too wide for the terminal becomes (`.mode records` asks
/// for it always). Nothing is cut: a value longer than the line goes on under itself.
public struct RecordsRenderer {
    /// The terminal's width in columns; nil for no limit (values never wrapped).
    public var width: Int?
    /// More rows than this show the first and last half with `… N more rows …` between.
    public var maxRows: Int = 40

    public init(width: Int? = nil, maxRows: Int = 40) {
        self.width = width
        self.maxRows = maxRows
    }

    public func render(_ table: Table, footer: String? = nil, roles: [RowRole]? = nil) -> String {
        let columns = table.columns
        if columns.isEmpty { return ShellMessage.noColumns() + "\n" }
        let names = columns.map(BoxRenderer.header)
        let nameWidth = names.map { DisplayWidth.of($0) }.max() ?? 0
        // The value's room on a line; at least a few columns, however narrow the terminal.
        let room = width.map { Swift.max(8, $0 - nameWidth - 3) }
        let rule = width.map { Swift.min($0, 60) } ?? (nameWidth + 3 + 30)

        let (shown, hidden) = BoxRenderer.shownRows(table.rowCount, maxRows: maxRows)
        var out = ""
        for (i, r) in shown.enumerated() {
            if hidden > 0, i == maxRows / 2 {
                out += ShellMessage.moreRows(hidden) + "\n"
            }
            let label: String = switch roles?[r] ?? .detail {
            case .detail: "\(r + 1)"
            case .subtotal: ShellMessage.recordSubtotal(r + 1)
            case .total: ShellMessage.recordTotal(r + 1)
            }
            let head = "─[ \(label) ]"
            out += head + String(repeating: "─", count: Swift.max(0, rule - DisplayWidth.of(head))) + "\n"
            let row = table.row(r)
            for (c, column) in columns.enumerated() {
                let name = names[c] + String(repeating: " ", count: nameWidth - DisplayWidth.of(names[c]))
                let lines = Self.wrap(BoxRenderer.cell(column, row), to: room)
                out += name + " │ " + lines[0] + "\n"
                let under = String(repeating: " ", count: nameWidth) + " │ "
                for more in lines.dropFirst() { out += under + more + "\n" }
            }
        }
        var tail = ShellMessage.count(table.rowCount, one: .footerOneRow, other: .footerRows)
        if let footer { tail += " · " + footer }
        return out + tail + "\n"
    }

    /// `text` in pieces of at most `width` display columns, split between characters (a wide
    /// character is never halved).
    static func wrap(_ text: String, to width: Int?) -> [String] {
        guard let width, DisplayWidth.of(text) > width else { return [text] }
        var lines: [String] = []
        var line = ""
        var used = 0
        for ch in text {
            let w = DisplayWidth.of(String(ch))
            if used + w > width, !line.isEmpty {
                lines.append(line)
                line = ""
                used = 0
            }
            line.append(ch)
            used += w
        }
        lines.append(line)
        return lines
    }
}
