import GRDB
import RevShareCore

/// Where a payment came from and which ledger entry posts it, for the audit trail.
public struct PaymentProvenance: Sendable, Equatable {
    public let paymentID: String
    public let importFileID: Int64
    public let entrySequence: Int64
}

/// One run of `reconcile`, as recorded.
public struct ReconcileRunRecord: Sendable, Equatable {
    public let id: Int64
    public let period: Period
    public let asOf: CivilDate
    public let ranAt: String
}

/// Read queries the audit report needs beyond those other features use (SPEC §1: every
/// figure traceable to an input file).
extension ReadContext {
    /// Every usage report of `period`, current or replaced, oldest first.
    public func usageReports(period: Period) throws -> [UsageReportRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM usage_report WHERE period = ? ORDER BY id",
                         arguments: [period.description]).map { try UsageReportRecord(auditRow: $0) }
    }

    public func usageReport(id: Int64) throws -> UsageReportRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM usage_report WHERE id = ?", arguments: [id])
            .map { try UsageReportRecord(auditRow: $0) }
    }

    /// Every meter report of `period`, oldest first (the newest per partner is in force).
    public func meterReports(period: Period) throws -> [MeterReportRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM meter_report WHERE period = ? ORDER BY id",
                         arguments: [period.description]).map {
            let table = "meter_report"
            return MeterReportRecord(id: try $0.int64("id", in: table), importFileID: try $0.int64("import_file_id", in: table),
                                     partnerID: try $0.text("partner_id", in: table), period: try $0.period("period", in: table),
                                     rowCount: try $0.int64("row_count", in: table), inputTokens: try $0.int64("input_tokens", in: table),
                                     outputTokens: try $0.int64("output_tokens", in: table))
        }
    }

    /// The import file and ledger entry of every payment, by payment id (byte for byte, as stored).
    public func paymentProvenance() throws -> [ExactText: PaymentProvenance] {
        var result: [ExactText: PaymentProvenance] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT payment_id, import_file_id, entry_seq FROM payment") {
            let id = try row.text("payment_id", in: "payment")
            result[ExactText(id)] = PaymentProvenance(paymentID: id, importFileID: try row.int64("import_file_id", in: "payment"),
                                                      entrySequence: try row.int64("entry_seq", in: "payment"))
        }
        return result
    }

    /// The latest reconcile run of `period`, if any.
    public func latestReconcileRun(period: Period) throws -> ReconcileRunRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM reconcile_run WHERE period = ? ORDER BY id DESC LIMIT 1",
                         arguments: [period.description]).map {
            ReconcileRunRecord(id: try $0.int64("id", in: "reconcile_run"), period: try $0.period("period", in: "reconcile_run"),
                               asOf: try $0.date("as_of", in: "reconcile_run"), ranAt: try $0.text("ran_at", in: "reconcile_run"))
        }
    }
}

extension UsageReportRecord {
    init(auditRow row: Row) throws {
        let table = "usage_report"
        self.init(id: try row.int64("id", in: table), importFileID: try row.int64("import_file_id", in: table),
                  partnerID: try row.text("partner_id", in: table), period: try row.period("period", in: table),
                  replacesReportID: try row.optionalInt64("replaces_report_id", in: table),
                  rowCount: try row.int64("row_count", in: table), requests: try row.int64("requests", in: table),
                  inputTokens: try row.int64("input_tokens", in: table), outputTokens: try row.int64("output_tokens", in: table),
                  grossRevenueMicros: try row.int64("gross_revenue_micros", in: table))
    }
}
