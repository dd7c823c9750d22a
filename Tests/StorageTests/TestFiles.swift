import Testing
@testable import Storage
#if canImport(Glibc)
import Glibc
#endif

/// A scratch folder for one test, removed when the test ends.
final class Scratch {
    let path: String

    init() {
        var template = Array("/tmp/projq-test-XXXXXX".utf8CString)
        let p = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: p!)
    }

    deinit {
        _ = removeTree(path)
    }

    /// Writes `text` (UTF-8) to `name` in the folder and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(file)")
        if !bytes.isEmpty { bytes.withUnsafeBytes { _ = Glibc.write(fd, $0.baseAddress!, $0.count) } }
        close(fd)
        return file
    }

    func read(_ name: String) -> [UInt8] { readWholeFile(path + "/" + name) ?? [] }
}

@discardableResult
func removeTree(_ path: String) -> Bool {
    guard let entries = directoryEntries(path) else { return unlink(path) == 0 }
    for name in entries {
        let child = path + "/" + name
        var st = stat()
        if lstat(child, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR { removeTree(child) } else { unlink(child) }
    }
    return rmdir(path) == 0
}

/// The repository root, found from this file's path, so tests can read examples/.
let repositoryRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)   // Tests/StorageTests/TestFiles.swift
    return parts.joined(separator: "/")
}()

/// Loads CSV text as a table (tiny blocks when asked, to cut records anywhere).
func loadCSV(_ text: String, schema: String? = nil, blockSize: Int = BlockReader.blockSize) throws(LoadError) -> Table {
    let scratch = Scratch()
    let file = scratch.write("t.csv", text)
    var parsed: DatasetSchema? = nil
    if let schema {
        scratch.write("schema.toml", schema)
        parsed = try DatasetSchema.parse(schema, path: scratch.path + "/schema.toml")
    }
    return try CSVLoader.load(path: file, name: "t", schema: parsed?.columns(of: "t"), schemaFile: parsed,
                              nullMarkers: parsed?.nullMarkers(of: "t"), blockSize: blockSize)
}

/// The error a load gives, with the scratch folder cut from its file name.
func loadError(_ text: String, schema: String? = nil, blockSize: Int = BlockReader.blockSize) -> LoadError? {
    do {
        _ = try loadCSV(text, schema: schema, blockSize: blockSize)
        return nil
    } catch {
        var e = error
        e.file = lastPathComponent(e.file)
        return e
    }
}

extension Table {
    /// Column `name`'s cells as rendered values.
    func cells(_ name: String) -> [Value] {
        let c = column(named: name)!
        return (0..<c.count).map { c.value(at: $0) }
    }
}

// Exact decimals written in tests as they are read: `.decimal("1200.5")`, `.decimal(7)`.
extension FixedDecimal: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral text: String) { self = FixedDecimal(text)! }
    public init(integerLiteral v: Int64) { self = FixedDecimal(v) }
}
