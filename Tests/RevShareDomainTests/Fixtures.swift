import RevShareCore
import RevShareDomain

let usd = Currency(code: "USD")!
let jpy = Currency(code: "JPY")!
let kwd = Currency(code: "KWD")!

func period(_ text: String) -> Period { Period(text)! }
func date(_ text: String) -> CivilDate { CivilDate(text)! }

/// 0.10 = 100_000 micros; bounds and revenue in micro-units (1.00 = 1_000_000).
func revenueAgreement(_ tiers: [Tier], minimumMinor: Int64? = nil) -> Agreement {
    Agreement(id: "R-1", partnerID: "p", effectiveFrom: period("2025-01"), basis: .revenuePercent, tiers: tiers,
              prices: [:], defaultPrice: nil, minimumMonthlyMinor: minimumMinor, tolerance: .standard, listPrices: [:])
}

func tokenAgreement(_ prices: [ExactText: TokenPrice], default defaultPrice: TokenPrice? = nil) -> Agreement {
    Agreement(id: "T-1", partnerID: "p", effectiveFrom: period("2025-01"), basis: .perMillionTokens, tiers: [],
              prices: prices, defaultPrice: defaultPrice, minimumMonthlyMinor: nil, tolerance: .standard,
              listPrices: [:])
}

func usage(_ model: String, revenueMicros: Int64 = 0, requests: Int64 = 1, input: Int64 = 0, output: Int64 = 0)
    -> ModelUsage
{
    ModelUsage(model: model, requests: requests, inputTokens: input, outputTokens: output,
               grossRevenueMicros: revenueMicros)
}

func share(_ usage: [ModelUsage], _ agreement: Agreement, _ currency: Currency = usd) throws -> ShareResult {
    try ShareCalculator.compute(usage: usage, agreement: agreement, currency: currency).get()
}

/// (model, shareMinor) of each line, in statement order.
func lineShares(_ result: ShareResult) -> [String] { result.lines.map { "\($0.model)=\($0.shareMinor)" } }

/// SplitMix64 (Steele, Lea, Flood 2014): a small seeded generator, so property tests replay exactly.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
