import CKernels

/// Writes cells as plain text straight into bytes — exact decimals as their shortest digits,
/// floats as the shortest decimal that reads back as the same double, no separators; ISO dates;
/// true/false; text as stored — for the renderers of results that can be millions of rows long.
/// Nothing is boxed or made a String per cell: a dictionary's values are copied from the
/// dictionary, integers and decimals' units are written digit by digit, and most floats (a few
/// fractional digits) without the general shortest-digits search.
///
/// It holds plain pointers only — no references — so that a renderer's loop over rows and
/// columns copies it without retaining and releasing anything; whoever makes one keeps its
/// column alive while it is used.
public struct CellWriter: @unchecked Sendable {
    public enum Quoting {
        /// As it is (JSON writes its own strings).
        case none
        /// RFC 4180: a field with a comma, a quote or a line break in double quotes, quotes doubled.
        case csv
        /// Tabs and line breaks written as \t, \n, \r.
        case tsv
    }

    /// The column's buffers as plain pointers, taken once: reading a buffer out of the column's
    /// enum for every cell would retain and release it each time.
    private enum Layout {
        case int64(UnsafePointer<Int64>), float64(UnsafePointer<Double>), int32(UnsafePointer<Int32>), uint8(UnsafePointer<UInt8>)
        /// A bool column read from 是/否: printed so.
        case chineseBool(UnsafePointer<UInt8>)
        case timestamp(UnsafePointer<Int64>)
        /// Units of an exact decimal at a scale (> 0).
        case fixed(UnsafePointer<Int64>, Int)
        case codes8(UnsafePointer<UInt8>), codes16(UnsafePointer<UInt16>), codes32(UnsafePointer<UInt32>)
        /// Heap or dictionary values: bytes and offsets.
        case strings(UnsafePointer<UInt8>, UnsafePointer<UInt32>)
    }

    let quoting: Quoting
    private let layout: Layout
    private let validity: UnsafePointer<UInt64>?
    /// A dictionary's values: bytes and offsets.
    private let values: (UnsafePointer<UInt8>, UnsafePointer<UInt32>)?

    public init(_ column: Column, quoting: Quoting) {
        self.quoting = quoting
        validity = column.nullCount > 0 ? column.validity.words.pointer : nil
        switch column.data {
        case .int64(let b):
            if column.type == .timestamp {
                layout = .timestamp(b.pointer)
            } else if let s = column.type.scale, s > 0 {
                layout = .fixed(b.pointer, s)
            } else {
                layout = .int64(b.pointer)
            }
        case .float64(let b): layout = .float64(b.pointer)
        case .int32(let b): layout = .int32(b.pointer)
        case .uint8(let b): layout = column.type == .bool(chinese: true) ? .chineseBool(b.pointer) : .uint8(b.pointer)
        case .codes8(let b, _): layout = .codes8(b.pointer)
        case .codes16(let b, _): layout = .codes16(b.pointer)
        case .codes32(let b, _): layout = .codes32(b.pointer)
        case .strings(let h): layout = .strings(h.bytes.pointer, h.offsets.pointer)
        }
        if let d = column.dictionary {
            values = (d.values.bytes.pointer, d.values.offsets.pointer)
        } else {
            values = nil
        }
    }

    /// Appends row r's text (nothing for a null).
    @inline(__always)
    public func append(_ r: Int, to out: inout GrowableBuffer<UInt8>) {
        if let validity, (validity[r >> 6] >> UInt64(r & 63)) & 1 == 0 { return }
        switch layout {
        case .int64(let p): CellWriter.appendInteger(p[r], to: &out)
        case .float64(let p): CellWriter.appendDecimal(p[r], to: &out)
        case .int32(let p): CellWriter.appendDate(p[r], to: &out)
        case .uint8(let p): CellWriter.appendBool(p[r] != 0, to: &out)
        case .chineseBool(let p): CellWriter.appendChineseBool(p[r] != 0, to: &out)
        case .timestamp(let p): CellWriter.appendTimestamp(p[r], to: &out)
        case .fixed(let p, let s): CellWriter.appendFixed(p[r], scale: s, to: &out)
        case .codes8(let p): appendValue(Int(p[r]), to: &out)
        case .codes16(let p): appendValue(Int(p[r]), to: &out)
        case .codes32(let p): appendValue(Int(p[r]), to: &out)
        case .strings(let bytes, let offsets):
            let start = Int(offsets[r])
            let text = UnsafeBufferPointer(start: bytes + start, count: Int(offsets[r + 1]) - start)
            if quoting == .none || !CellWriter.special(text, quoting) { out.append(contentsOf: text) } else { escape(text, to: &out) }
        }
    }

    @inline(__always)
    private func appendValue(_ code: Int, to out: inout GrowableBuffer<UInt8>) {
        let (bytes, offsets) = values.unsafelyUnwrapped
        let start = Int(offsets[code])
        let text = UnsafeBufferPointer(start: bytes + start, count: Int(offsets[code + 1]) - start)
        if quoting == .none || !CellWriter.special(text, quoting) { out.append(contentsOf: text) } else { escape(text, to: &out) }
    }

    /// Asks for row r's cell to be fetched into the cache (rows of a sorted result lie anywhere
    /// in their columns; fetched a few rows ahead, the reads overlap instead of waiting in turn).
    @inline(__always)
    public func prefetch(_ r: Int) {
        switch layout {
        case .int64(let p), .timestamp(let p), .fixed(let p, _): projq_prefetch(p + r)
        case .float64(let p): projq_prefetch(p + r)
        case .int32(let p): projq_prefetch(p + r)
        case .uint8(let p), .chineseBool(let p), .codes8(let p): projq_prefetch(p + r)
        case .codes16(let p): projq_prefetch(p + r)
        case .codes32(let p): projq_prefetch(p + r)
        case .strings(_, let offsets): projq_prefetch(offsets + r)
        }
    }

    /// Whether row r is null.
    @inline(__always) public func isNull(_ r: Int) -> Bool {
        if let validity { return (validity[r >> 6] >> UInt64(r & 63)) & 1 == 0 }
        return false
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

    /// `true` or `false`, from static text (no array to retain per cell).
    @inline(__always) static func appendBool(_ value: Bool, to out: inout GrowableBuffer<UInt8>) {
        let text: StaticString = value ? "true" : "false"
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `是` or `否`.
    @inline(__always) static func appendChineseBool(_ value: Bool, to out: inout GrowableBuffer<UInt8>) {
        let text: StaticString = value ? "是" : "否"
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
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

    /// An exact decimal, `units` × 10^−scale, in its shortest form (`2024418.17`, `0.125`).
    @inline(__always)
    public static func appendFixed(_ units: Int64, scale: Int, to out: inout GrowableBuffer<UInt8>) {
        out.reserveMore(24)
        let n = FixedDecimal.write(units: units, scale: scale, into: out.end)
        out.advance(by: n)
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

    /// `2015-03-01 14:30:00`, and `.ffffff` when there are fractions of a second (as
    /// `formatTimestamp`, without a string per cell).
    public static func appendTimestamp(_ t: Int64, to out: inout GrowableBuffer<UInt8>) {
        let days = Timestamp.days(t)
        appendDate(days, to: &out)
        let micros = t - Timestamp.of(days: days)
        let seconds = Int(micros / Timestamp.microsPerSecond), fraction = Int(micros % Timestamp.microsPerSecond)
        out.reserveMore(16)
        @inline(__always) func two(_ v: Int) {
            out.appendUnchecked(UInt8(truncatingIfNeeded: v / 10) &+ 48)
            out.appendUnchecked(UInt8(truncatingIfNeeded: v % 10) &+ 48)
        }
        out.appendUnchecked(UInt8(ascii: " "))
        two(seconds / 3600); out.appendUnchecked(UInt8(ascii: ":"))
        two(seconds / 60 % 60); out.appendUnchecked(UInt8(ascii: ":"))
        two(seconds % 60)
        guard fraction != 0 else { return }
        out.appendUnchecked(UInt8(ascii: "."))
        var divisor = 100_000
        while divisor > 0 {
            out.appendUnchecked(UInt8(truncatingIfNeeded: fraction / divisor % 10) &+ 48)
            divisor /= 10
        }
    }
}
