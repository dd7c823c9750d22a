import TextSupport
import Storage

/// What is computed over the result's rows rather than one row at a time: `share`, `cumsum` and
/// `row_number` in a `select`, and the `rank` clause. Each becomes a column laid out by row
/// number like the relation's own (a selection picks from it), computed in the relation's order
/// before the select evaluates its items a batch at a time; the calls are then plain columns.
/// Rows that `total` added are not rows of the data: they get no rank, number or running
/// total, and a share's denominator is the sum of the other rows (so the total's share is 100%).
enum RowFunctions {
    /// The relation with a column for each row-function call in `items`, and the items reading
    /// those columns instead. Inner calls first: `share(cumsum(x))` shares the running total.
    static func prepare(_ items: [BoundKey], _ input: Relation, _ cancel: CancellationFlag) throws(Stopped) -> (Relation, [BoundKey]) {
        var relation = input
        func process(_ b: Bound) throws(Stopped) -> Bound {
            let inner = try b.mapChildren(process)
            guard case .call(let f, let args, let type) = inner, f.overRows else { return inner }
            relation.columns.append(try column(f, args, type, relation, cancel))
            return .column(relation.columns.count - 1, type)
        }
        var out: [BoundKey] = []
        for item in items { out.append(BoundKey(bound: try process(item.bound), name: item.name)) }
        return (relation, out)
    }

    /// The values of `e` at each of the relation's rows, in its order: exact units at the
    /// type's scale, or doubles.
    private struct Numbers {
        var units: [Int64] = []
        var doubles: [Double] = []
        var valid: [Bool] = []
        /// The row number of each value.
        var rows: [Int32] = []
        var exact = true
    }

    private static func numbers(_ e: Bound, _ relation: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Numbers {
        let evaluator = Evaluator(columns: relation.columns)
        var out = Numbers()
        out.exact = e.type != .float
        let scale = e.type.scale ?? 0
        try forEachBatch(relation, cancel) { rows, _ in
            let v = evaluator.evaluate(e, rows)
            out.rows += rows
            if out.exact, case .decimals(let x, let ok, _) = Evaluator.toScale(v, scale, rows.count) {
                out.units += x
                out.valid += ok
            } else if let (x, ok) = v.asDoubles() {
                out.doubles += x
                out.valid += ok
            } else {
                out.valid += [Bool](repeating: false, count: rows.count)
                out.units += [Int64](repeating: 0, count: rows.count)
            }
        }
        try Stopped.check(evaluator.trap)
        return out
    }

    private static func column(_ f: Function, _ args: [Bound], _ type: DataType, _ relation: Relation,
                               _ cancel: CancellationFlag) throws(Stopped) -> Column {
        let name = "\(f.rawValue)*"
        switch f {
        case .rowNumber:
            let rows = relation.selection ?? (0..<Int32(relation.rowCount)).map { $0 }
            var number: Int64 = 0
            let values = rows.map { r -> Int64? in
                guard relation.role(Int(r)) == .detail else { return nil }
                number += 1
                return number
            }
            return laidOut(name, type, relation.rowCount, rows, ints: values)
        case .share:
            let x = try numbers(args[0], relation, cancel)
            let target = type.scale ?? 3
            if x.exact {
                var total: Int128 = 0
                for i in x.rows.indices where x.valid[i] && relation.role(Int(x.rows[i])) == .detail { total += Int128(x.units[i]) }
                let values = x.rows.indices.map { i -> Int64? in
                    guard x.valid[i], total != 0 else { return nil }
                    return Int64(exactly: FixedDecimal.divideRounding(Int128(x.units[i]) * Int128(FixedDecimal.powers[target]), total))
                }
                return laidOut(name, type, relation.rowCount, x.rows, ints: values)
            }
            var total = 0.0
            for i in x.rows.indices where x.valid[i] && relation.role(Int(x.rows[i])) == .detail { total += x.doubles[i] }
            let factor = Double(FixedDecimal.powers[target])
            let values = x.rows.indices.map { i -> Int64? in
                guard x.valid[i], total != 0 else { return nil }
                let w = (x.doubles[i] / total * factor).rounded(.toNearestOrAwayFromZero)
                return w.isFinite && abs(w) < 9.2e18 ? Int64(w) : nil
            }
            return laidOut(name, type, relation.rowCount, x.rows, ints: values)
        case .cumsum:
            let x = try numbers(args[0], relation, cancel)
            if x.exact {
                var running: Int64 = 0
                var values: [Int64?] = []
                values.reserveCapacity(x.rows.count)
                for i in x.rows.indices {
                    guard relation.role(Int(x.rows[i])) == .detail else { values.append(nil); continue }
                    if x.valid[i] {
                        let (sum, overflow) = running.addingReportingOverflow(x.units[i])
                        if overflow { throw .overflow(Diagnostic(QueryMessage.runningTotalOverflow(), at: SourceRange(-1, -1))) }
                        running = sum
                    }
                    values.append(running)
                }
                return laidOut(name, type, relation.rowCount, x.rows, ints: values)
            }
            var running = 0.0
            var values: [Double?] = []
            for i in x.rows.indices {
                guard relation.role(Int(x.rows[i])) == .detail else { values.append(nil); continue }
                if x.valid[i] { running += x.doubles[i] }
                values.append(running)
            }
            return laidOut(name, relation.rowCount, x.rows, doubles: values)
        default:
            preconditionFailure("not a row function: \(f)")
        }
    }

    /// `rank by E [desc|asc] [within K…]`: competition ranks (1, 2, 2, 4) in the order of E,
    /// counted afresh within each combination of the `within` columns; rows where E is null,
    /// and total rows, get none. The rows keep their order.
    static func rank(_ key: BoundSortKey, within: [Int], name: String, _ relation: Relation,
                     _ cancel: CancellationFlag) throws(Stopped) -> Column {
        let x = try numbersOrValues(key.bound, relation, cancel)
        var candidates: [Int32] = []
        for (i, r) in x.rows.enumerated() where x.values[i] != .null && relation.role(Int(r)) == .detail { candidates.append(r) }
        var view = relation
        view.selection = candidates
        let keys = within.map { BoundSortKey(bound: .column($0, relation.columns[$0].type), descending: false) } + [key]
        let order = try Sorting(keys: keys, limit: nil, general: false).run(view, cancel).selection ?? candidates
        var valueOf: [Int32: Value] = [:]
        for (i, r) in x.rows.enumerated() { valueOf[r] = x.values[i] }
        var rankOf: [Int32: Int64] = [:]
        var previous: (group: [Value], value: Value, rank: Int64)? = nil
        var counted: Int64 = 0
        for r in order {
            let group = within.map { relation.columns[$0].value(at: Int(r)) }
            let value = valueOf[r] ?? .null
            if previous?.group != group { counted = 0; previous = nil }
            counted += 1
            let rank = previous.map { $0.value == value ? $0.rank : counted } ?? counted
            rankOf[r] = rank
            previous = (group, value, rank)
        }
        return laidOut(name, .int, relation.rowCount, x.rows, ints: x.rows.map { rankOf[$0] })
    }

    /// Any expression's values with their row numbers, boxed (ranks compare neighbours only).
    private static func numbersOrValues(_ e: Bound, _ relation: Relation, _ cancel: CancellationFlag) throws(Stopped) -> (rows: [Int32], values: [Value]) {
        let evaluator = Evaluator(columns: relation.columns)
        var rows: [Int32] = [], values: [Value] = []
        try forEachBatch(relation, cancel) { batch, _ in
            let v = evaluator.evaluate(e, batch)
            rows += batch
            for i in batch.indices { values.append(v.value(i)) }
        }
        try Stopped.check(evaluator.trap)
        return (rows, values)
    }

    /// A column of `rowCount` rows holding `values[i]` at row `rows[i]` (null elsewhere).
    private static func laidOut(_ name: String, _ type: DataType, _ rowCount: Int, _ rows: [Int32], ints values: [Int64?]) -> Column {
        var out = GrowableBuffer<Int64>(capacity: rowCount)
        out.append(repeating: 0, count: rowCount)
        var valid = [Bool](repeating: false, count: rowCount)
        for (i, r) in rows.enumerated() {
            if let v = values[i] { out[Int(r)] = v; valid[Int(r)] = true }
        }
        return Column(name: name, type: type, validity: bitmap(valid), data: .int64(out.finish()))
    }

    private static func laidOut(_ name: String, _ rowCount: Int, _ rows: [Int32], doubles values: [Double?]) -> Column {
        var out = GrowableBuffer<Double>(capacity: rowCount)
        out.append(repeating: 0, count: rowCount)
        var valid = [Bool](repeating: false, count: rowCount)
        for (i, r) in rows.enumerated() {
            if let v = values[i] { out[Int(r)] = v; valid[Int(r)] = true }
        }
        return Column(name: name, type: .float, validity: bitmap(valid), data: .float64(out.finish()))
    }

    private static func bitmap(_ valid: [Bool]) -> Bitmap {
        var bits = BitmapBuilder(capacity: valid.count)
        for v in valid { bits.append(v) }
        return bits.finish()
    }
}
