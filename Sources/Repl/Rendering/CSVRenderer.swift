import Storage
import Dispatch

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
    /// A long table is formatted by two threads, a stretch of rows each, written in order.
    public func render(_ table: Table, into sink: OutputSink) {
        sink.write(table.columns.map { quote($0.name) }.joined(separator: String(separator)) + "\n")
        let writers = table.columns.map { CellWriter($0, quoting: separator == "\t" ? .tsv : .csv) }
        let sep = UInt8(ascii: separator == "\t" ? "\t" : ",")
        // The writers hold pointers into the table's columns.
        withExtendedLifetime(table) { writeRows(table, writers, sep, into: sink) }
    }

    private func writeRows(_ table: Table, _ writers: [CellWriter], _ sep: UInt8, into sink: OutputSink) {
        let stretch = 1 << 15
        let pieces = UnsafeMutablePointer<GrowableBuffer<UInt8>>.allocate(capacity: 2)
        pieces.initialize(repeating: GrowableBuffer(), count: 2)
        defer {
            pieces[0].release()
            pieces[1].release()
            pieces.deallocate()
        }
        var row = 0
        while row < table.rowCount {
            let parts = table.rowCount - row > stretch ? 2 : 1
            let start = row
            let shared = UncheckedPieces(pieces)
            let format: @Sendable (Int) -> Void = { part in
                let lo = Swift.min(table.rowCount, start + part * stretch), hi = Swift.min(table.rowCount, lo + stretch)
                shared.pointer[part].removeAll()
                writers.withUnsafeBufferPointer { w in
                    if let order = table.rows {
                        order.withUnsafeBufferPointer { CSVRenderer.rows($0.baseAddress, lo..<hi, w, sep, into: &shared.pointer[part]) }
                    } else {
                        CSVRenderer.rows(nil, lo..<hi, w, sep, into: &shared.pointer[part])
                    }
                }
            }
            if parts == 1 { format(0) } else { DispatchQueue.concurrentPerform(iterations: 2, execute: format) }
            for part in 0..<parts {
                let piece = pieces[part].elements
                sink.append { $0.append(contentsOf: UnsafeBufferPointer(piece)) }
            }
            row = Swift.min(table.rowCount, start + parts * stretch)
        }
    }

    /// Rows `range` of the table whose row map is `order` (nil: the columns' rows in order). The
    /// map is a pointer: `Table.row` reads an array out of a class, retained and released per row.
    private static func rows(_ order: UnsafePointer<Int32>?, _ range: Range<Int>, _ writers: UnsafeBufferPointer<CellWriter>, _ sep: UInt8,
                             into out: inout GrowableBuffer<UInt8>) {
        let single = writers.count == 1
        let ahead = 16
        for i in range {
            if i + ahead < range.upperBound {
                let next = order.map { Int($0[i + ahead]) } ?? i + ahead
                for c in 0..<writers.count { writers[c].prefetch(next) }
            }
            let r = order.map { Int($0[i]) } ?? i
            // A one-column row that is null would be a blank line, which readers skip.
            if single, writers[0].isNull(r) {
                out.append(UInt8(ascii: "\""))
                out.append(UInt8(ascii: "\""))
                out.append(10)
                continue
            }
            for c in 0..<writers.count {
                if c > 0 { out.append(sep) }
                writers[c].append(r, to: &out)
            }
            out.append(10)
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

/// The two threads' output buffers, each written by its own thread.
private struct UncheckedPieces: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<GrowableBuffer<UInt8>>
    init(_ pointer: UnsafeMutablePointer<GrowableBuffer<UInt8>>) { self.pointer = pointer }
}
