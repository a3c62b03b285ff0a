import RevShareCore

/// A number as a cell writes it (SPEC-intake §I4.4): `-?[0-9]+(\.[0-9]+)?`, at most 30 digits,
/// held exactly as mantissa × 10^-fractionDigits. Never a binary floating-point value.
struct MapDecimal: Equatable, Sendable {
    static let maximumDigits = 30
    /// Target values and sums are kept in pico-units (10^-12): the finest a rounded target may be.
    static let targetScale = 12
    /// Control totals of the cells as written are kept in 10^-18 units.
    static let sourceScale = 18

    enum Problem: Error { case notADecimal, tooManyDigits }

    let mantissa: Int128
    let fractionDigits: Int

    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<MapDecimal, Problem> {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { index = 1 }
        var magnitude: Int128 = 0, digits = 0, fraction = 0, integer = 0
        var seenPoint = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ".") {
                guard !seenPoint, integer > 0 else { return .failure(.notADecimal) }
                seenPoint = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return .failure(.notADecimal) }
            digits += 1
            if seenPoint { fraction += 1 } else { integer += 1 }
            // 30 digits fit an Int128 (about 1.7 × 10^38); keep scanning so syntax errors come first.
            if digits <= maximumDigits { magnitude = magnitude * 10 + Int128(digit) }
        }
        guard integer > 0, !seenPoint || fraction > 0 else { return .failure(.notADecimal) }
        guard digits <= maximumDigits else { return .failure(.tooManyDigits) }
        return .success(MapDecimal(mantissa: negative ? -magnitude : magnitude, fractionDigits: fraction))
    }

    /// The value negated and multiplied by 10^scale, normalised: trailing fractional zeros dropped
    /// (`1.5000000` needs one fractional digit).
    func scaled(by scale: Int, negated: Bool) -> (mantissa: Int128, exponent: Int) {
        var mantissa = negated ? -self.mantissa : self.mantissa
        var exponent = scale - fractionDigits
        while exponent < 0, mantissa % 10 == 0 {
            mantissa /= 10
            exponent += 1
        }
        return (mantissa, exponent)
    }

    /// The value in 10^-`scale` units, nil when it has more digits or does not fit.
    static func units(_ mantissa: Int128, exponent: Int, scale: Int) -> Int128? {
        let shift = exponent + scale
        guard shift >= 0 else { return nil }
        var value = mantissa
        for _ in 0..<shift {
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            value = product
        }
        return value
    }

    /// 10^exponent, 0 ≤ exponent ≤ 38.
    static func power(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }

    /// The cell as written, in control-total units (`sourceScale`); nil for finer values.
    var sourceUnits: Int128? { Self.units(mantissa, exponent: -fractionDigits, scale: Self.sourceScale) }

    /// A control total in `sourceScale` units as SPEC-intake §I8.1 writes `source`: exact, no
    /// trailing fractional zeros, no point when whole.
    static func sourceText(_ units: Int128) -> String {
        var text = ScaledDecimal.format(units, scale: sourceScale)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
