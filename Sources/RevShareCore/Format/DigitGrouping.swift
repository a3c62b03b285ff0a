/// Figures for a person to read: thousands grouped with `,` (`1,234,567.89`, tokens
/// `22,671,383,990`). Only text and HTML use it; JSON and CSV keep plain digits for programs.
public enum DigitGrouping {
    /// `text` is plain decimal text as revshare formats it (`-?D+(.D+)?`); its integer digits
    /// are grouped by three, the sign and the fraction kept as they are.
    public static func grouped(_ text: String) -> String {
        let bytes = Array(text.utf8)
        let signLength = bytes.first == UInt8(ascii: "-") ? 1 : 0
        let integerEnd = bytes.firstIndex(of: UInt8(ascii: ".")) ?? bytes.count
        let digits = integerEnd - signLength
        guard digits > 3 else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + digits / 3)
        out += bytes[0..<signLength]
        for (offset, byte) in bytes[signLength..<integerEnd].enumerated() {
            if offset > 0 && (digits - offset) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(byte)
        }
        out += bytes[integerEnd...]
        return String(decoding: out, as: UTF8.self)
    }

    public static func grouped(_ value: Int64) -> String { grouped(String(value)) }
}
