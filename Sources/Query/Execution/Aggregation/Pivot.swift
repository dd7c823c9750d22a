import TextSupport
import Storage

/// `… by K1, K2 across A`: the aggregation by K1, K2, A (one row per combination, in key order)
/// turned so that A's values become columns. Each result row is a distinct (K1, K2); each cell
/// column takes an aggregate's values from the groups with that A, by typed gathers (a missing
/// combination is null, or 0 for a count). A's values are in A's order, nulls last.
struct Pivot {
    /// How many leading columns of the grouped input are the row keys; the across key follows.
    let rowKeys: Int
    let aggregates: [BoundAggregate]
    /// `across K total`: the aggregation by the row keys alone, whose results are each row's
    /// total column (合计), computed from the rows (a mean of the row's rows, not of its cells).
    var total: AggregatePlan? = nil
    /// The name of the total column, and the prefix of each aggregate's when there are several.
    static let totalLabel = "合计"

    /// `over`: the rows the aggregation read, for the total column.
    func run(_ grouped: Relation, over: Relation? = nil, _ cancel: CancellationFlag) throws(Stopped) -> Result<Relation, PivotError> {
        switch try cells(grouped, cancel) {
        case .failure(let e): return .failure(e)
        case .success(var out):
            guard let total, let over else { return .success(out) }
            // The row keys' groups in key order, as the pivot's rows are: matched by key.
            let totals = try Aggregation(plan: total).run(over, cancel).materialized()
            var rowOf: [[Value]: Int] = [:]
            for r in 0..<totals.rowCount { rowOf[(0..<rowKeys).map { totals.columns[$0].value(at: r) }] = r }
            let rows = (0..<out.rowCount).map { r in Int32(rowOf[(0..<rowKeys).map { out.columns[$0].value(at: r) }] ?? -1) }
            var names = Set(out.columns.map { $0.name.lowercased() })
            for (a, aggregate) in aggregates.enumerated() {
                let name = aggregates.count == 1 ? Pivot.totalLabel : "\(Pivot.totalLabel)_\(aggregate.name)"
                guard names.insert(name.lowercased()).inserted else { return .failure(PivotError(name: name)) }
                var column = gather(totals.columns[rowKeys + a], rows).renamed(name)
                if aggregate.function == .count || aggregate.function == .countDistinct { column = column.nullsAsZero() }
                out.columns.append(column)
            }
            return .success(out)
        }
    }

    private func cells(_ grouped: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Result<Relation, PivotError> {
        let n = grouped.rowCount
        let across = grouped.columns[rowKeys]
        // The row of each group: groups come sorted by the row keys, so equal row keys are
        // neighbours and row numbers count up.
        let rowOf = try number(grouped, columns: Array(0..<rowKeys), cancel)
        let rowCount = (rowOf.max().map { Int($0) + 1 }) ?? 0
        // The across value of each group, numbered in order of first appearance, then put in
        // the across column's order.
        let valueOf = try number(grouped, columns: [rowKeys], cancel)
        let valueCount = (valueOf.max().map { Int($0) + 1 }) ?? 0
        // A cell for each row and value (the group it comes from), and each cell column: known
        // only now, and refused before it is made when it cannot fit.
        let cells = valueCount.multipliedReportingOverflow(by: rowCount)
        if cells.overflow { throw .memory(QueryMessage.pivotNeedsMoreMemory(n, valueCount, rowCount)) }
        // Each cell's group (4 bytes), each cell column gathered and its nulls made zeros (18 a
        // value), the row keys gathered (their text again), the numbering of the groups.
        var keyBytes = rowCount * 9 * rowKeys + n * 16
        for c in 0..<rowKeys { if case .strings(let heap) = grouped.columns[c].data { keyBytes += heap.bytes.count } }
        if let refusal = MemoryLimit.refusal(cells.partialValue.multipliedReportingOverflow(by: 4 + 18 * aggregates.count).partialValue + keyBytes,
                                             for: QueryMessage.turningGroups(n, valueCount, rowCount)) {
            throw .memory(refusal)
        }
        var firstGroupOfValue = [Int32](repeating: -1, count: valueCount)
        for (g, v) in valueOf.enumerated() where firstGroupOfValue[Int(v)] < 0 { firstGroupOfValue[Int(v)] = Int32(g) }
        let firsts = Relation(name: grouped.name, columns: [across], rowCount: n, selection: firstGroupOfValue)
        let sorted = try Sorting(keys: [BoundSortKey(bound: .column(0, across.type), descending: false)], limit: nil, general: false)
            .run(firsts, cancel).selection ?? []
        var valuePosition = [Int](repeating: 0, count: valueCount)
        for (position, g) in sorted.enumerated() { valuePosition[Int(valueOf[Int(g)])] = position }

        var firstGroupOfRow = [Int32](repeating: -1, count: rowCount)
        for (g, r) in rowOf.enumerated() where firstGroupOfRow[Int(r)] < 0 { firstGroupOfRow[Int(r)] = Int32(g) }
        var columns = (0..<rowKeys).map { gather(grouped.columns[$0], firstGroupOfRow) }
        var names = Set(columns.map { $0.name.lowercased() })
        // cell[position][row]: the group holding that row and across value, or −1.
        var cell = [[Int32]](repeating: [Int32](repeating: -1, count: rowCount), count: valueCount)
        for g in 0..<n { cell[valuePosition[Int(valueOf[g])]][Int(rowOf[g])] = Int32(g) }
        for (position, g) in sorted.enumerated() {
            let value = across.value(at: Int(g))
            let label = value == .null ? "null" : value.description
            for (a, aggregate) in aggregates.enumerated() {
                let name = aggregates.count == 1 ? label : "\(label)_\(aggregate.name)"
                guard names.insert(name.lowercased()).inserted else { return .failure(PivotError(name: name)) }
                var column = gather(grouped.columns[rowKeys + 1 + a], cell[position]).renamed(name)
                if aggregate.function == .count || aggregate.function == .countDistinct { column = column.nullsAsZero() }
                columns.append(column)
            }
        }
        return .success(Relation(name: grouped.name, columns: columns, rowCount: rowCount))
    }

    /// Two result columns would have one name (an across value equal to a key's name).
    struct PivotError: Error {
        var name: String
    }

    /// Numbers the rows of `relation` by their values in `columns`, in order of first appearance.
    private func number(_ relation: Relation, columns: [Int], _ cancel: CancellationFlag) throws(Stopped) -> [Int32] {
        let n = relation.rowCount
        guard !columns.isEmpty else { return [Int32](repeating: 0, count: n) }
        let readers = columns.map { KeyReader(.column($0, relation.columns[$0].type), columns: relation.columns, forOrder: false) }
        let table = HashGroupTable(isBytes: readers.map(\.isBytes))
        var batches = readers.map { _ in KeyBatch() }
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: Execution.batchSize)
        defer {
            for b in batches { b.release() }
            hashes.deallocate()
        }
        var out = [Int32](repeating: 0, count: n)
        try forEachBatch(relation, batches: 0..<((n + Execution.batchSize - 1) / Execution.batchSize), cancel) { rows, m, start in
            for k in readers.indices {
                readers[k].read(rows, m, into: &batches[k])
                batches[k].hash(m, isBytes: readers[k].isBytes, into: hashes, fold: k > 0)
            }
            out.withUnsafeMutableBufferPointer { o in
                batches.withUnsafeBufferPointer { table.assign($0.baseAddress!, hashes, m, into: o.baseAddress! + start) }
            }
        }
        return out
    }
}

extension Column {
    /// The column with its nulls as 0 (an integer column: counts of combinations never seen).
    func nullsAsZero() -> Column {
        guard nullCount > 0, case .int64 = data else { return self }
        return Column(name: name, type: type, validity: .allValid(count: count), data: data, nullCount: 0)
    }
}
