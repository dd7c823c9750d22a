import Dispatch
import TextSupport

/// Loads one CSV file into a `Table`: header, schema or inferred types, then block by block
/// tokenize and convert, the columns of a block converted on both cores at once.
public enum CSVLoader {
    /// Rows sampled from the first block to infer types the schema does not declare.
    static let inferenceRows = 20_000

    /// Loads `path` as table `name`. `schema` holds the declarations of this table (if any);
    /// `schemaFile` is used to place errors about them.
    /// `blockSize` is how much is read at a time; tests make it tiny to cut records anywhere.
    /// `digest`, when given, is told the bytes the returned table was made from (the cache's
    /// proof of what it stores).
    /// `nullMarkers`: the table's markers (schema.toml's `null` for it, else for the file), for
    /// columns that name none; nil: the built-in ones, where a column is not text.
    public static func load(path: String, name: String, schema: [String: ColumnSpec]? = nil,
                            schemaFile: DatasetSchema? = nil, nullMarkers: [String]? = nil, blockSize: Int = BlockReader.blockSize,
                            digest: ContentDigest? = nil) throws(LoadError) -> Table {
        var forcedText = Set<Int>()
        while true {
            let outcome = try attempt(path: path, name: name, schema: schema ?? [:], schemaFile: schemaFile, nullMarkers: nullMarkers,
                                      forcedText: forcedText, blockSize: blockSize, digest: digest)
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
                                nullMarkers: [String]?, forcedText: Set<Int>, blockSize: Int,
                                digest: ContentDigest?) throws(LoadError) -> Outcome {
        let reader = try BlockReader(path: path, blockSize: blockSize, digest: digest)
        // A load takes about the file's size in columns, plus its blocks' buffers and indexes:
        // refused before it starts when that cannot fit, not a crash halfway.
        if let refusal = MemoryLimit.refusal(reader.fileSize + reader.fileSize / 4 + Swift.min(reader.fileSize, 4 << 20), for: StorageMessage.loadingIt(MemoryLimit.describe(reader.fileSize))) {
            throw LoadError(file: path, message: refusal)
        }

        // The header.
        var headerIndex = FieldIndex(columns: 0)
        defer { headerIndex.release() }
        var headerBytes: Int
        while true {
            do {
                headerBytes = try CSVTokenizer.tokenize(reader.buffer, reader.filled, isLast: reader.eof, into: &headerIndex, maxRecords: 1,
                                                        delimiter: reader.delimiter)
            } catch {
                throw reader.error(at: reader.blockOffset + error.offset, error.message)
            }
            if headerIndex.rows == 1 || reader.eof { break }
            headerIndex.release()
            headerIndex = FieldIndex(columns: 0)
            reader.grow()
            try reader.fill()
        }
        guard headerIndex.rows == 1 else { throw LoadError(file: path, message: DataMessage.emptyFile()) }
        var names: [String] = []
        for c in 0..<headerIndex.columns {
            let s = Int(headerIndex.starts[c])
            let rawEnd = headerIndex.ends[c]
            let e = Int(rawEnd & ~FieldIndex.escapedFlag)
            let bytes = rawEnd & FieldIndex.escapedFlag != 0 ? unescape(reader.buffer + s, e - s) : Array(UnsafeBufferPointer(start: reader.buffer + s, count: e - s))
            let offset = reader.blockOffset + s
            if let bad = bytes.withUnsafeBufferPointer({ firstInvalidUTF8($0.baseAddress ?? emptyBytes, $0.count) }) {
                throw reader.error(at: offset + bad, DataMessage.undecodableHeader())
            }
            var columnName = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: " \t")
            if columnName.isEmpty { columnName = "column_\(c + 1)" }
            if let first = names.firstIndex(where: { $0.lowercased() == columnName.lowercased() }) {
                throw reader.error(at: offset, DataMessage.duplicateColumn(columnName, first + 1))
            }
            names.append(columnName)
        }
        let columnCount = names.count
        reader.consume(headerBytes)

        // Declarations must name columns the file has.
        let declarations = try ColumnDeclarations(names: names, schema: schema, table: name, source: lastPathComponent(path), path: path,
                                                  schemaFile: schemaFile, nullMarkers: nullMarkers)

        let halves = TokenizedHalves(columns: columnCount)
        var loaders: [ColumnLoader] = []
        var firstBlock = true
        while true {
            let consumed = try halves.tokenize(reader)
            let rows = halves.first.rows + halves.second.rows
            if consumed == 0, rows == 0, !reader.eof {
                reader.grow()
                try reader.fill()
                continue
            }
            let parts = halves.parts(base: reader.buffer, blockOffset: reader.blockOffset)
            if firstBlock {
                firstBlock = false
                let inferred = TypeInference.infer(base: reader.buffer, index: halves.first, limit: inferenceRows, named: declarations.named)
                loaders = declarations.loaders(names: names, inferred: inferred, forcedText: forcedText)
                // Reserve for the whole file from this block's density, so columns rarely grow.
                let estimatedRows = reader.eof || consumed == 0 ? rows : Int(Double(rows) * Double(reader.fileSize) / Double(consumed) * 1.02) + 16
                for (c, loader) in loaders.enumerated() {
                    var bytes = 0
                    for part in parts { bytes += part.index.fieldBytes(column: c) }
                    let estimatedBytes = rows == 0 ? 0 : Int(Double(bytes) * Double(estimatedRows) / Double(rows))
                    loader.reserve(rows: estimatedRows, textBytes: estimatedBytes)
                }
            }
            if rows > 0 {
                convert(parts, loaders: loaders)
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
            loaders = declarations.loaders(names: names, inferred: nil, forcedText: forcedText)
        }
        let columns = loaders.map { $0.finish() }
        // Zone maps now, while the columns are in cache, rather than on a first query.
        for column in columns {
            _ = column.zoneMap
            _ = column.textZoneMap
        }
        return .table(Table(name: name, columns: columns))
    }

    /// Converts a block's fields column by column, splitting the columns between two threads
    /// by the bytes each holds so both finish together.
    static func convert(_ parts: [BlockPart], loaders: [ColumnLoader]) {
        let columns = loaders.count
        let rows = parts.reduce(0) { $0 + $1.index.rows }
        if rows < 4096 || columns < 2 {
            for c in 0..<columns {
                for part in parts { loaders[c].load(base: part.base, index: part.index, column: c, blockOffset: part.offset) }
            }
            return
        }
        // Cost: the bytes of the column plus a per-cell constant, from a sample of rows.
        let sample = parts[0].index
        let sampleRows = min(sample.rows, 512)
        var costs = [Int](repeating: 0, count: columns)
        for c in 0..<columns { costs[c] = sample.fieldBytes(column: c, rows: sampleRows) + sampleRows * 12 }
        var groups: [[Int]] = [[], []]
        var load = [0, 0]
        for c in (0..<columns).sorted(by: { costs[$0] > costs[$1] }) {
            let g = load[0] <= load[1] ? 0 : 1
            groups[g].append(c)
            load[g] += costs[c]
        }
        let work = ConversionWork(parts: parts, loaders: loaders, groups: groups)
        DispatchQueue.concurrentPerform(iterations: 2) { part in work.run(part) }
    }
}

/// A tokenized stretch of a block: its records' field offsets are relative to `base`, which
/// is `offset` bytes into the decoded file.
struct BlockPart: @unchecked Sendable {
    var base: UnsafePointer<UInt8>
    var index: FieldIndex
    var offset: Int
}

/// What the two conversion threads share: read-only parts, and disjoint loaders.
private final class ConversionWork: @unchecked Sendable {
    let parts: [BlockPart]
    let loaders: [ColumnLoader]
    let groups: [[Int]]

    init(parts: [BlockPart], loaders: [ColumnLoader], groups: [[Int]]) {
        self.parts = parts
        self.loaders = loaders
        self.groups = groups
    }

    func run(_ group: Int) {
        for c in groups[group] {
            for part in parts { loaders[c].load(base: part.base, index: part.index, column: c, blockOffset: part.offset) }
        }
    }
}

/// Tokenizes a block as two halves on two threads. The second half starts after the first
/// line break past the middle, on the guess that it is not inside a quoted field; the guess
/// holds when the first half, parsed from a known record start, ends exactly there. When it
/// does not, the block is tokenized again in one piece.
final class TokenizedHalves: @unchecked Sendable {
    var first: FieldIndex
    var second: FieldIndex
    private(set) var split = 0
    private var firstOK = false
    private var secondResult: Result<Int, TokenizeError> = .success(0)

    /// Blocks smaller than this are tokenized in one piece.
    static let parallelThreshold = 128 << 10

    init(columns: Int) {
        first = FieldIndex(columns: columns)
        second = FieldIndex(columns: columns)
    }

    deinit {
        first.release()
        second.release()
    }

    /// Tokenizes the reader's buffer; returns the bytes of complete records.
    func tokenize(_ reader: BlockReader) throws(LoadError) -> Int {
        first.reset()
        second.reset()
        split = 0
        let p = UnsafePointer(reader.buffer)
        let n = reader.filled
        let delimiter = reader.delimiter
        if n >= TokenizedHalves.parallelThreshold, let newline = CSVTokenizer.nextLineBreak(p, from: n / 2, n), newline + 1 < n {
            let mid = newline + 1
            let eof = reader.eof
            let block = BlockPart(base: p, index: first, offset: 0)
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                let p = block.base
                if part == 0 {
                    firstOK = (try? CSVTokenizer.tokenize(p, mid, isLast: true, into: &first, delimiter: delimiter)) == mid
                } else {
                    do throws(TokenizeError) {
                        secondResult = .success(try CSVTokenizer.tokenize(p + mid, n - mid, isLast: eof, into: &second, delimiter: delimiter))
                    } catch {
                        secondResult = .failure(error)
                    }
                }
            }
            if firstOK {
                split = mid
                switch secondResult {
                case .success(let consumed): return mid + consumed
                case .failure(let e): throw reader.error(at: reader.blockOffset + mid + e.offset, e.message)
                }
            }
            first.reset()
            second.reset()
        }
        do {
            return try CSVTokenizer.tokenize(p, n, isLast: reader.eof, into: &first, delimiter: delimiter)
        } catch {
            throw reader.error(at: reader.blockOffset + error.offset, error.message)
        }
    }

    func parts(base: UnsafeMutablePointer<UInt8>, blockOffset: Int) -> [BlockPart] {
        var parts = [BlockPart(base: UnsafePointer(base), index: first, offset: blockOffset)]
        if split > 0 { parts.append(BlockPart(base: UnsafePointer(base + split), index: second, offset: blockOffset + split)) }
        return parts
    }
}

func lastPathComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
}
