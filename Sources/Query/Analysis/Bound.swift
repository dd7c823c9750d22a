import Storage

/// The functions of the language.
enum Function: String, CaseIterable {
    case year, month, quarter, week, day, date, hour, round, abs, lower, upper, length, coalesce
    /// `percent(E [, digits])`: E as a percentage with `digits` digits after the point (one by
    /// default): the ratio, exact, at scale digits + 2.
    case percent
    /// Computed over the result's rows (a `select` only): E over the column's total of the rows
    /// that are not totals; the running total in the result's order; the row's number.
    case share, cumsum
    case rowNumber = "row_number"

    /// Whether the function reads every row of the result, not one row.
    var overRows: Bool { self == .share || self == .cumsum || self == .rowNumber }
}

/// An expression with its names resolved against the relation it runs over and its type
/// known: what the executor evaluates.
indirect enum Bound {
    case column(Int, DataType)
    case constant(Value, DataType)
    /// A predicate on one dictionary column, worked out once per dictionary value: the row's
    /// answer is `truth[code]` (or `nullTruth` for a null row). `sector = machinery` and
    /// `stage >= signed` become this.
    case codeTable(column: Int, truth: [UInt8], nullTruth: UInt8)
    case negate(Bound, DataType)
    case not(Bound)
    /// `origin`: where it was written, for an integer overflow's error.
    case arithmetic(BinaryOperator, Bound, Bound, DataType, ArithmeticOrigin)
    case compare(BinaryOperator, Bound, Bound)
    case logical(BinaryOperator, Bound, Bound)
    case isNull(Bound, negated: Bool)
    case inList(Bound, [Bound], negated: Bool)
    case between(Bound, Bound, Bound)
    case contains(Bound, Bound)
    case call(Function, [Bound], DataType)
    /// Multiplies an exact number's units by 10^k, k ≥ 0, keeping its scale: money of one unit in
    /// a smaller one (亿元 in 元: k = 8), or an int beside a decimal at the decimal's scale.
    /// Exact; beyond 64 bits an overflow error naming `origin`.
    case shift(Bound, Int, DataType, ArithmeticOrigin)

    var type: DataType {
        switch self {
        case .column(_, let t), .constant(_, let t), .negate(_, let t), .arithmetic(_, _, _, let t, _), .call(_, _, let t), .shift(_, _, let t, _): t
        case .codeTable, .not, .compare, .logical, .isNull, .inList, .between, .contains: .bool(chinese: false)
        }
    }

    /// The columns the expression reads.
    var columns: Set<Int> {
        switch self {
        case .column(let c, _): [c]
        case .codeTable(let c, _, _): [c]
        case .constant: []
        case .negate(let e, _), .not(let e), .isNull(let e, _), .shift(let e, _, _, _): e.columns
        case .arithmetic(_, let a, let b, _, _), .compare(_, let a, let b), .logical(_, let a, let b), .contains(let a, let b):
            a.columns.union(b.columns)
        case .inList(let e, let items, _): items.reduce(e.columns) { $0.union($1.columns) }
        case .between(let a, let b, let c): a.columns.union(b.columns).union(c.columns)
        case .call(_, let args, _): args.reduce(Set<Int>()) { $0.union($1.columns) }
        }
    }

    /// The same expression reading column `to` where it read `from`.
    func remapped(_ from: Int, to: Int) -> Bound {
        switch self {
        case .column(let c, let t): .column(c == from ? to : c, t)
        case .codeTable(let c, let truth, let n): .codeTable(column: c == from ? to : c, truth: truth, nullTruth: n)
        default: mapChildren { $0.remapped(from, to: to) }
        }
    }

    /// Whether a function over the result's rows (share, cumsum, row_number) is called in it.
    var readsRows: Bool {
        var found = false
        func visit(_ b: Bound) -> Bound {
            if case .call(let f, _, _) = b, f.overRows { found = true }
            return b.mapChildren(visit)
        }
        _ = visit(self)
        return found
    }

    /// The same node with `f` applied to each of its operands (leaves are themselves).
    func mapChildren<E: Error>(_ f: (Bound) throws(E) -> Bound) throws(E) -> Bound {
        switch self {
        case .column, .codeTable, .constant: return self
        case .negate(let e, let t): return .negate(try f(e), t)
        case .not(let e): return .not(try f(e))
        case .arithmetic(let op, let a, let b, let t, let o): return .arithmetic(op, try f(a), try f(b), t, o)
        case .compare(let op, let a, let b): return .compare(op, try f(a), try f(b))
        case .logical(let op, let a, let b): return .logical(op, try f(a), try f(b))
        case .isNull(let e, let n): return .isNull(try f(e), negated: n)
        case .inList(let e, let items, let n):
            var mapped: [Bound] = []
            for item in items { mapped.append(try f(item)) }
            return .inList(try f(e), mapped, negated: n)
        case .between(let a, let b, let c): return .between(try f(a), try f(b), try f(c))
        case .contains(let a, let b): return .contains(try f(a), try f(b))
        case .call(let fn, let args, let t):
            var mapped: [Bound] = []
            for a in args { mapped.append(try f(a)) }
            return .call(fn, mapped, t)
        case .shift(let e, let k, let t, let o): return .shift(try f(e), k, t, o)
        }
    }
}
