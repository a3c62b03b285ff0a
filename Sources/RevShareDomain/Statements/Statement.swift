import RevShareCore

/// A partner's monthly statement (SPEC §4, §7.1): final once its period is closed, a draft
/// before. Amounts in the currency's minor unit.
public struct Statement: Sendable, Equatable {
    public enum Status: String, Sendable { case draft, final }

    public struct Adjustment: Sendable, Equatable {
        public let period: Period
        public let amountMinor: Int64
        public init(period: Period, amountMinor: Int64) {
            self.period = period
            self.amountMinor = amountMinor
        }
    }

    public struct Payment: Sendable, Equatable {
        public let paymentID: String
        public let receivedOn: CivilDate
        public let amountMinor: Int64
        public init(paymentID: String, receivedOn: CivilDate, amountMinor: Int64) {
            self.paymentID = paymentID
            self.receivedOn = receivedOn
            self.amountMinor = amountMinor
        }
    }

    public let status: Status
    public let partnerID: String
    public let partnerName: String
    public let period: Period
    public let currency: Currency
    public let agreementID: String
    public let dueDate: CivilDate
    public let openingBalanceMinor: Int64
    public let lines: [ShareLine]
    public let shareMinor: Int64
    public let minimumTrueUpMinor: Int64
    /// Prior-period adjustments posted in this period, sorted by period.
    public let adjustments: [Adjustment]
    /// Payments posted in this period, sorted by (received_on, payment_id).
    public let payments: [Payment]

    public init(status: Status, partnerID: String, partnerName: String, period: Period, currency: Currency,
                agreementID: String, dueDate: CivilDate, openingBalanceMinor: Int64, lines: [ShareLine],
                shareMinor: Int64, minimumTrueUpMinor: Int64, adjustments: [Adjustment], payments: [Payment]) {
        self.status = status
        self.partnerID = partnerID
        self.partnerName = partnerName
        self.period = period
        self.currency = currency
        self.agreementID = agreementID
        self.dueDate = dueDate
        self.openingBalanceMinor = openingBalanceMinor
        self.lines = lines
        self.shareMinor = shareMinor
        self.minimumTrueUpMinor = minimumTrueUpMinor
        self.adjustments = adjustments
        self.payments = payments
    }

    public var statementID: String { StatementID(partner: partnerID, period: period).description }
    public var adjustmentsMinor: Int64 { adjustments.reduce(0) { $0 + $1.amountMinor } }
    /// share + true-up + adjustments posted in the period.
    public var chargesMinor: Int64 { shareMinor + minimumTrueUpMinor + adjustmentsMinor }
    public var paymentsMinor: Int64 { payments.reduce(0) { $0 + $1.amountMinor } }
    /// opening + charges − payments posted in the period.
    public var closingBalanceMinor: Int64 { openingBalanceMinor + chargesMinor - paymentsMinor }
}
