import TextSupport
/// Where the fields of a block's records are: for record r and field c, the bytes
/// `starts[r * columns + c] ..< ends[...] & ~escapedFlag`, relative to the block's start.
/// A quoted field's span excludes its quotes; `escapedFlag` marks one with doubled quotes
/// inside, which the reader undoes.
struct FieldIndex {
    static let escapedFlag: UInt32 = 1 << 31

    var starts = GrowableBuffer<UInt32>()
    var ends = GrowableBuffer<UInt32>()
    /// The offset of each record's first byte, for error messages.
    var recordStarts = GrowableBuffer<UInt32>()
    var columns: Int
    var rows: Int { recordStarts.count }

    init(columns: Int) { self.columns = columns }

    mutating func reset() {
        starts.removeAll()
        ends.removeAll()
        recordStarts.removeAll()
    }

    /// The bytes of column `c` over the first `rows` records (all by default).
    func fieldBytes(column c: Int, rows limit: Int? = nil) -> Int {
        var bytes = 0
        for r in 0..<Swift.min(limit ?? rows, rows) {
            let k = r * columns + c
            bytes += Int(ends[k] & ~FieldIndex.escapedFlag) - Int(starts[k])
        }
        return bytes
    }

    mutating func release() {
        starts.release()
        ends.release()
        recordStarts.release()
    }
}

/// A syntax error found by the tokenizer, at a byte offset in the block.
struct TokenizeError: Error {
    var offset: Int
    var message: String
}

/// Splits RFC 4180 text into records and fields: fields split by the delimiter (a comma, or
/// the tab, semicolon or `|` the file was sniffed to use), double-quoted fields with doubled
/// quotes and line breaks inside, LF or CRLF record ends. Writes only offsets (no bytes are
/// copied); stops before a record that the block cuts unless `isLast`.
/// A delimiter as a type, so that each tokenizer loop is specialised with its byte a constant.
protocol DelimiterByte { static var byte: UInt8 { get } }
enum CommaDelimiter: DelimiterByte { static var byte: UInt8 { UInt8(ascii: ",") } }
enum TabDelimiter: DelimiterByte { static var byte: UInt8 { UInt8(ascii: "\t") } }
enum SemicolonDelimiter: DelimiterByte { static var byte: UInt8 { UInt8(ascii: ";") } }
enum PipeDelimiter: DelimiterByte { static var byte: UInt8 { UInt8(ascii: "|") } }

enum CSVTokenizer {
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")

    /// Tokenizes complete records of `p[0..<n]` into `index` and returns how many bytes they
    /// took. With `maxRecords`, stops after that many (the header).
    ///
    /// With `index.columns == 0` (the header), any number of fields is taken and sets it.
    static func tokenize(_ p: UnsafePointer<UInt8>, _ n: Int, isLast: Bool, into index: inout FieldIndex,
                         maxRecords: Int = Int.max, delimiter: UInt8 = comma) throws(TokenizeError) -> Int {
        // One specialised copy of the loop per delimiter, its byte a constant: the scan's pattern
        // and the comparisons stay immediates, as they were when the comma was the only one.
        switch delimiter {
        case UInt8(ascii: "\t"): return try tokenize(p, n, isLast, &index, maxRecords, TabDelimiter.self)
        case UInt8(ascii: ";"): return try tokenize(p, n, isLast, &index, maxRecords, SemicolonDelimiter.self)
        case UInt8(ascii: "|"): return try tokenize(p, n, isLast, &index, maxRecords, PipeDelimiter.self)
        default: return try tokenize(p, n, isLast, &index, maxRecords, CommaDelimiter.self)
        }
    }

    private static func tokenize<D: DelimiterByte>(_ p: UnsafePointer<UInt8>, _ n: Int, _ isLast: Bool, _ index: inout FieldIndex,
                                                   _ maxRecords: Int, _: D.Type) throws(TokenizeError) -> Int {
        let delimiter = D.byte
        let delimiterPattern = UInt64(delimiter) &* 0x0101_0101_0101_0101
        let isHeader = index.columns == 0
        let columns = isHeader ? Int.max - 1 : index.columns
        // Locals, written back on every exit: through `inout` the compiler reloads them after
        // every store.
        var starts = index.starts, ends = index.ends, recordStarts = index.recordStarts
        defer {
            index.starts = starts
            index.ends = ends
            index.recordStarts = recordStarts
        }
        var i = 0
        var records = 0
        outer: while i < n, records < maxRecords {
            let recordStart = i
            // Blank lines separate nothing; skip them (a one-column file keeps them as nulls).
            if columns > 1 || isHeader {
                if p[i] == lf { i += 1; continue }
                if p[i] == cr, i + 1 < n, p[i + 1] == lf { i += 2; continue }
            }
            let fieldsBefore = starts.count
            if !isHeader {
                starts.reserveMore(columns)
                ends.reserveMore(columns)
            }
            var fields = 0
            while true {
                var start = i
                var end: Int
                var flags: UInt32 = 0
                if i < n, p[i] == quote {
                    start = i + 1
                    var j = start
                    while true {
                        j = scanQuote(p, j, n)
                        if j >= n {
                            if isLast { throw TokenizeError(offset: i, message: StorageMessage.unclosedQuote()) }
                            starts.truncate(to: fieldsBefore)
                            ends.truncate(to: fieldsBefore)
                            return recordStart
                        }
                        if j + 1 < n, p[j + 1] == quote {
                            flags = FieldIndex.escapedFlag
                            j += 2
                            continue
                        }
                        if j + 1 >= n, !isLast {
                            starts.truncate(to: fieldsBefore)
                            ends.truncate(to: fieldsBefore)
                            return recordStart
                        }
                        break
                    }
                    end = j
                    i = j + 1
                    if i < n, p[i] != delimiter, p[i] != lf, !(p[i] == cr && (i + 1 >= n || p[i + 1] == lf)) {
                        throw TokenizeError(offset: i, message: StorageMessage.afterClosingQuote(CSVTokenizer.name(of: delimiter)))
                    }
                } else {
                    i = scanDelimiter(p, i, n, delimiterPattern)
                    end = i
                }
                fields += 1
                if isHeader {
                    starts.append(UInt32(truncatingIfNeeded: start))
                    ends.append(UInt32(truncatingIfNeeded: end) | flags)
                } else if fields <= columns {
                    starts.appendUnchecked(UInt32(truncatingIfNeeded: start))
                    ends.appendUnchecked(UInt32(truncatingIfNeeded: end) | flags)
                } else if fields == columns + 1 {
                    throw TokenizeError(offset: start - (flags != 0 || (start > 0 && p[start - 1] == quote) ? 1 : 0),
                                        message: StorageMessage.fieldCount(ShellMessage.count(countFields(p, n, from: recordStart, delimiter), one: .oneField, other: .fields), columns))
                }
                if i >= n {
                    if !isLast {
                        starts.truncate(to: fieldsBefore)
                        ends.truncate(to: fieldsBefore)
                        return recordStart
                    }
                    break
                }
                let c = p[i]
                if c == delimiter {
                    i += 1
                    continue
                }
                if c == cr {
                    if i + 1 >= n, !isLast {
                        starts.truncate(to: fieldsBefore)
                        ends.truncate(to: fieldsBefore)
                        return recordStart
                    }
                    if i + 1 < n, p[i + 1] == lf { i += 2 } else { i += 1 }
                    break
                }
                i += 1   // lf
                break
            }
            if isHeader {
                index.columns = fields
                recordStarts.append(UInt32(truncatingIfNeeded: recordStart))
                return i
            }
            if fields < columns {
                throw TokenizeError(offset: end(ofLineBefore: i, p), message: StorageMessage.fieldCount(ShellMessage.count(fields, one: .oneField, other: .fields), columns))
            }
            recordStarts.append(UInt32(truncatingIfNeeded: recordStart))
            records += 1
            continue outer
        }
        return i
    }

    /// The first delimiter (its byte repeated in `pattern`), CR or LF at or after `i`, or `n`.
    @inline(__always)
    static func scanDelimiter(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ pattern: UInt64) -> Int {
        scan(p, start, n) { matches($0, pattern) | matches($0, 0x0A0A_0A0A_0A0A_0A0A) | matches($0, 0x0D0D_0D0D_0D0D_0D0D) }
    }

    /// How messages name a delimiter.
    static func name(of delimiter: UInt8) -> String {
        switch delimiter {
        case comma: StorageMessage.aComma()
        case UInt8(ascii: "\t"): StorageMessage.aTab()
        case UInt8(ascii: ";"): StorageMessage.aSemicolon()
        default: "'\(Character(Unicode.Scalar(delimiter)))'"
        }
    }

    /// The first double quote at or after `i`, or `n`.
    @inline(__always)
    static func scanQuote(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int {
        scan(p, start, n) { matches($0, 0x2222_2222_2222_2222) }
    }

    /// The first byte at or after `start` that `hits` marks in its word, or `n`; eight bytes at
    /// a time (SWAR). Reads up to 7 bytes past `n`: blocks keep 16 bytes of slack.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ hits: (UInt64) -> UInt64) -> Int {
        var i = start
        let raw = UnsafeRawPointer(p)
        while i < n {
            let m = hits(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            if m != 0 { return Swift.min(i + m.trailingZeroBitCount >> 3, n) }
            i += 8
        }
        return n
    }

    /// The high bit of each byte of `w` that equals the byte repeated in `pattern` (exact for
    /// the lowest match, which is all the scanners use).
    @inline(__always)
    static func matches(_ w: UInt64, _ pattern: UInt64) -> UInt64 {
        let x = w ^ pattern
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    /// The first LF at or after `start`.
    static func nextLineBreak(_ p: UnsafePointer<UInt8>, from start: Int, _ n: Int) -> Int? {
        var i = start
        while i < n {
            if p[i] == lf { return i }
            i += 1
        }
        return nil
    }

    /// The offset of the line break that ends the record before `i` (for "too few fields").
    private static func end(ofLineBefore i: Int, _ p: UnsafePointer<UInt8>) -> Int {
        var k = i
        if k > 0, p[k - 1] == lf { k -= 1 }
        if k > 0, p[k - 1] == cr { k -= 1 }
        return k
    }

    /// Counts the fields of the record at `start`, for the "too many fields" message.
    private static func countFields(_ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, _ delimiter: UInt8) -> Int {
        var i = start
        var fields = 1
        var quoted = false
        while i < n {
            let c = p[i]
            if c == quote { quoted.toggle() } else if !quoted {
                if c == delimiter { fields += 1 } else if c == lf { break }
            }
            i += 1
        }
        return fields
    }
}

