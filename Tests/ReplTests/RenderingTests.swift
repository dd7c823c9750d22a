import Testing
import Storage
import TextSupport
@testable import Repl

/// A small table with Chinese, mixed and wide text, numbers, money, dates and nulls.
func sampleTable() throws -> Table {
    let catalog = try Dataset.open(path: Projq.root + "/Tests/ReplTests/Data/mixed")
    return catalog.tables[0]
}

/// Splits a rendered box into its lines and the cells of each data line.
func boxCells(_ box: String) -> [[String]] {
    box.split(separator: "\n").filter { $0.hasPrefix("│") }.map { line in
        line.split(separator: "│", omittingEmptySubsequences: false).dropFirst().dropLast().map(String.init)
    }
}

@Suite("Rendering")
struct RenderingTests {
    @Test("every line of a box has the same display width, with Chinese, mixed and wide cells")
    func boxLinesAlign() throws {
        let box = BoxRenderer().render(try sampleTable())
        let lines = box.split(separator: "\n").filter { $0.hasPrefix("│") || $0.hasPrefix("┌") || $0.hasPrefix("├") || $0.hasPrefix("└") }
        let widths = Set(lines.map { DisplayWidth.of(String($0)) })
        #expect(widths.count == 1, "\(box)")
    }

    @Test("column by column, every cell has the column's display width")
    func boxColumnsAlign() throws {
        let cells = boxCells(BoxRenderer().render(try sampleTable()))
        for c in cells[0].indices {
            let widths = Set(cells.map { DisplayWidth.of($0[c]) })
            #expect(widths.count == 1, "column \(c): \(cells.map { $0[c] })")
        }
    }

    @Test("money headers carry the unit; numbers are right-aligned with separators; null is empty")
    func boxCellsLook() throws {
        let cells = boxCells(BoxRenderer().render(try sampleTable()))
        #expect(cells[0].map { $0.trimmingCharacters(in: " ") } == ["name", "town", "amount (万元)", "count", "signed_on"])
        let amount = cells[1][2]
        #expect(amount.hasSuffix("12,345.6 "), "\(amount)")
        #expect(amount.hasPrefix(" "))
        #expect(cells[3][3].trimmingCharacters(in: " ") == "")   // null count
        #expect(cells[1][4].trimmingCharacters(in: " ") == "2015-03-01")
    }

    @Test("a table wider than the terminal cuts its widest text with … at a character boundary, never a number, a date or a header")
    func narrowTerminal() throws {
        // 67 columns wide; at 62 the name column gives up five.
        let box = BoxRenderer(width: 62).render(try sampleTable())
        for line in box.split(separator: "\n") where line.hasPrefix("│") || line.hasPrefix("┌") {
            #expect(DisplayWidth.of(String(line)) == 62, "\(line)")
        }
        #expect(box.contains("…"))
        let cells = boxCells(box)
        // Never half of a wide character: every cut cell still lines up.
        for c in cells[0].indices { #expect(Set(cells.map { DisplayWidth.of($0[c]) }).count == 1) }
        // Headers, numbers and dates whole.
        #expect(cells[0].map { $0.trimmingCharacters(in: " ") } == ["name", "town", "amount (万元)", "count", "signed_on"])
        #expect(cells.dropFirst().map { $0[2].trimmingCharacters(in: " ") } == ["12,345.6", "5", "100,000,000", "0.5"])
        #expect(cells.dropFirst().map { $0[4].trimmingCharacters(in: " ") } == ["2015-03-01", "2015-12-31", "", "2014-01-01"])
        // The widest text gives the five columns: name 15 → 10, 城关镇机械厂 (12) → 城关镇机… (9).
        #expect(cells[1][0] == " 城关镇机…  ")
    }

    @Test("a table that cannot fit without cutting a number, a date or a header shows records, nothing cut")
    func recordsWhenTooNarrow() throws {
        // The minimums (text 8, the rest whole) need 60 columns: at 50, records.
        let text = BoxRenderer(width: 50).render(try sampleTable())
        #expect(!text.contains("┌"))
        #expect(!text.contains("…"))
        let lines = text.split(separator: "\n").map(String.init)
        for line in lines { #expect(DisplayWidth.of(line) <= 50, "\(line)") }
        #expect(lines.filter { $0.hasPrefix("─[ ") }.count == 4)
        #expect(lines[0].hasPrefix("─[ 1 ]──"))
        #expect(lines[1...5] == [
            "name          │ 城关镇机械厂",
            "town          │ 城关镇",
            "amount (万元) │ 12,345.6",
            "count         │ 3",
            "signed_on     │ 2015-03-01",
        ])
        #expect(lines.last == "4 rows")
    }

    @Test("records: the │ at one display column on every line; a value longer than the line goes on under itself")
    func recordsWrap() throws {
        let text = RecordsRenderer(width: 24).render(try sampleTable())
        let lines = text.split(separator: "\n").map(String.init).filter { $0.contains("│") }
        for line in lines {
            let before = line[..<line.firstIndex(of: "│")!]
            #expect(DisplayWidth.of(String(before)) == 14, "\(line)")
            #expect(DisplayWidth.of(line) <= 24, "\(line)")
        }
        // 14 + 3 leaves the value 8 columns (the least it gets): "mixed 中文 text" in three lines.
        let i = lines.firstIndex(of: "name          │ mixed 中")!
        #expect(lines[i + 1] == "              │ 文 text")
        let j = lines.firstIndex(of: "name          │ ABC Trad")!
        #expect(lines[j + 1] == "              │ ing Co")
    }

    @Test(".mode records through the session: records whatever the width, a line per column, the total row named")
    func recordsMode() throws {
        let session = Session(catalog: try Dataset.open(path: Projq.root + "/examples/county"))
        session.format = .records
        session.outputIsTerminal = true
        session.terminalWidth = 200
        guard case .output(let text, _) = session.execute("projects count by stage | total") else { Issue.record("no table"); return }
        #expect(text.hasPrefix("─[ 1 ]"))
        #expect(text.contains("─[ 6 · total ]"))
        #expect(text.contains("stage │ 合计\ncount │ 600\n"))
        #expect(text.hasSuffix("6 rows\n"), "\(text)")
    }

    @Test("more than 40 rows: the first and last 20 with the count of the rest between")
    func longResults() throws {
        let projects = try Dataset.open(path: Projq.root + "/examples/county").table(named: "projects")!
        let box = BoxRenderer().render(projects)
        #expect(box.contains("… 560 more rows (.pager on, .mode csv or .output FILE shows every row) …"))
        #expect(boxCells(box).count == 1 + 40 + 1)   // header, rows, the note
        #expect(box.hasSuffix("600 rows\n"))
    }

    @Test("markdown columns line up by display width")
    func markdownAligns() throws {
        let md = MarkdownRenderer().render(try sampleTable())
        let widths = Set(md.split(separator: "\n").map { DisplayWidth.of(String($0)) })
        #expect(widths.count == 1, "\(md)")
        #expect(md.split(separator: "\n")[1].contains("---:"))
    }

    @Test("display width: wide and fullwidth are 2, combining marks 0")
    func widths() {
        #expect(DisplayWidth.of("城关镇") == 6)
        #expect(DisplayWidth.of("ＡＢ") == 4)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.truncate("城关镇工业园", to: 6) == "城关…")
        #expect(DisplayWidth.truncate("城关镇工业园", to: 5) == "城关…")
        #expect(DisplayWidth.truncate("ab城关", to: 4) == "ab…")
    }

    @Test("JSON: numbers as numbers, null as null, text escaped")
    func json() throws {
        let text = JSONRenderer().render(try sampleTable())
        #expect(text.contains("\"amount\": 12345.6"))
        #expect(text.contains("\"count\": null"))
        #expect(text.contains("\"name\": \"说\\\"明\\\"\""))
    }
}

