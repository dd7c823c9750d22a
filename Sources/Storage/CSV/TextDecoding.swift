#if canImport(Glibc)
import Glibc
#endif
import TextSupport

/// The encodings a CSV file may come in. UTF-8 is read as it is; the others are converted
/// whole to UTF-8 first: GB18030 (GBK), which Chinese Excel writes when it saves "CSV"; UTF-16
/// with a byte-order mark, which Excel's "Unicode text" writes; and Big5, traditional Chinese.
enum TextEncoding: Equatable {
    case utf8(bomLength: Int)
    case converted(Converted)

    enum Converted: String {
        case gb18030 = "GB18030", utf16le = "UTF-16LE", utf16be = "UTF-16BE", big5 = "BIG5"

        /// The byte-order mark skipped before converting.
        var bomLength: Int { self == .utf16le || self == .utf16be ? 2 : 0 }
    }

    /// A file whose first lines are UTF-8 and whose later bytes are not: rows pasted from a
    /// GBK file into a UTF-8 one. Refused rather than guessed, at the first byte that breaks.
    struct Mixed: Error { var offset: Int }

    var isConverted: Bool { if case .converted = self { true } else { false } }

    /// Decides from the start of the file: a byte-order mark says UTF-8 or UTF-16; otherwise the
    /// first megabyte must be valid UTF-8 (a sequence cut by the sample's end is allowed). Else,
    /// Chinese written in UTF-8 before the first invalid byte means mixed encodings; lead bytes
    /// that Big5 uses for its commonest characters and GBK for kana and symbols mean Big5; else
    /// GB18030.
    static func detect(_ prefix: UnsafeBufferPointer<UInt8>, isWholeFile: Bool) throws(Mixed) -> TextEncoding {
        let n = prefix.count
        if n >= 3, prefix[0] == 0xEF, prefix[1] == 0xBB, prefix[2] == 0xBF { return .utf8(bomLength: 3) }
        if n >= 2, prefix[0] == 0xFF, prefix[1] == 0xFE { return .converted(.utf16le) }
        if n >= 2, prefix[0] == 0xFE, prefix[1] == 0xFF { return .converted(.utf16be) }
        guard let base = prefix.baseAddress, let bad = firstInvalidUTF8(base, n) else { return .utf8(bomLength: 0) }
        if !isWholeFile, bad >= n - 3 { return .utf8(bomLength: 0) }
        if chineseUTF8Characters(UnsafeBufferPointer(rebasing: prefix[..<bad])) >= 4 { throw Mixed(offset: bad) }
        return looksLikeBig5(prefix) ? .converted(.big5) : .converted(.gb18030)
    }

    /// How many three-byte UTF-8 sequences (the CJK characters) `bytes` holds.
    private static func chineseUTF8Characters(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0, i = 0
        while i + 2 < bytes.count {
            if bytes[i] & 0xF0 == 0xE0, bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 {
                count += 1
                i += 3
            } else {
                i += 1
            }
        }
        return count
    }

    /// Big5 puts its commonest characters (一 A440, 的 AABA, 是 AC4F) under lead bytes A4–AF,
    /// where GBK has kana, Greek, box drawing and little else: a quarter of the double-byte
    /// characters there is Big5, not Chinese in GBK.
    private static func looksLikeBig5(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var pairs = 0, big5Leads = 0, i = 0
        while i + 1 < bytes.count {
            let b = bytes[i]
            if b >= 0x81, b <= 0xFE {
                pairs += 1
                if b >= 0xA4, b <= 0xAF { big5Leads += 1 }
                i += 2
            } else {
                i += 1
            }
        }
        return pairs >= 8 && big5Leads * 4 >= pairs
    }
}

/// Converts a whole file from `encoding` to UTF-8 with glibc's iconv (its byte-order mark
/// skipped). The result has 16 bytes of slack past its end, like every block the tokenizer reads.
func convertToUTF8(_ whole: UnsafeBufferPointer<UInt8>, from encoding: TextEncoding.Converted,
                   file: String) throws(LoadError) -> (UnsafeMutablePointer<UInt8>, Int) {
    let input = UnsafeBufferPointer(rebasing: whole[Swift.min(encoding.bomLength, whole.count)...])
    let cd = iconv_open("UTF-8", encoding.rawValue)
    if cd == iconv_t(bitPattern: -1) {
        throw LoadError(file: file, message: DataMessage.noConverter(encoding.rawValue))
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
            let byte = offset < input.count ? String(input[offset], radix: 16, uppercase: true) : DataMessage.endOfFile()
            throw LoadError(file: file, line: p.line, column: p.column,
                            message: encoding == .gb18030
                                ? DataMessage.neitherUTF8NorGB18030(byte, offset)
                                : DataMessage.notValidEncoding(encoding.rawValue, byte, offset + encoding.bomLength))
        }
    }
    (output + produced).initialize(repeating: 0, count: 16)
    return (output, produced)
}
