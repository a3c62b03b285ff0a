import RevShareCore
import RevShareStore

/// The correction billed when a closed period's usage was restated (SPEC §4.4).
public enum PriorPeriodAdjustment {
    /// An adjustment that the next close bills for an earlier closed period.
    public struct Due: Sendable {
        /// The period corrected.
        public let period: Period
        /// The report it is recomputed from now (nil: no usage).
        public let usageReportID: Int64?
        public let recomputed: ShareResult
        public let chargedSoFarMinor: Int64
        /// recomputed share + true-up − charged so far; 0 is recorded but neither posted nor listed.
        public let amountMinor: Int64
    }

    /// The adjustment due for `period` of `partner`, when its current usage report is not the one
    /// its charges were last computed from; nil when nothing changed (or it was never charged).
    public static func due(_ partner: Partner, for period: Period, _ reader: ReadContext) throws -> Due? {
        let history = try reader.periodCharges(partnerID: partner.id, forPeriod: period)
        guard let last = history.last, let agreement = partner.agreement(for: period) else { return nil }
        let current = try reader.currentUsageReport(partnerID: partner.id, period: period)?.reportID
        guard current != last.usageReportID else { return nil }
        let recomputed = try ReportShare.of(reportID: current, agreement: agreement, currency: partner.currency, reader)
        var chargedSoFar: Int64 = 0
        for charge in history {
            let (sum, overflow) = chargedSoFar.addingReportingOverflow(charge.chargedMinor)
            guard !overflow else { throw ShareError.adjustmentOutOfRange(agreementID: agreement.id) }
            chargedSoFar = sum
        }
        let amount = try amountMinor(recomputed: recomputed, chargedSoFarMinor: chargedSoFar).get()
        return Due(period: period, usageReportID: current, recomputed: recomputed, chargedSoFarMinor: chargedSoFar,
                   amountMinor: amount)
    }

    /// (share + true-up of Q recomputed under Q's agreement) − (what was charged for Q so far).
    /// Positive: the partner owes more; negative: a credit; 0: nothing is posted or listed.
    static func amountMinor(recomputed: ShareResult, chargedSoFarMinor: Int64) -> Result<Int64, ShareError> {
        let (difference, overflow) = recomputed.shareAndTrueUpMinor.subtractingReportingOverflow(chargedSoFarMinor)
        guard !overflow else { return .failure(.adjustmentOutOfRange(agreementID: recomputed.agreementID)) }
        return .success(difference)
    }
}
