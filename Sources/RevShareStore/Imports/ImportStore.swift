import GRDB
import RevShareCore

extension ReadContext {
    /// The file of this kind with this content, if it was imported before.
    public func importedFile(kind: ImportKind, sha256: String) throws -> ImportedFile? {
        try Row.fetchOne(db, sql: "SELECT * FROM import_file WHERE kind = ? AND sha256 = ?",
                         arguments: [kind.rawValue, sha256]).map { try ImportedFile(row: $0) }
    }

    public func importedFiles() throws -> [ImportedFile] {
        try Row.fetchAll(db, sql: "SELECT * FROM import_file ORDER BY id").map { try ImportedFile(row: $0) }
    }

    /// The partner and period a usage report is for; nil when there is no such report.
    public func usageReportSubject(id: Int64) throws -> (partnerID: String, period: Period)? {
        try Row.fetchOne(db, sql: "SELECT partner_id, period FROM usage_report WHERE id = ?", arguments: [id]).map {
            (try $0.text("partner_id", in: "usage_report"), try $0.period("period", in: "usage_report"))
        }
    }

    /// The usage report in force for each (partner, period) among `keys`.
    public func currentUsageReport(partnerID: String, period: Period) throws -> CurrentReport? {
        try Row.fetchOne(db, sql: """
            SELECT r.id, f.file_name, f.imported_at FROM usage_report AS r
            JOIN import_file AS f ON f.id = r.import_file_id
            WHERE r.partner_id = ? AND r.period = ? ORDER BY r.id DESC LIMIT 1
            """, arguments: [partnerID, period.description]).map {
            CurrentReport(reportID: try $0.int64("id", in: "usage_report"), fileName: try $0.text("file_name", in: "import_file"),
                          importedAt: try $0.text("imported_at", in: "import_file"))
        }
    }
}

extension WriteContext {
    /// The id the next row of `table` gets; safe because the write lock is held.
    public func nextID(of table: ReportTable) throws -> Int64 {
        try reader.optionalInt64("SELECT coalesce(max(id), 0) + 1 FROM \(table.rawValue)", column: "id", in: table.rawValue) ?? 1
    }

    public func recordImportedFile(kind: ImportKind, fileName: String, sha256: String, rowCount: Int64,
                                   restate: Bool) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO import_file (kind, file_name, sha256, imported_at, row_count, restate)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [kind.rawValue, fileName, sha256, recordedAt, rowCount, restate])
        return db.lastInsertedRowID
    }

    public func insert(_ report: UsageReportRecord) throws {
        try db.execute(sql: """
            INSERT INTO usage_report (id, import_file_id, partner_id, period, replaces_report_id, row_count,
                                      requests, input_tokens, output_tokens, gross_revenue_micros)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [report.id, report.importFileID, report.partnerID, report.period.description,
                             report.replacesReportID, report.rowCount, report.requests, report.inputTokens,
                             report.outputTokens, report.grossRevenueMicros])
    }

    public func insert(_ report: MeterReportRecord) throws {
        try db.execute(sql: """
            INSERT INTO meter_report (id, import_file_id, partner_id, period, row_count, input_tokens, output_tokens)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [report.id, report.importFileID, report.partnerID, report.period.description,
                             report.rowCount, report.inputTokens, report.outputTokens])
    }

    public func makeUsageRowInserter() throws -> UsageRowInserter { try UsageRowInserter(db) }
    public func makeMeterRowInserter() throws -> MeterRowInserter { try MeterRowInserter(db) }
}

public enum ReportTable: String, Sendable {
    case usageReport = "usage_report"
    case meterReport = "meter_report"
}

/// Inserts usage rows; a row whose key (report, date, model, region) is already in the
/// report is not inserted and the line of the earlier row is returned instead.
public final class UsageRowInserter {
    private let insert: RawStatement
    private let earlier: RawStatement

    init(_ db: Database) throws {
        insert = try RawStatement(db, sql: """
            INSERT INTO usage_row (report_id, usage_date, model, region, line, requests, input_tokens,
                                   output_tokens, gross_revenue_micros, reported_share_micros)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        earlier = try RawStatement(db, sql: """
            SELECT line FROM usage_row WHERE report_id = ? AND usage_date = ? AND model = ? AND region = ?
            """)
    }

    public struct Row {
        public var reportID: Int64 = 0
        public var line: Int64 = 0
        public var requests: Int64 = 0
        public var inputTokens: Int64 = 0
        public var outputTokens: Int64 = 0
        public var grossRevenueMicros: Int64 = 0
        public var reportedShareMicros: Int64?
        public init() {}
    }

    /// nil when inserted; the earlier line when the key is a duplicate. The text buffers are
    /// only borrowed: they must stay valid for the duration of the call.
    public func insert(_ row: Row, date: UnsafeRawBufferPointer, model: UnsafeRawBufferPointer,
                       region: UnsafeRawBufferPointer) throws -> Int64? {
        insert.bind(1, row.reportID)
        insert.bind(2, borrowedText: date)
        insert.bind(3, borrowedText: model)
        insert.bind(4, borrowedText: region)
        insert.bind(5, row.line)
        insert.bind(6, row.requests)
        insert.bind(7, row.inputTokens)
        insert.bind(8, row.outputTokens)
        insert.bind(9, row.grossRevenueMicros)
        insert.bind(10, row.reportedShareMicros)
        if try insert.execute() == 1 { return nil }
        earlier.bind(1, row.reportID)
        earlier.bind(2, text: date)
        earlier.bind(3, text: model)
        earlier.bind(4, text: region)
        return try earlier.firstInt64()
    }
}

/// Inserts meter rows keyed by (report, date, model), reporting duplicates like usage rows.
public final class MeterRowInserter {
    private let insert: RawStatement
    private let earlier: RawStatement

    init(_ db: Database) throws {
        insert = try RawStatement(db, sql: """
            INSERT INTO meter_row (report_id, usage_date, model, line, input_tokens, output_tokens)
            VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        earlier = try RawStatement(db, sql: "SELECT line FROM meter_row WHERE report_id = ? AND usage_date = ? AND model = ?")
    }

    /// nil when inserted; the earlier line when the key is a duplicate.
    public func insert(reportID: Int64, line: Int64, date: UnsafeRawBufferPointer, model: UnsafeRawBufferPointer,
                       inputTokens: Int64, outputTokens: Int64) throws -> Int64? {
        insert.bind(1, reportID)
        insert.bind(2, borrowedText: date)
        insert.bind(3, borrowedText: model)
        insert.bind(4, line)
        insert.bind(5, inputTokens)
        insert.bind(6, outputTokens)
        if try insert.execute() == 1 { return nil }
        earlier.bind(1, reportID)
        earlier.bind(2, text: date)
        earlier.bind(3, text: model)
        return try earlier.firstInt64()
    }
}
