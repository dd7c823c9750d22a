import Testing
@testable import Storage

/// The worksheet scanner: what it reads from a sheet's XML as real writers produce it (Excel,
/// openpyxl, LibreOffice, prefixed namespaces), and how it refuses XML that is not well-formed,
/// naming the cell. Every document is also fed in small pieces, so a tag, an entity or a CR LF
/// cut between two reads gives the same cells.
@Suite("Worksheet scanner")
struct SheetScannerTests {
    /// Writes what the scanner reports, one line an event: `row 2`, `B2 inlineString s0 项目`, `end`.
    struct Recorder: SheetSink {
        var events: [String] = []
        mutating func expect(rows: Int) { events.append("dimension \(rows)") }
        mutating func beginRow(_ number: Int) { events.append("row \(number)") }
        mutating func cell(column: Int, row: Int, kind: CellKind, style: Int, _ p: UnsafePointer<UInt8>, _ n: Int) throws(WorkbookError) {
            events.append("\(excelCellName(column: column, row: row)) \(kind) s\(style) \(String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))")
        }
        mutating func endRow() throws(WorkbookError) { events.append("end") }
    }

    /// The events of `xml` read `chunk` bytes at a time.
    static func scan(_ xml: String, chunk: Int = 1 << 20) throws(WorkbookError) -> [String] {
        let bytes = Array(xml.utf8)
        var scanner = SheetScanner(sink: Recorder(), part: "xl/worksheets/sheet1.xml")
        defer { scanner.release() }
        var at = 0
        try scanner.run(chunk: chunk) { (buffer, n) in
            let k = Swift.min(n, bytes.count - at)
            for i in 0..<k { buffer[i] = bytes[at + i] }
            at += k
            return k
        }
        return scanner.sink.events
    }

    /// The events of `xml`, which must be the same whatever size the reads are.
    static func events(_ xml: String) throws -> [String] {
        let whole = try scan(xml)
        for chunk in [1, 2, 3, 5, 8, 13] {
            #expect(try scan(xml, chunk: chunk) == whole, "read \(chunk) bytes at a time")
        }
        return whole
    }

    /// The error `xml` gives, as `CELL: message` (or the message alone outside the cells).
    static func error(_ xml: String) -> String? {
        do {
            _ = try scan(xml)
            return nil
        } catch {
            return (error.cell.map { $0 + ": " } ?? "") + error.message
        }
    }

    /// A sheet's XML up to its first row, as Excel writes it.
    static let head = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\r\n"
        + #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C3"/><sheetData>"#

    static func sheet(_ rows: String) -> String {
        head + rows + "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:C1\"/></mergeCells></worksheet>"
    }

    @Test("cells by their t attribute, with their style; attributes in any order and either quote")
    func kinds() throws {
        let xml = SheetScannerTests.sheet("""
            <row r="2"><c r="A2" s="1" t="s"><v>0</v></c><c t="inlineStr" r="B2"><is><t>项目</t></is></c>\
            <c s='3' r='C2'><v>1234.5</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c>\
            <c r="F2" t="str"><f>A2&amp;"x"</f><v>公式</v></c><c r="G2" t="d"><v>2015-03-01</v></c></row>
            """)
        #expect(try SheetScannerTests.events(xml) == [
            "dimension 3", "row 2", "A2 sharedString s1 0", "B2 inlineString s0 项目", "C2 number s3 1234.5", "D2 boolean s0 1",
            "E2 error s0 #N/A", "F2 formulaString s0 公式", "G2 date s0 2015-03-01", "end",
        ])
    }

    @Test("empty and self-closing cells give nothing; cells and rows without r count on from the last")
    func sparse() throws {
        let xml = SheetScannerTests.sheet("""
            <row r="3" spans="1:3"><c r="A3" s="2"/><c r="B3"></c><c><v>x</v></c></row><row><c r="AB4"><v>7</v></c><c><v>8</v></c></row>\
            <row r="9"/>
            """)
        #expect(try SheetScannerTests.events(xml) == [
            "dimension 3", "row 3", "C3 number s0 x", "end", "row 4", "AB4 number s0 7", "AC4 number s0 8", "end", "row 9", "end",
        ])
    }

    @Test("entities and character references decoded; CR LF and CR read as LF; CDATA as it is")
    func text() throws {
        let xml = SheetScannerTests.sheet("""
            <row r="1"><c r="A1" t="inlineStr"><is><t>&amp;&lt;&gt;&quot;&apos; &#20107;&#x4E8B;&#x4e8b; &#128512;</t></is></c>\
            <c r="B1" t="inlineStr"><is><t xml:space="preserve">a\r\nb\rc\nd\te</t></is></c>\
            <c r="C1" t="inlineStr"><is><t><![CDATA[1<2 & &amp;]]></t></is></c><c r="D1" t="inlineStr"><is><t>&#13;</t></is></c></row>
            """)
        #expect(try SheetScannerTests.events(xml) == [
            "dimension 3", "row 1", "A1 inlineString s0 &<>\"' 事事事 😀", "B1 inlineString s0 a\nb\nc\nd\te",
            "C1 inlineString s0 1<2 & &amp;", "D1 inlineString s0 \r", "end",
        ])
    }

    @Test("rich text runs joined, phonetic guides and run properties left out")
    func richText() throws {
        let xml = SheetScannerTests.sheet("""
            <row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>重点</t></r><r><t xml:space="preserve">项目</t></r>\
            <rPh sb="0" eb="2"><t>zhongdian</t></rPh><phoneticPr fontId="1"/></is></c></row>
            """)
        #expect(try SheetScannerTests.events(xml) == ["dimension 3", "row 2", "A2 inlineString s0 重点项目", "end"])
    }

    @Test("namespace prefixes (x:c), comments, processing instructions and a byte-order mark")
    func prefixes() throws {
        let xml = "\u{FEFF}<?xml version='1.0' encoding='utf-8'?><!-- made by hand --><x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
            + "<x:sheetData><x:row x:r=\"5\"><x:c r=\"B5\" t=\"s\"><!-- a note --><x:v>3</x:v></x:c><?pi here?></x:row></x:sheetData>"
            + "<x:sheetData><x:row><x:c><x:v>after the sheet's data: not read</x:v></x:c></x:row></x:sheetData></x:worksheet>\n"
        #expect(try SheetScannerTests.events(xml) == ["row 5", "B5 sharedString s0 3", "end"])
    }

    @Test("an attribute written with an entity is decoded before it is read")
    func attributeEntities() throws {
        let xml = SheetScannerTests.sheet(#"<row r="&#50;"><c r="&#65;2" t="&#115;"><v>4</v></c></row>"#)
        #expect(try SheetScannerTests.events(xml) == ["dimension 3", "row 2", "A2 sharedString s0 4", "end"])
    }

    @Test("XML that is not well-formed: an error naming the cell, never a cell read wrong", arguments: [
        (#"<row r="14"><c r="C14"><v>1</x></c></row>"#, "C14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: </x> where <v> is open"),
        (#"<row r="14"><c r="C14" t="inlineStr"><is><t>a&nbsp;b</t></is></c></row>"#, "C14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: unknown entity &nbsp;"),
        (#"<row r="14"><c r="C14" t="inlineStr"><is><t>a & b</t></is></c></row>"#, "C14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: an '&' that starts no entity (a '&' in text is written &amp;)"),
        (#"<row r="14"><c r="C14"><v>&#0;</v></c></row>"#, "C14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: &#0; is no character XML allows"),
        ("<row r=\"14\"><c r=\"C14\"><v>1\u{1}</v></c></row>", "C14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: control character 0x01 in a cell's text (not allowed in XML)"),
        (#"<row r="14"><c r="C14" t="s<"><v>1</v></c></row>"#, "row 14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: a '<' in the value of attribute t"),
        (#"<row r="14"><c r="C14" t="s" t="n"><v>1</v></c></row>"#, "row 14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: attribute t twice in one tag"),
        (#"<row r="14"><c r="B14"><v>1</v></c><c r=C14><v>1</v></c></row>"#, "row 14, after B14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: the value of attribute r is not in quotes"),
        (#"<row r="14"><c r="C14"><v>1</v></c><c r="D14"><v>2</v></c><v>"#, "row 14, after D14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: </sheetData> where <v> is open"),
        (#"<row r="14"><c r="C14"><v>1 < 2</v></c></row>"#, "C14: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: '<' followed by ' ' (a '<' in text is written &lt;)"),
    ])
    func malformed(_ rows: String, _ expected: String) {
        #expect(SheetScannerTests.error(SheetScannerTests.sheet(rows)) == expected)
    }

    @Test("invalid UTF-8 in a value is refused at its cell")
    func invalidUTF8() throws {
        var bytes = Array(SheetScannerTests.sheet(#"<row r="2"><c r="B2" t="inlineStr"><is><t>ab</t></is></c></row>"#).utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "b"))!
        bytes[at] = 0xE6   // a lead byte with no continuation
        var scanner = SheetScanner(sink: Recorder(), part: "xl/worksheets/sheet1.xml")
        defer { scanner.release() }
        var done = false
        #expect {
            try scanner.run { (buffer, n) in
                if done { return 0 }
                done = true
                for i in bytes.indices { buffer[i] = bytes[i] }
                return bytes.count
            }
        } throws: { error in
            (error as? WorkbookError)?.cell == "B2" && (error as? WorkbookError)?.message.hasSuffix("the cell's text is not valid UTF-8") == true
        }
    }

    @Test("a part cut off, a DOCTYPE, text or a second element outside the root, another encoding", arguments: [
        (head + #"<row r="7"><c r="A7"><v>1</v></c><c r="B"#, "row 7, after A7: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: the part ends inside a tag (cut off?)"),
        (head + #"<row r="7"><c r="A7"><v>1"#, "A7: part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: the part ends inside <v> (cut off?)"),
        ("", "part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: the part has no root element"),
        (#"<!DOCTYPE worksheet [<!ENTITY a "aaaa">]><worksheet/>"#, "part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: a DOCTYPE, which no sheet has (entity definitions are refused)"),
        ("<worksheet/>junk", "part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: text after the root element"),
        ("<worksheet/><worksheet/>", "part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: a second root element <worksheet> after the first"),
        (#"<?xml version="1.0" encoding="GB2312"?><worksheet/>"#, "part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: the part says it is in gb2312; only UTF-8 sheets are read"),
    ])
    func refusals(_ xml: String, _ expected: String) {
        #expect(SheetScannerTests.error(xml) == expected)
    }

    @Test("elements nested without end are refused past a depth, not followed down")
    func depth() {
        let xml = String(repeating: "<a>", count: 10_000)
        #expect(SheetScannerTests.error(xml) == "part xl/worksheets/sheet1.xml of the workbook is not well-formed XML: elements nested deeper than 256")
    }
}
