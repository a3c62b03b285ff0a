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

/// `revshare import usage FILE [--restate]` (SPEC §3.2).
public enum UsageImporter {
    public static func run(_ file: InputFile, restate: Bool, store: Store,
                           progress: ((Int) -> Void)? = nil) throws -> ImportSummary {
        try CSVImportRunner.run(file, restate: restate, store: store, progress: progress) { context in
            try UsageBatch(partners: try context.reader.partners(), firstReportID: try context.nextID(of: .usageReport),
                       context: context)
        }
    }
}
