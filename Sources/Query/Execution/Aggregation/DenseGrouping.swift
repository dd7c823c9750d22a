import CKernels
import Storage

/// Group numbers computed, not looked up: when every key has a small domain — dictionary codes,
/// booleans, the year/quarter/month of a date, an integer or date column whose zone map spans a
/// short range — a row's group is its slot, the mixed-radix number of its keys' parts (part 0
/// is null). No hashing; the result comes out in key order by walking the slots.
struct DenseGrouping {
    /// Each key reads column `Int` of the relation the aggregation runs over.
    enum Key {
        /// Part 1 + code.
        case codes(Int, StringDictionary)
        /// Part 1 + the period's index from the first period of the column's range.
        case datePart(Int, Function, firstDay: Int32, table: [UInt16], parts: Int, firstPart: Int)
        /// Part 1 + value − minimum (integers, dates and booleans).
        case range(Int, DataType, minimum: Int64, parts: Int)

        /// The column the key reads.
        var column: Int {
            switch self {
            case .codes(let c, _), .datePart(let c, _, _, _, _, _), .range(let c, _, _, _): c
            }
        }

        var size: Int {
            switch self {
            case .codes(_, let d): d.count + 1
            case .datePart(_, _, _, _, let parts, _): parts + 1
            case .range(_, _, _, let parts): parts + 1
            }
        }
    }

    static let maxSlots = 1 << 20

    let keys: [Key]
    let strides: [Int]
    let slotCount: Int

    /// The dense plan for `keys` over columns described by `schema`, or why there is none: a
    /// key whose domain is not small. Ranges come from the zone maps of the columns' stored
    /// sources, which bound every value a derived column can hold.
    static func plan(_ keys: [BoundKey], schema: Schema) -> Result<DenseGrouping, Refusal> {
        var plan: [Key] = []
        var slots = 1
        for k in keys {
            guard let key = denseKey(k.bound, schema) else { return .failure(Refusal(key: k.name)) }
            plan.append(key)
            slots *= key.size
            if slots > maxSlots { return .failure(Refusal(key: k.name, slots: slots)) }
        }
        var strides: [Int] = []
        var stride = 1
        for key in plan { strides.append(stride); stride *= key.size }
        return .success(DenseGrouping(keys: plan, strides: strides, slotCount: slots))
    }

    /// Why a grouping is not dense, for `.explain`.
    struct Refusal: Error {
        var key: String
        var slots: Int? = nil
        var reason: String {
            if let slots { return "\(slots) slots would pass the dense limit of \(DenseGrouping.maxSlots)" }
            return "'\(key)' has no small domain (not a category, a boolean, a date part or a short integer range)"
        }
    }

    private static func denseKey(_ b: Bound, _ schema: Schema) -> Key? {
        switch b {
        case .column(let c, let type):
            if let d = schema[c].dictionary { return .codes(c, d) }
            switch type.layout {
            case .uint8: return .range(c, type, minimum: 0, parts: 2)
            case .int64, .int32:
                guard let zm = schema[c].base?.zoneMap else { return nil }
                if zm.min > zm.max { return .range(c, type, minimum: 0, parts: 0) }   // no values at all
                guard zm.min >= -9e15, zm.max <= 9e15 else { return nil }
                let lo = Int64(zm.min.rounded(.up)), hi = Int64(zm.max.rounded(.down))
                guard hi - lo < Int64(maxSlots) else { return nil }
                return .range(c, type, minimum: lo, parts: Int(hi - lo) + 1)
            default: return nil
            }
        case .call(let f, let args, _) where f == .year || f == .month || f == .quarter:
            guard case .column(let c, .date) = args[0], let zm = schema[c].base?.zoneMap else { return nil }
            if zm.min > zm.max { return .datePart(c, f, firstDay: 0, table: [0, 0], parts: 0, firstPart: 0) }
            let first = Int32(zm.min.rounded(.up)), last = Int32(zm.max.rounded(.down))
            guard last - first < 1 << 20 else { return nil }
            let firstPart = period(f, first)
            // One entry of padding: `projq_date_parts` reads eight entries at once as words.
            let table = (first...last).map { UInt16(period(f, $0) - firstPart) } + [0]
            return .datePart(c, f, firstDay: first, table: table, parts: period(f, last) - firstPart + 1, firstPart: firstPart)
        default:
            return nil
        }
    }

    private static func period(_ f: Function, _ day: Int32) -> Int {
        let c = CivilDate(days: day)
        switch f {
        case .year: return c.year
        case .quarter: return c.year * 4 + (c.month - 1) / 3
        default: return c.year * 12 + c.month - 1
        }
    }

    /// Key `k`'s part of slot `slot` (0: the key is null).
    @inline(__always) func part(_ slot: Int, key k: Int) -> Int {
        (slot / strides[k]) % keys[k].size
    }

    /// The slot of each of `rows[0..<n]` of a relation with `columns`.
    func slots(_ columns: [Column], _ rows: UnsafePointer<Int32>, _ n: Int, into out: UnsafeMutablePointer<Int32>) {
        if keys.isEmpty { out.update(repeating: 0, count: n) }
        // The first key's stride is 1: it writes its part; each later key adds part × stride.
        for (k, key) in keys.enumerated() {
            let stride = Int32(strides[k]), first = k == 0
            switch key {
            case .codes(let c, _):
                let column = columns[c]
                switch column.data {
                case .codes8(let b, _): Self.add(out, rows, n, column, first, stride, b.pointer) { Int32($0) &+ 1 }
                case .codes16(let b, _): Self.add(out, rows, n, column, first, stride, b.pointer) { Int32($0) &+ 1 }
                case .codes32(let b, _): Self.add(out, rows, n, column, first, stride, b.pointer) { Int32(bitPattern: $0) &+ 1 }
                default: break
                }
            case .datePart(let c, _, let firstDay, let table, _, _):
                let column = columns[c]
                guard case .int32(let b) = column.data else { break }
                table.withUnsafeBufferPointer { t in
                    // Clamped: a null row's stored day (anything) is read too, and masked after
                    // (a day before the first is a large unsigned offset, clamped to the last).
                    let last = UInt32(t.count - 2)
                    if consecutive(rows, n) {
                        // Consecutive rows: eight rows a step in C.
                        let r0 = Int(rows[0])
                        projq_date_parts(b.pointer + r0, n, column.nullCount == 0 ? nil : column.validity.words.pointer,
                                         r0, t.baseAddress!, last, firstDay, stride, first ? 0 : 1, out)
                        return
                    }
                    Self.add(out, rows, n, column, first, stride, b.pointer) {
                        Int32(t[Int(Swift.min(UInt32(bitPattern: $0 &- firstDay), last))]) &+ 1
                    }
                }
            case .range(let c, _, let minimum, _):
                let column = columns[c]
                switch column.data {
                case .int64(let b): Self.add(out, rows, n, column, first, stride, b.pointer) { Int32(truncatingIfNeeded: $0 &- minimum) &+ 1 }
                case .int32(let b): Self.add(out, rows, n, column, first, stride, b.pointer) { Int32(truncatingIfNeeded: Int64($0) &- minimum) &+ 1 }
                case .uint8(let b): Self.add(out, rows, n, column, first, stride, b.pointer) { Int32($0) &+ 1 }
                default: break
                }
            }
        }
    }

    /// Writes (first key) or adds one key's part × stride for each row; a null row's part is 0.
    /// One loop per case, so the common ones (no nulls, the first key) carry no per-row test.
    /// `part` must accept any stored value (a null row's too).
    @inline(__always)
    private static func add<T>(_ out: UnsafeMutablePointer<Int32>, _ rows: UnsafePointer<Int32>, _ n: Int, _ column: Column,
                               _ first: Bool, _ stride: Int32, _ values: UnsafePointer<T>, _ part: (T) -> Int32) {
        // Consecutive rows (a scan with no filter before it): the values read in place, and the
        // validity a word at a time.
        if consecutive(rows, n) {
            let r0 = Int(rows[0])
            let base = values + r0
            if column.nullCount == 0 {
                if first {
                    for i in 0..<n { out[i] = part(base[i]) }
                } else {
                    for i in 0..<n { out[i] &+= part(base[i]) &* stride }
                }
                return
            }
            let words = column.validity.words.pointer
            var i = 0
            while i < n {
                let r = r0 &+ i
                var bits = words[r >> 6] >> UInt64(r & 63)
                let m = Swift.min(64 &- (r & 63), n &- i)
                let o = out + i, v = base + i
                if first {
                    for j in 0..<m {
                        o[j] = part(v[j]) & (0 &- Int32(truncatingIfNeeded: bits & 1))
                        bits >>= 1
                    }
                } else {
                    for j in 0..<m {
                        o[j] &+= (part(v[j]) & (0 &- Int32(truncatingIfNeeded: bits & 1))) &* stride
                        bits >>= 1
                    }
                }
                i &+= m
            }
            return
        }
        if column.nullCount == 0 {
            if first {
                for i in 0..<n { out[i] = part(values[Int(rows[i])]) }
            } else {
                for i in 0..<n { out[i] &+= part(values[Int(rows[i])]) &* stride }
            }
            return
        }
        // Every row's part is computed and a null row's masked to 0: no branch on validity, which
        // a column that is half null would mispredict on every other row.
        let words = column.validity.words.pointer
        @inline(__always) func valid(_ r: Int) -> Int32 { Int32(truncatingIfNeeded: (words[r >> 6] >> UInt64(r & 63)) & 1) }
        if first {
            for i in 0..<n {
                let r = Int(rows[i])
                out[i] = part(values[r]) & (0 &- valid(r))
            }
        } else {
            for i in 0..<n {
                let r = Int(rows[i])
                out[i] &+= (part(values[r]) & (0 &- valid(r))) &* stride
            }
        }
    }

    /// The slots in key order (each key's parts in its order, nulls last; the first key
    /// outermost), keeping those `keep` says hold rows.
    @inline(__always)
    func order(_ keep: (Int) -> Bool) -> [Int32] {
        if keys.isEmpty { return [0] }
        var out: [Int32] = []
        if keys.count == 1, case .datePart(_, _, _, _, let parts, _) = keys[0] { return Self.inOrder(parts, keep) }
        if keys.count == 1, case .range(_, _, _, let parts) = keys[0] { return Self.inOrder(parts, keep) }
        let partOrders = keys.map(partOrder)
        if keys.count == 1 {
            for p in partOrders[0] where keep(p) { out.append(Int32(p)) }
            return out
        }
        // Nested loops from the first key (outermost) down: the first key's part varies slowest.
        func walkForward(_ k: Int, _ base: Int) {
            if k == keys.count {
                if keep(base) { out.append(Int32(base)) }
                return
            }
            for p in partOrders[k] { walkForward(k + 1, base + p * strides[k]) }
        }
        walkForward(0, 0)
        return out
    }

    /// The parts `1...parts` that `keep` keeps, then 0 (null), without a list of every part (a
    /// range key of an id-like column has a million).
    @inline(__always)
    private static func inOrder(_ parts: Int, _ keep: (Int) -> Bool) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(parts + 1)
        for p in 1..<(parts + 1) where keep(p) { out.append(Int32(p)) }
        if keep(0) { out.append(0) }
        return out
    }

    private func partOrder(_ key: Key) -> [Int] {
        switch key {
        case .codes(_, let d):
            var parts = Array(1..<(d.count + 1))
            if !d.isOrdered {
                let ranks = KeyReader.ranks(d)
                parts.sort { ranks[$0 - 1] < ranks[$1 - 1] }
            }
            return parts + [0]
        case .datePart(_, _, _, _, let parts, _), .range(_, _, _, let parts):
            return Array(1..<(parts + 1)) + [0]
        }
    }

    /// Key k of the slots in `order`, as a result column.
    func keyColumn(_ k: Int, name: String, type: DataType, order: [Int32]) -> Column {
        let n = order.count
        let stride = strides[k], size = keys[k].size
        func part(_ i: Int) -> Int { (Int(order[i]) / stride) % size }
        var validity = BitmapBuilder(capacity: n)
        for i in 0..<n { validity.append(part(i) > 0) }
        let data: ColumnData
        var columnType = type
        switch keys[k] {
        case .codes(_, let d):
            data = CodesBuilder.data(n, d) { Swift.max(part($0) - 1, 0) }
        case .datePart(_, let f, _, _, _, let firstPart):
            if f == .year {
                var out = GrowableBuffer<Int64>(capacity: n)
                for i in 0..<n { out.append(Int64(firstPart + Swift.max(part(i) - 1, 0))) }
                data = .int64(out.finish())
                columnType = .int
            } else {
                var heap = StringHeapBuilder(capacity: n, byteCapacity: n * 8)
                for i in 0..<n {
                    guard part(i) > 0 else { heap.appendEmpty(); continue }
                    let p = firstPart + part(i) - 1
                    if f == .quarter {
                        heap.append("\(p / 4)-Q\(p % 4 + 1)")
                    } else {
                        let month = p % 12 + 1
                        heap.append("\(p / 12)-\(month < 10 ? "0" : "")\(month)")
                    }
                }
                data = .strings(heap.finish())
                columnType = .text
            }
        case .range(_, let keyType, let minimum, _):
            func value(_ i: Int) -> Int64 { minimum + Int64(Swift.max(part(i) - 1, 0)) }
            switch keyType.layout {
            case .int32:
                var out = GrowableBuffer<Int32>(capacity: n)
                for i in 0..<n { out.append(Int32(truncatingIfNeeded: value(i))) }
                data = .int32(out.finish())
            case .uint8:
                var out = GrowableBuffer<UInt8>(capacity: n)
                for i in 0..<n { out.append(UInt8(truncatingIfNeeded: value(i))) }
                data = .uint8(out.finish())
            default:
                var out = GrowableBuffer<Int64>(capacity: n)
                for i in 0..<n { out.append(value(i)) }
                data = .int64(out.finish())
            }
        }
        return Column(name: name, type: columnType, validity: validity.finish(), data: data)
    }
}
