import Storage

/// What a row of a result is: a row of the data, or a row `total` added.
public enum RowRole: UInt8, Sendable {
    case detail = 0
    /// `total by K`: after each group of K.
    case subtotal = 1
    /// `total`: the last row.
    case total = 2
}

/// What a clause hands to the next: columns of equal length and, after a filter, the rows kept
/// (a selection vector) instead of copies of them.
struct Relation {
    var name: String
    var columns: [Column]
    var rowCount: Int
    /// The rows, in order; nil means all rows 0..<rowCount.
    var selection: [Int32]?
    /// After `total`: the role of each row, by row number like the columns (a selection picks
    /// from it as from them); nil when every row is a detail row.
    var roles: [RowRole]? = nil

    /// The role of row number `r`.
    @inline(__always) func role(_ r: Int) -> RowRole { roles?[r] ?? .detail }

    /// The roles of `rows` (row numbers, −1 a detail row), for a relation made of them.
    func roles(of rows: [Int32]) -> [RowRole]? {
        guard let roles else { return nil }
        return rows.map { $0 >= 0 ? roles[Int($0)] : .detail }
    }

    init(table: Table) {
        name = table.name
        columns = table.columns
        rowCount = table.rowCount
        selection = nil
    }

    init(name: String, columns: [Column], rowCount: Int, selection: [Int32]? = nil) {
        self.name = name
        self.columns = columns
        self.rowCount = rowCount
        self.selection = selection
    }

    var count: Int { selection?.count ?? rowCount }

    /// The rows of batch `b` (of `Execution.batchSize`).
    func rows(batch start: Int, count n: Int) -> [Int32] {
        if let selection { return Array(selection[start..<start + n]) }
        return (0..<n).map { Int32(start + $0) }
    }

    /// The relation with its selection applied: plain columns again.
    func materialized() -> Relation {
        guard let selection else { return self }
        var out = Relation(name: name, columns: columns.map { gather($0, selection) }, rowCount: selection.count)
        out.roles = roles(of: selection)
        return out
    }

    /// The relation as a table: its columns, and the selection as the table's rows (nothing is
    /// copied).
    func table() -> Table {
        guard let selection else { return Table(name: name, columns: columns, rowCount: rowCount) }
        return Table(name: name, columns: columns, rows: selection)
    }
}

/// Copies the rows `rows` of a column (−1 gives a null row), keeping its type and dictionary:
/// loops over raw buffers, the validity built a word at a time; large gathers on two threads.
func gather(_ column: Column, _ rows: [Int32]) -> Column {
    let n = rows.count
    let source = column.validity.words.pointer
    let allValid = column.nullCount == 0
    let words = TypedBuffer<UInt64>.zeroed(count: (n + 63) / 64)
    let out = UnsafeMutablePointer(mutating: words.pointer)
    let parts = Parallel.parts(rows: n)
    // Validity: parts split at word boundaries, so the threads write disjoint words.
    let nulls: Int = rows.withUnsafeBufferPointer { r in
        let wordsPerPart = ((n + 63) / 64 + parts - 1) / parts
        let counts = Parallel.run(parts: parts) { (part) -> Int in
            let lo = Swift.min(n, part * wordsPerPart * 64), hi = Swift.min(n, (part + 1) * wordsPerPart * 64)
            var nulls = 0
            for i in lo..<hi {
                let x = Int(r[i])
                let ok = x >= 0 && (allValid || (source[x >> 6] >> UInt64(x & 63)) & 1 == 1)
                out[i >> 6] |= (ok ? 1 : 0) << UInt64(i & 63)
                nulls &+= ok ? 0 : 1
            }
            return nulls
        }
        return counts.reduce(0, +)
    }
    let validity = Bitmap(words: words, count: n)
    func typed<T>(_ b: TypedBuffer<T>) -> TypedBuffer<T> {
        let result = TypedBuffer<T>.zeroed(count: n)
        let o = UnsafeMutablePointer(mutating: result.pointer)
        let p = b.pointer
        rows.withUnsafeBufferPointer { r in
            _ = Parallel.run(parts: parts) { (part) -> Int in
                for i in (n * part / parts)..<(n * (part + 1) / parts) {
                    let x = Int(r[i])
                    if x >= 0 { o[i] = p[x] }
                }
                return 0
            }
        }
        return result
    }
    let data: ColumnData
    switch column.data {
    case .int64(let b): data = .int64(typed(b))
    case .float64(let b): data = .float64(typed(b))
    case .int32(let b): data = .int32(typed(b))
    case .uint8(let b): data = .uint8(typed(b))
    case .codes8(let b, let d): data = .codes8(typed(b), d)
    case .codes16(let b, let d): data = .codes16(typed(b), d)
    case .codes32(let b, let d): data = .codes32(typed(b), d)
    case .strings(let h):
        var heap = StringHeapBuilder(capacity: n, byteCapacity: 0)
        rows.withUnsafeBufferPointer { r in
            for i in 0..<n {
                let x = Int(r[i])
                if x >= 0, allValid || (source[x >> 6] >> UInt64(x & 63)) & 1 == 1 { heap.append(h.bytes(at: x)) } else { heap.appendEmpty() }
            }
        }
        data = .strings(heap.finish())
    }
    return Column(name: column.name, type: column.type, validity: validity, data: data, nullCount: nulls)
}

/// One column made of several of the same type and dictionary, end to end (the groups two threads
/// found, side by side).
func concatenate(_ parts: [Column]) -> Column {
    guard parts.count > 1 else { return parts[0] }
    let first = parts[0]
    let n = parts.reduce(0) { $0 + $1.count }
    var validity = BitmapBuilder(capacity: n)
    for p in parts {
        if p.nullCount == 0 { validity.appendValid(count: p.count) } else { for r in 0..<p.count { validity.append(p.validity.isValid(r)) } }
    }
    func typed<T>(_ buffers: [TypedBuffer<T>]) -> TypedBuffer<T> {
        var out = GrowableBuffer<T>(capacity: n)
        for b in buffers { b.withUnsafeBufferPointer { out.append(contentsOf: $0) } }
        return out.finish()
    }
    let data: ColumnData
    switch first.data {
    case .int64: data = .int64(typed(parts.map { if case .int64(let b) = $0.data { b } else { preconditionFailure() } }))
    case .float64: data = .float64(typed(parts.map { if case .float64(let b) = $0.data { b } else { preconditionFailure() } }))
    case .int32: data = .int32(typed(parts.map { if case .int32(let b) = $0.data { b } else { preconditionFailure() } }))
    case .uint8: data = .uint8(typed(parts.map { if case .uint8(let b) = $0.data { b } else { preconditionFailure() } }))
    case .codes8, .codes16, .codes32, .strings:
        // Codes may differ in width between the parts: text and codes go through a gather of
        // each part, then one heap or one set of codes.
        if let d = first.dictionary {
            var codes: [Int] = []
            codes.reserveCapacity(n)
            for p in parts { for r in 0..<p.count { codes.append(p.validity.isValid(r) ? p.data.code(at: r) : 0) } }
            data = CodesBuilder.data(n, d) { codes[$0] }
        } else {
            // Each part's bytes whole, its offsets moved by the bytes before it.
            let heaps = parts.map { p -> StringHeap in guard case .strings(let h) = p.data else { preconditionFailure() }; return h }
            let total = heaps.reduce(0) { $0 + Int($1.offsets.pointer[$1.count] - $1.offsets.pointer[0]) }
            precondition(total <= Int(UInt32.max), "text of a result passes 4 GiB")
            var bytes = GrowableBuffer<UInt8>(capacity: total)
            var offsets = GrowableBuffer<UInt32>(capacity: n + 1)
            for h in heaps {
                let o = h.offsets.pointer, base = UInt32(bytes.count) &- o[0]
                for r in 0..<h.count { offsets.appendUnchecked(base &+ o[r]) }
                bytes.append(contentsOf: UnsafeBufferPointer(start: h.bytes.pointer + Int(o[0]), count: Int(o[h.count] - o[0])))
            }
            offsets.append(UInt32(bytes.count))
            data = .strings(StringHeap(bytes: bytes.finish(), offsets: offsets.finish()))
        }
    }
    var bitmap = validity
    return Column(name: first.name, type: first.type, validity: bitmap.finish(), data: data)
}

/// Builds a result column from the vectors of its batches, straight into typed buffers: a
/// computed `select` column costs a loop per batch, not a boxed value per row.
struct VectorColumnBuilder {
    let name: String
    let type: DataType
    private var validity = BitmapBuilder()
    private var ints = GrowableBuffer<Int64>()
    private var doubles = GrowableBuffer<Double>()
    private var dates = GrowableBuffer<Int32>()
    private var bools = GrowableBuffer<UInt8>()
    private var heap = StringHeapBuilder()

    init(name: String, type: DataType) {
        self.name = name
        // A column keeps at most nine digits after the point (a literal may have written more).
        if let s = type.scale, s > FixedDecimal.maxScale {
            self.type = type.withScale(FixedDecimal.maxScale)
        } else {
            self.type = type.columnType
        }
    }

    mutating func append(_ v: Vector) {
        let n = v.count
        // By layout, not by type: a type lands here by the layout it has.
        switch (type.layout, v) {
        case (.int64, .ints(let x, let ok)) where (type.scale ?? 0) == 0,
             (.int64, .decimals(let x, let ok, _)) where v.scale == type.scale:
            for i in 0..<n { ints.append(x[i]); validity.append(ok[i]) }
        case (.int64, .ints), (.int64, .decimals):
            // Exact values at another scale than the column's: widened, or rounded half away.
            let (x, ok, s) = v.asExact()!
            let target = type.scale ?? 0
            for i in 0..<n {
                let d = ok[i] ? FixedDecimal(units: x[i], scale: s).rescaled(to: target) : nil
                ints.append(d?.units ?? 0)
                validity.append(d != nil)
            }
        case (.float64, .decimals(let x, let ok, let s)):
            for i in 0..<n { doubles.append(FixedDecimal(units: x[i], scale: s).doubleValue); validity.append(ok[i]) }
        case (.float64, .doubles(let x, let ok)):
            for i in 0..<n { doubles.append(x[i]); validity.append(ok[i]) }
        case (.float64, .ints(let x, let ok)):
            for i in 0..<n { doubles.append(Double(x[i])); validity.append(ok[i]) }
        case (.int32, .dates(let x, let ok)):
            for i in 0..<n { dates.append(x[i]); validity.append(ok[i]) }
        case (.uint8, .bools(let x)):
            for i in 0..<n { bools.append(x[i] == 1 ? 1 : 0); validity.append(x[i] != 2) }
        case (.text, .codes(let c, let d)), (.codes, .codes(let c, let d)):
            for i in 0..<n {
                if c[i] >= 0 { heap.append(d.values.bytes(at: Int(c[i]))) } else { heap.appendEmpty() }
                validity.append(c[i] >= 0)
            }
        case (.text, .texts(let t)), (.codes, .texts(let t)):
            for i in 0..<n {
                if let s = t[i] { heap.append(s) } else { heap.appendEmpty() }
                validity.append(t[i] != nil)
            }
        default:
            // A null literal or a type the expression only has on some rows: nulls of the type.
            for _ in 0..<n { appendNull() }
        }
    }

    private mutating func appendNull() {
        validity.append(false)
        switch type.layout {
        case .int64: ints.append(0)
        case .float64: doubles.append(0)
        case .int32: dates.append(0)
        case .uint8: bools.append(0)
        case .text, .codes: heap.appendEmpty()
        }
    }

    mutating func finish() -> Column {
        let data: ColumnData
        switch type.layout {
        case .int64: data = .int64(ints.finish())
        case .float64: data = .float64(doubles.finish())
        case .int32: data = .int32(dates.finish())
        case .uint8: data = .uint8(bools.finish())
        case .text, .codes: data = .strings(heap.finish())
        }
        let columnType: DataType = type.isTextual ? .text : type.columnType
        ints.release(); doubles.release(); dates.release(); bools.release(); heap.release()
        return Column(name: name, type: columnType, validity: validity.finish(), data: data)
    }
}
