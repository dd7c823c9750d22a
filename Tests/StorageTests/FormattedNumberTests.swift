import Testing
@testable import Storage

@Suite("Numbers as Excel writes them")
struct FormattedNumberTests {
    static func parse(_ s: String, unit: MoneyUnit? = nil) -> FormattedNumber? {
        var bytes = Array(s.utf8) + [UInt8](repeating: 0, count: 16)
        return bytes.withUnsafeMutableBufferPointer { FormattedNumber.parse($0.baseAddress!, $0.count - 16, unit: unit) }
    }

    @Test("each form, read exactly", arguments: [
        ("1,234", "1234", true), ("-1,234,567", "-1234567", true), ("1,234.56", "1234.56", false),
        ("(1,234.00)", "-1234", false), ("(800)", "-800", true), ("12.5%", "0.125", false), ("(2.5%)", "-0.025", false),
        ("１２３．５", "123.5", false), ("－１２", "-12", true), ("５０％", "0.5", false), (" 42 ", "42", true), ("\u{3000}7.25\u{3000}", "7.25", false),
    ])
    func forms(text: String, value: String, integer: Bool) {
        let f = FormattedNumberTests.parse(text)
        #expect(f?.exact == FixedDecimal(value), "\(text)")
        #expect((f?.integer != nil) == integer, "\(text)")
    }

    @Test("amounts with a unit, in the money column's unit", arguments: [
        ("3500万元", MoneyUnit.wan, "3500"), ("1.2亿", .wan, "12000"), ("800元", .wan, "0.08"), ("1.5亿元", .yi, "1.5"), ("2万", .yuan, "20000"),
        ("0.01元", .yi, "0.0000000001"), ("123456.78元", .wan, "12.345678"),
    ])
    func units(text: String, unit: MoneyUnit, value: String) {
        #expect(FormattedNumberTests.parse(text, unit: unit)?.exact == FixedDecimal(value))
        #expect(FormattedNumberTests.parse(text) == nil, "a unit is not a number outside a money column")
    }

    @Test("what could mean two things is not a number", arguments: [
        "1,23", "1,2345", "1.234,56", ",123", "12,34.5", "(-5)", "1,234.5,6", "%", "()", "12%%", "1 234",
    ])
    func ambiguous(text: String) {
        #expect(FormattedNumberTests.parse(text) == nil, "\(text)")
    }

    @Test("an ambiguous cell in a declared number column is an error at its place; inferred, the column is text")
    func ambiguousCells() throws {
        let e = loadError("id,amount\n1,\"1,234.5\"\n2,\"1,23\"\n", schema: "[t.columns]\namount = \"decimal\"\n")
        #expect(e?.description == "t.csv:3:4: '1,23' in column 'amount' is not a number (schema.toml declares decimal)")
        let t = try loadCSV("id,amount\n1,\"1,234.5\"\n2,\"1,23\"\n")
        #expect(t.column(named: "amount")?.type == .text)
    }
}

extension FormattedNumber: Equatable {
    public static func == (a: FormattedNumber, b: FormattedNumber) -> Bool { a.exact == b.exact && a.integer == b.integer }
}
