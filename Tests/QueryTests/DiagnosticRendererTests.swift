import Testing
@testable import Query

@Suite("Diagnostic rendering")
struct DiagnosticRendererTests {
    @Test("the underline sits under the range, by display width, with Chinese before it")
    func underlineWithChineseText() {
        let source = "项目 where 行业 = 机"
        let start = Array("项目 where ".utf8).count
        let d = Diagnostic("unknown column '行业'", at: SourceRange(start, start + Array("行业".utf8).count), notes: ["did you mean '行业类别'?"])
        #expect(DiagnosticRenderer.render(d, source: source) == """
        1:10: error: unknown column '行业'
         1 | 项目 where 行业 = 机
           |            ^^^^
           = did you mean '行业类别'?

        """)
    }

    @Test("a range on the second line")
    func secondLine() {
        let source = "projects\n  | sort x"
        let d = Diagnostic("unknown column 'x'", at: SourceRange(17, 18))
        #expect(DiagnosticRenderer.render(d, source: source, origin: "meeting.pq") == """
        meeting.pq:2:9: error: unknown column 'x'
         2 |   | sort x
           |         ^

        """)
    }
}

@Suite("Statement splitting")
struct StatementSplitterTests {
    @Test("one statement a line; ';' between statements on a line")
    func linesAndSemicolons() {
        #expect(StatementSplitter.split("projects count\nunits count; projects count by stage\n") ==
                ["projects count", "units count", "projects count by stage"])
    }

    @Test("a trailing '|', a leading '|', an open parenthesis or quote continue the statement")
    func continuation() {
        let script = """
        projects where sector = machinery |
          count by unit
        projects sum investment by unit
          | sort sum_investment desc
        projects where (stage = signed
          or stage = started) count
        projects where name contains 'a;
        b' count
        """
        let s = StatementSplitter.statements(script)
        #expect(s.map(\.line) == [1, 3, 5, 7])
        #expect(s[1].text == "projects sum investment by unit\n  | sort sum_investment desc")
        #expect(s[3].text == "projects where name contains 'a;\nb' count")
    }

    @Test("a trailing ',' continues a list onto the next line; a statement cannot end with one")
    func trailingComma() {
        let s = StatementSplitter.statements("projects count as n,\n  sum investment as inv,\n  -- the average too\n  avg investment by unit\nunits count\n")
        #expect(s.map(\.line) == [1, 5])
        #expect(s[0].text == "projects count as n,\n  sum investment as inv,\n  -- the average too\n  avg investment by unit")
        #expect(!StatementSplitter.isComplete("projects select id,"))
    }

    @Test("what keeps typed text open, for the shell's prompt: a quote, a parenthesis, a trailing '|' or ','")
    func openParts() {
        #expect(StatementSplitter.open("projects count") == nil)
        #expect(StatementSplitter.open("项目 where (阶段 = 签约 count") == .parenthesis)
        #expect(StatementSplitter.open("项目 where 项目名称 contains '机械") == .quote("'"))
        #expect(StatementSplitter.open("projects where name contains \"a") == .quote("\""))
        #expect(StatementSplitter.open("projects count by unit |") == .continuation)
        #expect(StatementSplitter.open("projects select id,") == .continuation)
        #expect(StatementSplitter.open("projects where (a = 'x)') count") == nil)
        #expect(StatementSplitter.open("projects where (a = 'x)' count") == .parenthesis)
    }

    @Test("comment lines are not statements, and do not break a continuation")
    func comments() {
        let script = """
        -- the monthly report
        projects |
          -- by unit
          count by unit -- trailing; not a separator

        .tables
        """
        let s = StatementSplitter.statements(script)
        #expect(s.map(\.text) == ["projects |\n  -- by unit\n  count by unit -- trailing; not a separator", ".tables"])
        #expect(s.map(\.line) == [2, 6])
    }

    @Test("typed text is whole, or goes on: open quote or parenthesis, trailing '|'")
    func completeness() {
        #expect(StatementSplitter.isComplete("projects count"))
        #expect(!StatementSplitter.isComplete("projects where (stage = signed"))
        #expect(!StatementSplitter.isComplete("projects where name contains '机"))
        #expect(!StatementSplitter.isComplete("projects |"))
        #expect(!StatementSplitter.isComplete("projects | -- more below"))
        #expect(StatementSplitter.isComplete("projects |\n  count"))
        #expect(StatementSplitter.isComplete(".open x(y"))
    }
}
