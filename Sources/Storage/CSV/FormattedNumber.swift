/// A number as Chinese Excel exports write it, read where a plain number does not parse:
/// thousands separators (`"1,234.56"`, groups of exactly three digits), accounting negatives
/// (`(1,234.00)`), a percent sign (`12.5%` is 0.125), full-width digits, signs, point, comma
/// and percent (`１２３．５`), spaces around (ASCII, and the ideographic space), and in a money
/// column a unit after the number (`3500万元`, `1.2亿`, `800元`), converted to the column's
/// unit. Anything else — `1,23`, `1.234,56`, two signs — is not a number: an inferred column is
/// then text, and a declared one fails at that cell with its place.
struct FormattedNumber {
    /// 10^k as a double, for the rare number only a float column holds.
    static func pow10(_ k: Int) -> Double { k >= 0 ? Double(FixedDecimal.powers[k]) : 1 / Double(FixedDecimal.powers[-k]) }

    /// The value exactly, in the column's unit; nil when it needs more than 18 digits after the
    /// point or 64 bits of units (a float column then takes `double`).
    var exact: FixedDecimal?
    var double: Double
    /// The value when it is a whole number without a percent sign or a unit conversion.
    var integer: Int64?
    /// Written with a percent sign.
    var percent = false

    /// `unit`: the money column's unit, for cells that name one; nil elsewhere (a unit is then
    /// not a number).
    static func parse(_ p: UnsafePointer<UInt8>, _ n: Int, unit: MoneyUnit? = nil) -> FormattedNumber? {
        // Full-width forms and spaces first, into ASCII.
        var a: [UInt8] = []
        a.reserveCapacity(n + 16)
        var i = 0
        while i < n {
            let b = p[i]
            if b == 0xEF, i + 2 < n, p[i + 1] == 0xBC, p[i + 2] >= 0x85, p[i + 2] <= 0x99 {
                let c = p[i + 2]
                switch c {
                case 0x90...0x99: a.append(UInt8(ascii: "0") + c - 0x90)   // ０–９
                case 0x8E: a.append(UInt8(ascii: "."))                      // ．
                case 0x8D: a.append(UInt8(ascii: "-"))                      // －
                case 0x8B: a.append(UInt8(ascii: "+"))                      // ＋
                case 0x8C: a.append(UInt8(ascii: ","))                      // ，
                case 0x85: a.append(UInt8(ascii: "%"))                      // ％
                case 0x88: a.append(UInt8(ascii: "("))                      // （
                case 0x89: a.append(UInt8(ascii: ")"))                      // ）
                default: return nil
                }
                i += 3
            } else if b == 0xE3, i + 2 < n, p[i + 1] == 0x80, p[i + 2] == 0x80 {
                a.append(UInt8(ascii: " "))                                   // ideographic space
                i += 3
            } else {
                a.append(b)
                i += 1
            }
        }
        // Spaces around.
        while let f = a.first, f == UInt8(ascii: " ") || f == UInt8(ascii: "\t") { a.removeFirst() }
        while let l = a.last, l == UInt8(ascii: " ") || l == UInt8(ascii: "\t") { a.removeLast() }
        // A money unit after the number: 元, 万元, 万, 亿元, 亿 (E5 85 83, E4 B8 87, E4 BA BF).
        // The cell's unit against the column's, as a power of ten (万 in a 元 column: 4).
        var shift = 0
        var converted = false
        if let unit {
            var power = 0
            if a.count >= 3, a.suffix(3) == [0xE5, 0x85, 0x83] { a.removeLast(3); converted = true }
            if a.count >= 3, a.suffix(3) == [0xE4, 0xB8, 0x87] { a.removeLast(3); power = 4; converted = true }
            else if a.count >= 3, a.suffix(3) == [0xE4, 0xBA, 0xBF] { a.removeLast(3); power = 8; converted = true }
            if converted { shift = power - unit.powerOfTen }
        }
        var negative = false
        if a.first == UInt8(ascii: "("), a.last == UInt8(ascii: ")") {
            a.removeFirst()
            a.removeLast()
            negative = true
        }
        var percent = false
        if a.last == UInt8(ascii: "%") {
            a.removeLast()
            percent = true
        }
        guard !a.isEmpty else { return nil }
        // Thousands separators: only between groups of exactly three digits, before any point.
        if let firstComma = a.firstIndex(of: UInt8(ascii: ",")) {
            let point = a.firstIndex(of: UInt8(ascii: ".")) ?? a.count
            guard firstComma < point, !a[point...].contains(UInt8(ascii: ",")) else { return nil }
            let signLength = a[0] == UInt8(ascii: "-") || a[0] == UInt8(ascii: "+") ? 1 : 0
            let groups = a[signLength..<point].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard let lead = groups.first, (1...3).contains(lead.count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }),
                  groups.allSatisfy({ $0.allSatisfy { $0 &- 48 < 10 } }) else { return nil }
            a.removeAll { $0 == UInt8(ascii: ",") }
        }
        if negative, a.first == UInt8(ascii: "-") || a.first == UInt8(ascii: "+") { return nil }
        let count = a.count
        a.append(contentsOf: [UInt8](repeating: 0, count: 16))   // slack for word reads
        return a.withUnsafeBufferPointer { b -> FormattedNumber? in
            let q = b.baseAddress!
            if !percent, !converted, let v = CellParsers.parseInt(q, count) {
                let signed = negative ? -v : v
                return FormattedNumber(exact: FixedDecimal(signed), double: Double(signed), integer: signed)
            }
            guard var d = CellParsers.parseDouble(q, count) else { return nil }
            // Exactly: a sign, a percent moving the point two places, a unit moving it by its power.
            var exact = FixedDecimal.parse(q, count)
            if negative { d = -d; exact?.units.negate() }
            if percent { d /= 100; exact?.scale += 2 }
            if let e = exact { exact = e.scale > 18 ? nil : e.shifted(by: shift) }
            return FormattedNumber(exact: exact, double: exact?.doubleValue ?? d * FormattedNumber.pow10(shift), integer: nil, percent: percent)
        }
    }
}
