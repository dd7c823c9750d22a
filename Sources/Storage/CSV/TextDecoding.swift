#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// The encodings a CSV file may come in. Chinese Excel writes GB18030 (GBK) when it saves
/// "CSV"; everything else here writes UTF-8, with or without a byte-order mark.
enum TextEncoding: Equatable {
    case utf8(bomLength: Int)
    case gb18030

    /// Decides from the start of the file: a BOM says UTF-8; otherwise the first megabyte must
    /// be valid UTF-8 (a sequence cut by the sample's end is allowed), else it is GB18030.
    static func detect(_ prefix: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) -> TextEncoding {
        let n = prefix.count
        if n >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { return .utf8(bomLength: 3) }
        guard let base = prefix.baseAddress, let bad = firstInvalidUTF8(base, n) else { return .utf8(bomLength: 0) }
        if !isWholeFile, bad >= n - 3 { return .utf8(bomLength: 0) }
        return .gb18030
    }
}

/// Converts a whole GB18030 file to UTF-8 with glibc's iconv. The result has 16 bytes of
/// slack past its end, like every block the tokenizer reads.
func convertGB18030ToUTF8(_ input: UnsafeBufferPointer<UInt8>, file: String) throws(LoadError) -> (UnsafeMutablePointer<UInt8>, Int) {
    let cd = iconv_open("UTF-8", "GB18030")
    if cd == iconv_t(bitPattern: -1) {
        throw LoadError(file: file, message: "this file is not UTF-8 and the system cannot convert GB18030 (iconv_open failed)")
    }
    defer { iconv_close(cd) }
    var capacity = input.count * 3 / 2 + 64
    var output = malloc(capacity + 16)!.assumingMemoryBound(to: UInt8.self)
    var inPtr = UnsafeMutablePointer<CChar>(mutating: UnsafeRawPointer(input.baseAddress ?? UnsafePointer(emptyBytes)).assumingMemoryBound(to: CChar.self))
    var inLeft = input.count
    var produced = 0
    while inLeft > 0 {
        var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(output + produced).assumingMemoryBound(to: CChar.self)
        var outLeft = capacity - produced
        var inOpt: UnsafeMutablePointer<CChar>? = inPtr
        let r = iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
        inPtr = inOpt!
        produced = capacity - outLeft
        if r == -1 {
            let code = errno
            if code == E2BIG {
                capacity *= 2
                output = realloc(output, capacity + 16)!.assumingMemoryBound(to: UInt8.self)
                continue
            }
            let p = TextPosition.locate(offset: produced, in: UnsafeBufferPointer(start: output, count: produced))
            free(output)
            let offset = input.count - inLeft
            let byte = offset < input.count ? String(input[offset], radix: 16, uppercase: true) : "end of file"
            throw LoadError(file: file, line: p.line, column: p.column,
                            message: "undecodable bytes: the file is neither UTF-8 nor GB18030 (byte 0x\(byte) at offset \(offset))")
        }
    }
    (output + produced).initialize(repeating: 0, count: 16)
    return (output, produced)
}
