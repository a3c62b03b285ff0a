import RevShareCore
@testable import RevShareDomain
import Testing

@Suite("due date")
struct DueDateTests {
    @Test(arguments: [
        ("2025-12", 45, "2026-02-14"),  // 2025-12-31 + 45: 31 days to 2026-01-31, 14 more → 02-14
        ("2025-01", 45, "2025-03-17"),  // 2025-01-31 + 45: 28 days to 02-28, 17 more → 03-17 (SPEC §7.1)
        ("2024-02", 30, "2024-03-30"),  // leap year: 2024-02-29 + 1 = 03-01, + 29 more → 03-30
        ("2025-02", 0, "2025-02-28"),  // no terms: the last day itself
    ])
    func dueDate(period text: String, terms: Int, due: String) {
        #expect(DueDate.of(period(text), paymentTermsDays: terms) == date(due))
    }

    @Test func pastTheCalendar() {
        #expect(DueDate.of(period("9999-12"), paymentTermsDays: 1) == nil)
    }
}

@Suite("prior-period adjustment")
struct PriorPeriodAdjustmentTests {
    private func recomputed(shareMinor: Int64, trueUpMinor: Int64) -> ShareResult {
        ShareResult(agreementID: "A-1", exactShare: ExactAmount(minor: shareMinor, currency: usd), shareMinor: shareMinor,
                    minimumTrueUpMinor: trueUpMinor, lines: [])
    }

    @Test(arguments: [
        (Int64(12_000), Int64(0), Int64(10_000), Int64(2_000)),  // (120.00 + 0) − 100.00 = +20.00 owed
        (8_000, 0, 10_000, -2_000),  // (80.00 + 0) − 100.00 = −20.00 credited
        (3_000, 2_000, 5_000, 0),  // (30.00 + 20.00 true-up) − 50.00 = 0: nothing posted
        (6_000, 0, 5_000, 1_000),  // share rose above the 50.00 minimum: (60.00 + 0) − 50.00 = 10.00
    ])
    func adjustment(shareMinor: Int64, trueUpMinor: Int64, chargedMinor: Int64, adjustmentMinor: Int64) throws {
        let result = PriorPeriodAdjustment.amountMinor(
            recomputed: recomputed(shareMinor: shareMinor, trueUpMinor: trueUpMinor), chargedSoFarMinor: chargedMinor)
        #expect(try result.get() == adjustmentMinor)
    }

    @Test func outOfRange() {
        let result = PriorPeriodAdjustment.amountMinor(
            recomputed: recomputed(shareMinor: 1, trueUpMinor: 0), chargedSoFarMinor: .min)
        #expect(throws: ShareError.adjustmentOutOfRange(agreementID: "A-1")) { try result.get() }
    }

    @Test func fromAComputedShare() throws {
        // Q restated: 0.10 × 700.00 = 70.00 under a 50.00 minimum (true-up 0); 50.00 was charged → +20.00
        let agreement = revenueAgreement([Tier(upToMicros: nil, rateMicros: 100_000)], minimumMinor: 5_000)
        let q = try share([usage("m", revenueMicros: 700_000_000)], agreement)
        #expect(try PriorPeriodAdjustment.amountMinor(recomputed: q, chargedSoFarMinor: 5_000).get() == 2_000)
    }
}
