import TextSupport
import Storage

/// `changes from T on K…`: the rows of the relation (now) against the earlier table T, matched
/// by their keys. A row whose keys only now has is `added`, one only T has is `removed`, one in
/// both with any compared column different is `changed`; rows that are the same are left out.
/// Each result row holds the row's values (a removed row's from T) and, in `C_before`, the earlier
/// value of each column that changed (null where it did not). Added and changed rows come in the
/// relation's order, then the removed rows in T's.
struct ChangesPlan {
    let bound: BoundChanges

    func run(_ now: Relation, _ cancel: CancellationFlag) throws(Stopped) -> Relation {
        let earlier = bound.earlier
        let nowRows = now.selection ?? (0..<Int32(now.rowCount)).map { $0 }
        func keyOf(_ columns: [Column], _ indices: [Int], _ row: Int) -> [Value] { indices.map { columns[$0].value(at: row) } }
        func text(_ key: [Value]) -> String { key.map(\.description).joined(separator: ", ") }
        // The earlier rows by key.
        var earlierRow: [[Value]: Int] = [:]
        let earlierKeys = bound.keys.map(\.before)
        for r in 0..<earlier.rowCount {
            if r % 65536 == 0 { try cancel.check() }
            let key = keyOf(earlier.columns, earlierKeys, earlier.row(r))
            if earlierRow.updateValue(earlier.row(r), forKey: key) != nil {
                throw .tooLarge(Diagnostic(QueryMessage.keyNamesTwoRowsOf(text(key), bound.name), at: bound.range,
                                           notes: [QueryMessage.changesPairsRows()]))
            }
        }
        var seen = Set<[Value]>()
        let nowKeys = bound.keys.map(\.now)
        let keySet = Set(nowKeys)
        let compared = bound.counterpart.enumerated().compactMap { c, b in b.flatMap { keySet.contains(c) ? nil : (c, $0) } }
        // Each result row: its change, where its values come from, and which columns differ.
        var change: [Value] = []
        var source: [(now: Int?, before: Int?)] = []
        var differs: [[Bool]] = []
        for (i, r) in nowRows.enumerated() {
            if i % 65536 == 0 { try cancel.check() }
            let key = keyOf(now.columns, nowKeys, Int(r))
            guard seen.insert(key).inserted else {
                throw .tooLarge(Diagnostic(QueryMessage.keyNamesTwoRowsHere(text(key)), at: bound.range,
                                           notes: [QueryMessage.changesPairsRows()]))
            }
            guard let b = earlierRow[key] else {
                change.append(.text("added"))
                source.append((Int(r), nil))
                differs.append([Bool](repeating: false, count: compared.count))
                continue
            }
            let d = compared.map { c, e in !ChangesPlan.same(now.columns[c].value(at: Int(r)), earlier.columns[e].value(at: b)) }
            guard d.contains(true) else { continue }
            change.append(.text("changed"))
            source.append((Int(r), b))
            differs.append(d)
        }
        for r in 0..<earlier.rowCount {
            let key = keyOf(earlier.columns, earlierKeys, earlier.row(r))
            guard !seen.contains(key) else { continue }
            change.append(.text("removed"))
            source.append((nil, earlier.row(r)))
            differs.append([Bool](repeating: false, count: compared.count))
        }
        let schema = bound.columns
        var columns = [valueColumn(named: "change", type: schema[0].type, dictionary: schema[0].dictionary, values: change)]
        for (c, column) in now.columns.enumerated() {
            let info = schema[1 + c]
            let values = source.map { s -> Value in
                if let n = s.now { return column.value(at: n) }
                guard let b = s.before, let e = bound.counterpart[c] else { return .null }
                return earlier.columns[e].value(at: b)
            }
            columns.append(valueColumn(named: info.name, type: info.type, dictionary: info.dictionary, values: values))
        }
        for (k, (_, e)) in compared.enumerated() {
            let info = schema[1 + now.columns.count + k]
            let values = source.indices.map { i -> Value in
                guard differs[i][k], let b = source[i].before else { return .null }
                return earlier.columns[e].value(at: b)
            }
            columns.append(valueColumn(named: info.name, type: info.type, dictionary: info.dictionary, values: values))
        }
        return Relation(name: now.name, columns: columns, rowCount: change.count)
    }

    /// Whether two cells hold the same value: exact numbers of different scales compared by
    /// value (1.5 and 1.50 are the same).
    static func same(_ a: Value, _ b: Value) -> Bool {
        if case .decimal(let x) = a, case .decimal(let y) = b {
            let s = Swift.max(x.scale, y.scale)
            return x.rescaled(to: s) == y.rescaled(to: s)
        }
        if case .decimal(let x) = a, case .int(let y) = b { return same(.decimal(x), .decimal(FixedDecimal(y))) }
        if case .int(let x) = a, case .decimal(let y) = b { return same(.decimal(FixedDecimal(x)), .decimal(y)) }
        return a == b
    }
}
