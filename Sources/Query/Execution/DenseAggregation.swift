import Storage

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
        for i in 0..<n { out[i] = 0 }
        var stride: Int32 = 1
        for (k, key) in keys.enumerated() {
            switch key {
            case .codes(let column, _):
                let hasNulls = column.nullCount > 0
                func run<C: FixedWidthInteger>(_ codes: UnsafePointer<C>) {
                    for i in 0..<n {
                        let r = Int(rows[i])
                        let part = hasNulls && !column.validity.isValid(r) ? 0 : Int32(codes[r]) &+ 1
                        out[i] &+= part &* stride
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
                        out[i] &+= part &* stride
                    }
                }
            }
            stride &*= Int32(sizes[k])
        }
    }

    /// Runs the aggregation; the result has keys then aggregates, groups in key order.
    func run(_ input: Relation, keyNames: [String], _ cancel: CancellationFlag) throws(Cancelled) -> Relation {
        // Few groups means long chains of updates to the same accumulator, each waiting for the
        // one before; four lanes per group (row i updates lane i % 4) break the chains.
        let lanes = self.slotCount <= 1 << 14 ? 4 : 1
        let slotCount = self.slotCount * lanes
        var rowsPerSlot = [Int64](repeating: 0, count: slotCount)
        var counts = [[Int64]](repeating: [], count: aggregates.count)
        var sums = [[Double]](repeating: [], count: aggregates.count)
        var intSums = [[Int64]](repeating: [], count: aggregates.count)
        for (a, agg) in aggregates.enumerated() {
            counts[a] = [Int64](repeating: 0, count: slotCount)
            switch agg.kind {
            case .sumDouble, .avgDouble: sums[a] = [Double](repeating: 0, count: slotCount)
            case .minDouble: sums[a] = [Double](repeating: .infinity, count: slotCount)
            case .maxDouble: sums[a] = [Double](repeating: -.infinity, count: slotCount)
            case .sumInt, .avgInt: intSums[a] = [Int64](repeating: 0, count: slotCount)
            case .minInt: intSums[a] = [Int64](repeating: .max, count: slotCount)
            case .maxInt: intSums[a] = [Int64](repeating: .min, count: slotCount)
            default: break
            }
        }
        var overflow = [Bool](repeating: false, count: aggregates.count)
        let batch = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        let kept = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        let slot = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        let positions = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        defer {
            batch.deallocate(); kept.deallocate(); slot.deallocate(); positions.deallocate()
        }
        let n = input.count
        var start = 0
        while start < n {
            try cancel.check()
            let m = min(Execution.batchSize, n - start)
            if let selection = input.selection {
                selection.withUnsafeBufferPointer { s in batch.update(from: s.baseAddress! + start, count: m) }
            } else {
                for i in 0..<m { batch[i] = Int32(start + i) }
            }
            slots(batch, m, into: slot)
            if lanes > 1 {
                for i in 0..<m { slot[i] = slot[i] &* 4 &+ Int32(i & 3) }
            }
            rowsPerSlot.withUnsafeMutableBufferPointer { rp in
                for i in 0..<m { rp[Int(slot[i])] &+= 1 }
            }
            for (a, agg) in aggregates.enumerated() {
                // The positions in the batch of the rows this aggregate takes.
                var k = m
                if agg.condition == nil, case .count = agg.kind { continue }   // rowsPerSlot is the count
                if let condition = agg.condition {
                    kept.update(from: batch, count: m)
                    k = condition.apply(kept, m)
                    var j = 0
                    for i in 0..<m where j < k && batch[i] == kept[j] {
                        positions[j] = Int32(i)
                        j += 1
                    }
                } else {
                    for i in 0..<m { positions[i] = Int32(i) }
                }
                accumulate(agg.kind, batch, slot, agg.condition == nil ? nil : positions, k, &counts[a], &sums[a], &intSums[a], &overflow[a])
            }
            start += m
        }
        // Fold the lanes.
        if lanes > 1 {
            let groups = self.slotCount
            func fold<T>(_ a: [T], _ combine: (T, T) -> T) -> [T] {
                (0..<groups).map { g in combine(combine(a[g * 4], a[g * 4 + 1]), combine(a[g * 4 + 2], a[g * 4 + 3])) }
            }
            rowsPerSlot = fold(rowsPerSlot, &+)
            for (a, agg) in aggregates.enumerated() {
                counts[a] = agg.condition == nil && { if case .count = agg.kind { return true } else { return false } }() ? rowsPerSlot : fold(counts[a], &+)
                switch agg.kind {
                case .sumDouble, .avgDouble: sums[a] = fold(sums[a], +)
                case .minDouble: sums[a] = fold(sums[a], { Swift.min($0, $1) })
                case .maxDouble: sums[a] = fold(sums[a], { Swift.max($0, $1) })
                case .sumInt, .avgInt:
                    var o = overflow[a]
                    intSums[a] = fold(intSums[a], { x, y in
                        let (v, f) = x.addingReportingOverflow(y)
                        if f { o = true }
                        return v
                    })
                    overflow[a] = o
                case .minInt: intSums[a] = fold(intSums[a], { Swift.min($0, $1) })
                case .maxInt: intSums[a] = fold(intSums[a], { Swift.max($0, $1) })
                default: break
                }
            }
        } else {
            for (a, agg) in aggregates.enumerated() where agg.condition == nil {
                if case .count = agg.kind { counts[a] = rowsPerSlot }
            }
        }
        return output(input, keyNames: keyNames, rowsPerSlot, counts, sums, intSums, overflow)
    }

    /// Updates one aggregate for `k` rows of the batch: all of them, or those at `positions`.
    private func accumulate(_ kind: Kind, _ rows: UnsafePointer<Int32>, _ slot: UnsafePointer<Int32>, _ positions: UnsafePointer<Int32>?,
                            _ k: Int, _ counts: inout [Int64], _ sums: inout [Double], _ intSums: inout [Int64], _ overflow: inout Bool) {
        @inline(__always) func each(_ column: Column, _ body: (Int, Int) -> Void) {
            let words = column.validity.words.pointer
            if let positions {
                if column.nullCount > 0 {
                    for j in 0..<k {
                        let i = Int(positions[j])
                        let r = Int(rows[i])
                        if (words[r >> 6] >> UInt64(r & 63)) & 1 == 0 { continue }
                        body(Int(slot[i]), r)
                    }
                } else {
                    for j in 0..<k {
                        let i = Int(positions[j])
                        body(Int(slot[i]), Int(rows[i]))
                    }
                }
            } else if column.nullCount > 0 {
                for i in 0..<k {
                    let r = Int(rows[i])
                    if (words[r >> 6] >> UInt64(r & 63)) & 1 == 0 { continue }
                    body(Int(slot[i]), r)
                }
            } else {
                for i in 0..<k { body(Int(slot[i]), Int(rows[i])) }
            }
        }
        counts.withUnsafeMutableBufferPointer { cp in
            switch kind {
            case .count:
                if let positions {
                    for j in 0..<k { cp[Int(slot[Int(positions[j])])] &+= 1 }
                } else {
                    for i in 0..<k { cp[Int(slot[i])] &+= 1 }
                }
            case .countColumn(let c):
                each(c) { s, _ in cp[s] &+= 1 }
            case .sumDouble(let c), .avgDouble(let c):
                guard case .float64(let b) = c.data else { return }
                let v = b.pointer
                sums.withUnsafeMutableBufferPointer { sp in each(c) { s, r in sp[s] += v[r]; cp[s] &+= 1 } }
            case .minDouble(let c), .maxDouble(let c):
                guard case .float64(let b) = c.data else { return }
                let v = b.pointer
                let isMin = { if case .minDouble = kind { return true } else { return false } }()
                sums.withUnsafeMutableBufferPointer { sp in
                    each(c) { s, r in
                        sp[s] = isMin ? Swift.min(sp[s], v[r]) : Swift.max(sp[s], v[r])
                        cp[s] &+= 1
                    }
                }
            case .sumInt(let c), .avgInt(let c):
                guard case .int64(let b) = c.data else { return }
                let v = b.pointer
                var o = false
                intSums.withUnsafeMutableBufferPointer { ip in
                    each(c) { s, r in
                        let (x, f) = ip[s].addingReportingOverflow(v[r])
                        ip[s] = x
                        o = o || f
                        cp[s] &+= 1
                    }
                }
                if o { overflow = true }
            case .minInt(let c), .maxInt(let c):
                guard case .int64(let b) = c.data else { return }
                let v = b.pointer
                let isMin = { if case .minInt = kind { return true } else { return false } }()
                intSums.withUnsafeMutableBufferPointer { ip in
                    each(c) { s, r in
                        ip[s] = isMin ? Swift.min(ip[s], v[r]) : Swift.max(ip[s], v[r])
                        cp[s] &+= 1
                    }
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
