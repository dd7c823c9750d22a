/// What a cell's number format says its number is: Excel keeps dates, times and percentages
/// as plain numbers and tells them apart only by the format (styles.xml's `numFmtId`, built in
/// or a custom `formatCode`).
enum CellFormat: Equatable {
    case number
    /// A day: `yyyy-mm-dd`, `yyyy"年"m"月"d"日"`.
    case date
    /// A day and a time of day: `yyyy-mm-dd hh:mm`.
    case timestamp
    /// A time of day or a duration without a day: `h:mm`, `[h]:mm:ss`.
    case time
    /// A ratio shown as a percentage: `0.0%`.
    case percent

    /// The built-in formats (ECMA-376 18.8.30, and the East Asian ids Excel writes for a
    /// Chinese locale: 27–36, 50–58 are 年/月/日 dates, 32–33 times).
    static func builtIn(_ id: Int) -> CellFormat {
        switch id {
        case 9, 10: .percent
        case 14...17, 27...31, 34...36, 50...58: .date
        case 22: .timestamp
        case 18...21, 32, 33, 45...47: .time
        default: .number
        }
    }

    /// Classifies a custom format code by its first section (the one for positive numbers):
    /// quoted literals (`"年"`), escaped characters (`\-`), fill and padding (`*x`, `_x`) and
    /// bracketed parts (`[Red]`, `[$-804]`) are not codes; `[h]`, `[mm]`, `[ss]` are elapsed
    /// time. `y`, `d`, `e` (year) are date codes, `h` and `s` time codes; `m` is a minute right
    /// after `h` or before `s`, else a month. A `%` makes a percentage.
    static func classify(_ code: String) -> CellFormat {
        // "General" is the default format, not the codes G, e, n …
        var bytes = Array(code.utf8)
        let general = Array("general".utf8)
        var g = 0
        while g + general.count <= bytes.count {
            if bytes[g..<g + general.count].map({ $0 | 0x20 }) == general { bytes.removeSubrange(g..<g + general.count) } else { g += 1 }
        }
        var i = 0
        var date = false, time = false, percent = false
        var lastCode: UInt8 = 0    // the last date/time code letter, for m's meaning
        var pendingM = false       // an m whose meaning waits for what follows
        func resolveM(minute: Bool) {
            if pendingM { if minute { time = true } else { date = true } }
            pendingM = false
        }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: ";"):
                i = bytes.count
                continue
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 1
            case UInt8(ascii: "["):
                let start = i + 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "]") { i += 1 }
                let inner = bytes[start..<Swift.min(i, bytes.count)].map { $0 | 0x20 }
                if let f = inner.first, inner.allSatisfy({ $0 == f }), f == UInt8(ascii: "h") || f == UInt8(ascii: "m") || f == UInt8(ascii: "s") {
                    time = true
                }
            case UInt8(ascii: "%"):
                percent = true
            default:
                switch b | 0x20 {
                case UInt8(ascii: "y"), UInt8(ascii: "d"), UInt8(ascii: "e"):
                    // `e` is a year code only outside numbers' exponents (0.00E+00).
                    if b | 0x20 == UInt8(ascii: "e"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "+") || bytes[i + 1] == UInt8(ascii: "-") { break }
                    resolveM(minute: false)
                    date = true
                    lastCode = UInt8(ascii: "d")
                case UInt8(ascii: "h"):
                    resolveM(minute: false)
                    time = true
                    lastCode = UInt8(ascii: "h")
                case UInt8(ascii: "s"):
                    resolveM(minute: true)
                    time = true
                    lastCode = UInt8(ascii: "s")
                case UInt8(ascii: "m"):
                    if pendingM || lastCode == UInt8(ascii: "m") { break }   // the rest of mm, mmm
                    if lastCode == UInt8(ascii: "h") {
                        time = true
                    } else {
                        pendingM = true
                    }
                    lastCode = UInt8(ascii: "m")
                case UInt8(ascii: "a"):
                    // AM/PM, A/P: a time; "General" never reaches here with a code letter.
                    if bytes[i...].starts(with: Array("AM/PM".utf8)) || bytes[i...].starts(with: Array("am/pm".utf8)) || bytes[i...].starts(with: Array("A/P".utf8)) {
                        time = true
                    }
                default:
                    break
                }
            }
            i += 1
        }
        resolveM(minute: false)
        if date && time { return .timestamp }
        if date { return .date }
        if time { return .time }
        if percent { return .percent }
        return .number
    }
}
