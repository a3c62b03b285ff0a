import RevShareCore
import RevShareStore

/// One kind of CSV import: how it checks each record and what it writes at the end.
protocol ImportBatch {
    static var kind: ImportKind { get }
    static var columns: CSVImportSession.Columns { get }
    var rowCount: Int64 { get }
    /// Validates one record, staging or inserting it; problems go to the session as errors.
    mutating func add(_ session: CSVImportSession) throws
    /// Checks that need the whole file (totals, restatements); problems go to the session.
    mutating func validateWholeFile(_ session: CSVImportSession, restate: Bool) throws
    /// Writes what is staged once the file is known good; returns the summary's details.
    func commit(importFileID: Int64) throws -> ImportSummary.Details
}

extension ImportSummary {
    struct Details {
        var reports: [Report] = []
        var newRecords = 0
        var skippedRecords = 0
    }
}

/// The pipeline every CSV import shares (SPEC §3, §9): stream and validate every record inside
/// one IMMEDIATE transaction, then decide: already imported (no-op), errors (roll back, 65),
/// no rows (no-op), or commit with the file recorded for the audit trail.
enum CSVImportRunner {
    static let progressInterval = 65_536

    static func run<Batch: ImportBatch>(_ file: InputFile, restate: Bool = false, store: Store,
                                        progress: ((Int) -> Void)?,
                                        makeBatch: (WriteContext) throws -> Batch) throws -> ImportSummary {
        do {
            return try store.write("import \(file.displayName)") { context in
                let session = try CSVImportSession(file, columns: Batch.columns)
                var batch = try makeBatch(context)
                while session.nextRecord() {
                    try batch.add(session)
                    if session.dataRows % progressInterval == 0 { progress?(session.bytesRead) }
                }
                if session.stoppedByError { throw InvalidInput(session.errors) }
                let sha256 = session.contentSHA256()
                if let earlier = try context.reader.importedFile(kind: Batch.kind, sha256: sha256) {
                    throw EarlyOutcome(sha256: sha256, outcome: .alreadyImported(importedAt: earlier.importedAt))
                }
                if batch.rowCount > 0 { try batch.validateWholeFile(session, restate: restate) }
                guard session.errors.isEmpty else { throw InvalidInput(session.errors) }
                guard session.dataRows > 0 else { throw EarlyOutcome(sha256: sha256, outcome: .noRows) }
                let fileID = try context.recordImportedFile(kind: Batch.kind, fileName: file.displayName, sha256: sha256,
                                                            rowCount: Int64(session.dataRows), restate: restate)
                let details = try batch.commit(importFileID: fileID)
                try context.sealImport(fileID: fileID, kind: Batch.kind)
                var summary = ImportSummary(kind: Batch.kind, file: file.displayName, sha256: sha256, outcome: .imported,
                                            rows: session.dataRows, reports: details.reports,
                                            unknownColumns: session.unknownColumns)
                summary.newRecords = details.newRecords
                summary.skippedRecords = details.skippedRecords
                return summary
            }
        } catch let early as EarlyOutcome {
            return ImportSummary(kind: Batch.kind, file: file.displayName, sha256: early.sha256, outcome: early.outcome,
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

/// Resolves partner ids from field bytes, remembering the last one: files are usually sorted
/// by partner, so most rows cost one byte comparison and no String.
struct PartnerResolver {
    let partners: [Partner]
    private let index: [ExactText: Int]
    private var last: (bytes: [UInt8], index: Int)?

    init(_ partners: [Partner]) {
        self.partners = partners
        index = Dictionary(uniqueKeysWithValues: partners.enumerated().map { (ExactText($1.id), $0) })
    }

    mutating func resolve(_ session: CSVImportSession) -> Int? {
        session.withField("partner") { bytes -> Int? in
            if let last, last.bytes.elementsEqual(bytes) { return last.index }
            guard FieldRules.isValidUTF8(bytes), let found = index[ExactText(String(decoding: bytes, as: UTF8.self))] else {
                let known = partners.prefix(20).map(\.id).joined(separator: ", ")
                session.error(column: "partner", "\(FieldRules.quoted(bytes)) is not a loaded partner (loaded: \(known.isEmpty ? "none; run `revshare agreements load`" : known))")
                return nil
            }
            last = (Array(bytes), found)
            return found
        }
    }
}

/// The duplicate-key message of SPEC §9: values in the order of §3, an empty one as `""`, line
/// breaks and other control characters escaped.
func duplicateKeyMessage(earlierLine: Int64, values: [String]) -> String {
    "duplicate of line \(earlierLine) (\(values.map { $0.isEmpty ? "\"\"" : FieldRules.escaped($0, quotes: false) }.joined(separator: ", ")))"
}
