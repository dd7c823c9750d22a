#if canImport(Glibc)
import Glibc
#endif

/// Writes a number cell as the text the CSV path's parsers read, so a workbook's columns are
/// typed by the same rules as a CSV file's: a plain decimal (the cell's own decimal text, never
/// through a double, so money stays exact), a percentage (`12.5%`), or — where the format says
/// so — a date (`2015-03-01`), a timestamp (`2015-03-01 14:30:00`) or a time of day (`14:30:00`,
/// text: projq has no time-of-day type).
enum ExcelNumber {
    /// Appends a number cell's value as Excel shows it: to 15 significant digits, the precision
    /// Excel keeps. Writers store the double behind a typed 99999999.99 as `99999999.989999995`
    /// or a sum as `0.30000000000000004`; the ledger's figure is the 15-digit one. Text with
    /// at most 15 significant digits is kept as written (`appendDecimal`).
    static func appendNumber(_ p: UnsafePointer<UInt8>, _ n: Int, shift: Int = 0, to out: inout GrowableBuffer<UInt8>) -> Bool {
        var significant = 0
        var leading = true
        for k in 0..<n {
            let c = p[k]
            if c | 0x20 == UInt8(ascii: "e") { break }
            guard c &- 48 < 10 else { continue }
            if leading && c == UInt8(ascii: "0") { continue }
            leading = false
            significant += 1
        }
        guard significant > 15, let value = CellParsers.parseDouble(p, n) else { return appendDecimal(p, n, shift: shift, to: &out) }
        var buffer = [CChar](repeating: 0, count: 40)
        let written = buffer.withUnsafeMutableBufferPointer { b in
            withVaList([value]) { vsnprintf(b.baseAddress!, 40, "%.15g", $0) }
        }
        guard written > 0, written < 40 else { return appendDecimal(p, n, shift: shift, to: &out) }
        return buffer.withUnsafeBufferPointer { b in
            b.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: Int(written)) { appendDecimal($0, Int(written), shift: shift, to: &out) }
        }
    }

    /// Days from 1970-01-01 back to Excel's day 0 of the 1900 system (1899-12-30, counting the
    /// phantom 1900-02-29) and of the 1904 system (1904-01-01).
    static let epoch1900: Int = -25_569
    static let epoch1904: Int = -24_107

    /// Appends the plain decimal form of the number text `p[0..<n]` (`1.5E-3` → `0.0015`,
    /// `3500.0` → `3500`), its point moved `shift` places right (2 for a percentage). False,
    /// with nothing appended, when the text is not a number.
    static func appendDecimal(_ p: UnsafePointer<UInt8>, _ n: Int, shift: Int = 0, to out: inout GrowableBuffer<UInt8>) -> Bool {
        if shift == 0, isPlain(p, n) {
            out.reserveMore(n)
            for k in 0..<n { out.appendUnchecked(p[k]) }
            return true
        }
        var i = 0
        var negative = false
        if i < n, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { negative = p[i] == UInt8(ascii: "-"); i += 1 }
        // Digits without the point, and where the point was.
        var digits: [UInt8] = []
        digits.reserveCapacity(24)
        var pointAt = -1
        while i < n {
            let c = p[i]
            if c &- 48 < 10 { digits.append(c) } else if c == UInt8(ascii: "."), pointAt < 0 { pointAt = digits.count } else { break }
            i += 1
        }
        if digits.isEmpty { return false }
        if pointAt < 0 { pointAt = digits.count }
        if i < n {
            guard p[i] | 0x20 == UInt8(ascii: "e") else { return false }
            i += 1
            var expNegative = false
            if i < n, p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+") { expNegative = p[i] == UInt8(ascii: "-"); i += 1 }
            var e = 0
            var sawDigit = false
            while i < n, p[i] &- 48 < 10, e < 1000 { e = e * 10 + Int(p[i] &- 48); i += 1; sawDigit = true }
            guard sawDigit, i == n else { return false }
            pointAt += expNegative ? -e : e
        }
        pointAt += shift
        // Beyond these the number is no ledger figure: leave the text to the float parser.
        guard pointAt > -40, pointAt < 40 else { return false }
        // Leading zeros of the integer part and trailing zeros of the fraction go.
        var lo = 0, hi = digits.count
        var intPart: [UInt8] = []
        var fracPart: [UInt8] = []
        if pointAt <= 0 {
            fracPart = [UInt8](repeating: UInt8(ascii: "0"), count: -pointAt) + digits
        } else if pointAt >= digits.count {
            intPart = digits + [UInt8](repeating: UInt8(ascii: "0"), count: pointAt - digits.count)
        } else {
            intPart = Array(digits[..<pointAt])
            fracPart = Array(digits[pointAt...])
        }
        lo = 0
        while lo < intPart.count - 1, intPart[lo] == UInt8(ascii: "0") { lo += 1 }
        hi = fracPart.count
        while hi > 0, fracPart[hi - 1] == UInt8(ascii: "0") { hi -= 1 }
        let integer = intPart.isEmpty ? [UInt8(ascii: "0")] : Array(intPart[lo...])
        let isZero = integer == [UInt8(ascii: "0")] && hi == 0
        out.reserveMore(integer.count + hi + 2)
        if negative && !isZero { out.appendUnchecked(UInt8(ascii: "-")) }
        for d in integer { out.appendUnchecked(d) }
        if hi > 0 {
            out.appendUnchecked(UInt8(ascii: "."))
            for k in 0..<hi { out.appendUnchecked(fracPart[k]) }
        }
        return true
    }

    /// The common case, copied as it is: digits, at most one point not at the end and not
    /// followed by trailing zeros, a leading minus, no leading zero before a digit.
    @inline(__always)
    private static func isPlain(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        var i = 0
        if n > 0, p[0] == UInt8(ascii: "-") { i = 1 }
        guard i < n, !(p[i] == UInt8(ascii: "0") && i + 1 < n && p[i + 1] != UInt8(ascii: ".")) else { return false }
        var sawPoint = false
        var digits = 0
        while i < n {
            let c = p[i]
            if c &- 48 < 10 { digits &+= 1 } else if c == UInt8(ascii: "."), !sawPoint { sawPoint = true } else { return false }
            i &+= 1
        }
        guard digits > 0 else { return false }
        return !sawPoint || (p[n - 1] != UInt8(ascii: "0") && p[n - 1] != UInt8(ascii: "."))
    }

    /// A serial number of days (and fraction of a day) as a date, timestamp or time text, in
    /// the 1900 or 1904 date system. In the 1900 system serials below 61 are a day later than
    /// the count says, as Excel counts the 29th of February 1900 that never was; serial 60,
    /// that day itself, is no date (nil), nor is a serial outside years 1–9999.
    static func appendSerial(_ serial: Double, as format: CellFormat, date1904: Bool, to out: inout GrowableBuffer<UInt8>) -> Bool {
        guard serial.isFinite, serial > -1, serial < 2_958_466 else { return false }
        // Milliseconds, rounded: 14:30 is stored as 0.604166666…
        let totalMillis = Int64((serial * 86_400_000).rounded())
        var day = Int(totalMillis / 86_400_000)
        var millis = Int(totalMillis % 86_400_000)
        if millis < 0 { millis += 86_400_000; day -= 1 }
        if format != .time {
            if !date1904 {
                if day == 60 { return false }
                if day < 60 { day += 1 }
            }
            let date = CivilDate(days: Int32(day + (date1904 ? epoch1904 : epoch1900)))
            out.reserveMore(32)
            appendDigits(date.year, 4, &out)
            out.appendUnchecked(UInt8(ascii: "-"))
            appendDigits(date.month, 2, &out)
            out.appendUnchecked(UInt8(ascii: "-"))
            appendDigits(date.day, 2, &out)
            if format == .date { return true }
            out.appendUnchecked(UInt8(ascii: " "))
        }
        out.reserveMore(16)
        let seconds = millis / 1000
        appendDigits(format == .time ? seconds / 3600 + day * 24 : seconds / 3600, 2, &out)
        out.appendUnchecked(UInt8(ascii: ":"))
        appendDigits(seconds / 60 % 60, 2, &out)
        out.appendUnchecked(UInt8(ascii: ":"))
        appendDigits(seconds % 60, 2, &out)
        if millis % 1000 != 0 {
            out.appendUnchecked(UInt8(ascii: "."))
            appendDigits(millis % 1000, 3, &out)
        }
        return true
    }

    private static func appendDigits(_ value: Int, _ width: Int, _ out: inout GrowableBuffer<UInt8>) {
        var v = value
        var buffer: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &buffer) { b in
            repeat {
                b[count] = UInt8(48 + v % 10)
                v /= 10
                count += 1
            } while v > 0 && count < 8
            while count < width { b[count] = 48; count += 1 }
            out.reserveMore(count)
            for k in stride(from: count - 1, through: 0, by: -1) { out.appendUnchecked(b[k]) }
        }
    }
}
