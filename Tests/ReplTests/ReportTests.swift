import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Meeting documents written by `--report` and `.report`, read back.
@Suite("Reports, through the binary")
struct ReportTests {
    static let script = """
        .title 招商引资工作通报（截至 $date）
        .heading 一、项目进展
        .text 全县签约及以上项目{项目 where 阶段 >= 签约 count}个，投资额{项目 where 阶段 >= 签约 sum 投资额}万元。
        .chart column 阶段 项目数
        项目 count as 项目数, sum 投资额 as 投资额 by 阶段 | total | select 阶段, 项目数, 投资额, share(投资额) as 占比
        .pagebreak
        .heading 二、<各类别>的任务 & 完成
        .chart pie 任务额
        单位 count as 单位数, sum 任务额 as 任务额 by 类别 | total
        """

    func run(_ extension: String, _ extra: [String] = []) throws -> (Projq.Run, String) {
        let folder = try FaultTests.scratchFolder("report-\(`extension`)")
        let scriptPath = folder + "/meeting.pq", report = folder + "/meeting." + `extension`
        try ReportTests.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let r = try Projq.run(["examples/county-zh", "--set", "date=2015-12-31", "-f", scriptPath, "--report", report] + extra)
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(atPath: folder)
        return (r, text)
    }

    @Test("--report FILE.md: the title, headings, texts with their values, the tables as markdown with totals in bold, charts as bars in code blocks; nothing on standard output")
    func markdown() throws {
        let (r, text) = try run("md")
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(r.stderr == "")
        #expect(text == """
            # 招商引资工作通报（截至 2015-12-31）

            ## 一、项目进展

            全县签约及以上项目388个，投资额2,028,830.9万元。

            | 阶段     | 项目数  | 投资额 (万元)   | 占比       |
            | -------- | ------: | --------------: | ---------: |
            | 线索     |     131 |       813,789.4 |      24.8% |
            | 在谈     |      81 |       436,020.9 |      13.3% |
            | 签约     |     173 |       845,562.2 |      25.8% |
            | 开工     |     133 |       721,105.8 |      22.0% |
            | 投产     |      82 |       462,162.9 |      14.1% |
            | **合计** | **600** | **3,278,641.2** | **100.0%** |

            ```
            项目数
            线索 ███████████████████████████████████████████████ 131
            在谈 █████████████████████████████ 81
            签约 ██████████████████████████████████████████████████████████████ 173
            开工 ███████████████████████████████████████████████▋ 133
            投产 █████████████████████████████▍ 82
            ```

            ---

            ## 二、<各类别>的任务 & 完成

            | 类别     | 单位数 | 任务额 (万元) |
            | -------- | -----: | ------------: |
            | 部门     |     20 |     1,194,000 |
            | 乡镇     |     20 |     1,045,000 |
            | **合计** | **40** | **2,239,000** |

            ```
            任务额 (万元)
            部门 ████████████████████████████████████████████████████████ 1,194,000
            乡镇 █████████████████████████████████████████████████ 1,045,000
            ```

            """)
    }

    @Test("--report FILE.html: one page, read back as XML: headings, captions, every cell, total rows marked, a page break, no script")
    func html() throws {
        let (r, text) = try run("html")
        #expect(r.status == 0)
        #expect(r.stdout == "")
        #expect(!text.contains("<script"))
        let page = try #require(HTMLPage(text))
        #expect(page.texts["title"] == ["招商引资工作通报（截至 2015-12-31）"])
        #expect(page.texts["h1"] == ["招商引资工作通报（截至 2015-12-31）"])
        #expect(page.texts["h2"] == ["一、项目进展", "二、<各类别>的任务 & 完成"])
        #expect(page.texts["caption"] == ["一、项目进展", "二、<各类别>的任务 & 完成"])
        #expect(page.texts["p"] == ["全县签约及以上项目388个，投资额2,028,830.9万元。"])
        #expect(page.tables.count == 2)
        #expect(page.tables[0].first == ["阶段", "项目数", "投资额 (万元)", "占比"])
        #expect(page.tables[0].last == ["合计", "600", "3,278,641.2", "100.0%"])
        #expect(page.tables[1] == [["类别", "单位数", "任务额 (万元)"], ["部门", "20", "1,194,000"], ["乡镇", "20", "1,045,000"], ["合计", "40", "2,239,000"]])
        #expect(page.totalRows == 2)
        #expect(page.pageBreaks == 1)
        // The charts: a column per stage (the total row left out), a slice per kind of unit,
        // each titled by the heading and labelled with its values.
        #expect(page.charts == ["column", "pie"])
        #expect(page.marks == [5, 2])
        #expect(page.chartTexts[0].contains("一、项目进展") && page.chartTexts[0].contains("项目数") && page.chartTexts[0].contains("173"))
        #expect(page.chartTexts[1].contains("部门：1,194,000（53.3%）"))
    }

    @Test("--report FILE.xlsx read back with openpyxl: a cover, a sheet per table named by its heading, typed cells with Excel formats, bold frozen headers, widths, bold totals, one native chart per .chart")
    func xlsx() throws {
        let folder = try FaultTests.scratchFolder("report-xlsx-read")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scriptPath = folder + "/meeting.pq", book = folder + "/meeting.xlsx"
        try ReportTests.script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let r = try Projq.run(["examples/county-zh", "--set", "date=2015-12-31", "-f", scriptPath, "--report", book])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let reader = """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print("sheets", "|".join(wb.sheetnames))
            for ws in wb.worksheets:
                print("sheet", ws.title, ws.freeze_panes, len(ws._charts), " ".join("%s=%d" % (k, round(v.width)) for k, v in sorted(ws.column_dimensions.items())))
                for row in ws.iter_rows():
                    cells = [c for c in row if c.value is not None]
                    if cells:
                        print("row", " | ".join("%s:%s:%s:%s" % (type(c.value).__name__, c.value, c.number_format, "b" if c.font.b else "") for c in cells))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", reader, book]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "python3 with openpyxl (make setup installs python3-openpyxl): \(errors)")
        #expect(text == """
            sheets 封面|一、项目进展|二、<各类别>的任务 & 完成
            sheet 封面 None 0 A=91
            row str:招商引资工作通报（截至 2015-12-31）:General:b
            row str:一、项目进展:General:b
            row str:全县签约及以上项目388个，投资额2,028,830.9万元。:General:
            row str:二、<各类别>的任务 & 完成:General:b
            sheet 一、项目进展 A2 1 A=7 B=9 C=16 D=9
            row str:阶段:General:b | str:项目数:General:b | str:投资额 (万元):General:b | str:占比:General:b
            row str:线索:General: | int:131:#,##0: | float:813789.4:#,##0.0: | float:0.248:0.0%:
            row str:在谈:General: | int:81:#,##0: | float:436020.9:#,##0.0: | float:0.133:0.0%:
            row str:签约:General: | int:173:#,##0: | float:845562.2:#,##0.0: | float:0.258:0.0%:
            row str:开工:General: | int:133:#,##0: | float:721105.8:#,##0.0: | float:0.22:0.0%:
            row str:投产:General: | int:82:#,##0: | float:462162.9:#,##0.0: | float:0.141:0.0%:
            row str:合计:General:b | int:600:#,##0:b | float:3278641.2:#,##0.0:b | int:1:0.0%:b
            sheet 二、<各类别>的任务 & 完成 A2 1 A=7 B=9 C=16
            row str:类别:General:b | str:单位数:General:b | str:任务额 (万元):General:b
            row str:部门:General: | int:20:#,##0: | int:1194000:#,##0:
            row str:乡镇:General: | int:20:#,##0: | int:1045000:#,##0:
            row str:合计:General:b | int:40:#,##0:b | int:2239000:#,##0:b

            """)
    }

    @Test("examples/meeting-zh.pq with --report: the meeting pack as one HTML page (three charts, every table) and as a workbook (a sheet per table)")
    func meetingPack() throws {
        let folder = try FaultTests.scratchFolder("report-meeting")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = ["examples/county-zh", "--set", "会议日期=2015-12-31", "--attach", "上月=examples/county-zh-last", "-f", "examples/meeting-zh.pq"]
        let html = try Projq.run(arguments + ["--report", folder + "/meeting.html"])
        #expect(html.status == 0 && html.stdout.isEmpty && html.stderr.isEmpty)
        let page = try #require(HTMLPage(try String(contentsOfFile: folder + "/meeting.html", encoding: .utf8)))
        #expect(page.tables.count == 12)
        #expect(page.charts == ["column", "pie", "bar"])
        #expect(page.marks == [5, 12, 11])
        #expect(page.texts["h1"] == ["全县招商引资工作通报（截至 2015-12-31）"])
        #expect(page.texts["p"] == ["截至2015-12-31，全县在谈项目81个，投资总额43.6亿元；签约及以上项目388个，投资总额202.88亿元。"])
        #expect(page.pageBreaks == 2)
        let book = try Projq.run(arguments + ["--report", folder + "/meeting.xlsx"])
        #expect(book.status == 0)
        // Sheet names: a heading past Excel's 31 characters cut there, a second table under
        // one heading named 表N, the cover first; a chart beside each charted table.
        let (status, names) = try ReportTests.program("/usr/bin/python3", ["-c", """
            import sys, openpyxl
            wb = openpyxl.load_workbook(sys.argv[1])
            print("|".join(wb.sheetnames))
            print(" ".join(str(len(ws._charts)) for ws in wb.worksheets))
            """, folder + "/meeting.xlsx"])
        #expect(status == 0)
        #expect(names == """
            封面|一、项目总体进展：各阶段项目数和投资额（亿元）|旅游项目开工、机械加工项目招引情况|二、各单位任务完成情况（签约及以上项目投资额 ÷ 任务额），部|三、行业分布（签约及以上）|各单位平均任务额（万元）|四、项目管理：备案、评审|五、项目质量：投资额过亿元的项目，及最大的五条线索|表8|六、与上次调度会（上月台账）相比|本期新签约项目|本期新签约，按单位|本期终止的项目
            0 1 0 0 1 0 0 0 0 0 0 1 0

            """)
    }

    /// Runs a program to its end; its status and standard output.
    static func program(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    @Test("the meeting pack in a real browser: Chromium prints it to A4 PDF pages, page breaks where .pagebreak stands, no table row cut between pages; a screenshot that is not blank (kept as docs/meeting-pack.png)")
    func browser() throws {
        let folder = try FaultTests.scratchFolder("report-browser")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = folder + "/meeting.html", pdf = folder + "/meeting.pdf", png = Projq.root + "/docs/meeting-pack.png"
        let r = try Projq.run(["examples/county-zh", "--set", "会议日期=2015-12-31", "--attach", "上月=examples/county-zh-last",
                               "-f", "examples/meeting-zh.pq", "--report", html])
        #expect(r.status == 0)
        let chromium = "/usr/bin/chromium"
        try #require(FileManager.default.fileExists(atPath: chromium), "chromium is missing: make setup installs it")
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"]
        let (printed, _) = try ReportTests.program(chromium, common + ["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://\(html)"])
        #expect(printed == 0)
        let (_, info) = try ReportTests.program("/usr/bin/pdfinfo", [pdf])
        #expect(info.contains("(A4)"))
        let pages = Int(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }?.split(separator: " ").last ?? "") ?? 0
        // Two .pagebreak directives: at least three pages; the whole pack fits in a few.
        #expect(pages >= 3 && pages <= 12, "\(pages) pages")
        // Every table row of the page is on one line of one page: its first and last cells
        // side by side in the PDF's text (pdftotext -layout keeps a row on its line).
        let (_, text) = try ReportTests.program("/usr/bin/pdftotext", ["-layout", pdf, "-"])
        let lines = text.split(separator: "\n").map(String.init)
        let page = try #require(HTMLPage(try String(contentsOfFile: html, encoding: .utf8)))
        var rows = 0
        for table in page.tables {
            for row in table.dropFirst() where row.count > 1 {
                let first = row[0], last = row[row.count - 1]
                guard !first.isEmpty, !last.isEmpty else { continue }
                rows += 1
                #expect(lines.contains { $0.contains(first) && $0.contains(last) }, "row \(row) is not on one line")
            }
        }
        #expect(rows > 80)
        // The first page, as a screenshot: a blank page of this size compresses to a few KB.
        let (shot, _) = try ReportTests.program(chromium, common + ["--window-size=1000,1400", "--screenshot=\(png)", "file://\(html)"])
        #expect(shot == 0)
        let size = (try FileManager.default.attributesOfItem(atPath: png)[.size] as? Int) ?? 0
        #expect(size > 40_000, "screenshot of \(size) bytes")
    }

    @Test("the workbook opened by LibreOffice headless, converted to PDF without error",
          .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/libreoffice"), "LibreOffice is not installed (apt-get install libreoffice-calc): the workbook is read back by openpyxl only"))
    func libreOffice() throws {
        let folder = try FaultTests.scratchFolder("report-libreoffice")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let r = try Projq.run(["examples/county-zh", "--set", "会议日期=2015-12-31", "--attach", "上月=examples/county-zh-last",
                               "-f", "examples/meeting-zh.pq", "--report", folder + "/meeting.xlsx"])
        #expect(r.status == 0)
        let (status, _) = try ReportTests.program("/usr/bin/libreoffice", ["--headless", "--convert-to", "pdf", "--outdir", folder, folder + "/meeting.xlsx"])
        #expect(status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/meeting.pdf"))
    }

    @Test("CSV that Chinese Excel opens: --bom or .mode csv bom starts the first table with a UTF-8 byte-order mark; --encoding gb18030 writes GB18030")
    func excelCSV() throws {
        let bom = try Projq.run(["examples/county-zh", "--format", "csv", "--bom", "-c", "单位 count by 类别", "-c", "单位 count"])
        #expect(bom.stdout == "\u{FEFF}类别,count\n部门,20\n乡镇,20\n\ncount\n40\n")
        let dot = try Projq.run(["examples/county-zh", "-c", ".mode csv bom", "-c", "单位 count"])
        #expect(Array(dot.stdout.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let folder = try FaultTests.scratchFolder("gb18030")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let gb = try Projq.run([], launcher: ["/bin/bash", "-c", "\"$0\" examples/county-zh --format csv --encoding gb18030 -c '单位 count by 类别' > \(folder)/out.csv"])
        #expect(gb.status == 0)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: folder + "/out.csv")))
        // 类别 is C0 E0 B1 F0 in GB18030; 部门 B2 BF C3 C5.
        #expect(Array(bytes.prefix(4)) == [0xC0, 0xE0, 0xB1, 0xF0])
        #expect(bytes.count == 27)
        let bad = try Projq.run(["examples/county-zh", "--encoding", "latin1", "-c", "单位 count"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: --encoding takes utf-8 or gb18030, not 'latin1'\n")
    }

    @Test("--report FILE.csv: the tables only, a blank line between them, after a UTF-8 byte-order mark (for Excel)")
    func csvReport() throws {
        let folder = try FaultTests.scratchFolder("report-csv-bytes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try ReportTests.script.write(toFile: folder + "/meeting.pq", atomically: true, encoding: .utf8)
        let r = try Projq.run(["examples/county-zh", "--set", "date=2015-12-31", "-f", folder + "/meeting.pq", "--report", folder + "/meeting.csv"])
        #expect(r.status == 0)
        // Read as bytes: Foundation's String(contentsOfFile:) drops a byte-order mark.
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder + "/meeting.csv")), as: UTF8.self)
        #expect(text == "\u{FEFF}阶段,项目数,投资额,占比\n线索,131,813789.4,0.248\n在谈,81,436020.9,0.133\n签约,173,845562.2,0.258\n开工,133,721105.8,0.22\n投产,82,462162.9,0.141\n合计,600,3278641.2,1\n\n类别,单位数,任务额\n部门,20,1194000\n乡镇,20,1045000\n合计,40,2239000\n")
    }

    @Test(".chart in the terminal: bars of eighth blocks under the box table, labels aligned by display width, values at the ends; csv stays a table; a column the result lacks is an error")
    func terminalChart() throws {
        let box = try Projq.run(["examples/county-zh", "--format", "box", "-c", ".chart bar 阶段 项目数", "-c", "项目 count as 项目数 by 阶段 | total"])
        #expect(box.status == 0)
        #expect(box.stdout.hasSuffix("""
            6 rows

            线索 ████████████████████████████████████████████████████████████████████▏ 131
            在谈 ██████████████████████████████████████████▏ 81
            签约 ██████████████████████████████████████████████████████████████████████████████████████████ 173
            开工 █████████████████████████████████████████████████████████████████████▎ 133
            投产 ██████████████████████████████████████████▋ 82

            """))
        let csv = try Projq.run(["examples/county-zh", "--format", "csv", "-c", ".chart bar 阶段 项目数", "-c", "项目 count as 项目数 by 阶段"])
        #expect(csv.stdout == "阶段,项目数\n线索,131\n在谈,81\n签约,173\n开工,133\n投产,82\n")
        let wrong = try Projq.run(["examples/county-zh", "-c", ".chart bar 阶段 数量", "-c", "项目 count as 项目数 by 阶段"])
        #expect(wrong.status == 1)
        #expect(wrong.stderr == "error: the chart's values: the result has no column '数量' (columns: 阶段, 项目数) (.chart bar before this statement)\n")
    }

    @Test("a report of another extension, or over a source file, is refused before anything runs; a failed write leaves the old file")
    func refusals() throws {
        let bad = try Projq.run(["examples/county", "-c", "projects count", "--report", "/tmp/x.pdf"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: --report /tmp/x.pdf: a report is written as .html, .xlsx, .md or .csv, by its file's extension; /tmp/x.pdf has none of them\n")
        let folder = try FaultTests.scratchFolder("report-keep")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A folder where the report would go: the write fails, exit 2, nothing replaced.
        try FileManager.default.createDirectory(atPath: folder + "/r.md", withIntermediateDirectories: true)
        let failed = try Projq.run(["examples/county", "-c", ".report \(folder)/r.md", "-c", "projects count", "-c", ".report end"])
        #expect(failed.status == 2)
        #expect(failed.stderr == "error: \(folder)/r.md: cannot write: it is a folder; the file is unchanged\n")
    }
}

/// The parts of an XHTML page the tests read: the text of each element by name, the tables as
/// rows of cell texts, the rows marked as totals, the page breaks.
final class HTMLPage: NSObject, XMLParserDelegate {
    var texts: [String: [String]] = [:]
    var tables: [[[String]]] = []
    var totalRows = 0
    var pageBreaks = 0
    /// Each chart's kind, its marks (bars, points, slices) and all its text.
    var charts: [String] = []
    var marks: [Int] = []
    var chartTexts: [String] = []
    private var stack: [String] = []
    private var current = ""
    private var row: [String]? = nil

    init?(_ text: String) {
        super.init()
        let parser = XMLParser(data: Data(text.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        parser.delegate = self
        guard parser.parse() else { return nil }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(name)
        current = ""
        switch name {
        case "table": tables.append([])
        case "tr":
            row = []
            if attributes["class"] == "total" || attributes["class"] == "subtotal" { totalRows += 1 }
        case "div" where attributes["class"] == "pagebreak": pageBreaks += 1
        case "svg":
            charts.append(attributes["class"] ?? "")
            marks.append(0)
            chartTexts.append("")
        default:
            if attributes["class"] == "mark", !marks.isEmpty { marks[marks.count - 1] += 1 }
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        current += string
        if stack.contains("svg"), !chartTexts.isEmpty { chartTexts[chartTexts.count - 1] += string + " " }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
        switch name {
        case "td", "th": row?.append(current)
        case "tr":
            if let row { tables[tables.count - 1].append(row) }
            row = nil
        case "title", "h1", "h2", "h3", "p", "caption": texts[name, default: []].append(current)
        default: break
        }
        current = ""
    }
}
