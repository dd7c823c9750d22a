extension String {
    /// The text with its control characters made visible, for a terminal or a document a person
    /// reads: a control character written raw could clear the screen, move the cursor or retitle
    /// the window (ESC sequences in a hostile CSV). C0 controls become their Unicode control
    /// pictures (ESC `␛`, NUL `␀`), DEL `␡`, a line break `↵`, a tab one space, a carriage return
    /// nothing; C1 controls (U+0080–U+009F, which some terminals also obey) `\u{9B}`-style text.
    /// Text without controls is returned as it is, without a copy.
    public var visibleControls: String { visible(keepingLineBreaks: false) }

    /// The same for messages and listings of several lines: their line breaks stay.
    public var visibleControlsKeepingLines: String { visible(keepingLineBreaks: true) }

    private func visible(keepingLineBreaks: Bool) -> String {
        guard unicodeScalars.contains(where: { ($0.value < 0x20 && !(keepingLineBreaks && $0.value == 0x0A)) || ($0.value >= 0x7F && $0.value <= 0x9F) })
        else { return self }
        var out = String.UnicodeScalarView()
        for u in unicodeScalars {
            switch u.value {
            case 0x0A: if keepingLineBreaks { out.append(u) } else { out.append("↵") }
            case 0x09: out.append(" ")
            case 0x0D: break
            case 0x00..<0x20: out.append(Unicode.Scalar(0x2400 + u.value)!)
            case 0x7F: out.append("␡")
            case 0x80...0x9F: out.append(contentsOf: "\\u{\(String(u.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: out.append(u)
            }
        }
        return String(out)
    }
}
