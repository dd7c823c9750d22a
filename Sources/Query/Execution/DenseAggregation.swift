import Storage
import Dispatch

/// Aggregation whose keys index a dense array: dictionary codes (`by unit, sector`) and the
/// year, quarter or month of a date (`by month(signed_on)`). The slot of a row is computed from
/// its codes, and accumulators are flat arrays indexed by slot, updated in typed loops over the
/// column buffers — no hashing, no per-row values. Plans that do not fit fall back to
/// `runAggregation`.
struct DenseAggregation {
    enum Key {
        /// Slot part 0 is null, 1 + code otherwise.
        case codes(Column, StringDictionary)
        /// Slot part 0 is null, 1 + the part's index from the first day of the column's range.
        case datePart(Column, Function, firstDay: Int32, table: [UInt16], parts: Int, firstPart: Int)
    }

    enum Kind {
        case count
        case countColumn(Column)
        case sumDouble(Column), sumInt(Column)
        case avgDouble(Column), avgInt(Column)
        case minDouble(Column), maxDouble(Column)
        case minInt(Column), maxInt(Column)
    }

    struct Aggregate {
        var kind: Kind
        var condition: FilterKernel?
        var bound: BoundAggregate
    }

    let keys: [Key]
    let sizes: [Int]
    let slotCount: Int
    let aggregates: [Aggregate]

    static let maxSlots = 1 << 20

    /// The plan, or nil when a key or an aggregate is not of the dense kinds.
    init?(keys boundKeys: [BoundKey], aggregates: [BoundAggregate], columns: [Column]) {
        var keys: [Key] = []
        var sizes: [Int] = []
        var slots = 1
        for k in boundKeys {
            switch k.bound {
            case .column(let c, .category):
                guard let d = columns[c].dictionary else { return nil }
                keys.append(.codes(columns[c], d))
                sizes.append(d.count + 1)
            case .call(let f, let args, _) where f == .year || f == .month || f == .quarter:
                guard case .column(let c, .date) = args[0], case .int32 = columns[c].data,
                      let zm = columns[c].zoneMap else { return nil }
                let column = columns[c]
                if zm.min > zm.max {   // no dates at all
                    keys.append(.datePart(column, f, firstDay: 0, table: [0], parts: 0, firstPart: 0))
                    sizes.append(1)
                    continue
                }
                let first = Int32(zm.min.rounded(.up)), last = Int32(zm.max.rounded(.down))
                guard last - first < 1 << 20 else { return nil }
                func part(_ d: Int32) -> Int {
                    let c = CivilDate(days: d)
                    switch f {
                    case .year: return c.year
                    case .quarter: return c.year * 4 + (c.month - 1) / 3
                    default: return c.year * 12 + c.month - 1
                    }
                }
                let firstPart = part(first)
                let table = (first...last).map { UInt16(part($0) - firstPart) }
                let parts = part(last) - firstPart + 1
                keys.append(.datePart(column, f, firstDay: first, table: table, parts: parts, firstPart: firstPart))
                sizes.append(parts + 1)
            default:
                return nil
            }
            slots *= sizes.last!
            if slots > DenseAggregation.maxSlots { return nil }
        }
        var plans: [Aggregate] = []
        for a in aggregates {
            var kind: Kind
            func plain(_ b: Bound?) -> Column? {
                guard case .column(let c, _) = b else { return nil }
                return columns[c]
            }
            switch a.function {
            case .count:
                if a.argument == nil { kind = .count } else if let c = plain(a.argument) { kind = .countColumn(c) } else { return nil }
            case .sum, .avg, .min, .max:
                guard let c = plain(a.argument) else { return nil }
                switch (c.data, a.function) {
                case (.float64, .sum): kind = .sumDouble(c)
                case (.float64, .avg): kind = .avgDouble(c)
                case (.float64, .min): kind = .minDouble(c)
                case (.float64, .max): kind = .maxDouble(c)
                case (.int64, .sum): kind = .sumInt(c)
                case (.int64, .avg): kind = .avgInt(c)
                case (.int64, .min): kind = .minInt(c)
                case (.int64, .max): kind = .maxInt(c)
                default: return nil
                }
            default:
                return nil
            }
            plans.append(Aggregate(kind: kind, condition: a.condition.map { FilterKernel.compile($0, columns) }, bound: a))
        }
        self.keys = keys
        self.sizes = sizes
        self.slotCount = slots
        self.aggregates = plans
    }

    /// The slot of each row of the batch.
    func slots(_ rows: UnsafePointer<Int32>, _ n: Int, into out: UnsafeMutablePointer<Int32>) {
        // The first key writes its part; later keys add theirs.
        if keys.count != 1 { for i in 0..<n { out[i] = 0 } }
        let single = keys.count == 1
        var stride: Int32 = 1
        for (k, key) in keys.enumerated() {
            switch key {
            case .codes(let column, _):
                let hasNulls = column.nullCount > 0
                func run<C: FixedWidthInteger>(_ codes: UnsafePointer<C>) {
                    for i in 0..<n {
                        let r = Int(rows[i])
                        let part = hasNulls && !column.validity.isValid(r) ? 0 : Int32(codes[r]) &+ 1
                        out[i] = single ? part : out[i] &+ part &* stride
                    }
                }
                switch column.data {
                case .codes8(let b, _): run(b.pointer)
                case .codes16(let b, _): run(b.pointer)
                case .codes32(let b, _): run(b.pointer)
                default: break
                }
            case .datePart(let column, _, let firstDay, let table, _, _):
                guard case .int32(let b) = column.data else { break }
                let days = b.pointer
                let hasNulls = column.nullCount > 0
                table.withUnsafeBufferPointer { t in
                    for i in 0..<n {
                        let r = Int(rows[i])
                        let part = hasNulls && !column.validity.isValid(r) ? 0 : Int32(t[Int(days[r] &- firstDay)]) &+ 1
                        out[i] = single ? part : out[i] &+ part &* stride
                    }
                }
            }
            stride &*= Int32(sizes[k])
        }
    }

    /// What is accumulated for one or more aggregates: `sum` and `avg` of a column under the same
    /// condition share one running sum and count.
    fileprivate struct Accumulation: Hashable {
        enum Op: Hashable { case countRows, countValid, sum, min, max }
        var op: Op
        var column: ObjectIdentifier?
        var condition: Int?
    }

    private func accumulation(_ a: Aggregate, condition: Int?) -> Accumulation {
        switch a.kind {
        case .count: Accumulation(op: .countRows, column: nil, condition: condition)
        case .countColumn(let c): Accumulation(op: .countValid, column: ObjectIdentifier(c), condition: condition)
        case .sumDouble(let c), .avgDouble(let c), .sumInt(let c), .avgInt(let c):
            Accumulation(op: .sum, column: ObjectIdentifier(c), condition: condition)
        case .minDouble(let c), .minInt(let c): Accumulation(op: .min, column: ObjectIdentifier(c), condition: condition)
        case .maxDouble(let c), .maxInt(let c): Accumulation(op: .max, column: ObjectIdentifier(c), condition: condition)
        }
    }

    private func argument(_ a: Aggregate) -> Column? {
        switch a.kind {
        case .count: nil
        case .countColumn(let c), .sumDouble(let c), .avgDouble(let c), .sumInt(let c), .avgInt(let c),
             .minDouble(let c), .minInt(let c), .maxDouble(let c), .maxInt(let c): c
        }
    }

    /// Runs the aggregation; the result has keys then aggregates, groups in key order.
    /// `prefilter` is a `where` fused in: it narrows each batch before grouping, so the rows it
    /// drops are never written to a selection.
    func run(_ input: Relation, keyNames: [String], prefilter: FilterKernel? = nil, _ cancel: CancellationFlag) throws(Cancelled) -> Relation {
        // Few groups means long chains of updates to the same accumulator, each waiting for the
        // one before; four lanes per group (row i updates lane i % 4) break the chains.
        let lanes = self.slotCount <= 1 << 14 ? 4 : 1
        let size = self.slotCount * lanes

        // Conditions, each evaluated once a batch into a mask; accumulations, each updated once.
        var conditions: [FilterKernel] = []
        var specs: [Accumulation] = []
        var specColumns: [Column?] = []
        var specOf: [Int] = []
        for a in aggregates {
            var ci: Int? = nil
            if let c = a.condition { ci = conditions.count; conditions.append(c) }
            let spec = accumulation(a, condition: ci)
            if let existing = specs.firstIndex(of: spec) {
                specOf.append(existing)
            } else {
                specOf.append(specs.count)
                specs.append(spec)
                specColumns.append(argument(a))
            }
        }
        // Each thread accumulates half of the rows into its own arrays; the halves are merged.
        let n = input.count
        let threads = n >= 1 << 16 ? 2 : 1
        let parts = PartialResults(count: threads)
        let failed = CancelledFlag()
        let specsCopy = specs, columnsCopy = specColumns, conditionsCopy = conditions
        let work = { @Sendable (t: Int) in
            var state = AccumulationState(specs: specsCopy, size: size)
            let batch = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
            let slot = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
            let masks = UnsafeMutablePointer<UInt8>.allocate(capacity: Execution.batchSize * max(1, conditionsCopy.count))
            let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
            defer {
                batch.deallocate(); slot.deallocate(); masks.deallocate(); scratch.deallocate()
            }
            // Batches are dealt out in two contiguous halves, so each thread reads its own rows.
            let batches = (n + Execution.batchSize - 1) / Execution.batchSize
            let first = batches * t / threads, last = batches * (t + 1) / threads
            for bi in first..<last {
                if (try? cancel.check()) == nil { failed.set(); return }
                let start = bi * Execution.batchSize
                var m = min(Execution.batchSize, n - start)
                fillBatch(input, start, m, batch)
                if let prefilter {
                    m = prefilter.apply(batch, m)
                    if m == 0 { continue }
                }
                self.slots(batch, m, into: slot)
                if lanes > 1 {
                    for i in 0..<m { slot[i] = slot[i] &* 4 &+ Int32(i & 3) }
                }
                state.rowsPerSlot.withUnsafeMutableBufferPointer { rp in
                    for i in 0..<m { rp[Int(slot[i])] &+= 1 }
                }
                for (c, condition) in conditionsCopy.enumerated() {
                    condition.mask(batch, m, into: masks + c * Execution.batchSize, scratch: scratch)
                }
                for (k, spec) in specsCopy.enumerated() {
                    let mask: UnsafePointer<UInt8>? = spec.condition.map { UnsafePointer(masks + $0 * Execution.batchSize) }
                    if spec.op == .countRows && mask == nil { continue }   // that is rowsPerSlot
                    self.accumulate(spec.op, columnsCopy[k], batch, slot, mask, m,
                                    &state.counts[k], &state.sums[k], &state.ints[k], &state.overflow[k])
                }
            }
            parts.set(t, state)
        }
        if threads == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: threads, execute: work) }
        if failed.isSet { throw Cancelled() }
        var merged = parts.take(0)
        for t in 1..<threads { merged.merge(parts.take(t), specs) }
        var rowsPerSlot = merged.rowsPerSlot
        var counts = merged.counts, sums = merged.sums, ints = merged.ints, overflow = merged.overflow
        for (k, spec) in specs.enumerated() where spec.op == .countRows && spec.condition == nil { counts[k] = rowsPerSlot }
        // Fold the lanes.
        if lanes > 1 {
            let groups = self.slotCount
            func fold<T>(_ a: [T], _ combine: (T, T) -> T) -> [T] {
                a.isEmpty ? a : (0..<groups).map { g in combine(combine(a[g * 4], a[g * 4 + 1]), combine(a[g * 4 + 2], a[g * 4 + 3])) }
            }
            rowsPerSlot = fold(rowsPerSlot, &+)
            for (k, spec) in specs.enumerated() {
                counts[k] = fold(counts[k], &+)
                switch spec.op {
                case .sum:
                    sums[k] = fold(sums[k], +)
                    var o = overflow[k]
                    ints[k] = fold(ints[k], { x, y in
                        let (v, f) = x.addingReportingOverflow(y)
                        if f { o = true }
                        return v
                    })
                    overflow[k] = o
                case .min:
                    sums[k] = fold(sums[k], { Swift.min($0, $1) })
                    ints[k] = fold(ints[k], { Swift.min($0, $1) })
                case .max:
                    sums[k] = fold(sums[k], { Swift.max($0, $1) })
                    ints[k] = fold(ints[k], { Swift.max($0, $1) })
                default: break
                }
            }
        }
        return output(input, keyNames: keyNames, rowsPerSlot, specOf.map { counts[$0] }, specOf.map { sums[$0] },
                      specOf.map { ints[$0] }, specOf.map { overflow[$0] })
    }

    /// One thread's running accumulations.
    fileprivate struct AccumulationState {
        var rowsPerSlot: [Int64]
        var counts: [[Int64]]
        var sums: [[Double]]
        var ints: [[Int64]]
        var overflow: [Bool]

        init(specs: [Accumulation], size: Int) {
            rowsPerSlot = [Int64](repeating: 0, count: size)
            counts = specs.map { _ in [Int64](repeating: 0, count: size) }
            sums = specs.map { spec -> [Double] in
                switch spec.op {
                case .sum: [Double](repeating: 0, count: size)
                case .min: [Double](repeating: .infinity, count: size)
                case .max: [Double](repeating: -.infinity, count: size)
                default: []
                }
            }
            ints = specs.map { spec -> [Int64] in
                switch spec.op {
                case .sum: [Int64](repeating: 0, count: size)
                case .min: [Int64](repeating: .max, count: size)
                case .max: [Int64](repeating: .min, count: size)
                default: []
                }
            }
            overflow = [Bool](repeating: false, count: specs.count)
        }

        mutating func merge(_ o: AccumulationState, _ specs: [Accumulation]) {
            for i in rowsPerSlot.indices { rowsPerSlot[i] &+= o.rowsPerSlot[i] }
            for (k, spec) in specs.enumerated() {
                for i in counts[k].indices { counts[k][i] &+= o.counts[k][i] }
                overflow[k] = overflow[k] || o.overflow[k]
                switch spec.op {
                case .sum:
                    for i in sums[k].indices { sums[k][i] += o.sums[k][i] }
                    for i in ints[k].indices {
                        let (v, f) = ints[k][i].addingReportingOverflow(o.ints[k][i])
                        ints[k][i] = v
                        if f { overflow[k] = true }
                    }
                case .min:
                    for i in sums[k].indices { sums[k][i] = Swift.min(sums[k][i], o.sums[k][i]) }
                    for i in ints[k].indices { ints[k][i] = Swift.min(ints[k][i], o.ints[k][i]) }
                case .max:
                    for i in sums[k].indices { sums[k][i] = Swift.max(sums[k][i], o.sums[k][i]) }
                    for i in ints[k].indices { ints[k][i] = Swift.max(ints[k][i], o.ints[k][i]) }
                default: break
                }
            }
        }
    }

    /// Updates one accumulation for the batch's `m` rows, where the mask (if any) is 1 and the
    /// value is not null, in a loop without branches on the data.
    private func accumulate(_ op: Accumulation.Op, _ column: Column?, _ rows: UnsafePointer<Int32>, _ slot: UnsafePointer<Int32>,
                            _ mask: UnsafePointer<UInt8>?, _ m: Int, _ counts: inout [Int64], _ sums: inout [Double],
                            _ ints: inout [Int64], _ overflow: inout Bool) {
        // Whether row i counts: its mask and its validity bit, as 0 or 1.
        let words = column?.validity.words.pointer
        let hasNulls = (column?.nullCount ?? 0) > 0
        @inline(__always) func weight(_ i: Int, _ r: Int) -> Int {
            var w = mask.map { Int($0[i]) } ?? 1
            if hasNulls, let words { w &= Int(truncatingIfNeeded: (words[r >> 6] >> UInt64(r & 63)) & 1) }
            return w
        }
        counts.withUnsafeMutableBufferPointer { cp in
            switch op {
            case .countRows, .countValid:
                for i in 0..<m { cp[Int(slot[i])] &+= Int64(weight(i, Int(rows[i]))) }
            case .sum:
                guard let column else { return }
                switch column.data {
                case .float64(let b):
                    let v = b.pointer
                    sums.withUnsafeMutableBufferPointer { sp in
                        for i in 0..<m {
                            let r = Int(rows[i]), s = Int(slot[i])
                            let w = weight(i, r)
                            sp[s] += w != 0 ? v[r] : 0
                            cp[s] &+= Int64(w)
                        }
                    }
                case .int64(let b):
                    let v = b.pointer
                    var o = false
                    ints.withUnsafeMutableBufferPointer { ip in
                        for i in 0..<m {
                            let r = Int(rows[i]), s = Int(slot[i])
                            let w = weight(i, r)
                            let (x, f) = ip[s].addingReportingOverflow(w != 0 ? v[r] : 0)
                            ip[s] = x
                            o = o || f
                            cp[s] &+= Int64(w)
                        }
                    }
                    if o { overflow = true }
                default: break
                }
            case .min, .max:
                guard let column else { return }
                let isMin = op == .min
                /// Keeps the smaller (or larger) value per slot, for any comparable buffer.
                func extremes<T: Comparable>(_ v: UnsafePointer<T>, _ acc: inout [T]) {
                    acc.withUnsafeMutableBufferPointer { ap in
                        for i in 0..<m {
                            let r = Int(rows[i]), s = Int(slot[i])
                            let w = weight(i, r)
                            let x = v[r]
                            let better = isMin ? x < ap[s] : x > ap[s]
                            ap[s] = w != 0 && better ? x : ap[s]
                            cp[s] &+= Int64(w)
                        }
                    }
                }
                switch column.data {
                case .float64(let b): extremes(b.pointer, &sums)
                case .int64(let b): extremes(b.pointer, &ints)
                default: break
                }
            }
        }
    }

    /// The order of one key's slot parts: ordered categories by their order, other text by
    /// code point, dates by time; null (part 0) last.
    private func partOrder(_ k: Int) -> [Int] {
        switch keys[k] {
        case .codes(_, let d):
            var parts = Array(1..<(d.count + 1))
            if !d.isOrdered {
                let values = d.allValues
                parts.sort { codePointLess(values[$0 - 1], values[$1 - 1]) }
            }
            return parts + [0]
        case .datePart(_, _, _, _, let count, _):
            return Array(1..<(count + 1)) + [0]
        }
    }

    private func keyValue(_ k: Int, _ part: Int) -> Value {
        guard part > 0 else { return .null }
        switch keys[k] {
        case .codes(_, let d):
            return .text(d.value(part - 1))
        case .datePart(_, let f, _, _, _, let firstPart):
            let p = firstPart + part - 1
            switch f {
            case .year: return .int(Int64(p))
            case .quarter: return .text("\(p / 4)-Q\(p % 4 + 1)")
            default:
                let month = p % 12 + 1
                return .text("\(p / 12)-\(month < 10 ? "0" : "")\(month)")
            }
        }
    }

    private func output(_ input: Relation, keyNames: [String], _ rowsPerSlot: [Int64], _ counts: [[Int64]], _ sums: [[Double]],
                        _ intSums: [[Int64]], _ overflow: [Bool]) -> Relation {
        // Slots in key order: nested loops over each key's part order, the first key outermost.
        var order: [Int] = [0]
        var stride = 1
        var strides: [Int] = []
        for k in keys.indices { strides.append(stride); stride *= sizes[k] }
        if !keys.isEmpty {
            order = []
            func walk(_ k: Int, _ base: Int) {
                if k == keys.count {
                    if rowsPerSlot[base] > 0 { order.append(base) }
                    return
                }
                for p in partOrder(k) { walk(k + 1, base + p * strides[k]) }
            }
            walk(0, 0)
        }
        var columns: [Column] = []
        for (k, key) in keys.enumerated() {
            var builder: ValueColumnBuilder
            switch key {
            case .codes(_, let d): builder = ValueColumnBuilder(name: keyNames[k], type: .category(ordered: d.isOrdered), dictionary: d)
            case .datePart(_, let f, _, _, _, _): builder = ValueColumnBuilder(name: keyNames[k], type: f == .year ? .int : .text)
            }
            for s in order { builder.append(keyValue(k, (s / strides[k]) % sizes[k])) }
            columns.append(builder.finish())
        }
        for (a, agg) in aggregates.enumerated() {
            var builder = ValueColumnBuilder(name: agg.bound.name, type: agg.bound.type)
            for s in order {
                let c = counts[a][s]
                let v: Value
                switch agg.kind {
                case .count, .countColumn: v = .int(c)
                case .sumDouble: v = c == 0 ? .null : .decimal(sums[a][s])
                case .avgDouble: v = c == 0 ? .null : .decimal(sums[a][s] / Double(c))
                case .minDouble, .maxDouble: v = c == 0 ? .null : .decimal(sums[a][s])
                case .sumInt: v = c == 0 || overflow[a] ? .null : .int(intSums[a][s])
                case .avgInt: v = c == 0 ? .null : .decimal(Double(intSums[a][s]) / Double(c))
                case .minInt, .maxInt: v = c == 0 ? .null : .int(intSums[a][s])
                }
                builder.append(v)
            }
            columns.append(builder.finish())
        }
        return Relation(name: input.name, columns: columns, rowCount: order.count)
    }
}

/// The threads' states, written at disjoint indices (raw memory: an array property written from
/// two threads would trip the exclusivity checks).
private final class PartialResults: @unchecked Sendable {
    private let states: UnsafeMutablePointer<DenseAggregation.AccumulationState?>
    private let count: Int

    init(count: Int) {
        self.count = count
        states = .allocate(capacity: count)
        states.initialize(repeating: nil, count: count)
    }

    deinit {
        states.deinitialize(count: count)
        states.deallocate()
    }

    func set(_ i: Int, _ s: DenseAggregation.AccumulationState) { states[i] = s }
    func take(_ i: Int) -> DenseAggregation.AccumulationState { states[i]! }
}

/// Set by a thread that saw the cancellation flag.
final class CancelledFlag: @unchecked Sendable {
    private var value: Int32 = 0
    func set() { value = 1 }
    var isSet: Bool { value != 0 }
}

// Plans, kernels and relations are read, never written, by the threads that share them.
extension DenseAggregation: @unchecked Sendable {}
extension FilterKernel: @unchecked Sendable {}
extension Relation: @unchecked Sendable {}
