import Foundation
import Testing
import Repl

/// The built `projq` binary, run as a user runs it.
struct Projq {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let binary = root + "/.build/debug/projq"

    /// The cache folder of runs that name none, so that tests never write into the real
    /// ~/.cache; `make clean` removes it with the build.
    static let testCache = root + "/.build/test-cache"

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs projq. `environment` changes the test's own (nil removes a variable); `launcher`
    /// runs projq through another program (`setpriv …`).
    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String?] = [:],
                    launcher: [String] = []) throws -> Run {
        let p = Process()
        var env = ProcessInfo.processInfo.environment
        env["XDG_CACHE_HOME"] = testCache
        env["PROJQ_NO_CACHE"] = nil
        // English unless a test asks for another language: the runner's own locale must not
        // change what projq says.
        for name in ["LANG", "LC_ALL", "LC_MESSAGES"] { env[name] = nil }
        for (name, value) in environment { env[name] = value }
        p.environment = env
        p.executableURL = URL(fileURLWithPath: launcher.first ?? binary)
        p.arguments = launcher.isEmpty ? arguments : Array(launcher.dropFirst()) + [binary] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite("The command line")
struct CommandLineTests {
    @Test("-c QUERY --format csv prints the result as CSV and exits 0")
    func csvResult() throws {
        let r = try Projq.run(["examples/county", "-c", "projects count by stage", "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout == "stage,count\nlead,131\nnegotiating,81\nsigned,173\nstarted,133\noperating,82\n")
        #expect(r.stderr == "")
    }

    @Test("money prints as a plain number in its unit; dates ISO; null empty")
    func plainValues() throws {
        let r = try Projq.run(["examples/county", "-c", "projects where id <= 3 select id, investment, signed_on, filed", "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout == "id,investment,signed_on,filed\n1,1709,,false\n2,2900,,false\n3,333,2014-07-14,true\n")
    }

    @Test("several statements are separated by one blank line")
    func severalResults() throws {
        let r = try Projq.run(["examples/county", "-c", "projects count; units count", "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout == "count\n600\n\ncount\n40\n")
    }

    @Test("a query error goes to stderr with line:column and exits 1")
    func queryError() throws {
        let r = try Projq.run(["examples/county", "-c", "projects where secter = machinery count", "--format", "csv"])
        #expect(r.status == 1)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("1:16: error: unknown column 'secter'\n"))
        #expect(r.stderr.contains("   |                ^^^^^^\n"))
    }

    @Test("a data error exits 2")
    func dataError() throws {
        let r = try Projq.run(["examples/no-such-folder", "-c", "projects count"])
        #expect(r.status == 2)
        #expect(r.stderr == "error: examples/no-such-folder: no such file or folder\n")
    }

    @Test("a usage error exits 2")
    func usageError() throws {
        let r = try Projq.run(["examples/county", "-c", "projects count", "--format", "yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown format 'yaml'"))
    }

    @Test("a value a category never holds: an empty result and a note, not an error")
    func categoryNote() throws {
        let r = try Projq.run(["examples/county", "-c", "projects where sector = Machinery count", "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout == "count\n0\n")
        #expect(r.stderr.hasPrefix("1:25: note: 'Machinery' is not a value of sector; did you mean 'machinery'?\n"))
    }

    @Test("opening data without a statement lists the tables")
    func listing() throws {
        let r = try Projq.run(["examples/county"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("projects: 600 rows, 12 columns\n"))
        #expect(r.stdout.contains("units: 40 rows, 4 columns\n"))
    }

    @Test("a snapshot saved with .save opens again")
    func saveAndOpen() throws {
        let path = NSTemporaryDirectory() + "projq-cli-\(getpid()).projqdb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let save = try Projq.run(["examples/county", "-c", ".save \(path)"])
        #expect(save.status == 0)
        let r = try Projq.run([path, "-c", "projects count", "--format", "csv"])
        #expect(r.status == 0)
        #expect(r.stdout == "count\n600\n")
    }

    /// Saves examples/county to `path` and changes bytes of its investment column: `damage` gets
    /// the file and where the column's first values (1709, 2900, 333: units of 0.1 万元) lie.
    func damagedSnapshot(_ path: String, _ damage: (inout [UInt8], Int) -> Void) throws {
        #expect(try Projq.run(["examples/county", "-c", ".save \(path)"]).status == 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pattern = [Int64(17090), 29000, 3330].flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }
        let at = try #require((0...(bytes.count - pattern.count)).first { bytes[$0..<($0 + pattern.count)].elementsEqual(pattern) })
        damage(&bytes, at)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("a damaged block of a snapshot is found by the first query that reads it: exit 2, the part named; other queries run")
    func damagedBlock() throws {
        let path = NSTemporaryDirectory() + "projq-cli-damaged-\(getpid()).projqdb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try damagedSnapshot(path) { bytes, at in bytes[at + 9] ^= 0x04 }
        let fine = try Projq.run([path, "-c", "projects count by stage", "--format", "csv"])
        #expect(fine.status == 0)
        #expect(fine.stdout.hasPrefix("stage,count\nlead,131\n"))
        let damaged = try Projq.run([path, "-c", "projects sum investment", "--format", "csv"])
        #expect(damaged.status == 2)
        #expect(damaged.stdout == "")
        #expect(damaged.stderr == "error: \(path): not a valid snapshot: the checksum of block 1 of the data buffer of column 'investment' of table 'projects' does not match (corrupted data)\n")
    }

    @Test("a crafted corruption that a sum of words cancels (two sign bits 64 bytes apart) is found; min and top never see it")
    func cancellingCorruption() throws {
        let path = NSTemporaryDirectory() + "projq-cli-cancel-\(getpid()).projqdb"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // The sign bits of the first value and of the value eight words on.
        try damagedSnapshot(path) { bytes, at in
            bytes[at + 7] ^= 0x80
            bytes[at + 64 + 7] ^= 0x80
        }
        for query in ["projects min investment", "projects top 1 by investment | select investment", "projects sum investment"] {
            let r = try Projq.run([path, "-c", query, "--format", "csv"])
            #expect(r.status == 2, "\(query)")
            #expect(r.stderr == "error: \(path): not a valid snapshot: the checksum of block 1 of the data buffer of column 'investment' of table 'projects' does not match (corrupted data)\n", "\(query)")
        }
    }
}

@Suite("The command line: formats, scripts, standard input, parameters")
struct BatchModeTests {
    let query = "projects where id <= 2 select id, unit, investment, signed_on"

    @Test(".schema gives each exact column its digits after the point, and the cells a declared scale rounded")
    func exactScales() throws {
        let r = try Projq.run(["Tests/QueryTests/Data/exact", "--no-cache", "-c", ".schema ledger"])
        #expect(r.status == 0)
        #expect(r.stdout == """
            ledger: 40 rows
              column   type             nulls  distinct
              id       int                  0        40
              stage    category             0         3  lead, signed, started
              amount   money (元, 2)        0        40
              wan      money (万元, 4)      8        32
              yi       money (亿元, 2)      0        40
              rate     decimal(3)           0        39
              measure  float                0        40
              rounded  decimal(2)           0         6
                       rounded: 34 cells to 2 digits after the point (schema scale = 2, half away from zero)
              big      int                  0         3

            """)
    }

    @Test(".schema says which markers were read as null, and how often; opening the data says it too")
    func nullMarkersShown() throws {
        let r = try Projq.run(["Tests/QueryTests/Data/r-export", "--no-cache", "-c", ".schema ledger"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("  amount    decimal(2)      2         4\n            null markers: NA ×2\n"))
        #expect(!r.stdout.contains("  note      text            1         4\n            null markers"))
        let listing = try Projq.run(["Tests/QueryTests/Data/r-export", "--no-cache"], stdin: "")
        #expect(listing.stdout.contains("  amount    decimal(2)  2 nulls (2 NA)\n"))
    }

    @Test("a percent column shows as a percentage in box and markdown, as the ratio in csv")
    func percentColumn() throws {
        let query = "格式 where 编号 <= 3 select 编号, 完成率"
        let box = try Projq.run(["Tests/QueryTests/Data/excel-formats", "--no-cache", "-c", query, "--format", "box"])
        #expect(box.stdout.contains("│    1 │  89.2% │\n│    2 │  12.5% │\n│    3 │  -2.5% │\n"))
        let markdown = try Projq.run(["Tests/QueryTests/Data/excel-formats", "--no-cache", "-c", query, "--format", "markdown"])
        #expect(markdown.stdout.contains("|    1 |  89.2% |\n"))
        let csv = try Projq.run(["Tests/QueryTests/Data/excel-formats", "--no-cache", "-c", query, "--format", "csv"])
        #expect(csv.stdout == "编号,完成率\n1,0.892\n2,0.125\n3,-0.025\n")
    }

    @Test("--format tsv")
    func tsv() throws {
        let r = try Projq.run(["examples/county", "-c", query, "--format", "tsv"])
        #expect(r.status == 0)
        #expect(r.stdout == "id\tunit\tinvestment\tsigned_on\n1\t县教育局\t1709\t\n2\t县财政局\t2900\t\n")
    }

    @Test("--format json: an array of objects, numbers as numbers, null as null")
    func json() throws {
        let r = try Projq.run(["examples/county", "-c", query, "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stdout == """
        [
          {"id": 1, "unit": "县教育局", "investment": 1709, "signed_on": null},
          {"id": 2, "unit": "县财政局", "investment": 2900, "signed_on": null}
        ]

        """)
    }

    @Test("--format markdown: a GitHub table, numbers right-aligned, the money unit in the header")
    func markdown() throws {
        let r = try Projq.run(["examples/county", "-c", query, "--format", "markdown"])
        #expect(r.status == 0)
        #expect(r.stdout == """
        | id  | unit     | investment (万元) | signed_on |
        | --: | -------- | ----------------: | --------- |
        |   1 | 县教育局 |             1,709 |           |
        |   2 | 县财政局 |             2,900 |           |

        """)
    }

    @Test("--format box: borders, the unit in the header, separators, a row count")
    func box() throws {
        let r = try Projq.run(["examples/county", "-c", "projects count, sum investment by zone", "--format", "box"])
        #expect(r.status == 0)
        #expect(r.stdout == """
        ┌─────────────────┬───────┬───────────────────────┐
        │ zone            │ count │ sum_investment (万元) │
        ├─────────────────┼───────┼───────────────────────┤
        │ dev_zone        │   211 │           1,499,460.8 │
        │ industrial_park │   154 │             809,847.9 │
        │ township        │   235 │             969,332.5 │
        └─────────────────┴───────┴───────────────────────┘
        3 rows

        """)
    }

    @Test("-f runs a script: comments, continued lines, dot-commands, one blank line between results")
    func script() throws {
        let path = NSTemporaryDirectory() + "projq-script-\(getpid()).pq"
        try """
        -- the stage funnel
        .mode csv
        projects count
          | where count > 0
        units where kind = township count
        """.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Projq.run(["examples/county", "-f", path])
        #expect(r.status == 0)
        #expect(r.stdout == "count\n600\n\ncount\n20\n")
    }

    @Test("a script stops at its first error, named FILE:LINE:COLUMN, with exit status 1")
    func scriptError() throws {
        let path = NSTemporaryDirectory() + "projq-bad-\(getpid()).pq"
        try "projects count\n\nprojects where secter = x count\nunits count\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Projq.run(["examples/county", "-f", path, "--format", "csv"])
        #expect(r.status == 1)
        #expect(r.stdout == "count\n600\n")
        #expect(r.stderr.hasPrefix("\(path):3:16: error: unknown column 'secter'\n 3 | projects where secter = x count\n"))
    }

    @Test("standard input that is not a terminal is read as a script")
    func pipedInput() throws {
        let r = try Projq.run(["examples/county", "--format", "csv"], stdin: "projects count\nunits count\n")
        #expect(r.status == 0)
        #expect(r.stdout == "count\n600\n\ncount\n40\n")
        let bad = try Projq.run(["examples/county"], stdin: "projects count\nprojects sum name\n")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("stdin:2:14: error: sum needs numbers; name is text\n"))
    }

    @Test("--set NAME=VALUE is one literal value: a word, a number, a money amount, a date")
    func parameters() throws {
        let r = try Projq.run(["examples/county", "--set", "sector=machinery", "--set", "big=1亿", "--set", "since=2015-07-01",
                               "-c", "projects where sector = $sector and investment >= $big and signed_on >= $since count", "--format", "csv"])
        #expect(r.status == 0, "\(r.stderr)")
        let check = try Projq.run(["examples/county", "-c",
                                   "projects where sector = machinery and investment >= 10000 and signed_on >= 2015-07-01 count", "--format", "csv"])
        #expect(r.stdout == check.stdout)
        // A value is never syntax: this is the text 'x or 1 = 1', which no sector holds.
        let injected = try Projq.run(["examples/county", "--set", "s='x or 1 = 1'", "-c", "projects where sector = $s count", "--format", "csv"])
        #expect(injected.stdout == "count\n0\n")
    }

    @Test(".output FILE gets every row; .output alone goes back to the screen")
    func outputFile() throws {
        let path = NSTemporaryDirectory() + "projq-out-\(getpid()).txt"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Projq.run(["examples/county", "-c", ".mode box; .output \(path); projects select id; .output; units count"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("│    40 │"))
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("│ 600 │"))
        #expect(!written.contains("more rows"))
    }

    @Test("results in an .output file are separated as on standard output: two markdown tables stay two tables; .load writes nothing there")
    func outputSeparated() throws {
        let path = NSTemporaryDirectory() + "projq-md-\(getpid()).md"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try Projq.run(["examples/county", "-c", ".mode markdown", "-c", ".output \(path)", "-c", "units count by kind",
                               "-c", ".load examples/county-zh/单位.csv", "-c", "projects count"])
        #expect(r.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == """
            | kind       | count |
            | ---------- | ----: |
            | department |    20 |
            | township   |    20 |

            | count |
            | ----: |
            |   600 |

            """)
        // A new .output starts its file without a leading blank line.
        let again = try Projq.run(["examples/county", "--format", "csv", "-c", ".output \(path)", "-c", "projects count", "-c", ".output \(path)", "-c", "units count"])
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "count\n40\n")
    }

    @Test(".help COMMAND explains every command with an example, not the one-line summary again")
    func helpCommand() throws {
        for command in Session.commands {
            let r = try Projq.run(["examples/county", "-c", ".help \(command.name)"])
            #expect(r.status == 0)
            #expect(r.stdout.hasPrefix(command.usage + "\n  "), "\(command.name)")
            #expect(r.stdout.contains("Example: ."), "\(command.name) has no example")
            #expect(!r.stdout.contains(command.help), "\(command.name) repeats its summary")
        }
    }

    @Test(".echo on writes a script's statements and its comment lines before their results; .timer on in markdown puts the time after the table")
    func echoAndTimer() throws {
        let folder = try FaultTests.scratchFolder("echo")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "-- not echoed: before .echo on\n.echo on\n-- 各阶段的项目\nprojects count by stage | limit 2\n\n-- the units\nunits count\n"
            .write(toFile: folder + "/s.pq", atomically: true, encoding: .utf8)
        let r = try Projq.run(["examples/county", "--format", "csv", "-f", folder + "/s.pq"])
        #expect(r.status == 0)
        #expect(r.stdout == "-- 各阶段的项目\nprojects count by stage | limit 2\n\nstage,count\nlead,131\nnegotiating,81\n\n-- the units\nunits count\n\ncount\n40\n")
        let timed = try Projq.run(["examples/county", "--format", "markdown", "-c", ".timer on", "-c", "units count"])
        #expect(timed.stdout.hasPrefix("| count |\n| ----: |\n|    40 |\n\ntime: "))
        #expect(timed.stdout.hasSuffix(" ms\n"))
        #expect(timed.stderr == "")
    }

    @Test("an unknown dot-command gets a suggestion; .system does not exist")
    func unknownCommands() throws {
        let r = try Projq.run(["examples/county", "-c", ".tabels"])
        #expect(r.status == 1)
        #expect(r.stderr == "error: unknown command .tabels; did you mean .tables? (.help lists them)\n")
        let s = try Projq.run(["examples/county", "-c", ".system ls"])
        #expect(s.status == 1)
        #expect(s.stderr.contains("projq runs no commands (the one program it starts is the pager, with .pager on)"))
    }

    @Test("an unknown option is a usage error: exit status 2")
    func usage() throws {
        let r = try Projq.run(["--bogus"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: Unknown option '--bogus'"))
    }

    @Test("a missing value or an extra argument is a usage error too; nothing runs")
    func usageErrors() throws {
        let missing = try Projq.run(["examples/county", "-c"])
        #expect(missing.status == 2 && missing.stdout == "")
        #expect(missing.stderr.hasPrefix("error: Missing value for '-c QUERY'\n"))
        let extra = try Projq.run(["examples/county", "examples/county-zh", "-c", "projects count"])
        #expect(extra.status == 2 && extra.stdout == "")
        #expect(extra.stderr.hasPrefix("error: Unexpected argument 'examples/county-zh'\n"))
    }

    @Test("a bad --format or --set is found before the data is opened")
    func optionValuesFirst() throws {
        let format = try Projq.run(["examples/no-such-folder", "--format", "yaml"])
        #expect(format.status == 2)
        #expect(format.stderr == "error: unknown format 'yaml'; formats: box, records, csv, tsv, json, markdown\n")
        let set = try Projq.run(["examples/no-such-folder", "--set", "=3"])
        #expect(set.status == 2)
        #expect(set.stderr == "error: --set takes NAME=VALUE, not '=3'\n")
    }

    @Test("start-up loads neither libzip nor libxlsxwriter (nor the libcrypto they bring): the first workbook read or written does")
    func librariesLoadedOnFirstUse() throws {
        // LD_DEBUG=files makes the dynamic loader say each library it opens, on standard error.
        let plain = try Projq.run(["examples/county", "-c", "projects count"], environment: ["LD_DEBUG": "files"])
        #expect(plain.status == 0)
        for library in ["libzip", "libxlsxwriter", "libcrypto"] { #expect(!plain.stderr.contains("file=\(library)"), "\(library)") }
        let workbook = try Projq.run(["examples/county-zh.xlsx", "-c", "项目 count"], environment: ["LD_DEBUG": "files"])
        #expect(workbook.status == 0)
        #expect(workbook.stdout == "count\n600\n")
        #expect(workbook.stderr.contains("file=libzip.so.4"))
        #expect(!workbook.stderr.contains("file=libxlsxwriter"))
    }

    @Test("--help prints the help on standard output and exits 0")
    func help() throws {
        let r = try Projq.run(["examples/county", "--help"])
        #expect(r.status == 0 && r.stderr == "")
        #expect(r.stdout.hasPrefix("OVERVIEW: A query shell for investment-attraction project ledgers.\n"))
        #expect(r.stdout.hasSuffix("  -h, --help              Show this help.\n"))
    }
}
