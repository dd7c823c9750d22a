/// Writes cells as plain text straight into bytes — numbers as the shortest decimal that reads
/// back as the same value, no separators; ISO dates; true/false; text as stored — for the
/// renderers of results that can be millions of rows long. Nothing is boxed or made a String
/// per cell: a dictionary's values are copied from the dictionary, integers are written digit by
/// digit, and most decimals (a few fractional digits) without the general shortest-digits search.
public struct CellWriter {
    public enum Quoting {
        /// As it is (JSON writes its own strings).
        case none
        /// RFC 4180: a field with a comma, a quote or a line break in double quotes, quotes doubled.
        case csv
        /// Tabs and line breaks written as \t, \n, \r.
        case tsv
    }

    let column: Column
    let quoting: Quoting
    /// For a dictionary column: whether each value needs quoting (worked out once).
    private let needsQuoting: [Bool]

    public init(_ column: Column, quoting: Quoting) {
        self.column = column
        self.quoting = quoting
        if let d = column.dictionary, quoting != .none {
            needsQuoting = (0..<d.count).map { CellWriter.special(d.values.bytes(at: $0), quoting) }
        } else {
            needsQuoting = []
        }
    }

    /// Appends row r's text (nothing for a null).
    @inline(__always)
    public func append(_ r: Int, to out: inout GrowableBuffer<UInt8>) {
        guard column.validity.isValid(r) else { return }
        switch column.data {
        case .int64(let b): CellWriter.appendInteger(b[r], to: &out)
        case .float64(let b): CellWriter.appendDecimal(b[r], to: &out)
        case .int32(let b): CellWriter.appendDate(b[r], to: &out)
        case .uint8(let b): CellWriter.appendText(b[r] != 0 ? CellWriter.trueBytes : CellWriter.falseBytes, to: &out)
        case .codes8(let c, let d): appendValue(d, Int(c[r]), to: &out)
        case .codes16(let c, let d): appendValue(d, Int(c[r]), to: &out)
        case .codes32(let c, let d): appendValue(d, Int(c[r]), to: &out)
        case .strings(let h):
            let bytes = h.bytes(at: r)
            if quoting == .none || !CellWriter.special(bytes, quoting) { out.append(contentsOf: bytes) } else { escape(bytes, to: &out) }
        }
    }

    @inline(__always)
    private func appendValue(_ d: StringDictionary, _ code: Int, to out: inout GrowableBuffer<UInt8>) {
        let bytes = d.values.bytes(at: code)
        if quoting == .none || !needsQuoting[code] { out.append(contentsOf: bytes) } else { escape(bytes, to: &out) }
    }

    private func escape(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout GrowableBuffer<UInt8>) {
        switch quoting {
        case .none:
            out.append(contentsOf: bytes)
        case .csv:
            out.append(UInt8(ascii: "\""))
            for b in bytes {
                if b == UInt8(ascii: "\"") { out.append(b) }
                out.append(b)
            }
            out.append(UInt8(ascii: "\""))
        case .tsv:
            for b in bytes {
                switch b {
                case UInt8(ascii: "\t"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
                default: out.append(b)
                }
            }
        }
    }

    /// Whether text holds a byte its format must escape.
    @inline(__always)
    static func special(_ bytes: UnsafeBufferPointer<UInt8>, _ quoting: Quoting) -> Bool {
        switch quoting {
        case .none: return false
        case .csv: return bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        case .tsv: return bytes.contains { $0 == 9 || $0 == 10 || $0 == 13 }
        }
    }

    static let trueBytes: [UInt8] = Array("true".utf8)
    static let falseBytes: [UInt8] = Array("false".utf8)

    @inline(__always) static func appendText(_ bytes: [UInt8], to out: inout GrowableBuffer<UInt8>) {
        bytes.withUnsafeBufferPointer { out.append(contentsOf: $0) }
    }

    /// `-12345`.
    @inline(__always)
    public static func appendInteger(_ v: Int64, to out: inout GrowableBuffer<UInt8>) {
        var magnitude = v.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes of scratch for 20 digits
        withUnsafeMutableBytes(of: &digits) { scratch in
            var i = 24
            repeat {
                i -= 1
                scratch[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
            } while magnitude > 0
            out.reserveMore(25)
            if v < 0 { out.appendUnchecked(UInt8(ascii: "-")) }
            for k in i..<24 { out.appendUnchecked(scratch[k]) }
        }
    }

    private static let powers: [Double] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]

    /// The shortest decimal that reads back as `v`, without an exponent (as `formatDecimal`):
    /// with up to nine fractional digits found directly — k / 10^s == v, for the fewest digits s,
    /// means the text of k / 10^s reads back as v (both are the correctly rounded value of the
    /// same rational) — else by the general search.
    @inline(__always)
    public static func appendDecimal(_ v: Double, to out: inout GrowableBuffer<UInt8>) {
        if v.isFinite, Swift.abs(v) < 9e15 {
            if v == v.rounded(.towardZero) {
                appendInteger(Int64(v), to: &out)
                return
            }
            for s in 1...9 {
                let p = powers[s]
                let k = (v * p).rounded()
                if Swift.abs(k) < 9e15, k / p == v {
                    appendScaled(Int64(k), s, to: &out)
                    return
                }
            }
        }
        var text = formatDecimal(v)
        text.withUTF8 { out.append(contentsOf: $0) }
    }

    /// k / 10^s with exactly s fractional digits (k's last digit is not 0: s is the fewest).
    @inline(__always)
    private static func appendScaled(_ k: Int64, _ s: Int, to out: inout GrowableBuffer<UInt8>) {
        var magnitude = k.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { scratch in
            var i = 32
            var written = 0
            repeat {
                i -= 1
                scratch[i] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
                written += 1
                if written == s {
                    i -= 1
                    scratch[i] = UInt8(ascii: ".")
                }
            } while magnitude > 0 || written < s
            if written == s {   // 0.xx
                i -= 1
                scratch[i] = UInt8(ascii: "0")
            }
            out.reserveMore(34)
            if k < 0 { out.appendUnchecked(UInt8(ascii: "-")) }
            for j in i..<32 { out.appendUnchecked(scratch[j]) }
        }
    }

    /// `2015-03-01`.
    @inline(__always)
    public static func appendDate(_ days: Int32, to out: inout GrowableBuffer<UInt8>) {
        let c = CivilDate(days: days)
        guard c.year >= 0, c.year <= 9999 else {
            var text = formatDate(days)
            text.withUTF8 { out.append(contentsOf: $0) }
            return
        }
        out.reserveMore(10)
        @inline(__always) func digit(_ v: Int) { out.appendUnchecked(UInt8(truncatingIfNeeded: v) &+ 48) }
        digit(c.year / 1000); digit(c.year / 100 % 10); digit(c.year / 10 % 10); digit(c.year % 10)
        out.appendUnchecked(UInt8(ascii: "-"))
        digit(c.month / 10); digit(c.month % 10)
        out.appendUnchecked(UInt8(ascii: "-"))
        digit(c.day / 10); digit(c.day % 10)
    }
}
