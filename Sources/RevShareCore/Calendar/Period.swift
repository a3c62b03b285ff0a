/// A calendar month, `YYYY-MM`: the unit in which partners report and are billed.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Strictly `YYYY-MM`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-") else { return nil }
        let parsed = bytes.withUnsafeBytes { raw in
            (FixedDigits.value(raw, 0..<4), FixedDigits.value(raw, 5..<7))
        }
        guard let year = parsed.0, let month = parsed.1 else { return nil }
        self.init(year: year, month: month)
    }

    public var firstDay: CivilDate { CivilDate(year: year, month: month, day: 1)! }
    public var lastDay: CivilDate {
        CivilDate(year: year, month: month, day: CivilDate.daysIn(year: year, month: month))!
    }
    public var dayCount: Int { CivilDate.daysIn(year: year, month: month) }

    public var next: Period? {
        month == 12 ? Period(year: year + 1, month: 1) : Period(year: year, month: month + 1)
    }

    public var previous: Period? {
        month == 1 ? Period(year: year - 1, month: 12) : Period(year: year, month: month - 1)
    }

    public func contains(_ date: CivilDate) -> Bool { date.year == year && date.month == month }

    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }

    public var description: String {
        FixedDigits.text(year, width: 4) + "-" + FixedDigits.text(month, width: 2)
    }
}
