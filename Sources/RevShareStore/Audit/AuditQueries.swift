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
                         arguments: [period.description]).map(UsageReportRecord.init(auditRow:))
    }

    public func usageReport(id: Int64) throws -> UsageReportRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM usage_report WHERE id = ?", arguments: [id])
            .map(UsageReportRecord.init(auditRow:))
    }

    /// Every meter report of `period`, oldest first (the newest per partner is in force).
    public func meterReports(period: Period) throws -> [MeterReportRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM meter_report WHERE period = ? ORDER BY id",
                         arguments: [period.description]).map {
            MeterReportRecord(id: $0["id"], importFileID: $0["import_file_id"], partnerID: $0["partner_id"],
                              period: Period($0["period"] as String)!, rowCount: $0["row_count"],
                              inputTokens: $0["input_tokens"], outputTokens: $0["output_tokens"])
        }
    }

    /// The import file and ledger entry of every payment, by payment id (byte for byte, as stored).
    public func paymentProvenance() throws -> [ExactText: PaymentProvenance] {
        var result: [ExactText: PaymentProvenance] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT payment_id, import_file_id, entry_seq FROM payment") {
            let id: String = row["payment_id"]
            result[ExactText(id)] = PaymentProvenance(paymentID: id, importFileID: row["import_file_id"], entrySequence: row["entry_seq"])
        }
        return result
    }

    /// The latest reconcile run of `period`, if any.
    public func latestReconcileRun(period: Period) throws -> ReconcileRunRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM reconcile_run WHERE period = ? ORDER BY id DESC LIMIT 1",
                         arguments: [period.description]).map {
            ReconcileRunRecord(id: $0["id"], period: Period($0["period"] as String)!,
                               asOf: CivilDate($0["as_of"] as String)!, ranAt: $0["ran_at"])
        }
    }
}

extension UsageReportRecord {
    init(auditRow row: Row) {
        self.init(id: row["id"], importFileID: row["import_file_id"], partnerID: row["partner_id"],
                  period: Period(row["period"] as String)!, replacesReportID: row["replaces_report_id"],
                  rowCount: row["row_count"], requests: row["requests"], inputTokens: row["input_tokens"],
                  outputTokens: row["output_tokens"], grossRevenueMicros: row["gross_revenue_micros"])
    }
}
