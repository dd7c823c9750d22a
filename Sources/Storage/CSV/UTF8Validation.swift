/// Checks that bytes are well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF).
/// Returns the offset of the first bad byte, or nil. ASCII runs go eight bytes at a time.
@inline(__always)
func firstInvalidUTF8(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
    var i = 0
    while i < n {
        if i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
            i += 8
            continue
        }
        let b0 = p[i]
        if b0 < 0x80 { i += 1; continue }
        if b0 < 0xC2 { return i }
        if b0 < 0xE0 {
            guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return i }
            i += 2
        } else if b0 < 0xF0 {
            guard i + 2 < n else { return i }
            let b1 = p[i + 1], b2 = p[i + 2]
            guard b1 & 0xC0 == 0x80, b2 & 0xC0 == 0x80 else { return i }
            if b0 == 0xE0, b1 < 0xA0 { return i }
            if b0 == 0xED, b1 >= 0xA0 { return i }
            i += 3
        } else if b0 < 0xF5 {
            guard i + 3 < n else { return i }
            let b1 = p[i + 1]
            guard b1 & 0xC0 == 0x80, p[i + 2] & 0xC0 == 0x80, p[i + 3] & 0xC0 == 0x80 else { return i }
            if b0 == 0xF0, b1 < 0x90 { return i }
            if b0 == 0xF4, b1 >= 0x90 { return i }
            i += 4
        } else {
            return i
        }
    }
    return nil
}
