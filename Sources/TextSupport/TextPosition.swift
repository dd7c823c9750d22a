/// Turns a byte offset into a 1-based line and character column. Only error paths use it,
/// so it rescans from the start rather than tracking lines while parsing.
public struct TextPosition: Sendable, Equatable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func locate(offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> TextPosition {
        var line = 1
        var lineStart = 0
        let end = min(offset, bytes.count)
        var i = 0
        while i < end {
            if bytes[i] == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        var column = 1
        var k = lineStart
        while k < end {
            if bytes[k] & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        // A BOM at the start of the file is not a character the user sees.
        if line == 1, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF, end >= 3 { column -= 1 }
        return TextPosition(line: line, column: column)
    }
}
