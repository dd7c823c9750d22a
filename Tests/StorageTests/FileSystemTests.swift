import Testing
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Reading a small file whole (schema.toml, scripts): exactly its bytes, whatever size stat
/// gives for it.
@Suite("Reading a file whole")
struct FileSystemTests {
    @Test("a file's bytes, empty or larger than one read")
    func wholeFile() {
        let scratch = Scratch()
        let big = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        scratch.write("big", bytes: big)
        scratch.write("empty", bytes: [])
        scratch.write("schema.toml", "[t.columns]\n\"阶段\" = \"category\"\n")
        #expect(scratch.read("big") == big)
        #expect(scratch.read("empty") == [])
        #expect(scratch.read("schema.toml") == Array("[t.columns]\n\"阶段\" = \"category\"\n".utf8))
    }

    @Test("a file stat calls empty that is not (/proc) is read to its end")
    func sizeUnknown() throws {
        let bytes = try #require(readWholeFile("/proc/self/status"))
        #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("Name:"))
        #expect(bytes.count > 100)
    }

    @Test("a folder or a missing file is nil, errno saying why")
    func notAFile() {
        let scratch = Scratch()
        #expect(readWholeFile(scratch.path) == nil)
        #expect(errno == EISDIR)
        #expect(readWholeFile(scratch.path + "/missing") == nil)
        #expect(errno == ENOENT)
    }
}
