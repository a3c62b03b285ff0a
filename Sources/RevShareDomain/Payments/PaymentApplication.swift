import RevShareCore

/// A closed period's charges: share + true-up + adjustments posted in it; may be ≤ 0.
public struct PeriodCharges: Hashable, Sendable {
    public let period: Period
    public let chargesMinor: Int64

    public init(period: Period, chargesMinor: Int64) {
        self.period = period
        self.chargesMinor = chargesMinor
    }
}

/// A payment as the partner sent it (SPEC §3.3); the amount is > 0.
public struct ReceivedPayment: Hashable, Sendable {
    public let paymentID: String
    public let receivedOn: CivilDate
    public let amountMinor: Int64
    /// The period the partner says the payment is for.
    public let reference: Period?

    public init(paymentID: String, receivedOn: CivilDate, amountMinor: Int64, reference: Period?) {
        self.paymentID = paymentID
        self.receivedOn = receivedOn
        self.amountMinor = amountMinor
        self.reference = reference
    }
}

/// The payment whose allocation brought a period's applied amount up to its charges.
public struct CompletingPayment: Hashable, Sendable {
    public let paymentID: String
    public let receivedOn: CivilDate

    public init(paymentID: String, receivedOn: CivilDate) {
        self.paymentID = paymentID
        self.receivedOn = receivedOn
    }
}

/// How much of the payments went to one closed period.
public struct PeriodPaymentStatus: Hashable, Sendable {
    public let period: Period
    public let chargesMinor: Int64
    public fileprivate(set) var appliedMinor: Int64 = 0
    /// Set when a payment completed the charges; nil while open, and always nil for a period
    /// whose charges are ≤ 0 (nothing was ever owed, so no payment completed it).
    public fileprivate(set) var completedBy: CompletingPayment?

    /// What is still owed; 0 for charges ≤ 0.
    public var openMinor: Int64 { max(0, chargesMinor - appliedMinor) }
    /// True once the applied amount reaches the charges, and for charges ≤ 0.
    public var isFullyPaid: Bool { openMinor == 0 }
}

/// One part of a payment applied to one period.
public struct AllocatedAmount: Hashable, Sendable {
    public let period: Period
    public let amountMinor: Int64

    public init(period: Period, amountMinor: Int64) {
        self.period = period
        self.amountMinor = amountMinor
    }
}

/// Where one payment went, for audit display.
public struct PaymentAllocation: Hashable, Sendable {
    public let payment: ReceivedPayment
    /// In the order applied: the referenced period first (if it took anything), then oldest first.
    public let allocated: [AllocatedAmount]
    /// What this payment added to the unapplied credit.
    public let unappliedMinor: Int64
}

/// Payment application (SPEC §4.5, §9): a pure function of one partner's closed periods and
/// payments, recomputed when needed and never stored.
public struct PaymentApplication: Hashable, Sendable {
    /// One per closed period, oldest first.
    public let periods: [PeriodPaymentStatus]
    /// One per counted payment, in application order (received_on, payment_id).
    public let allocations: [PaymentAllocation]
    /// What the counted payments left over after every period was served.
    public let unappliedCreditMinor: Int64

    public func status(of period: Period) -> PeriodPaymentStatus? { periods.first { $0.period == period } }

    /// Applies the payments received on or before `asOf`, in (received_on, payment_id) order: each
    /// first to its referenced period if that period is in `charges` and still open, the rest to
    /// the oldest open periods; what remains is unapplied credit.
    /// - Parameter charges: every closed period of the partner, each once, in any order.
    public static func apply(charges: [PeriodCharges], payments: [ReceivedPayment], asOf: CivilDate)
        -> PaymentApplication
    {
        var periods = charges.sorted { $0.period < $1.period }
            .map { PeriodPaymentStatus(period: $0.period, chargesMinor: $0.chargesMinor) }
        precondition(zip(periods, periods.dropFirst()).allSatisfy { $0.period != $1.period },
                     "payment application takes each period's charges once")
        let counted = payments.filter { $0.receivedOn <= asOf }.sorted { a, b in
            a.receivedOn != b.receivedOn ? a.receivedOn < b.receivedOn : a.paymentID.utf8Precedes(b.paymentID)
        }
        var allocations: [PaymentAllocation] = []
        var creditMinor: Int64 = 0
        for payment in counted {
            let referenced = payment.reference.flatMap { reference in periods.firstIndex { $0.period == reference } }
            var remainingMinor = payment.amountMinor
            var allocated: [AllocatedAmount] = []
            for index in [referenced].compactMap({ $0 }) + periods.indices where remainingMinor > 0 {
                let amountMinor = min(remainingMinor, periods[index].openMinor)
                guard amountMinor > 0 else { continue }
                periods[index].appliedMinor += amountMinor
                remainingMinor -= amountMinor
                if periods[index].isFullyPaid {
                    periods[index].completedBy = CompletingPayment(paymentID: payment.paymentID, receivedOn: payment.receivedOn)
                }
                allocated.append(AllocatedAmount(period: periods[index].period, amountMinor: amountMinor))
            }
            creditMinor += remainingMinor
            allocations.append(PaymentAllocation(payment: payment, allocated: allocated, unappliedMinor: remainingMinor))
        }
        return PaymentApplication(periods: periods, allocations: allocations, unappliedCreditMinor: creditMinor)
    }
}
