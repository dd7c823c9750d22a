/// Dates as days since 1970-01-01 (proleptic Gregorian), with Howard Hinnant's civil-date
/// algorithms: exact for every year, no calendar object, no allocation.
public struct CivilDate: Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public init(days: Int32) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public var days: Int32 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int32(era * 146_097 + doe - 719_468)
    }

    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Parses `2015-03-01`, `2015/3/1` and `2015年3月1日` (months and days with or without a
    /// leading zero). Nil for anything else, including impossible dates like 2015-02-30.
    public static func parse(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
        var i = 0
        func number(maxDigits: Int) -> Int? {
            var v = 0
            let start = i
            while i < n, i - start < maxDigits, p[i] >= 48, p[i] <= 57 {
                v = v * 10 + Int(p[i] - 48)
                i += 1
            }
            return i == start ? nil : v
        }
        // 年 E5 B9 B4, 月 E6 9C 88, 日 E6 97 A5
        func expect(_ bytes: [UInt8]) -> Bool {
            guard i + bytes.count <= n else { return false }
            for (k, b) in bytes.enumerated() where p[i + k] != b { return false }
            i += bytes.count
            return true
        }
        guard n >= 8, let year = number(maxDigits: 4), i == 4 else { return nil }
        let month: Int, day: Int
        if p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "/") {
            let sep = p[i]
            i += 1
            guard let m = number(maxDigits: 2), i < n, p[i] == sep else { return nil }
            i += 1
            guard let d = number(maxDigits: 2) else { return nil }
            month = m
            day = d
        } else if expect([0xE5, 0xB9, 0xB4]) {
            guard let m = number(maxDigits: 2), expect([0xE6, 0x9C, 0x88]), let d = number(maxDigits: 2) else { return nil }
            _ = expect([0xE6, 0x97, 0xA5])
            month = m
            day = d
        } else {
            return nil
        }
        guard i == n, (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }
        return CivilDate(year: year, month: month, day: day).days
    }

    public static func parse(_ text: String) -> Int32? {
        var s = text
        return s.withUTF8 { b in b.baseAddress.flatMap { parse($0, b.count) } }
    }
}

/// ISO 8601: `2015-03-01`.
public func formatDate(_ days: Int32) -> String {
    let c = CivilDate(days: days)
    func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
    return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))"
}
