import Testing
@testable import RevShareCore
import TestSupport

struct CalendarTests {
    @Test("only real calendar dates in strict YYYY-MM-DD", arguments: [
        ("2024-02-29", true), ("2025-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
        ("2025-02-30", false), ("2025-04-31", false), ("2025-12-31", true), ("2025-13-01", false),
        ("2025-00-10", false), ("2025-01-00", false), ("2025-1-01", false), ("2025-01-01T", false),
        ("20250101", false), ("2025/01/01", false), (" 2025-01-01", false), ("0000-01-01", false),
    ])
    func parsesDates(text: String, valid: Bool) {
        #expect((CivilDate(text) != nil) == valid)
        if valid { #expect(CivilDate(text)!.description == text) }
    }

    @Test("days since the epoch", arguments: [
        ("1970-01-01", 0), ("1970-01-02", 1), ("1969-12-31", -1), ("2000-03-01", 11_017),
        ("2025-01-01", 20_089),
    ])
    func epochDays(text: String, days: Int) {
        #expect(CivilDate(text)!.daysSinceEpoch == days)
        #expect(CivilDate(daysSinceEpoch: days) == CivilDate(text))
    }

    @Test("day arithmetic round-trips across centuries")
    func roundTrip() {
        var day = CivilDate("1899-12-25")!
        for _ in 0..<80_000 {
            let next = day.adding(days: 1)!
            #expect(next.daysSinceEpoch == day.daysSinceEpoch + 1)
            #expect(next > day)
            day = next
        }
        // 1899-12-25 + 80,000 days, computed independently with Python's datetime.
        #expect(day.description == "2119-01-06")
    }

    @Test("due date across a year end: 2025-12-31 + 45 days")
    func dueDate() {
        // January has 31 days: 2025-12-31 + 31 = 2026-01-31, + 14 = 2026-02-14.
        #expect(period("2025-12").lastDay.adding(days: 45) == date("2026-02-14"))
        #expect(date("2025-01-15").days(until: date("2025-03-01")) == 45)
    }

    @Test("periods", arguments: [("2025-01", true), ("2025-12", true), ("2025-13", false), ("2025-00", false), ("2025-1", false), ("25-01", false)])
    func parsesPeriods(text: String, valid: Bool) {
        #expect((Period(text) != nil) == valid)
    }

    @Test("period navigation and bounds")
    func periodNavigation() {
        #expect(period("2025-12").next == period("2026-01"))
        #expect(period("2026-01").previous == period("2025-12"))
        #expect(period("2024-02").lastDay == date("2024-02-29"))
        #expect(period("2025-02").dayCount == 28)
        #expect(period("2025-03").contains(date("2025-03-31")))
        #expect(!period("2025-03").contains(date("2025-04-01")))
        #expect(date("2025-03-15").period == period("2025-03"))
        #expect(period("2024-12") < period("2025-01"))
    }
}
