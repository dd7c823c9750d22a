import Storage

/// What a clause hands to the next: columns of equal length and, after a filter, the rows kept
/// (a selection vector) instead of copies of them.
struct Relation {
    var name: String
    var columns: [Column]
    var rowCount: Int
    /// The rows, in order; nil means all rows 0..<rowCount.
    var selection: [Int32]?

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
        return Relation(name: name, columns: columns.map { gather($0, selection) }, rowCount: selection.count)
    }

    func table() -> Table {
        let m = materialized()
        return Table(name: name, columns: m.columns, rowCount: m.rowCount)
    }
}

/// Copies the rows `rows` of a column (−1 gives a null row), keeping its type and dictionary.
func gather(_ column: Column, _ rows: [Int32]) -> Column {
    var validity = BitmapBuilder(capacity: rows.count)
    let source = column.validity
    func valid(_ r: Int32) -> Bool { r >= 0 && source.isValid(Int(r)) }
    func typed<T>(_ b: TypedBuffer<T>, zero: T) -> TypedBuffer<T> {
        var out = GrowableBuffer<T>(capacity: rows.count)
        let p = b.pointer
        for r in rows {
            let ok = valid(r)
            validity.append(ok)
            out.append(ok ? p[Int(r)] : zero)
        }
        return out.finish()
    }
    let data: ColumnData
    switch column.data {
    case .int64(let b): data = .int64(typed(b, zero: 0))
    case .float64(let b): data = .float64(typed(b, zero: 0))
    case .int32(let b): data = .int32(typed(b, zero: 0))
    case .uint8(let b): data = .uint8(typed(b, zero: 0))
    case .codes8(let b, let d): data = .codes8(typed(b, zero: 0), d)
    case .codes16(let b, let d): data = .codes16(typed(b, zero: 0), d)
    case .codes32(let b, let d): data = .codes32(typed(b, zero: 0), d)
    case .strings(let h):
        var out = StringHeapBuilder(capacity: rows.count, byteCapacity: 0)
        for r in rows {
            if valid(r) {
                out.append(h.bytes(at: Int(r)))
                validity.append(true)
            } else {
                out.appendEmpty()
                validity.append(false)
            }
        }
        data = .strings(out.finish())
    }
    return Column(name: column.name, type: column.type, validity: validity.finish(), data: data)
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
        self.type = type == .null ? .decimal : type
    }

    mutating func append(_ v: Vector) {
        let n = v.count
        switch (type, v) {
        case (.int, .ints(let x, let ok)):
            for i in 0..<n { ints.append(x[i]); validity.append(ok[i]) }
        case (.decimal, .doubles(let x, let ok)), (.money, .doubles(let x, let ok)):
            for i in 0..<n { doubles.append(x[i]); validity.append(ok[i]) }
        case (.decimal, .ints(let x, let ok)), (.money, .ints(let x, let ok)):
            for i in 0..<n { doubles.append(Double(x[i])); validity.append(ok[i]) }
        case (.date, .dates(let x, let ok)):
            for i in 0..<n { dates.append(x[i]); validity.append(ok[i]) }
        case (.bool, .bools(let x)):
            for i in 0..<n { bools.append(x[i] == 1 ? 1 : 0); validity.append(x[i] != 2) }
        case (.text, .codes(let c, let d)), (.category, .codes(let c, let d)):
            for i in 0..<n {
                if c[i] >= 0 { heap.append(d.values.bytes(at: Int(c[i]))) } else { heap.appendEmpty() }
                validity.append(c[i] >= 0)
            }
        case (.text, .texts(let t)), (.category, .texts(let t)):
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
        switch type {
        case .int: ints.append(0)
        case .date: dates.append(0)
        case .bool: bools.append(0)
        case .text, .category: heap.appendEmpty()
        default: doubles.append(0)
        }
    }

    mutating func finish() -> Column {
        let data: ColumnData
        switch type {
        case .int: data = .int64(ints.finish())
        case .date: data = .int32(dates.finish())
        case .bool: data = .uint8(bools.finish())
        case .text, .category: data = .strings(heap.finish())
        default: data = .float64(doubles.finish())
        }
        let columnType: DataType = type.isTextual ? .text : type.columnType
        ints.release(); doubles.release(); dates.release(); bools.release(); heap.release()
        return Column(name: name, type: columnType, validity: validity.finish(), data: data)
    }
}
