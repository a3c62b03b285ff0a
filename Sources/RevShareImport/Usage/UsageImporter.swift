import RevShareCore
import RevShareStore

/// What an import did, for the summary on stdout.
public struct ImportSummary: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case imported
        /// The same bytes were imported before: nothing was done (SPEC §3.2).
        case alreadyImported(importedAt: String)
        /// A header and no rows: nothing imported, nothing recorded (SPEC §9).
        case noRows
    }

    public struct Report: Sendable, Equatable {
        public let partnerID: String
        public let period: Period
        public let currency: Currency
        public let rows: Int64
        public let grossRevenueMicros: Int64
        /// The report this one replaced, for a restatement.
        public let replaced: CurrentReport?
    }

    public let kind: ImportKind
    public let file: String
    public let sha256: String
    public let outcome: Outcome
    public let rows: Int
    public let reports: [Report]
    public let unknownColumns: [String]
    /// Payments: how many rows were new and how many were seen before with identical fields.
    public var newRecords: Int = 0
    public var skippedRecords: Int = 0

    /// Total gross revenue per currency, in micro-units; Int128 so no total can wrap.
    public var grossRevenueByCurrency: [(currency: Currency, micros: Int128)] {
        var totals: [Currency: Int128] = [:]
        for report in reports { totals[report.currency, default: 0] += Int128(report.grossRevenueMicros) }
        return totals.sorted { $0.key.code < $1.key.code }.map { ($0.key, $0.value) }
    }

    public static func == (lhs: ImportSummary, rhs: ImportSummary) -> Bool {
        lhs.kind == rhs.kind && lhs.file == rhs.file && lhs.sha256 == rhs.sha256 && lhs.outcome == rhs.outcome
            && lhs.rows == rhs.rows && lhs.reports == rhs.reports && lhs.unknownColumns == rhs.unknownColumns
    }
}

/// `revshare import usage FILE [--restate]` (SPEC §3.2): streams the file once, validating each
/// row and inserting it inside one IMMEDIATE transaction; any error rolls everything back.
public enum UsageImporter {
    static let columns = CSVImportSession.Columns(
        required: ["usage_date", "partner", "model", "requests", "input_tokens", "output_tokens", "gross_revenue"],
        optional: ["region", "currency", "reported_share"])
    static let progressInterval = 65_536

    public static func run(_ file: InputFile, restate: Bool, store: Store,
                           progress: ((Int) -> Void)? = nil) throws -> ImportSummary {
        do {
            return try store.write("import \(file.displayName)") { context in
                let session = try CSVImportSession(file, columns: columns)
                var batch = UsageBatch(partners: try context.reader.partners(),
                                       firstReportID: try context.nextID(of: .usageReport),
                                       inserter: try context.makeUsageRowInserter())
                while session.nextRecord() {
                    try batch.add(session)
                    if session.dataRows % progressInterval == 0 { progress?(session.bytesRead) }
                }
                let sha256 = session.contentSHA256()
                if let earlier = try context.reader.importedFile(kind: .usage, sha256: sha256) {
                    throw EarlyOutcome(sha256: sha256, outcome: .alreadyImported(importedAt: earlier.importedAt))
                }
                batch.checkTotals(session)
                let replaced = try RestatementRules.check(batch.reports, restate: restate, session: session, context: context)
                guard session.errors.isEmpty else { throw InvalidInput(session.errors) }
                guard batch.rowCount > 0 else { throw EarlyOutcome(sha256: sha256, outcome: .noRows) }
                let fileID = try context.recordImportedFile(kind: .usage, fileName: file.displayName, sha256: sha256,
                                                            rowCount: batch.rowCount, restate: restate)
                var summaries: [ImportSummary.Report] = []
                for report in batch.reports {
                    let previous = replaced[report.key]
                    try context.insert(report.record(importFileID: fileID, replaces: previous?.reportID))
                    summaries.append(report.summary(replaced: previous))
                }
                return ImportSummary(kind: .usage, file: file.displayName, sha256: sha256, outcome: .imported,
                                     rows: Int(batch.rowCount), reports: summaries, unknownColumns: session.unknownColumns)
            }
        } catch let early as EarlyOutcome {
            return ImportSummary(kind: .usage, file: file.displayName, sha256: early.sha256, outcome: early.outcome,
                                 rows: 0, reports: [], unknownColumns: [])
        }
    }
}

/// Thrown out of the write transaction to roll it back when the import turns out to be a no-op.
struct EarlyOutcome: Error {
    let sha256: String
    let outcome: ImportSummary.Outcome
}

/// (partner, period): one report.
struct ReportKey: Hashable {
    let partnerIndex: Int
    let period: Period
}
