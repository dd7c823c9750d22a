/// The workbook's shared strings (xl/sharedStrings.xml), which text cells name by index: one
/// heap of UTF-8 bytes and each string's end. A rich-text string's runs (`<r><t>…</t></r>`) are
/// joined; phonetic guides (`<rPh>`, the kana or pinyin above a name) are left out.
final class SharedStrings: XMLHandler {
    private(set) var bytes = GrowableBuffer<UInt8>()
    private(set) var ends = GrowableBuffer<Int>()
    private var inText = false
    private var phonetic = 0
    var failure: WorkbookError? = nil

    init() { bytes.reserve(64) }   // never a nil base, even for empty strings

    deinit {
        bytes.release()
        ends.release()
    }

    var count: Int { ends.count }

    /// String `i`: a pointer into the heap (valid while this object lives) and its length.
    @inline(__always)
    func string(_ i: Int) -> (UnsafePointer<UInt8>, Int) {
        let start = i == 0 ? 0 : ends[i - 1]
        return (UnsafePointer(bytes.elements.baseAddress! + start), ends[i] - start)
    }

    func start(_ name: UnsafePointer<CChar>, _ attributes: UnsafeMutablePointer<UnsafePointer<CChar>?>) {
        if XMLStream.equals(name, "t") {
            inText = phonetic == 0
        } else if XMLStream.equals(name, "rPh") {
            phonetic += 1
        }
    }

    func end(_ name: UnsafePointer<CChar>) {
        if XMLStream.equals(name, "t") {
            inText = false
        } else if XMLStream.equals(name, "rPh") {
            phonetic -= 1
        } else if XMLStream.equals(name, "si") {
            ends.append(bytes.count)
        }
    }

    func text(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard inText else { return }
        bytes.reserveMore(n)
        for k in 0..<n { bytes.appendUnchecked(p[k]) }
    }
}
