import Testing
import Storage
@testable import Repl

/// TAB completion by context, without a terminal: what the word before the cursor becomes.
@Suite("Completion")
struct CompleterTests {
    static let county = try! Dataset.open(path: Projq.root + "/examples/county")
    static let countyZh = try! Dataset.open(path: Projq.root + "/examples/county-zh")
    let completer = Completer(catalog: { CompleterTests.county })
    let chinese = Completer(catalog: { CompleterTests.countyZh })

    @Test("the first word is a table")
    func table() {
        #expect(completer.complete("proj") == .init(candidates: ["projects"], insertion: "ects "))
        #expect(chinese.complete("项").insertion == "目 ")
    }

    @Test("after join, a table")
    func joinTable() {
        #expect(completer.complete("projects join un").insertion == "its ")
    }

    @Test("elsewhere, a column of the statement's table or a keyword")
    func columns() {
        #expect(completer.complete("projects where sec").insertion == "tor ")
        #expect(completer.complete("projects sum inv").insertion == "estment ")
        #expect(completer.complete("projects count by zo").insertion == "ne ")
        #expect(completer.complete("projects whe").insertion == "re ")
    }

    @Test("the columns the pipeline has at the cursor: after an aggregation, after a join, not the base table's gone ones")
    func pipeline() {
        let signed = "项目 sum 投资额 as 签约额 by 责任单位"
        // 签约额 is the aggregation's; 签约日期 went with the base table's rows.
        #expect(chinese.complete(signed + " | select 签").candidates == ["签约额"])
        #expect(chinese.complete(signed + " | select 签").insertion == "约额 ")
        // 任务额 came in with the join.
        let joined = signed + " | join 单位 on 责任单位 = 单位"
        #expect(chinese.complete(joined + " | select 任").candidates == ["任务额"])
        #expect(chinese.complete(joined + " | select 签约额 / 任").candidates == ["任务额"])
        #expect(chinese.complete(joined + " | sort 签").candidates == ["签约额"])
        // Without a pipe: the clause before the one being typed.
        #expect(completer.complete("projects count as n by stage sort ").candidates.prefix(2) == ["stage", "n"])
        // A by key is a column of the aggregation's input, not of its output.
        #expect(chinese.complete("项目 sum 投资额 by 责").insertion == "任单位 ")
        #expect(chinese.complete("项目 count, sum 投资额 by 阶段, 行").insertion == "业 ")
        // Values of a category the pipeline kept.
        #expect(chinese.complete("项目 count by 阶段 | where 阶段 = 签").insertion == "约 ")
        #expect(chinese.complete(joined + " | where 类别 = 部").insertion == "门 ")
    }

    @Test("after =, != and inside in (…): the values of a category column, Chinese too")
    func values() {
        #expect(completer.complete("projects where sector = mach").insertion == "inery ")
        #expect(completer.complete("projects where stage != neg").insertion == "otiating ")
        #expect(completer.complete("projects where sector in (tourism, ag").insertion == "riculture ")
        #expect(completer.complete("projects where unit = 城").insertion == "关镇 ")
        #expect(chinese.complete("项目 where 行业 = 机械").insertion == "加工 ")
    }

    @Test("inside an opened quote, the value and the closing quote")
    func quotedValue() {
        #expect(completer.complete("projects where sector = 'tour").insertion == "ism'")
    }

    @Test("several matches: their common prefix, or the list")
    func several() {
        let r = completer.complete("projects where s")
        #expect(r.candidates.contains("sector") && r.candidates.contains("stage") && r.candidates.contains("signed_on"))
        #expect(r.insertion == "")
        #expect(completer.complete("projects where stage = s").candidates == ["signed", "started"])
    }

    @Test("dot-commands, and file names after the ones that take a file")
    func commandsAndFiles() {
        #expect(completer.complete(".sch").insertion == "ema ")
        #expect(completer.complete(".open examples/coun").candidates == ["county-zh-gb18030/", "county-zh-last/", "county-zh.xlsx", "county-zh/", "county/", "county_xlsx.py"])
        #expect(completer.complete(".read examples/county/sch").insertion == "ema.toml ")
        #expect(completer.complete(".schema pro").insertion == "jects")
    }

    @Test("the list of several candidates fits the terminal in columns")
    func listing() {
        let text = Completer.columns(["sector", "stage", "signed_on", "城关镇"], width: 24)
        #expect(text == "sector     stage\nsigned_on  城关镇\n")
    }
}
