import RevShareCore

/// When a difference counts (SPEC §6), compared exactly in integers: money at 10^-12 units of
/// the currency (tolerances have ≤ 6 fractional digits and currencies ≤ 4 minor digits).
enum ToleranceCheck {
    /// |actual − expected| > max(amount tolerance, relative tolerance × |expected|).
    static func exceedsGeneral(expectedMinor: Int64, actualMinor: Int64, currency: Currency, _ tolerance: Tolerance) -> Bool {
        let difference = picos(abs128(actualMinor, expectedMinor), currency)
        let absolute = Int128(tolerance.amountMicros) * 1_000_000
        return difference > max(absolute, relativePicos(tolerance.relativeMicros, expectedMinor, currency))
    }

    /// |actual − expected| > price_relative × expected.
    static func exceedsPrice(expectedMinor: Int64, actualMinor: Int64, currency: Currency, _ tolerance: Tolerance) -> Bool {
        picos(abs128(actualMinor, expectedMinor), currency) > relativePicos(tolerance.priceRelativeMicros, expectedMinor, currency)
    }

    /// Token counts: |actual − expected| > relative × expected, no absolute tolerance.
    static func exceedsTokens(expected: Int64, actual: Int64, _ tolerance: Tolerance) -> Bool {
        abs128(actual, expected) * 1_000_000 > Int128(tolerance.relativeMicros) * Int128(expected)
    }

    private static func abs128(_ a: Int64, _ b: Int64) -> Int128 { (Int128(a) - Int128(b)).magnitude.asInt128 }

    private static func picos(_ minor: Int128, _ currency: Currency) -> Int128 {
        minor * power(12 - currency.minorDigits)
    }

    /// relative (micro-units of 1) × |expected minor| expressed in pico-units of the currency.
    private static func relativePicos(_ relativeMicros: Int64, _ expectedMinor: Int64, _ currency: Currency) -> Int128 {
        Int128(relativeMicros) * Int128(expectedMinor).magnitude.asInt128 * power(6 - currency.minorDigits)
    }

    private static func power(_ exponent: Int) -> Int128 {
        var value: Int128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}

extension UInt128 {
    var asInt128: Int128 { Int128(self) }
}
