import RevShareCore

/// The share one partner owes for one period under its governing agreement (SPEC §4.2, §4.3).
///
/// Everything is exact in pico-units (ExactAmount, Int128) and rounded exactly once, half to
/// even, to the currency's minor unit. Intermediate sums are checked: an overflow is an error
/// value, never a trap.
public enum ShareCalculator {
    /// - Parameters:
    ///   - usage: one entry per model with rows in the period (any order); empty when the
    ///     partner reported nothing (share 0, the minimum is still owed).
    ///   - agreement: the agreement that governs the period.
    ///   - currency: the partner's currency; its minor digits decide the rounding.
    public static func compute(usage: [ModelUsage], agreement: Agreement, currency: Currency)
        -> Result<ShareResult, ShareError>
    {
        Result { () throws(ShareError) in try share(usage, agreement, currency) }
    }

    private static func share(_ usage: [ModelUsage], _ agreement: Agreement, _ currency: Currency)
        throws(ShareError) -> ShareResult
    {
        let models = try validated(usage, agreement)
        let (exactShare, weights) =
            switch agreement.basis {
            case .revenuePercent: try revenuePercent(models, agreement)
            case .perMillionTokens: try perMillionTokens(models, agreement)
            }
        guard let shareMinor = exactShare.roundedMinor(currency) else {
            throw .shareOutOfRange(agreementID: agreement.id, partnerID: agreement.partnerID)
        }
        let split = LargestRemainder.split(
            totalMinor: shareMinor, weights: zip(models, weights).map { (key: $0.model, weight: $1) })
        let lines = zip(models, split).map { usage, part in
            ShareLine(model: usage.model, requests: usage.requests, inputTokens: usage.inputTokens,
                      outputTokens: usage.outputTokens, grossRevenueMicros: usage.grossRevenueMicros,
                      shareMinor: part.amountMinor)
        }
        // Both are ≥ 0, so the difference cannot overflow.
        let trueUpMinor = agreement.minimumMonthlyMinor.map { max(0, $0 - shareMinor) } ?? 0
        return ShareResult(agreementID: agreement.id, exactShare: exactShare, shareMinor: shareMinor,
                           minimumTrueUpMinor: trueUpMinor, lines: lines)
    }

    /// Sorted by model name (UTF-8 bytes), each model once, nothing negative.
    private static func validated(_ usage: [ModelUsage], _ agreement: Agreement) throws(ShareError) -> [ModelUsage] {
        let models = usage.sorted { $0.model.utf8Precedes($1.model) }
        for (previous, next) in zip(models, models.dropFirst()) where previous.model.isByteIdentical(to: next.model) {
            throw .duplicateModel(agreementID: agreement.id, partnerID: agreement.partnerID, model: next.model)
        }
        for model in models
        where min(model.requests, model.inputTokens, model.outputTokens, model.grossRevenueMicros) < 0 {
            throw .negativeUsage(agreementID: agreement.id, partnerID: agreement.partnerID, model: model.model)
        }
        return models
    }

    /// share = Σᵢ rateᵢ × max(0, min(R, up_toᵢ) − up_toᵢ₋₁); weight = the model's gross revenue.
    private static func revenuePercent(_ models: [ModelUsage], _ agreement: Agreement)
        throws(ShareError) -> (ExactAmount, [Int128])
    {
        let weights = models.map { Int128($0.grossRevenueMicros) }
        let revenueMicros = weights.reduce(0, +)  // ≤ count × Int64.max: cannot overflow Int128
        var sharePicos: Int128 = 0
        var lowerMicros: Int128 = 0
        for tier in agreement.tiers {
            let upperMicros = tier.upToMicros.map { Int128($0) } ?? revenueMicros
            let sliceMicros = max(0, min(revenueMicros, upperMicros) - lowerMicros)
            // rate (10^-6) × revenue (10^-6 currency) = pico-units.
            sharePicos = try checked(agreement, sharePicos, plus: Int128(tier.rateMicros), times: sliceMicros)
            guard let upToMicros = tier.upToMicros else { break }  // the open tier is the last
            lowerMicros = Int128(upToMicros)
        }
        return (ExactAmount(picos: sharePicos), weights)
    }

    /// amount = (input × input price + output × output price) / 1,000,000 per model; share = Σ
    /// amounts; weight = the model's exact amount in pico-units.
    private static func perMillionTokens(_ models: [ModelUsage], _ agreement: Agreement)
        throws(ShareError) -> (ExactAmount, [Int128])
    {
        var weights: [Int128] = []
        var sharePicos: Int128 = 0
        for model in models {
            guard let price = agreement.price(for: model.model) else {
                throw .missingPrice(agreementID: agreement.id, partnerID: agreement.partnerID, model: model.model)
            }
            // One model's charge always fits Int128: only Σ over models needs a check.
            let amount = price.charge(inputTokens: model.inputTokens, outputTokens: model.outputTokens)
            sharePicos = try checked(agreement, sharePicos, plus: amount.picos, times: 1)
            weights.append(amount.picos)
        }
        return (ExactAmount(picos: sharePicos), weights)
    }

    /// sum + a × b, or `shareOutOfRange` when it leaves Int128 (only absurd rates or token counts get there).
    private static func checked(_ agreement: Agreement, _ sum: Int128, plus a: Int128, times b: Int128)
        throws(ShareError) -> Int128
    {
        let (product, productOverflow) = a.multipliedReportingOverflow(by: b)
        let (result, sumOverflow) = sum.addingReportingOverflow(product)
        guard !productOverflow, !sumOverflow else {
            throw .shareOutOfRange(agreementID: agreement.id, partnerID: agreement.partnerID)
        }
        return result
    }
}
