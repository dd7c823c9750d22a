import Storage

/// A grouping key or a `select` item, bound, with the name of the column it makes.
struct BoundKey {
    var bound: Bound
    var name: String
}

/// One aggregate of an aggregation clause, bound: what it computes, over which values, under
/// which condition, and the type of its result.
struct BoundAggregate {
    var function: AggregateFunction
    var argument: Bound?
    var condition: Bound?
    var name: String
    var type: DataType
    /// The dictionary of the result column: min and max of a dictionary column keep its codes.
    var dictionary: StringDictionary?
    /// Where the aggregate was written, for an error about its result (an integer sum beyond
    /// 64 bits).
    var origin: ArithmeticOrigin? = nil
}

struct BoundAggregation {
    var keys: [BoundKey]
    var aggregates: [BoundAggregate]
    /// `across K`: K's values become columns (a pivot).
    var across: BoundKey?
    /// `across K total`: a column of each row's total (合计) after K's.
    var acrossTotal = false
}

struct BoundSortKey {
    var bound: Bound
    var descending: Bool
}

/// `join T on …`: the right table, the pairs of key columns (left index, right index), and the
/// right columns the result keeps (all but its keys), with their names in the result.
struct BoundJoin {
    var right: Table
    /// The table's name in the clause (what a join too large to make is reported at).
    var range: SourceRange
    var pairs: [(left: Int, right: Int)]
    var rightColumns: [(index: Int, name: String)]
}

/// `total [by K] [as label]` after an aggregation: the aggregation it totals (run again over
/// the same rows with fewer keys), whether subtotals follow each group of the first key, and
/// the labels written into the first free key column.
struct BoundTotal {
    var aggregation: BoundAggregation
    /// The aggregation's clause and the columns it read (after `across` it was planned apart).
    var aggregationClause: Clause
    var aggregationInput: Schema
    var subtotals: Bool
    var label: String
    var subtotalLabel: String
    /// The key columns that take a label, by index, with their dictionaries grown by it (known
    /// when binding, so that a `where` after the total compares with the labels too).
    var labelled: [Int: StringDictionary] = [:]
}

/// `rank by E [desc|asc] [within K…] [as NAME]`.
struct BoundRank {
    var key: BoundSortKey
    var within: [Int]
    var name: String
}

/// `changes from T on K…`: the earlier table, the key columns (index here, index in T), and for
/// each column here the one of T with its name (nil when T has none). The result is `change`,
/// the columns here, then `C_before` for each compared column; `columns` is that schema, with the
/// dictionaries the values from both tables need.
struct BoundChanges {
    var earlier: Table
    /// The earlier table's name as written (`上月.项目`).
    var name: String
    var range: SourceRange
    var keys: [(now: Int, before: Int)]
    var counterpart: [Int?]
    var columns: Schema
}

/// A clause with its names resolved against the columns before it and its types known.
enum BoundClause {
    case filter(Bound)
    case aggregate(BoundAggregation)
    case select([BoundKey])
    case sort([BoundSortKey])
    case top(Int, BoundSortKey)
    case limit(Int)
    case join(BoundJoin)
    case total(BoundTotal)
    case rank(BoundRank)
    case changes(BoundChanges)

    /// The columns the clause gives the next one; nil when they depend on the data (the
    /// columns of `across` are the values it finds), so binding waits for the clause to run.
    func output(_ input: Schema) -> Schema? {
        switch self {
        case .filter, .sort, .top, .limit:
            return input
        case .total(let t):
            return input.enumerated().map { c, info in
                var out = ColumnInfo(name: info.name, type: info.type, dictionary: t.labelled[c] ?? info.dictionary)
                if t.labelled[c] == nil, info.dictionary == nil { out.base = nil }
                return out
            }
        case .rank(let r):
            return input + [ColumnInfo(name: r.name, type: .int)]
        case .changes(let c):
            return c.columns
        case .select(let items):
            return items.map { ColumnInfo.of($0.bound, name: $0.name, in: input) }
        case .aggregate(let a):
            if a.across != nil { return nil }
            return a.keys.map { ColumnInfo.of($0.bound, name: $0.name, in: input) }
                + a.aggregates.map { ColumnInfo(name: $0.name, type: $0.type, dictionary: $0.dictionary) }
        case .join(let j):
            return input + j.rightColumns.map { ColumnInfo(j.right.columns[$0.index]).renamed($0.name) }
        }
    }
}

extension ColumnInfo {
    /// The column an expression makes: a plain column keeps its dictionary and base; anything
    /// computed is a new column (text computed from categories is plain text).
    static func of(_ b: Bound, name: String, in input: Schema) -> ColumnInfo {
        if case .column(let c, _) = b { return input[c].renamed(name) }
        return ColumnInfo(name: name, type: b.type.isTextual ? .text : b.type.columnType)
    }
}
