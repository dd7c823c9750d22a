import Testing
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

/// A snapshot's file is mapped whole; a large one at a 2 MiB boundary with the huge-page advice,
/// so that the kernel can map each 2 MiB of it that it caches in one piece with one entry.
@Suite("Mapped files")
struct MappedFileTests {
    /// The line of /proc/self/smaps that starts the mapping at `base`, and its VmFlags.
    private func mapping(at base: UnsafeRawPointer) -> (range: String, flags: [Substring])? {
        guard let bytes = readWholeFile("/proc/self/smaps") else { return nil }
        let start = String(UInt(bitPattern: base), radix: 16)
        var range: String? = nil
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            if let r = range {
                if line.hasPrefix("VmFlags:") { return (r, line.dropFirst(8).split(separator: " ")) }
            } else if line.hasPrefix(start + "-") {
                range = String(line.prefix { $0 != " " })
            }
        }
        return nil
    }

    private func pattern(_ count: Int) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) } }

    @Test("a file of 2 MiB or more: mapped at a 2 MiB boundary, advised for huge pages, read back whole")
    func large() throws {
        let scratch = Scratch()
        let size = 5 << 20 + 123
        let bytes = pattern(size)
        let path = scratch.write("big.projqdb", bytes: bytes)
        var base: UnsafeRawPointer? = nil
        do {
            let file = try MappedFile(path: path)
            base = file.base
            #expect(file.size == size)
            #expect(Int(bitPattern: file.base) % (2 << 20) == 0)
            #expect(UnsafeRawBufferPointer(start: file.base, count: size).elementsEqual(bytes))
            let found = try #require(mapping(at: file.base))
            // The mapping is the file's pages, no more: what was reserved around it is given back.
            let end = UInt(bitPattern: file.base) + UInt((size + 4095) / 4096 * 4096)
            #expect(found.range == String(UInt(bitPattern: file.base), radix: 16) + "-" + String(end, radix: 16))
            #expect(found.flags.contains("hg"))
        }
        // Unmapped with its last user.
        #expect(mapping(at: try #require(base)) == nil)
    }

    @Test("a small file is mapped as it is, without the advice")
    func small() throws {
        let scratch = Scratch()
        let bytes = pattern(100_000)
        let path = scratch.write("small.projqdb", bytes: bytes)
        let file = try MappedFile(path: path)
        #expect(UnsafeRawBufferPointer(start: file.base, count: file.size).elementsEqual(bytes))
        let found = try #require(mapping(at: file.base))
        #expect(!found.flags.contains("hg"))
    }

    @Test("an empty or missing file is an error naming it, not a mapping")
    func refused() {
        let scratch = Scratch()
        let empty = scratch.write("empty.projqdb", bytes: [])
        let missing = scratch.path + "/missing.projqdb"
        #expect((#expect(throws: LoadError.self) { try MappedFile(path: empty) })?.file == empty)
        #expect((#expect(throws: LoadError.self) { try MappedFile(path: missing) })?.file == missing)
    }
}
