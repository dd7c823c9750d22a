import Storage
import TextSupport

/// Resolves an expression's names against the columns in scope and works out its type,
/// applying the language's rules: bare words, money units, ordered categories, null.
struct Binder {
    let columns: Schema
    let source: String
    /// Notes that do not stop the query (a value a category never holds).
    var notes: [Diagnostic] = []
    /// Whether functions over the result's rows (share, cumsum, row_number) may be used: in a
    /// `select` only.
    var allowsRowFunctions = false

    /// The statement's bytes, made once (a text taken per expression from the String would copy
    /// it each time: quadratic in a generated query's length).
    let sourceBytes: [UInt8]

    init(columns: Schema, source: String, sourceBytes: [UInt8]? = nil) {
        self.columns = columns
        self.source = source
        self.sourceBytes = sourceBytes ?? Array(source.utf8)
    }

    func text(_ r: SourceRange) -> String {
        String(decoding: sourceBytes[r.start..<r.end], as: UTF8.self)
    }

    /// The column called `name`, exact match first, then case-insensitively.
    func columnIndex(_ name: String) -> Int? {
        if let i = columns.firstIndex(where: { $0.name == name }) { return i }
        let key = name.lowercased()
        return columns.firstIndex { $0.name.lowercased() == key }
    }

    func type(of c: Int) -> DataType { columns[c].type }

    func unknownColumn(_ name: String, _ range: SourceRange) -> Diagnostic {
        let names = columns.map(\.name)
        var notes: [String] = []
        if let close = closestName(to: name, among: names) { notes.append(QueryMessage.didYouMean(close)) }
        notes.append(QueryMessage.columnsHere(names.joined(separator: ", ")))
        return Diagnostic(QueryMessage.unknownColumn(name), at: range, notes: notes)
    }

    /// Binds `e`. `asValue`: a bare word that names no column is text there.
    mutating func bind(_ e: Expr, asValue: Bool = false) throws(Diagnostic) -> Bound {
        switch e.kind {
        case .name(let n):
            if let c = columnIndex(n) { return .column(c, type(of: c)) }
            if asValue { return .constant(.text(n), .text) }
            throw unknownColumn(n, e.range)
        case .literal(let lit):
            switch lit {
            case .integer(let v): return .constant(.int(v), .int)
            case .decimal(let v): return .constant(.decimal(v), .decimal(scale: v.scale))
            case .money(let yuan): return .constant(.decimal(yuan), .decimal(scale: yuan.scale))
            case .text(let s): return .constant(.text(s), .text)
            case .date(let d): return .constant(.date(d), .date)
            case .timestamp(let t): return .constant(.timestamp(t), .timestamp)
            case .bool(let b): return .constant(.bool(b), .bool(chinese: false))
            case .null: return .constant(.null, .null)
            }
        case .negate(let inner):
            let b = try bind(inner)
            guard b.type.isNumeric || b.type == .null else {
                throw Diagnostic(QueryMessage.minusNeedsNumber(text(inner.range), b.type), at: inner.range)
            }
            if case .constant(.int(let v), let t) = b { return .constant(.int(-v), t) }
            if case .constant(.decimal(let v), let t) = b { return .constant(.decimal(FixedDecimal(units: -v.units, scale: v.scale)), t) }
            if case .constant(.float(let v), let t) = b { return .constant(.float(-v), t) }
            return .negate(b, b.type)
        case .not(let inner):
            let b = try predicate(inner)
            return optimize(.not(b))
        case .binary(let op, let l, let r):
            switch op {
            case .and, .or:
                return optimize(.logical(op, try predicate(l), try predicate(r)))
            case .add, .subtract, .multiply, .divide:
                return try arithmetic(op, l, r, e.range)
            default:
                let (a, b) = try comparable(l, r, op: text(e.range))
                return optimize(.compare(op, a, b))
            }
        case .inList(let subject, let items, let negated):
            let s = try bind(subject)
            var bound: [Bound] = []
            for item in items {
                let (_, b) = try comparable(subject, item, op: "in", left: s)
                bound.append(b)
            }
            return optimize(.inList(s, bound, negated: negated))
        case .between(let subject, let low, let high):
            let s = try bind(subject)
            let (_, lo) = try comparable(subject, low, op: "between", left: s)
            let (_, hi) = try comparable(subject, high, op: "between", left: s)
            return optimize(.between(s, lo, hi))
        case .contains(let l, let r):
            let a = try bind(l)
            guard a.type.isTextual || a.type == .null else {
                throw Diagnostic(QueryMessage.containsNeedsText(text(l.range), a.type), at: l.range)
            }
            let b = try bind(r, asValue: true)
            guard b.type.isTextual || b.type == .null else {
                throw Diagnostic(QueryMessage.containsNeedsTextToFind(text(r.range), b.type), at: r.range)
            }
            return optimize(.contains(a, b))
        case .isNull(let inner, let negated):
            return optimize(.isNull(try bind(inner), negated: negated))
        case .call(let name, let nameRange, let args):
            return try call(name, nameRange, args, e.range)
        }
    }

    /// Binds a condition: it must be true/false (a bool column is itself a condition).
    mutating func predicate(_ e: Expr) throws(Diagnostic) -> Bound {
        let b = try bind(e)
        guard b.type.isBool || b.type == .null else {
            throw Diagnostic(QueryMessage.expectedCondition(text(e.range), b.type), at: e.range,
                             notes: [QueryMessage.compareIt(text(e.range))])
        }
        return b
    }

    /// Binds both sides of a comparison and makes them meet: money literals take the other
    /// side's unit, bare words become text, text becomes a date beside a date.
    mutating func comparable(_ l: Expr, _ r: Expr, op: String, left: Bound? = nil) throws(Diagnostic) -> (Bound, Bound) {
        var a: Bound
        if let left { a = left } else { a = try bind(l, asValue: true) }
        var b = try bind(r, asValue: true)
        // Two bare words and no column: the first was meant as a column (a typo, most likely).
        if left == nil, isBareText(a, l), b.columns.isEmpty, case .name(let n) = l.kind { throw unknownColumn(n, l.range) }
        a = adaptMoney(a, l, to: b.type)
        b = adaptMoney(b, r, to: a.type)
        // A constant beside a bool, date or timestamp, read as one (是/否, '2015-03-01', a date
        // beside a timestamp: its midnight).
        b = Binder.constant(b, as: a.type) ?? b
        a = Binder.constant(a, as: b.type) ?? a
        (a, b) = meetInUnit(a, l, b, r)
        guard compatible(a.type, b.type) else {
            // Underline the side that is a value (a bare word or literal) if there is one.
            let underline = b.columns.isEmpty ? r.range : (a.columns.isEmpty ? l.range : r.range)
            var notes: [String] = []
            for (side, e) in [(a, l), (b, r)] where isBareText(side, e) {
                if case .constant(.text(let word), _) = side { notes.append(QueryMessage.readAsText(word)) }
            }
            throw Diagnostic(QueryMessage.cannotCompare(text(l.range), a.type, text(r.range), b.type), at: underline, notes: notes)
        }
        try checkCategoryValue(a, b, r)
        try checkCategoryValue(b, a, l)
        return (a, b)
    }

    /// A text (or date) constant as a value of `type` when it reads as one — a bool's spellings
    /// (those of a CSV cell), a date, a timestamp (a date is its midnight) — else nil.
    static func constant(_ b: Bound, as type: DataType) -> Bound? {
        switch (b, type) {
        case (.constant(.text(let s), _), .bool):
            return parseBool(s).map { .constant(.bool($0), type) }
        case (.constant(.text(let s), _), .date):
            return CivilDate.parse(s).map { .constant(.date($0), .date) }
        case (.constant(.text(let s), _), .timestamp):
            return Timestamp.parse(s).map { .constant(.timestamp($0), .timestamp) }
        case (.constant(.date(let d), _), .timestamp):
            return .constant(.timestamp(Timestamp.of(days: d)), .timestamp)
        default:
            return nil
        }
    }

    func isBareText(_ b: Bound, _ e: Expr) -> Bool {
        if case .name = e.kind, case .constant(.text, _) = b { return true }
        return false
    }

    /// A money literal (`1亿`) beside money of unit u is that many u, exactly (800元 beside 万元
    /// is 0.08).
    func adaptMoney(_ b: Bound, _ e: Expr, to other: DataType) -> Bound {
        var negative = false
        var literal = e
        if case .negate(let inner) = e.kind { literal = inner; negative = true }
        guard case .literal(.money(let yuan)) = literal.kind, let u = other.moneyUnit,
              let amount = yuan.shifted(by: -u.powerOfTen) else { return b }
        let value = FixedDecimal(units: negative ? -amount.units : amount.units, scale: amount.scale)
        return .constant(.decimal(value), .money(u, scale: value.scale))
    }

    /// Money of two units meets in the smaller one (亿元 beside 元 is read in 元): the
    /// conversion multiplies, so it is exact.
    func meetInUnit(_ a: Bound, _ l: Expr, _ b: Bound, _ r: Expr) -> (Bound, Bound) {
        guard let u = a.type.moneyUnit, let v = b.type.moneyUnit, u != v else { return (a, b) }
        let smaller = u.powerOfTen < v.powerOfTen ? u : v
        return (inUnit(a, l, smaller), inUnit(b, r, smaller))
    }

    /// Money `b` (written as `e`) in `unit`, a unit no larger than its own: its units multiplied.
    func inUnit(_ b: Bound, _ e: Expr, _ unit: MoneyUnit) -> Bound {
        guard case .money(let u, let s) = b.type, u != unit else { return b }
        return .shift(b, u.powerOfTen - unit.powerOfTen, .money(unit, scale: s), ArithmeticOrigin(range: e.range, text: QueryMessage.inUnit(text(e.range), unit.rawValue)))
    }

    func compatible(_ a: DataType, _ b: DataType) -> Bool {
        if a == .null || b == .null { return true }
        if a.isNumeric && b.isNumeric { return true }
        if a.isTextual && b.isTextual { return true }
        if a.isBool && b.isBool { return true }
        return a == b
    }

    /// A category compared with a value it never holds: a note for `=`/`in`, which just match
    /// nothing; an error for an order comparison on an ordered category.
    mutating func checkCategoryValue(_ column: Bound, _ value: Bound, _ valueExpr: Expr) throws(Diagnostic) {
        guard case .column(let c, .category(let ordered)) = column, case .constant(.text(let s), _) = value,
              let d = columns[c].dictionary, d.code(of: s) == nil else { return }
        let values = d.allValues
        let message = closestName(to: s, among: values).map { QueryMessage.notAValueDidYouMean(s, columns[c].name, $0) }
            ?? QueryMessage.notAValue(s, columns[c].name)
        if ordered && !values.isEmpty {
            notes.append(Diagnostic(message, at: valueExpr.range, severity: .note,
                                    notes: [QueryMessage.itsValuesInOrder(values.joined(separator: " < "))]))
        } else {
            notes.append(Diagnostic(message, at: valueExpr.range, severity: .note))
        }
    }

    mutating func arithmetic(_ op: BinaryOperator, _ l: Expr, _ r: Expr, _ range: SourceRange) throws(Diagnostic) -> Bound {
        var a = try bind(l)
        var b = try bind(r)
        if op != .multiply {
            a = adaptMoney(a, l, to: b.type)
            b = adaptMoney(b, r, to: a.type)
        }
        // Dates: date ± days, date − date.
        let origin = ArithmeticOrigin(range: range, text: text(range))
        if a.type == .date, b.type == .int, op == .add || op == .subtract { return .arithmetic(op, a, b, .date, origin) }
        if a.type == .date, b.type == .date, op == .subtract { return .arithmetic(op, a, b, .int, origin) }
        for (side, e) in [(a, l), (b, r)] where !(side.type.isNumeric || side.type == .null) {
            throw Diagnostic(QueryMessage.operatorNeedsNumbers(op.rawValue, text(e.range), side.type), at: e.range)
        }
        if op != .multiply { (a, b) = meetInUnit(a, l, b, r) }
        let type = Binder.arithmeticType(op, a.type, b.type)
        if case .constant(let x, _) = a, case .constant(let y, _) = b, x != .null, y != .null {
            let evaluator = Evaluator(columns: [])
            let v = evaluator.arithmetic(op, Vector.constant(x, count: 1), Vector.constant(y, count: 1), type, origin).value(0)
            if let overflow = evaluator.trap.diagnostic { throw overflow }
            return .constant(v, type)
        }
        return .arithmetic(op, a, b, type, origin)
    }

    /// The type of `a op b` for numbers: int with int stays int except for `/`; a float makes a
    /// float; money keeps its unit (money ÷ money is a ratio); exact results keep the digits the
    /// operation needs — `+ -` the more of the two, `*` their sum, `/` six more than the more
    /// precise side — at most nine, rounded half away from zero beyond.
    static func arithmeticType(_ op: BinaryOperator, _ a: DataType, _ b: DataType) -> DataType {
        if a == .float || b == .float { return .float }
        let sa = a.scale ?? 0, sb = b.scale ?? 0
        let digits: Int
        switch op {
        case .add, .subtract: digits = Swift.max(sa, sb)
        case .multiply: digits = sa + sb
        default: digits = Swift.max(sa, sb) + 6
        }
        let scale = Swift.min(FixedDecimal.maxScale, digits)
        switch (a, b, op) {
        case (.money, .money, .divide):
            return .decimal(scale: scale)
        case (.money(let u, _), _, _), (_, .money(let u, _), .multiply), (_, .money(let u, _), .add), (_, .money(let u, _), .subtract):
            return .money(u, scale: scale)
        case (_, _, .divide):
            return .decimal(scale: scale)
        case (.int, .int, _), (.int, .null, _), (.null, .int, _):
            return .int
        default:
            return .decimal(scale: scale)
        }
    }

    mutating func call(_ name: String, _ nameRange: SourceRange, _ args: [Expr], _ range: SourceRange) throws(Diagnostic) -> Bound {
        guard let f = Function(rawValue: name.lowercased()) else {
            let all = Function.allCases.map(\.rawValue)
            let hint = closestName(to: name, among: all).map { [QueryMessage.didYouMean($0)] } ?? []
            throw Diagnostic(QueryMessage.unknownFunction(name), at: nameRange, notes: hint + [QueryMessage.functionsList(all.joined(separator: ", "))])
        }
        if f.overRows && !allowsRowFunctions {
            throw Diagnostic(QueryMessage.rowFunctionInSelect(f.rawValue, text(range)), at: range,
                             notes: [QueryMessage.whereAfterSelect()])
        }
        let arity: ClosedRange<Int> = switch f {
        case .round, .percent, .share: 1...2
        case .coalesce: 2...16
        case .rowNumber: 0...0
        default: 1...1
        }
        guard arity.contains(args.count) else {
            let message = arity.lowerBound == arity.upperBound
                ? (arity.upperBound == 1 ? QueryMessage.takesOneArgument(f.rawValue, args.count) : QueryMessage.takesArguments(f.rawValue, arity.lowerBound, args.count))
                : QueryMessage.takesArgumentsRange(f.rawValue, arity.lowerBound, arity.upperBound, args.count)
            throw Diagnostic(message, at: range)
        }
        var bound: [Bound] = []
        for a in args { bound.append(try bind(a, asValue: f == .coalesce)) }
        func need(_ ok: Bool, _ what: String, _ i: Int = 0) throws(Diagnostic) {
            if !ok { throw Diagnostic(QueryMessage.functionNeeds(f.rawValue, what, text(args[i].range), bound[i].type), at: args[i].range) }
        }
        let type: DataType
        switch f {
        case .year, .month, .quarter, .week, .day:
            try need(bound[0].type == .date || bound[0].type == .timestamp || bound[0].type == .null, QueryMessage.aDateOrTimestamp())
            // A timestamp's period is its date's.
            if bound[0].type == .timestamp { bound[0] = .call(.date, [bound[0]], .date) }
            type = f == .year || f == .day ? .int : .text
        case .date:
            try need(bound[0].type == .date || bound[0].type == .timestamp || bound[0].type == .null, QueryMessage.aDateOrTimestamp())
            type = .date
        case .hour: try need(bound[0].type == .timestamp || bound[0].type == .null, QueryMessage.aTimestamp()); type = .int
        case .round:
            try need(bound[0].type.isNumeric, QueryMessage.aNumber())
            if bound.count > 1 { try need(bound[1].type == .int, QueryMessage.aWholeNumberOfPlaces(), 1) }
            let t = bound[0].type
            if let s = t.scale, t != .int {
                // Constant places fix the result's digits; places from a column keep the input's.
                var places = bound.count == 1 ? 0 : s
                if bound.count > 1, case .constant(.int(let p), _) = bound[1] { places = Int(Swift.max(0, Swift.min(Int64(s), p))) }
                type = t.withScale(places)
            } else {
                type = t == .null ? .decimal(scale: 0) : t
            }
        case .percent, .share:
            try need(bound[0].type.isNumeric || bound[0].type == .null, QueryMessage.aNumber())
            // Digits after the point of the percentage: a constant from 0 to 7 (the ratio keeps
            // two more, at most nine).
            var digits = 1
            if bound.count > 1 {
                guard case .constant(.int(let d), _) = bound[1], (0...7).contains(d) else {
                    throw Diagnostic(QueryMessage.percentDigits(f.rawValue), at: args[1].range)
                }
                digits = Int(d)
                bound.removeLast()
            }
            type = .percent(scale: digits + 2)
        case .cumsum:
            try need(bound[0].type.isNumeric || bound[0].type == .null, QueryMessage.aNumber())
            type = bound[0].type == .null ? .int : bound[0].type.columnType
        case .rowNumber:
            type = .int
        case .abs: try need(bound[0].type.isNumeric, QueryMessage.aNumber()); type = bound[0].type
        case .lower, .upper: try need(bound[0].type.isTextual, QueryMessage.someText()); type = .text
        case .length: try need(bound[0].type.isTextual, QueryMessage.someText()); type = .int
        case .coalesce:
            var t = DataType.null
            for (i, b) in bound.enumerated() where b.type != .null {
                if t == .null { t = b.type } else if !compatible(t, b.type) {
                    throw Diagnostic(QueryMessage.coalesceOneType(text(args[i].range), b.type, t), at: args[i].range)
                }
            }
            if case .category = t { t = .text }
            // Money of several units: every amount in the smallest, as a comparison reads them.
            let units = bound.compactMap(\.type.moneyUnit)
            if let smallest = units.min(by: { $0.powerOfTen < $1.powerOfTen }), units.contains(where: { $0 != smallest }) {
                for i in bound.indices { bound[i] = inUnit(bound[i], args[i], smallest) }
                t = .money(smallest, scale: t.scale ?? 0)
            }
            // Numbers of several kinds: a float if any is, else exact at the most digits.
            let numbers = bound.map(\.type).filter(\.isNumeric)
            if numbers.contains(.float) {
                t = .float
            } else if numbers.count > 1, let s = numbers.compactMap(\.scale).max(), s > 0 || t != .int {
                t = t.withScale(s)
            }
            type = t
        }
        return .call(f, bound, type)
    }

    /// A condition on one dictionary column and constants is decided once per dictionary
    /// value; rows then look their code up.
    func optimize(_ b: Bound) -> Bound {
        let cols = b.columns
        guard cols.count == 1, let c = cols.first, let d = columns[c].dictionary else { return b }
        if case .codeTable = b { return b }
        // Evaluate over a column holding each code once, then a null.
        var codes = GrowableBuffer<UInt32>(capacity: d.count + 1)
        var validity = BitmapBuilder(capacity: d.count + 1)
        for i in 0..<d.count { codes.append(UInt32(i)); validity.append(true) }
        codes.append(0)
        validity.append(false)
        let probe = Column(name: columns[c].name, type: columns[c].type, validity: validity.finish(), data: .codes32(codes.finish(), d))
        let rows = (0...d.count).map { Int32($0) }
        guard case .bools(let truth) = Evaluator(columns: [probe]).evaluate(b.remapped(c, to: 0), rows) else { return b }
        return .codeTable(column: c, truth: Array(truth.dropLast()), nullTruth: truth.last!)
    }
}
