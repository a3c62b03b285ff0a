/// Exact parsing of plainly written decimals (`1234.5`, `0.000120`, `-3`) into an integer
/// count of 10^-scale units. No exponent, sign other than a leading `-`, separator, currency
/// symbol or surrounding space is accepted, and digits beyond the scale are an error, never
/// rounded. `.5` and `5.` are refused: both sides of the point need a digit.
public enum ScaledDecimal {
    public enum ParseError: Error, Equatable, Sendable {
        case empty
        case notADecimal
        case negativeNotAllowed
        case tooManyFractionDigits(maximum: Int)
        case outOfRange
    }

    public static func parse(_ text: String, scale: Int, allowNegative: Bool = false)
        -> Result<Int64, ParseError>
    {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0), scale: scale, allowNegative: allowNegative) }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer, scale: Int, allowNegative: Bool = false)
        -> Result<Int64, ParseError>
    {
        precondition((0...18).contains(scale))
        guard !bytes.isEmpty else { return .failure(.empty) }
        var index = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { index = 1 }
        var magnitude: UInt64 = 0
        var integerDigits = 0
        var fractionDigits = 0
        var seenPoint = false
        var overflowed = false
        var nonZero = false  // `-0` and `-0.00` are zero, not negative
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ".") {
                if seenPoint || integerDigits == 0 { return .failure(.notADecimal) }
                seenPoint = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return .failure(.notADecimal) }
            nonZero = nonZero || digit != 0
            if seenPoint { fractionDigits += 1 } else { integerDigits += 1 }
            if fractionDigits > scale { continue }  // keep scanning: syntax errors take precedence
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit))
            overflowed = overflowed || o1 || o2
            magnitude = sum
        }
        if integerDigits == 0 || (seenPoint && fractionDigits == 0) { return .failure(.notADecimal) }
        if negative && nonZero && !allowNegative { return .failure(.negativeNotAllowed) }
        if fractionDigits > scale { return .failure(.tooManyFractionDigits(maximum: scale)) }
        for _ in fractionDigits..<scale {
            let (times10, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            overflowed = overflowed || overflow
            magnitude = times10
        }
        let limit: UInt64 = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        guard !overflowed, magnitude <= limit else { return .failure(.outOfRange) }
        if negative { return .success(magnitude == limit ? Int64.min : -Int64(magnitude)) }
        return .success(Int64(magnitude))
    }

    /// A non-negative integer of plain digits that fits Int64.
    /// A syntax error anywhere wins over an overflow, as in `parse`.
    public static func parseCount(_ bytes: UnsafeRawBufferPointer) -> Result<Int64, ParseError> {
        guard !bytes.isEmpty else { return .failure(.empty) }
        var value: Int64 = 0
        var overflowed = false
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return .failure(.notADecimal) }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(digit))
            overflowed = overflowed || o1 || o2
            value = sum
        }
        return overflowed ? .failure(.outOfRange) : .success(value)
    }

    public static func parseCount(_ text: String) -> Result<Int64, ParseError> {
        var text = text
        return text.withUTF8 { parseCount(UnsafeRawBufferPointer($0)) }
    }

    /// `value` × 10^-scale as plain text with exactly `scale` fractional digits.
    public static func format(_ value: Int64, scale: Int) -> String {
        format(Int128(value), scale: scale)
    }

    public static func format(_ value: Int128, scale: Int) -> String {
        let magnitude = value.magnitude
        var digits = String(magnitude)
        if scale > 0 {
            if digits.count <= scale {
                digits = String(repeating: "0", count: scale - digits.count + 1) + digits
            }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return value < 0 ? "-" + digits : digits
    }
}
