import RevShareCore

public enum DueDate {
    /// The due date of the statement for `period`: its last day + `paymentTermsDays` (SPEC §4.5);
    /// nil only past 9999-12-31.
    public static func of(_ period: Period, paymentTermsDays: Int) -> CivilDate? {
        period.lastDay.adding(days: paymentTermsDays)
    }
}
