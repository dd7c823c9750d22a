import Storage
import CKernels
#if canImport(Glibc)
import Glibc
#endif

/// Evaluates bound expressions over a batch of rows of a relation. Each operator works on a
/// whole batch in one typed loop; the switch on the expression's shape happens once a batch.
struct Evaluator {
    let columns: [Column]
    /// Where an integer overflow is recorded; the owner of the evaluator checks it.
    let trap = ArithmeticTrap()

    func evaluate(_ b: Bound, _ rows: [Int32]) -> Vector {
        switch b {
        case .column(let c, _):
            return read(columns[c], rows)
        case .constant(let v, _):
            return .constant(v, count: rows.count)
        case .codeTable(let c, let truth, let nullTruth):
            // The filter kernel's lookup, keeping null (2) apart from false for `not` and `or`.
            if rows.isEmpty { return .bools([]) }
            var out = [UInt8](repeating: 0, count: rows.count)
            rows.withUnsafeBufferPointer { r in
                out.withUnsafeMutableBufferPointer { o in
                    FilterKernel.codeTable(columns[c], truth, nullTruth: nullTruth)
                        .mask(r.baseAddress!, r.count, into: o.baseAddress!, scratch: nil)
                }
            }
            return .bools(out)
        case .negate(let e, _):
            switch evaluate(e, rows) {
            case .ints(let v, let ok): return .ints(v.map { 0 &- $0 }, ok)
            case .decimals(let v, let ok, let s): return .decimals(v.map { 0 &- $0 }, ok, s)
            case .doubles(let v, let ok): return .doubles(v.map { -$0 }, ok)
            case let other: return other
            }
        case .not(let e):
            guard case .bools(let v) = evaluate(e, rows) else { return .bools([UInt8](repeating: 2, count: rows.count)) }
            return .bools(v.map { $0 == 2 ? 2 : 1 - $0 })
        case .logical(let op, let l, let r):
            guard case .bools(let a) = evaluate(l, rows), case .bools(let bb) = evaluate(r, rows) else {
                return .bools([UInt8](repeating: 2, count: rows.count))
            }
            var out = [UInt8](repeating: 0, count: a.count)
            if op == .and {
                for i in 0..<a.count { out[i] = (a[i] == 0 || bb[i] == 0) ? 0 : ((a[i] == 2 || bb[i] == 2) ? 2 : 1) }
            } else {
                for i in 0..<a.count { out[i] = (a[i] == 1 || bb[i] == 1) ? 1 : ((a[i] == 2 || bb[i] == 2) ? 2 : 0) }
            }
            return .bools(out)
        case .arithmetic(let op, let l, let r, let type, let origin):
            return arithmetic(op, evaluate(l, rows), evaluate(r, rows), type, origin)
        case .shift(let e, let k, let type, let origin):
            guard let (v, okIn, s) = evaluate(e, rows).asExact() else { return evaluate(e, rows) }
            var ok = okIn
            let factor = FixedDecimal.powers[k]
            let out = (0..<v.count).map { i -> Int64 in
                let (x, overflow) = v[i].multipliedReportingOverflow(by: factor)
                if overflow && ok[i] { trap.record(origin); ok[i] = false }
                return x
            }
            return type == .int ? .ints(out, ok) : .decimals(out, ok, s)
        case .compare(let op, let l, let r):
            return .bools(compare(op, evaluate(l, rows), evaluate(r, rows)))
        case .isNull(let e, let negated):
            let v = evaluate(e, rows)
            return .bools((0..<rows.count).map { v.isNull($0) != negated ? 1 : 0 })
        case .inList(let e, let items, let negated):
            let v = evaluate(e, rows)
            var out = [UInt8](repeating: 0, count: rows.count)
            var sawNull = [Bool](repeating: false, count: rows.count)
            for item in items {
                let eq = compare(.equal, v, evaluate(item, rows))
                for i in 0..<out.count {
                    if eq[i] == 1 { out[i] = 1 } else if eq[i] == 2 { sawNull[i] = true }
                }
            }
            for i in 0..<out.count {
                if v.isNull(i) { out[i] = 2 } else if out[i] == 0, sawNull[i] { out[i] = 2 }
                if negated, out[i] != 2 { out[i] = 1 - out[i] }
            }
            return .bools(out)
        case .between(let e, let lo, let hi):
            let v = evaluate(e, rows)
            let a = compare(.greaterEqual, v, evaluate(lo, rows))
            let c = compare(.lessEqual, v, evaluate(hi, rows))
            return .bools((0..<a.count).map { (a[$0] == 0 || c[$0] == 0) ? 0 : ((a[$0] == 2 || c[$0] == 2) ? 2 : 1) })
        case .contains(let l, let r):
            return .bools(contains(evaluate(l, rows), evaluate(r, rows)))
        case .call(let f, let args, let type):
            return call(f, args.map { evaluate($0, rows) }, type, rows.count)
        }
    }

    /// A column's values at `rows`.
    func read(_ column: Column, _ rows: [Int32]) -> Vector {
        let validity = column.validity
        let allValid = column.nullCount == 0
        var ok = [Bool](repeating: true, count: rows.count)
        if !allValid { for (i, r) in rows.enumerated() { ok[i] = validity.isValid(Int(r)) } }
        switch column.data {
        case .int64(let b):
            let p = b.pointer
            let values = rows.map { p[Int($0)] }
            if column.type != .int, column.type != .timestamp, let s = column.type.scale { return .decimals(values, ok, s) }
            return .ints(values, ok)
        case .float64(let b):
            let p = b.pointer
            return .doubles(rows.map { p[Int($0)] }, ok)
        case .int32(let b):
            let p = b.pointer
            return .dates(rows.map { p[Int($0)] }, ok)
        case .uint8(let b):
            let p = b.pointer
            return .bools((0..<rows.count).map { ok[$0] ? p[Int(rows[$0])] : 2 })
        case .codes8(let b, let d):
            let p = b.pointer
            return .codes((0..<rows.count).map { ok[$0] ? Int32(p[Int(rows[$0])]) : -1 }, d)
        case .codes16(let b, let d):
            let p = b.pointer
            return .codes((0..<rows.count).map { ok[$0] ? Int32(p[Int(rows[$0])]) : -1 }, d)
        case .codes32(let b, let d):
            let p = b.pointer
            return .codes((0..<rows.count).map { ok[$0] ? Int32(p[Int(rows[$0])]) : -1 }, d)
        case .strings(let h):
            return .texts((0..<rows.count).map { ok[$0] ? h.string(at: Int(rows[$0])) : nil })
        }
    }

    func arithmetic(_ op: BinaryOperator, _ a: Vector, _ b: Vector, _ type: DataType, _ origin: ArithmeticOrigin) -> Vector {
        if case .date = type, case .dates(let d, let okd) = a, case .ints(let k, let okk) = b {
            return .dates((0..<d.count).map { op == .add ? d[$0] &+ Int32(truncatingIfNeeded: k[$0]) : d[$0] &- Int32(truncatingIfNeeded: k[$0]) },
                          (0..<d.count).map { okd[$0] && okk[$0] })
        }
        if case .dates(let x, let okx) = a, case .dates(let y, let oky) = b {
            return .ints((0..<x.count).map { Int64(x[$0]) - Int64(y[$0]) }, (0..<x.count).map { okx[$0] && oky[$0] })
        }
        if type == .int, case .ints(let x, let okx) = a, case .ints(let y, let oky) = b {
            var out = [Int64](repeating: 0, count: x.count)
            var ok = [Bool](repeating: false, count: x.count)
            for i in 0..<x.count where okx[i] && oky[i] {
                let (v, overflow): (Int64, Bool)
                switch op {
                case .add: (v, overflow) = x[i].addingReportingOverflow(y[i])
                case .subtract: (v, overflow) = x[i].subtractingReportingOverflow(y[i])
                default: (v, overflow) = x[i].multipliedReportingOverflow(by: y[i])
                }
                if overflow {
                    trap.record(origin)
                    break
                }
                out[i] = v
                ok[i] = true
            }
            return .ints(out, ok)
        }
        if let s = type.scale, let (x, okx, sx) = a.asExact(), let (y, oky, sy) = b.asExact() {
            let v = exactArithmetic(op, x, okx, sx, y, oky, sy, scale: s, origin)
            if type == .int, case .decimals(let units, let ok, _) = v { return .ints(units, ok) }
            return v
        }
        guard let (x, okx) = a.asDoubles(), let (y, oky) = b.asDoubles() else {
            return .doubles([Double](repeating: 0, count: a.count), [Bool](repeating: false, count: a.count))
        }
        var out = [Double](repeating: 0, count: x.count)
        var ok = [Bool](repeating: false, count: x.count)
        for i in 0..<x.count where okx[i] && oky[i] {
            switch op {
            case .add: out[i] = x[i] + y[i]; ok[i] = true
            case .subtract: out[i] = x[i] - y[i]; ok[i] = true
            case .multiply: out[i] = x[i] * y[i]; ok[i] = true
            default:
                if y[i] != 0 { out[i] = x[i] / y[i]; ok[i] = true }   // division by zero is null
            }
        }
        return .doubles(out, ok)
    }

    /// `+ - * /` of exact decimals (units at scales sx and sy) into units at `scale`, in 128
    /// bits: the sum or difference at the larger scale, the product at sx + sy, the quotient
    /// carried to `scale`, each rounded half away from zero where `scale` is smaller. A result
    /// beyond 64 bits is an overflow error; division by zero is null.
    func exactArithmetic(_ op: BinaryOperator, _ x: [Int64], _ okx: [Bool], _ sx: Int, _ y: [Int64], _ oky: [Bool], _ sy: Int,
                         scale: Int, _ origin: ArithmeticOrigin) -> Vector {
        // A literal may carry more than nine digits after the point (a money constant converted
        // to a larger unit, or as written): rounded to nine first, as every result is, so that
        // the powers of ten below stay within 10^18.
        if sx > FixedDecimal.maxScale || sy > FixedDecimal.maxScale {
            func rounded(_ v: [Int64], _ s: Int) -> [Int64] {
                s <= FixedDecimal.maxScale ? v : v.map { FixedDecimal(units: $0, scale: s).rescaled(to: FixedDecimal.maxScale)!.units }
            }
            return exactArithmetic(op, rounded(x, sx), okx, Swift.min(sx, FixedDecimal.maxScale), rounded(y, sy), oky,
                                   Swift.min(sy, FixedDecimal.maxScale), scale: scale, origin)
        }
        let n = x.count
        var out = [Int64](repeating: 0, count: n)
        var ok = [Bool](repeating: false, count: n)
        let common = Swift.max(sx, sy)
        // Same scales and + or −: the plain integer loop.
        if (op == .add || op == .subtract), sx == sy, scale == sx {
            for i in 0..<n where okx[i] && oky[i] {
                let (v, overflow) = op == .add ? x[i].addingReportingOverflow(y[i]) : x[i].subtractingReportingOverflow(y[i])
                if overflow { trap.record(origin); break }
                out[i] = v
                ok[i] = true
            }
            return .decimals(out, ok, scale)
        }
        let px = Int128(FixedDecimal.powers[common - sx]), py = Int128(FixedDecimal.powers[common - sy])
        for i in 0..<n where okx[i] && oky[i] {
            let a = Int128(x[i]), b = Int128(y[i])
            let wide: Int128
            let at: Int
            switch op {
            case .add: wide = a * px + b * py; at = common
            case .subtract: wide = a * px - b * py; at = common
            case .multiply:
                let (high, low) = x[i].multipliedFullWidth(by: y[i])
                wide = Int128(high) << 64 | Int128(low)
                at = sx + sy
            default:
                guard b != 0 else { continue }   // division by zero is null
                // a/10^sx ÷ b/10^sy at `scale`: a × 10^(scale − sx + sy) ÷ b (the exponent is ≥ 0:
                // a quotient keeps at least the dividend's digits).
                let e = scale - sx + sy
                let numerator = e >= 0 ? a * Int128(FixedDecimal.powers[e]) : FixedDecimal.divideRounding(a, Int128(FixedDecimal.powers[-e]))
                wide = FixedDecimal.divideRounding(numerator, b)
                at = scale
            }
            var v = wide
            if at > scale { v = FixedDecimal.divideRounding(wide, Int128(FixedDecimal.powers[at - scale])) }
            if at < scale { v = wide * Int128(FixedDecimal.powers[scale - at]) }
            guard let units = Int64(exactly: v) else { trap.record(origin); break }
            out[i] = units
            ok[i] = true
        }
        return .decimals(out, ok, scale)
    }

    func compare(_ op: BinaryOperator, _ a: Vector, _ b: Vector) -> [UInt8] {
        let n = a.count
        var out = [UInt8](repeating: 2, count: n)
        @inline(__always) func verdict(_ c: Int) -> UInt8 {
            switch op {
            case .equal: c == 0 ? 1 : 0
            case .notEqual: c != 0 ? 1 : 0
            case .less: c < 0 ? 1 : 0
            case .lessEqual: c <= 0 ? 1 : 0
            case .greater: c > 0 ? 1 : 0
            default: c >= 0 ? 1 : 0
            }
        }
        switch (a, b) {
        case (.codes(let x, let dx), .codes(let y, let dy)) where dx === dy && (dx.isOrdered || op == .equal || op == .notEqual):
            for i in 0..<n where x[i] >= 0 && y[i] >= 0 { out[i] = verdict(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
        case (.codes(let x, let d), .texts(let y)) where d.isOrdered:
            // An ordered category against text compares places in the declared order; text
            // the order does not hold matches nothing.
            var codeOf: [String: Int32] = [:]
            for i in 0..<n where x[i] >= 0 {
                guard let t = y[i] else { continue }
                let c = codeOf[t] ?? Int32(d.code(of: t) ?? -1)
                codeOf[t] = c
                out[i] = c < 0 ? (op == .notEqual ? 1 : 0) : verdict(x[i] < c ? -1 : (x[i] > c ? 1 : 0))
            }
        case (.texts, .codes(_, let d)) where d.isOrdered:
            let flipped: BinaryOperator = switch op {
            case .less: .greater
            case .lessEqual: .greaterEqual
            case .greater: .less
            case .greaterEqual: .lessEqual
            default: op
            }
            return compare(flipped, b, a)
        case (.ints(let x, let okx), .ints(let y, let oky)):
            for i in 0..<n where okx[i] && oky[i] { out[i] = verdict(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
        case (.decimals(let x, let okx, let sx), .decimals(let y, let oky, let sy)) where sx == sy:
            for i in 0..<n where okx[i] && oky[i] { out[i] = verdict(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
        case (.decimals, .decimals), (.decimals, .ints), (.ints, .decimals):
            // Exact at the larger scale, in 128 bits.
            let (x, okx, sx) = a.asExact()!, (y, oky, sy) = b.asExact()!
            let common = Swift.max(sx, sy)
            let px = Int128(FixedDecimal.powers[common - sx]), py = Int128(FixedDecimal.powers[common - sy])
            for i in 0..<n where okx[i] && oky[i] {
                let u = Int128(x[i]) * px, v = Int128(y[i]) * py
                out[i] = verdict(u < v ? -1 : (u > v ? 1 : 0))
            }
        case (.dates(let x, let okx), .dates(let y, let oky)):
            for i in 0..<n where okx[i] && oky[i] { out[i] = verdict(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
        case (.bools(let x), .bools(let y)):
            for i in 0..<n where x[i] != 2 && y[i] != 2 { out[i] = verdict(Int(x[i]) - Int(y[i])) }
        default:
            if let (x, okx) = a.asDoubles(), let (y, oky) = b.asDoubles() {
                for i in 0..<n where okx[i] && oky[i] { out[i] = verdict(x[i] < y[i] ? -1 : (x[i] > y[i] ? 1 : 0)) }
            } else if let x = a.asTexts(), let y = b.asTexts() {
                for i in 0..<n {
                    guard let s = x[i], let t = y[i] else { continue }
                    out[i] = verdict(s == t ? 0 : (codePointLess(s, t) ? -1 : 1))
                }
            }
        }
        return out
    }

    func contains(_ a: Vector, _ b: Vector) -> [UInt8] {
        guard let needles = b.asTexts() else { return [UInt8](repeating: 2, count: a.count) }
        // A heap column is searched in place, without making strings.
        if case .texts(let hay) = a {
            return (0..<hay.count).map { i in
                guard let h = hay[i], let n = needles[i] else { return 2 }
                return n.isEmpty || h.utf8.count >= n.utf8.count && containsBytes(h, n) ? 1 : 0
            }
        }
        guard let hay = a.asTexts() else { return [UInt8](repeating: 2, count: a.count) }
        return (0..<hay.count).map { i in
            guard let h = hay[i], let n = needles[i] else { return 2 }
            return n.isEmpty || containsBytes(h, n) ? 1 : 0
        }
    }

    func call(_ f: Function, _ args: [Vector], _ type: DataType, _ n: Int) -> Vector {
        switch f {
        case .date:
            // A timestamp's date (a date is itself).
            guard case .ints(let t, let ok) = args[0] else { return args[0] }
            return .dates(t.map(Timestamp.days), ok)
        case .hour:
            guard case .ints(let t, let ok) = args[0] else { return .bools([UInt8](repeating: 2, count: n)) }
            return .ints(t.map { ($0 - Timestamp.of(days: Timestamp.days($0))) / 3_600_000_000 }, ok)
        case .year, .month, .quarter, .week, .day:
            guard case .dates(let d, let ok) = args[0] else { return .bools([UInt8](repeating: 2, count: n)) }
            if f == .year { return .ints(d.map { Int64(CivilDate(days: $0).year) }, ok) }
            if f == .day { return .ints(d.map { Int64(CivilDate(days: $0).day) }, ok) }
            if f == .week { return .texts((0..<n).map { ok[$0] ? isoWeek(d[$0]) : nil }) }
            return .texts((0..<n).map { i -> String? in
                guard ok[i] else { return nil }
                let c = CivilDate(days: d[i])
                return f == .month ? "\(c.year)-\(c.month < 10 ? "0" : "")\(c.month)" : "\(c.year)-Q\((c.month + 2) / 3)"
            })
        case .round:
            var places: [Int] = [Int](repeating: 0, count: n)
            if args.count > 1, case .ints(let p, _) = args[1] { places = p.map { Int(Swift.max(-18, Swift.min(18, $0))) } }
            if let (x, ok, s) = args[0].asExact() {
                // Exact: to `places` digits (tens, hundreds… for negative places), at the type's scale.
                let target = type.scale ?? 0
                let out = (0..<n).map { i -> Int64 in
                    let keep = Swift.max(s - 18, Swift.min(places[i], s))
                    var v = Int128(x[i])
                    if keep < s { v = FixedDecimal.divideRounding(v, Int128(FixedDecimal.powers[s - keep])) * Int128(FixedDecimal.powers[s - keep]) }
                    // From scale s to the result's.
                    if target < s { v /= Int128(FixedDecimal.powers[s - target]) }
                    return Int64(clamping: v)
                }
                return type == .int ? .ints(out, ok) : .decimals(out, ok, target)
            }
            guard let (x, ok) = args[0].asDoubles() else { return args[0] }
            return .doubles((0..<n).map { i in roundHalfAway(x[i], places[i]) }, ok)
        case .percent:
            return Evaluator.toScale(args[0], type.scale ?? 3, n)
        case .share, .cumsum, .rowNumber:
            // Computed over the result's rows before the select runs (RowFunctions): never here.
            return .decimals([Int64](repeating: 0, count: n), [Bool](repeating: false, count: n), type.scale ?? 0)
        case .abs:
            switch args[0] {
            case .ints(let v, let ok): return .ints(v.map { $0 == .min ? $0 : Swift.abs($0) }, ok)
            case .decimals(let v, let ok, let s): return .decimals(v.map { $0 == .min ? $0 : Swift.abs($0) }, ok, s)
            case .doubles(let v, let ok): return .doubles(v.map { Swift.abs($0) }, ok)
            default: return args[0]
            }
        case .lower, .upper, .length:
            guard let t = args[0].asTexts() else { return .bools([UInt8](repeating: 2, count: n)) }
            if f == .length { return .ints(t.map { Int64($0?.count ?? 0) }, t.map { $0 != nil }) }
            return .texts(t.map { s in s.map { f == .lower ? $0.lowercased() : $0.uppercased() } })
        case .coalesce:
            var out: [Value] = []
            out.reserveCapacity(n)
            for i in 0..<n {
                var v = Value.null
                for a in args where !a.isNull(i) { v = a.value(i); break }
                out.append(v)
            }
            return vector(of: out, type: type)
        }
    }
}

extension Evaluator {
    /// Numbers as exact decimals at `scale`, rounded half away from zero (a double is scaled and
    /// rounded; more digits than 64 bits hold give null).
    static func toScale(_ v: Vector, _ scale: Int, _ n: Int) -> Vector {
        if let (x, ok, s) = v.asExact() {
            var out = [Int64](repeating: 0, count: n), valid = ok
            for i in 0..<n where ok[i] {
                var w = Int128(x[i])
                if scale < s { w = FixedDecimal.divideRounding(w, Int128(FixedDecimal.powers[s - scale])) } else { w *= Int128(FixedDecimal.powers[scale - s]) }
                if let fits = Int64(exactly: w) { out[i] = fits } else { valid[i] = false }
            }
            return .decimals(out, valid, scale)
        }
        guard let (x, ok) = v.asDoubles() else { return .decimals([Int64](repeating: 0, count: n), [Bool](repeating: false, count: n), scale) }
        var out = [Int64](repeating: 0, count: n), valid = ok
        let factor = Double(FixedDecimal.powers[scale])
        for i in 0..<n where ok[i] {
            let w = (x[i] * factor).rounded(.toNearestOrAwayFromZero)
            if w.isFinite, abs(w) < 9.2e18 { out[i] = Int64(w) } else { valid[i] = false }
        }
        return .decimals(out, valid, scale)
    }
}

/// Rounds half away from zero at `places` decimal places (negative places round to tens…).
func roundHalfAway(_ x: Double, _ places: Int) -> Double {
    var scale = 1.0
    for _ in 0..<Swift.min(Swift.abs(places), 22) { scale *= 10 }
    if places >= 0 { return (x * scale).rounded(.toNearestOrAwayFromZero) / scale }
    return (x / scale).rounded(.toNearestOrAwayFromZero) * scale
}

func containsBytes(_ haystack: String, _ needle: String) -> Bool {
    var h = haystack, n = needle
    return h.withUTF8 { hb in
        n.withUTF8 { nb in
            guard nb.count <= hb.count else { return false }
            guard let hp = hb.baseAddress, let np = nb.baseAddress else { return nb.isEmpty }
            return projq_find(hp, hb.count, np, nb.count) != nil
        }
    }
}

/// A vector of values of one type (for coalesce and other generic results).
func vector(of values: [Value], type: DataType) -> Vector {
    switch type {
    case .int:
        return .ints(values.map { if case .int(let x) = $0 { x } else { 0 } }, values.map { $0 != .null })
    case .decimal(let s), .money(_, let s), .percent(let s):
        return .decimals(values.map { v in
            switch v {
            case .decimal(let x): x.rescaled(to: s)?.units ?? 0
            case .int(let x): FixedDecimal(x).rescaled(to: s)?.units ?? 0
            default: 0
            }
        }, values.map { $0 != .null }, s)
    case .float:
        return .doubles(values.map { v in
            switch v {
            case .float(let x): x
            case .decimal(let x): x.doubleValue
            case .int(let x): Double(x)
            default: 0
            }
        }, values.map { $0 != .null })
    case .date:
        return .dates(values.map { if case .date(let x) = $0 { x } else { 0 } }, values.map { $0 != .null })
    case .bool:
        return .bools(values.map { v in
            if case .bool(let b) = v { return b ? 1 : 0 }
            return 2
        })
    default:
        return .texts(values.map { if case .text(let s) = $0 { s } else { nil } })
    }
}

/// The ISO 8601 week of a date, `2015-W09`: weeks start on Monday, and week 1 is the one that
/// holds the year's first Thursday (so 2015-12-31 is in 2015-W53, 2016-01-01 too).
func isoWeek(_ days: Int32) -> String {
    let d = Int(days)
    let weekday = ((d + 3) % 7 + 7) % 7                 // 0 Monday … 6 Sunday; 1970-01-01 was a Thursday
    let thursday = d - weekday + 3
    let year = CivilDate(days: Int32(thursday)).year
    let january1 = Int(CivilDate(year: year, month: 1, day: 1).days)
    let week = (thursday - january1) / 7 + 1
    return "\(year)-W\(week < 10 ? "0" : "")\(week)"
}
