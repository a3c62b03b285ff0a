import RevShareCore
import RevShareStore

/// How a received payment enters the ledger: the rule lives here, the store only writes the
/// entry it is given.
public enum PaymentPosting {
    /// A payment is posted on the day it was received, unless that day lies in the locked range
    /// (on or before the last day of the latest closed period): then on the first day after it,
    /// so no closed period's figures change. The received date is kept for application and
    /// lateness.
    public static func postingDate(receivedOn: CivilDate, latestClosed: Period?) -> CivilDate {
        guard let firstOpenDay = latestClosed?.lastDay.adding(days: 1) else { return receivedOn }
        return max(firstOpenDay, receivedOn)
    }

    /// Bank debit, receivable credit, dated the posting date, keyed by the payment id.
    public static func entry(for payment: PaymentRecord) throws -> EntryDraft {
        try EntryDraft(
            date: payment.postedOn, kind: .payment,
            description: "Payment \(payment.paymentID) from \(payment.partnerID), received \(payment.receivedOn)"
                + (payment.reference.map { " for \($0)" } ?? ""),
            idempotencyKey: LedgerKey.payment(id: payment.paymentID).description,
            postings: [
                Posting(account: .bank, currency: payment.currency, amountMinor: payment.amountMinor),
                Posting(account: .receivable(payment.partnerID), currency: payment.currency, amountMinor: -payment.amountMinor),
            ])
    }
}
