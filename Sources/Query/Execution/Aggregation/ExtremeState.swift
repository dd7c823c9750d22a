import Storage
#if canImport(Glibc)
import Glibc
#endif
import CKernels

/// `min X` and `max X` for every type: the argument is read as order words (numbers, dates,
/// booleans, and dictionary codes as their place in the order, so an ordered category's minimum
/// is its earliest stage) or as bytes (text without a dictionary, compared in code-point order).
/// The result has the argument's type; a dictionary column's result keeps its codes.
final class ExtremeState: AggregateState {
    let aggregate: BoundAggregate
    let columns: [Column]
    private let reader: KeyReader
    private let condition: FilterKernel?
    private var batch = KeyBatch()
    private let mask: UnsafeMutablePointer<UInt8>
    private let scratch: UnsafeMutablePointer<Int32>
    private let wantsMin: Bool
    /// Numbers (decimal, money, int) are compared as themselves in a loop without branches.
    private let input: AggregateInput?
    private let integers: Bool
    private var doubles: [Double] = []
    private var ints: [Int64] = []
    private var words: [UInt64] = []
    /// Text: each group's best value, as a stretch of `arena` (a better value is appended and
    /// pointed to; no string or array per group).
    private var arena = GrowableBuffer<UInt8>()
    private var textStart: [Int] = []
    private var textLength: [Int32] = []
    private var has: [Bool] = []

    init(_ a: BoundAggregate, columns: [Column]) {
        aggregate = a
        self.columns = columns
        reader = KeyReader(a.argument ?? .constant(.null, .null), columns: columns, forOrder: true)
        condition = a.condition.map { FilterKernel.compile($0, columns) }
        mask = .allocate(capacity: Execution.batchSize)
        scratch = .allocate(capacity: Execution.batchSize)
        wantsMin = a.function == .min
        let layout = a.argument?.type.layout
        if a.dictionary == nil, layout == .float64 || layout == .int64, a.argument?.type != .null {
            input = AggregateInput(a, columns: columns)
            integers = layout == .int64
        } else {
            input = nil
            integers = false
        }
    }

    deinit {
        arena.release()
        batch.release()
        mask.deallocate()
        scratch.deallocate()
    }

    func makeEmpty() -> AggregateState { ExtremeState(aggregate, columns: columns) }
    var arithmeticOverflow: Diagnostic? { reader.overflow ?? condition?.overflow ?? input?.overflow }

    func reserve(_ groups: Int) {
        grow(&has, to: groups, false)
        if input != nil {
            if integers { grow(&ints, to: groups, 0) } else { grow(&doubles, to: groups, 0) }
        } else if reader.isBytes {
            grow(&textStart, to: groups, 0)
            grow(&textLength, to: groups, 0)
        } else {
            grow(&words, to: groups, 0)
        }
    }

    func update(_ rows: UnsafePointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int) {
        if let input {
            let weights = input.prepare(rows, n)
            if integers {
                numbers(input.values(rows, n, Int64.self), weights, groups, n, &ints)
            } else {
                numbers(input.values(rows, n, Double.self), weights, groups, n, &doubles)
            }
            return
        }
        reader.read(rows, n, into: &batch)
        if let condition {
            condition.mask(rows, n, into: mask, scratch: scratch)
            for i in 0..<n { batch.valid[i] &= mask[i] }
        }
        let valid = batch.valid
        if reader.isBytes {
            for i in 0..<n where valid[i] != 0 {
                let g = Int(groups[i])
                let b = batch.bytes(i)
                if !has[g] || better(b, text(g)) { keep(g, b) }
            }
            return
        }
        let w = batch.words
        let isMin = wantsMin
        words.withUnsafeMutableBufferPointer { best in
            has.withUnsafeMutableBufferPointer { h in
                for i in 0..<n where valid[i] != 0 {
                    let g = Int(groups[i])
                    let x = w[i]
                    if !h[g] || (isMin ? x < best[g] : x > best[g]) {
                        best[g] = x
                        h[g] = true
                    }
                }
            }
        }
    }

    @inline(__always)
    private func numbers<T: Comparable>(_ v: UnsafePointer<T>, _ weights: UnsafePointer<UInt8>?, _ groups: UnsafePointer<Int32>,
                                        _ n: Int, _ best: inout [T]) {
        best.withUnsafeMutableBufferPointer { b in
            has.withUnsafeMutableBufferPointer { h in
                // One loop per case, the direction and the weights fixed in each (inlined with
                // constant arguments), so that the loop body is compares and selects only.
                @inline(__always) func run(min: Bool, _ w: UnsafePointer<UInt8>?) {
                    for i in 0..<n {
                        let g = Int(groups[i])
                        let x = v[i]
                        let counts = w.map { $0[i] != 0 } ?? true
                        let take = counts && (!h[g] || (min ? x < b[g] : x > b[g]))
                        b[g] = take ? x : b[g]
                        h[g] = h[g] || counts
                    }
                }
                switch (wantsMin, weights) {
                case (true, nil): run(min: true, nil)
                case (false, nil): run(min: false, nil)
                case (true, let w?): run(min: true, w)
                case (false, let w?): run(min: false, w)
                }
            }
        }
    }

    @inline(__always) private func better(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let c = compareBytes(a, b)
        return wantsMin ? c < 0 : c > 0
    }

    /// Group g's best text (valid until the arena next grows).
    @inline(__always) private func text(_ g: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: UnsafePointer(arena.elements.baseAddress.map { $0 + textStart[g] } ?? UnsafeMutablePointer(mutating: emptyBytes)),
                            count: Int(textLength[g]))
    }

    /// Makes `bytes` group g's best text.
    private func keep(_ g: Int, _ bytes: UnsafeBufferPointer<UInt8>) {
        textStart[g] = arena.count
        textLength[g] = Int32(bytes.count)
        arena.append(contentsOf: bytes)
        has[g] = true
    }

    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int) {
        let o = other as! ExtremeState
        let theirHas = o.has
        for g in 0..<count where theirHas[g] {
            let t = Int(mapping[g])
            if input != nil {
                if integers {
                    if !has[t] || (wantsMin ? o.ints[g] < ints[t] : o.ints[g] > ints[t]) { ints[t] = o.ints[g] }
                } else if !has[t] || (wantsMin ? o.doubles[g] < doubles[t] : o.doubles[g] > doubles[t]) {
                    doubles[t] = o.doubles[g]
                }
                has[t] = true
            } else if reader.isBytes {
                let candidate = o.text(g)
                if !has[t] || better(candidate, text(t)) { keep(t, candidate) }
            } else if !has[t] || (wantsMin ? o.words[g] < words[t] : o.words[g] > words[t]) {
                words[t] = o.words[g]
                has[t] = true
            }
        }
    }

    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column {
        let n = order.count
        var validity = BitmapBuilder(capacity: n)
        for g in order { validity.append(has[Int(g)]) }
        let type = aggregate.type
        let data: ColumnData
        if input != nil {
            if integers {
                var out = GrowableBuffer<Int64>(capacity: n)
                for g in order { out.append(ints[Int(g)]) }
                data = .int64(out.finish())
            } else {
                var out = GrowableBuffer<Double>(capacity: n)
                for g in order { out.append(doubles[Int(g)]) }
                data = .float64(out.finish())
            }
        } else if reader.isBytes {
            var heap = StringHeapBuilder(capacity: n, byteCapacity: 0)
            for g in order { _ = heap.append(text(Int(g))) }
            data = .strings(heap.finish())
        } else if let d = aggregate.dictionary, let ranks = reader.ranks {
            var codeOfRank = [Int](repeating: 0, count: ranks.count)
            for (code, rank) in ranks.enumerated() { codeOfRank[Int(rank)] = code }
            data = CodesBuilder.data(n, d) { has[Int(order[$0])] ? codeOfRank[Int(words[Int(order[$0])])] : 0 }
        } else {
            func build<T>(_ convert: (UInt64) -> T) -> TypedBuffer<T> {
                var out = GrowableBuffer<T>(capacity: n)
                for g in order { out.append(convert(words[Int(g)])) }
                return out.finish()
            }
            switch type.layout {
            case .int64: data = .int64(build { KeyWord.int64($0) })
            case .int32: data = .int32(build { Int32(truncatingIfNeeded: KeyWord.int64($0)) })
            case .uint8: data = .uint8(build { UInt8(truncatingIfNeeded: $0) })
            default: data = .float64(build { KeyWord.double($0) })
            }
        }
        return Column(name: aggregate.name, type: type, validity: validity.finish(), data: data)
    }
}

/// Code-point order of two UTF-8 strings (their bytes' order).
@inline(__always) func compareBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
    let n = Swift.min(a.count, b.count)
    if n > 0 {
        let c = memcmp(a.baseAddress!, b.baseAddress!, n)
        if c != 0 { return Int(c) }
    }
    return a.count - b.count
}
