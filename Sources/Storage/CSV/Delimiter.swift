/// Which byte separates the fields of a file: a comma, or what spreadsheets and statistics
/// systems write instead — a tab (Excel's "text" export, most TSV), a semicolon (Excel where
/// the comma is the decimal mark) or `|`. Sniffed from the first lines, outside quotes: the
/// candidate found the same number of times on every line, the header included; among several,
/// the first of comma, tab, semicolon, `|`. Without one consistent on every line, the one the
/// header has most of, so a ragged line gets the field-count error it deserves.
enum Delimiter {
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\t"), UInt8(ascii: ";"), UInt8(ascii: "|")]
    /// Lines looked at.
    static let sampleLines = 50

    static func sniff(_ p: UnsafePointer<UInt8>, _ n: Int, isWholeFile: Bool) -> UInt8 {
        // counts[line][candidate], for complete lines (a line the sample cuts says nothing).
        var counts: [[Int]] = []
        var current = [Int](repeating: 0, count: candidates.count)
        var quoted = false, blank = true
        var i = 0
        while i < n, counts.count < sampleLines {
            let c = p[i]
            if c == UInt8(ascii: "\"") {
                quoted.toggle()
                blank = false
            } else if !quoted, c == UInt8(ascii: "\n") {
                if !blank { counts.append(current) }
                current = [Int](repeating: 0, count: candidates.count)
                blank = true
            } else if !quoted {
                if c != UInt8(ascii: "\r") { blank = false }
                for (k, d) in candidates.enumerated() where c == d { current[k] += 1 }
            }
            i += 1
        }
        if i >= n, isWholeFile, !blank, !quoted { counts.append(current) }
        guard let header = counts.first else { return candidates[0] }
        for k in candidates.indices where header[k] > 0 && counts.allSatisfy({ $0[k] == header[k] }) {
            return candidates[k]
        }
        let most = header.max() ?? 0
        return most > 0 ? candidates[header.firstIndex(of: most)!] : candidates[0]
    }
}
