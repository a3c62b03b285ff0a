import RevShareCore
import RevShareStore

/// Everything one partner's statement for one period needs, computed from the store: the
/// statement itself, the entries that post its charges, and the charge computations to record.
/// The close writes all three; a draft uses only the statement.
public struct StatementComputation: Sendable {
    public let statement: Statement
    public let entries: [EntryDraft]
    public let charges: [PeriodCharge]
}

public enum StatementBuilder {
    public static func compute(_ partner: Partner, _ period: Period, status: Statement.Status,
                               _ reader: ReadContext) throws -> StatementComputation {
        guard let agreement = partner.agreement(for: period) else {
            throw Refusal(.invalidInput, "partner \(partner.id) has no agreement in force for \(period), so no statement; \(partner.agreementsInForce)")
        }
        guard let dueDate = DueDate.of(period, paymentTermsDays: partner.paymentTermsDays) else {
            throw Refusal(.invalidInput, "\(partner.id) \(period): the due date falls after 9999-12-31")
        }
        let report = try reader.currentUsageReport(partnerID: partner.id, period: period)
        let share = try ReportShare.of(reportID: report?.reportID, agreement: agreement, currency: partner.currency, reader)
        let (adjustments, adjustmentCharges) = try priorPeriodAdjustments(partner, before: period, reader)
        let payments = try reader.payments(partnerID: partner.id, postedIn: period.firstDay...period.lastDay)
            .map { Statement.Payment(paymentID: $0.paymentID, receivedOn: $0.receivedOn, amountMinor: $0.amountMinor) }
        let opening = try period.previous.map {
            try reader.balance(of: .receivable(partner.id), currency: partner.currency, asOf: $0.lastDay)
        } ?? 0
        let statement = Statement(
            status: status, partnerID: partner.id, partnerName: partner.name, period: period,
            currency: partner.currency, agreementID: agreement.id, dueDate: dueDate, openingBalanceMinor: opening,
            lines: share.lines, shareMinor: share.shareMinor, minimumTrueUpMinor: share.minimumTrueUpMinor,
            adjustments: adjustments, payments: payments)
        let ownCharge = PeriodCharge(
            partnerID: partner.id, forPeriod: period, postedPeriod: period, usageReportID: report?.reportID,
            shareMinor: share.shareMinor, minimumTrueUpMinor: share.minimumTrueUpMinor,
            chargedMinor: share.shareAndTrueUpMinor)
        return StatementComputation(statement: statement, entries: try ChargeEntries.drafts(for: statement),
                                    charges: [ownCharge] + adjustmentCharges)
    }

    /// For every earlier closed period whose current usage report is not the one its charges
    /// were last computed from: recompute it under its own agreement and bill the difference
    /// (SPEC §4.4). A zero difference is recorded (so it is not recomputed again) but not listed.
    static func priorPeriodAdjustments(_ partner: Partner, before period: Period, _ reader: ReadContext) throws
        -> ([Statement.Adjustment], [PeriodCharge])
    {
        var adjustments: [Statement.Adjustment] = []
        var charges: [PeriodCharge] = []
        for earlier in try reader.closedPeriods() where earlier < period {
            guard let due = try PriorPeriodAdjustment.due(partner, for: earlier, reader) else { continue }
            charges.append(PeriodCharge(
                partnerID: partner.id, forPeriod: earlier, postedPeriod: period, usageReportID: due.usageReportID,
                shareMinor: due.recomputed.shareMinor, minimumTrueUpMinor: due.recomputed.minimumTrueUpMinor,
                chargedMinor: due.amountMinor))
            if due.amountMinor != 0 { adjustments.append(Statement.Adjustment(period: earlier, amountMinor: due.amountMinor)) }
        }
        return (adjustments, charges)
    }
}

/// The ledger entries that post a statement's charges, all dated the period's last day
/// (SPEC §5, §9); an amount of zero posts nothing. Keys make a re-run close a no-op.
enum ChargeEntries {
    static func drafts(for statement: Statement) throws -> [EntryDraft] {
        let partner = statement.partnerID
        let period = statement.period
        var drafts: [EntryDraft] = []
        func charge(_ kind: EntryKind, _ key: LedgerKey, _ description: String, income: Account, _ amount: Int64) throws {
            guard amount != 0 else { return }
            drafts.append(try EntryDraft(
                date: period.lastDay, kind: kind, description: description, idempotencyKey: key.description,
                postings: [
                    Posting(account: .receivable(partner), currency: statement.currency, amountMinor: amount),
                    Posting(account: income, currency: statement.currency, amountMinor: -amount),
                ]))
        }
        try charge(.share, .share(partner: partner, period: period), "Revenue share \(partner) \(period) under \(statement.agreementID)",
                   income: .revenueShare(partner), statement.shareMinor)
        try charge(.minimumTrueUp, .minimumTrueUp(partner: partner, period: period),
                   "Minimum guarantee true-up \(partner) \(period) under \(statement.agreementID)",
                   income: .minimumGuarantee(partner), statement.minimumTrueUpMinor)
        for adjustment in statement.adjustments {
            try charge(.adjustment, .adjustment(partner: partner, period: adjustment.period, billedIn: period),
                       "Prior-period adjustment \(partner) \(adjustment.period), billed in \(period)",
                       income: .adjustments(partner), adjustment.amountMinor)
        }
        return drafts
    }
}
