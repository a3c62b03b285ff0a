/// An amount in a currency's minor unit (cents for USD, yen for JPY, fils for KWD).
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var minor: Int64
    public var currency: Currency

    public init(minor: Int64, currency: Currency) {
        self.minor = minor
        self.currency = currency
    }

    /// Parses plain decimal text with at most the currency's minor digits.
    public static func parse(_ text: String, currency: Currency, allowNegative: Bool = false)
        -> Result<Money, ScaledDecimal.ParseError>
    {
        ScaledDecimal.parse(text, scale: currency.minorDigits, allowNegative: allowNegative)
            .map { Money(minor: $0, currency: currency) }
    }

    /// Exactly the currency's minor digits: `1234.50`, `-0.05`, `1200` (JPY), `1.250` (KWD).
    public var formatted: String { Money.format(minor: minor, currency: currency) }
    public var description: String { "\(formatted) \(currency.code)" }

    public static func format(minor: Int64, currency: Currency) -> String {
        ScaledDecimal.format(minor, scale: currency.minorDigits)
    }
}
