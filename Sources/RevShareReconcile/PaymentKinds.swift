import RevShareCore
import RevShareDomain
import RevShareStore

/// The payment kinds (SPEC §6, §9), for a closed period only. Payment application is
/// recomputed here from every payment received up to as-of against every closed period.
enum PaymentKinds {
    static func forPartner(_ partner: Partner, statement: IssuedStatement, asOf: CivilDate,
                           tolerance: Tolerance, _ reader: ReadContext) throws -> [Discrepancy] {
        let period = statement.period
        let (application, received) = try PaymentApplication.recorded(partnerID: partner.id, asOf: asOf, reader)
        guard let status = application.status(of: period) else { return [] }
        let currency = partner.currency
        let money = { (minor: Int64) in Money.format(minor: minor, currency: currency) }
        let name = "\(partner.id) \(period)"
        var found: [Discrepancy] = []
        if asOf > statement.dueDate, status.appliedMinor < statement.chargesMinor,
           ToleranceCheck.exceedsGeneral(expectedMinor: statement.chargesMinor, actualMinor: status.appliedMinor,
                                         currency: currency, tolerance) {
            found.append(Discrepancy(.paymentShortfall, partner: partner.id, period: period,
                                     expected: .money(statement.chargesMinor, currency), actual: .money(status.appliedMinor, currency),
                                     message: "\(name): \(money(status.appliedMinor)) of \(money(statement.chargesMinor)) \(currency.code) paid by \(asOf); due \(statement.dueDate)"))
        }
        if let completing = status.completedBy, completing.receivedOn > statement.dueDate {
            let days = Int64(statement.dueDate.days(until: completing.receivedOn))
            found.append(Discrepancy(.latePayment, partner: partner.id, period: period, paymentID: completing.paymentID,
                                     expected: .count(0), actual: .count(days),
                                     message: "\(name): paid in full by \(completing.paymentID) on \(completing.receivedOn), \(days) day\(days == 1 ? "" : "s") after the due date \(statement.dueDate)"))
        }
        let referencing = received.filter { $0.reference == period }
        if let last = referencing.last {
            let total = referencing.reduce(Int64(0)) { $0 + $1.amountMinor }
            if total > statement.chargesMinor,
               ToleranceCheck.exceedsGeneral(expectedMinor: statement.chargesMinor, actualMinor: total, currency: currency, tolerance) {
                found.append(Discrepancy(.overpayment, partner: partner.id, period: period, paymentID: last.paymentID,
                                         expected: .money(statement.chargesMinor, currency), actual: .money(total, currency),
                                         message: "\(name): payments referencing it add up to \(money(total)), charges are \(money(statement.chargesMinor)) \(currency.code)"))
            }
        }
        return found
    }

    /// Payments of any partner posted in the period that reference a period with no final
    /// statement for their partner.
    static func unknownReferences(period: Period, asOf: CivilDate, _ reader: ReadContext) throws -> [Discrepancy] {
        let statementIDs = Set(try reader.issuedStatements().map(\.statementID))
        return try reader.payments(postedIn: period.firstDay...period.lastDay).compactMap { payment in
            guard payment.receivedOn <= asOf, let reference = payment.reference,
                  !statementIDs.contains("\(payment.partnerID)-\(reference)") else { return nil }
            return Discrepancy(.unknownReference, partner: payment.partnerID, period: period, paymentID: payment.paymentID,
                               message: "payment \(payment.paymentID) from \(payment.partnerID) references \(reference), which has no statement for \(payment.partnerID)")
        }
    }
}
