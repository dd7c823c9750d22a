import Testing
import Storage

@Suite("Cells written as bytes")
struct CellWriterTests {
    func text(_ write: (inout GrowableBuffer<UInt8>) -> Void) -> String {
        var out = GrowableBuffer<UInt8>()
        defer { out.release() }
        write(&out)
        return String(decoding: out.elements, as: UTF8.self)
    }

    @Test("decimals: the same shortest text as formatDecimal, for amounts with a few decimals and for arbitrary doubles")
    func decimals() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.1, 0.5, 1589.4, -1589.4, 0.005, 123456.789, 1e15, 9e15, 1e16, 2.5e-7,
                                0.1 + 0.2, 1.0 / 3, .pi, -.pi, 144324.03, 2024418.17, .nan, .infinity, -.infinity]
        for _ in 0..<20_000 {
            let scale = [1.0, 10, 100, 1000, 1e4, 1e6, 1e9][Int.random(in: 0..<7, using: &generator)]
            values.append(Double(Int64.random(in: -10_000_000_000...10_000_000_000, using: &generator)) / scale)
            values.append(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
        }
        for v in values {
            let written = text { CellWriter.appendDecimal(v, to: &$0) }
            #expect(written == formatDecimal(v), "\(v.bitPattern): \(written) vs \(formatDecimal(v))")
        }
    }

    @Test("integers and dates")
    func integersAndDates() {
        for v: Int64 in [0, 7, -7, 10, 1_000_000, .max, .min, -9_223_372_036_854_775_807] {
            #expect(text { CellWriter.appendInteger(v, to: &$0) } == String(v))
        }
        for days: Int32 in [0, -1, 16_495, 2_932_896, -719_468] {
            #expect(text { CellWriter.appendDate(days, to: &$0) } == formatDate(days))
        }
    }

    @Test("timestamps: seconds always, fractions when there are any, before 1970 too")
    func timestamps() {
        let cases: [(String, String)] = [
            ("2013-01-01T10:00:00Z", "2013-01-01 10:00:00"), ("2013-01-01T10:00:00+08:00", "2013-01-01 02:00:00"),
            ("2015-03-01 14:30:00.25", "2015-03-01 14:30:00.250000"), ("1969-12-31 23:59:59.000001", "1969-12-31 23:59:59.000001"),
            ("2015年3月1日 14:30", "2015-03-01 14:30:00"), ("2015/3/1", "2015-03-01 00:00:00"),
        ]
        for (cell, shown) in cases {
            let t = Timestamp.parse(cell)
            #expect(t.map { v in text { CellWriter.appendTimestamp(v, to: &$0) } } == shown, "\(cell)")
            #expect(t.map(formatTimestamp) == shown)
        }
    }
}
