import Foundation
import Testing

/// The commands for comparing with the last meeting and for scripts that must not print a wrong
/// number, through the binary.
@Suite("Attach, load and strict, through the binary")
struct MeetingCommandTests {
    @Test("--attach and .attach open another dataset or snapshot beside the current one; its tables are NAME.TABLE with their own schema")
    func attach() throws {
        let folder = try FaultTests.scratchFolder("attach")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try Projq.run(["examples/county-zh-last", "-c", ".save \(folder)/last.projqdb"]).status == 0)
        // A snapshot attached: its stage order and money unit come with it (上月 where 投资额 > 1亿
        // compares money, and 阶段 >= 签约 the funnel).
        let snapshot = try Projq.run(["examples/county-zh", "--attach", "上月=\(folder)/last.projqdb", "--format", "csv",
                                      "-c", "上月.项目 where 阶段 >= 签约 count", "-c", "上月.项目 where 投资额 > 1亿 count"])
        #expect(snapshot.status == 0)
        #expect(snapshot.stdout == "count\n377\n\ncount\n73\n")
        #expect(snapshot.stderr == "")
        // A folder attached by the dot-command: what it opened is said on standard error.
        let dot = try Projq.run(["examples/county-zh", "--format", "csv", "-c", ".attach examples/county-zh-last as 上月",
                                 "-c", "上月.项目 count", "-c", ".detach 上月", "-c", "上月.项目 count"])
        #expect(dot.status == 1)
        #expect(dot.stdout == "count\n591\n")
        #expect(dot.stderr.hasPrefix("attached examples/county-zh-last: 上月.单位 (40 rows), 上月.项目 (591 rows)\n1:1: error: unknown table '上月.项目'\n"))
        let badName = try Projq.run(["examples/county", "--attach", "last.month=examples/county-zh-last", "-c", "projects count"])
        #expect(badName.status == 2)
        #expect(badName.stderr == "error: --attach last.month=examples/county-zh-last: 'last.month' cannot name an attached dataset: use letters, digits and _ (like last or 上月)\n")
    }

    @Test(".load reads a snapshot's tables, and a CSV file takes the open dataset's schema entry of its name; what it loaded goes to standard error")
    func load() throws {
        let folder = try FaultTests.scratchFolder("load")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try Projq.run(["examples/county", "-c", ".save \(folder)/county.projqdb"]).status == 0)
        // Last month's 项目.csv alone in a folder (no schema.toml beside it), loaded as 上月.
        try FileManager.default.copyItem(atPath: Projq.root + "/examples/county-zh-last/项目.csv", toPath: folder + "/项目.csv")
        let r = try Projq.run(["examples/county-zh", "--format", "csv", "--no-cache",
                               "-c", ".load \(folder)/项目.csv as 上月", "-c", "上月 where 阶段 >= 签约 count",
                               "-c", "上月 where 投资额 > 1亿 count", "-c", ".load \(folder)/county.projqdb", "-c", "projects count"])
        #expect(r.status == 0)
        #expect(r.stdout == "count\n377\n\ncount\n73\n\ncount\n600\n")
        #expect(r.stderr.hasPrefix("上月: 591 rows, 11 columns\n"))
        #expect(r.stderr.contains("  阶段      category (ordered)  5 values in order: 线索, 在谈, 签约, 开工, 投产\n"))
        #expect(r.stderr.contains("projects: 600 rows, 12 columns\n"))
        // With another dataset open, the schema is named: its entry for 项目 (the file's name),
        // whose units take their order from 单位, loaded first; without it, an error at the entry.
        let schema = try Projq.run(["examples/county", "--format", "csv", "--no-cache", "-c", ".load examples/county-zh/单位.csv",
                                    "-c", ".load \(folder)/项目.csv as 上月 schema examples/county-zh/schema.toml", "-c", "上月 where 阶段 >= 签约 count"])
        #expect(schema.status == 0)
        #expect(schema.stdout == "count\n377\n")
        let noUnits = try Projq.run(["examples/county", "--no-cache", "-c", ".load \(folder)/项目.csv as 上月 schema examples/county-zh/schema.toml"])
        #expect(noUnits.status == 2)
        #expect(noUnits.stderr == "error: examples/county-zh/schema.toml:5:44: order_from of '责任单位' names table '单位', which is not loaded (a dataset's tables, or the open dataset's for .load)\n")
        let noEntry = try Projq.run(["examples/county", "-c", ".load \(folder)/项目.csv as 上月 schema examples/county/schema.toml"])
        #expect(noEntry.status == 2)
        #expect(noEntry.stderr == "error: examples/county/schema.toml: declares no table '上月' or '项目'; its tables: projects, units\n")
        let named = try Projq.run(["examples/county-zh", "-c", ".load \(folder)/county.projqdb as x"])
        #expect(named.status == 2)
        #expect(named.stderr == "error: \(folder)/county.projqdb: holds 2 tables, so they keep their names; .attach \(folder)/county.projqdb as NAME opens them as NAME.TABLE\n")
    }

    @Test("--strict and .strict on: a value its column never holds stops the statement with exit 1 and the located message")
    func strict() throws {
        let loose = try Projq.run(["examples/county-zh", "--format", "csv", "-c", "项目 where 阶段 = 签药 count"])
        #expect(loose.status == 0)
        #expect(loose.stdout == "count\n0\n")
        #expect(loose.stderr.hasPrefix("1:15: note: '签药' is not a value of 阶段; did you mean '签约'?\n"))
        let strict = try Projq.run(["examples/county-zh", "--strict", "--format", "csv", "-c", "项目 where 阶段 = 签药 count"])
        #expect(strict.status == 1)
        #expect(strict.stdout == "")
        #expect(strict.stderr == """
            1:15: error: '签药' is not a value of 阶段; did you mean '签约'?
             1 | 项目 where 阶段 = 签药 count
               |                   ^^^^
               = its values, in order: 线索 < 在谈 < 签约 < 开工 < 投产
               = --strict stops a statement on this (.strict off lets it run, printing the note)

            """)
        let script = try Projq.run(["examples/county-zh", "--format", "csv", "-c", ".strict on", "-c", "项目 where 行业 = 机械 count"])
        #expect(script.status == 1)
        #expect(script.stderr.hasPrefix("1:15: error: '机械' is not a value of 行业; did you mean '机械加工'?\n"))
    }

    @Test("examples/meeting-zh.pq, the meeting's report on this month's ledger against last month's, prints examples/meeting-zh.expected")
    func meetingScript() throws {
        let r = try Projq.run(["examples/county-zh", "--set", "会议日期=2015-12-31", "--attach", "上月=examples/county-zh-last",
                               "--format", "box", "-f", "examples/meeting-zh.pq"])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        let expected = try String(contentsOfFile: Projq.root + "/examples/meeting-zh.expected", encoding: .utf8)
        #expect(r.stdout == expected)
    }

    @Test("total rows are set apart: a rule above them in box, bold in markdown; csv keeps plain rows")
    func totalRowsRendered() throws {
        let box = try Projq.run(["examples/county", "--format", "box", "-c", "projects count as n by zone | total"])
        #expect(box.stdout == """
            ┌─────────────────┬─────┐
            │ zone            │ n   │
            ├─────────────────┼─────┤
            │ dev_zone        │ 211 │
            │ industrial_park │ 154 │
            │ township        │ 235 │
            ├─────────────────┼─────┤
            │ 合计            │ 600 │
            └─────────────────┴─────┘
            4 rows

            """)
        let markdown = try Projq.run(["examples/county", "--format", "markdown", "-c", "projects count as n by zone | total | select zone, n, share(n) as 占比"])
        #expect(markdown.stdout == """
            | zone            | n       | 占比       |
            | --------------- | ------: | ---------: |
            | dev_zone        |     211 |      35.2% |
            | industrial_park |     154 |      25.7% |
            | township        |     235 |      39.2% |
            | **合计**        | **600** | **100.0%** |

            """)
    }
}
