/// An exact amount of currency in pico-units (10^-12 of a currency unit).
///
/// Every product revshare forms is exact at this scale: a rate or price with at most six
/// fractional digits times revenue in micro-units, or tokens times a price in micro-units per
/// million tokens. Int128 holds ±1.7·10^38 pico-units, far past any Int64 input product, and
/// arithmetic traps rather than wraps.
public struct ExactAmount: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale = 12
    public var picos: Int128

    public init(picos: Int128) { self.picos = picos }
    public static let zero = ExactAmount(picos: 0)

    /// rate (micro-units of 1) × value (micro-units of currency).
    public static func product(rateMicros: Int64, valueMicros: Int64) -> ExactAmount {
        ExactAmount(picos: Int128(rateMicros) * Int128(valueMicros))
    }

    /// tokens × price (micro-units of currency per 1,000,000 tokens).
    public static func tokenCharge(tokens: Int64, pricePerMillionMicros: Int64) -> ExactAmount {
        ExactAmount(picos: Int128(tokens) * Int128(pricePerMillionMicros))
    }

    public static func + (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        ExactAmount(picos: lhs.picos + rhs.picos)
    }

    public static func - (lhs: ExactAmount, rhs: ExactAmount) -> ExactAmount {
        ExactAmount(picos: lhs.picos - rhs.picos)
    }

    public static func < (lhs: ExactAmount, rhs: ExactAmount) -> Bool { lhs.picos < rhs.picos }

    public init(minor: Int64, currency: Currency) {
        picos = Int128(minor) * Powers.ten128(Self.scale - currency.minorDigits)
    }

    public init(micros: Int64) {
        picos = Int128(micros) * Powers.ten128(Self.scale - 6)
    }

    /// Rounded half to even to the currency's minor unit; nil when it does not fit Int64.
    public func roundedMinor(_ currency: Currency) -> Int64? {
        Int64(exactly: HalfEven.rescale(picos, fromScale: Self.scale, toScale: currency.minorDigits))
    }

    public var description: String { ScaledDecimal.format(picos, scale: Self.scale) }
}
