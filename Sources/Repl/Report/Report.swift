import Storage
import Query

/// A document a script builds for the meeting: its title, headings, paragraphs and result
/// tables, in order. `.report FILE` (or `--report FILE`) starts one; the directives and every
/// result go into it, and `.report end` (or the end of the run) writes it in the format its
/// file's extension names. Nothing else goes in: notes and errors stay on standard error.
public final class Report {
    enum Block {
        case title(String)
        case heading(String)
        case subheading(String)
        case text(String)
        case table(Table, roles: [RowRole]?, caption: String?, chart: ChartData?)
        case pageBreak
    }

    public enum Format: String, CaseIterable, Sendable {
        case html, markdown, xlsx, csv

        /// The format a file's extension names: `.html`/`.htm`, `.md`/`.markdown`.
        public init?(path: String) {
            let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
            guard let dot = name.lastIndex(of: ".") else { return nil }
            switch name[name.index(after: dot)...] {
            case "html", "htm": self = .html
            case "md", "markdown": self = .markdown
            case "xlsx": self = .xlsx
            case "csv": self = .csv
            default: return nil
            }
        }
    }

    public let path: String
    public let format: Format
    private(set) var blocks: [Block] = []
    /// The heading above the next table, which becomes its caption.
    private var pendingCaption: String? = nil

    public init(path: String, format: Format) {
        self.path = path
        self.format = format
    }

    func add(_ block: Block) {
        switch block {
        case .heading(let h), .subheading(let h): pendingCaption = h
        case .title, .pageBreak: pendingCaption = nil
        case .text, .table: break
        }
        blocks.append(block)
    }

    /// A result table, captioned by the heading above it (once), with its chart.
    func add(_ table: Table, roles: [RowRole]?, chart: ChartData?) {
        blocks.append(.table(table, roles: roles, caption: pendingCaption, chart: chart))
        pendingCaption = nil
    }

    /// A CSV report is its tables only, separated by a blank line, after a UTF-8 byte-order
    /// mark: a file that is to be a CSV report is to be opened in Excel, which reads it as UTF-8
    /// by the mark (without it, as the machine's code page: mojibake on a Chinese Windows).
    func csv() -> String {
        var parts: [String] = []
        for case .table(let table, _, _, _) in blocks {
            let sink = OutputSink()
            CSVRenderer().render(table, into: sink)
            parts.append(sink.text)
        }
        return "\u{FEFF}" + parts.joined(separator: "\n")
    }

    /// Writes the document at `path` in one step (a failure leaves the previous file).
    public func write() throws(LoadError) {
        switch format {
        case .html: try AtomicFile.replace(path, with: Array(HTMLReport(self).render().utf8))
        case .markdown: try AtomicFile.replace(path, with: Array(MarkdownReport(self).render().utf8))
        case .csv: try AtomicFile.replace(path, with: Array(csv().utf8))
        case .xlsx: try AtomicFile.replace(path) { XLSXReport(self).write(to: $0) }
        }
    }

    /// The title, for the HTML page's title: the first `.title`, else the first heading.
    var documentTitle: String {
        for b in blocks {
            switch b {
            case .title(let t), .heading(let t): return t
            default: continue
            }
        }
        return "projq"
    }
}
