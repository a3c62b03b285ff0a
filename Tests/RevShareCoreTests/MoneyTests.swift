import Testing
@testable import RevShareCore
import TestSupport

struct DecimalParsingTests {
    typealias Failure = ScaledDecimal.ParseError

    @Test("plain decimals parse exactly", arguments: [
        ("1234.5", 2, 123_450 as Int64),
        ("1234.50", 2, 123_450),
        ("0.05", 2, 5),
        ("0", 2, 0),
        ("1200", 0, 1200),
        ("1.250", 3, 1250),
        ("0.000120", 6, 120),
        ("0.1", 6, 100_000),
        ("92233720368547758.07", 2, Int64.max),
        ("9223372036854775807", 0, Int64.max),
    ])
    func parsesExactly(text: String, scale: Int, expected: Int64) {
        #expect(ScaledDecimal.parse(text, scale: scale) == .success(expected))
    }

    @Test("a minus sign before zero digits only is zero, allowed everywhere", arguments: ["-0", "-0.0", "-00.00", "-0.000000"])
    func negativeZero(text: String) {
        #expect(ScaledDecimal.parse(text, scale: 6, allowNegative: false) == .success(0))
        #expect(ScaledDecimal.parse(text, scale: 6, allowNegative: true) == .success(0))
    }

    @Test("negatives only where allowed", arguments: [
        ("-0.05", 2, 5 as Int64),
        ("-0.000001", 6, 1),
        ("-92233720368547758.08", 2, Int64.max), // magnitude of Int64.min, checked below
    ])
    func negatives(text: String, scale: Int, magnitude: Int64) {
        #expect(ScaledDecimal.parse(text, scale: scale, allowNegative: false) == .failure(.negativeNotAllowed))
        let parsed = ScaledDecimal.parse(text, scale: scale, allowNegative: true)
        if text == "-92233720368547758.08" {
            #expect(parsed == .success(Int64.min))
        } else {
            #expect(parsed == .success(-magnitude))
        }
    }

    @Test("malformed or out-of-range text is refused precisely", arguments: [
        ("", 2, Failure.empty),
        ("1.234", 2, .tooManyFractionDigits(maximum: 2)),
        ("1200.5", 0, .tooManyFractionDigits(maximum: 0)),
        ("0.0000001", 6, .tooManyFractionDigits(maximum: 6)),
        ("1e5", 2, .notADecimal),
        ("1E-3", 6, .notADecimal),
        ("1,234.50", 2, .notADecimal),
        ("$5", 2, .notADecimal),
        (" 5", 2, .notADecimal),
        ("5 ", 2, .notADecimal),
        ("+5", 2, .notADecimal),
        (".5", 2, .notADecimal),
        ("5.", 2, .notADecimal),
        ("1.2.3", 2, .notADecimal),
        ("-", 2, .notADecimal),
        ("92233720368547758.08", 2, .outOfRange),
        ("9223372036854775808", 0, .outOfRange),
        ("99999999999999999999999", 0, .outOfRange),
    ])
    func refuses(text: String, scale: Int, failure: Failure) {
        #expect(ScaledDecimal.parse(text, scale: scale, allowNegative: true) == .failure(failure))
    }

    @Test("below Int64.min is out of range")
    func belowMinimum() {
        #expect(ScaledDecimal.parse("-92233720368547758.09", scale: 2, allowNegative: true) == .failure(.outOfRange))
        #expect(ScaledDecimal.parse("-9223372036854775809", scale: 0, allowNegative: true) == .failure(.outOfRange))
    }

    @Test("counts are plain non-negative Int64 digits", arguments: [
        ("0", Result<Int64, Failure>.success(0)),
        ("9223372036854775807", .success(Int64.max)),
        ("9223372036854775808", .failure(.outOfRange)),
        ("12a", .failure(.notADecimal)),
        ("-1", .failure(.notADecimal)),
        ("-0", .failure(.notADecimal)),
        ("1.0", .failure(.notADecimal)),
        (" 1", .failure(.notADecimal)),
        ("", .failure(.empty)),
    ])
    func counts(text: String, expected: Result<Int64, Failure>) {
        #expect(ScaledDecimal.parseCount(text) == expected)
    }
}

struct MoneyFormattingTests {
    @Test("exactly the currency's minor digits", arguments: [
        (123_450 as Int64, "USD", "1234.50"),
        (-5, "USD", "-0.05"),
        (0, "USD", "0.00"),
        (7, "EUR", "0.07"),
        (1200, "JPY", "1200"),
        (-1200, "JPY", "-1200"),
        (1250, "KWD", "1.250"),
        (1, "CLF", "0.0001"),
        (Int64.min, "USD", "-92233720368547758.08"),
        (Int64.max, "USD", "92233720368547758.07"),
    ])
    func formats(minor: Int64, code: String, expected: String) {
        #expect(Money(minor: minor, currency: Currency(code: code)!).formatted == expected)
    }

    @Test("parse and format round-trip", arguments: ["0.01", "1234.56", "-99.90", "1000000.00"])
    func roundTrip(text: String) throws {
        let money = try Money.parse(text, currency: usd, allowNegative: true).get()
        #expect(money.formatted == text)
    }
}

struct RoundingTests {
    @Test("half to even divides exactly", arguments: [
        (5 as Int128, 2 as Int128, 2 as Int128),   // 2.5 → 2
        (7, 2, 4),    // 3.5 → 4
        (-5, 2, -2),  // -2.5 → -2
        (-7, 2, -4),  // -3.5 → -4
        (1, 3, 0),    // 0.33 → 0
        (2, 3, 1),    // 0.67 → 1
        (-2, 3, -1),  // -0.67 → -1
        (10, 5, 2),   // exact
        (0, 7, 0),
    ])
    func divide(numerator: Int128, denominator: Int128, expected: Int128) {
        #expect(HalfEven.divide(numerator, by: denominator) == expected)
    }

    /// Exact amounts in pico-units (10^-12) rounded to the minor unit.
    @Test("exact amounts round once, half to even, to the minor unit", arguments: [
        ("12.345", "USD", 1234 as Int64),          // 1234.5 cents, 4 is even → 1234
        ("12.355", "USD", 1236),                    // 1235.5 cents, 6 is even → 1236
        ("12.345000000001", "USD", 1235),           // just above the half
        ("12.344999999999", "USD", 1234),           // just below the half
        ("-12.345", "USD", -1234),
        ("-12.355", "USD", -1236),
        ("0.005", "USD", 0),
        ("0.015", "USD", 2),
        ("0.025", "USD", 2),
        ("2.5", "JPY", 2),
        ("3.5", "JPY", 4),
        ("1.0005", "KWD", 1000),
        ("1.0015", "KWD", 1002),
    ])
    func roundsExactAmounts(exact: String, code: String, expected: Int64) throws {
        let picos = try ScaledDecimal.parse(exact, scale: 12, allowNegative: true).get()
        let amount = ExactAmount(picos: Int128(picos))
        #expect(amount.roundedMinor(Currency(code: code)!) == expected)
    }

    @Test("products are exact far past Int64")
    func productsDoNotOverflow() {
        // Int64.max tokens at 1,000,000.000000 per million tokens: 9.2e18 × 1e12 picos ≈ 9.2e30.
        let charge = ExactAmount.tokenCharge(tokens: Int64.max, pricePerMillionMicros: 1_000_000_000_000)
        #expect(charge.picos == Int128(Int64.max) * 1_000_000_000_000)
        #expect(charge.roundedMinor(usd) == nil)  // 9.2e18 USD does not fit Int64 cents
        // 0.1 (rate) × 1,000,000.000000 (revenue) = 100,000.00 exactly.
        #expect(ExactAmount.product(rateMicros: 100_000, valueMicros: 1_000_000_000_000).roundedMinor(usd) == 10_000_000)
    }
}

struct CurrencyTests {
    @Test("ISO 4217 minor digits", arguments: [
        ("USD", 2), ("EUR", 2), ("GBP", 2), ("JPY", 0), ("KRW", 0), ("KWD", 3), ("BHD", 3),
        ("TND", 3), ("CLF", 4), ("UYW", 4), ("CHF", 2), ("INR", 2), ("ISK", 0), ("XOF", 0),
    ])
    func minorDigits(code: String, digits: Int) {
        #expect(Currency(code: code)?.minorDigits == digits)
    }

    @Test("codes without a minor unit, withdrawn or malformed are unknown",
          arguments: ["XAU", "XDR", "usd", "US", "USDD", "", "HRK"])
    func unknown(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test("the whole current list is known")
    func coverage() {
        #expect(Currency.allCodes.count >= 150)
    }
}
