import Foundation
import Testing

/// Issue 9's faults, limits and hostile input, each through the binary: a signal counts as a
/// failure (its exit status is above 128, or the process never answers).
@Suite("Faults and limits, through the binary")
struct FaultTests {
    @Test("generated chains — 12,000 additions, 100,000 ands, 20,000 ors, subtractions or products — are answered, not a stack overflow")
    func flatChains() throws {
        let chains: [(String, String)] = [
            ("projects select " + Array(repeating: "1", count: 12_000).joined(separator: " + ") + " as x | limit 1", "x\n12000\n"),
            ("projects where " + Array(repeating: "id > 0", count: 100_000).joined(separator: " and ") + " count", "count\n600\n"),
            ("projects where " + Array(repeating: "id = 0", count: 20_000).joined(separator: " or ") + " or id = 7 select id", "id\n7\n"),
            ("projects select " + Array(repeating: "1", count: 20_000).joined(separator: " - ") + " as x | limit 1", "x\n-19998\n"),
            ("projects where id = 2 select id " + String(repeating: "* 1 ", count: 20_000) + "/ 2 as x", "x\n1\n"),
        ]
        for (query, expected) in chains {
            let r = try Projq.run(["examples/county", "--format", "csv"], stdin: query + "\n")
            #expect(r.status == 0, "\(query.prefix(40))…: \(r.stderr.prefix(200))")
            #expect(r.stdout == expected, "\(query.prefix(40))…")
        }
    }

    @Test("a short chain keeps the order it is written in: left to right")
    func shortChains() throws {
        let r = try Projq.run(["examples/county", "--format", "csv", "-c", "projects where id = 1 select 10 - 3 - 2 as a, 100 / 10 / 5 as b, 2 * 3 - 4 + 1 as c"])
        #expect(r.stdout == "a,b,c\n5,2,3\n")
    }

    @Test(".output onto the open snapshot or onto the source CSV is refused, the file untouched; .save onto a source CSV too, onto its own snapshot allowed")
    func writingOverData() throws {
        let folder = try FaultTests.scratchFolder("faults")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = folder + "/deals.csv", snapshot = folder + "/deals.projqdb"
        try "id,amount\n1,2.5\n2,3\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try Projq.run([csv, "-c", ".save \(snapshot)"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: snapshot))
        let refusals: [([String], String)] = [
            ([snapshot, "-c", ".output \(snapshot)", "-c", "deals count"],
             "error: cannot write results to \(snapshot): it is \(snapshot), which the tables were read from; choose another file\n"),
            ([csv, "-c", ".output \(folder)/../\((folder as NSString).lastPathComponent)/deals.csv", "-c", "deals count"],
             "error: cannot write results to \(folder)/../\((folder as NSString).lastPathComponent)/deals.csv: it is \(csv), which the tables were read from; choose another file\n"),
            ([csv, "-c", ".save \(csv)"], "error: cannot save to \(csv): it is \(csv), which the tables were read from; save to another file\n"),
        ]
        for (arguments, message) in refusals {
            let r = try Projq.run(arguments)
            #expect(r.status == 2)
            #expect(r.stderr == message)
        }
        #expect(try String(contentsOfFile: csv, encoding: .utf8) == "id,amount\n1,2.5\n2,3\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: snapshot)) == before)
        let resave = try Projq.run([snapshot, "-c", ".save \(snapshot)", "-c", "deals sum amount", "--format", "csv"])
        #expect(resave.status == 0)
        #expect(resave.stdout == "sum_amount\n5.5\n")
    }

    @Test("control characters in the data are shown visibly in box and markdown, in listings and in errors; csv keeps the bytes")
    func controlCharacters() throws {
        let folder = try FaultTests.scratchFolder("escapes")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "name,n\n\"evil\u{1B}[2J\u{1B}]0;title\u{07}\",1\n".write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        for format in ["box", "markdown"] {
            let r = try Projq.run([folder + "/t.csv", "-c", "t", "--format", format])
            #expect(!r.stdout.contains("\u{1B}") && r.stdout.contains("evil␛[2J␛]0;title␇"), "\(format)")
        }
        let listing = try Projq.run([folder + "/t.csv", "-c", ".schema t"])
        #expect(!listing.stdout.contains("\u{1B}"))
        let error = try Projq.run([folder + "/t.csv", "-c", "t where name > 1"])
        #expect(!error.stderr.contains("\u{1B}"))
        let csv = try Projq.run([folder + "/t.csv", "-c", "t", "--format", "csv"])
        #expect(csv.stdout.contains("evil\u{1B}[2J"))
        try "n\n\"1\u{1B}[2J\"\n".write(toFile: folder + "/u.csv", atomically: true, encoding: .utf8)
        try "[u.columns]\nn = \"int\"\n".write(toFile: folder + "/schema.toml", atomically: true, encoding: .utf8)
        let load = try Projq.run([folder + "/u.csv", "-c", "u"])
        #expect(load.status == 2)
        #expect(load.stderr.contains("'1␛[2J' in column 'n' is not an integer") && !load.stderr.contains("\u{1B}"))
    }

    /// A fresh folder for one test, removed after it.
    static func scratchFolder(_ name: String) throws -> String {
        let folder = NSTemporaryDirectory() + "projq-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    static func temporaries(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.contains(".tmp-") }
    }

    @Test(".save over a link, a device or a folder is refused; over a file it keeps the file's permissions; a dead save's temporary file is swept; a living one's is left")
    func saveTargets() throws {
        let folder = try FaultTests.scratchFolder("save")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "precious\n".write(toFile: folder + "/victim", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.projqdb", withDestinationPath: folder + "/victim")
        let link = try Projq.run(["examples/county", "-c", ".save \(folder)/link.projqdb"])
        #expect(link.status == 2)
        #expect(link.stderr == "error: \(folder)/link.projqdb: cannot save: it is a symbolic link (save to the file it points to); the file is unchanged\n")
        let device = try Projq.run(["examples/county", "-c", ".save /dev/null"])
        #expect(device.stderr == "error: /dev/null: cannot save: it is not a regular file; the file is unchanged\n")
        #expect(try String(contentsOfFile: folder + "/victim", encoding: .utf8) == "precious\n")

        // A temporary file of a process that is gone, and one of a living process (this one),
        // planted as a link to the victim: the first is swept, the second neither swept nor followed.
        _ = FileManager.default.createFile(atPath: folder + "/.t.projqdb.tmp-999999-abcdef", contents: Data("half".utf8))
        try FileManager.default.createSymbolicLink(atPath: folder + "/.t.projqdb.tmp-\(getpid())", withDestinationPath: folder + "/victim")
        _ = FileManager.default.createFile(atPath: folder + "/t.projqdb", contents: Data("old".utf8), attributes: [.posixPermissions: 0o640])
        let save = try Projq.run(["examples/county", "-c", ".save \(folder)/t.projqdb"])
        #expect(save.status == 0)
        #expect(FaultTests.temporaries(folder) == [".t.projqdb.tmp-\(getpid())"])
        #expect(try FileManager.default.attributesOfItem(atPath: folder + "/t.projqdb")[.posixPermissions] as? Int == 0o640)
        #expect(try String(contentsOfFile: folder + "/victim", encoding: .utf8) == "precious\n")
        let reopened = try Projq.run([folder + "/t.projqdb", "-c", "projects count", "--format", "csv"])
        #expect(reopened.stdout == "count\n600\n")
    }

    @Test("a save ended by SIGTERM or SIGHUP removes its temporary file, and the target is not written")
    func interruptedSave() throws {
        let folder = try FaultTests.scratchFolder("interrupted")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for signal in [SIGTERM, SIGHUP] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Projq.binary)
            p.arguments = ["examples/county", "--no-cache", "-c", ".save \(folder)/t.projqdb"]
            p.currentDirectoryURL = URL(fileURLWithPath: Projq.root)
            // The save pauses with its temporary file half written (a fault-injection hook).
            p.environment = ProcessInfo.processInfo.environment.merging(["PROJQ_TEST_SAVE_PAUSE_MS": "20000"]) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Wait for the temporary file, then end the process while it is written.
            let deadline = Date().addingTimeInterval(60)
            while FaultTests.temporaries(folder).isEmpty, p.isRunning, Date() < deadline { usleep(500) }
            kill(p.processIdentifier, signal)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == signal, "signal \(signal)")
            #expect(!FileManager.default.fileExists(atPath: folder + "/t.projqdb"))
            #expect(FaultTests.temporaries(folder).isEmpty, "signal \(signal)")
            try? FileManager.default.removeItem(atPath: folder + "/t.projqdb")
        }
    }

    @Test("a join whose output would pass the memory limit is refused before it is made, at the clause; one under it runs")
    func joinLimit() throws {
        // 78,064 rows of two columns (name, investment) and two row numbers: 1.8 MB.
        let refused = try Projq.run(["examples/county", "--memory-limit", "1MB", "-c", "projects join projects on stage | sum investment by name | count"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("""
            1:15: error: the join with projects would make 78064 rows (about 1.8 MB), more than the memory limit of 1 MB
             1 | projects join projects on stage | sum investment by name | count
               |               ^^^^^^^^
            """))
        // Counting reads no column: two row numbers a row, 0.6 MB.
        let fits = try Projq.run(["examples/county", "--memory-limit", "1MB", "--format", "csv", "-c", "projects join projects on stage | count"])
        #expect(fits.stdout == "count\n78064\n")
        let bad = try Projq.run(["examples/county", "--memory-limit", "lots", "-c", "projects count"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "error: --memory-limit takes a size of at least 1MB, like 2GB or 500MB, not 'lots'\n")
    }

    @Test("a FIFO, process substitution and standard input as DATA are read once, whole; an endless stream stops at the memory limit")
    func streams() throws {
        let folder = try FaultTests.scratchFolder("streams")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let csv = Projq.root + "/examples/county/projects.csv"
        let fifo = try Projq.run([], launcher: ["/bin/bash", "-c",
            "mkfifo \(folder)/ledger && (cat \(csv) > \(folder)/ledger &) && \"$0\" \(folder)/ledger --format csv -c 'ledger count, sum investment'"])
        #expect(fifo.stdout == "count,sum_investment\n600,3278641.2\n")
        let substitution = try Projq.run([], launcher: ["/bin/bash", "-c", "\"$0\" <(cat \(csv)) --format csv -c 'data count'"])
        #expect(substitution.stdout == "count\n600\n")
        let snapshot = try Projq.run([], launcher: ["/bin/bash", "-c",
            "\"$0\" examples/county -c '.save \(folder)/s.projqdb' && \"$0\" <(cat \(folder)/s.projqdb) --format csv -c 'projects count'"])
        #expect(snapshot.stdout == "count\n600\n")
        let endless = try Projq.run(["examples/county", "--memory-limit", "2MB", "-c", ".load /dev/zero"])
        #expect(endless.status == 2)
        #expect(endless.stderr == "error: /dev/zero: the stream goes on past 2 MB, the memory projq may take (--memory-limit, ulimit -v), without ending; read it from a file\n")
    }

    @Test("a snapshot truncated by another program while projq has it open: the message naming it and exit 2, not a SIGBUS")
    func truncatedWhileOpen() throws {
        let folder = try FaultTests.scratchFolder("truncated")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let snapshot = folder + "/s.projqdb"
        #expect(try Projq.run(["examples/county", "-c", ".save \(snapshot)"]).status == 0)
        // The first statement opens and reads it; the second, after the truncation, reads the
        // rest of a column whose pages are gone.
        let r = try Projq.run([], launcher: ["/bin/bash", "-c", """
            (echo 'projects count'; sleep 1; echo 'projects where name contains "x" count') | "$0" \(snapshot) --format csv &
            sleep 0.5; truncate -s 4096 \(snapshot); wait $!
            """])
        #expect(r.status == 2)
        #expect(r.stdout == "count\n600\n")
        #expect(r.stderr.hasSuffix("error: \(snapshot): the snapshot was truncated or overwritten by another program while projq was reading it; projq stopped. Open it again (a snapshot that projq saves is replaced in one step, never changed in place).\n"))
    }

    @Test("out of memory is an error, not a signal: a CSV load under ulimit -v, .read of an endless file, a grouping and a sort past the limit")
    func outOfMemory() throws {
        let folder = try FaultTests.scratchFolder("memory")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 4M rows, about 130 MB: more than a debug build has left under 200 MB of address space.
        let load = try Projq.run([], launcher: ["/bin/bash", "-c", """
            awk 'BEGIN { print "id,name"; for (i = 0; i < 4000000; i++) printf "%d,project number %d\\n", i, i }' > \(folder)/big.csv
            ulimit -v 200000; "$0" \(folder)/big.csv --no-cache -c 'big count'
            """])
        #expect(load.status == 2)
        #expect(load.stderr.hasPrefix("error: \(folder)/big.csv: loading it (") && load.stderr.contains("more than the address space left under ulimit -v"))
        let endless = try Projq.run([], launcher: ["/bin/bash", "-c", "ulimit -v 300000; \"$0\" examples/county -c '.read /dev/zero'"])
        #expect(endless.status == 2)
        #expect(endless.stderr == "error: cannot read /dev/zero: a script is read whole, and this one goes on past 16 MB\n")
        // 300,000 rows in a snapshot (opening one takes no memory to speak of), then a limit of
        // 1 MB (a build under 4 MB is never refused: these need more).
        var csv = "id,name\n"
        for i in 0..<300_000 { csv += "\(i),name \(i)\n" }
        try csv.write(toFile: folder + "/t.csv", atomically: true, encoding: .utf8)
        #expect(try Projq.run([folder + "/t.csv", "--no-cache", "-c", ".save \(folder)/t.projqdb"]).status == 0)
        let grouping = try Projq.run([folder + "/t.projqdb", "--memory-limit", "1MB", "-c", "t count by name | count"])
        #expect(grouping.status == 1)
        #expect(grouping.stderr.hasPrefix("1:3: error: grouping 300000 rows needs about 29 MB of memory, more than the memory limit (--memory-limit), 1 MB\n"))
        let sort = try Projq.run([folder + "/t.projqdb", "--memory-limit", "1MB", "-c", "t sort id desc | count"])
        #expect(sort.status == 1)
        #expect(sort.stderr.hasPrefix("1:3: error: sorting 300000 rows needs about 4.9 MB of memory, more than the memory limit (--memory-limit), 1 MB\n"))
    }

    @Test("address space from tight to loose: every kind of step answers or is refused with a message, never a signal")
    func addressSpaceSweep() throws {
        let folder = try FaultTests.scratchFolder("sweep")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 200,000 rows with two text columns unique a row, saved as a snapshot.
        #expect(try Projq.run([], launcher: ["/bin/bash", "-c", """
            awk 'BEGIN { print "id,name,contact,kind,amount"; for (i = 0; i < 200000; i++) printf "%d,project number %d,person %d,k%d,%d.%02d\\n", i, i, i * 7 % 300007, i % 7, i % 9973, i % 100 }' > \(folder)/t.csv
            "$0" \(folder)/t.csv --no-cache -c '.save \(folder)/t.projqdb'
            """]).status == 0)
        let queries = [
            "t count by name", "t count by name, contact", "t min name by contact", "t count distinct name by kind",
            "t sort contact, name | count", "t sort amount desc, id | limit 2", "t where name contains \"1\" | sort name | count",
            "t select upper(name) as u, lower(contact) as l, id + 1 as a | count", "t join t on id | count",
            "t join t on kind | count", "t median amount by kind", "t count by name across kind",
        ]
        let script = queries.map { "'\($0)'" }.joined(separator: " ")
        let r = try Projq.run([], launcher: ["/bin/bash", "-c", """
            for limit in 120 160 200 250 400; do
              for q in \(script); do
                (ulimit -v $((limit * 1024)); "$0" \(folder)/t.projqdb --format csv -c "$q" > /dev/null 2> \(folder)/err)
                echo "$? $(head -c 1 \(folder)/err)"
              done
            done
            """])
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == queries.count * 5)
        var answered = 0, refused = 0
        for (i, line) in lines.enumerated() {
            let status = Int(line.split(separator: " ")[0])!
            let query = queries[i % queries.count]
            #expect(status <= 2, "exit \(status) (a signal) for `\(query)` under the \([120, 160, 200, 250, 400][i / queries.count]) MB limit")
            if status == 0 { answered += 1 } else {
                refused += 1
                #expect(line.hasSuffix(" e") || line.hasSuffix(" 1"), "no message for `\(query)`")
            }
        }
        // Both happen: the tight limits refuse, the loosest answers everything but the join on
        // a key that repeats (5.7 billion rows), refused at every limit.
        let loosest = lines.suffix(queries.count).map { $0.hasPrefix("0 ") }
        #expect(loosest == queries.map { $0 != "t join t on kind | count" })
        #expect(refused > 0, "answered \(answered)")
    }

    @Test("a write that fails (a full disk: /dev/full) is an error and exit status 2, for standard output and for .output")
    func fullDisk() throws {
        let stdout = try Projq.run([], launcher: ["/bin/bash", "-c", "\"$0\" examples/county --format csv -c 'projects' > /dev/full"])
        #expect(stdout.status == 2)
        #expect(stdout.stderr == "error: cannot write standard output: No space left on device\n")
        let output = try Projq.run(["examples/county", "--format", "csv", "-c", ".output /dev/full", "-c", "projects"])
        #expect(output.status == 2)
        #expect(output.stderr == "error: cannot write /dev/full: No space left on device\n")
    }
}
