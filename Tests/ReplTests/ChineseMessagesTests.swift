import Testing
import Storage
import Query
import TextSupport
@testable import Repl

/// projq in Chinese, as a user meets it: the binary run with `LANG=zh_CN.UTF-8`, `--lang zh`
/// or `.lang zh`; and a session asked for Chinese in its own task.
@Suite("Chinese messages")
struct ChineseMessagesTests {
    static let chinese: [String: String?] = ["LANG": "zh_CN.UTF-8"]

    @Test("a query error in Chinese keeps its LINE:COL and its carets under the Chinese name, by display width")
    func errorLocationAndUnderline() throws {
        let r = try Projq.run(["examples/county-zh", "-c", "项目 where 阶段 = 签约 and 行业名 = 机械加工 count"], environment: Self.chinese)
        #expect(r.status == 1)
        #expect(r.stderr == """
            1:22: 错误：未知的列 '行业名'
             1 | 项目 where 阶段 = 签约 and 行业名 = 机械加工 count
               |                            ^^^^^^
               = 是否应为 '行业'？
               = 此处可用的列：编号, 项目名称, 责任单位, 行业, 阶段, 投资额, 签约日期, 备案, 评审, 落户乡镇, 客商来源

            """)
        // The carets start at the display column where 行业名 starts on the line above.
        let lines = r.stderr.split(separator: "\n").map(String.init)
        let name = lines[1].range(of: "行业名")!.lowerBound, caret = lines[2].firstIndex(of: "^")!
        #expect(DisplayWidth.of(String(lines[1][..<name])) == DisplayWidth.of(String(lines[2][..<caret])))
    }

    @Test("an unclosed bracket is reported in Chinese at its place")
    func unclosedBracket() throws {
        let r = try Projq.run(["examples/county-zh", "-c", "项目 where (阶段 = 签约 count"], environment: Self.chinese)
        #expect(r.stderr == """
            1:19: 错误：缺少闭合第 14 列 '(' 的 ')'，却遇到 'count'
             1 | 项目 where (阶段 = 签约 count
               |                         ^^^^^

            """)
    }

    @Test("the footer counts rows and the timer says 用时 … 毫秒")
    func footerAndTimer() throws {
        let r = try Projq.run(["examples/county-zh", "--format", "box", "-c", ".timer on", "-c", "项目 count by 阶段"], environment: Self.chinese)
        let last = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("共 5 行 · 用时 ") && last.hasSuffix(" 毫秒"), "\(last)")
        // The headers are the data's and the engine's, in every language.
        #expect(r.stdout.contains("│ 阶段 │ count │"))
    }

    @Test(".help lists the commands in Chinese, and .help lang explains .lang with an example")
    func help() throws {
        let r = try Projq.run(["examples/county-zh", "-c", ".help", "-c", ".help lang"], environment: Self.chinese)
        #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix(".tables ") && $0.hasSuffix(" 列出各表及其行数") })
        #expect(r.stdout.contains("查询：先写表名，再接子句："))
        #expect(r.stdout.contains(".lang [zh|en]\n  设置本次运行之后的消息"))
        #expect(r.stdout.contains("  示例：.lang en\n"))
    }

    @Test("projq --help is in Chinese, wrapped at 80 display columns")
    func commandLineHelp() throws {
        let r = try Projq.run(["--help"], environment: Self.chinese)
        #expect(r.stdout.hasPrefix("概述：招商引资项目台账的查询工具。\n\n用法：projq [DATA]"))
        #expect(r.stdout.contains("  --lang LANGUAGE         消息、帮助和错误的语言"))
        for line in r.stdout.split(separator: "\n") { #expect(DisplayWidth.of(String(line)) <= 80, "\(line)") }
    }

    @Test("LANG, LC_MESSAGES or LC_ALL starting with zh, --lang zh and .lang zh each switch to Chinese")
    func switches() throws {
        let query = ["examples/county", "-c", "project count"]
        for environment: [String: String?] in [["LANG": "zh_CN.UTF-8"], ["LC_MESSAGES": "zh_CN.UTF-8"], ["LC_ALL": "zh_CN.UTF-8", "LANG": "C.UTF-8"]] {
            let r = try Projq.run(query, environment: environment)
            #expect(r.stderr.hasPrefix("1:1: 错误：未知的表 'project'"), "\(environment): \(r.stderr)")
        }
        let flag = try Projq.run(query + ["--lang", "zh"])
        #expect(flag.stderr.hasPrefix("1:1: 错误：未知的表 'project'"))
        let command = try Projq.run(["examples/county"], stdin: ".lang zh\nproject count\n")
        #expect(command.stderr.hasPrefix("stdin:2:1: 错误：未知的表 'project'"))
    }

    @Test("LANG=C.UTF-8, LANG unset, LC_ALL=C over a Chinese LANG, --lang en and .lang en stay or go back to English")
    func english() throws {
        let query = ["examples/county", "-c", "project count"]
        for environment: [String: String?] in [["LANG": "C.UTF-8"], [:], ["LC_ALL": "C", "LANG": "zh_CN.UTF-8"]] {
            let r = try Projq.run(query, environment: environment)
            #expect(r.stderr.hasPrefix("1:1: error: unknown table 'project'"), "\(environment): \(r.stderr)")
        }
        let flag = try Projq.run(query + ["--lang", "en"], environment: Self.chinese)
        #expect(flag.stderr.hasPrefix("1:1: error: unknown table 'project'"))
        let command = try Projq.run(["examples/county"], stdin: ".lang en\nproject count\n", environment: Self.chinese)
        #expect(command.stderr.hasPrefix("stdin:2:1: error: unknown table 'project'"))
    }

    @Test("a usage error is in the language of --lang, wherever --lang is on the line")
    func usageError() throws {
        let r = try Projq.run(["--bogus", "--lang", "zh"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("错误：未知的选项 '--bogus'\n用法：projq "))
        let bad = try Projq.run(["examples/county", "--lang", "fr", "-c", "projects count"])
        #expect(bad.status == 2 && bad.stderr == "error: --lang takes zh or en, not 'fr'\n")
    }

    @Test("a session asked for Chinese in its own task answers in Chinese, and other tasks stay English")
    func sessionInATask() throws {
        let session = Session(catalog: try Dataset.open(path: Projq.root + "/examples/county"))
        let chinese = Language.$scoped.withValue(.chinese) { session.execute("projects count by sector across stag") }
        guard case .statementError(let text) = chinese else { Issue.record("\(chinese)"); return }
        #expect(text.hasPrefix("1:33: 错误：未知的列 'stag'"))
        guard case .statementError(let english) = session.execute("projects count by sector across stag") else { return }
        #expect(english.hasPrefix("1:33: error: unknown column 'stag'"))
    }
}
