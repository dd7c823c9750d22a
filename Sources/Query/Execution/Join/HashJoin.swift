import TextSupport
import Storage

/// How the right side's rows are found from a left key.
enum JoinStrategy {
    /// One text key with a dictionary on both sides: each left code is looked up once, by its
    /// value, and rows then index a code → right-key table.
    case dictionary
    /// One integer key whose right values span a short range: an array indexed by value.
    case direct(minimum: Int64, span: Int)
    /// Any keys: a hash table of the right side's distinct keys.
    case hash
}

/// `join T on …` as the planner made it: the bound join, how keys are matched, and which right
/// columns later clauses read (the others are not copied).
struct JoinPlan {
    var join: BoundJoin
    var strategy: JoinStrategy
    /// Indices into `join.rightColumns` of the columns to copy; nil for all.
    var neededRight: Set<Int>?
    /// Indices of the left columns later clauses read (copied when rows repeat); nil for all.
    var neededLeft: Set<Int>?
}

/// A left join: every left row, in order, with each right row whose keys equal its keys (in the
/// right table's order), or with nulls when none does; null keys match nothing. The right side
/// is built into a table of its distinct keys, each with the chain of its rows; the left side
/// probes it a batch at a time. When no left row matches twice, the left columns stay as they
/// are (the result keeps the left selection) and the right columns are placed at the left rows.
struct HashJoin {
    let plan: JoinPlan

    func run(_ left: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        let right = plan.join.right
        let pairs = plan.join.pairs
        // The right table's keys and the columns copied from it are read: checked first.
        var rightReads = Set(pairs.map(\.right))
        for (k, c) in plan.join.rightColumns.enumerated() where plan.neededRight?.contains(k) ?? true { rightReads.insert(c.index) }
        do throws(CorruptData) {
            for c in rightReads.sorted() { try right.columns[c].verifyAll() }
        } catch {
            throw .corrupt(error)
        }
        // Each right row's key group, and the rows of each group as chains in row order.
        let build = try Build(plan, right, leftColumns: left.columns, cancel)
        let probe = Probe(build, left.columns, pairs, rightTypes: pairs.map { right.columns[$0.right].type })
        defer { probe.release() }
        let kept = plan.join.rightColumns
        if !build.hasRepeats {
            // Every key on the right is one row: each left row meets at most one, and the right
            // columns are laid out by left row number. The probe runs on two threads, each on
            // its own stretch of rows.
            let rightAt = UnsafeMutablePointer<Int32>.allocate(capacity: Swift.max(left.rowCount, 1))
            rightAt.initialize(repeating: -1, count: left.rowCount)
            defer { rightAt.deallocate() }
            let shared = UncheckedBox(rightAt)
            let parts = Parallel.parts(rows: left.count)
            _ = try Parallel.run(parts: parts) { (part) throws(Stopped) -> Int in
                let groups = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
                defer { groups.deallocate() }
                let local = probe.copy()
                defer { local.release() }
                try forEachBatch(left, batches: Parallel.batches(left.count, part: part, of: parts), cancel) { rows, n, _ in
                    local.groups(rows, n, into: groups)
                    build.first.withUnsafeBufferPointer { first in
                        for i in 0..<n {
                            let g = Int(groups[i])
                            if g >= 0 { shared.value[Int(rows[i])] = first[g] }
                        }
                    }
                }
                return 0
            }
            let at = Array(UnsafeBufferPointer(start: rightAt, count: left.rowCount))
            var columns = left.columns
            for (k, c) in kept.enumerated() {
                let column = right.columns[c.index]
                columns.append(plan.neededRight.map { $0.contains(k) } ?? true
                               ? gather(column, at).renamed(c.name) : Column.placeholder(c.name, column, count: left.rowCount))
            }
            var out = Relation(name: left.name, columns: columns, rowCount: left.rowCount, selection: left.selection)
            out.roles = left.roles
            return out
        }
        // Keys that repeat on the right: each left row with each of its right rows, in order.
        // First how many rows that makes (a pass over the keys), refused before it is made when
        // it passes the memory limit or the 2^31 rows a table can number.
        let groups = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
        defer { groups.deallocate() }
        var groupSize = [Int](repeating: 0, count: build.first.count)
        for g in 0..<groupSize.count {
            var r = build.first[g]
            while r >= 0 { groupSize[g] += 1; r = build.next[Int(r)] }
        }
        var total = 0
        try forEachBatch(left, batches: 0..<((left.count + Execution.batchSize - 1) / Execution.batchSize), cancel) { rows, n, _ in
            probe.groups(rows, n, into: groups)
            for i in 0..<n {
                let g = Int(groups[i])
                total += g >= 0 ? groupSize[g] : 1
            }
        }
        // Two row numbers a row, and 8 bytes for each column later clauses read.
        let needed = (plan.neededLeft?.count ?? left.columns.count) + (plan.neededRight?.count ?? kept.count)
        let bytes = total.multipliedReportingOverflow(by: 8 + 8 * needed)
        let available = MemoryLimit.available
        if total > Int(Int32.max) || bytes.overflow || (bytes.partialValue > available && (bytes.partialValue > 4 << 20 || available >= MemoryLimit.bytes)) {
            let limited = available < MemoryLimit.bytes ? StorageMessage.addressSpaceLeft() : QueryMessage.theMemoryLimit()
            let size = MemoryLimit.describe(bytes.overflow ? Int.max : bytes.partialValue)
            throw .tooLarge(Diagnostic(
                total > Int(Int32.max) ? QueryMessage.joinPastTableSize(right.name, total, size)
                    : QueryMessage.joinPastMemory(right.name, total, size, limited, MemoryLimit.describe(available)),
                at: plan.join.range,
                notes: [QueryMessage.joinKeyRepeats(right.name), QueryMessage.memoryLimitRaisesIt()]))
        }
        var leftRows: [Int32] = []
        var rightRows: [Int32] = []
        leftRows.reserveCapacity(total)
        rightRows.reserveCapacity(total)
        try forEachBatch(left, batches: 0..<((left.count + Execution.batchSize - 1) / Execution.batchSize), cancel) { (rows, n, _) throws(Stopped) in
            probe.groups(rows, n, into: groups)
            for i in 0..<n {
                let g = Int(groups[i])
                var r = g >= 0 ? build.first[g] : -1
                leftRows.append(rows[i])
                rightRows.append(r)
                guard r >= 0 else { continue }
                r = build.next[Int(r)]
                while r >= 0 {
                    leftRows.append(rows[i])
                    rightRows.append(r)
                    r = build.next[Int(r)]
                }
                // A left row may meet many right rows: Ctrl-C is heard within a batch too.
                if g >= 0, groupSize[g] > 4096 { try cancel.check() }
            }
        }
        var columns: [Column] = []
        for (k, column) in left.columns.enumerated() {
            columns.append(plan.neededLeft.map { $0.contains(k) } ?? true
                           ? gather(column, leftRows) : Column.placeholder(column.name, column, count: leftRows.count))
        }
        for (k, c) in kept.enumerated() {
            let column = right.columns[c.index]
            columns.append(plan.neededRight.map { $0.contains(k) } ?? true
                           ? gather(column, rightRows).renamed(c.name) : Column.placeholder(c.name, column, count: leftRows.count))
        }
        var out = Relation(name: left.name, columns: columns, rowCount: leftRows.count)
        out.roles = left.roles(of: leftRows)
        return out
    }

    /// The right side, built: a group per distinct key and the chain of rows of each.
    private struct Build {
        let strategy: JoinStrategy
        var table: HashGroupTable?
        /// Dictionary strategy: the right group of each left dictionary code.
        var groupOfLeftCode: [Int32] = []
        /// First right row of each group; next right row of the same group, or −1.
        var first: [Int32] = []
        var next: [Int32] = []
        /// Whether some key holds more than one right row.
        var hasRepeats = false
        var readers: [KeyReader] = []

        init(_ plan: JoinPlan, _ right: Table, leftColumns: [Column], _ cancel: CancellationFlag) throws(Stopped) {
            strategy = plan.strategy
            let pairs = plan.join.pairs
            let rightRelation = Relation(table: right)
            var groupOfRow = [Int32](repeating: -1, count: right.rowCount)
            var groupCount = 0
            switch plan.strategy {
            case .direct(let minimum, let span):
                let column = right.columns[pairs[0].right]
                for r in 0..<right.rowCount where column.validity.isValid(r) {
                    let v: Int64
                    switch column.data {
                    case .int64(let b): v = b[r]
                    case .int32(let b): v = Int64(b[r])
                    default: continue
                    }
                    groupOfRow[r] = Int32(v - minimum)
                }
                groupCount = span
            case .dictionary, .hash:
                // Text is compared by its bytes: the two sides' dictionaries differ.
                readers = pairs.map { p in
                    KeyReader(HashJoin.keyBound(p.right, right.columns, other: leftColumns[p.left].type),
                              columns: right.columns, forOrder: false, textAsBytes: true)
                }
                let table = HashGroupTable(isBytes: readers.map(\.isBytes), expected: right.rowCount)
                var batches = readers.map { _ in KeyBatch() }
                let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: Execution.batchSize)
                let groups = UnsafeMutablePointer<Int32>.allocate(capacity: Execution.batchSize)
                defer {
                    for b in batches { b.release() }
                    hashes.deallocate()
                    groups.deallocate()
                }
                let readersCopy = readers
                try forEachBatch(rightRelation, batches: 0..<((right.rowCount + Execution.batchSize - 1) / Execution.batchSize), cancel) { rows, n, _ in
                    // Rows with a null key never match: they take no group.
                    var kept = n
                    for k in readersCopy.indices {
                        readersCopy[k].read(rows, n, into: &batches[k])
                    }
                    var m = 0
                    for i in 0..<n {
                        var ok = true
                        for k in batches.indices where batches[k].valid[i] == 0 { ok = false }
                        if ok {
                            for k in batches.indices {
                                batches[k].words[m] = batches[k].words[i]
                                batches[k].starts[m] = batches[k].starts[i]
                                batches[k].lengths[m] = batches[k].lengths[i]
                                batches[k].valid[m] = 1
                            }
                            rows[m] = rows[i]
                            m += 1
                        }
                    }
                    kept = m
                    for k in batches.indices { batches[k].hash(kept, isBytes: readersCopy[k].isBytes, into: hashes, fold: k > 0) }
                    batches.withUnsafeBufferPointer { table.assign($0.baseAddress!, hashes, kept, into: groups) }
                    for i in 0..<kept { groupOfRow[Int(rows[i])] = groups[i] }
                }
                groupCount = table.count
                self.table = table
                if case .dictionary = plan.strategy, let d = leftColumns[pairs[0].left].dictionary {
                    // Each left value looked up once.
                    var b = KeyBatch(capacity: 1)
                    defer { b.release() }
                    var h: UInt64 = 0
                    var g: Int32 = -1
                    groupOfLeftCode = (0..<d.count).map { code in
                        let bytes = d.values.bytes(at: code)
                        b.starts[0] = bytes.baseAddress ?? emptyBytes
                        b.lengths[0] = Int32(bytes.count)
                        b.valid[0] = 1
                        b.hash(1, isBytes: true, into: &h, fold: false)
                        withUnsafePointer(to: b) { table.find($0, &h, 1, into: &g) }
                        return g
                    }
                }
            }
            first = [Int32](repeating: -1, count: groupCount)
            next = [Int32](repeating: -1, count: right.rowCount)
            var last = [Int32](repeating: -1, count: groupCount)
            var repeats = false
            for r in 0..<right.rowCount {
                let g = Int(groupOfRow[r])
                guard g >= 0 else { continue }
                if first[g] < 0 { first[g] = Int32(r) } else { next[Int(last[g])] = Int32(r); repeats = true }
                last[g] = Int32(r)
            }
            hasRepeats = repeats
        }
    }

    /// Reads left keys and finds their right groups.
    private final class Probe {
        let build: Build
        let readers: [KeyReader]
        var batches: [KeyBatch]
        let hashes: UnsafeMutablePointer<UInt64>
        let keyColumn: Column?

        init(_ build: Build, _ columns: [Column], _ pairs: [(left: Int, right: Int)], rightTypes: [DataType]) {
            self.build = build
            switch build.strategy {
            case .hash:
                readers = zip(pairs, rightTypes).map { p, rightType in
                    KeyReader(HashJoin.keyBound(p.left, columns, other: rightType), columns: columns, forOrder: false, textAsBytes: true)
                }
                keyColumn = nil
            default:
                readers = []
                keyColumn = columns[pairs[0].left]
            }
            batches = readers.map { _ in KeyBatch() }
            hashes = .allocate(capacity: Execution.batchSize)
        }

        private init(_ other: Probe) {
            build = other.build
            readers = other.readers
            keyColumn = other.keyColumn
            batches = readers.map { _ in KeyBatch() }
            hashes = .allocate(capacity: Execution.batchSize)
        }

        /// A probe of the same build with buffers of its own (for another thread).
        func copy() -> Probe { Probe(self) }

        func release() {
            for b in batches { b.release() }
            hashes.deallocate()
        }

        func groups(_ rows: UnsafePointer<Int32>, _ n: Int, into out: UnsafeMutablePointer<Int32>) {
            switch build.strategy {
            case .hash:
                for k in readers.indices {
                    readers[k].read(rows, n, into: &batches[k])
                    batches[k].hash(n, isBytes: readers[k].isBytes, into: hashes, fold: k > 0)
                }
                batches.withUnsafeBufferPointer { build.table!.find($0.baseAddress!, hashes, n, into: out) }
            case .dictionary:
                let column = keyColumn!
                let words = column.validity.words.pointer, hasNulls = column.nullCount > 0
                build.groupOfLeftCode.withUnsafeBufferPointer { table in
                    @inline(__always) func look<C: FixedWidthInteger>(_ p: UnsafePointer<C>) {
                        for i in 0..<n {
                            let r = Int(rows[i])
                            let valid = !hasNulls || (words[r >> 6] >> UInt64(r & 63)) & 1 == 1
                            out[i] = valid ? table[Int(p[r])] : -1
                        }
                    }
                    switch column.data {
                    case .codes8(let b, _): look(b.pointer)
                    case .codes16(let b, _): look(b.pointer)
                    case .codes32(let b, _): look(b.pointer)
                    default: for i in 0..<n { out[i] = -1 }
                    }
                }
            case .direct(let minimum, let span):
                let column = keyColumn!
                let words = column.validity.words.pointer, hasNulls = column.nullCount > 0
                @inline(__always) func look<T: BinaryInteger>(_ p: UnsafePointer<T>) {
                    for i in 0..<n {
                        let r = Int(rows[i])
                        let d = Int64(p[r]) &- minimum
                        let inRange = d >= 0 && d < Int64(span)
                        let valid = !hasNulls || (words[r >> 6] >> UInt64(r & 63)) & 1 == 1
                        out[i] = inRange && valid ? Int32(truncatingIfNeeded: d) : -1
                    }
                }
                switch column.data {
                case .int64(let b): look(b.pointer)
                case .int32(let b): look(b.pointer)
                default: for i in 0..<n { out[i] = -1 }
                }
            }
        }
    }

    /// A key column as it is compared: exact numbers at the larger of the two sides' scales (an
    /// integer equals the same decimal: 3 is 300 units beside a column of fen), and as doubles
    /// beside a float.
    static func keyBound(_ c: Int, _ columns: [Column], other: DataType) -> Bound {
        let t = columns[c].type
        let origin = ArithmeticOrigin(range: SourceRange(0, 0), text: QueryMessage.theJoinKey(columns[c].name))
        if other == .float, t.isExact {
            // × 1.0 as a float: the evaluator's float arithmetic reads the exact values as doubles.
            return .arithmetic(.multiply, .column(c, t), .constant(.float(1), .float), .float, origin)
        }
        if let s = t.scale, let so = other.scale, so > s {
            return .shift(.column(c, t), so - s, t.withScale(so), origin)
        }
        return .column(c, t)
    }
}

extension Column {
    /// A column of `count` nulls shaped like `like`, for columns no later clause reads. Its
    /// memory is zero pages the system hands out untouched, so it costs nothing until read.
    static func placeholder(_ name: String, _ like: Column, count: Int) -> Column {
        func zeros<T>(_: T.Type, _ n: Int) -> TypedBuffer<T> { TypedBuffer.zeroed(count: n) }
        let validity = Bitmap(words: zeros(UInt64.self, (count + 63) / 64), count: count)
        let data: ColumnData
        switch like.data {
        case .int64: data = .int64(zeros(Int64.self, count))
        case .float64: data = .float64(zeros(Double.self, count))
        case .int32: data = .int32(zeros(Int32.self, count))
        case .uint8: data = .uint8(zeros(UInt8.self, count))
        case .codes8(_, let d): data = .codes8(zeros(UInt8.self, count), d)
        case .codes16(_, let d): data = .codes16(zeros(UInt16.self, count), d)
        case .codes32(_, let d): data = .codes32(zeros(UInt32.self, count), d)
        case .strings: data = .strings(StringHeap(bytes: zeros(UInt8.self, 0), offsets: zeros(UInt32.self, count + 1)))
        }
        return Column(name: name, type: like.type, validity: validity, data: data, nullCount: count)
    }
}
