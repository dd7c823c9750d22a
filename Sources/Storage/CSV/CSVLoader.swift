import Dispatch

/// Loads one CSV file into a `Table`: header, schema or inferred types, then block by block
/// tokenize and convert, the columns of a block converted on both cores at once.
public enum CSVLoader {
    /// Rows sampled from the first block to infer types the schema does not declare.
    static let inferenceRows = 20_000

    /// Loads `path` as table `name`. `schema` holds the declarations of this table (if any);
    /// `schemaFile` is used to place errors about them.
    /// `blockSize` is how much is read at a time; tests make it tiny to cut records anywhere.
    public static func load(path: String, name: String, schema: [String: ColumnSpec]? = nil,
                            schemaFile: DatasetSchema? = nil, blockSize: Int = BlockReader.blockSize) throws(LoadError) -> Table {
        var forcedText = Set<Int>()
        while true {
            let outcome = try attempt(path: path, name: name, schema: schema ?? [:], schemaFile: schemaFile,
                                      forcedText: forcedText, blockSize: blockSize)
            switch outcome {
            case .table(let t):
                return t
            case .restart(let columns):
                forcedText.formUnion(columns)
            }
        }
    }

    enum Outcome {
        case table(Table)
        /// Inferred types that later rows contradicted: load again reading these as text.
        case restart(Set<Int>)
    }

    private static func attempt(path: String, name: String, schema: [String: ColumnSpec], schemaFile: DatasetSchema?,
                                forcedText: Set<Int>, blockSize: Int) throws(LoadError) -> Outcome {
        let reader = try BlockReader(path: path, blockSize: blockSize)

        // The header.
        var headerIndex = FieldIndex(columns: 0)
        defer { headerIndex.release() }
        var headerBytes: Int
        while true {
            do {
                headerBytes = try CSVTokenizer.tokenize(reader.buffer, reader.filled, isLast: reader.eof, into: &headerIndex, maxRecords: 1)
            } catch {
                throw reader.error(at: reader.blockOffset + error.offset, error.message)
            }
            if headerIndex.rows == 1 || reader.eof { break }
            headerIndex = FieldIndex(columns: 0)
            reader.grow()
            try reader.fill()
        }
        guard headerIndex.rows == 1 else { throw LoadError(file: path, message: "the file is empty: a CSV file needs a header line") }
        var names: [String] = []
        for c in 0..<headerIndex.columns {
            let s = Int(headerIndex.starts[c])
            let rawEnd = headerIndex.ends[c]
            let e = Int(rawEnd & ~FieldIndex.escapedFlag)
            let bytes = rawEnd & FieldIndex.escapedFlag != 0 ? unescape(reader.buffer + s, e - s) : Array(UnsafeBufferPointer(start: reader.buffer + s, count: e - s))
            let offset = reader.blockOffset + s
            if let bad = bytes.withUnsafeBufferPointer({ firstInvalidUTF8($0.baseAddress ?? emptyBytes, $0.count) }) {
                throw reader.error(at: offset + bad, "undecodable bytes in the header: not valid UTF-8")
            }
            var columnName = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \t")
            if columnName.isEmpty { columnName = "column_\(c + 1)" }
            if let first = names.firstIndex(where: { $0.lowercased() == columnName.lowercased() }) {
                throw reader.error(at: offset, "duplicate column name '\(columnName)' (column \(first + 1) has it too)")
            }
            names.append(columnName)
        }
        let columnCount = names.count
        reader.consume(headerBytes)

        // Declarations must name columns the file has.
        var specs: [ColumnSpec?] = Array(repeating: nil, count: columnCount)
        for (declaredName, spec) in schema.sorted(by: { $0.key < $1.key }) {
            guard let c = names.firstIndex(where: { $0.lowercased() == declaredName.lowercased() }) else {
                let hint = closestName(to: declaredName, among: names).map { "; did you mean '\($0)'?" } ?? ""
                let message = "schema.toml declares column '\(declaredName)' for table '\(name)', but \(lastPathComponent(path)) has no such column\(hint) (its columns: \(names.joined(separator: ", ")))"
                throw schemaFile?.error(table: name, column: declaredName, message) ?? LoadError(file: path, message: message)
            }
            specs[c] = spec
        }

        var index = FieldIndex(columns: columnCount)
        defer { index.release() }
        var loaders: [ColumnLoader] = []
        var firstBlock = true
        while true {
            index.reset()
            let consumed: Int
            do {
                consumed = try CSVTokenizer.tokenize(reader.buffer, reader.filled, isLast: reader.eof, into: &index)
            } catch {
                throw reader.error(at: reader.blockOffset + error.offset, error.message)
            }
            if consumed == 0, index.rows == 0, !reader.eof {
                reader.grow()
                try reader.fill()
                continue
            }
            if firstBlock {
                firstBlock = false
                let inferred = TypeInference.infer(base: reader.buffer, index: index, limit: inferenceRows)
                for c in 0..<columnCount {
                    loaders.append(ColumnLoader(name: names[c], declared: specs[c], inferred: forcedText.contains(c) ? .text : inferred[c]))
                }
                // Reserve for the whole file from this block's density, so columns rarely grow.
                let estimatedRows = reader.eof || consumed == 0 ? index.rows : Int(Double(index.rows) * Double(reader.fileSize) / Double(consumed) * 1.02) + 16
                for (c, loader) in loaders.enumerated() {
                    var bytes = 0
                    for r in 0..<index.rows {
                        let k = r * columnCount + c
                        bytes += Int(index.ends[k] & ~FieldIndex.escapedFlag) - Int(index.starts[k])
                    }
                    let estimatedBytes = index.rows == 0 ? 0 : Int(Double(bytes) * Double(estimatedRows) / Double(index.rows))
                    loader.reserve(rows: estimatedRows, textBytes: estimatedBytes)
                }
            }
            if index.rows > 0 {
                convert(block: reader.buffer, index: index, loaders: loaders, blockOffset: reader.blockOffset)
                var failures: [CellFailure] = []
                var restart = Set<Int>()
                for (c, loader) in loaders.enumerated() {
                    if let f = loader.failure { failures.append(f) }
                    if loader.needsText { restart.insert(c) }
                }
                if let first = failures.min(by: { $0.offset < $1.offset }) {
                    throw reader.error(at: first.offset, first.message)
                }
                if !restart.isEmpty { return .restart(restart) }
            }
            reader.consume(consumed)
            if reader.eof { break }
            try reader.fill()
        }
        if loaders.isEmpty {
            // A header and no rows: declared types, else text.
            loaders = (0..<columnCount).map { ColumnLoader(name: names[$0], declared: specs[$0], inferred: .text) }
        }
        return .table(Table(name: name, columns: loaders.map { $0.finish() }))
    }

    /// Converts a block's fields column by column, splitting the columns between two threads
    /// by the bytes each holds so both finish together.
    private static func convert(block: UnsafeMutablePointer<UInt8>, index: FieldIndex, loaders: [ColumnLoader], blockOffset: Int) {
        let base = UnsafePointer(block)
        let columns = loaders.count
        if index.rows < 4096 || columns < 2 {
            for c in 0..<columns { loaders[c].load(base: base, index: index, column: c, blockOffset: blockOffset) }
            return
        }
        // Cost: the bytes of the column plus a per-cell constant.
        var costs = [Int](repeating: 0, count: columns)
        let sampleRows = min(index.rows, 512)
        for c in 0..<columns {
            var bytes = 0
            for r in 0..<sampleRows {
                let k = r * columns + c
                bytes += Int(index.ends[k] & ~FieldIndex.escapedFlag) - Int(index.starts[k])
            }
            costs[c] = bytes + sampleRows * 12
        }
        var groups: [[Int]] = [[], []]
        var load = [0, 0]
        for c in (0..<columns).sorted(by: { costs[$0] > costs[$1] }) {
            let g = load[0] <= load[1] ? 0 : 1
            groups[g].append(c)
            load[g] += costs[c]
        }
        let work = ConversionWork(base: base, index: index, loaders: loaders, groups: groups, blockOffset: blockOffset)
        DispatchQueue.concurrentPerform(iterations: 2) { part in work.run(part) }
    }
}

/// What the two conversion threads share: read-only block and index, and disjoint loaders.
private final class ConversionWork: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
    let index: FieldIndex
    let loaders: [ColumnLoader]
    let groups: [[Int]]
    let blockOffset: Int

    init(base: UnsafePointer<UInt8>, index: FieldIndex, loaders: [ColumnLoader], groups: [[Int]], blockOffset: Int) {
        self.base = base
        self.index = index
        self.loaders = loaders
        self.groups = groups
        self.blockOffset = blockOffset
    }

    func run(_ part: Int) {
        for c in groups[part] { loaders[c].load(base: base, index: index, column: c, blockOffset: blockOffset) }
    }
}

func lastPathComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}
