import Storage
import TextSupport

/// Binds a query's clauses in order, each against the columns the clause before it gives,
/// without running anything: a mistake in the last clause is reported before the first runs.
struct ClauseBinder {
    let catalog: Catalog
    let source: String
    /// Notes that do not stop the query (a value a category never holds).
    var notes: [Diagnostic] = []
    /// The clause bound last, as written, and the columns it read (what `total` totals).
    private var previous: BoundClause? = nil
    private var previousClause: (clause: Clause, input: Schema)? = nil

    /// The statement's bytes, made once (see `Binder.sourceBytes`).
    let sourceBytes: [UInt8]

    init(catalog: Catalog, source: String) {
        self.catalog = catalog
        self.source = source
        sourceBytes = Array(source.utf8)
    }

    /// The statement's text at `r`, with runs of white space made one space (for names).
    func text(_ r: SourceRange) -> String {
        let bytes = sourceBytes
        let raw = String(decoding: bytes[r.start..<min(r.end, bytes.count)], as: UTF8.self)
        return raw.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    func table(_ name: String, _ range: SourceRange) throws(Diagnostic) -> Table {
        if let t = catalog.table(named: name) { return t }
        let names = catalog.tableNames
        var n: [String] = []
        if let c = closestName(to: name, among: names) { n.append(QueryMessage.didYouMean(c)) }
        n.append(names.isEmpty ? QueryMessage.noTablesLoaded() : QueryMessage.tablesList(names.joined(separator: ", ")))
        throw Diagnostic(QueryMessage.unknownTable(name), at: range, notes: n)
    }

    private func binder(_ input: Schema) -> Binder { Binder(columns: input, source: source, sourceBytes: sourceBytes) }

    /// Binds one clause against `input`.
    mutating func bind(_ clause: Clause, input: Schema) throws(Diagnostic) -> BoundClause {
        let bound = try bindClause(clause, input: input)
        previous = bound
        previousClause = (clause, input)
        return bound
    }

    private mutating func bindClause(_ clause: Clause, input: Schema) throws(Diagnostic) -> BoundClause {
        var b = binder(input)
        defer { notes += b.notes }
        switch clause.kind {
        case .filter(let e):
            return .filter(try b.predicate(e))
        case .limit(let n):
            return .limit(n)
        case .sort(let keys):
            var bound: [BoundSortKey] = []
            for k in keys { bound.append(BoundSortKey(bound: try b.bind(k.expr), descending: k.descending ?? false)) }
            return .sort(bound)
        case .top(let n, let key):
            return .top(n, BoundSortKey(bound: try b.bind(key.expr), descending: key.descending ?? true))
        case .total(let by, let label, let range):
            return .total(try total(by, label, range, input))
        case .rank(let key, let within, let alias):
            let bound = BoundSortKey(bound: try b.bind(key.expr), descending: key.descending ?? true)
            switch bound.bound.type {
            case .text, .category(ordered: false), .bool: break
            default: return try rank(bound, within, alias, clause, input, &b)
            }
            throw Diagnostic(QueryMessage.rankNeedsOrder(text(key.expr.range), bound.bound.type),
                             at: key.expr.range, notes: [QueryMessage.sortOrdersText(text(key.expr.range))])
        case .changes(let name, let range, let keys):
            return .changes(try changes(name, range, keys, input, clause.range))
        case .select(let items):
            b.allowsRowFunctions = true
            var bound: [BoundKey] = []
            for item in items { bound.append(BoundKey(bound: try b.bind(item.expr), name: outputName(item.expr, item.alias, input))) }
            try checkUnique(zip(bound, items).map { ($0.0.name, $0.1.expr.range) })
            return .select(bound)
        case .aggregate(let aggregates, let keys, let across):
            return .aggregate(try aggregation(aggregates, keys, across, input, &b))
        case .join(let name, let range, let condition):
            return .join(try join(name, range, condition, input))
        }
    }

    func rank(_ key: BoundSortKey, _ within: [(String, SourceRange)], _ alias: String?, _ clause: Clause, _ input: Schema,
              _ b: inout Binder) throws(Diagnostic) -> BoundClause {
        var columns: [Int] = []
        for (name, range) in within {
            guard let c = b.columnIndex(name) else { throw b.unknownColumn(name, range) }
            columns.append(c)
        }
        let name = alias ?? "rank"
        if input.contains(where: { $0.name.lowercased() == name.lowercased() }) {
            throw Diagnostic(QueryMessage.twoColumnsCalled(name), at: clause.range, notes: [QueryMessage.nameTheRank()])
        }
        return .rank(BoundRank(key: key, within: columns, name: name))
    }

    func changes(_ name: String, _ range: SourceRange, _ keyNames: [(String, SourceRange)], _ input: Schema,
                 _ clauseRange: SourceRange) throws(Diagnostic) -> BoundChanges {
        let earlier = try table(name, range)
        let before = earlier.columns.map(ColumnInfo.init)
        let now = binder(input), then = binder(before)
        var keys: [(now: Int, before: Int)] = []
        for (k, r) in keyNames {
            guard let n = now.columnIndex(k) else { throw now.unknownColumn(k, r) }
            guard let b = then.columnIndex(k) else {
                var d = then.unknownColumn(k, r)
                d.message = QueryMessage.inPlace(d.message, name)
                throw d
            }
            keys.append((n, b))
        }
        let keySet = Set(keys.map(\.now))
        var counterpart: [Int?] = []
        for (c, info) in input.enumerated() {
            guard let b = then.columnIndex(info.name) else { counterpart.append(nil); continue }
            let t = before[b].type
            guard t.sameKind(info.type) || (t.isTextual && info.type.isTextual) else {
                throw Diagnostic(QueryMessage.keyTypesDiffer(info.name, info.type, t, name), at: range)
            }
            counterpart.append(b)
            _ = c
        }
        // The result's columns: change; each column here, holding the row's values (a removed
        // row's from the earlier table), its dictionary grown by the earlier values; then the
        // earlier value of each compared column.
        let changeValues = ["added", "removed", "changed"]
        var heap = StringHeapBuilder()
        for v in changeValues { heap.append(v) }
        var columns: Schema = [ColumnInfo(name: "change", type: .category(ordered: false),
                                          dictionary: StringDictionary(values: heap.finish(), isOrdered: false))]
        for (c, info) in input.enumerated() {
            var out = ColumnInfo(name: info.name, type: info.type)
            if let b = counterpart[c] {
                out.type = ClauseBinder.widest(info.type, before[b].type)
                if let d = info.dictionary { out.dictionary = d.growing(by: before[b].dictionary) }
            } else {
                out.dictionary = info.dictionary
            }
            columns.append(out)
        }
        for (c, info) in input.enumerated() where !keySet.contains(c) {
            guard let b = counterpart[c] else { continue }
            columns.append(ColumnInfo(name: "\(info.name)_before", type: before[b].type, dictionary: before[b].dictionary))
        }
        try checkUnique(columns.map { ($0.name, clauseRange) })
        return BoundChanges(earlier: earlier, name: name, range: range, keys: keys, counterpart: counterpart, columns: columns)
    }

    /// The type that holds values of two types of one kind: the more digits of two scales.
    static func widest(_ a: DataType, _ b: DataType) -> DataType {
        if let s = a.scale, let t = b.scale, t > s { return a.withScale(t) }
        return a
    }

    func total(_ by: (String, SourceRange)?, _ label: String?, _ range: SourceRange, _ input: Schema) throws(Diagnostic) -> BoundTotal {
        guard case .aggregate(let a) = previous else {
            throw Diagnostic(QueryMessage.totalFollowsAggregation(), at: range,
                             notes: [QueryMessage.totalAddsRows()])
        }
        var subtotals = false
        if let (name, nameRange) = by {
            guard let first = a.keys.first, first.name.lowercased() == name.lowercased() else {
                throw Diagnostic(a.keys.first.map { QueryMessage.totalByFirstKeyNamed($0.name, name) } ?? QueryMessage.totalByFirstKey(name),
                                 at: nameRange, notes: [QueryMessage.subtotalsFollowFirstKey(name)])
            }
            guard a.keys.count > 1 else {
                throw Diagnostic(QueryMessage.totalByNeedsSecondKey(name), at: nameRange,
                                 notes: [QueryMessage.totalAloneAddsGrandTotal()])
            }
            subtotals = true
        }
        var total = BoundTotal(aggregation: a, aggregationClause: previousClause!.clause, aggregationInput: previousClause!.input,
                               subtotals: subtotals, label: label ?? "合计", subtotalLabel: "小计")
        // The label goes into the first key column, the subtotals' into the second, when they
        // hold text; a dictionary column's dictionary grows by it.
        for (c, text) in [(0, total.label)] + (subtotals ? [(1, total.subtotalLabel)] : []) where c < a.keys.count && input[c].type.isTextual {
            if let d = input[c].dictionary { total.labelled[c] = d.code(of: text) == nil ? d.appending(text) : d }
        }
        return total
    }

    /// The name a column gets: its `as` name, else the column's own name, else the source text.
    func outputName(_ e: Expr, _ alias: String?, _ input: Schema) -> String {
        if let alias { return alias }
        if case .name(let n) = e.kind, let c = input.index(of: n) { return input[c].name }
        return text(e.range)
    }

    func checkUnique(_ names: [(String, SourceRange)]) throws(Diagnostic) {
        var seen = Set<String>()
        for (n, range) in names {
            if !seen.insert(n.lowercased()).inserted {
                throw Diagnostic(QueryMessage.twoColumnsCalled(n), at: range, notes: [QueryMessage.nameOneWithAs()])
            }
        }
    }

    mutating func aggregation(_ aggregates: [Aggregate], _ keys: [NamedExpr], _ across: Across?,
                              _ input: Schema, _ b: inout Binder) throws(Diagnostic) -> BoundAggregation {
        var boundKeys: [BoundKey] = []
        for k in keys { boundKeys.append(BoundKey(bound: try b.bind(k.expr), name: outputName(k.expr, k.alias, input))) }
        var boundAggregates: [BoundAggregate] = []
        for a in aggregates { boundAggregates.append(try aggregate(a, &b, input)) }
        var acrossKey: BoundKey? = nil
        if let across {
            let name = across.name, nameRange = across.range
            guard let c = b.columnIndex(name) else { throw b.unknownColumn(name, nameRange) }
            acrossKey = BoundKey(bound: .column(c, b.type(of: c)), name: input[c].name)
            if aggregates.isEmpty { throw Diagnostic(QueryMessage.acrossNeedsAggregate(), at: nameRange) }
        } else {
            try checkUnique(zip(boundKeys, keys).map { ($0.0.name, $0.1.expr.range) }
                            + zip(boundAggregates, aggregates).map { ($0.0.name, $0.1.range) })
        }
        return BoundAggregation(keys: boundKeys, aggregates: boundAggregates, across: acrossKey, acrossTotal: across?.total ?? false)
    }

    func aggregate(_ a: Aggregate, _ b: inout Binder, _ input: Schema) throws(Diagnostic) -> BoundAggregate {
        let argument = try a.argument.map { (e) throws(Diagnostic) in try b.bind(e) }
        let condition = try a.condition.map { (e) throws(Diagnostic) in try b.predicate(e) }
        let argName = a.argument.map { outputName($0, nil, input) }
        let name = a.alias ?? (argName.map { "\(a.function.rawValue)_\($0)" } ?? "count")
        var type: DataType = .int
        var dictionary: StringDictionary? = nil
        if let argument, let e = a.argument {
            let t = argument.type
            switch a.function {
            case .count, .countDistinct: type = .int
            case .sum:
                guard t.isNumeric || t == .null else { throw Diagnostic(QueryMessage.aggregateNeedsNumbers("sum", text(e.range), t), at: e.range) }
                type = t.columnType
            case .avg, .median:
                guard t.isNumeric || t == .null else { throw Diagnostic(QueryMessage.aggregateNeedsNumbers(a.function.rawValue, text(e.range), t), at: e.range) }
                // An exact mean keeps six more digits than its values, at most nine; a median
                // one more (the mean of the two middle values of an even count is exact so).
                if let s = t.scale {
                    type = t.withScale(Swift.min(FixedDecimal.maxScale, s + (a.function == .avg ? 6 : 1)))
                } else {
                    type = t == .float ? .float : .decimal(scale: 0)
                }
            case .min, .max:
                type = t.columnType
                // min and max of a dictionary column keep its codes, so an ordered category
                // keeps its order in the result.
                if case .column(let c, _) = argument, let d = input[c].dictionary { dictionary = d } else if t.isCategory { type = .text }
            }
        }
        return BoundAggregate(function: a.function, argument: argument, condition: condition, name: name, type: type,
                              dictionary: dictionary,
                              origin: ArithmeticOrigin(range: a.range, text: a.argument.map { "\(a.function.rawValue) \(text($0.range))" } ?? text(a.range)))
    }

    func join(_ name: String, _ range: SourceRange, _ condition: JoinCondition, _ input: Schema) throws(Diagnostic) -> BoundJoin {
        let right = try table(name, range)
        let rightSchema = right.columns.map(ColumnInfo.init)
        let lb = binder(input), rb = binder(rightSchema)
        var pairs: [(left: Int, right: Int)] = []
        func find(_ binder: Binder, _ n: String, _ r: SourceRange, side: String) throws(Diagnostic) -> Int {
            if let c = binder.columnIndex(n) { return c }
            var d = binder.unknownColumn(n, r)
            d.message = QueryMessage.inPlace(d.message, side)
            throw d
        }
        switch condition {
        case .columns(let names):
            for (n, r) in names { pairs.append((try find(lb, n, r, side: QueryMessage.theLeftSide()), try find(rb, n, r, side: QueryMessage.tableNamed(right.name)))) }
        case .equal(let a, let ar, let bName, let br):
            pairs.append((try find(lb, a, ar, side: QueryMessage.theLeftSide()), try find(rb, bName, br, side: QueryMessage.tableNamed(right.name))))
        }
        for (l, r) in pairs {
            let lt = input[l].type, rt = rightSchema[r].type
            if !(lt.isTextual && rt.isTextual) && !(lt.isNumeric && rt.isNumeric) && lt != rt {
                throw Diagnostic(QueryMessage.cannotJoin(input[l].name, lt, right.name + "." + right.columns[r].name, rt), at: range)
            }
        }
        let leftNames = Set(input.map { $0.name.lowercased() })
        let rightKeys = Set(pairs.map(\.right))
        var kept: [(index: Int, name: String)] = []
        for (c, column) in right.columns.enumerated() where !rightKeys.contains(c) {
            kept.append((c, leftNames.contains(column.name.lowercased()) ? "\(right.name)_\(column.name)" : column.name))
        }
        return BoundJoin(right: right, range: range, pairs: pairs, rightColumns: kept)
    }
}
