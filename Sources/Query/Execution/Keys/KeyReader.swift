import Storage
import CKernels

/// One key's values over a batch of rows, in the form grouping, joins, distinct counts and
/// sorts compare: a 64-bit word per row whose equality is the values' equality (and, read for
/// ordering, whose unsigned order is the values' order), or a byte string per row for text that
/// has no dictionary. Buffers are allocated once and reused batch after batch.
struct KeyBatch {
    let words: UnsafeMutablePointer<UInt64>
    let valid: UnsafeMutablePointer<UInt8>
    let starts: UnsafeMutablePointer<UnsafePointer<UInt8>>
    let lengths: UnsafeMutablePointer<Int32>
    /// True when every row of the batch holds a value.
    var allValid = true
    /// Text of an expression lives here for the batch (heap text is pointed into in place).
    var arena = GrowableBuffer<UInt8>()

    init(capacity: Int = Execution.batchSize) {
        words = .allocate(capacity: capacity)
        valid = .allocate(capacity: capacity)
        starts = .allocate(capacity: capacity)
        lengths = .allocate(capacity: capacity)
    }

    func release() {
        words.deallocate()
        valid.deallocate()
        starts.deallocate()
        lengths.deallocate()
        var a = arena
        a.release()
    }

    @inline(__always) func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: starts[i], count: Int(lengths[i]))
    }
}

/// Reads one key (a column or an expression) a batch at a time into a `KeyBatch`.
struct KeyReader {
    enum Source {
        case int64(UnsafePointer<Int64>)
        case float64(UnsafePointer<Double>)
        case int32(UnsafePointer<Int32>)
        case uint8(UnsafePointer<UInt8>)
        case codes8(UnsafePointer<UInt8>), codes16(UnsafePointer<UInt16>), codes32(UnsafePointer<UInt32>)
        case heap(StringHeap)
        /// A dictionary column read as its values' bytes (to meet text of another dictionary).
        case dictionaryText(ColumnData, StringHeap)
        case expression(Bound)
    }

    let source: Source
    let column: Column?
    let type: DataType
    /// For ordering: each dictionary code's place (the code itself for a declared order, else
    /// the value's place in byte order). Nil when reading for equality only.
    let ranks: [UInt32]?
    let evaluator: Evaluator
    /// An integer overflow in the key's expression.
    var overflow: Diagnostic? { evaluator.trap.diagnostic }
    /// Whether rows come as byte strings (text without a dictionary).
    let isBytes: Bool
    /// Whether the words are dictionary codes of this dictionary (so two readers of one
    /// dictionary compare codes directly).
    let dictionary: StringDictionary?

    /// A reader of `key` over `columns`. `forOrder`: words follow the values' order.
    /// `textAsBytes`: text with a dictionary is read as bytes too (for joins across dictionaries).
    init(_ key: Bound, columns: [Column], forOrder: Bool, textAsBytes: Bool = false) {
        evaluator = Evaluator(columns: columns)
        type = key.type
        if case .column(let c, _) = key {
            let col = columns[c]
            column = col
            var s: Source
            switch col.data {
            case .int64(let b): s = .int64(b.pointer)
            case .float64(let b): s = .float64(b.pointer)
            case .int32(let b): s = .int32(b.pointer)
            case .uint8(let b): s = .uint8(b.pointer)
            case .codes8(let b, _): s = .codes8(b.pointer)
            case .codes16(let b, _): s = .codes16(b.pointer)
            case .codes32(let b, _): s = .codes32(b.pointer)
            case .strings(let h): s = .heap(h)
            }
            if textAsBytes, let d = col.dictionary {
                s = .dictionaryText(col.data, d.values)
                dictionary = nil
            } else {
                dictionary = col.dictionary
            }
            source = s
            switch source {
            case .heap, .dictionaryText: isBytes = true
            default: isBytes = false
            }
            ranks = forOrder ? col.dictionary.map(KeyReader.ranks) : nil
        } else {
            column = nil
            source = .expression(key)
            // Expressions give text as strings (no dictionary survives an expression but a
            // plain column, handled above), everything else as numbers.
            isBytes = key.type.isTextual
            dictionary = nil
            ranks = nil
        }
    }

    /// Each code's place in the order of its values: the code itself for a declared order,
    /// else by the values' bytes (code-point order).
    static func ranks(_ d: StringDictionary) -> [UInt32] {
        if d.isOrdered { return (0..<d.count).map { UInt32($0) } }
        var order = Array(0..<d.count)
        order.sort { d.values.bytes(at: $0).lexicographicallyPrecedes(d.values.bytes(at: $1)) }
        var ranks = [UInt32](repeating: 0, count: d.count)
        for (rank, code) in order.enumerated() { ranks[code] = UInt32(rank) }
        return ranks
    }

    /// Fills `out` for `rows[0..<n]`.
    func read(_ rows: UnsafePointer<Int32>, _ n: Int, into out: inout KeyBatch) {
        out.allValid = true
        switch source {
        case .int64(let p): readWords(rows, n, &out) { UInt64(bitPattern: p[$0]) ^ KeyWord.signBit }
        case .float64(let p): readWords(rows, n, &out) { KeyWord.of(p[$0]) }
        case .int32(let p): readWords(rows, n, &out) { UInt64(bitPattern: Int64(p[$0])) ^ KeyWord.signBit }
        case .uint8(let p): readWords(rows, n, &out) { UInt64(p[$0]) }
        case .codes8(let p): readCodes(rows, n, &out) { Int(p[$0]) }
        case .codes16(let p): readCodes(rows, n, &out) { Int(p[$0]) }
        case .codes32(let p): readCodes(rows, n, &out) { Int(p[$0]) }
        case .heap(let h):
            let bytes = h.bytes.pointer, offsets = h.offsets.pointer
            readValidity(rows, n, &out)
            for i in 0..<n {
                let r = Int(rows[i])
                let s = offsets[r]
                out.starts[i] = bytes + Int(s)
                out.lengths[i] = Int32(truncatingIfNeeded: offsets[r + 1] &- s)
            }
        case .dictionaryText(let data, let values):
            readValidity(rows, n, &out)
            let bytes = values.bytes.pointer, offsets = values.offsets.pointer
            for i in 0..<n {
                let c = out.valid[i] != 0 ? data.code(at: Int(rows[i])) : 0
                let s = offsets[c]
                out.starts[i] = bytes + Int(s)
                out.lengths[i] = out.valid[i] != 0 ? Int32(truncatingIfNeeded: offsets[c + 1] &- s) : 0
            }
        case .expression(let b):
            readVector(evaluator.evaluate(b, Array(UnsafeBufferPointer(start: rows, count: n))), n, &out)
        }
    }

    /// Row r's word (one row, for comparing two rows); nil when null. Columns only.
    func word(_ r: Int) -> UInt64? {
        if let column, column.nullCount > 0, !column.validity.isValid(r) { return nil }
        switch source {
        case .int64(let p): return UInt64(bitPattern: p[r]) ^ KeyWord.signBit
        case .float64(let p): return KeyWord.of(p[r])
        case .int32(let p): return UInt64(bitPattern: Int64(p[r])) ^ KeyWord.signBit
        case .uint8(let p): return UInt64(p[r])
        case .codes8(let p): return ranks.map { UInt64($0[Int(p[r])]) } ?? UInt64(p[r])
        case .codes16(let p): return ranks.map { UInt64($0[Int(p[r])]) } ?? UInt64(p[r])
        case .codes32(let p): return ranks.map { UInt64($0[Int(p[r])]) } ?? UInt64(p[r])
        case .heap(let h): return KeyWord.prefix(h.bytes(at: r))
        case .dictionaryText(let data, let values): return KeyWord.prefix(values.bytes(at: data.code(at: r)))
        case .expression: preconditionFailure("expressions are read a batch at a time")
        }
    }

    /// Row r's bytes (text without a dictionary), for comparing two rows; nil when null.
    func bytes(_ r: Int) -> UnsafeBufferPointer<UInt8>? {
        if let column, column.nullCount > 0, !column.validity.isValid(r) { return nil }
        switch source {
        case .heap(let h): return h.bytes(at: r)
        case .dictionaryText(let data, let values): return values.bytes(at: data.code(at: r))
        default: return nil
        }
    }

    /// Validity from the column's bitmap (all valid when it has no nulls).
    @inline(__always)
    private func readValidity(_ rows: UnsafePointer<Int32>, _ n: Int, _ out: inout KeyBatch) {
        guard let column, column.nullCount > 0 else {
            out.valid.update(repeating: 1, count: n)
            return
        }
        let words = column.validity.words.pointer
        var all: UInt8 = 1
        for i in 0..<n {
            let r = Int(rows[i])
            let v = UInt8(truncatingIfNeeded: (words[r >> 6] >> UInt64(r & 63)) & 1)
            out.valid[i] = v
            all &= v
        }
        out.allValid = all == 1
    }

    @inline(__always)
    private func readWords(_ rows: UnsafePointer<Int32>, _ n: Int, _ out: inout KeyBatch, _ word: (Int) -> UInt64) {
        readValidity(rows, n, &out)
        let w = out.words, v = out.valid
        if out.allValid {
            for i in 0..<n { w[i] = word(Int(rows[i])) }
        } else {
            // Null rows get word 0, so that equal keys have equal words whatever a null slot holds.
            for i in 0..<n { w[i] = v[i] != 0 ? word(Int(rows[i])) : 0 }
        }
    }

    @inline(__always)
    private func readCodes(_ rows: UnsafePointer<Int32>, _ n: Int, _ out: inout KeyBatch, _ code: (Int) -> Int) {
        if let ranks {
            ranks.withUnsafeBufferPointer { rk in readWords(rows, n, &out) { UInt64(rk[code($0)]) } }
        } else {
            readWords(rows, n, &out) { UInt64(code($0)) }
        }
    }

    private func readVector(_ v: Vector, _ n: Int, _ out: inout KeyBatch) {
        func flags(_ ok: [Bool]) {
            var all = true
            for i in 0..<n {
                out.valid[i] = ok[i] ? 1 : 0
                all = all && ok[i]
            }
            out.allValid = all
        }
        switch v {
        case .ints(let x, let ok), .decimals(let x, let ok, _):
            flags(ok)
            for i in 0..<n { out.words[i] = ok[i] ? UInt64(bitPattern: x[i]) ^ KeyWord.signBit : 0 }
        case .doubles(let x, let ok):
            flags(ok)
            for i in 0..<n { out.words[i] = ok[i] ? KeyWord.of(x[i]) : 0 }
        case .dates(let x, let ok):
            flags(ok)
            for i in 0..<n { out.words[i] = ok[i] ? UInt64(bitPattern: Int64(x[i])) ^ KeyWord.signBit : 0 }
        case .bools(let x):
            flags(x.map { $0 != 2 })
            for i in 0..<n { out.words[i] = x[i] == 1 ? 1 : 0 }
        case .codes, .texts:
            // Text from an expression: copied into the batch's arena, pointed to from there.
            let texts = v.asTexts()!
            out.arena.removeAll()
            var offsets = [Int](repeating: 0, count: n + 1)
            for i in 0..<n {
                if var s = texts[i] { s.withUTF8 { out.arena.append(contentsOf: $0) } }
                offsets[i + 1] = out.arena.count
            }
            out.arena.reserve(out.arena.count + 16)
            let base = out.arena.elements.baseAddress.map { UnsafePointer($0) } ?? emptyBytes
            var all = true
            for i in 0..<n {
                let ok = texts[i] != nil
                out.valid[i] = ok ? 1 : 0
                all = all && ok
                out.starts[i] = base + offsets[i]
                out.lengths[i] = Int32(offsets[i + 1] - offsets[i])
            }
            out.allValid = all
        }
    }
}

/// The 64-bit words keys are compared by.
enum KeyWord {
    static let signBit: UInt64 = 1 << 63

    /// A double as a word whose unsigned order is the numbers' order; -0 is 0, every NaN one NaN.
    @inline(__always) static func of(_ x: Double) -> UInt64 {
        let v = x == 0 ? 0.0 : (x.isNaN ? Double.nan : x)
        let bits = v.bitPattern
        return bits & signBit != 0 ? ~bits : bits | signBit
    }

    @inline(__always) static func double(_ w: UInt64) -> Double {
        Double(bitPattern: w & signBit != 0 ? w & ~signBit : ~w)
    }

    @inline(__always) static func int64(_ w: UInt64) -> Int64 { Int64(bitPattern: w ^ signBit) }

    /// Spreads a word's bits over the whole hash (murmur3's finaliser).
    @inline(__always) static func hash(_ w: UInt64) -> UInt64 {
        var h = w
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        return h ^ (h >> 33)
    }

    /// The first eight bytes of a string, big-endian and zero-padded: words in the order of the
    /// strings, except that strings sharing these bytes tie (and are compared in full).
    @inline(__always) static func prefix(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 { TextZoneMap.prefix(b) }

    static let nullHash: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always) static func combine(_ h: UInt64, _ k: UInt64) -> UInt64 {
        (h ^ k) &* 0x9E37_79B9_7F4A_7C15 &+ (h >> 29)
    }
}

extension KeyBatch {
    /// The hash of each row's key, folded into `hashes` (first key: `fold` false writes).
    func hash(_ n: Int, isBytes: Bool, into hashes: UnsafeMutablePointer<UInt64>, fold: Bool) {
        for i in 0..<n {
            let k: UInt64
            if valid[i] == 0 {
                k = KeyWord.nullHash
            } else if isBytes {
                k = projq_hash_bytes(starts[i], Int(lengths[i]))
            } else {
                k = KeyWord.hash(words[i])
            }
            hashes[i] = fold ? KeyWord.combine(hashes[i], k) : k
        }
    }
}
