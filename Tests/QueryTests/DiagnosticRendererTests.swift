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
