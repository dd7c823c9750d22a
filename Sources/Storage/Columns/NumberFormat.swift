/// The shortest decimal that reads back as the same Double, written without an exponent and
/// without a trailing `.0`: `3500`, `0.1`, `0.00001`, `-12.5`. Used wherever a number is
/// printed as plain text (CSV, JSON, errors).
public func formatDecimal(_ v: Double) -> String {
    if v.isNaN { return "NaN" }
    if v.isInfinite { return v < 0 ? "-inf" : "inf" }
    if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
    let s = "\(v)"   // Swift prints the shortest round-tripping digits
    guard let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
        return s.hasSuffix(".0") ? String(s.dropLast(2)) : s
    }
    let mantissa = s[..<e]
    let exponent = Int(s[s.index(after: e)...])!
    let negative = mantissa.hasPrefix("-")
    let digitsPart = negative ? mantissa.dropFirst() : mantissa[...]
    let pointIndex = digitsPart.firstIndex(of: ".")
    let intDigits = pointIndex.map { digitsPart[..<$0] } ?? digitsPart
    let fracDigits = pointIndex.map { digitsPart[digitsPart.index(after: $0)...] } ?? ""
    var digits = String(intDigits) + String(fracDigits)
    var point = intDigits.count + exponent
    while digits.hasSuffix("0"), digits.count > point, digits.count > 1 { digits.removeLast() }
    var out: String
    if point <= 0 {
        out = "0." + String(repeating: "0", count: -point) + digits
    } else if point >= digits.count {
        out = digits + String(repeating: "0", count: point - digits.count)
    } else {
        let idx = digits.index(digits.startIndex, offsetBy: point)
        out = digits[..<idx] + "." + digits[idx...]
    }
    point = 0
    return (negative ? "-" : "") + out
}
