import RevShareCore
import RevShareDomain
import Testing

private func payment(_ id: String, _ receivedOn: String, _ amountMinor: Int64, for reference: String? = nil)
    -> ReceivedPayment
{
    ReceivedPayment(paymentID: id, receivedOn: date(receivedOn), amountMinor: amountMinor,
                    reference: reference.map(period))
}

private func charges(_ list: [(String, Int64)]) -> [PeriodCharges] {
    list.map { PeriodCharges(period: period($0), chargesMinor: $1) }
}

/// "period: applied/charges by completing-payment" per period.
private func summary(_ application: PaymentApplication) -> [String] {
    application.periods.map { status in
        "\(status.period): \(status.appliedMinor)/\(status.chargesMinor)"
            + (status.completedBy.map { " by \($0.paymentID) \($0.receivedOn)" } ?? "")
    }
}

/// "payment: period=amount …, credit=n" per counted payment.
private func allocations(_ application: PaymentApplication) -> [String] {
    application.allocations.map { allocation in
        allocation.payment.paymentID + ":"
            + allocation.allocated.map { " \($0.period)=\($0.amountMinor)" }.joined()
            + (allocation.unappliedMinor == 0 ? "" : " credit=\(allocation.unappliedMinor)")
    }
}

@Suite("payment application")
struct PaymentApplicationTests {
    /// Jan 100.00, Feb 200.00, Mar 300.00.
    private let quarter = charges([("2025-03", 30_000), ("2025-01", 10_000), ("2025-02", 20_000)])
    private let payments = [
        payment("p3", "2025-04-15", 40_000, for: "2025-03"),
        payment("p1", "2025-02-20", 15_000, for: "2025-02"),
        payment("p2", "2025-03-10", 12_000),
    ]

    @Test func threePeriodsWithReferencesAndCredit() {
        let application = PaymentApplication.apply(charges: quarter, payments: payments, asOf: date("2025-04-15"))
        // p1 150.00 → Feb (referenced): Feb 150/200
        // p2 120.00 → oldest open: Jan 100 (complete), Feb 20: Feb 170/200
        // p3 400.00 → Mar (referenced) 300 (complete), then oldest open Feb 30 (complete), 70.00 left
        #expect(summary(application) == [
            "2025-01: 10000/10000 by p2 2025-03-10",
            "2025-02: 20000/20000 by p3 2025-04-15",
            "2025-03: 30000/30000 by p3 2025-04-15",
        ])
        #expect(allocations(application) == [
            "p1: 2025-02=15000",
            "p2: 2025-01=10000 2025-02=2000",
            "p3: 2025-03=30000 2025-02=3000 credit=7000",
        ])
        // 150 + 120 + 400 = 670 = 100 + 200 + 300 + 70
        #expect(application.unappliedCreditMinor == 7_000)
        #expect(application.periods.allSatisfy { $0.isFullyPaid })
    }

    @Test func asOfLeavesOutLaterPayments() {
        let application = PaymentApplication.apply(charges: quarter, payments: payments, asOf: date("2025-04-14"))
        // p3 (received 04-15) does not count: Feb stays at 150 + 20 = 170, Mar at 0
        #expect(summary(application) == [
            "2025-01: 10000/10000 by p2 2025-03-10", "2025-02: 17000/20000", "2025-03: 0/30000",
        ])
        #expect(application.status(of: period("2025-02"))?.openMinor == 3_000)  // 200 − 170
        #expect(application.unappliedCreditMinor == 0)
        #expect(application.allocations.count == 2)
    }

    @Test func partialPayments() {
        let application = PaymentApplication.apply(
            charges: charges([("2025-01", 10_000)]),
            payments: [payment("a", "2025-02-01", 3_000), payment("b", "2025-02-02", 3_000)], asOf: date("2025-12-31"))
        // 30 + 30 = 60 of 100: open 40, no completing payment
        #expect(summary(application) == ["2025-01: 6000/10000"])
        #expect(application.status(of: period("2025-01"))?.isFullyPaid == false)
        #expect(application.status(of: period("2025-01"))?.openMinor == 4_000)
    }

    @Test func nonPositiveChargesReceiveNothing() {
        let application = PaymentApplication.apply(
            charges: charges([("2025-01", -5_000), ("2025-02", 0), ("2025-03", 10_000)]),
            payments: [payment("x", "2025-04-01", 15_000, for: "2025-01")], asOf: date("2025-04-01"))
        // Jan (−50.00) and Feb (0) are not open for payment: the 150.00 goes to Mar 100, 50 left as credit
        #expect(summary(application) == ["2025-01: 0/-5000", "2025-02: 0/0", "2025-03: 10000/10000 by x 2025-04-01"])
        #expect(application.unappliedCreditMinor == 5_000)
        #expect(application.status(of: period("2025-01"))?.isFullyPaid == true)  // nothing is owed
    }

    @Test func sameDayPaymentsGoInIdOrder() {
        // both on 03-01: A (60) before B (60) whatever the input order; B completes the 100, 20 left
        let application = PaymentApplication.apply(
            charges: charges([("2025-01", 10_000)]),
            payments: [payment("B", "2025-03-01", 6_000), payment("A", "2025-03-01", 6_000)], asOf: date("2025-03-01"))
        #expect(allocations(application) == ["A: 2025-01=6000", "B: 2025-01=4000 credit=2000"])
        #expect(summary(application) == ["2025-01: 10000/10000 by B 2025-03-01"])
    }

    @Test func receivedOnComesBeforeId() {
        // "A" arrives later than "Z", so Z is applied first and completes the 50.00
        let application = PaymentApplication.apply(
            charges: charges([("2025-01", 5_000)]),
            payments: [payment("A", "2025-03-02", 5_000), payment("Z", "2025-03-01", 5_000)], asOf: date("2025-03-31"))
        #expect(allocations(application) == ["Z: 2025-01=5000", "A: credit=5000"])
    }

    @Test func referenceToAnUnknownOrPaidPeriodFallsBackToTheOldest() {
        let application = PaymentApplication.apply(
            charges: charges([("2025-01", 10_000), ("2025-02", 10_000)]),
            payments: [
                payment("a", "2025-03-01", 10_000, for: "2024-12"),  // no such closed period → Jan
                payment("b", "2025-03-02", 4_000, for: "2025-01"),  // Jan already paid → Feb
            ], asOf: date("2025-03-31"))
        #expect(allocations(application) == ["a: 2025-01=10000", "b: 2025-02=4000"])
    }

    @Test func creditWithNoPeriods() {
        let application = PaymentApplication.apply(
            charges: [], payments: [payment("a", "2025-01-05", 1_234)], asOf: date("2025-01-05"))
        #expect(application.unappliedCreditMinor == 1_234)
        #expect(application.periods.isEmpty)
    }
}
