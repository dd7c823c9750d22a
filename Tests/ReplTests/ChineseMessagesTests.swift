import Foundation
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

    // MARK: Loading and files: the location as in English, the message in Chinese

    @Test("a workbook's notes and its XML errors are in Chinese, with the sheet and the cell")
    func workbookMessages() throws {
        let book = try Projq.run(["examples/county-zh.xlsx", "-c", "项目 count"], environment: Self.chinese)
        #expect(book.stdout == "count\n600\n")
        #expect(book.stderr.contains("county-zh.xlsx: 工作表 项目: 第 603 行（合计）是合计行：未载入"))
        // A cell whose text holds an entity no XML defines.
        let folder = try FaultTests.scratchFolder("zh-workbook")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sheet = #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a&nbsp;b</t></is></c></row></sheetData></worksheet>"#
        let script = """
        import sys, zipfile
        src, dst, sheet = sys.argv[2], sys.argv[3], sys.argv[4]
        with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
            first = [n for n in a.namelist() if n.startswith("xl/worksheets/sheet")][0]
            for n in a.namelist():
                b.writestr(n, sheet if n == first else a.read(n))
        """
        // (python3 runs the script; the launcher hands it projq's path first, which it skips)
        let made = try Projq.run([Projq.root + "/Tests/StorageTests/Data/workbooks/lo_单位.xlsx", folder + "/坏.xlsx", sheet],
                                 launcher: ["/usr/bin/python3", "-c", script])
        #expect(made.status == 0, "\(made.stderr)")
        let bad = try Projq.run([folder + "/坏.xlsx", "-c", ".tables"], environment: Self.chinese)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("工作表 "), "\(bad.stderr)")
        #expect(bad.stderr.contains("A2: 工作簿的部件 xl/worksheets/sheet1.xml 不是格式正确的 XML：未知的实体 &nbsp;"), "\(bad.stderr)")
    }

    @Test("a damaged snapshot is refused in Chinese, after its path")
    func damagedSnapshot() throws {
        let folder = try FaultTests.scratchFolder("zh-snapshot")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let snapshot = folder + "/s.projqdb"
        #expect(try Projq.run(["examples/county", "-c", ".save \(snapshot)"]).status == 0)
        // One byte of the header's flags changed: the header's checksum no longer matches.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        bytes[12] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: snapshot))
        let r = try Projq.run([snapshot, "-c", "projects count"], environment: Self.chinese)
        #expect(r.status == 2)
        #expect(r.stderr == "错误：\(snapshot): 不是有效的快照：文件头校验和不符（文件头已损坏）\n")
        try bytes.prefix(20).write(to: URL(fileURLWithPath: snapshot))
        let short = try Projq.run([snapshot, "-c", "projects count"], environment: Self.chinese)
        #expect(short.stderr == "错误：\(snapshot): 不是有效的快照：文件头不完整（仅 20 字节）\n")
    }

    @Test("a schema.toml error is in Chinese at its FILE:LINE:COLUMN, the names quoted as written")
    func schemaError() throws {
        let folder = try FaultTests.scratchFolder("zh-schema")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "编号,投资额\n1,2.5\n".write(toFile: folder + "/项目.csv", atomically: true, encoding: .utf8)
        try "[\"项目\".columns]\n\"投资额\" = \"moeny\"\n".write(toFile: folder + "/schema.toml", atomically: true, encoding: .utf8)
        let r = try Projq.run([folder, "-c", "项目 count"], environment: Self.chinese)
        #expect(r.status == 2)
        #expect(r.stderr == "错误：\(folder)/schema.toml:2:1: 列 '投资额' 的类型 'moeny' 未知；是否应为 'money'？（可用类型：int, decimal, float, percent, money, text, category, date, timestamp, bool）\n")
        try "[\"项目\".columns]\n\"投资额\" = { type = \"money\", unit = \"万元\" \n".write(toFile: folder + "/schema.toml", atomically: true, encoding: .utf8)
        let syntax = try Projq.run([folder, "-c", "项目 count"], environment: Self.chinese)
        #expect(syntax.stderr == "错误：\(folder)/schema.toml:2:39: schema 语法错误：应为始于 2:9 的内联表中的 ',' 或 '}'，却遇到行尾：内联表须写在一行内\n")
    }

    @Test("a CSV cell that does not fit its column is named in Chinese at its FILE:LINE:COLUMN")
    func cellError() throws {
        let folder = try FaultTests.scratchFolder("zh-cell")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "编号,签约日期\n1,2015-03-01\n2,三月\n".write(toFile: folder + "/项目.csv", atomically: true, encoding: .utf8)
        try "[\"项目\".columns]\n\"签约日期\" = \"date\"\n".write(toFile: folder + "/schema.toml", atomically: true, encoding: .utf8)
        let r = try Projq.run([folder, "--no-cache", "-c", "项目 count"], environment: Self.chinese)
        #expect(r.status == 2)
        #expect(r.stderr == "错误：\(folder)/项目.csv:3:3: 列 '签约日期' 中的 '三月' 不是日期（2015-03-01、2015/3/1 或 2015年3月1日）（schema.toml 声明为 date）\n")
    }

    @Test("a snapshot truncated while projq reads it: the message written from C is in Chinese too")
    func truncatedWhileOpen() throws {
        let folder = try FaultTests.scratchFolder("zh-truncated")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let snapshot = folder + "/s.projqdb"
        #expect(try Projq.run(["examples/county", "-c", ".save \(snapshot)"]).status == 0)
        let r = try Projq.run([], environment: Self.chinese, launcher: ["/bin/bash", "-c", """
            (echo 'projects count'; sleep 1; echo 'projects where name contains "x" count') | "$0" \(snapshot) --format csv &
            sleep 0.5; truncate -s 4096 \(snapshot); wait $!
            """])
        #expect(r.status == 2)
        #expect(r.stderr.hasSuffix("错误：\(snapshot)：projq 读取该快照时，它被其他程序截断或覆盖；projq 已停止。请重新打开（projq 保存快照时一步替换整个文件，从不原地修改）。\n"))
    }
}
