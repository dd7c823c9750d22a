import Storage

/// Filters compiled to loops over raw column buffers. A kernel narrows a batch's selection in
/// place: it reads each selected row, writes it back at the next free place, and advances by
/// whether the row passed — no branch on the data, no per-row allocation. `and` is a chain of
/// kernels, each running only over the rows the one before kept.
indirect enum FilterKernel {
    /// `truth[code]` of a dictionary column (`sector = machinery`, `stage >= signed`).
    case codeTable(Column, [UInt8], nullTruth: UInt8)
    /// A column is null / not null.
    case nullCheck(Column, wantNull: Bool)
    /// A float column compared with a constant.
    case compareDouble(Column, BinaryOperator, Double)
    /// An int, timestamp or exact decimal column compared with a constant in its units (a
    /// constant with more digits than the column is turned into a bound on the units).
    case compareInt(Column, BinaryOperator, Int64)
    /// A date column compared with a day.
    case compareDate(Column, BinaryOperator, Int32)
    /// No row passes (`price = 1.005` on a column of cents).
    case never
    /// A bool column that must be true.
    case isTrue(Column)
    /// A text column that contains a constant substring.
    case contains(Column, [UInt8])
    case and([FilterKernel])
    /// Anything else: the general evaluator (with its trap, for integer overflow).
    case general(Bound, Evaluator)

    /// An integer overflow the general evaluator met, once the rows are done.
    var overflow: Diagnostic? {
        switch self {
        case .general(_, let e): e.trap.diagnostic
        case .and(let parts): parts.lazy.compactMap(\.overflow).first
        default: nil
        }
    }

    static func compile(_ b: Bound, _ columns: [Column]) -> FilterKernel {
        switch b {
        case .codeTable(let c, let truth, let nullTruth):
            // Only true passes: null (2) and false (0) both become 0.
            return .codeTable(columns[c], truth.map { $0 == 1 ? 1 : 0 }, nullTruth: nullTruth == 1 ? 1 : 0)
        case .logical(.and, let l, let r):
            var parts: [FilterKernel] = []
            for k in [compile(l, columns), compile(r, columns)] {
                if case .and(let inner) = k { parts += inner } else { parts.append(k) }
            }
            return .and(parts)
        case .isNull(.column(let c, _), let negated):
            return .nullCheck(columns[c], wantNull: !negated)
        case .column(let c, .bool):
            if case .uint8 = columns[c].data { return .isTrue(columns[c]) }
        case .compare(let op, .column(let c, let t), .constant(let v, _)) where t.isNumeric || t == .date || t == .timestamp:
            if let k = comparison(columns[c], op, v) { return k }
        case .compare(let op, .constant(let v, _), .column(let c, let t)) where t.isNumeric || t == .date || t == .timestamp:
            if let k = comparison(columns[c], flip(op), v) { return k }
        case .contains(.column(let c, _), .constant(.text(let needle), _)):
            if case .strings = columns[c].data { return .contains(columns[c], Array(needle.utf8)) }
        default:
            break
        }
        return .general(b, Evaluator(columns: columns))
    }

    /// `column op constant` as a loop over the column's own values, or nil for the evaluator.
    static func comparison(_ column: Column, _ op: BinaryOperator, _ v: Value) -> FilterKernel? {
        switch (column.data, v) {
        case (.float64, .float(let x)): return .compareDouble(column, op, x)
        case (.float64, .decimal(let x)): return .compareDouble(column, op, x.doubleValue)
        case (.float64, .int(let x)): return .compareDouble(column, op, Double(x))
        case (.int32, .date(let d)): return .compareDate(column, op, d)
        case (.int64, .timestamp(let t)) where column.type == .timestamp: return .compareInt(column, op, t)
        case (.int64, .int(let x)) where column.type != .timestamp: return unitComparison(column, op, FixedDecimal(x))
        case (.int64, .decimal(let x)) where column.type != .timestamp: return unitComparison(column, op, x)
        default: return nil
        }
    }

    /// An exact column (units at scale s) against an exact constant: the constant in units when
    /// it has no more digits than s; else `x < 1.005` at scale 2 is `x < 101` (the ceiling),
    /// `x <= 1.005` is `x <= 100` (the floor), `=` matches nothing and `!=` every value.
    /// Constants beyond the units' range decide the comparison for every row at once.
    static func unitComparison(_ column: Column, _ op: BinaryOperator, _ d: FixedDecimal) -> FilterKernel {
        let s = column.type.scale ?? 0
        var op = op
        let bound: Int128
        if d.scale <= s {
            bound = Int128(d.units) * Int128(FixedDecimal.powers[s - d.scale])
        } else {
            let (q, r) = Int128(d.units).quotientAndRemainder(dividingBy: Int128(FixedDecimal.powers[d.scale - s]))
            let floor = r < 0 ? q - 1 : q
            if r == 0 {
                bound = q
            } else {
                switch op {
                case .equal: return .never
                case .notEqual: return .nullCheck(column, wantNull: false)
                case .less: bound = floor + 1
                case .lessEqual: bound = floor
                case .greater: bound = floor
                default: op = .greaterEqual; bound = floor + 1
                }
            }
        }
        guard let c = Int64(exactly: bound) else {
            // Every value is below (or above) the constant.
            let above = bound > 0
            let passes: Bool = switch op {
            case .less, .lessEqual: above
            case .greater, .greaterEqual: !above
            case .notEqual: true
            default: false
            }
            return passes ? .nullCheck(column, wantNull: false) : .never
        }
        return .compareInt(column, op, c)
    }

    static func flip(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: .greater
        case .lessEqual: .greaterEqual
        case .greater: .less
        case .greaterEqual: .lessEqual
        default: op
        }
    }

    /// Writes 1 for each of `rows[0..<n]` that passes and 0 for the others (for `if` on an
    /// aggregate, which keeps every row for grouping). `scratch` holds `n` row numbers.
    func mask(_ rows: UnsafePointer<Int32>, _ n: Int, into out: UnsafeMutablePointer<UInt8>, scratch: UnsafeMutablePointer<Int32>?) {
        switch self {
        case .codeTable(let column, let truth, let nullTruth):
            truth.withUnsafeBufferPointer { t in
                let hasNulls = column.nullCount > 0
                let words = column.validity.words.pointer
                func run<C: FixedWidthInteger>(_ codes: UnsafePointer<C>) {
                    if !hasNulls, consecutive(rows, n) {
                        let base = codes + Int(rows[0])
                        for i in 0..<n { out[i] = t[Int(base[i])] }
                    } else if !hasNulls {
                        for i in 0..<n { out[i] = t[Int(codes[Int(rows[i])])] }
                    } else {
                        for i in 0..<n {
                            let r = Int(rows[i])
                            let valid = (words[r >> 6] >> UInt64(r & 63)) & 1 == 1
                            out[i] = valid ? t[Int(codes[r])] : nullTruth
                        }
                    }
                }
                switch column.data {
                case .codes8(let b, _): run(b.pointer)
                case .codes16(let b, _): run(b.pointer)
                case .codes32(let b, _): run(b.pointer)
                default: for i in 0..<n { out[i] = 0 }
                }
            }
        case .and(let parts):
            parts[0].mask(rows, n, into: out, scratch: scratch)
            let other = UnsafeMutablePointer<UInt8>.allocate(capacity: n)
            defer { other.deallocate() }
            for p in parts.dropFirst() {
                p.mask(rows, n, into: other, scratch: scratch)
                for i in 0..<n { out[i] &= other[i] }
            }
        default:
            // Narrow a copy, then mark the survivors (both lists keep the batch's order).
            guard let scratch else {
                let own = UnsafeMutablePointer<Int32>.allocate(capacity: n)
                defer { own.deallocate() }
                return mask(rows, n, into: out, scratch: own)
            }
            scratch.update(from: rows, count: n)
            let k = apply(scratch, n)
            var j = 0
            for i in 0..<n {
                let hit = j < k && scratch[j] == rows[i]
                out[i] = hit ? 1 : 0
                j += hit ? 1 : 0
            }
        }
    }

    /// Narrows `rows[0..<n]` to the rows that pass; returns the new count.
    func apply(_ rows: UnsafeMutablePointer<Int32>, _ n: Int) -> Int {
        switch self {
        case .and(let parts):
            var m = n
            for p in parts where m > 0 { m = p.apply(rows, m) }
            return m
        case .codeTable:
            // Two passes: the lookups first, independent of each other, then the compaction.
            // One pass would chain every row's store to the lookup before it.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { m -> Int in
                mask(rows, n, into: m.baseAddress!, scratch: nil)
                var k = 0
                for i in 0..<n {
                    rows[k] = rows[i]
                    k &+= Int(m[i])
                }
                return k
            }
        case .nullCheck(let column, let wantNull):
            if column.nullCount == 0 { return wantNull ? 0 : n }
            let words = column.validity.words.pointer
            var k = 0
            // Consecutive rows from a word boundary (a plain scan): walk the validity words'
            // set bits, a step per kept row.
            if n > 0, rows[0] & 63 == 0, consecutive(rows, n) {
                let first = Int(rows[0])
                let invert: UInt64 = wantNull ? ~0 : 0
                var w = 0
                while w * 64 < n {
                    var bits = words[(first >> 6) + w] ^ invert
                    let left = n - w * 64
                    if left < 64 { bits &= (1 << UInt64(left)) - 1 }
                    let base = Int32(first + w * 64)
                    while bits != 0 {
                        rows[k] = base + Int32(bits.trailingZeroBitCount)
                        k &+= 1
                        bits &= bits &- 1
                    }
                    w += 1
                }
                return k
            }
            // Branch-free: nulls are spread at random, so a branch would mispredict often.
            let flip: UInt64 = wantNull ? 1 : 0
            for i in 0..<n {
                let r = Int(rows[i])
                rows[k] = rows[i]
                k &+= Int(truncatingIfNeeded: ((words[r >> 6] >> UInt64(r & 63)) & 1) ^ flip)
            }
            return k
        case .isTrue(let column):
            guard case .uint8(let b) = column.data else { return 0 }
            let p = b.pointer
            let hasNulls = column.nullCount > 0
            var k = 0
            for i in 0..<n {
                let r = Int(rows[i])
                rows[k] = rows[i]
                k &+= Int(p[r] & 1) & (hasNulls && !column.validity.isValid(r) ? 0 : 1)
            }
            return k
        case .compareDouble(let column, let op, let constant):
            guard case .float64(let b) = column.data else { return 0 }
            return compareLoop(rows, n, column, b.pointer, op, constant)
        case .compareInt(let column, let op, let constant):
            guard case .int64(let b) = column.data else { return 0 }
            return compareLoop(rows, n, column, b.pointer, op, constant)
        case .compareDate(let column, let op, let constant):
            guard case .int32(let b) = column.data else { return 0 }
            return compareLoop(rows, n, column, b.pointer, op, constant)
        case .never:
            return 0
        case .contains(let column, let needle):
            guard case .strings(let heap) = column.data else { return 0 }
            return containsKernel(rows, n, column, heap, needle)
        case .general(let b, let evaluator):
            let input = Array(UnsafeBufferPointer(start: rows, count: n))
            guard case .bools(let truth) = evaluator.evaluate(b, input) else { return 0 }
            var k = 0
            for i in 0..<n where truth[i] == 1 {
                rows[k] = input[i]
                k += 1
            }
            return k
        }
    }

    /// `contains` on a string heap. Rows in ascending order (the common case) go to one C loop
    /// that searches the span of the heap they cover and maps each match to its row; others are
    /// searched row by row.
    private func containsKernel(_ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ column: Column, _ heap: StringHeap,
                                _ needle: [UInt8]) -> Int {
        guard n > 0 else { return 0 }
        let bytes = heap.bytes.pointer
        let offsets = heap.offsets.pointer
        let hasNulls = column.nullCount > 0
        return needle.withUnsafeBufferPointer { nb -> Int in
            let nl = nb.count
            // The needle's two filter bytes, chosen once for the batch.
            var p1 = 0, p2 = 0
            if nl >= 2 { projq_find_positions(nb.baseAddress!, nl, &p1, &p2) }
            var k = 0
            if nl == 0 {
                k = n
            } else if projq_descents(rows, n) == 0 {
                k = projq_contains_rows(bytes, offsets, rows, n, nb.baseAddress!, nl, p1, p2)
            } else {
                for i in 0..<n {
                    let r = Int(rows[i])
                    rows[k] = rows[i]
                    let start = Int(offsets[r]), end = Int(offsets[r + 1])
                    if end - start >= nl, projq_find_at(bytes + start, end - start, nb.baseAddress!, nl, p1, p2) != nil { k &+= 1 }
                }
            }
            guard hasNulls else { return k }
            // A null never passes, whatever bytes its row holds.
            var kept = 0
            for i in 0..<k {
                let r = Int(rows[i])
                rows[kept] = rows[i]
                kept &+= column.validity.isValid(r) ? 1 : 0
            }
            return kept
        }
    }

    @inline(__always)
    private func compareLoop<T: Comparable>(_ rows: UnsafeMutablePointer<Int32>, _ n: Int, _ column: Column, _ values: UnsafePointer<T>,
                                            _ op: BinaryOperator, _ c: T) -> Int {
        let hasNulls = column.nullCount > 0
        let words = column.validity.words.pointer
        var k = 0
        @inline(__always) func run(_ test: (T) -> Bool) {
            for i in 0..<n {
                let r = Int(rows[i])
                rows[k] = rows[i]
                let valid = hasNulls ? Int(truncatingIfNeeded: (words[r >> 6] >> UInt64(r & 63)) & 1) : 1
                k &+= (test(values[r]) ? 1 : 0) & valid
            }
        }
        switch op {
        case .equal: run { $0 == c }
        case .notEqual: run { $0 != c }
        case .less: run { $0 < c }
        case .lessEqual: run { $0 <= c }
        case .greater: run { $0 > c }
        default: run { $0 >= c }
        }
        return k
    }
}

import CKernels

