import RevShareCore
import RevShareDomain
import Testing

/// Tiers of SPEC §3.1: up to 1,000,000.00 at 0.10, above at 0.12.
private let awsTiers = [Tier(upToMicros: 1_000_000_000_000, rateMicros: 100_000), Tier(upToMicros: nil, rateMicros: 120_000)]
/// One open tier at 0.10.
private let tenPercent = [Tier(upToMicros: nil, rateMicros: 100_000)]

@Suite("revenue_percent")
struct RevenuePercentTests {
    @Test("tier boundaries", arguments: [
        // 0.10 × 999,999.999999 = 99,999.9999999 → 100,000.00
        (Int64(999_999_999_999), Int128(99_999_999_999_900_000), Int64(10_000_000)),
        // 0.10 × 1,000,000.000000 = 100,000.000000 exactly at the bound
        (1_000_000_000_000, 100_000_000_000_000_000, 10_000_000),
        // one micro-unit above: 100,000 + 0.12 × 0.000001 = 100,000.00000012 → 100,000.00
        (1_000_000_000_001, 100_000_000_000_120_000, 10_000_000),
        // 0.10 × 1,000,000 + 0.12 × 500,000 = 100,000 + 60,000 = 160,000.00
        (1_500_000_000_000, 160_000_000_000_000_000, 16_000_000),
    ])
    func tierBoundaries(revenueMicros: Int64, exactPicos: Int128, shareMinor: Int64) throws {
        let result = try share([usage("m", revenueMicros: revenueMicros)], revenueAgreement(awsTiers))
        #expect(result.exactShare == ExactAmount(picos: exactPicos))
        #expect(result.shareMinor == shareMinor)
        #expect(lineShares(result) == ["m=\(shareMinor)"])  // one model takes all
    }

    @Test func oneMicroAboveTheBoundIsExact() throws {
        let result = try share([usage("m", revenueMicros: 1_000_000_000_001)], revenueAgreement(awsTiers))
        // 100,000 + 0.00000012, written with 12 fractional digits
        #expect(result.exactShare.description == "100000.000000120000")
    }

    @Test func threeMarginalTiers() throws {
        let tiers = [
            Tier(upToMicros: 1_000_000_000, rateMicros: 100_000),  // up to 1,000 at 0.10
            Tier(upToMicros: 5_000_000_000, rateMicros: 50_000),  // up to 5,000 at 0.05
            Tier(upToMicros: nil, rateMicros: 20_000),  // above at 0.02
        ]
        let rows = [usage("b", revenueMicros: 5_000_250_000), usage("a", revenueMicros: 2_500_250_000)]
        let result = try share(rows, revenueAgreement(tiers))
        // R = 2,500.25 + 5,000.25 = 7,500.50
        // 0.10 × 1,000 + 0.05 × (5,000 − 1,000) + 0.02 × (7,500.50 − 5,000) = 100 + 200 + 50.01 = 350.01
        #expect(result.exactShare == ExactAmount(picos: 350_010_000_000_000))
        #expect(result.shareMinor == 35_001)
        // Weights 2,500.25 : 5,000.25 = 10,001 : 20,001 (÷ 250,000), Σ 30,002.
        // a: 35,001 × 10,001 / 30,002 = 350,045,001 / 30,002 = 11,667 rem 11,667 (0.389)
        // b: 35,001 × 20,001 / 30,002 = 700,055,001 / 30,002 = 23,333 rem 18,335 (0.611)
        // floors 11,667 + 23,333 = 35,000; the one cent left goes to b (larger fraction)
        #expect(lineShares(result) == ["a=11667", "b=23334"])
    }

    @Test func revenueInsideTheFirstTier() throws {
        let tiers = [Tier(upToMicros: 1_000_000_000, rateMicros: 100_000), Tier(upToMicros: nil, rateMicros: 20_000)]
        let result = try share([usage("m", revenueMicros: 500_000_000)], revenueAgreement(tiers))
        #expect(result.shareMinor == 5_000)  // 0.10 × 500.00 = 50.00; the open tier's slice is max(0, 500 − 1,000) = 0
    }

    @Test("half to even at the cent", arguments: [
        (Int64(123_450_000), Int64(1_234)),  // 0.10 × 123.45 = 12.345 → 12.34 (4 is even)
        (123_550_000, 1_236),  // 0.10 × 123.55 = 12.355 → 12.36 (5 is odd, up to 6)
        (123_350_000, 1_234),  // 0.10 × 123.35 = 12.335 → 12.34 (3 is odd, up to 4)
        (123_450_001, 1_235),  // 0.10 × 123.450001 = 12.3450001 → above half → 12.35
        (123_449_999, 1_234),  // 0.10 × 123.449999 = 12.3449999 → below half → 12.34
        (50_000, 0),  // 0.10 × 0.05 = 0.005 → 0.00 (0 is even)
        (150_000, 2),  // 0.10 × 0.15 = 0.015 → 0.02 (1 is odd)
    ])
    func halfEven(revenueMicros: Int64, shareMinor: Int64) throws {
        let result = try share([usage("m", revenueMicros: revenueMicros)], revenueAgreement(tenPercent))
        #expect(result.shareMinor == shareMinor)
    }

    @Test func odd1CentTieGoesToTheFirstModelName() throws {
        let rows = [usage("beta", revenueMicros: 50_000), usage("alpha", revenueMicros: 50_000)]
        let result = try share(rows, revenueAgreement(tenPercent))
        // R = 0.10, share 0.01 = 1 cent; quotas 0.5 and 0.5 tie → alpha (name ascending)
        #expect(result.shareMinor == 1)
        #expect(lineShares(result) == ["alpha=1", "beta=0"])
    }

    @Test func twoCentsOverThreeEqualModels() throws {
        let rows = ["c", "a", "b"].map { usage($0, revenueMicros: 70_000) }
        let result = try share(rows, revenueAgreement(tenPercent))
        // R = 3 × 0.07 = 0.21, share 0.021 → 0.02; quotas 2/3 each: floors 0, two cents go to a and b
        #expect(result.shareMinor == 2)
        #expect(lineShares(result) == ["a=1", "b=1", "c=0"])
    }

    @Test func allZeroWeightsGiveZeroLines() throws {
        let rows = [usage("y", requests: 5), usage("x", requests: 3)]
        let result = try share(rows, revenueAgreement(tenPercent))
        // R = 0, share 0; the lines still exist, with their counts
        #expect(result.shareMinor == 0)
        #expect(lineShares(result) == ["x=0", "y=0"])
        #expect(result.lines.map(\.requests) == [3, 5])
    }

    @Test func aModelWithNoRevenueStillHasALine() throws {
        let rows = [usage("a"), usage("b", revenueMicros: 100_000_000)]
        let result = try share(rows, revenueAgreement(tenPercent))
        #expect(lineShares(result) == ["a=0", "b=1000"])  // 0.10 × 100.00 = 10.00, all of it on b
    }

    @Test func linesCarryTheUsage() throws {
        let row = ModelUsage(model: "m", requests: 7, inputTokens: 11, outputTokens: 13, grossRevenueMicros: 1_234_567)
        let result = try share([row], revenueAgreement(tenPercent))
        // 0.10 × 1.234567 = 0.1234567 → 0.12
        #expect(result.lines == [ShareLine(model: "m", requests: 7, inputTokens: 11, outputTokens: 13,
                                           grossRevenueMicros: 1_234_567, shareMinor: 12)])
        #expect(result.agreementID == "R-1")
    }

    @Test func modelsSortByUTF8Bytes() throws {
        // "Zeta" (0x5A) < "alpha" (0x61); "e" + U+0301 (65 CC 81) < "é" U+00E9 (C3 A9): distinct keys,
        // though Swift's String == calls them equal.
        let rows = ["é", "alpha", "e\u{301}", "Zeta"].map { usage($0, revenueMicros: 1_000_000) }
        let result = try share(rows, revenueAgreement(tenPercent))
        #expect(result.lines.map { Array($0.model.unicodeScalars) }
            == [["Z", "e", "t", "a"], ["a", "l", "p", "h", "a"], ["e", "\u{301}"], ["\u{E9}"]])
        // R = 4.00, share 0.40, 10 cents each
        #expect(result.lines.map(\.shareMinor) == [10, 10, 10, 10])
    }
}

@Suite("currencies with 0 and 3 minor digits")
struct MinorDigitsTests {
    @Test func yenRoundsToWholeYen() throws {
        let rows = [usage("b", revenueMicros: 6_345_000_000), usage("a", revenueMicros: 6_000_000_000)]
        let result = try share(rows, revenueAgreement(tenPercent), jpy)
        // R = 6,000 + 6,345 = 12,345 yen; 0.10 × 12,345 = 1,234.5 → 1,234 (4 is even)
        #expect(result.exactShare == ExactAmount(picos: 1_234_500_000_000_000))
        #expect(result.shareMinor == 1_234)
        // a: 1,234 × 6,000 / 12,345 = 7,404,000 / 12,345 = 599 rem 9,345 (0.757)
        // b: 1,234 × 6,345 / 12,345 = 7,829,730 / 12,345 = 634 rem 3,000 (0.243)
        // floors 1,233; the last yen goes to a
        #expect(lineShares(result) == ["a=600", "b=634"])
    }

    @Test func yenHalfGoesUpToEven() throws {
        let result = try share([usage("m", revenueMicros: 12_355_000_000)], revenueAgreement(tenPercent), jpy)
        #expect(result.shareMinor == 1_236)  // 0.10 × 12,355 = 1,235.5 → 1,236 (5 is odd)
    }

    @Test("dinar rounds to the fils", arguments: [
        (Int64(1_235_000), Int64(124), Int64(876)),  // 0.10 × 1.235 = 0.1235 → 0.124 (3 odd → up); 1.000 − 0.124 = 0.876
        (1_225_000, 122, 878),  // 0.10 × 1.225 = 0.1225 → 0.122 (2 even); 1.000 − 0.122 = 0.878
        (1_234_500, 123, 877),  // 0.10 × 1.2345 = 0.12345 → 0.123 (0.45 of a fils, below half)
    ])
    func dinar(revenueMicros: Int64, shareMinor: Int64, trueUpMinor: Int64) throws {
        let agreement = revenueAgreement(tenPercent, minimumMinor: 1_000)  // minimum 1.000 KWD
        let result = try share([usage("m", revenueMicros: revenueMicros)], agreement, kwd)
        #expect(result.shareMinor == shareMinor)
        #expect(result.minimumTrueUpMinor == trueUpMinor)
    }
}

@Suite("per_million_tokens")
struct PerMillionTokensTests {
    private let prices: [ExactText: TokenPrice] = ["llama-405b": TokenPrice(inputMicros: 500_000, outputMicros: 1_000_000)]  // 0.50 / 1.00
    private let fallback = TokenPrice(inputMicros: 50_000, outputMicros: 100_000)  // 0.05 / 0.10

    @Test func ownPriceAndDefaultFallback() throws {
        let rows = [
            usage("llama-8b", input: 10_000_000, output: 3_000_000),
            usage("llama-405b", input: 2_000_000, output: 1_000_000),
        ]
        let result = try share(rows, tokenAgreement(prices, default: fallback))
        // llama-405b: (2,000,000 × 0.50 + 1,000,000 × 1.00) / 1,000,000 = 1.00 + 1.00 = 2.00
        // llama-8b (default): (10,000,000 × 0.05 + 3,000,000 × 0.10) / 1,000,000 = 0.50 + 0.30 = 0.80
        // share = 2.80
        #expect(result.exactShare == ExactAmount(picos: 2_800_000_000_000))
        #expect(result.shareMinor == 280)
        // weights 2.00 : 0.80 → 280 × 2.00 / 2.80 = 200, 280 × 0.80 / 2.80 = 80, exact
        #expect(lineShares(result) == ["llama-405b=200", "llama-8b=80"])  // '4' (0x34) < '8' (0x38)
    }

    @Test("half to even on a token charge", arguments: [
        (Int64(5_000), Int64(0), Int64(0)),  // 5,000 × 1.00 / 1,000,000 = 0.005 → 0.00
        (15_000, 0, 2),  // 0.015 → 0.02
        (25_000, 0, 2),  // 0.025 → 0.02
        (0, 35_000, 7),  // 35,000 × 2.00 / 1,000,000 = 0.07
        (5_000, 5_000, 2),  // 0.005 + 5,000 × 2.00 / 1,000,000 = 0.005 + 0.010 = 0.015 → 0.02
    ])
    func tokenTie(input: Int64, output: Int64, shareMinor: Int64) throws {
        let agreement = tokenAgreement(["m": TokenPrice(inputMicros: 1_000_000, outputMicros: 2_000_000)])
        let result = try share([usage("m", input: input, output: output)], agreement)
        #expect(result.shareMinor == shareMinor)
    }

    @Test func missingPriceIsAnError() {
        let rows = [usage("llama-405b", input: 1), usage("mystery", input: 1)]
        let result = ShareCalculator.compute(usage: rows, agreement: tokenAgreement(prices), currency: usd)
        #expect(throws: ShareError.missingPrice(agreementID: "T-1", partnerID: "p", model: "mystery")) {
            try result.get()
        }
    }

    @Test("prices are found byte for byte: e + U+0301 does not find the price of é (U+00E9)")
    func pricesMatchByteForByte() throws {
        let precomposed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let one = TokenPrice(inputMicros: 1_000_000, outputMicros: 0), two = TokenPrice(inputMicros: 2_000_000, outputMicros: 0)
        let onlyPrecomposed = tokenAgreement([ExactText(precomposed): one])
        #expect(onlyPrecomposed.price(for: precomposed) == one)
        #expect(onlyPrecomposed.price(for: decomposed) == nil)
        do {
            _ = try ShareCalculator.compute(usage: [usage(decomposed, input: 1_000_000)], agreement: onlyPrecomposed, currency: usd).get()
            Issue.record("e + U+0301 was priced as é")
        } catch {
            guard case .missingPrice(_, _, let model) = error else { Issue.record("\(error)"); return }
            #expect(Array(model.utf8) == [0x63, 0x61, 0x66, 0x65, 0xCC, 0x81])
        }

        // Both priced: 1,000,000 input tokens each at 1.00 and 2.00 per million.
        let both = tokenAgreement([ExactText(precomposed): one, ExactText(decomposed): two])
        let result = try share([usage(precomposed, input: 1_000_000), usage(decomposed, input: 1_000_000)], both)
        #expect(result.shareMinor == 300)
        #expect(result.lines.map { Array($0.model.utf8) } == [Array(decomposed.utf8), Array(precomposed.utf8)])
        #expect(result.lines.map(\.shareMinor) == [200, 100])
    }

    @Test func zeroTokensGiveZeroLines() throws {
        let rows = [usage("b"), usage("a")]
        let result = try share(rows, tokenAgreement([:], default: fallback))
        #expect(result.shareMinor == 0)
        #expect(lineShares(result) == ["a=0", "b=0"])
    }
}

@Suite("minimum guarantee")
struct MinimumGuaranteeTests {
    private let minimum = revenueAgreement(awsTiers, minimumMinor: 5_000_000)  // 50,000.00

    @Test func noUsageOwesTheMinimum() throws {
        let result = try share([], minimum)
        #expect(result.exactShare == .zero)
        #expect(result.shareMinor == 0)
        #expect(result.minimumTrueUpMinor == 5_000_000)  // 50,000.00 − 0
        #expect(result.lines.isEmpty)
        #expect(result.shareAndTrueUpMinor == 5_000_000)
    }

    @Test("true-up", arguments: [
        (Int64(100_000_000_000), Int64(1_000_000), Int64(4_000_000)),  // 0.10 × 100,000 = 10,000.00; 50,000 − 10,000 = 40,000.00
        (500_000_000_000, 5_000_000, 0),  // 0.10 × 500,000 = 50,000.00, exactly the minimum
        (1_500_000_000_000, 16_000_000, 0),  // 160,000.00 is above the minimum
    ])
    func trueUp(revenueMicros: Int64, shareMinor: Int64, trueUpMinor: Int64) throws {
        let result = try share([usage("m", revenueMicros: revenueMicros)], minimum)
        #expect(result.shareMinor == shareMinor)
        #expect(result.minimumTrueUpMinor == trueUpMinor)
    }

    @Test func noMinimumNoTrueUp() throws {
        let result = try share([], revenueAgreement(awsTiers))
        #expect(result.minimumTrueUpMinor == 0)
    }
}

@Suite("errors")
struct ShareErrorTests {
    @Test func roundedShareBeyondInt64() {
        // 9,223,372,036,854,775,807 tokens × 1,000,000.00 per million = 9,223,372,036,854.775807 × 10^6
        // ≈ 9.2 · 10^18 dollars = 9.2 · 10^20 cents > Int64.max (9.2 · 10^18)
        let agreement = tokenAgreement(["m": TokenPrice(inputMicros: 1_000_000_000_000, outputMicros: 0)])
        let result = ShareCalculator.compute(usage: [usage("m", input: .max)], agreement: agreement, currency: usd)
        #expect(throws: ShareError.shareOutOfRange(agreementID: "T-1", partnerID: "p")) { try result.get() }
    }

    @Test func exactSumBeyondInt128() {
        // each model: 2 × (2^63 − 1)² = 2^127 − 2^65 + 2 picos, just inside Int128; two of them are not
        let price = TokenPrice(inputMicros: .max, outputMicros: .max)
        let rows = [usage("a", input: .max, output: .max), usage("b", input: .max, output: .max)]
        let result = ShareCalculator.compute(usage: rows, agreement: tokenAgreement([:], default: price), currency: usd)
        #expect(throws: ShareError.shareOutOfRange(agreementID: "T-1", partnerID: "p")) { try result.get() }
    }

    @Test func duplicateModel() {
        let rows = [usage("m", revenueMicros: 1), usage("m", revenueMicros: 2)]
        let result = ShareCalculator.compute(usage: rows, agreement: revenueAgreement(tenPercent), currency: usd)
        #expect(throws: ShareError.duplicateModel(agreementID: "R-1", partnerID: "p", model: "m")) { try result.get() }
    }

    @Test func negativeUsage() {
        let result = ShareCalculator.compute(usage: [usage("m", revenueMicros: -1)],
                                             agreement: revenueAgreement(tenPercent), currency: usd)
        #expect(throws: ShareError.negativeUsage(agreementID: "R-1", partnerID: "p", model: "m")) { try result.get() }
    }

    @Test func messagesNameTheAgreementAndWhatToDo() {
        let error = ShareError.missingPrice(agreementID: "T-1", partnerID: "p", model: "m")
        #expect(error.category == .invalidInput)
        #expect(error.diagnostics == [
            "p: agreement T-1 has no price for model \"m\" and no default; "
                + "add a price for it or a `default` to the agreement and load it again",
        ])
    }
}
