#if canImport(Glibc)
import Glibc
#endif

/// Output in GB18030, for the Chinese Excel that reads "CSV" in the machine's code page (iconv,
/// from UTF-8). GB18030 encodes every Unicode character, so nothing is lost or replaced.
final class Transcoder {
    private let handle: iconv_t
    /// Bytes of a character cut by the end of the last piece, carried to the next.
    private var carry: [UInt8] = []

    /// A transcoder from UTF-8 to `encoding`; nil when the system has no such conversion.
    init?(to encoding: String) {
        let h = iconv_open(encoding, "UTF-8")
        guard let h, Int(bitPattern: h) != -1 else { return nil }
        handle = h
    }

    deinit { iconv_close(handle) }

    /// `bytes` converted; the bytes of a character the piece cuts wait for the next piece.
    func convert(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var input = carry + Array(bytes)
        carry = []
        var output = [UInt8](repeating: 0, count: input.count * 2 + 16)
        var produced = 0
        input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!).assumingMemoryBound(to: CChar.self)
                var outLeft = outBuf.count
                while inLeft > 0 {
                    if iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft) == -1 {
                        if errno == EINVAL {
                            // A character cut at the end: kept for the next piece.
                            carry = Array(UnsafeBufferPointer(start: UnsafeRawPointer(inPtr!).assumingMemoryBound(to: UInt8.self), count: inLeft))
                            break
                        }
                        // Not UTF-8 (cannot happen: projq writes UTF-8): the byte as '?'.
                        inPtr = inPtr! + 1
                        inLeft -= 1
                        outPtr!.pointee = 63
                        outPtr = outPtr! + 1
                        outLeft -= 1
                    }
                }
                produced = outBuf.count - outLeft
            }
        }
        return Array(output[0..<produced])
    }
}
