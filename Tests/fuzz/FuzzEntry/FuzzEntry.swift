#if canImport(Glibc)
import Glibc
#endif
import CKernels
import Query
import Storage

/// The entries libFuzzer drives (`make fuzz`), and the regression tests replay: each takes any
/// bytes and must return — an error is a fine answer, a crash, hang or sanitizer report is not.
public enum FuzzEntry {
    public enum Target: String, CaseIterable, Sendable {
        /// A statement through the lexer, parser, binder, planner and executor.
        case query
        /// A CSV file through the loader (type inference, formats, encodings).
        case csv
        /// A snapshot file through the reader, then a query over every table.
        case snapshot
        /// An .xlsx workbook through the zip and XML readers and the sheet loader (the seeds
        /// are stored uncompressed, so mutations reach the XML before the zip's checksum).
        case xlsx
    }

    public static func run(_ target: Target, _ bytes: UnsafeRawBufferPointer) {
        switch target {
        case .query: query(bytes)
        case .csv: csv(bytes)
        case .snapshot: snapshot(bytes)
        case .xlsx: xlsx(bytes)
        }
    }

    /// A small ledger every fuzzed statement runs against: each type, nulls, an ordered category.
    static let ledger: Catalog = {
        let csv = """
            id,name,stage,amount,ratio,day,at,ok
            1,城关镇机械厂,signed,1018.16,12.5%,2015-03-01,2015-03-01 14:30,true
            2,"河口乡, 二期",lead,0.10,0.5,2015/3/2,,false
            3,,started,,,,2016-01-01T00:00:00Z,
            4,x\u{1B}[2J,signed,-3.5,100%,2014年1月1日,2015-03-01 00:00,是

            """
        let schema = """
            [ledger.columns]
            stage = { type = "category", order = ["lead", "signed", "started"] }
            amount = { type = "money", unit = "万元" }
            """
        let catalog = Catalog()
        let table = try! withTemporaryFile(Array(csv.utf8)) { path in
            try CSVLoader.load(path: path, name: "ledger", schema: try DatasetSchema.parse(schema, path: "schema.toml").columns(of: "ledger"))
        }
        catalog.add(table)
        return catalog
    }()

    static func query(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        _ = Engine(ledger).run(text, parameters: ["p": "2015-03-01"])
    }

    static func csv(_ bytes: UnsafeRawBufferPointer) {
        _ = try? withTemporaryFile(Array(bytes)) { path in
            let table = try CSVLoader.load(path: path, name: "t")
            _ = (0..<min(table.rowCount, 64)).map { r in table.columns.map { $0.value(at: table.row(r)) } }
        }
    }

    static func snapshot(_ bytes: UnsafeRawBufferPointer) {
        // The header's and the directory's checksums made right again, so that mutations reach
        // the directory's reader instead of stopping at its checksum.
        var file = Array(bytes)
        if file.count >= 48 {
            func u64(_ at: Int) -> Int { Int(truncatingIfNeeded: file[at..<(at + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) }
            func put(_ v: UInt64, at: Int) { for k in 0..<8 { file[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) } }
            let offset = u64(16), length = u64(24)
            if offset >= 0, length >= 0, offset <= file.count, length <= file.count - offset {
                put(file.withUnsafeBytes { projq_checksum($0.baseAddress! + offset, length) }, at: 32)
            }
            put(file.withUnsafeBytes { projq_checksum($0.baseAddress, 40) }, at: 40)
        }
        _ = try? withTemporaryFile(file) { path in
            let catalog = try SnapshotReader.open(path: path)
            let engine = Engine(catalog)
            for table in catalog.tables {
                _ = engine.run("\(table.name) count")
                _ = engine.run("\(table.name) limit 5")
            }
        }
    }

    static func xlsx(_ bytes: UnsafeRawBufferPointer) {
        _ = try? withTemporaryFile(Array(bytes)) { path in
            let workbook = try Workbook(path: path)
            for i in workbook.sheetNames.indices {
                guard let table = try? workbook.load(sheet: i, as: "t") else { continue }
                _ = (0..<min(table.rowCount, 64)).map { r in table.columns.map { $0.value(at: table.row(r)) } }
            }
        }
    }

    /// Writes `bytes` to a fresh anonymous file and runs `body` on a path that opens it.
    static func withTemporaryFile<T>(_ bytes: [UInt8], _ body: (String) throws -> T) throws -> T {
        var template = Array("/tmp/projq-fuzz-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw LoadError(file: "/tmp", message: "cannot make a temporary file") }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer {
            close(fd)
            unlink(path)
        }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        return try body(path)
    }
}
