import CKernels
import TextSupport
import Storage

/// The running state of one aggregate over all groups, held per thread. Every aggregate has the
/// same life: `reserve` room as groups appear, `update` a batch at a time (row i of the batch
/// belongs to group `groups[i]`), `merge` another thread's state (its group g is group
/// `mapping[g]` here; dense lanes fold the same way), and give its result `column` for the
/// groups in output order. Dense and hashed grouping differ only in how group numbers are made.
protocol AggregateState: AnyObject {
    /// A state of the same aggregate with no groups, for another thread or for folding lanes.
    func makeEmpty() -> AggregateState
    func reserve(_ groups: Int)
    func update(_ rows: UnsafePointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int)
    /// Adds `other`'s groups `0..<count` into this state's groups `mapping[g]` (reserved).
    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int)
    /// The result of `aggregate` (one of those the state serves) for the groups in `order`.
    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column
    /// The rows of one partition of a partitioned aggregation are all in (`HashPartitions`).
    func endPartition()
    /// An integer overflow met computing the argument or the condition.
    var arithmeticOverflow: Diagnostic? { get }
}

extension AggregateState {
    func endPartition() {}
}

/// The state an aggregate keeps (each thread has its own).
func makeAggregateState(_ a: BoundAggregate, columns: [Column]) -> AggregateState {
    switch a.function {
    case .count: return CountState(a, columns: columns)
    case .sum, .avg: return SumState(a, columns: columns)
    case .min, .max: return ExtremeState(a, columns: columns)
    case .countDistinct: return DistinctState(a, columns: columns)
    case .median: return MedianState(a, columns: columns)
    }
}

/// Grows a per-group array to `n` entries of `initial`.
@inline(__always) func grow<T>(_ a: inout [T], to n: Int, _ initial: T) {
    guard a.count < n else { return }
    if n > a.capacity, n * MemoryLayout<T>.stride >= 2 << 20 {
        // Room to double, in huge pages before they are first written.
        a.reserveCapacity(Swift.max(n, a.capacity * 2))
        let bytes = a.capacity * MemoryLayout<T>.stride
        a.withUnsafeMutableBufferPointer { HugePages.advise(UnsafeMutableRawPointer($0.baseAddress), bytes: bytes) }
    }
    a.append(contentsOf: repeatElement(initial, count: n - a.count))
}

/// Above this many groups a state's array no longer stays in the cache, and its loops fetch the
/// group `prefetchDistance` rows ahead: the groups of a batch are known before the loop, and
/// without it each row waits on its own miss.
let scatteredGroups = 1 << 17
let prefetchDistance = 32

/// Runs `body` for rows 0..<n, which update `state[groups[i]]`; where the state passes the
/// cache, a row's group is fetched `prefetchDistance` rows before. Two loops, so that a small
/// state's loop stays the bare update (a test per row cost Q2 a fifth of its time).
@inline(__always) func eachRow<T>(_ n: Int, _ groups: UnsafePointer<Int32>, of state: UnsafeMutableBufferPointer<T>,
                                  _ body: (Int) -> Void) {
    if state.count > scatteredGroups {
        let base = state.baseAddress!
        for i in 0..<n {
            if i &+ prefetchDistance < n { projq_prefetch_write(base + Int(groups[i &+ prefetchDistance])) }
            body(i)
        }
    } else {
        for i in 0..<n { body(i) }
    }
}

/// Adds each row's weight (0 or 1; 1 without weights) to its group's count.
@inline(__always) func countRows(_ c: UnsafeMutableBufferPointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int,
                                 weights: UnsafePointer<UInt8>?) {
    if let w = weights {
        eachRow(n, groups, of: c) { i in c[Int(groups[i])] &+= Int32(w[i]) }
    } else {
        eachRow(n, groups, of: c) { i in c[Int(groups[i])] &+= 1 }
    }
}

/// `count`, `count X` and `count if C`: per group, the rows whose weight is 1.
final class CountState: AggregateState {
    let aggregate: BoundAggregate
    let columns: [Column]
    let input: AggregateInput
    /// 32 bits: a count is at most the rows of a table, whose row numbers are 32-bit (half the
    /// memory of a million groups' counts, and of the pages first touched).
    private(set) var counts: [Int32] = []

    init(_ a: BoundAggregate, columns: [Column]) {
        aggregate = a
        self.columns = columns
        input = AggregateInput(a, columns: columns)
    }

    func makeEmpty() -> AggregateState { CountState(aggregate, columns: columns) }
    var arithmeticOverflow: Diagnostic? { input.overflow }
    func reserve(_ groups: Int) { grow(&counts, to: groups, 0) }

    func update(_ rows: UnsafePointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int) {
        let weights = input.prepare(rows, n)
        counts.withUnsafeMutableBufferPointer { c in
            countRows(c, groups, n, weights: weights)
        }
    }

    /// Adds `n` rows to group `group` (reserved): rows counted elsewhere (`DayCounts`).
    func add(_ n: UInt32, to group: Int) {
        counts[group] &+= Int32(truncatingIfNeeded: n)
    }

    // (Merges and results work on the arrays inside one access each: a class's stored property
    // read or written in a loop pays an exclusivity check every time.)
    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int) {
        let theirs = (other as! CountState).counts
        counts.withUnsafeMutableBufferPointer { c in
            for g in 0..<count { c[Int(mapping[g])] &+= theirs[g] }
        }
    }

    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column {
        let counts = self.counts
        return ResultColumn.int64(aggregate.name, order.count) { (Int64(counts[Int(order[$0])]), true) }
    }
}

/// `sum X` and `avg X`: per group a running sum and the count of values. Exact numbers (int,
/// decimal, money, percent: 64-bit units) are summed in 128 bits — a 64-bit sum that wraps and
/// the count of its wraps, each wrap a carry of ±2^64 — so no order of rows overflows in
/// between, and only a result beyond 64 bits is an error. Wraps are rare, so their counts are
/// kept only for the groups that have one (no array per group to fault in). Floats are summed
/// as doubles.
final class SumState: AggregateState {
    let aggregate: BoundAggregate
    let columns: [Column]
    let input: AggregateInput
    /// Exact units are summed as integers (`sum` of an int column is an int, of money money).
    let integers: Bool
    /// Whether the count of values is kept: for `avg`, and where a row may have no value (a
    /// column with nulls, an expression, `if`). Otherwise every row of a group has one, and a
    /// group that is in the result has rows.
    let keepsCounts: Bool
    private var ints: [Int64] = []
    private var doubles: [Double] = []
    private var counts: [Int32] = []
    /// The wraps of `ints[g]` past ±2^63, for the groups that had one: the sum is
    /// ints[g] + carries[g] × 2^64.
    private var carries: [Int: Int64] = [:]

    init(_ a: BoundAggregate, columns: [Column], keepsCounts: Bool = true) {
        aggregate = a
        self.columns = columns
        input = AggregateInput(a, columns: columns)
        integers = a.argument.map { $0.type.isExact || $0.type == .null } ?? false
        self.keepsCounts = keepsCounts
    }

    /// Whether `sum` of `argument` (without `if`) needs the count of values, `avg` aside.
    static func needsCounts(_ argument: Bound?, _ columns: [Column]) -> Bool {
        guard case .column(let c, _) = argument else { return true }
        return columns[c].nullCount > 0
    }

    func makeEmpty() -> AggregateState { SumState(aggregate, columns: columns, keepsCounts: keepsCounts) }
    /// An overflow in the argument, or an integer sum beyond 64 bits (an error, never a null).
    var arithmeticOverflow: Diagnostic? {
        if let d = input.overflow { return d }
        guard integers, let origin = aggregate.origin else { return nil }
        if aggregate.function == .avg {
            // A mean whose units at the result's scale leave 64 bits.
            guard let target = aggregate.type.scale else { return nil }
            let widen = Int128(FixedDecimal.powers[target - (aggregate.argument?.type.scale ?? 0)])
            for g in counts.indices where counts[g] > 0 {
                let total = Int128(ints[g]) + (carries.isEmpty ? 0 : Int128(carries[g] ?? 0) << 64)
                if Int64(exactly: FixedDecimal.divideRounding(total * widen, Int128(counts[g]))) == nil {
                    return ArithmeticTrap.diagnostic(ArithmeticOrigin(range: origin.range, text: QueryMessage.theResultOf(origin.text)))
                }
            }
            return nil
        }
        guard carries.values.contains(where: { $0 != 0 }) else { return nil }
        return ArithmeticTrap.diagnostic(ArithmeticOrigin(range: origin.range, text: QueryMessage.theResultOf(origin.text)))
    }

    func reserve(_ groups: Int) {
        if keepsCounts { grow(&counts, to: groups, 0) }
        if integers {
            grow(&ints, to: groups, 0)
        } else {
            grow(&doubles, to: groups, 0)
        }
    }

    func update(_ rows: UnsafePointer<Int32>, _ groups: UnsafePointer<Int32>, _ n: Int) {
        if integers, input.condition == nil, let column = input.column, case .int64(let b) = column.data,
           ints.count <= scatteredGroups, consecutive(rows, n) {
            sumInPlace(b.pointer + Int(rows[0]), Int(rows[0]), column, groups, n)
            return
        }
        let weights = input.prepare(rows, n)
        if integers {
            let v = input.values(rows, n, Int64.self)
            var carry = carries
            ints.withUnsafeMutableBufferPointer { s in
                // Two loops, so that the common one (no weights) has nothing but the add; a wrap
                // is rare, so its branch is predicted.
                if let w = weights {
                    eachRow(n, groups, of: s) { i in
                        let g = Int(groups[i])
                        let value = v[i] & (0 &- Int64(w[i]))   // a weight is 0 or 1
                        let (x, f) = s[g].addingReportingOverflow(value)
                        s[g] = x
                        if _slowPath(f) { carry[g, default: 0] &+= value < 0 ? -1 : 1 }
                    }
                } else {
                    eachRow(n, groups, of: s) { i in
                        let g = Int(groups[i])
                        let (x, f) = s[g].addingReportingOverflow(v[i])
                        s[g] = x
                        if _slowPath(f) { carry[g, default: 0] &+= v[i] < 0 ? -1 : 1 }
                    }
                }
            }
            carries = carry
        } else {
            let v = input.values(rows, n, Double.self)
            doubles.withUnsafeMutableBufferPointer { s in
                if let w = weights {
                    for i in 0..<n { s[Int(groups[i])] += w[i] != 0 ? v[i] : 0 }
                } else {
                    for i in 0..<n { s[Int(groups[i])] += v[i] }
                }
            }
        }
        guard keepsCounts else { return }
        counts.withUnsafeMutableBufferPointer { c in
            countRows(c, groups, n, weights: weights)
        }
    }

    /// The common case in one pass of C (`projq_sum_groups`): a stored integer column, without
    /// `if`, over consecutive rows (a batch no filter narrowed), into groups that stay in the
    /// cache. A wrap past 64 bits stops the kernel; that row is added here with its carry.
    private func sumInPlace(_ values: UnsafePointer<Int64>, _ r0: Int, _ column: Column, _ groups: UnsafePointer<Int32>, _ n: Int) {
        let words = column.nullCount == 0 ? nil : UnsafePointer(column.validity.words.pointer)
        var carry = carries
        ints.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { c in
                let sums = s.baseAddress!, counted = keepsCounts ? c.baseAddress : nil
                var i = 0
                while i < n {
                    i += projq_sum_groups(values + i, groups + i, n - i, words, r0 + i, sums, counted)
                    guard i < n else { break }
                    // Row i's add wraps (a null row adds 0 and never does).
                    let g = Int(groups[i])
                    s[g] = s[g] &+ values[i]
                    carry[g, default: 0] &+= values[i] < 0 ? -1 : 1
                    counted?[g] &+= 1
                    i += 1
                }
            }
        }
        carries = carry
    }

    func merge(_ other: AggregateState, _ mapping: UnsafePointer<Int32>, _ count: Int) {
        let o = other as! SumState
        let theirCounts = o.counts, theirInts = o.ints, theirDoubles = o.doubles, theirCarries = o.carries
        if keepsCounts {
            counts.withUnsafeMutableBufferPointer { c in
                for g in 0..<count { c[Int(mapping[g])] &+= theirCounts[g] }
            }
        }
        if integers {
            var carry = carries
            ints.withUnsafeMutableBufferPointer { s in
                for g in 0..<count {
                    let t = Int(mapping[g])
                    let (x, f) = s[t].addingReportingOverflow(theirInts[g])
                    s[t] = x
                    if _slowPath(f) { carry[t, default: 0] &+= theirInts[g] < 0 ? -1 : 1 }
                }
            }
            for (g, c) in theirCarries where g < count { carry[Int(mapping[g]), default: 0] &+= c }
            carries = carry
        } else {
            doubles.withUnsafeMutableBufferPointer { s in
                for g in 0..<count { s[Int(mapping[g])] += theirDoubles[g] }
            }
        }
    }

    func column(_ order: [Int32], _ aggregate: BoundAggregate) -> Column {
        let name = aggregate.name
        let counts = self.counts, ints = self.ints, doubles = self.doubles, carries = self.carries, integers = self.integers
        // Without counts every group in the result has a value.
        let keepsCounts = self.keepsCounts
        @inline(__always) func hasValue(_ g: Int) -> Bool { !keepsCounts || counts[g] > 0 }
        if aggregate.function == .count {
            // `count X` sharing this state (see GroupingWorker): the count of values kept.
            precondition(keepsCounts, "a count shares only a state that keeps its counts")
            return ResultColumn.int64(name, order.count) { (Int64(counts[Int(order[$0])]), true) }
        }
        if aggregate.function == .avg {
            precondition(keepsCounts, "avg keeps its counts")
            if integers, let target = aggregate.type.scale {
                // The exact mean at the result's scale, rounded half away from zero (a mean
                // beyond 64 bits at that scale stopped the query in `arithmeticOverflow`).
                let from = aggregate.argument?.type.scale ?? 0
                let widen = Int128(FixedDecimal.powers[target - from])
                return ResultColumn.units(name, aggregate.type, order.count) {
                    let g = Int(order[$0])
                    let c = counts[g]
                    guard c > 0 else { return (0, false) }
                    let total = Int128(ints[g]) + (carries.isEmpty ? 0 : Int128(carries[g] ?? 0) << 64)
                    let mean = Int64(exactly: FixedDecimal.divideRounding(total * widen, Int128(c)))
                    return (mean ?? 0, mean != nil)
                }
            }
            return ResultColumn.float64(name, order.count) {
                let g = Int(order[$0])
                let c = counts[g]
                return (doubles[g] / Double(c), c > 0)
            }
        }
        if integers {
            // (A dictionary lookup per group, even in an empty dictionary, cost more than the
            // rest of the column.)
            if carries.isEmpty {
                return ResultColumn.units(name, aggregate.type, order.count) {
                    let g = Int(order[$0])
                    return (ints[g], hasValue(g))
                }
            }
            return ResultColumn.units(name, aggregate.type, order.count) {
                let g = Int(order[$0])
                return (ints[g], hasValue(g) && (carries[g] ?? 0) == 0)
            }
        }
        return ResultColumn.float64(name, order.count) {
            let g = Int(order[$0])
            return (doubles[g], hasValue(g))
        }
    }
}

/// Builders of result columns from a value per output row.
enum ResultColumn {
    static func int64(_ name: String, _ n: Int, _ value: (Int) -> (Int64, Bool)) -> Column {
        units(name, .int, n, value)
    }

    /// An int column, or the units of an exact decimal column of `type`.
    static func units(_ name: String, _ type: DataType, _ n: Int, _ value: (Int) -> (Int64, Bool)) -> Column {
        let (validity, values) = build(n, value)
        return Column(name: name, type: type.isExact ? type : .int, validity: validity, data: .int64(values))
    }

    static func float64(_ name: String, _ n: Int, _ value: (Int) -> (Double, Bool)) -> Column {
        let (validity, values) = build(n, value)
        return Column(name: name, type: .float, validity: validity, data: .float64(values))
    }

    /// The validity and values of `n` rows, a null row holding 0.
    private static func build<T: Numeric>(_ n: Int, _ value: (Int) -> (T, Bool)) -> (Bitmap, TypedBuffer<T>) {
        var validity = BitmapBuilder(capacity: n)
        var out = GrowableBuffer<T>(capacity: n)
        for i in 0..<n {
            let (v, ok) = value(i)
            validity.append(ok)
            out.append(ok ? v : 0)
        }
        return (validity.finish(), out.finish())
    }
}
