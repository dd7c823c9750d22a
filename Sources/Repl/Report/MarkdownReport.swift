/// A report as markdown: `#` for the title, `##` and `###` for headings, paragraphs, tables as
/// the markdown mode writes them (aligned by display width, totals in bold), a page break as a
/// rule.
struct MarkdownReport {
    let report: Report

    init(_ report: Report) { self.report = report }

    func render() -> String {
        var parts: [String] = []
        for block in report.blocks {
            switch block {
            case .title(let t): parts.append("# " + MarkdownReport.line(t))
            case .heading(let t): parts.append("## " + MarkdownReport.line(t))
            case .subheading(let t): parts.append("### " + MarkdownReport.line(t))
            case .text(let t): parts.append(t.visibleControls)
            case .table(let table, let roles, _, let chart):
                parts.append(String(MarkdownRenderer().render(table, roles: roles).dropLast()))
                // A chart as bars of block characters in a code block.
                if let chart { parts.append("```\n" + TextChart.render(chart, width: 72) + "```") }
            case .pageBreak: parts.append("---")
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// A heading's text on one line.
    static func line(_ s: String) -> String {
        s.visibleControls.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
