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

    @Test("a table wider than the terminal cuts its widest text column with … at a character boundary")
    func narrowTerminal() throws {
        let box = BoxRenderer(width: 50).render(try sampleTable())
        for line in box.split(separator: "\n") where line.hasPrefix("│") || line.hasPrefix("┌") {
            #expect(DisplayWidth.of(String(line)) <= 50, "\(line)")
        }
        #expect(box.contains("…"))
        // Never half of a wide character: every cut cell still lines up.
        let cells = boxCells(box)
        for c in cells[0].indices { #expect(Set(cells.map { DisplayWidth.of($0[c]) }).count == 1) }
    }

    @Test("more than 40 rows: the first and last 20 with the count of the rest between")
    func longResults() throws {
        let projects = try Dataset.open(path: Projq.root + "/examples/county").table(named: "projects")!
        let box = BoxRenderer().render(projects)
        #expect(box.contains("… 560 more rows (.mode csv or .output FILE shows every row) …"))
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

