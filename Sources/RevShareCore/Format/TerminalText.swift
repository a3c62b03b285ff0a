/// Text from an input shown to a person: control and invisible format characters become
/// visible `\u{…}` escapes, so a value can neither drive the terminal (ANSI colours, OSC 52
/// writing the clipboard, a carriage return overwriting the line) nor pass for another value
/// (a zero-width space, a right-to-left override).
public enum TerminalText {
    /// `text` with every character that `isUnsafe` names escaped; everything else unchanged.
    /// Works on Unicode scalars: `\r\n` is two escapes, not one character.
    public static func escaped(_ text: String) -> String {
        escaping(text, where: isUnsafe)
    }

    /// A whole text for a screen: like `escaped`, but its line breaks (LF) stay line breaks.
    /// Every text revshare prints for a person passes through here last.
    public static func screened(_ text: String) -> String {
        escaping(text) { $0 != "\n" && isUnsafe($0) }
    }

    private static func escaping(_ text: String, where unsafe: (Unicode.Scalar) -> Bool) -> String {
        guard text.unicodeScalars.contains(where: unsafe) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if unsafe(scalar) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// C0 and C1 controls and DEL, line and paragraph separators, bidirectional embeddings,
    /// overrides and isolates, and zero-width characters (a byte order mark included).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029: true
        case 0x202A...0x202E, 0x2066...0x2069: true
        case 0x200B...0x200D, 0xFEFF: true
        default: false
        }
    }

    /// Whether a field a person compares by eye must be refused: C1 controls, bidirectional
    /// controls and zero-width characters make two different values look the same.
    public static func isInvisibleFormat(_ scalar: Unicode.Scalar) -> Bool {
        isUnsafe(scalar) && scalar.value > 0x7F
    }
}
