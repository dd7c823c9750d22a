import Storage
import Query
import TextSupport

/// A report as one self-contained HTML page: inline CSS, no scripts, nothing fetched. It prints
/// on A4 with a page break at each `.pagebreak` and never inside a table row (a table's header
/// repeats on each page it spans); Chinese text in a font stack found on Windows, macOS and
/// Linux; numbers right-aligned with thousands separators, money units in the headers,
/// percentages with `%`, the rows `total` added in bold; a table's caption is the heading above
/// it.
struct HTMLReport {
    let report: Report

    init(_ report: Report) { self.report = report }

    static let style = """
        @page { size: A4; margin: 16mm 14mm; }
        body { font-family: "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "SimSun", sans-serif; font-size: 10.5pt; color: #111; margin: 0 auto; max-width: 190mm; line-height: 1.5; }
        h1 { font-size: 18pt; text-align: center; margin: 0.6em 0; }
        h2 { font-size: 13pt; margin: 1.2em 0 0.4em; break-after: avoid; }
        h3 { font-size: 11.5pt; margin: 1em 0 0.3em; break-after: avoid; }
        p { margin: 0.4em 0; text-indent: 2em; }
        table { border-collapse: collapse; margin: 0.4em 0 1em; font-variant-numeric: tabular-nums; }
        caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: 0.2em; }
        caption.under-heading { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        th, td { border: 1px solid #888; padding: 0.15em 0.5em; }
        th { background: #eee; font-weight: bold; text-align: center; }
        td.n { text-align: right; white-space: nowrap; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        tr.total td { font-weight: bold; background: #f6f6f6; }
        tr.subtotal td { font-weight: bold; }
        .pagebreak { break-after: page; page-break-after: always; }
        figure.chart { margin: 0.4em 0 1.2em; break-inside: avoid; page-break-inside: avoid; }
        figure.chart svg { max-width: 100%; height: auto; font-family: inherit; }
        figure.chart .title { font-size: 13px; font-weight: bold; }
        figure.chart .unit, figure.chart .label { font-size: 11px; fill: #333; }
        figure.chart .value { font-size: 10px; fill: #111; }
        """

    func render() -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8" />
            <meta name="generator" content="projq" />
            <title>\(HTMLReport.escape(report.documentTitle))</title>
            <style>
            \(HTMLReport.style)
            </style>
            </head>
            <body>

            """
        var previous: Report.Block? = nil
        for block in report.blocks {
            defer { previous = block }
            switch block {
            case .title(let t): out += "<h1>\(HTMLReport.escape(t))</h1>\n"
            case .heading(let t): out += "<h2>\(HTMLReport.escape(t))</h2>\n"
            case .subheading(let t): out += "<h3>\(HTMLReport.escape(t))</h3>\n"
            case .text(let t): out += "<p>\(HTMLReport.escape(t))</p>\n"
            case .table(let table, let roles, let caption, let chart):
                // Right under its heading the caption would say it twice: kept for readers of
                // the page's structure, hidden from the eye.
                var underHeading = false
                if case .heading(let h)? = previous { underHeading = h == caption }
                if case .subheading(let h)? = previous { underHeading = h == caption }
                out += HTMLReport.table(table, roles: roles, caption: caption, hidden: underHeading)
                if let chart { out += SVGChart.render(chart, title: caption) }
            case .pageBreak: out += "<div class=\"pagebreak\"></div>\n"
            }
        }
        return out + "</body>\n</html>\n"
    }

    static func table(_ table: Table, roles: [RowRole]?, caption: String?, hidden: Bool = false) -> String {
        var out = "<table>\n"
        if let caption { out += (hidden ? "<caption class=\"under-heading\">" : "<caption>") + "\(escape(caption))</caption>\n" }
        out += "<thead><tr>" + table.columns.map { "<th>\(escape(BoxRenderer.header($0)))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        let numeric = table.columns.map { $0.type.isNumeric }
        for r in 0..<table.rowCount {
            let role = roles?[r] ?? .detail
            out += role == .total ? "<tr class=\"total\">" : role == .subtotal ? "<tr class=\"subtotal\">" : "<tr>"
            for (c, column) in table.columns.enumerated() {
                let text = escape(BoxRenderer.cell(column, table.row(r)))
                out += numeric[c] ? "<td class=\"n\">\(text)</td>" : "<td>\(text)</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// Text for HTML: markup characters as entities, control characters shown visibly.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.visibleControls {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
