import RevShareCore
import RevShareDomain
import RevShareStore

/// What the usage kinds know about one partner in the reconciled period.
struct PartnerPeriod {
    let partner: Partner
    let agreement: Agreement
    let period: Period
    let reportID: Int64?
    let models: [ModelTotals]
    let facts: ReportFacts?
    let meter: [(model: String, inputTokens: Int64, outputTokens: Int64)]?

    init(_ partner: Partner, _ agreement: Agreement, _ period: Period, _ reader: ReadContext) throws {
        self.partner = partner
        self.agreement = agreement
        self.period = period
        reportID = try reader.currentUsageReport(partnerID: partner.id, period: period)?.reportID
        models = try reportID.map { try reader.modelTotals(reportID: $0) } ?? []
        facts = try reportID.map { try reader.reportFacts(reportID: $0) }
        meter = try reader.currentMeterReportID(partnerID: partner.id, period: period).map { try reader.meterTotals(reportID: $0) }
    }

    var currency: Currency { partner.currency }
    var name: String { "\(partner.id) \(period)" }
}

/// One function per usage kind (SPEC §6); each returns what it finds.
enum UsageKinds {
    static func missingReport(_ p: PartnerPeriod, asOf: CivilDate) -> [Discrepancy] {
        guard asOf > p.period.lastDay, p.reportID == nil else { return [] }
        return [Discrepancy(.missingReport, partner: p.partner.id, period: p.period,
                            message: "\(p.name): no usage report, though agreement \(p.agreement.id) is in force")]
    }

    static func missingDays(_ p: PartnerPeriod) -> [Discrepancy] {
        guard let facts = p.facts, facts.daysWithRows < p.period.dayCount else { return [] }
        return [Discrepancy(.missingDays, partner: p.partner.id, period: p.period,
                            expected: .count(Int64(p.period.dayCount)), actual: .count(Int64(facts.daysWithRows)),
                            message: "\(p.name): rows on \(facts.daysWithRows) of \(p.period.dayCount) days")]
    }

    static func shareMismatch(_ p: PartnerPeriod) throws -> [Discrepancy] {
        guard let facts = p.facts, facts.rowsWithReportedShare > 0 else { return [] }
        let computed = try ReportShare.of(p.models, agreement: p.agreement, currency: p.currency)
        guard let reported = ExactAmount(micros: facts.reportedShareMicros).roundedMinor(p.currency) else { return [] }
        guard ToleranceCheck.exceedsGeneral(expectedMinor: computed.shareMinor, actualMinor: reported,
                                            currency: p.currency, p.agreement.tolerance) else { return [] }
        let money = { (minor: Int64) in Money.format(minor: minor, currency: p.currency) }
        return [Discrepancy(.shareMismatch, partner: p.partner.id, period: p.period,
                            expected: .money(computed.shareMinor, p.currency), actual: .money(reported, p.currency),
                            message: "\(p.name): the partner reports a share of \(money(reported)) \(p.currency.code), revshare computes \(money(computed.shareMinor)) under \(p.agreement.id)")]
    }

    static func usageMismatch(_ p: PartnerPeriod) -> [Discrepancy] {
        guard let meter = p.meter else { return [] }
        // input + output cannot overflow: import refuses a report whose total of both would.
        // Keyed byte for byte, as the store groups them: `café` and `cafe` + U+0301 are two models.
        var metered: [ExactText: Int64] = [:]
        for row in meter { metered[ExactText(row.model)] = row.inputTokens + row.outputTokens }
        var reported: [ExactText: Int64] = [:]
        for row in p.models { reported[ExactText(row.model)] = row.inputTokens + row.outputTokens }
        return Set(metered.keys).union(reported.keys).sorted().compactMap { key in
            let model = key.string
            let expected = metered[key] ?? 0
            let actual = reported[key] ?? 0
            let counts = expected == 0 ? actual > 0 : ToleranceCheck.exceedsTokens(expected: expected, actual: actual, p.agreement.tolerance)
            guard counts else { return nil }
            return Discrepancy(.usageMismatch, partner: p.partner.id, period: p.period, model: model,
                               expected: .count(expected), actual: .count(actual),
                               message: "\(p.name) \(model): the partner reports \(actual) tokens, the meter counted \(expected)")
        }
    }

    static func priceAnomaly(_ p: PartnerPeriod) -> [Discrepancy] {
        p.models.compactMap { row in
            guard let price = p.agreement.listPrices[ExactText(row.model)] else { return nil }
            let atList = price.charge(inputTokens: row.inputTokens, outputTokens: row.outputTokens)
            guard let expected = atList.roundedMinor(p.currency),
                  let actual = ExactAmount(micros: row.grossRevenueMicros).roundedMinor(p.currency),
                  ToleranceCheck.exceedsPrice(expectedMinor: expected, actualMinor: actual, currency: p.currency, p.agreement.tolerance)
            else { return nil }
            let money = { (minor: Int64) in Money.format(minor: minor, currency: p.currency) }
            return Discrepancy(.priceAnomaly, partner: p.partner.id, period: p.period, model: row.model,
                               expected: .money(expected, p.currency), actual: .money(actual, p.currency),
                               message: "\(p.name) \(row.model): gross revenue \(money(actual)) \(p.currency.code) is far from \(money(expected)) at list price")
        }
    }
}
