import Storage
import TextSupport

/// A recursive-descent parser: one function per grammar rule, each consuming at least one
/// token or failing, so every loop makes progress. Errors say what was expected and what was
/// found, at the found token.
///
///     query      := NAME clause*                     ('|' may stand between clauses)
///     clause     := 'where' expr | aggregates | 'by' keys ['across' NAME ['total']]
///                 | 'select' items | 'sort' sortkeys | 'top' INT 'by' sortkey
///                 | 'limit' INT | 'join' NAME 'on' (NAME (',' NAME)* | NAME '=' NAME)
///                 | 'total' ['by' NAME] ['as' (STRING | NAME)]
///                 | 'rank' 'by' expr ['desc'|'asc'] ['within' NAME (',' NAME)*] ['as' NAME]
///                 | 'changes' 'from' NAME 'on' NAME (',' NAME)*
///     aggregates := aggregate (',' aggregate)* ['by' keys ['across' NAME ['total']]]
///     aggregate  := ('count' ['distinct'] [expr] | ('sum'|'avg'|'min'|'max'|'median') expr)
///                   ['if' expr] ['as' NAME]
///     expr       := or;  or := and ('or' and)*;  and := not ('and' not)*;  not := 'not' not | cmp
///     cmp        := add [('='|'!='|'<>'|'<'|'<='|'>'|'>=') add | ['not'] 'in' '(' list ')'
///                   | ['not'] 'between' add 'and' add | 'contains' add | 'is' ['not'] 'null']
///     add        := mul (('+'|'-') mul)*;  mul := unary (('*'|'/') unary)*;  unary := '-' unary | primary
///     primary    := literal | NAME | NAME '(' [expr (',' expr)*] ')' | '(' expr ')'
public struct Parser {
    let lexer: Lexer
    let tokens: [Token]
    var position = 0
    /// Nesting depth of parentheses and prefix operators, bounded so that a hostile statement
    /// cannot overflow the stack.
    var depth = 0
    static let maxDepth = 200

    static let clauseKeywords: Set<String> = ["where", "by", "across", "select", "sort", "top", "limit", "join", "total", "rank", "changes",
                                              "count", "sum", "avg", "min", "max", "median"]
    static let aggregateKeywords: Set<String> = ["count", "sum", "avg", "min", "max", "median"]
    /// Words that end an expression (besides punctuation).
    static let stopWords: Set<String> = clauseKeywords.union(["as", "if", "on", "asc", "desc", "and", "or", "within"])
    /// Words that can never start a value.
    static let structuralWords: Set<String> = ["as", "if", "on", "asc", "desc", "and", "or", "by", "where", "select", "sort",
                                               "top", "limit", "join", "across", "in", "between", "contains", "is"]

    /// Values for `$NAME` (from `--set` and `.set`).
    let parameters: [String: String]

    public init(_ text: String, parameters: [String: String] = [:]) throws(Diagnostic) {
        lexer = Lexer(text)
        tokens = try Lexer.tokenize(text)
        self.parameters = parameters
    }

    public static func parse(_ text: String, parameters: [String: String] = [:]) throws(Diagnostic) -> Query {
        var p = try Parser(text, parameters: parameters)
        return try p.query()
    }

    /// A parameter's value as one literal: a number, a money amount, a date, true/false/null,
    /// or text (quoted or a plain word). It is never read as syntax.
    static func literal(parameter value: String) -> Literal {
        let v = value.trimmingWhitespace
        if let i = Int64(v) { return .integer(i) }
        if v.first?.isNumber == true || v.first == "-" || v.first == ".", let d = FixedDecimal(v) { return .decimal(d) }
        if v.hasSuffix("万") || v.hasSuffix("亿"), let d = FixedDecimal(String(v.dropLast())),
           let yuan = d.shifted(by: v.hasSuffix("亿") ? 8 : 4) {
            return .money(yuan: yuan)
        }
        if v.count >= 8, let days = CivilDate.parse(v) { return .date(days) }
        switch v.lowercased() {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "null": return .null
        default: break
        }
        if v.count >= 2, let q = v.first, q == "'" || q == "\"", v.last == q {
            return .text(String(v.dropFirst().dropLast()))
        }
        return .text(v)
    }

    // MARK: tokens

    var current: Token { tokens[position] }

    func word(_ t: Token) -> String? {
        t.kind == .identifier ? lexer.text(t.range).lowercased() : nil
    }

    func isWord(_ w: String, _ offset: Int = 0) -> Bool {
        let k = min(position + offset, tokens.count - 1)
        return word(tokens[k]) == w
    }

    mutating func advance() -> Token {
        let t = tokens[position]
        if t.kind != .end { position += 1 }
        return t
    }

    mutating func accept(_ w: String) -> Token? {
        isWord(w) ? advance() : nil
    }

    mutating func accept(_ k: Token.Kind) -> Token? {
        current.kind == k ? advance() : nil
    }

    func describe(_ t: Token) -> String {
        switch t.kind {
        case .end: return QueryMessage.endOfStatement()
        case .identifier:
            let w = lexer.text(t.range)
            return Parser.clauseKeywords.contains(w.lowercased()) || Parser.stopWords.contains(w.lowercased()) ? "'\(w)'" : "'\(w)'"
        default: return "'\(lexer.text(t.range))'"
        }
    }

    func expected(_ what: String) -> Diagnostic {
        let t = current
        let range = t.kind == .end ? SourceRange(max(0, t.range.start - 1), t.range.start) : t.range
        return Diagnostic(QueryMessage.expectedFound(what, describe(t)), at: range)
    }

    mutating func expect(_ w: String, _ what: String? = nil) throws(Diagnostic) -> Token {
        guard let t = accept(w) else { throw expected(what ?? "'\(w)'") }
        return t
    }

    mutating func expect(_ k: Token.Kind, _ what: String) throws(Diagnostic) -> Token {
        guard let t = accept(k) else { throw expected(what) }
        return t
    }

    /// A name: a plain word that is not a keyword of the place, or a back-quoted name.
    mutating func name(_ what: String) throws(Diagnostic) -> (String, SourceRange) {
        let t = current
        if t.kind == .quotedIdentifier || t.kind == .identifier {
            position += 1
            return (lexer.identifier(t), t.range)
        }
        throw expected(what)
    }

    // MARK: query and clauses

    public mutating func query() throws(Diagnostic) -> Query {
        guard current.kind == .identifier || current.kind == .quotedIdentifier else { throw expected(QueryMessage.aTableName()) }
        let (table, tableRange) = try name(QueryMessage.aTableName())
        var clauses: [Clause] = []
        while true {
            while accept(.pipe) != nil {}
            if current.kind == .end { break }
            clauses.append(try clause())
        }
        return Query(table: table, tableRange: tableRange, clauses: clauses)
    }

    mutating func clause() throws(Diagnostic) -> Clause {
        let start = current.range.start
        guard let w = word(current), Parser.clauseKeywords.contains(w) else {
            throw expected(QueryMessage.aClause())
        }
        let kind: ClauseKind
        switch w {
        case "where":
            _ = advance()
            kind = .filter(try expression())
        case "by":
            _ = advance()
            let keys = try namedList()
            kind = .aggregate([], by: keys, across: try across())
        case "select":
            _ = advance()
            kind = .select(try namedList())
        case "sort":
            _ = advance()
            var keys = [try sortKey()]
            while accept(.comma) != nil { keys.append(try sortKey()) }
            kind = .sort(keys)
        case "top":
            _ = advance()
            let n = try count("top")
            _ = try expect("by", QueryMessage.byAfterTop(n))
            kind = .top(n, try sortKey())
        case "limit":
            _ = advance()
            kind = .limit(try count("limit"))
        case "join":
            _ = advance()
            let (table, range) = try name(QueryMessage.aTableAfterJoin())
            _ = try expect("on", QueryMessage.onAndKeys())
            let (first, firstRange) = try name(QueryMessage.aKeyAfterOn())
            if accept(.equal) != nil {
                let (second, secondRange) = try name(QueryMessage.rightKeyAfterEqual())
                kind = .join(table, range, .equal(first, firstRange, second, secondRange))
            } else {
                var names = [(first, firstRange)]
                while accept(.comma) != nil { names.append(try name(QueryMessage.aKeyColumn())) }
                kind = .join(table, range, .columns(names))
            }
        case "total":
            let word = advance()
            var by: (String, SourceRange)? = nil
            if accept("by") != nil { by = try name(QueryMessage.keyAfterTotalBy()) }
            var label: String? = nil
            if accept("as") != nil {
                if current.kind == .string {
                    label = lexer.stringValue(advance())
                } else {
                    label = try name(QueryMessage.labelAfterTotalAs()).0
                }
            }
            kind = .total(by: by, label: label, range: word.range)
        case "rank":
            _ = advance()
            _ = try expect("by", QueryMessage.byAfterRank())
            let key = try sortKey()
            var within: [(String, SourceRange)] = []
            if accept("within") != nil {
                within.append(try name(QueryMessage.aColumnAfterWithin()))
                while accept(.comma) != nil { within.append(try name(QueryMessage.aColumn())) }
            }
            var alias: String? = nil
            if accept("as") != nil { alias = try name(QueryMessage.aNameAfterAs()).0 }
            kind = .rank(key, within: within, alias: alias)
        case "changes":
            _ = advance()
            _ = try expect("from", QueryMessage.fromAndEarlierTable())
            let (table, range) = try name(QueryMessage.earlierTableAfterFrom())
            _ = try expect("on", QueryMessage.onAndKeysOfBoth())
            var keys = [try name(QueryMessage.aKeyAfterOn())]
            while accept(.comma) != nil { keys.append(try name(QueryMessage.aKeyColumn())) }
            kind = .changes(table, range, on: keys)
        case "across":
            throw Diagnostic(QueryMessage.acrossAfterAggregation(), at: current.range)
        default:
            var aggregates = [try aggregate()]
            while accept(.comma) != nil { aggregates.append(try aggregate()) }
            var keys: [NamedExpr] = []
            var acrossColumn: Across? = nil
            if accept("by") != nil {
                keys = try namedList()
                acrossColumn = try across()
            } else if isWord("across") {
                throw Diagnostic(QueryMessage.acrossNeedsKeys(lexer.text(tokens[position + 1].range)), at: current.range)
            }
            kind = .aggregate(aggregates, by: keys, across: acrossColumn)
        }
        return Clause(kind: kind, range: SourceRange(start, tokens[max(0, position - 1)].range.end))
    }

    mutating func across() throws(Diagnostic) -> Across? {
        guard accept("across") != nil else { return nil }
        let (column, range) = try name(QueryMessage.aColumnAfterAcross())
        return Across(name: column, range: range, total: accept("total") != nil)
    }

    mutating func count(_ clause: String) throws(Diagnostic) -> Int {
        let t = current
        guard t.kind == .integer, let n = Int(lexer.text(t.range)) else { throw expected(QueryMessage.aWholeNumberAfter(clause)) }
        position += 1
        return n
    }

    mutating func sortKey() throws(Diagnostic) -> SortKey {
        let e = try expression()
        if accept("desc") != nil { return SortKey(expr: e, descending: true) }
        if accept("asc") != nil { return SortKey(expr: e, descending: false) }
        return SortKey(expr: e, descending: nil)
    }

    mutating func namedList() throws(Diagnostic) -> [NamedExpr] {
        var items = [try named()]
        while accept(.comma) != nil { items.append(try named()) }
        return items
    }

    mutating func named() throws(Diagnostic) -> NamedExpr {
        let e = try expression()
        if accept("as") != nil { return NamedExpr(expr: e, alias: try name(QueryMessage.aNameAfterAs()).0) }
        return NamedExpr(expr: e, alias: nil)
    }

    /// Whether an aggregate's argument follows: anything but the end of the aggregate.
    func argumentFollows() -> Bool {
        switch current.kind {
        case .end, .comma, .pipe, .semicolon, .rightParen: return false
        case .identifier: return !Parser.stopWords.contains(lexer.text(current.range).lowercased())
        default: return true
        }
    }

    mutating func aggregate() throws(Diagnostic) -> Aggregate {
        let start = current.range.start
        guard let w = word(current), Parser.aggregateKeywords.contains(w) else {
            throw expected(QueryMessage.anAggregate())
        }
        _ = advance()
        var function = AggregateFunction(rawValue: w)!
        var argument: Expr? = nil
        if function == .count {
            if accept("distinct") != nil {
                function = .countDistinct
                argument = try expression()
            } else if argumentFollows() {
                argument = try expression()
            }
        } else {
            switch current.kind {
            case .end, .comma, .pipe, .semicolon, .rightParen: throw expected(QueryMessage.aColumnOrExpressionAfter(w))
            default: argument = try expression()
            }
        }
        var condition: Expr? = nil
        if accept("if") != nil { condition = try expression() }
        var alias: String? = nil
        if accept("as") != nil { alias = try name(QueryMessage.aNameAfterAs()).0 }
        return Aggregate(function: function, argument: argument, condition: condition, alias: alias,
                         range: SourceRange(start, tokens[position - 1].range.end))
    }

    // MARK: expressions

    public mutating func expression() throws(Diagnostic) -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxDepth { throw Diagnostic(QueryMessage.nestsTooDeeply(), at: current.range) }
        return try orExpr()
    }

    mutating func orExpr() throws(Diagnostic) -> Expr {
        var operands = [try andExpr()]
        var operators: [BinaryOperator] = []
        while accept("or") != nil {
            operators.append(.or)
            operands.append(try andExpr())
        }
        return Parser.chain(operands, operators)
    }

    mutating func andExpr() throws(Diagnostic) -> Expr {
        var operands = [try notExpr()]
        var operators: [BinaryOperator] = []
        while accept("and") != nil {
            operators.append(.and)
            operands.append(try notExpr())
        }
        return Parser.chain(operands, operators)
    }

    mutating func notExpr() throws(Diagnostic) -> Expr {
        if let t = accept("not") {
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth { throw Diagnostic(QueryMessage.nestsTooDeeply(), at: t.range) }
            let inner = try notExpr()
            return Expr(kind: .not(inner), range: SourceRange(t.range.start, inner.range.end))
        }
        return try comparison()
    }

    mutating func comparison() throws(Diagnostic) -> Expr {
        let left = try additive()
        let ops: [Token.Kind: BinaryOperator] = [.equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
                                                 .greater: .greater, .greaterEqual: .greaterEqual]
        if let op = ops[current.kind] {
            _ = advance()
            let right = try additive()
            return Expr(kind: .binary(op, left, right), range: SourceRange(left.range.start, right.range.end))
        }
        var negated = false
        if isWord("not"), isWord("in", 1) || isWord("between", 1) {
            _ = advance()
            negated = true
        }
        if accept("in") != nil {
            _ = try expect(.leftParen, QueryMessage.openListAfterIn())
            var items = [try additive()]
            while accept(.comma) != nil { items.append(try additive()) }
            let close = try expect(.rightParen, QueryMessage.commaOrCloseInList())
            return Expr(kind: .inList(left, items, negated: negated), range: SourceRange(left.range.start, close.range.end))
        }
        if accept("between") != nil {
            let low = try additive()
            _ = try expect("and", QueryMessage.andInBetween())
            let high = try additive()
            let e = Expr(kind: .between(left, low, high), range: SourceRange(left.range.start, high.range.end))
            return negated ? Expr(kind: .not(e), range: e.range) : e
        }
        if accept("contains") != nil {
            let right = try additive()
            return Expr(kind: .contains(left, right), range: SourceRange(left.range.start, right.range.end))
        }
        if accept("is") != nil {
            let not = accept("not") != nil
            let null = try expect("null", not ? QueryMessage.nullAfterIsNot() : QueryMessage.nullAfterIs())
            return Expr(kind: .isNull(left, negated: not), range: SourceRange(left.range.start, null.range.end))
        }
        return left
    }

    mutating func additive() throws(Diagnostic) -> Expr {
        var operands = [try multiplicative()]
        var operators: [BinaryOperator] = []
        while current.kind == .plus || current.kind == .minus {
            operators.append(advance().kind == .plus ? .add : .subtract)
            operands.append(try multiplicative())
        }
        return Parser.chain(operands, operators)
    }

    mutating func multiplicative() throws(Diagnostic) -> Expr {
        var operands = [try unary()]
        var operators: [BinaryOperator] = []
        while current.kind == .star || current.kind == .slash {
            operators.append(advance().kind == .star ? .multiply : .divide)
            operands.append(try unary())
        }
        return Parser.chain(operands, operators)
    }

    /// Chains of one precedence level longer than this are built as balanced trees.
    static let balancedChain = 32

    /// `a op b op c …` of one precedence level. Up to `balancedChain` operands it is the usual
    /// left-nested tree, ((a op b) op c) …; a longer chain (a generated query of 100,000 terms)
    /// is a balanced one, so that every later pass over the tree — binding, planning, evaluating,
    /// each recursive — goes log n deep instead of n (a stack overflow) and takes linear time:
    /// `and`/`or` regrouped, `a + b − c + d` as (a + b + d) − (c), `a × b ÷ c` as (a × b) ÷ (c),
    /// each sum or product balanced. Regrouping is exact for `and`, `or`, and exact `+ − ×`; it
    /// can move where a float rounds or where an overflow or a quotient's rounding happens.
    static func chain(_ operands: [Expr], _ operators: [BinaryOperator]) -> Expr {
        func node(_ op: BinaryOperator, _ l: Expr, _ r: Expr) -> Expr {
            Expr(kind: .binary(op, l, r), range: SourceRange(l.range.start, r.range.end))
        }
        guard operands.count > balancedChain else {
            var left = operands[0]
            for (op, right) in zip(operators, operands.dropFirst()) { left = node(op, left, right) }
            return left
        }
        func balanced(_ xs: ArraySlice<Expr>, _ op: BinaryOperator) -> Expr {
            if xs.count == 1 { return xs.first! }
            let middle = xs.startIndex + xs.count / 2
            return node(op, balanced(xs[..<middle], op), balanced(xs[middle...], op))
        }
        let inverse: BinaryOperator? = switch operators[0] {
        case .add, .subtract: .subtract
        case .multiply, .divide: .divide
        default: nil
        }
        guard let inverse else { return balanced(operands[...], operators[0]) }
        let forward: BinaryOperator = inverse == .subtract ? .add : .multiply
        var kept = [operands[0]], inverted: [Expr] = []
        for (op, x) in zip(operators, operands.dropFirst()) {
            if op == inverse { inverted.append(x) } else { kept.append(x) }
        }
        let head = balanced(kept[...], forward)
        return inverted.isEmpty ? head : node(inverse, head, balanced(inverted[...], forward))
    }

    mutating func unary() throws(Diagnostic) -> Expr {
        if let t = accept(.minus) {
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxDepth { throw Diagnostic(QueryMessage.nestsTooDeeply(), at: t.range) }
            let inner = try unary()
            return Expr(kind: .negate(inner), range: SourceRange(t.range.start, inner.range.end))
        }
        return try primary()
    }

    mutating func primary() throws(Diagnostic) -> Expr {
        let t = current
        switch t.kind {
        case .integer:
            position += 1
            guard let v = Int64(lexer.text(t.range)) else { throw Diagnostic(QueryMessage.numberTooLarge(), at: t.range) }
            return Expr(kind: .literal(.integer(v)), range: t.range)
        case .decimal:
            position += 1
            guard let d = FixedDecimal(lexer.text(t.range)) else {
                throw Diagnostic(QueryMessage.numberTooManyDigits(), at: t.range)
            }
            return Expr(kind: .literal(.decimal(d)), range: t.range)
        case .money:
            position += 1
            var text = Substring(lexer.text(t.range))
            if text.hasSuffix("元") { text = text.dropLast() }
            let power = text.hasSuffix("亿") ? 8 : text.hasSuffix("万") ? 4 : 0
            if power != 0 { text = text.dropLast() }
            guard let yuan = FixedDecimal(String(text))?.shifted(by: power) else {
                throw Diagnostic(QueryMessage.amountTooManyDigits(), at: t.range)
            }
            return Expr(kind: .literal(.money(yuan: yuan)), range: t.range)
        case .string:
            position += 1
            return Expr(kind: .literal(.text(lexer.stringValue(t))), range: t.range)
        case .date:
            position += 1
            guard let days = CivilDate.parse(lexer.text(t.range)) else {
                throw Diagnostic(QueryMessage.invalidDate(lexer.text(t.range)), at: t.range)
            }
            return Expr(kind: .literal(.date(days)), range: t.range)
        case .timestamp:
            position += 1
            let text = String(lexer.text(t.range).dropFirst())
            guard let micros = Timestamp.parse(text) else {
                throw Diagnostic(QueryMessage.invalidTimestamp(text), at: t.range)
            }
            return Expr(kind: .literal(.timestamp(micros)), range: t.range)
        case .leftParen:
            position += 1
            let inner = try expression()
            let close = try expect(.rightParen, QueryMessage.closeParen(t.range.start + 1))
            return Expr(kind: inner.kind, range: SourceRange(t.range.start, close.range.end))
        case .quotedIdentifier:
            position += 1
            return Expr(kind: .name(lexer.identifier(t)), range: t.range)
        case .identifier:
            let w = lexer.text(t.range)
            switch w.lowercased() {
            case "true": position += 1; return Expr(kind: .literal(.bool(true)), range: t.range)
            case "false": position += 1; return Expr(kind: .literal(.bool(false)), range: t.range)
            case "null": position += 1; return Expr(kind: .literal(.null), range: t.range)
            default: break
            }
            if tokens[position + 1].kind == .leftParen {
                position += 2
                var args: [Expr] = []
                if current.kind != .rightParen {
                    args.append(try expression())
                    while accept(.comma) != nil { args.append(try expression()) }
                }
                let close = try expect(.rightParen, QueryMessage.commaOrCloseAfterArguments(w))
                return Expr(kind: .call(w, nameRange: t.range, args), range: SourceRange(t.range.start, close.range.end))
            }
            // Clause words may name columns (`sum count` after `count by stage`); only the
            // words that join or end expressions cannot.
            if Parser.structuralWords.contains(w.lowercased()) {
                throw expected(QueryMessage.aValueOrColumn())
            }
            position += 1
            return Expr(kind: .name(w), range: t.range)
        case .parameter:
            let name = String(lexer.text(t.range).dropFirst())
            guard let value = parameters[name] ?? parameters.first(where: { $0.key.lowercased() == name.lowercased() })?.value else {
                let hint = closestName(to: name, among: Array(parameters.keys)).map { [QueryMessage.didYouMeanParameter($0)] } ?? []
                throw Diagnostic(QueryMessage.parameterHasNoValue(name), at: t.range,
                                 notes: hint + [QueryMessage.defineParameter(name)])
            }
            position += 1
            return Expr(kind: .literal(Parser.literal(parameter: value)), range: t.range)
        default:
            throw expected(QueryMessage.aValueOrColumn())
        }
    }
}
