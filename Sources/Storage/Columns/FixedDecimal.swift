/// An exact decimal number, `units` × 10^−`scale`: how decimal, money and percent values are
/// held (a column stores only the units; its type carries the scale). Money is exact to the
/// fen because nothing here is a binary fraction: `0.1 + 0.2` is 3 units at scale 1.
public struct FixedDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var units: Int64
    /// Digits after the point, 0…18 (a column's at most `maxScale`).
    public var scale: Int

    /// The most digits after the point a column or an arithmetic result keeps. Beyond it a
    /// number is a binary `float` (a machine-printed measurement) or is rounded.
    public static let maxScale = 9

    /// 10^0 … 10^18, every power of ten an Int64 holds.
    public static let powers: [Int64] = (0...18).map { k in (0..<k).reduce(Int64(1)) { p, _ in p * 10 } }

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    public init(_ integer: Int64) { self.init(units: integer, scale: 0) }

    /// The same value with `scale` digits after the point: exact when widening (nil if the units
    /// overflow 64 bits), rounded half away from zero when narrowing.
    public func rescaled(to newScale: Int) -> FixedDecimal? {
        if newScale == scale { return self }
        if newScale > scale {
            let (v, overflow) = units.multipliedReportingOverflow(by: FixedDecimal.powers[newScale - scale])
            return overflow ? nil : FixedDecimal(units: v, scale: newScale)
        }
        let q = FixedDecimal.divideRounding(Int128(units), Int128(FixedDecimal.powers[scale - newScale]))
        return FixedDecimal(units: Int64(q), scale: newScale)
    }

    /// The value × 10^k, exactly (the point moved k places; k < 0 moves it left): nil when the
    /// units overflow 64 bits or the scale would pass 18.
    public func shifted(by k: Int) -> FixedDecimal? {
        if k < 0 {
            return scale - k <= 18 ? FixedDecimal(units: units, scale: scale - k).normalized : nil
        }
        if scale >= k { return FixedDecimal(units: units, scale: scale - k) }
        let (v, overflow) = units.multipliedReportingOverflow(by: FixedDecimal.powers[k - scale])
        return overflow ? nil : FixedDecimal(units: v, scale: 0)
    }

    /// The value without trailing zeros after the point (`1.50` → `1.5`).
    public var normalized: FixedDecimal {
        var d = self
        while d.scale > 0, d.units % 10 == 0 {
            d.units /= 10
            d.scale -= 1
        }
        return d
    }

    /// The value as a binary double (for a float column beside it); one correctly rounded division.
    public var doubleValue: Double { Double(units) / Double(FixedDecimal.powers[scale]) }

    /// The units widened to `scale` in 128 bits (which never overflow for scales up to 18).
    @inline(__always) public func wide(at s: Int) -> Int128 {
        Int128(units) * Int128(FixedDecimal.powers[s - scale])
    }

    public static func == (a: FixedDecimal, b: FixedDecimal) -> Bool {
        let s = Swift.max(a.scale, b.scale)
        return a.wide(at: s) == b.wide(at: s)
    }

    public static func < (a: FixedDecimal, b: FixedDecimal) -> Bool {
        let s = Swift.max(a.scale, b.scale)
        return a.wide(at: s) < b.wide(at: s)
    }

    public func hash(into h: inout Hasher) {
        let n = normalized
        h.combine(n.units)
        h.combine(n.scale)
    }

    /// `a / b` rounded half away from zero (b ≠ 0).
    @inline(__always) public static func divideRounding(_ a: Int128, _ b: Int128) -> Int128 {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        // |2r| ≥ |b|: away from zero, in the direction of the quotient's sign.
        let twice = r.magnitude * 2
        guard twice >= b.magnitude, r != 0 else { return q }
        return (a < 0) == (b < 0) ? q + 1 : q - 1
    }

    /// A 128-bit value at `scale` as a decimal of at most `target` digits after the point
    /// (rounded), nil when it does not fit 64 bits.
    public static func fitting(_ v: Int128, scale: Int, target: Int) -> FixedDecimal? {
        var w = v
        var s = scale
        if target < s {
            w = divideRounding(w, Int128(powers[s - target]))
            s = target
        }
        guard let units = Int64(exactly: w) else { return nil }
        return FixedDecimal(units: units, scale: s)
    }

    // MARK: text

    /// The exact shortest decimal: no exponent, no trailing zeros after the point, no `.0`
    /// (`2024418.17`, `0.125`, `-3`).
    public var description: String {
        var text: (UInt64, UInt64, UInt64) = (0, 0, 0)   // the 24 bytes `write` may fill
        return withUnsafeMutableBytes(of: &text) { raw in
            let n = FixedDecimal.write(units: units, scale: scale, into: raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
            return String(decoding: UnsafeRawBufferPointer(start: raw.baseAddress!, count: n), as: UTF8.self)
        }
    }

    /// Writes the shortest form into `p` (room for 24 bytes); returns the bytes written.
    @inline(__always)
    public static func write(units: Int64, scale: Int, into p: UnsafeMutablePointer<UInt8>) -> Int {
        var m = units.magnitude
        var s = scale
        while s > 0, m % 10 == 0 { m /= 10; s -= 1 }
        // Digits backwards into a scratch of 21 (at most 20 digits of a UInt64, plus "0.").
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &scratch) { raw -> Int in
            let d = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var k = 0
            repeat {
                d[k] = UInt8(ascii: "0") + UInt8(m % 10)
                m /= 10
                k += 1
            } while m > 0
            while k <= s { d[k] = UInt8(ascii: "0"); k += 1 }   // 0.05: zeros before the digits
            var n = 0
            if units < 0 { p[0] = UInt8(ascii: "-"); n = 1 }
            var i = k - 1
            while i >= 0 {
                if i == s - 1 { p[n] = UInt8(ascii: "."); n += 1 }
                p[n] = d[i]
                n += 1
                i -= 1
            }
            return n
        }
    }

    /// Reads `-12.50`, `+3`, `.5`, `7.`, `1e3`, `2.5E-3` exactly, at the scale the text needs
    /// (digits after the point, less an exponent; never negative). Nil for anything else, and
    /// for a number whose units do not fit 64 bits or whose scale is beyond 18.
    public static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> FixedDecimal? {
        let (negative, start) = CellParsers.sign(p, n)
        var i = start
        var units: Int64 = 0
        var sawDigit = false
        var scale = 0
        var overflow = false
        while i < n, p[i] &- 48 < 10 {
            let (a, f1) = units.multipliedReportingOverflow(by: 10)
            let (b, f2) = a.addingReportingOverflow(Int64(p[i] &- 48))
            units = b
            overflow = overflow || f1 || f2
            sawDigit = true
            i += 1
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, p[i] &- 48 < 10 {
                let (a, f1) = units.multipliedReportingOverflow(by: 10)
                let (b, f2) = a.addingReportingOverflow(Int64(p[i] &- 48))
                units = b
                overflow = overflow || f1 || f2
                scale += 1
                sawDigit = true
                i += 1
            }
        }
        guard sawDigit, let e = CellParsers.exponent(p, n, &i), i == n, !overflow else { return nil }
        scale -= e
        if scale < 0 {
            guard -scale <= 18 else { return units == 0 ? FixedDecimal(0) : nil }
            let (v, f) = units.multipliedReportingOverflow(by: powers[-scale])
            guard !f else { return nil }
            units = v
            scale = 0
        }
        // Trailing zeros beyond 18 digits after the point carry nothing.
        while scale > 18, units % 10 == 0 { units /= 10; scale -= 1 }
        guard scale <= 18 else { return nil }
        return FixedDecimal(units: negative ? -units : units, scale: scale)
    }

    public init?(_ text: String) {
        var t = text
        guard let d = t.withUTF8({ b in b.baseAddress.flatMap { FixedDecimal.parse($0, b.count) } }) else { return nil }
        self = d
    }
}
