import RevShareCore

/// The correction billed when a closed period's usage was restated (SPEC §4.4).
public enum PriorPeriodAdjustment {
    /// (share + true-up of Q recomputed under Q's agreement) − (what was charged for Q so far).
    /// Positive: the partner owes more; negative: a credit; 0: nothing is posted or listed.
    public static func amountMinor(recomputed: ShareResult, chargedSoFarMinor: Int64) -> Result<Int64, ShareError> {
        let (difference, overflow) = recomputed.shareAndTrueUpMinor.subtractingReportingOverflow(chargedSoFarMinor)
        guard !overflow else { return .failure(.adjustmentOutOfRange(agreementID: recomputed.agreementID)) }
        return .success(difference)
    }
}
