import TextSupport
import CExpat

/// What an `XMLStream` reports: elements by their local name (a prefix like `x:` dropped, as
/// some writers qualify SpreadsheetML), attributes as expat's NUL-terminated name/value list,
/// and character data in pieces (an element's text may come in several calls).
protocol XMLHandler: AnyObject {
    func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>)
    func end(_ name: UnsafePointer<CChar>)
    func text(_ p: UnsafePointer<UInt8>, _ n: Int)
    /// An error a handler met; once set the parse stops and `feed` throws it.
    var failure: WorkbookError? { get }
}

/// One part's XML parsed as it streams out of the archive (expat, SAX): nothing holds the
/// document, so a sheet of a million rows costs its column buffers and not its XML tree.
final class XMLStream {
    private let parser: XML_Parser
    private let handler: HandlerBox
    let part: String

    private final class HandlerBox {
        let handler: any XMLHandler
        init(_ handler: any XMLHandler) { self.handler = handler }
    }

    init(part: String, handler: any XMLHandler) {
        self.part = part
        parser = XML_ParserCreate(nil)
        self.handler = HandlerBox(handler)
        XML_SetUserData(parser, Unmanaged.passUnretained(self.handler).toOpaque())
        XML_SetElementHandler(parser, { data, name, attributes in
            let box = Unmanaged<HandlerBox>.fromOpaque(data!).takeUnretainedValue()
            box.handler.start(XMLStream.localName(name!), attributes!)
        }, { data, name in
            let box = Unmanaged<HandlerBox>.fromOpaque(data!).takeUnretainedValue()
            box.handler.end(XMLStream.localName(name!))
        })
        XML_SetCharacterDataHandler(parser, { data, s, len in
            let box = Unmanaged<HandlerBox>.fromOpaque(data!).takeUnretainedValue()
            s!.withMemoryRebound(to: UInt8.self, capacity: Int(len)) { box.handler.text($0, Int(len)) }
        })
    }

    deinit { XML_ParserFree(parser) }

    /// Parses the next piece of the document; `isFinal` with the last (possibly empty) one.
    func feed(_ chunk: UnsafeBufferPointer<UInt8>, isFinal: Bool = false) throws(WorkbookError) {
        let status = chunk.withMemoryRebound(to: CChar.self) { c in
            XML_Parse(parser, c.baseAddress, Int32(c.count), isFinal ? 1 : 0)
        }
        if let failure = handler.handler.failure { throw failure }
        if status == XML_STATUS_ERROR {
            let why = String(cString: XML_ErrorString(XML_GetErrorCode(parser)))
            throw WorkbookError(DataMessage.partNotWellFormed(part, "line \(XML_GetCurrentLineNumber(parser)): \(why)"))
        }
    }

    /// Stops the parse from inside a handler (after it has set its failure).
    func stop() { XML_StopParser(parser, 0) }

    /// Parses a whole part of `archive` with `handler`; false when the archive has no such part.
    @discardableResult
    static func parse(_ archive: ZipArchive, part: String, with handler: any XMLHandler) throws(WorkbookError) -> Bool {
        guard archive.contains(part) else { return false }
        let stream = XMLStream(part: part, handler: handler)
        try archive.stream(part) { (chunk) throws(WorkbookError) in try stream.feed(chunk) }
        try stream.feed(UnsafeBufferPointer(start: nil, count: 0), isFinal: true)
        return true
    }

    static func localName(_ name: UnsafePointer<CChar>) -> UnsafePointer<CChar> {
        var p = name
        var start = name
        while p.pointee != 0 {
            if p.pointee == 58 { start = p + 1 }   // ':'
            p += 1
        }
        return start
    }

    /// The value of attribute `name` (its local name), or nil.
    static func attribute(_ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>, _ name: StaticString) -> UnsafePointer<CChar>? {
        var i = 0
        while let key = attributes[i] {
            if XMLStream.equals(localName(key), name) { return attributes[i + 1] }
            i += 2
        }
        return nil
    }

    /// True when the NUL-terminated `p` is `s`.
    @inline(__always)
    static func equals(_ p: UnsafePointer<CChar>, _ s: StaticString) -> Bool {
        let q = s.utf8Start
        let n = s.utf8CodeUnitCount
        for i in 0..<n where UInt8(bitPattern: p[i]) != q[i] { return false }
        return p[n] == 0
    }

    static func string(_ p: UnsafePointer<CChar>) -> String { String(cString: p) }
}
