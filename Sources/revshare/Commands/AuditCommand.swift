import ArgumentParser
import RevShareCore
import RevShareDomain
import RevShareReconcile
import RevShareReports
import RevShareStore

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The audit reconciliation report of a period: input files, agreements, a tie-out per partner, payments, discrepancies, verify.",
        discussion: """
            Reconciles the period as of --as-of first (so the discrepancies are current; the run is \
            recorded), then reports from one snapshot of the database. Every figure names its source: \
            an input file and report, a ledger entry, a statement document. The chain head printed at \
            the end lets a later copy of the database be compared with this report.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The period, YYYY-MM.")
    var period: Period
    @Option(name: .customLong("as-of"), help: "Count payments received up to this day, YYYY-MM-DD (default: today, UTC).")
    var asOf: CivilDate?

    func validate() throws { try output.validate(allowing: [.text, .json, .csv, .html]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStore()
        let report = try AuditReport.build(period: period, asOf: asOf ?? Today.utc, store: store)
        let text = switch output.format {
        case .text: AuditRenderer.text(report)
        case .json: AuditRenderer.json(report)
        case .csv: AuditRenderer.csv(report)
        case .html: AuditHTML.render(report)
        }
        try target.write(text, screen: output.format == .text)
    }
}

/// `statement --format html` and `statements --format html`: the statement with the partner's
/// earlier issued statements for the history chart, and the issued document's SHA-256.
enum StatementHTMLOutput {
    static func render(_ found: StatementQuery.Found, store: Store) throws -> String {
        let statement = found.statement
        let history = try StatementHistory.issued(partnerID: statement.partnerID, before: statement.period,
                                                  limit: StatementHTML.historyLength - 1, store: store)
        var documentSHA256: String?
        if case .final = found {
            documentSHA256 = try store.read("read the statement") {
                try $0.issuedStatement(partnerID: statement.partnerID, period: statement.period)?.documentSHA256
            }
        }
        return StatementHTML.render(statement, history: history, documentSHA256: documentSHA256)
    }
}
