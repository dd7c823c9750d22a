import Storage

/// CSV (or TSV) of a result: a header row, then rows; numbers plain with the shortest exact
/// decimal and no separators, ISO dates, true/false, null as an empty field, money as a plain
/// number in its column's unit. RFC 4180 quoting where a field needs it.
public struct CSVRenderer {
    public var separator: Character = ","

    public init(separator: Character = ",") {
        self.separator = separator
    }

    public func render(_ table: Table) -> String {
        let sink = OutputSink()
        render(table, into: sink)
        return sink.text
    }

    /// Writes the table into `sink` a row at a time, each cell's bytes straight from its column.
    public func render(_ table: Table, into sink: OutputSink) {
        sink.write(table.columns.map { quote($0.name) }.joined(separator: String(separator)) + "\n")
        let writers = table.columns.map { CellWriter($0, quoting: separator == "\t" ? .tsv : .csv) }
        let sep = UInt8(ascii: separator == "\t" ? "\t" : ",")
        let single = table.columns.count == 1 ? writers[0] : nil
        var row = 0
        while row < table.rowCount {
            let end = Swift.min(table.rowCount, row + 1024)
            sink.append { out in
                for i in row..<end {
                    let r = table.row(i)
                    // A one-column row that is null would be a blank line, which readers skip.
                    if let single, single.isNull(r) {
                        out.append(UInt8(ascii: "\""))
                        out.append(UInt8(ascii: "\""))
                        out.append(10)
                        continue
                    }
                    for (c, w) in writers.enumerated() {
                        if c > 0 { out.append(sep) }
                        w.append(r, to: &out)
                    }
                    out.append(10)
                }
            }
            row = end
        }
    }

    func quote(_ s: String) -> String {
        if separator == "\t" {
            return s.contains(where: { $0 == "\t" || $0 == "\n" || $0 == "\r" })
                ? s.replacingAll(["\t": "\\t", "\n": "\\n", "\r": "\\r"]) : s
        }
        guard s.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ map: [Character: String]) -> String {
        var out = ""
        for c in self { out += map[c] ?? String(c) }
        return out
    }
}
