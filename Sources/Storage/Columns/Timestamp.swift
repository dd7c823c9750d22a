/// A point in time: microseconds since 1970-01-01 00:00:00 UTC. Cells with an offset (`Z`,
/// `+08:00`) are normalised to UTC; cells without one are taken as written. Shown as
/// `YYYY-MM-DD HH:MM:SS` (with `.ffffff` when there are fractions of a second).
public enum Timestamp {
    public static let microsPerDay: Int64 = 86_400_000_000
    public static let microsPerSecond: Int64 = 1_000_000

    /// Midnight of a date.
    public static func of(days: Int32) -> Int64 { Int64(days) * microsPerDay }

    /// The date of a timestamp (its day, counted from 1970-01-01; before 1970 rounds down).
    public static func days(_ t: Int64) -> Int32 {
        Int32(truncatingIfNeeded: t >= 0 ? t / microsPerDay : (t - microsPerDay + 1) / microsPerDay)
    }

    /// The forms: a date (`2015-03-01`, `2015/3/1`, `2015年3月1日`) alone (midnight), or followed
    /// by `T` or spaces and `H:MM`, `H:MM:SS` or `H:MM:SS.ffffff`, then optionally `Z` or an
    /// offset `±HH:MM` / `±HHMM` / `±HH`.
    public static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int64? {
        // The date ends at 'T', a space, or after 日.
        var dateEnd = 0
        while dateEnd < n, p[dateEnd] != UInt8(ascii: "T"), p[dateEnd] != UInt8(ascii: " ") {
            if dateEnd + 2 < n, p[dateEnd] == 0xE6, p[dateEnd + 1] == 0x97, p[dateEnd + 2] == 0xA5 { dateEnd += 3; break }   // 日
            dateEnd += 1
        }
        guard let days = CivilDate.parse(p, dateEnd) else { return nil }
        var i = dateEnd
        while i < n, p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "T") { i += 1 }
        if i == n { return i == dateEnd || p[dateEnd] == UInt8(ascii: " ") ? of(days: days) : nil }
        func number(_ maxDigits: Int) -> Int? {
            var v = 0, k = 0
            while i < n, k < maxDigits, p[i] &- 48 < 10 { v = v * 10 + Int(p[i] &- 48); i += 1; k += 1 }
            return k == 0 ? nil : v
        }
        guard let hour = number(2), hour < 24, i < n, p[i] == UInt8(ascii: ":"), ({ i += 1; return true })(),
              let minute = number(2), minute < 60 else { return nil }
        var second = 0, micros = 0
        if i < n, p[i] == UInt8(ascii: ":") {
            i += 1
            guard let s = number(2), s < 60 else { return nil }
            second = s
            if i < n, p[i] == UInt8(ascii: ".") {
                i += 1
                var digits = 0
                while i < n, p[i] &- 48 < 10 {
                    if digits < 6 { micros = micros * 10 + Int(p[i] &- 48) }
                    digits += 1
                    i += 1
                }
                guard digits > 0 else { return nil }
                for _ in digits..<6 where digits < 6 { micros *= 10 }
            }
        }
        var offsetMinutes = 0
        if i < n {
            if p[i] == UInt8(ascii: "Z") {
                i += 1
            } else if p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") {
                let sign = p[i] == UInt8(ascii: "-") ? -1 : 1
                i += 1
                guard let h = number(2), h <= 14 else { return nil }
                var m = 0
                if i < n, p[i] == UInt8(ascii: ":") { i += 1 }
                if i < n { guard let mm = number(2), mm < 60 else { return nil }; m = mm }
                offsetMinutes = sign * (h * 60 + m)
            }
        }
        guard i == n else { return nil }
        let seconds = Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return of(days: days) + seconds * microsPerSecond + Int64(micros)
    }

    public static func parse(_ text: String) -> Int64? {
        var s = text
        return s.withUTF8 { b in b.baseAddress.flatMap { parse($0, b.count) } }
    }
}

/// `2015-03-01 14:30:00`, and `.ffffff` when there are fractions of a second.
public func formatTimestamp(_ t: Int64) -> String {
    var out = GrowableBuffer<UInt8>()
    defer { out.release() }
    CellWriter.appendTimestamp(t, to: &out)
    return String(decoding: out.elements, as: UTF8.self)
}
