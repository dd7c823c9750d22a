import TextSupport
#if canImport(Glibc)
import Glibc
#endif

/// What a worksheet cell holds, by its `t` attribute: `s` shared string, `str` formula string,
/// `inlineStr`, `b`, `e`, `d`, and `n` (or none) number.
enum CellKind: UInt8 {
    case number, sharedString, inlineString, formulaString, boolean, error, date
}

/// Where `SheetScanner` sends a sheet's rows and cells.
protocol SheetSink {
    /// The sheet's `<dimension ref="A1:K1000">` says it has about `rows` rows.
    mutating func expect(rows: Int)
    mutating func beginRow(_ number: Int)
    /// A cell with a value (never empty): 0-based column, 1-based row, its kind, its style
    /// index (`s`), and its value's text — `<v>`, or the runs of `<is>` joined — with the XML
    /// entities decoded.
    mutating func cell(column: Int, row: Int, kind: CellKind, style: Int, _ p: UnsafePointer<UInt8>, _ n: Int) throws(WorkbookError)
    mutating func endRow() throws(WorkbookError)
}

/// The worksheet part's XML (`xl/worksheets/sheetN.xml`), scanned by our own code because it is
/// the hot path of a workbook load: a sheet of a million rows is 700 MB of XML, and expat's
/// general parsing, with a callback per element and per piece of text, was most of the time
/// (BENCHMARKS.md, Workbooks). The small parts (workbook, styles, shared strings, relationships)
/// stay with expat.
///
/// It reads what SpreadsheetML needs — `<sheetData>`, `<row r>`, `<c r t s>` (self-closing or
/// not, attributes in any order and either quote), `<v>`, `<is>` with `<t>` or rich-text runs
/// `<r><t>` joined, phonetic `<rPh>` left out, `<f>` skipped — with elements matched by their
/// local name (`<x:c>` is `<c>`, as some writers qualify the namespace). Text is decoded as
/// expat would give it: `&amp; &lt; &gt; &quot; &apos; &#NNN; &#xHH;`, CDATA sections, CR LF
/// and lone CR read as LF. It checks that the part is well-formed XML as far as the sheet's
/// meaning goes — tags closed in order, names and attributes well-formed, no unknown entity or
/// invalid character reference, no control character or malformed UTF-8 in a value, one root
/// element, nothing cut off — and names the cell where it is not. Not checked (expat did, but
/// none changes a cell): duplicate attributes other than `r`, `t`, `s`; `]]>` in text; the
/// UTF-8 of markup and of text outside values. A DOCTYPE is refused (entity definitions are no
/// part of a sheet). The part must be UTF-8.
///
/// Bytes come in through `run`, which keeps a buffer that an unfinished tag or entity at its
/// end carries over into; every loop moves forward by at least one byte or asks for more.
struct SheetScanner<Sink: SheetSink> {
    var sink: Sink
    let part: String

    // Well-formedness: the open elements' names back to back, and where each ends.
    private var names = GrowableBuffer<UInt8>()
    private var nameEnds = GrowableBuffer<Int>()
    private var rootSeen = false
    private var rootClosed = false
    private var started = false

    // SpreadsheetML.
    private var inData = false
    private var done = false
    private var inInline = false
    private var collecting = false
    private var phonetic = 0
    private var rowNumber = 0
    private var column = -1
    private var inRow = false
    private var inCell = false
    private var kind = CellKind.number
    private var style = 0
    private var value = GrowableBuffer<UInt8>()
    private var scratch = GrowableBuffer<UInt8>()

    /// No element nests deeper than this (a sheet needs six).
    static var maxDepth: Int { 256 }
    /// No tag, comment or CDATA section is larger than this.
    static var maxToken: Int { 64 << 20 }

    init(sink: Sink, part: String) {
        self.sink = sink
        self.part = part
        value.reserve(256)
        scratch.reserve(64)
        names.reserve(64)
        nameEnds.reserve(16)
    }

    mutating func release() {
        names.release()
        nameEnds.release()
        value.release()
        scratch.release()
    }

    /// Scans the whole part: `read(buffer, n)` puts up to n next bytes of it into buffer and
    /// says how many (0 at its end).
    mutating func run(chunk: Int = 1 << 20, _ read: (UnsafeMutablePointer<UInt8>, Int) throws(WorkbookError) -> Int) throws(WorkbookError) {
        var capacity = Swift.max(chunk, 16)
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var kept = 0
        while true {
            if kept == capacity {
                // One token fills the buffer: make room for the rest of it.
                guard capacity < SheetScanner.maxToken else {
                    throw malformed(DataMessage.xmlTokenTooLarge(SheetScanner.maxToken >> 20))
                }
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: buffer, count: kept)
                buffer.deallocate()
                buffer = grown
                capacity *= 2
            }
            let got = try read(buffer + kept, Swift.min(chunk, capacity - kept))
            let total = kept + got
            let used = try scan(UnsafePointer(buffer), total, isFinal: got == 0)
            if got == 0 { return }
            kept = total - used
            if kept > 0, used > 0 { memmove(buffer, buffer + used, kept) }
        }
    }

    /// Scans `n` bytes at `base`; returns how many it used. The rest (an unfinished tag, an
    /// entity cut in two) must come again, followed by more. With `isFinal` all are used, or it
    /// throws.
    mutating func scan(_ base: UnsafePointer<UInt8>, _ n: Int, isFinal: Bool) throws(WorkbookError) -> Int {
        var pos = base
        let end = base + n
        if !started {
            if n < 3, !isFinal { return 0 }
            started = true
            if n >= 3, base[0] == 0xEF, base[1] == 0xBB, base[2] == 0xBF {
                pos += 3
            } else if n >= 2, (base[0] == 0xFE && base[1] == 0xFF) || (base[0] == 0xFF && base[1] == 0xFE) {
                throw malformed(DataMessage.xmlUTF16())
            }
        }
        while pos < end {
            // Between a sheet's tags there is mostly no text at all: look at the byte before memchr.
            guard let lt = pos.pointee == UInt8(ascii: "<") ? pos : SheetScanner.find(UInt8(ascii: "<"), pos, end) else {
                if isFinal {
                    try text(pos, end)
                    pos = end
                    break
                }
                // Text runs past the bytes: take it up to an entity or CR the next bytes may finish.
                var cut = end
                if let amp = SheetScanner.findLast(UInt8(ascii: "&"), pos, end), SheetScanner.find(UInt8(ascii: ";"), amp, end) == nil { cut = amp }
                if cut > pos, cut[-1] == 13 { cut -= 1 }
                try text(pos, cut)
                return cut - base
            }
            if lt > pos { try text(pos, lt) }
            pos = lt
            guard let next = try markup(lt, end, isFinal: isFinal) else { return pos - base }
            pos = next
        }
        if isFinal {
            guard rootSeen else { throw malformed(DataMessage.xmlNoRoot()) }
            guard depth == 0 else { throw malformed(DataMessage.xmlEndsInside("<\(openName)>")) }
        }
        return pos - base
    }

    // MARK: - Markup

    private var depth: Int { nameEnds.count }

    private var openName: String {
        let start = depth > 1 ? nameEnds[depth - 2] : 0
        return String(decoding: UnsafeBufferPointer(start: names.elements.baseAddress! + start, count: nameEnds[depth - 1] - start), as: UTF8.self)
    }

    /// The markup at `lt` (a `<`): where it ends, or nil when the bytes end first.
    private mutating func markup(_ lt: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, isFinal: Bool) throws(WorkbookError) -> UnsafePointer<UInt8>? {
        guard lt + 1 < end else { return try needMore(isFinal, DataMessage.xmlPartTag()) }
        switch lt[1] {
        case UInt8(ascii: "/"):
            var p = lt + 2
            guard p < end else { return try needMore(isFinal, DataMessage.xmlPartEndTag()) }
            guard SheetScanner.isNameStart(p.pointee) else { throw malformed(DataMessage.xmlBadEndTag()) }
            while p < end, SheetScanner.isNameChar(p.pointee) { p += 1 }
            let nameEnd = p
            while p < end, SheetScanner.isSpace(p.pointee) { p += 1 }
            guard p < end else { return try needMore(isFinal, DataMessage.xmlPartEndTag()) }
            guard p.pointee == UInt8(ascii: ">") else { throw malformed(DataMessage.xmlUnexpectedInEndTag(SheetScanner.show(p.pointee))) }
            try close(lt + 2, nameEnd)
            return p + 1
        case UInt8(ascii: "?"):
            var from = lt + 2
            while true {
                guard let gt = SheetScanner.find(UInt8(ascii: ">"), from, end) else { return try needMore(isFinal, DataMessage.xmlPartInstruction()) }
                if gt - lt >= 3, gt[-1] == UInt8(ascii: "?") {
                    try instruction(lt + 2, gt - 1)
                    return gt + 1
                }
                from = gt + 1
            }
        case UInt8(ascii: "!"):
            if SheetScanner.startsWith(lt, end, "<!--") {
                var from = lt + 4
                while true {
                    guard let gt = SheetScanner.find(UInt8(ascii: ">"), from, end) else { return try needMore(isFinal, DataMessage.xmlPartComment()) }
                    if gt - lt >= 6, gt[-1] == UInt8(ascii: "-"), gt[-2] == UInt8(ascii: "-") { return gt + 1 }
                    from = gt + 1
                }
            }
            if SheetScanner.startsWith(lt, end, "<![CDATA[") {
                guard depth > 0 else { throw malformed(DataMessage.xmlCDATAOutside()) }
                var from = lt + 9
                while true {
                    guard let gt = SheetScanner.find(UInt8(ascii: ">"), from, end) else { return try needMore(isFinal, DataMessage.xmlPartCDATA()) }
                    if gt - lt >= 11, gt[-1] == UInt8(ascii: "]"), gt[-2] == UInt8(ascii: "]") {
                        if collecting { try appendRaw(lt + 9, gt - 2) }
                        return gt + 1
                    }
                    from = gt + 1
                }
            }
            if end - lt < 9 { return try needMore(isFinal, DataMessage.xmlPartDeclaration()) }
            if SheetScanner.startsWith(lt, end, "<!DOCTYPE") { throw malformed(DataMessage.xmlDoctype()) }
            throw malformed(DataMessage.xmlBadBang())
        default:
            return try startTag(lt, end, isFinal: isFinal)
        }
    }

    @inline(__always)
    private func needMore(_ isFinal: Bool, _ what: String) throws(WorkbookError) -> UnsafePointer<UInt8>? {
        if isFinal { throw malformed(DataMessage.xmlEndsInside(what)) }
        return nil
    }

    /// `<?xml version="1.0" encoding="UTF-8"?>` must say UTF-8 if it names an encoding.
    private func instruction(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) throws(WorkbookError) {
        guard end - p >= 3, p[0] | 0x20 == UInt8(ascii: "x"), p[1] | 0x20 == UInt8(ascii: "m"), p[2] | 0x20 == UInt8(ascii: "l"),
              end - p == 3 || SheetScanner.isSpace(p[3]) else { return }
        // encoding="…" (or '…'): the word, then the value in quotes.
        var q = p + 3
        while q + 8 <= end, !SheetScanner.equals(q, "encoding") { q += 1 }
        guard q + 8 <= end else { return }
        q += 8
        while q < end, SheetScanner.isSpace(q.pointee) || q.pointee == UInt8(ascii: "=") || q.pointee == UInt8(ascii: "\"") || q.pointee == UInt8(ascii: "'") { q += 1 }
        let start = q
        while q < end, q.pointee != UInt8(ascii: "\""), q.pointee != UInt8(ascii: "'"), !SheetScanner.isSpace(q.pointee) { q += 1 }
        let encoding = SheetScanner.string(start, q).lowercased()
        guard encoding == "utf-8" || encoding == "utf8" || encoding == "us-ascii" else {
            throw malformed(DataMessage.xmlOtherEncoding(encoding))
        }
    }

    /// A start tag (or a self-closing one) at `lt`.
    private mutating func startTag(_ lt: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, isFinal: Bool) throws(WorkbookError) -> UnsafePointer<UInt8>? {
        var p = lt + 1
        guard SheetScanner.isNameStart(p.pointee) else { throw malformed(DataMessage.xmlBadLess(SheetScanner.show(p.pointee))) }
        let nameStart = p
        while p < end, SheetScanner.isNameChar(p.pointee) { p += 1 }
        let nameEnd = p
        let local = SheetScanner.localName(nameStart, nameEnd)
        let element = SheetScanner.element(local, nameEnd)
        var r: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)? = nil
        var t: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)? = nil
        var s: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)? = nil
        var ref: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)? = nil
        var entities = false
        var selfClosing = false
        while true {
            let before = p
            while p < end, SheetScanner.isSpace(p.pointee) { p += 1 }
            guard p < end else { return try needMore(isFinal, DataMessage.xmlPartTag()) }
            let b = p.pointee
            if b == UInt8(ascii: ">") { p += 1; break }
            if b == UInt8(ascii: "/") {
                guard p + 1 < end else { return try needMore(isFinal, DataMessage.xmlPartTag()) }
                guard p[1] == UInt8(ascii: ">") else { throw malformed(DataMessage.xmlSlash()) }
                selfClosing = true
                p += 2
                break
            }
            guard p > before, SheetScanner.isNameStart(b) else {
                throw malformed(DataMessage.xmlUnexpectedInTag(SheetScanner.show(b), SheetScanner.string(nameStart, nameEnd)))
            }
            let attrStart = p
            while p < end, SheetScanner.isNameChar(p.pointee) { p += 1 }
            let attrEnd = p
            while p < end, SheetScanner.isSpace(p.pointee) { p += 1 }
            guard p < end else { return try needMore(isFinal, DataMessage.xmlPartTag()) }
            guard p.pointee == UInt8(ascii: "=") else { throw malformed(DataMessage.xmlAttributeNoValue(SheetScanner.string(attrStart, attrEnd))) }
            p += 1
            while p < end, SheetScanner.isSpace(p.pointee) { p += 1 }
            guard p < end else { return try needMore(isFinal, DataMessage.xmlPartTag()) }
            let quote = p.pointee
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw malformed(DataMessage.xmlAttributeUnquoted(SheetScanner.string(attrStart, attrEnd)))
            }
            p += 1
            let valueStart = p
            // Values are short (A2, 1, inlineStr): one loop finds the quote, a '<' and an '&'.
            var hasEntity = false
            var q = valueStart
            while true {
                guard q < end else { return try needMore(isFinal, DataMessage.xmlPartTag()) }
                let c = q.pointee
                if c == quote { break }
                if c == UInt8(ascii: "<") { throw malformed(DataMessage.xmlLessInAttribute(SheetScanner.string(attrStart, attrEnd))) }
                if c == UInt8(ascii: "&") { hasEntity = true }
                q += 1
            }
            let close = q
            if hasEntity {
                q = valueStart
                while let amp = SheetScanner.find(UInt8(ascii: "&"), q, close) { q = try entityAt(amp, close).next }
            }
            if element != .other {
                let name = SheetScanner.localName(attrStart, attrEnd)
                let value = (valueStart, close)
                if attrEnd - name == 1 {
                    switch name.pointee {
                    case UInt8(ascii: "r"):
                        if r != nil { throw malformed(DataMessage.xmlAttributeTwice("r")) }
                        r = value
                    case UInt8(ascii: "t"):
                        if t != nil { throw malformed(DataMessage.xmlAttributeTwice("t")) }
                        t = value
                    case UInt8(ascii: "s"):
                        if s != nil { throw malformed(DataMessage.xmlAttributeTwice("s")) }
                        s = value
                    default: break
                    }
                } else if attrEnd - name == 3, name[0] == UInt8(ascii: "r"), name[1] == UInt8(ascii: "e"), name[2] == UInt8(ascii: "f") {
                    ref = value
                }
                entities = entities || hasEntity
            }
            p = close + 1
        }
        if entities {
            // An attribute written with entities (`t="&#115;"`): decoded, as expat would.
            scratch.removeAll()
            var total = 1
            for v in [r, t, s, ref] { if case let (p, e)? = v { total += e - p } }
            scratch.reserve(total)
            r = try decoded(r)
            t = try decoded(t)
            s = try decoded(s)
            ref = try decoded(ref)
        }
        if rootClosed { throw malformed(DataMessage.xmlSecondRoot(SheetScanner.string(nameStart, nameEnd))) }
        rootSeen = true
        if !selfClosing {
            guard depth < SheetScanner.maxDepth else { throw malformed(DataMessage.xmlTooDeep(SheetScanner.maxDepth)) }
            names.reserveMore(nameEnd - nameStart)
            for k in 0..<(nameEnd - nameStart) { names.appendUnchecked(nameStart[k]) }
            nameEnds.append(names.count)
        }
        if !done { try start(element, r: r, t: t, s: s, ref: ref) }
        if selfClosing {
            if depth == 0 { rootClosed = true }
            if !done { try self.end(element) }
        }
        return p
    }

    /// An end tag's name `[p, e)`: it must close the innermost open element.
    @inline(__always)
    private mutating func close(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) throws(WorkbookError) {
        guard depth > 0 else { throw malformed(DataMessage.xmlClosesNothing(SheetScanner.string(p, e))) }
        let start = depth > 1 ? nameEnds[depth - 2] : 0
        let open = names.elements.baseAddress! + start
        let n = nameEnds[depth - 1] - start
        var same = n == e - p
        if same {
            for k in 0..<n where open[k] != p[k] {
                same = false
                break
            }
        }
        guard same else { throw malformed(DataMessage.xmlWrongClose(SheetScanner.string(p, e), openName)) }
        names.truncate(to: start)
        nameEnds.truncate(to: depth - 1)
        if depth == 0 { rootClosed = true }
        if !done { try end(SheetScanner.element(SheetScanner.localName(p, e), e)) }
    }

    /// An attribute's value with its entities decoded, into the scratch buffer (reserved by
    /// the caller for all of a tag's values, so it never moves while the tag is handled).
    private mutating func decoded(_ v: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)?) throws(WorkbookError) -> (UnsafePointer<UInt8>, UnsafePointer<UInt8>)? {
        guard case let (p, e)? = v else { return nil }
        let begin = scratch.count
        var out = scratch.end
        var q = p
        while q < e {
            if q.pointee == UInt8(ascii: "&") {
                let (code, next) = try entityAt(q, e)
                out = SheetScanner.writeUTF8(code, out)
                q = next
            } else {
                out.pointee = q.pointee
                out += 1
                q += 1
            }
        }
        scratch.advance(by: out - scratch.end)
        let base = UnsafePointer(scratch.elements.baseAddress!)
        return (base + begin, base + scratch.count)
    }

    // MARK: - Text

    /// Character data `[p, e)` (no `<` in it).
    @inline(__always)
    private mutating func text(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) throws(WorkbookError) {
        if collecting {
            try appendDecoded(p, e)
        } else if depth == 0 {
            for q in 0..<(e - p) where !SheetScanner.isSpace(p[q]) {
                throw malformed(rootSeen ? DataMessage.xmlTextAfterRoot() : DataMessage.xmlTextBeforeRoot())
            }
        } else {
            // Not a value (a formula, whitespace between tags): its entities must still be right.
            var q = p
            while let amp = SheetScanner.find(UInt8(ascii: "&"), q, e) {
                q = try entityAt(amp, e).next
            }
        }
    }

    /// A value's text, entities decoded, CR LF and CR read as LF.
    @inline(__always)
    private mutating func appendDecoded(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) throws(WorkbookError) {
        // Decoding never lengthens: an entity is longer than its UTF-8, CR LF longer than LF.
        value.reserveMore(e - p)
        var out = value.end
        var q = p
        while q < e {
            let b = q.pointee
            if b >= 0x20, b != 0x26 {
                out.pointee = b
                out += 1
                q += 1
                continue
            }
            if b == 0x26 {
                let (code, next) = try entityAt(q, e)
                out = SheetScanner.writeUTF8(code, out)
                q = next
            } else if b == 13 {
                out.pointee = 10
                out += 1
                q += (q + 1 < e && q[1] == 10) ? 2 : 1
            } else if b == 9 || b == 10 {
                out.pointee = b
                out += 1
                q += 1
            } else {
                throw malformed(DataMessage.xmlControlCharacter(SheetScanner.hex(b)))
            }
        }
        value.advance(by: out - value.end)
    }

    /// A CDATA section's text: as it is, but for CR LF.
    private mutating func appendRaw(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) throws(WorkbookError) {
        value.reserveMore(e - p)
        var q = p
        while q < e {
            let b = q.pointee
            if b == 13 {
                value.appendUnchecked(10)
                q += (q + 1 < e && q[1] == 10) ? 2 : 1
                continue
            }
            if b < 0x20, b != 9, b != 10 { throw malformed(DataMessage.xmlControlCharacter(SheetScanner.hex(b))) }
            value.appendUnchecked(b)
            q += 1
        }
    }

    /// The entity at `p` (an `&`) before `e`: the character it stands for and the byte after
    /// its `;`. The message of what it throws says what is wrong.
    @inline(__always)
    static func entity(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) throws(WorkbookError) -> (code: UInt32, next: UnsafePointer<UInt8>) {
        var q = p + 1
        if q < e, q.pointee == UInt8(ascii: "#") {
            q += 1
            var code: UInt32 = 0
            var digits = 0
            if q < e, q.pointee == UInt8(ascii: "x") {
                q += 1
                while q < e, digits <= 8 {
                    let c = q.pointee
                    let d: UInt8
                    if c &- 48 < 10 { d = c &- 48 } else if (c | 0x20) &- 97 < 6 { d = (c | 0x20) &- 87 } else { break }
                    code = code &* 16 &+ UInt32(d)
                    digits += 1
                    q += 1
                }
            } else {
                while q < e, q.pointee &- 48 < 10, digits <= 8 {
                    code = code &* 10 &+ UInt32(q.pointee &- 48)
                    digits += 1
                    q += 1
                }
            }
            guard digits > 0, digits <= 8, q < e, q.pointee == UInt8(ascii: ";") else {
                throw WorkbookError(DataMessage.xmlBadCharacterReference())
            }
            guard code == 9 || code == 10 || code == 13 || (code >= 0x20 && code <= 0xD7FF) || (code >= 0xE000 && code <= 0xFFFD)
                    || (code >= 0x10000 && code <= 0x10FFFF) else {
                throw WorkbookError(DataMessage.xmlCharacterNotAllowed(code))
            }
            return (code, q + 1)
        }
        let nameStart = q
        while q < e, q - nameStart < 5, (q.pointee | 0x20) &- 97 < 26 { q += 1 }
        guard q < e, q.pointee == UInt8(ascii: ";") else {
            throw WorkbookError(DataMessage.xmlBareAmpersand())
        }
        let n = q - nameStart
        let c: UInt8
        switch (n, nameStart[0]) {
        case (3, UInt8(ascii: "a")) where nameStart[1] == UInt8(ascii: "m") && nameStart[2] == UInt8(ascii: "p"): c = UInt8(ascii: "&")
        case (2, UInt8(ascii: "l")) where nameStart[1] == UInt8(ascii: "t"): c = UInt8(ascii: "<")
        case (2, UInt8(ascii: "g")) where nameStart[1] == UInt8(ascii: "t"): c = UInt8(ascii: ">")
        case (4, UInt8(ascii: "q")) where nameStart[1] == UInt8(ascii: "u") && nameStart[2] == UInt8(ascii: "o") && nameStart[3] == UInt8(ascii: "t"):
            c = UInt8(ascii: "\"")
        case (4, UInt8(ascii: "a")) where nameStart[1] == UInt8(ascii: "p") && nameStart[2] == UInt8(ascii: "o") && nameStart[3] == UInt8(ascii: "s"):
            c = UInt8(ascii: "'")
        default:
            throw WorkbookError(DataMessage.xmlUnknownEntity(SheetScanner.string(nameStart, q)))
        }
        return (UInt32(c), q + 1)
    }

    /// `entity`, its error placed at the cell.
    @inline(__always)
    private func entityAt(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) throws(WorkbookError) -> (code: UInt32, next: UnsafePointer<UInt8>) {
        do {
            return try SheetScanner.entity(p, e)
        } catch {
            throw malformed(error.message)
        }
    }

    /// Writes `code`'s UTF-8 at `out`; returns the byte after it.
    @inline(__always)
    static func writeUTF8(_ code: UInt32, _ out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if code < 0x80 {
            out[0] = UInt8(code)
            return out + 1
        } else if code < 0x800 {
            out[0] = UInt8(0xC0 | (code >> 6))
            out[1] = UInt8(0x80 | (code & 0x3F))
            return out + 2
        } else if code < 0x10000 {
            out[0] = UInt8(0xE0 | (code >> 12))
            out[1] = UInt8(0x80 | ((code >> 6) & 0x3F))
            out[2] = UInt8(0x80 | (code & 0x3F))
            return out + 3
        } else {
            out[0] = UInt8(0xF0 | (code >> 18))
            out[1] = UInt8(0x80 | ((code >> 12) & 0x3F))
            out[2] = UInt8(0x80 | ((code >> 6) & 0x3F))
            out[3] = UInt8(0x80 | (code & 0x3F))
            return out + 4
        }
    }

    // MARK: - SpreadsheetML

    /// The elements a sheet's data is made of, by local name.
    enum Element {
        case c, v, t, row, inlineString, phonetic, sheetData, dimension, other
    }

    @inline(__always)
    static func element(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> Element {
        switch e - p {
        case 1:
            switch p[0] {
            case UInt8(ascii: "c"): return .c
            case UInt8(ascii: "v"): return .v
            case UInt8(ascii: "t"): return .t
            default: return .other
            }
        case 2: return p[0] == UInt8(ascii: "i") && p[1] == UInt8(ascii: "s") ? .inlineString : .other
        case 3:
            if p[0] == UInt8(ascii: "r"), p[1] == UInt8(ascii: "o"), p[2] == UInt8(ascii: "w") { return .row }
            if p[0] == UInt8(ascii: "r"), p[1] == UInt8(ascii: "P"), p[2] == UInt8(ascii: "h") { return .phonetic }
            return .other
        case 9: return equals(p, "sheetData") ? .sheetData : (equals(p, "dimension") ? .dimension : .other)
        default: return .other
        }
    }

    private mutating func start(_ element: Element, r: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)?, t: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)?,
                                s: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)?, ref: (UnsafePointer<UInt8>, UnsafePointer<UInt8>)?) throws(WorkbookError) {
        switch element {
        case .c:
            guard inData else { return }
            column += 1
            kind = .number
            style = 0
            value.removeAll()
            inCell = true
            if case let (p, e)? = r { column = SheetScanner.column(p, e) ?? column }
            if case let (p, e)? = t, e > p {
                switch p[0] {
                case UInt8(ascii: "s"): kind = e - p > 1 && p[1] == UInt8(ascii: "t") ? .formulaString : .sharedString
                case UInt8(ascii: "i"): kind = .inlineString
                case UInt8(ascii: "b"): kind = .boolean
                case UInt8(ascii: "e"): kind = .error
                case UInt8(ascii: "d"): kind = .date
                default: kind = .number
                }
            }
            if case let (p, e)? = s { style = SheetScanner.integer(p, e - p) ?? 0 }
        case .v:
            collecting = inData
        case .t:
            collecting = inInline && phonetic == 0
        case .row:
            guard inData else { return }
            rowNumber = r.flatMap { SheetScanner.integer($0.0, $0.1 - $0.0) } ?? rowNumber + 1
            column = -1
            inRow = true
            sink.beginRow(rowNumber)
        case .inlineString:
            inInline = true
        case .phonetic:
            phonetic += 1
        case .sheetData:
            inData = true
        case .dimension:
            // A1:K1000 → about 1000 rows.
            guard case let (p, e)? = ref, let colon = SheetScanner.find(UInt8(ascii: ":"), p, e) else { return }
            var d = colon + 1
            while d < e, d.pointee &- 48 >= 10 { d += 1 }
            if let last = SheetScanner.integer(d, e - d) { sink.expect(rows: Swift.min(last, 1 << 22)) }
        case .other:
            break
        }
    }

    private mutating func end(_ element: Element) throws(WorkbookError) {
        switch element {
        case .c:
            guard inData else { return }
            defer { inCell = false }
            if value.count > 0 {
                let p = UnsafePointer(value.elements.baseAddress!)
                if firstInvalidUTF8(p, value.count) != nil { throw malformed(DataMessage.xmlCellNotUTF8()) }
                do {
                    try sink.cell(column: column, row: rowNumber, kind: kind, style: style, p, value.count)
                } catch {
                    done = true
                    throw error
                }
            }
        case .v, .t:
            collecting = false
        case .row:
            guard inData else { return }
            inRow = false
            do {
                try sink.endRow()
            } catch {
                done = true
                throw error
            }
        case .inlineString:
            inInline = false
        case .phonetic:
            phonetic -= 1
        case .sheetData:
            inData = false
            done = true   // merged cells, conditional formats …: nothing for the table
        case .dimension, .other:
            break
        }
    }

    /// A well-formedness error, placed at the cell (or row) being read.
    func malformed(_ why: String) -> WorkbookError {
        let message = DataMessage.partNotWellFormed(part, why)
        if inData, inCell { return WorkbookError(message, cell: excelCellName(column: Swift.max(column, 0), row: rowNumber)) }
        if inData, inRow {
            return WorkbookError(message, cell: column >= 0 ? DataMessage.rowAfterCell(rowNumber, excelCellName(column: column, row: rowNumber)) : DataMessage.inRow(rowNumber))
        }
        if inData, rowNumber > 0 { return WorkbookError(message, cell: DataMessage.afterRow(rowNumber)) }
        return WorkbookError(message)
    }

    // MARK: - Bytes

    @inline(__always)
    static func find(_ byte: UInt8, _ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        guard p < e, let hit = memchr(p, Int32(byte), e - p) else { return nil }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self))
    }

    @inline(__always)
    static func findLast(_ byte: UInt8, _ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        var q = e
        while q > p {
            q -= 1
            if q.pointee == byte { return q }
        }
        return nil
    }

    /// XML's whitespace: space, tab, LF, CR.
    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 10 || b == 13 || b == 9 }

    /// ASCII letters, `_`, `:` and any byte of a non-ASCII character start a name.
    @inline(__always)
    static func isNameStart(_ b: UInt8) -> Bool { (b | 0x20) &- 97 < 26 || b == UInt8(ascii: "_") || b == UInt8(ascii: ":") || b >= 0x80 }

    @inline(__always)
    static func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || b &- 48 < 10 || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    /// The part of a name after its prefix (`x:c` → `c`).
    @inline(__always)
    static func localName(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var start = p
        var q = p
        while q < e {
            if q.pointee == UInt8(ascii: ":") { start = q + 1 }
            q += 1
        }
        return start
    }

    static func startsWith(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let n = s.utf8CodeUnitCount
        guard e - p >= n else { return false }
        return equals(p, s)
    }

    @inline(__always)
    static func equals(_ p: UnsafePointer<UInt8>, _ s: StaticString) -> Bool {
        let q = s.utf8Start
        for i in 0..<s.utf8CodeUnitCount where p[i] != q[i] { return false }
        return true
    }

    /// The 0-based column of a cell reference (`AB12` → 27): up to three letters.
    @inline(__always)
    static func column(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> Int? {
        var c = 0
        var q = p
        while q < e {
            let b = q.pointee & ~0x20
            guard b >= 65, b <= 90 else { break }
            c = c * 26 + Int(b - 64)
            q += 1
            if q - p > 3 { return nil }
        }
        return q == p ? nil : c - 1
    }

    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        guard n > 0, n < 12 else { return nil }
        var v = 0
        for k in 0..<n {
            let d = p[k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    static func string(_ p: UnsafePointer<UInt8>, _ e: UnsafePointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: Swift.min(e - p, 64)), as: UTF8.self)
    }

    static func show(_ b: UInt8) -> String { b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : hex(b) }

    static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return "0x" + String(decoding: [digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
    }
}
