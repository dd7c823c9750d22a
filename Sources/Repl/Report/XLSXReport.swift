import Storage
import Query
import TextSupport
import CXLSXWriter

/// A report as an Excel workbook (libxlsxwriter): a cover sheet with the title and the texts, then
/// a sheet per table named after its heading (Excel's 31 characters, without `[]:*?/\`, unique),
/// its cells of real types — numbers, dates and percentages as Excel numbers with Excel formats
/// (thousands separators, `0.0%`, `yyyy-mm-dd`) — a bold header row frozen at the top, columns as
/// wide as their text (a Chinese character counted as two), the rows `total` added in bold, and a
/// native Excel chart for each `.chart`, which the office can restyle.
struct XLSXReport {
    let report: Report

    init(_ report: Report) { self.report = report }

    /// Writes the workbook at `path`; the failure's message, or nil.
    func write(to path: String) -> String? {
        guard let workbook = workbook_new(path) else { return ShellMessage.xlsxCannotStart() }
        var formats = Formats(workbook)
        var names = Set<String>()
        func sheetName(_ wanted: String?, _ index: Int) -> String {
            var base = String((wanted ?? "表\(index)").filter { !"[]:*?/\\".contains($0) }.prefix(31))
            base = base.trimmingWhitespace.trimmingCharacters(in: "'")
            if base.isEmpty { base = "表\(index)" }
            var name = base, k = 2
            while names.contains(name.lowercased()) {
                let suffix = "(\(k))"
                name = String(base.prefix(31 - suffix.count)) + suffix
                k += 1
            }
            names.insert(name.lowercased())
            return name
        }
        // The cover: the title, then each heading and text in order.
        let cover = workbook_add_worksheet(workbook, sheetName("封面", 0))
        var coverRow: UInt32 = 0
        worksheet_set_column(cover, 0, 0, 90, nil)
        var tableCount = 0
        for block in report.blocks {
            switch block {
            case .title(let t):
                worksheet_write_string(cover, coverRow, 0, t.visibleControls, formats.title)
                coverRow += 2
            case .heading(let t), .subheading(let t):
                worksheet_write_string(cover, coverRow, 0, t.visibleControls, formats.bold)
                coverRow += 1
            case .text(let t):
                worksheet_write_string(cover, coverRow, 0, t.visibleControls, formats.wrap)
                coverRow += 1
            case .pageBreak:
                continue
            case .table(let table, let roles, let caption, let chart):
                tableCount += 1
                let name = sheetName(caption, tableCount)
                guard let sheet = workbook_add_worksheet(workbook, name) else { return ShellMessage.xlsxCannotAddSheet(name) }
                writeTable(table, roles: roles, chart: chart, caption: caption, sheet: sheet, sheetName: name, workbook: workbook, formats: &formats)
            }
        }
        let status = workbook_close(workbook)
        return status == LXW_NO_ERROR ? nil : String(cString: lxw_strerror(status))
    }

    private func writeTable(_ table: Table, roles: [RowRole]?, chart: ChartData?, caption: String?, sheet: UnsafeMutablePointer<lxw_worksheet>,
                            sheetName: String, workbook: UnsafeMutablePointer<lxw_workbook>, formats: inout Formats) {
        var widths = table.columns.map { DisplayWidth.of(BoxRenderer.header($0)) }
        for (c, column) in table.columns.enumerated() {
            worksheet_write_string(sheet, 0, lxw_col_t(c), BoxRenderer.header(column), formats.header)
        }
        for r in 0..<table.rowCount {
            let bold = (roles?[r] ?? .detail) != .detail
            let row = lxw_row_t(r + 1)
            for (c, column) in table.columns.enumerated() {
                let col = lxw_col_t(c)
                widths[c] = Swift.max(widths[c], DisplayWidth.of(BoxRenderer.cell(column, table.row(r))))
                switch column.value(at: table.row(r)) {
                case .null:
                    if bold { worksheet_write_blank(sheet, row, col, formats.get(nil, bold: true)) }
                case .int(let v):
                    worksheet_write_number(sheet, row, col, Double(v), formats.get("#,##0", bold: bold))
                case .decimal(let d):
                    let format = column.type.sameKind(.percent(scale: 0))
                        ? "0" + Formats.digits(Swift.max(0, d.scale - 2)) + "%"
                        : "#,##0" + Formats.digits(column.type.scale ?? d.scale)
                    worksheet_write_number(sheet, row, col, d.doubleValue, formats.get(format, bold: bold))
                case .float(let v):
                    worksheet_write_number(sheet, row, col, v, formats.get("#,##0.###", bold: bold))
                case .date(let days):
                    // Excel's serial day: 1899-12-30 is 0 (the 1900 leap-year bug is before 1 March 1900).
                    worksheet_write_number(sheet, row, col, Double(days) + 25569, formats.get("yyyy-mm-dd", bold: bold))
                case .timestamp(let micros):
                    worksheet_write_number(sheet, row, col, Double(micros) / 86_400_000_000 + 25569, formats.get("yyyy-mm-dd hh:mm:ss", bold: bold))
                case .bool(let b):
                    worksheet_write_boolean(sheet, row, col, b ? 1 : 0, formats.get(nil, bold: bold))
                case .text(let s):
                    worksheet_write_string(sheet, row, col, s.visibleControls, formats.get(nil, bold: bold))
                }
            }
        }
        for (c, w) in widths.enumerated() { worksheet_set_column(sheet, lxw_col_t(c), lxw_col_t(c), Double(Swift.min(w, 60) + 2), nil) }
        worksheet_freeze_panes(sheet, 1, 0)
        guard let chart, let native = nativeChart(chart, table: table, roles: roles, caption: caption, sheetName: sheetName, workbook: workbook) else { return }
        worksheet_insert_chart(sheet, 1, lxw_col_t(table.columns.count + 1), native)
    }

    /// The `.chart` as an Excel chart over the sheet's cells (the rows that are not totals).
    private func nativeChart(_ data: ChartData, table: Table, roles: [RowRole]?, caption: String?, sheetName: String,
                             workbook: UnsafeMutablePointer<lxw_workbook>) -> UnsafeMutablePointer<lxw_chart>? {
        let type: Int32 = switch data.kind {
        case .bar, .funnel: Int32(LXW_CHART_BAR.rawValue)
        case .column: Int32(LXW_CHART_COLUMN.rawValue)
        case .line: Int32(LXW_CHART_LINE.rawValue)
        case .pie: Int32(LXW_CHART_PIE.rawValue)
        }
        guard let chart = workbook_add_chart(workbook, UInt8(type)) else { return nil }
        // The sheet rows of the detail rows, as runs: a union of ranges where subtotals interleave.
        let rows = (0..<table.rowCount).filter { (roles?[$0] ?? .detail) == .detail }.map { $0 + 2 }
        var runs: [(Int, Int)] = []
        for r in rows {
            if let last = runs.last, last.1 + 1 == r { runs[runs.count - 1].1 = r } else { runs.append((r, r)) }
        }
        let quoted = "'" + sheetName.replacingAll(["'": "''"]) + "'"
        func range(_ column: Int) -> String {
            let letter = XLSXReport.columnLetters(column)
            let parts = runs.map { "\(quoted)!$\(letter)$\($0.0):$\(letter)$\($0.1)" }
            return parts.count == 1 ? "=" + parts[0] : "=(" + parts.joined(separator: ",") + ")"
        }
        let labelColumn = table.columns.firstIndex { BoxRenderer.header($0) == data.labelHeader } ?? 0
        for series in data.series {
            guard let c = table.columns.firstIndex(where: { $0.name == series.name }) else { continue }
            let s = chart_add_series(chart, range(labelColumn), range(c))
            chart_series_set_name(s, series.header)
            chart_series_set_labels(s)
            if data.kind == .pie { chart_series_set_labels_options(s, 1, 1, 1) }
        }
        if let caption { chart_title_set_name(chart, caption) }
        if data.kind != .pie {
            chart_axis_set_name(chart.pointee.y_axis, data.series.map(\.header).joined(separator: "、"))
            if data.series.count == 1 { chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_NONE.rawValue)) }
        }
        return chart
    }

    /// `A`, `B`, … `Z`, `AA` for a 0-based column.
    static func columnLetters(_ column: Int) -> String {
        var n = column + 1, out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// The workbook's formats, made once each (Excel keeps one per look).
    struct Formats {
        let workbook: UnsafeMutablePointer<lxw_workbook>
        let title, bold, wrap, header: UnsafeMutablePointer<lxw_format>?
        private var made: [String: UnsafeMutablePointer<lxw_format>?] = [:]

        init(_ workbook: UnsafeMutablePointer<lxw_workbook>) {
            self.workbook = workbook
            title = workbook_add_format(workbook)
            format_set_bold(title)
            format_set_font_size(title, 16)
            bold = workbook_add_format(workbook)
            format_set_bold(bold)
            wrap = workbook_add_format(workbook)
            format_set_text_wrap(wrap)
            header = workbook_add_format(workbook)
            format_set_bold(header)
            format_set_bg_color(header, 0xEEEEEE)
            format_set_border(header, UInt8(LXW_BORDER_THIN.rawValue))
        }

        /// A number format (nil: none) and boldness.
        mutating func get(_ numberFormat: String?, bold: Bool) -> UnsafeMutablePointer<lxw_format>? {
            if numberFormat == nil, !bold { return nil }
            let key = (numberFormat ?? "") + (bold ? "|b" : "")
            if let f = made[key] { return f }
            let f = workbook_add_format(workbook)
            if let numberFormat { format_set_num_format(f, numberFormat) }
            if bold { format_set_bold(f) }
            made[key] = f
            return f
        }

        /// `.0`, `.00` … for `n` digits after the point; nothing for none.
        static func digits(_ n: Int) -> String { n > 0 ? "." + String(repeating: "0", count: n) : "" }
    }
}
