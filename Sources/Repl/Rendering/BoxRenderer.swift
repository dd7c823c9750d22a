import Storage
import Query
import TextSupport

/// The terminal table: box-drawing borders, a header with money units (`investment (万元)`),
/// numbers right-aligned with thousands separators, widths measured by East Asian Width so
/// Chinese and Latin text line up, and long results shown as their first and last rows.
/// A table wider than the terminal is narrowed by cutting its widest text with `…` — never a
/// number, a date, a time or a header, and text not below a few columns; a table that cannot
/// fit so is shown as records (`RecordsRenderer`).
public struct BoxRenderer {
    /// The terminal's width in columns; nil for no limit.
    public var width: Int?
    /// More rows than this show the first and last half with `… N more rows …` between.
    public var maxRows: Int = 40

    public init(width: Int? = nil, maxRows: Int = 40) {
        self.width = width
        self.maxRows = maxRows
    }

    /// Text is not cut narrower than this (nor than its header).
    static let minimumTextWidth = 8

    /// `roles`: what each row is, when `total` added rows; a rule sets the totals apart.
    public func render(_ table: Table, footer: String? = nil, roles: [RowRole]? = nil) -> String {
        let columns = table.columns
        if columns.isEmpty { return ShellMessage.noColumns() + "\n" }
        let headers = columns.map(Self.header)
        let rightAligned = columns.map { $0.type.isNumeric }
        // The rows to show: all, or the first and last halves.
        let (shown, hidden) = Self.shownRows(table.rowCount, maxRows: maxRows)
        let cells: [[String]] = shown.map { r in columns.map { Self.cell($0, table.row(r)) } }
        var widths = headers.map { DisplayWidth.of($0) }
        for row in cells { for (c, text) in row.enumerated() { widths[c] = max(widths[c], DisplayWidth.of(text)) } }
        if let width {
            let cuttable = columns.map { $0.type == .text || $0.type.layout == .codes }
            guard let fitted = Self.fit(widths, headers: headers.map { DisplayWidth.of($0) }, cuttable: cuttable, to: width) else {
                return RecordsRenderer(width: width, maxRows: maxRows).render(table, footer: footer, roles: roles)
            }
            widths = fitted
        }

        var out = ""
        func line(_ left: String, _ mid: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: mid) + right + "\n"
        }
        func row(_ texts: [String], header: Bool) -> String {
            var s = "│"
            for (c, t) in texts.enumerated() {
                let fitted = DisplayWidth.truncate(t, to: widths[c])
                let pad = String(repeating: " ", count: widths[c] - DisplayWidth.of(fitted))
                s += " " + (rightAligned[c] && !header ? pad + fitted : fitted + pad) + " │"
            }
            return s + "\n"
        }
        out += line("┌", "┬", "┐")
        out += row(headers, header: true)
        out += line("├", "┼", "┤")
        let half = maxRows / 2
        var hintInside = true
        for (i, texts) in cells.enumerated() {
            if hidden > 0, i == half {
                let inner = widths.reduce(0, +) + 3 * widths.count - 1
                // Where every row can be seen: the pager, another mode, or a file (said in the
                // footer when the table is too narrow to say it here).
                let full = ShellMessage.moreRows(hidden)
                hintInside = DisplayWidth.of(full) <= inner - 2
                let note = hintInside ? full : ShellMessage.moreRowsShort(hidden)
                let fitted = DisplayWidth.truncate(note, to: inner - 2)
                let space = max(0, inner - DisplayWidth.of(fitted))
                out += line("├", "┴", "┤")
                out += "│" + String(repeating: " ", count: space / 2) + fitted + String(repeating: " ", count: space - space / 2) + "│\n"
                out += line("├", "┬", "┤")
            }
            // A rule above a run of total rows, and below a subtotal that detail rows follow.
            if let roles, i > 0 {
                let this = roles[shown[i]], before = roles[shown[i - 1]]
                if this != .detail && before == .detail || this == .detail && before == .subtotal { out += line("├", "┼", "┤") }
            }
            out += row(texts, header: false)
        }
        out += line("└", "┴", "┘")
        var tail = ShellMessage.count(table.rowCount, one: .footerOneRow, other: .footerRows)
        if hidden > 0, !hintInside { tail += ShellMessage.notShown(hidden) }
        if let footer { tail += " · " + footer }
        return out + tail + "\n"
    }

    /// The rows a long result shows — all, or the first and last `maxRows / 2` — and how many
    /// it leaves out (the box and the records alike).
    static func shownRows(_ count: Int, maxRows: Int) -> (rows: [Int], hidden: Int) {
        guard count > maxRows else { return (Array(0..<count), 0) }
        let half = maxRows / 2
        return (Array(0..<half) + Array((count - half)..<count), count - 2 * half)
    }

    /// The widths that fit `limit` columns — the widest text narrowed first, a column at a
    /// time, none below its minimum — or nil when even the minimums do not fit.
    static func fit(_ natural: [Int], headers: [Int], cuttable: [Bool], to limit: Int) -> [Int]? {
        let minimums = natural.indices.map { c in
            cuttable[c] ? Swift.min(natural[c], Swift.max(headers[c], minimumTextWidth)) : natural[c]
        }
        func total(_ w: [Int]) -> Int { w.reduce(0, +) + 3 * w.count + 1 }
        if total(minimums) > limit { return nil }
        var widths = natural
        var excess = total(widths) - limit
        while excess > 0 {
            // The widest column that can give a column.
            guard let c = widths.indices.filter({ widths[$0] > minimums[$0] }).max(by: { widths[$0] < widths[$1] }) else { break }
            widths[c] -= 1
            excess -= 1
        }
        return widths
    }

    /// A column's header: its name, with the unit of a money column.
    public static func header(_ c: Column) -> String {
        if case .money(let u, _) = c.type { return "\(c.name.visibleControls) (\(u.rawValue))" }
        return c.name.visibleControls
    }

    /// A cell as the box shows it: numbers with thousands separators, null empty.
    public static func cell(_ c: Column, _ row: Int) -> String {
        switch c.value(at: row) {
        case .null: ""
        case .int(let v): NumberText.grouped(String(v))
        case .decimal(let d) where c.type.sameKind(.percent(scale: 0)):
            NumberText.percent(d, digits: Swift.max(0, (c.type.scale ?? 2) - 2))
        case .decimal(let d): NumberText.grouped(d.description)
        case .float(let v): NumberText.grouped(formatDecimal(NumberText.displayRounded(v)))
        case .text(let s): s.visibleControls
        case .date(let d): formatDate(d)
        case .timestamp(let t): formatTimestamp(t)
        case .bool(let b): c.type == .bool(chinese: true) ? (b ? "是" : "否") : (b ? "true" : "false")
        }
    }
}

/// Thousands separators for the integer part of a plain number: `1234567.5` → `1,234,567.5`.
public enum NumberText {
    /// A ratio as a percentage with `digits` digits after the point, all of them shown so that a
    /// column of percentages lines up: 0.892 → `89.2%`, 1 → `100.0%`.
    public static func percent(_ ratio: FixedDecimal, digits: Int) -> String {
        guard let scaled = ratio.rescaled(to: digits + 2) else { return grouped(ratio.description) + "%" }
        let m = scaled.units.magnitude
        let unit = UInt64(FixedDecimal.powers[digits])
        var text = grouped(String(m / unit))
        if digits > 0 {
            let fraction = String(m % unit)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (scaled.units < 0 ? "-" : "") + text + "%"
    }

    /// A float rounded to 12 significant digits for display, so that a sum of measurements
    /// shows `813,789.4` and not the binary noise `813,789.3999999999` (CSV and JSON keep the
    /// double's shortest digits; decimals and money are exact and shown as they are).
    public static func displayRounded(_ v: Double) -> Double {
        guard v.isFinite, v != 0 else { return v }
        let digits = Int((abs(v)).log10Floor) + 1
        let places = 12 - digits
        guard places > 0, places <= 22 else { return v }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let r = (v * scale).rounded() / scale
        return r.isFinite ? r : v
    }

    public static func grouped(_ plain: String) -> String {
        var sign = ""
        var s = Substring(plain)
        if s.hasPrefix("-") { sign = "-"; s = s.dropFirst() }
        let parts = s.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = Array(parts[0])
        guard digits.allSatisfy(\.isNumber) else { return plain }
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(d)
        }
        return sign + out + (parts.count > 1 ? "." + parts[1] : "")
    }
}

extension DisplayWidth {
    /// `s` cut to `width` display columns with `…` at a character boundary (never mid-character,
    /// never half of a wide character).
    public static func truncate(_ s: String, to width: Int) -> String {
        if of(s) <= width { return s }
        guard width >= 1 else { return "" }
        var out = ""
        var used = 0
        for ch in s {
            let w = of(String(ch))
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }
}

extension Double {
    /// ⌊log10(|x|)⌋ without Foundation.
    var log10Floor: Double {
        var x = Swift.abs(self)
        var e = 0.0
        while x >= 10 { x /= 10; e += 1 }
        while x < 1 { x *= 10; e -= 1 }
        return e
    }
}
