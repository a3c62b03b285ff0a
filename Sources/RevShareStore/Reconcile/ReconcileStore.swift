import GRDB
import RevShareCore

/// A discrepancy as stored: its facts, the figures of the latest run that found it, and its
/// status. Figures are text as printed (money with the currency's minor digits, counts as digits).
public struct StoredDiscrepancy: Sendable, Equatable {
    public let id: String
    public let kind: DiscrepancyKind
    public let severity: DiscrepancySeverity
    public let partnerID: String?
    public let period: Period
    public let model: String?
    public let paymentID: String?
    public let expected: String?
    public let actual: String?
    public let difference: String?
    public let message: String

    public init(id: String, kind: DiscrepancyKind, severity: DiscrepancySeverity, partnerID: String?, period: Period, model: String?,
                paymentID: String?, expected: String?, actual: String?, difference: String?, message: String) {
        self.id = id
        self.kind = kind
        self.severity = severity
        self.partnerID = partnerID
        self.period = period
        self.model = model
        self.paymentID = paymentID
        self.expected = expected
        self.actual = actual
        self.difference = difference
        self.message = message
    }
}

public struct Resolution: Sendable, Equatable {
    public let note: String
    public let resolvedAt: String
}

/// A stored discrepancy with its history, for `resolve` and the audit report.
public struct DiscrepancyRecord: Sendable, Equatable {
    public let discrepancy: StoredDiscrepancy
    public let resolutions: [Resolution]
    public let firstSeenAt: String
    public let lastSeenAt: String
    /// Whether the latest reconcile run of its period still found it.
    public let foundByLatestRun: Bool
    public var isResolved: Bool { !resolutions.isEmpty }
}

extension StoredDiscrepancy {
    public var orderFacts: DiscrepancyOrder.Facts {
        DiscrepancyOrder.Facts(severity: severity, kind: kind, partnerID: partnerID, model: model, paymentID: paymentID, id: id)
    }
}

/// Facts about one usage report that several discrepancy kinds need, from one pass.
public struct ReportFacts: Sendable, Equatable {
    public let daysWithRows: Int
    public let rowsWithReportedShare: Int64
    public let reportedShareMicros: Int64
}

extension ReadContext {
    public func reportFacts(reportID: Int64) throws -> ReportFacts {
        let row = try Row.fetchOne(db, sql: """
            SELECT count(DISTINCT usage_date) AS days, count(reported_share_micros) AS shares,
                   coalesce(sum(reported_share_micros), 0) AS share
            FROM usage_row WHERE report_id = ?
            """, arguments: [reportID])
        guard let row else { return ReportFacts(daysWithRows: 0, rowsWithReportedShare: 0, reportedShareMicros: 0) }
        return ReportFacts(daysWithRows: try row.int("days", in: "usage_row"),
                           rowsWithReportedShare: try row.int64("shares", in: "usage_row"),
                           reportedShareMicros: try row.int64("share", in: "usage_row"))
    }

    /// The meter report in force for a (partner, period): the newest import covering it.
    public func currentMeterReportID(partnerID: String, period: Period) throws -> Int64? {
        try optionalInt64("SELECT max(id) FROM meter_report WHERE partner_id = ? AND period = ?",
                          arguments: [partnerID, period.description], column: "id", in: "meter_report")
    }

    /// Per-model meter totals of a meter report: (model, input tokens, output tokens).
    public func meterTotals(reportID: Int64) throws -> [(model: String, inputTokens: Int64, outputTokens: Int64)] {
        try Row.fetchAll(db, sql: """
            SELECT model, sum(input_tokens) AS input, sum(output_tokens) AS output
            FROM meter_row WHERE report_id = ? GROUP BY model ORDER BY model
            """, arguments: [reportID]).map {
            (try $0.text("model", in: "meter_row"), try $0.int64("input", in: "meter_row"), try $0.int64("output", in: "meter_row"))
        }
    }

    public func discrepancyRecord(id: String) throws -> DiscrepancyRecord? {
        try Row.fetchOne(db, sql: Self.discrepancySelect + " WHERE d.id = ?", arguments: [id]).map { try record($0) }
    }

    /// Every stored discrepancy of a period, found by the latest run or not.
    public func discrepancyRecords(period: Period) throws -> [DiscrepancyRecord] {
        try Row.fetchAll(db, sql: Self.discrepancySelect + " WHERE d.period = ? ORDER BY d.id",
                         arguments: [period.description]).map { try record($0) }
    }

    public func discrepancyIDs(limit: Int) throws -> [String] {
        try texts("SELECT id FROM discrepancy ORDER BY last_run_id DESC, id LIMIT ?", arguments: [limit],
                  column: "id", in: "discrepancy")
    }

    private static let discrepancySelect = """
        SELECT d.*, f.ran_at AS first_seen, l.ran_at AS last_seen,
               d.last_run_id = (SELECT max(id) FROM reconcile_run WHERE period = d.period) AS latest
        FROM discrepancy AS d
        JOIN reconcile_run AS f ON f.id = d.first_run_id
        JOIN reconcile_run AS l ON l.id = d.last_run_id
        """

    private func record(_ row: Row) throws -> DiscrepancyRecord {
        let table = "discrepancy"
        let id = try row.text("id", in: table)
        let resolutions = try Row.fetchAll(db, sql: """
            SELECT note, resolved_at FROM discrepancy_resolution WHERE discrepancy_id = ? ORDER BY id
            """, arguments: [id]).map {
            Resolution(note: try $0.text("note", in: "discrepancy_resolution"),
                       resolvedAt: try $0.text("resolved_at", in: "discrepancy_resolution"))
        }
        return DiscrepancyRecord(
            discrepancy: StoredDiscrepancy(
                id: id, kind: try row.enumeration("kind", in: table), severity: try row.enumeration("severity", in: table),
                partnerID: try row.optionalText("partner_id", in: table), period: try row.period("period", in: table),
                model: try row.optionalText("model", in: table), paymentID: try row.optionalText("payment_id", in: table),
                expected: try row.optionalText("expected", in: table), actual: try row.optionalText("actual", in: table),
                difference: try row.optionalText("difference", in: table), message: try row.text("message", in: table)),
            resolutions: resolutions, firstSeenAt: try row.text("first_seen", in: "reconcile_run"),
            lastSeenAt: try row.text("last_seen", in: "reconcile_run"),
            foundByLatestRun: try row.bool("latest", in: table))
    }
}

extension WriteContext {
    public func recordReconcileRun(period: Period, asOf: CivilDate) throws -> Int64 {
        try db.execute(sql: "INSERT INTO reconcile_run (period, as_of, ran_at) VALUES (?, ?, ?)",
                       arguments: [period.description, asOf.description, recordedAt])
        return db.lastInsertedRowID
    }

    /// Stores what this run found: a new discrepancy, or the latest figures of a known one.
    public func record(_ found: StoredDiscrepancy, runID: Int64) throws {
        try db.execute(sql: """
            INSERT INTO discrepancy (id, kind, severity, partner_id, period, model, payment_id, expected, actual,
                                     difference, message, first_run_id, last_run_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET expected = excluded.expected, actual = excluded.actual,
                difference = excluded.difference, message = excluded.message, last_run_id = excluded.last_run_id
            """, arguments: [found.id, found.kind.rawValue, found.severity.rawValue, found.partnerID, found.period.description,
                             found.model, found.paymentID, found.expected, found.actual, found.difference,
                             found.message, runID, runID])
    }

    public func addResolution(discrepancyID: String, note: String) throws {
        try db.execute(sql: "INSERT INTO discrepancy_resolution (discrepancy_id, note, resolved_at) VALUES (?, ?, ?)",
                       arguments: [discrepancyID, note, recordedAt])
    }
}
