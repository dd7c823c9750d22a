import Storage

/// What an aggregate reads for a batch of rows: which rows count (a weight of 1: the argument
/// has a value there and the `if` condition holds) and the argument's values in batch order.
/// One per aggregate and thread; its buffers are allocated once and reused.
final class AggregateInput {
    let argument: Bound?
    /// The argument when it is a plain column (read in place), else nil.
    let column: Column?
    let condition: FilterKernel?
    let evaluator: Evaluator
    private let weightBuffer: UnsafeMutablePointer<UInt8>
    private let maskBuffer: UnsafeMutablePointer<UInt8>
    private let scratchRows: UnsafeMutablePointer<Int32>
    private let gathered: UnsafeMutableRawPointer
    /// The argument evaluated for the current batch (expressions only).
    private(set) var vector: Vector?

    /// An integer overflow in the argument or the condition.
    var overflow: Diagnostic? { evaluator.trap.diagnostic ?? condition?.overflow }

    init(_ aggregate: BoundAggregate, columns: [Column]) {
        argument = aggregate.argument
        if case .column(let c, _) = aggregate.argument { column = columns[c] } else { column = nil }
        condition = aggregate.condition.map { FilterKernel.compile($0, columns) }
        evaluator = Evaluator(columns: columns)
        weightBuffer = .allocate(capacity: Execution.batchSize)
        maskBuffer = .allocate(capacity: Execution.batchSize)
        scratchRows = .allocate(capacity: Execution.batchSize)
        gathered = .allocate(byteCount: Execution.batchSize * 8, alignment: 8)
    }

    deinit {
        weightBuffer.deallocate()
        maskBuffer.deallocate()
        scratchRows.deallocate()
        gathered.deallocate()
    }

    /// Evaluates the argument (an expression) and the condition for the batch, and returns the
    /// weights, or nil when every row counts.
    func prepare(_ rows: UnsafePointer<Int32>, _ n: Int) -> UnsafePointer<UInt8>? {
        vector = nil
        if let argument, column == nil {
            vector = evaluator.evaluate(argument, Array(UnsafeBufferPointer(start: rows, count: n)))
        }
        var weights: UnsafeMutablePointer<UInt8>? = nil
        if let condition {
            condition.mask(rows, n, into: maskBuffer, scratch: scratchRows)
            weights = maskBuffer
        }
        if let column, column.nullCount > 0 {
            let words = column.validity.words.pointer
            let out = weightBuffer
            if let w = weights {
                for i in 0..<n { let r = Int(rows[i]); out[i] = w[i] & UInt8(truncatingIfNeeded: (words[r >> 6] >> UInt64(r & 63)) & 1) }
            } else {
                for i in 0..<n { let r = Int(rows[i]); out[i] = UInt8(truncatingIfNeeded: (words[r >> 6] >> UInt64(r & 63)) & 1) }
            }
            weights = out
        } else if let vector {
            let out = weightBuffer
            for i in 0..<n { out[i] = (weights?[i] ?? 1) & (vector.isNull(i) ? 0 : 1) }
            weights = out
        } else if argument?.type == .null {
            weightBuffer.update(repeating: 0, count: n)
            weights = weightBuffer
        }
        return weights.map { UnsafePointer($0) }
    }

    /// The argument's values for the batch as `T`, read from the column in place when the rows
    /// are consecutive, else gathered; from an expression, its vector's values.
    func values<T>(_ rows: UnsafePointer<Int32>, _ n: Int, _: T.Type) -> UnsafePointer<T> {
        let out = gathered.assumingMemoryBound(to: T.self)
        if let column {
            func read<S>(_ b: TypedBuffer<S>, _ convert: (S) -> T) -> UnsafePointer<T> {
                let p = b.pointer
                if S.self == T.self, consecutive(rows, n) {
                    return UnsafeRawPointer(p + Int(rows[0])).assumingMemoryBound(to: T.self)
                }
                for i in 0..<n { out[i] = convert(p[Int(rows[i])]) }
                return UnsafePointer(out)
            }
            switch column.data {
            case .int64(let b) where T.self == Int64.self: return read(b) { unsafeBitCast($0, to: T.self) }
            case .int64(let b) where T.self == Double.self:
                let divisor = Double(FixedDecimal.powers[column.type.scale ?? 0])
                return read(b) { unsafeBitCast(Double($0) / divisor, to: T.self) }
            case .float64(let b) where T.self == Double.self: return read(b) { unsafeBitCast($0, to: T.self) }
            default: break
            }
        } else if let vector {
            switch vector {
            case .ints(let v, _) where T.self == Int64.self, .decimals(let v, _, _) where T.self == Int64.self:
                v.withUnsafeBufferPointer { b in UnsafeMutableRawPointer(out).copyMemory(from: b.baseAddress!, byteCount: n * 8) }
                return UnsafePointer(out)
            case .ints(let v, _) where T.self == Double.self:
                for i in 0..<n { out[i] = unsafeBitCast(Double(v[i]), to: T.self) }
                return UnsafePointer(out)
            case .decimals(let v, _, let s) where T.self == Double.self:
                let divisor = Double(FixedDecimal.powers[s])
                for i in 0..<n { out[i] = unsafeBitCast(Double(v[i]) / divisor, to: T.self) }
                return UnsafePointer(out)
            case .doubles(let v, _) where T.self == Double.self:
                v.withUnsafeBufferPointer { b in UnsafeMutableRawPointer(out).copyMemory(from: b.baseAddress!, byteCount: n * 8) }
                return UnsafePointer(out)
            default: break
            }
        }
        // A null argument (every weight is 0): zeros.
        UnsafeMutableRawPointer(out).initializeMemory(as: UInt8.self, repeating: 0, count: n * 8)
        return UnsafePointer(out)
    }
}
