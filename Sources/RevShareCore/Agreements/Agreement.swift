/// How an agreement turns a month's usage into the share owed (SPEC §4.2).
public enum AgreementBasis: String, Sendable, Hashable, CaseIterable {
    /// Marginal tiers of the month's gross revenue.
    case revenuePercent = "revenue_percent"
    /// A fee per 1,000,000 input and output tokens, by model.
    case perMillionTokens = "per_million_tokens"
}

/// One marginal slice of monthly gross revenue. `upToMicros` is nil for the open last tier.
public struct Tier: Hashable, Sendable {
    public let upToMicros: Int64?
    /// The rate in millionths (0.10 = 100_000); 0 ≤ rate ≤ 1_000_000.
    public let rateMicros: Int64

    public init(upToMicros: Int64?, rateMicros: Int64) {
        self.upToMicros = upToMicros
        self.rateMicros = rateMicros
    }
}

/// Prices per 1,000,000 tokens in micro-units of the partner's currency.
public struct TokenPrice: Hashable, Sendable {
    public let inputMicros: Int64
    public let outputMicros: Int64

    public init(inputMicros: Int64, outputMicros: Int64) {
        self.inputMicros = inputMicros
        self.outputMicros = outputMicros
    }

    /// What tokens cost at this price, exactly: input × input price + output × output price.
    /// Each product is at most (2^63 − 1)², so the sum of the two stays below 2^127.
    public func charge(inputTokens: Int64, outputTokens: Int64) -> ExactAmount {
        ExactAmount.tokenCharge(tokens: inputTokens, pricePerMillionMicros: inputMicros)
            + ExactAmount.tokenCharge(tokens: outputTokens, pricePerMillionMicros: outputMicros)
    }
}

/// When a difference counts as a discrepancy (SPEC §6); all in millionths, compared exactly.
public struct Tolerance: Hashable, Sendable {
    /// Absolute, in micro-units of the currency (1.00 = 1_000_000).
    public let amountMicros: Int64
    /// Fraction of the expected value (0.001 = 1_000).
    public let relativeMicros: Int64
    /// Fraction of the expected value for PRICE_ANOMALY (0.05 = 50_000).
    public let priceRelativeMicros: Int64

    public init(amountMicros: Int64, relativeMicros: Int64, priceRelativeMicros: Int64) {
        self.amountMicros = amountMicros
        self.relativeMicros = relativeMicros
        self.priceRelativeMicros = priceRelativeMicros
    }

    /// amount 1.00, relative 0.001, price_relative 0.05.
    public static let standard = Tolerance(amountMicros: 1_000_000, relativeMicros: 1_000, priceRelativeMicros: 50_000)
}

public struct Agreement: Hashable, Sendable {
    public let id: String
    public let partnerID: String
    /// The first period it governs; it is in force until the partner's next agreement.
    public let effectiveFrom: Period
    public let basis: AgreementBasis
    /// For `revenuePercent`: strictly increasing bounds, exactly one open last tier.
    public let tiers: [Tier]
    /// For `perMillionTokens`: fee prices by model, matched byte for byte (`café` with U+00E9 is
    /// not `cafe` + U+0301).
    public let prices: [ExactText: TokenPrice]
    /// For `perMillionTokens`: the `default` fallback price.
    public let defaultPrice: TokenPrice?
    public let minimumMonthlyMinor: Int64?
    public let tolerance: Tolerance
    /// The partner's public list prices by model, for PRICE_ANOMALY.
    public let listPrices: [ExactText: TokenPrice]

    public init(id: String, partnerID: String, effectiveFrom: Period, basis: AgreementBasis, tiers: [Tier],
                prices: [ExactText: TokenPrice], defaultPrice: TokenPrice?, minimumMonthlyMinor: Int64?,
                tolerance: Tolerance, listPrices: [ExactText: TokenPrice]) {
        self.id = id
        self.partnerID = partnerID
        self.effectiveFrom = effectiveFrom
        self.basis = basis
        self.tiers = tiers
        self.prices = prices
        self.defaultPrice = defaultPrice
        self.minimumMonthlyMinor = minimumMonthlyMinor
        self.tolerance = tolerance
        self.listPrices = listPrices
    }

    /// The fee price for `model` under a per-token agreement: its own, else the default.
    public func price(for model: String) -> TokenPrice? { prices[ExactText(model)] ?? defaultPrice }
}

public struct Partner: Hashable, Sendable {
    public let id: String
    public let name: String
    public let currency: Currency
    public let paymentTermsDays: Int
    /// Sorted by `effectiveFrom`, each period unique.
    public let agreements: [Agreement]
    /// The partner's own model identifiers → agreement model ids, for usage maps; they govern
    /// no period and may change in any load.
    public let modelAliases: [ExactText: String]

    public init(id: String, name: String, currency: Currency, paymentTermsDays: Int, agreements: [Agreement],
                modelAliases: [ExactText: String] = [:]) {
        self.id = id
        self.name = name
        self.currency = currency
        self.paymentTermsDays = paymentTermsDays
        self.agreements = agreements.sorted { $0.effectiveFrom < $1.effectiveFrom }
        self.modelAliases = modelAliases
    }

    /// The agreement with the greatest `effectiveFrom` ≤ `period` (SPEC §9), if any.
    public func agreement(for period: Period) -> Agreement? {
        agreements.last { $0.effectiveFrom <= period }
    }

    /// What a message says to show what exists: "its agreements: AWS-2024 from 2024-07, …".
    public var agreementsInForce: String {
        agreements.isEmpty ? "it has no agreements"
            : "its agreements: " + agreements.map { "\($0.id) from \($0.effectiveFrom)" }.joined(separator: ", ")
    }

    /// The periods `agreement` governs: from its start up to (not including) the next one's.
    public func governedRange(of agreement: Agreement) -> (from: Period, through: Period?) {
        let next = agreements.first { $0.effectiveFrom > agreement.effectiveFrom }
        return (agreement.effectiveFrom, next?.effectiveFrom.previous)
    }
}
