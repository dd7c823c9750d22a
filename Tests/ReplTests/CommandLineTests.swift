import Foundation
import Testing

/// The built `projq` binary, run as a user runs it.
struct Projq {
    static let root: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static let binary = root + "/.build/debug/projq"

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil) throws -> Run {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
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
}
