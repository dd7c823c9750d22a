import TextSupport
/// Finds a sheet's header among its first rows, as a government ledger lays it out: a title
/// merged across the columns (`2015年招商引资项目台账`), perhaps a blank row or a line like
/// `填报单位：… 单位：万元`, then the header, then the data.
///
/// The rule: the columns are those any of the first rows uses; the header is the first row
/// whose cells in all of those columns are non-empty text, followed by another row. A title or
/// a note line leaves most columns empty and is passed over. Two rows make one header when
/// merged cells split it: either the row after a full header holds text only above number
/// columns (`投资额` over `万元`, the other columns merged down from the row above), or two
/// rows of text fill every column only together (a group label merged across the columns it
/// spans). Their names are joined with `_` (`投资额_万元`); a cell merged across columns names
/// each column under it. schema.toml's `header = N` names the header row instead.
enum HeaderRule {
    enum Kind: Equatable { case text, value, error }

    struct Cell {
        var column: Int
        var kind: Kind
        var bytes: [UInt8]
    }

    struct Row {
        var number: Int
        var cells: [Cell]
    }

    struct Header {
        /// Indices into the sample of the header's rows (one or two).
        var rows: [Int]
        /// The columns of the table, first to last (0-based sheet columns).
        var first: Int
        var last: Int
        var names: [String]
    }

    /// `rows`: the sheet's first non-blank rows; `more`: whether the sheet has rows after them.
    static func find(_ rows: [Row], more: Bool, declared: Int?) throws(WorkbookError) -> Header {
        if let declared {
            guard let i = rows.firstIndex(where: { $0.number == declared }) else {
                throw WorkbookError(SchemaMessage.headerRowEmpty(declared))
            }
            let cells = rows[i].cells.filter { !$0.bytes.isEmpty }
            let first = cells.map(\.column).min()!, last = cells.map(\.column).max()!
            return Header(rows: [i], first: first, last: last, names: (first...last).map { c in
                rows[i].cells.first { $0.column == c }.map { name($0.bytes) } ?? ""
            })
        }
        guard let first = rows.flatMap({ $0.cells.map(\.column) }).min(), let last = rows.flatMap({ $0.cells.map(\.column) }).max() else {
            throw WorkbookError(DataMessage.sheetEmpty())
        }
        func text(_ r: Int, _ c: Int) -> String? {
            guard let cell = rows[r].cells.first(where: { $0.column == c }), cell.kind == .text else { return nil }
            let s = name(cell.bytes)
            return s.isEmpty ? nil : s
        }
        func isEmpty(_ r: Int, _ c: Int) -> Bool { !rows[r].cells.contains { $0.column == c && !$0.bytes.isEmpty } }
        func full(_ r: Int) -> Bool { (first...last).allSatisfy { text(r, $0) != nil } }
        /// Every non-empty cell of the row is text.
        func textual(_ r: Int) -> Bool { rows[r].cells.allSatisfy { $0.bytes.isEmpty || $0.kind == .text } }
        func followed(_ r: Int) -> Bool { r + 1 < rows.count || more }

        for r in rows.indices {
            if full(r) {
                // A row of units under some columns, the others merged down from the header.
                if r + 1 < rows.count, textual(r + 1), !full(r + 1), followed(r + 1),
                   (first...last).contains(where: { text(r + 1, $0) != nil }),
                   (first...last).allSatisfy({ c in text(r + 1, c) == nil || numbersBelow(rows, from: r + 2, column: c) }) {
                    return Header(rows: [r, r + 1], first: first, last: last, names: (first...last).map { c in
                        [text(r, c), text(r + 1, c)].compactMap { $0 }.joined(separator: "_")
                    })
                }
                return Header(rows: [r], first: first, last: last, names: (first...last).map { text(r, $0)! })
            }
            // Two partial rows that fill every column together: a group label over its parts.
            if r + 1 < rows.count, textual(r), textual(r + 1), !full(r), !full(r + 1), followed(r + 1),
               (first...last).allSatisfy({ text(r, $0) != nil || text(r + 1, $0) != nil }),
               rows[r].cells.filter({ !$0.bytes.isEmpty }).count > 1 {
                var names: [String] = []
                var label: String? = nil
                for c in first...last {
                    if let upper = text(r, c) { label = upper } else if !isEmpty(r, c) { label = nil }
                    let lower = text(r + 1, c)
                    if let upper = text(r, c) {
                        names.append(lower.map { upper + "_" + $0 } ?? upper)
                    } else {
                        names.append([label, lower].compactMap { $0 }.joined(separator: "_"))
                    }
                }
                return Header(rows: [r, r + 1], first: first, last: last, names: names)
            }
        }
        throw WorkbookError(DataMessage.noHeaderRow(rows.count, excelColumnName(first), excelColumnName(last)))
    }

    /// True when the column holds a number (not text) in some row from `from` on, and no text.
    private static func numbersBelow(_ rows: [Row], from: Int, column c: Int) -> Bool {
        var numbers = 0
        for r in from..<rows.count {
            guard let cell = rows[r].cells.first(where: { $0.column == c && !$0.bytes.isEmpty }) else { continue }
            if cell.kind == .text { return false }
            numbers += 1
        }
        return numbers > 0
    }

    /// A header cell's text as a column name: trimmed, line breaks (Alt+Enter in a header)
    /// as nothing.
    static func name(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.filter { $0 != 10 && $0 != 13 }, as: UTF8.self).trimmingCharacters(in: " \t\u{3000}")
    }

    /// The words that make a totals row, in its first column: 合计, 总计, 小计, Total (spaces
    /// inside, a trailing colon and case ignored).
    static func isTotals(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n > 0, n < 40 else { return false }
        // Asked of every row: most first cells (a number, a name) fail on their first byte,
        // which must begin a space, a tab, U+3000, t or g (either case), 合, 小 or 总 (or a CJK
        // compatibility ideograph, which Swift compares as the ideograph it stands for).
        switch p[0] {
        case 0x20, 0x09, 0xE3, 0xE5, 0xE6, 0xEF, UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "g"), UInt8(ascii: "G"): break
        default: return false
        }
        var s = String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        s.removeAll { $0 == " " || $0 == "\u{3000}" || $0 == "\t" }
        while s.hasSuffix(":") || s.hasSuffix("：") { s.removeLast() }
        return ["合计", "总计", "小计", "total", "totals", "grandtotal", "总合计"].contains(s.lowercased())
    }
}
