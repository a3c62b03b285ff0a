import ArgumentParser
import RevShareCore
import RevShareReconcile
import RevShareReports
import RevShareStore

enum FailOn: String, ExpressibleByArgument, CaseIterable {
    case critical, warning

    var severity: Discrepancy.Severity { self == .critical ? .critical : .warning }
}

struct Reconcile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find every place where reports, meter, agreements, payments and the ledger disagree for a period.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The period, YYYY-MM.")
    var period: Period
    @Option(name: .customLong("as-of"), help: "Count payments received up to this day, YYYY-MM-DD (default: today, UTC).")
    var asOf: CivilDate?
    @Option(name: .customLong("fail-on"), help: "Exit 1 when an open discrepancy of this severity or worse exists: critical or warning.")
    var failOn: FailOn?

    func validate() throws { try output.validate(allowing: [.text, .json]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStore()
        let report = try Reconciler.reconcile(period: period, asOf: asOf ?? Today.utc, store: store)
        try target.write(output.format == .json ? ReconcileRenderer.json(report) : ReconcileRenderer.text(report), screen: output.format == .text)
        if let failOn, report.hasOpen(atLeast: failOn.severity) { throw ExitCode(1) }
    }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mark a discrepancy resolved with a note; kept for the audit trail.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The discrepancy id (D-…), as `reconcile` prints it.")
    var id: String
    @Option(help: "Why it is resolved.")
    var note: String

    func run() throws {
        let store = try database.openStore()
        let record = try Reconciler.resolve(id: id, note: note, store: store)
        let d = record.discrepancy
        try Console.line("resolved \(d.id) (\(d.kind) \(d.partnerID ?? "-") \(d.period)): \(TerminalText.escaped(note))")
    }
}
