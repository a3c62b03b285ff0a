import Foundation
import RevShareCore

/// What is wrong with one field: the text that follows `column: ` in the error line.
public struct FieldProblem: Error, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// Parsers for one CSV field's bytes with the messages of SPEC §3: each returns the value or
/// the message that follows `column: ` in the error line.
public enum FieldRules {
    /// How much of a bad value is quoted back; a 1 MB field is not echoed whole.
    static let quotedPrefix = 60

    public static func quoted(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = escaped(String(decoding: bytes.prefix(quotedPrefix), as: UTF8.self))
        return bytes.count > quotedPrefix ? "\"\(shown)…\" (\(bytes.count) bytes)" : "\"\(shown)\""
    }

    /// `text` with control and invisible format characters (a quoted CR or LF among them)
    /// written as `\u{d}`, and `"` as `\"` when `quotes`: a field must neither drive the user's
    /// terminal, nor hide what makes it differ, nor break the one-line `FILE:LINE: column:
    /// message` it is shown in. Scalar by scalar, so CR LF shows as the two it is.
    public static func escaped(_ text: String, quotes: Bool = true) -> String {
        let escaped = TerminalText.escaped(text)
        return quotes ? escaped.replacingOccurrences(of: "\"", with: "\\\"") : escaped
    }

    public static func count(_ bytes: UnsafeRawBufferPointer) -> Result<Int64, FieldProblem> {
        switch ScaledDecimal.parseCount(bytes) {
        case .success(let value): return .success(value)
        case .failure(.empty): return .failure(FieldProblem("is empty; a non-negative integer is required"))
        case .failure(.outOfRange): return .failure(FieldProblem("\(quoted(bytes)) is out of range (at most \(Int64.max))"))
        case .failure: return .failure(FieldProblem("\(quoted(bytes)) is not a non-negative integer"))
        }
    }

    /// A decimal ≥ 0 (> 0 when `positive`) with at most `scale` fractional digits.
    public static func decimal(_ bytes: UnsafeRawBufferPointer, scale: Int, positive: Bool = false)
        -> Result<Int64, FieldProblem>
    {
        switch ScaledDecimal.parse(bytes, scale: scale) {
        case .success(let value):
            if positive && value == 0 { return .failure(FieldProblem("\(quoted(bytes)) must be greater than zero")) }
            return .success(value)
        case .failure(.empty): return .failure(FieldProblem("is empty; a decimal is required"))
        case .failure(.negativeNotAllowed):
            return .failure(FieldProblem("\(quoted(bytes)) is negative; it must be \(positive ? "> 0" : "≥ 0")"))
        case .failure(.tooManyFractionDigits(0)):
            return .failure(FieldProblem("\(quoted(bytes)) has fractional digits, but the currency has no fractional digits (never rounded)"))
        case .failure(.tooManyFractionDigits(let maximum)):
            return .failure(FieldProblem("\(quoted(bytes)) has more than \(maximum) fractional digits (never rounded)"))
        case .failure(.outOfRange): return .failure(FieldProblem("\(quoted(bytes)) is out of range"))
        case .failure(.notADecimal):
            return .failure(FieldProblem("\(quoted(bytes)) is not a plain decimal number (digits, one optional point; no exponent, separators, symbols or spaces)"))
        }
    }

    public static func date(_ bytes: UnsafeRawBufferPointer) -> Result<CivilDate, FieldProblem> {
        if let date = CivilDate(bytes: bytes) { return .success(date) }
        return .failure(FieldProblem("\(quoted(bytes)) is not a real calendar date in YYYY-MM-DD form"))
    }

    public static func period(_ bytes: UnsafeRawBufferPointer) -> Result<Period, FieldProblem> {
        if let period = Period(String(decoding: bytes, as: UTF8.self)), bytes.count == 7 { return .success(period) }
        return .failure(FieldProblem("\(quoted(bytes)) is not a period in YYYY-MM form"))
    }

    /// Text that must be valid UTF-8, non-empty when `required`, at most `maximumCharacters`
    /// Unicode scalars: a count that does not depend on how a Unicode version groups scalars into
    /// `Character`s (200 combining marks are one `Character` but 200 scalars).
    /// Refused always: C0 controls other than tab and line breaks (NUL would cut the text short
    /// when read back, escape sequences could drive a terminal), and C1 controls, bidirectional
    /// controls and zero-width characters (they make two different values look the same on a
    /// statement). Line breaks (LF, CR, U+2028, U+2029) only where `lineBreaks` allows them.
    public static func text(_ bytes: UnsafeRawBufferPointer, required: Bool, maximumCharacters: Int,
                            lineBreaks: Bool = true) -> Result<Void, FieldProblem>
    {
        if required && bytes.isEmpty { return .failure(FieldProblem("is empty")) }
        if !isValidUTF8(bytes) { return .failure(FieldProblem("is not valid UTF-8")) }
        if let control = bytes.firstIndex(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            return .failure(FieldProblem("\(quoted(bytes)) holds a control character (byte \(bytes[control]) at offset \(control)); text fields may not"))
        }
        if !lineBreaks, let lineBreak = bytes.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
            return .failure(FieldProblem("\(quoted(bytes)) holds a line break (byte \(bytes[lineBreak]) at offset \(lineBreak)); this column may not"))
        }
        if bytes.contains(where: { $0 >= 0x80 }) {
            for (offset, scalar) in String(decoding: bytes, as: UTF8.self).unicodeScalars.enumerated() {
                let isLineBreak = scalar.value == 0x2028 || scalar.value == 0x2029
                guard TerminalText.isInvisibleFormat(scalar), !(lineBreaks && isLineBreak) else { continue }
                let code = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                return .failure(FieldProblem("\(quoted(bytes)) holds \(code) (character \(offset + 1)), an invisible control or format character; text fields may not"))
            }
        }
        // A scalar takes at least one byte: only a longer field can have too many.
        if bytes.count > maximumCharacters {
            let characters = String(decoding: bytes, as: UTF8.self).scalarCount
            if characters > maximumCharacters {
                return .failure(FieldProblem("has \(characters) characters; at most \(maximumCharacters) are allowed"))
            }
        }
        return .success(())
    }

    public static func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index < bytes.count && bytes[index] < 0x80 { index += 1 }
        if index == bytes.count { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
