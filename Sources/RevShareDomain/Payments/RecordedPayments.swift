import RevShareCore
import RevShareStore

extension PaymentApplication {
    /// The application of SPEC §4.5 and §9 for one partner as the store holds it now: every
    /// payment received up to `asOf`, against the charges of every issued statement. Also
    /// returns those payments, for callers that show where each came from.
    public static func recorded(partnerID: String, asOf: CivilDate, _ reader: ReadContext) throws
        -> (application: PaymentApplication, payments: [PaymentRecord])
    {
        let payments = try reader.payments(partnerID: partnerID).filter { $0.receivedOn <= asOf }
        let application = apply(
            charges: try reader.issuedCharges(partnerID: partnerID).map {
                PeriodCharges(period: $0.period, chargesMinor: $0.chargesMinor)
            },
            payments: payments.map {
                ReceivedPayment(paymentID: $0.paymentID, receivedOn: $0.receivedOn, amountMinor: $0.amountMinor,
                                reference: $0.reference)
            },
            asOf: asOf)
        return (application, payments)
    }
}
