import RevShareCore
import RevShareStore

/// `verify` computes every final statement again from the rows it was computed from — the
/// usage report each charge records, under the agreement in force — and holds the result
/// against the issued document and the charge records. With the input chain sealing those
/// rows, a forger must change inputs, totals, charges, document and ledger alike, and the
/// ledger's own chain then gives them away.
enum StatementRecomputation {
    static func check(_ issued: IssuedStatement, document: Statement, _ reader: ReadContext,
                      _ problems: inout ProblemList) throws {
        let subject = "statement \(issued.statementID)"
        let period = issued.period
        guard let partner = try reader.partner(id: issued.partnerID) else {
            problems.add(subject, "its partner \(issued.partnerID) is not stored")
            return
        }
        let charges = try reader.periodCharges(postedIn: period).filter { $0.partnerID == partner.id }
        guard let own = charges.first(where: { $0.forPeriod == period }) else {
            problems.add(subject, "no record of the computation of its charges is stored")
            return
        }
        guard let share = try recompute(own, partner, subject, reader, &problems) else { return }
        if share.agreementID != issued.agreementID {
            problems.add(subject, "issued under agreement \(issued.agreementID), but \(share.agreementID) governs \(period)")
        }
        if share.lines != document.lines {
            problems.add(subject, "its lines differ from those recomputed from \(source(own)) under \(share.agreementID)")
        }
        if share.shareMinor != document.shareMinor || share.minimumTrueUpMinor != document.minimumTrueUpMinor {
            problems.add(subject, "share \(document.shareMinor) and true-up \(document.minimumTrueUpMinor) differ from the \(share.shareMinor) and \(share.minimumTrueUpMinor) recomputed from \(source(own)) (minor units)")
        }
        if own.chargedMinor != share.shareAndTrueUpMinor {
            problems.add(subject, "its charge record for \(period) says \(own.chargedMinor) was charged, not the \(share.shareAndTrueUpMinor) recomputed (minor units)")
        }
        let adjustments = try checkAdjustments(charges.filter { $0.forPeriod < period }, partner, subject, reader, &problems)
        if adjustments != document.adjustments {
            problems.add(subject, "its prior-period adjustments differ from those recomputed from the restated reports")
        }
        let payments = try reader.payments(partnerID: partner.id, postedIn: period.firstDay...period.lastDay)
            .map { Statement.Payment(paymentID: $0.paymentID, receivedOn: $0.receivedOn, amountMinor: $0.amountMinor) }
        if payments != document.payments {
            problems.add(subject, "its payments differ from the stored payments posted in \(period)")
        }
    }

    /// The share of the report a charge record names, under the agreement governing its
    /// period; nil (with the problem added) when it cannot be recomputed.
    private static func recompute(_ charge: PeriodCharge, _ partner: Partner, _ subject: String, _ reader: ReadContext,
                                  _ problems: inout ProblemList) throws -> ShareResult? {
        guard let agreement = partner.agreement(for: charge.forPeriod) else {
            problems.add(subject, "no stored agreement governs \(charge.forPeriod), which it charges")
            return nil
        }
        if let reportID = charge.usageReportID {
            guard let owner = try reader.usageReportSubject(id: reportID) else {
                problems.add(subject, "its charge for \(charge.forPeriod) names usage report \(reportID), which is not stored")
                return nil
            }
            guard owner.partnerID == partner.id, owner.period == charge.forPeriod else {
                problems.add(subject, "its charge for \(charge.forPeriod) names usage report \(reportID), which is \(owner.partnerID)'s for \(owner.period)")
                return nil
            }
        }
        let share: ShareResult
        do {
            share = try ReportShare.of(reportID: charge.usageReportID, agreement: agreement, currency: partner.currency, reader)
        } catch let error as ShareError {
            problems.add(subject, "its charge for \(charge.forPeriod) cannot be recomputed: \(error.diagnostics.joined(separator: "; "))")
            return nil
        }
        if share.shareMinor != charge.shareMinor || share.minimumTrueUpMinor != charge.minimumTrueUpMinor {
            problems.add(subject, "its charge record for \(charge.forPeriod) holds share \(charge.shareMinor) and true-up \(charge.minimumTrueUpMinor), but \(source(charge)) gives \(share.shareMinor) and \(share.minimumTrueUpMinor) (minor units)")
        }
        return share
    }

    /// Each adjustment billed: the recomputed share and true-up less what was charged for that
    /// period before; returns the adjustments a statement lists (those that are not zero).
    private static func checkAdjustments(_ charges: [PeriodCharge], _ partner: Partner, _ subject: String,
                                         _ reader: ReadContext, _ problems: inout ProblemList) throws -> [Statement.Adjustment] {
        var listed: [Statement.Adjustment] = []
        for charge in charges.sorted(by: { $0.forPeriod < $1.forPeriod }) {
            guard let share = try recompute(charge, partner, subject, reader, &problems) else { continue }
            let history = try reader.periodCharges(partnerID: partner.id, forPeriod: charge.forPeriod)
            guard let chargedBefore = CheckedSum.of(history.filter { $0.postedPeriod < charge.postedPeriod }.map(\.chargedMinor)),
                  case .success(let due) = PriorPeriodAdjustment.amountMinor(recomputed: share, chargedSoFarMinor: chargedBefore)
            else {
                problems.add(subject, "the charges recorded for \(charge.forPeriod) do not fit 64 bits")
                continue
            }
            if due != charge.chargedMinor {
                problems.add(subject, "its adjustment for \(charge.forPeriod) was recorded as \(charge.chargedMinor), but recomputing gives \(due) (minor units)")
            }
            if charge.chargedMinor != 0 { listed.append(Statement.Adjustment(period: charge.forPeriod, amountMinor: charge.chargedMinor)) }
        }
        return listed
    }

    private static func source(_ charge: PeriodCharge) -> String {
        charge.usageReportID.map { "usage report \($0)" } ?? "no usage"
    }
}
