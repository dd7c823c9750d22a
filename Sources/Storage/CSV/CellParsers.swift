/// Parsers for one CSV cell's bytes. They take a pointer and a length (the cell is never a
/// `String`) and return nil when the bytes are not of the type.
enum CellParsers {
    /// A leading `-` or `+`: whether it is a minus, and where the digits start.
    @inline(__always)
    static func sign(_ p: UnsafePointer<UInt8>, _ n: Int) -> (negative: Bool, start: Int) {
        guard n > 0, p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") else { return (false, 0) }
        return (p[0] == UInt8(ascii: "-"), 1)
    }

    /// An exponent at `i` (`e` or `E`, a sign, digits; its size capped at 100,000, far past any
    /// number's), `i` moved past it: 0 when there is none, nil when an `e` has no digits.
    @inline(__always)
    static func exponent(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) -> Int? {
        guard i < n, p[i] | 0x20 == UInt8(ascii: "e") else { return 0 }
        i += 1
        let (negative, skip) = sign(p + i, n - i)
        i += skip
        var e = 0
        let start = i
        while i < n, p[i] &- 48 < 10 {
            if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
            i += 1
        }
        guard i > start else { return nil }
        return negative ? -e : e
    }

    /// `-?[0-9]+` within Int64.
    @inline(__always)
    static func parseInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        let (negative, start) = sign(p, n)
        var i = start
        guard i < n, n - i <= 19 else { return n - i > 19 ? parseLongInt(p, n) : nil }
        var v: Int64 = 0
        while i < n {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            v = v &* 10 &+ Int64(d)
            i += 1
        }
        if v < 0 { return nil }   // 19 digits past Int64.max
        return negative ? -v : v
    }

    private static func parseLongInt(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        // Twenty or more digits never fit; leading zeros are the one exception worth taking.
        var i = p[0] == UInt8(ascii: "-") || p[0] == UInt8(ascii: "+") ? 1 : 0
        let sign = i
        while i < n - 1, p[i] == UInt8(ascii: "0") { i += 1 }
        guard n - i <= 19, i > sign else { return nil }
        var buffer = [UInt8](UnsafeBufferPointer(start: p, count: sign))
        buffer += UnsafeBufferPointer(start: p + i, count: n - i)
        return buffer.withUnsafeBufferPointer { parseInt($0.baseAddress!, $0.count) }
    }

    /// A plain decimal (`-12.5`, `3`, `.25`) as units at `scale` digits after the point: the
    /// loader's fast path for exact columns. Nil for more digits after the point than `scale`,
    /// an exponent, or units beyond 64 bits; the general path takes those.
    @inline(__always)
    static func parseUnits(_ p: UnsafePointer<UInt8>, _ n: Int, scale: Int) -> Int64? {
        let (negative, start) = sign(p, n)
        var i = start
        var v: Int64 = 0
        var digits = 0
        var fraction = 0
        while i < n, p[i] &- 48 < 10 {
            v = v &* 10 &+ Int64(p[i] &- 48)
            digits &+= 1
            i &+= 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i &+= 1
            while i < n, p[i] &- 48 < 10 {
                v = v &* 10 &+ Int64(p[i] &- 48)
                digits &+= 1
                fraction &+= 1
                i &+= 1
            }
        }
        // 18 digits always fit; more go the careful way.
        guard i == n, digits > 0, digits <= 18, fraction <= scale else { return nil }
        if fraction < scale {
            let (w, overflow) = v.multipliedReportingOverflow(by: FixedDecimal.powers[scale &- fraction])
            guard !overflow else { return nil }
            v = w
        }
        return negative ? -v : v
    }

    private static let exactPowers: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Decimal numbers: `12`, `-3.5`, `.5`, `1e6`, `2.5E-3`. Exact: the fast path is taken only
    /// where one IEEE multiply or divide is correctly rounded (Clinger); the rest goes to strtod.
    @inline(__always)
    static func parseDouble(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        let (negative, start) = sign(p, n)
        var i = start
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        var dropped = false
        while i < n, p[i] &- 48 < 10 {
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); if mantissa > 0 { digits += 1 } } else { exponent += 1; dropped = true }
            sawDigit = true
            i += 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, p[i] &- 48 < 10 {
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48); if mantissa > 0 { digits += 1 }; exponent -= 1 } else if p[i] != 48 { dropped = true }
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit, let e = CellParsers.exponent(p, n, &i), i == n else { return nil }
        exponent += e
        if !dropped, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            var v = Double(mantissa)
            if exponent < 0 { v /= exactPowers[-exponent] } else { v *= exactPowers[exponent] }
            return negative ? -v : v
        }
        return slowParse(p, n)
    }

    private static func slowParse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Double? {
        var buffer = [CChar](repeating: 0, count: n + 1)
        for k in 0..<n { buffer[k] = CChar(bitPattern: p[k]) }
        return buffer.withUnsafeBufferPointer { b -> Double? in
            var end: UnsafeMutablePointer<CChar>? = nil
            let v = strtod(b.baseAddress!, &end)
            return end == UnsafeMutablePointer(mutating: b.baseAddress! + n) ? v : nil
        }
    }

    /// `true`/`false` (any case), `yes`/`no`, `是`/`否`.
    @inline(__always)
    static func parseBool(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool? {
        switch n {
        case 3:
            if p[0] == 0xE6, p[1] == 0x98, p[2] == 0xAF { return true }    // 是
            if p[0] == 0xE5, p[1] == 0x90, p[2] == 0xA6 { return false }   // 否
            if p[0] | 0x20 == UInt8(ascii: "y"), p[1] | 0x20 == UInt8(ascii: "e"), p[2] | 0x20 == UInt8(ascii: "s") { return true }
            return nil
        case 2:
            return p[0] | 0x20 == UInt8(ascii: "n") && p[1] | 0x20 == UInt8(ascii: "o") ? false : nil
        case 4:
            let w = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) | 0x2020_2020
            return w == 0x6575_7274 ? true : nil    // "true"
        case 5:
            let w = UnsafeRawPointer(p).loadUnaligned(as: UInt32.self) | 0x2020_2020
            return w == 0x736C_6166 && p[4] | 0x20 == UInt8(ascii: "e") ? false : nil   // "false"
        default:
            return nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A bool as a CSV cell may spell it (`true`/`false` in any case, `yes`/`no`, `是`/`否`), for
/// words in queries.
public func parseBool(_ text: String) -> Bool? {
    var s = text
    return s.withUTF8 { b in b.baseAddress.flatMap { CellParsers.parseBool($0, b.count) } }
}
