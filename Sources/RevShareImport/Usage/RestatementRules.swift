import RevShareCore
import RevShareStore

/// The rules of SPEC §3.2 and §4.1 for a file's reports against what is already stored.
enum RestatementRules {
    /// Records an error per report that may not be imported as asked; returns, per report,
    /// the report it replaces.
    static func check(_ reports: [UsageReportTotals], restate: Bool, session: CSVImportSession,
                      context: WriteContext) throws -> [ReportKey: CurrentReport] {
        let closed = Set(try context.reader.closedPeriods())
        let lockedThrough = closed.max()
        var replaced: [ReportKey: CurrentReport] = [:]
        for report in reports {
            let name = "\(report.partner.id) \(report.key.period)"
            let current = try context.reader.currentUsageReport(partnerID: report.partner.id, period: report.key.period)
            if let lockedThrough, report.key.period <= lockedThrough {
                if !closed.contains(report.key.period) {
                    session.fileError(column: "usage_date", "\(name) lies in the locked range (closed through \(lockedThrough)) and has no statement; it cannot be imported")
                    continue
                }
                if !restate {
                    session.fileError(column: "usage_date", "\(name) is a closed period; importing usage for it needs --restate (the change is billed as a prior-period adjustment at the next close)")
                    continue
                }
            } else if let current, !restate {
                session.fileError(column: "partner", "\(name) already has a report from \(current.fileName) (imported \(current.importedAt)); use --restate to replace it")
                continue
            }
            if let current { replaced[report.key] = current }
        }
        return replaced
    }
}
