import Storage

/// A literal as written. Money amounts are kept in yuan until analysis knows their unit.
public enum Literal: Equatable, Sendable {
    case integer(Int64)
    /// Exact, with the digits after the point as written.
    case decimal(FixedDecimal)
    case money(yuan: FixedDecimal)
    case text(String)
    case date(Int32)
    /// Microseconds since 1970-01-01 00:00:00 UTC.
    case timestamp(Int64)
    case bool(Bool)
    case null
}

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "=", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or

    var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: true
        default: false
        }
    }
}

/// An expression as parsed: names are not resolved yet (a bare word may be a column or text).
public indirect enum ExprKind: Sendable {
    case name(String)
    case literal(Literal)
    case negate(Expr)
    case not(Expr)
    case binary(BinaryOperator, Expr, Expr)
    case inList(Expr, [Expr], negated: Bool)
    case between(Expr, Expr, Expr)
    case contains(Expr, Expr)
    case isNull(Expr, negated: Bool)
    case call(String, nameRange: SourceRange, [Expr])
}

public struct Expr: Sendable {
    public var kind: ExprKind
    public var range: SourceRange
}

public enum AggregateFunction: String, Sendable {
    case count, countDistinct = "count_distinct", sum, avg, min, max, median
}

public struct Aggregate: Sendable {
    public var function: AggregateFunction
    public var argument: Expr?
    public var condition: Expr?
    public var alias: String?
    public var range: SourceRange
}

/// A `by` key or a `select` item: an expression and an optional `as` name.
public struct NamedExpr: Sendable {
    public var expr: Expr
    public var alias: String?
}

public struct SortKey: Sendable {
    public var expr: Expr
    /// nil when not written (asc for `sort`, desc for `top`).
    public var descending: Bool?
}

public enum JoinCondition: Sendable {
    /// `on a, b`: the same names on both sides.
    case columns([(String, SourceRange)])
    /// `on a = b`: left column a, right column b.
    case equal(String, SourceRange, String, SourceRange)
}

public enum ClauseKind: Sendable {
    case filter(Expr)
    case aggregate([Aggregate], by: [NamedExpr], across: Across?)
    case select([NamedExpr])
    case sort([SortKey])
    case top(Int, SortKey)
    case limit(Int)
    case join(String, SourceRange, JoinCondition)
    /// `total [by K] [as 'label']`: after an aggregation, a total row (and a subtotal row after
    /// each group of K). `range` is the clause's word, where errors about it point.
    case total(by: (String, SourceRange)?, label: String?, range: SourceRange)
    /// `rank by E [desc|asc] [within K, …] [as NAME]`: a rank column, rows not reordered.
    case rank(SortKey, within: [(String, SourceRange)], alias: String?)
    /// `changes from T on K[, K…]`: the rows added, removed or changed since table T.
    case changes(String, SourceRange, on: [(String, SourceRange)])
}

/// `across NAME [total]`: NAME's values become columns; `total` adds a column of each row's
/// total.
public struct Across: Sendable {
    public var name: String
    public var range: SourceRange
    public var total: Bool
}

public struct Clause: Sendable {
    public var kind: ClauseKind
    public var range: SourceRange
}

/// A query: a table, then clauses applied left to right.
public struct Query: Sendable {
    public var table: String
    public var tableRange: SourceRange
    public var clauses: [Clause]
}
