import RevShareCore
import RevShareDomain
import Testing

/// Seeded random cases (SplitMix64), checked against invariants computed independently here.
@Suite("properties")
struct PropertyTests {
    private static let seeds: [UInt64] = [1, 2, 3, 42, 2025, 0xDEAD_BEEF]

    @Test("share lines add up and stay within one unit of their quotas", arguments: seeds)
    func shareLines(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        for _ in 0..<300 {
            let currency = [usd, jpy, kwd].randomElement(using: &random)!
            let models = ["a", "b", "c", "d", "e", "f", "g"].shuffled(using: &random).prefix(Int.random(in: 0...6, using: &random))
            let rows = models.map { model in
                ModelUsage(model: model, requests: Int64.random(in: 0...1_000, using: &random),
                           inputTokens: Self.magnitude(upTo: 9, using: &random),
                           outputTokens: Self.magnitude(upTo: 9, using: &random),
                           grossRevenueMicros: Self.magnitude(upTo: 12, using: &random))
            }
            let minimum: Int64? = Bool.random(using: &random) ? Int64.random(in: 0...10_000_000, using: &random) : nil
            let agreement = Bool.random(using: &random)
                ? Self.randomTiered(minimum: minimum, using: &random)
                : Self.randomPriced(models: Array(models), minimum: minimum, using: &random)
            let result = try ShareCalculator.compute(usage: rows, agreement: agreement, currency: currency).get()

            // The exact share and weights, computed here independently of the calculator.
            let (exactPicos, weights) = Self.expected(rows, agreement)
            #expect(result.exactShare.picos == exactPicos)
            // Rounded once to the minor unit: within half a unit of the exact share.
            let unitPicos = Self.tenTo(12 - currency.minorDigits)
            let roundingError = Int128(result.shareMinor) * unitPicos - exactPicos
            #expect(2 * roundingError.magnitude <= unitPicos.magnitude)
            #expect(result.minimumTrueUpMinor == max(0, (minimum ?? 0) - result.shareMinor))

            #expect(result.lines.map(\.model) == models.sorted())
            let totalWeight = weights.values.reduce(0, +)
            if totalWeight == 0 {
                #expect(result.lines.allSatisfy { $0.shareMinor == 0 })
            } else {
                #expect(result.lines.reduce(Int64(0)) { $0 + $1.shareMinor } == result.shareMinor)
                for line in result.lines {
                    // |line − share × w / W| < 1  ⇔  |line × W − share × w| < W
                    let gap = Int128(line.shareMinor) * totalWeight - Int128(result.shareMinor) * weights[line.model]!
                    #expect(gap.magnitude < totalWeight.magnitude)
                }
            }
        }
    }

    @Test("largest remainder with signed totals", arguments: seeds)
    func signedSplit(seed: UInt64) {
        var random = SplitMix64(state: seed)
        for _ in 0..<500 {
            let total = Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)
            let weights = (0..<Int.random(in: 0...8, using: &random)).map { index in
                (key: "k\(index)", weight: Bool.random(using: &random) ? 0 : Int128(Self.magnitude(upTo: 15, using: &random)))
            }
            let parts = LargestRemainder.split(totalMinor: total, weights: weights)
            let totalWeight = weights.reduce(Int128(0)) { $0 + $1.weight }
            #expect(parts.map(\.key) == weights.map(\.key))
            if totalWeight == 0 {
                #expect(parts.allSatisfy { $0.amountMinor == 0 })
                continue
            }
            #expect(parts.reduce(Int64(0)) { $0 + $1.amountMinor } == total)
            for (part, weight) in zip(parts, weights) {
                // floor(quota) ≤ part ≤ floor(quota) + 1, so part × W − total × w lies in (−W, W)
                let gap = Int128(part.amountMinor) * totalWeight - Int128(total) * weight.weight
                #expect(gap.magnitude < totalWeight.magnitude)
            }
        }
    }

    @Test("payments: applied + unapplied credit = payments counted", arguments: seeds)
    func paymentApplication(seed: UInt64) {
        var random = SplitMix64(state: seed)
        let firstDay = date("2024-12-01").daysSinceEpoch
        for _ in 0..<300 {
            var periods: [Period] = []
            var next = period("2024-11")
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                periods.append(next)
                next = next.next!
            }
            let charges = periods.map { PeriodCharges(period: $0, chargesMinor: Int64.random(in: -5_000...50_000, using: &random)) }
            let references = periods + [period("2024-01")]  // one that is not closed
            let payments = (0..<Int.random(in: 0...8, using: &random)).map { index in
                ReceivedPayment(
                    paymentID: "P\(Int.random(in: 0...99, using: &random))-\(index)",
                    receivedOn: CivilDate(daysSinceEpoch: firstDay + Int.random(in: 0...270, using: &random))!,
                    amountMinor: Int64.random(in: 1...40_000, using: &random),
                    reference: Bool.random(using: &random) ? references.randomElement(using: &random) : nil)
            }
            let asOf = CivilDate(daysSinceEpoch: firstDay + Int.random(in: -10...280, using: &random))!
            let application = PaymentApplication.apply(charges: charges.shuffled(using: &random), payments: payments,
                                                       asOf: asOf)

            let counted = payments.filter { $0.receivedOn <= asOf }
            let appliedMinor = application.periods.reduce(Int64(0)) { $0 + $1.appliedMinor }
            #expect(appliedMinor + application.unappliedCreditMinor == counted.reduce(Int64(0)) { $0 + $1.amountMinor })

            #expect(application.periods.map(\.period) == periods)
            // Every counted payment once, in (received_on, payment_id) order.
            let applied = application.allocations.map(\.payment)
            #expect(Set(applied) == Set(counted) && applied.count == counted.count)
            for (earlier, later) in zip(applied, applied.dropFirst()) {
                #expect(earlier.receivedOn < later.receivedOn
                    || (earlier.receivedOn == later.receivedOn && earlier.paymentID < later.paymentID))
            }
            for (status, charge) in zip(application.periods, charges) {
                #expect(status.chargesMinor == charge.chargesMinor)
                #expect((0...max(0, charge.chargesMinor)).contains(status.appliedMinor))
                #expect((status.completedBy != nil) == (charge.chargesMinor > 0 && status.appliedMinor == charge.chargesMinor))
                let allocatedHere = application.allocations.flatMap(\.allocated).filter { $0.period == status.period }
                #expect(allocatedHere.reduce(Int64(0)) { $0 + $1.amountMinor } == status.appliedMinor)
            }
            for allocation in application.allocations {
                let spent = allocation.allocated.reduce(Int64(0)) { $0 + $1.amountMinor }
                #expect(spent + allocation.unappliedMinor == allocation.payment.amountMinor)
            }
            // Credit is left only when nothing is open any more.
            if application.unappliedCreditMinor > 0 {
                #expect(application.periods.allSatisfy { $0.isFullyPaid })
            }
        }
    }

    // MARK: - Generators and the independent computation

    /// 0 about a quarter of the time, else a value with a random number of digits up to `digits`.
    private static func magnitude(upTo digits: Int, using random: inout SplitMix64) -> Int64 {
        if Int.random(in: 0..<4, using: &random) == 0 { return 0 }
        let limit = Int64(tenTo(Int.random(in: 1...digits, using: &random)))
        return Int64.random(in: 0..<limit, using: &random)
    }

    private static func randomTiered(minimum: Int64?, using random: inout SplitMix64) -> Agreement {
        var bound: Int64 = 0
        var tiers: [Tier] = []
        for _ in 0..<Int.random(in: 0...2, using: &random) {
            bound += Int64.random(in: 1...1_000_000_000_000, using: &random)
            tiers.append(Tier(upToMicros: bound, rateMicros: Int64.random(in: 0...1_000_000, using: &random)))
        }
        tiers.append(Tier(upToMicros: nil, rateMicros: Int64.random(in: 0...1_000_000, using: &random)))
        return Agreement(id: "R", partnerID: "p", effectiveFrom: period("2025-01"), basis: .revenuePercent, tiers: tiers,
                         prices: [:], defaultPrice: nil, minimumMonthlyMinor: minimum, tolerance: .standard,
                         listPrices: [:])
    }

    private static func randomPriced(models: [String], minimum: Int64?, using random: inout SplitMix64) -> Agreement {
        func price() -> TokenPrice {
            TokenPrice(inputMicros: Int64.random(in: 0...5_000_000, using: &random),
                       outputMicros: Int64.random(in: 0...5_000_000, using: &random))
        }
        var prices: [ExactText: TokenPrice] = [:]
        for model in models where Bool.random(using: &random) { prices[ExactText(model)] = price() }
        return Agreement(id: "T", partnerID: "p", effectiveFrom: period("2025-01"), basis: .perMillionTokens, tiers: [],
                         prices: prices, defaultPrice: price(), minimumMonthlyMinor: minimum, tolerance: .standard,
                         listPrices: [:])
    }

    /// Exact share in picos, and each model's weight.
    private static func expected(_ rows: [ModelUsage], _ agreement: Agreement) -> (Int128, [String: Int128]) {
        switch agreement.basis {
        case .revenuePercent:
            let revenue = rows.reduce(Int128(0)) { $0 + Int128($1.grossRevenueMicros) }
            var picos: Int128 = 0
            var lower: Int128 = 0
            for tier in agreement.tiers where revenue > lower {
                let upper = tier.upToMicros.map { Int128($0) }
                picos += Int128(tier.rateMicros) * ((upper.map { min(revenue, $0) } ?? revenue) - lower)
                lower = upper ?? revenue
            }
            return (picos, Dictionary(uniqueKeysWithValues: rows.map { ($0.model, Int128($0.grossRevenueMicros)) }))
        case .perMillionTokens:
            let weights = rows.map { row in
                let price = agreement.price(for: row.model)!
                return (row.model, Int128(row.inputTokens) * Int128(price.inputMicros)
                    + Int128(row.outputTokens) * Int128(price.outputMicros))
            }
            return (weights.reduce(0) { $0 + $1.1 }, Dictionary(uniqueKeysWithValues: weights))
        }
    }

    private static func tenTo(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 }
    }
}
