import GRDB
import RevShareCore

/// One model's usage in one report, summed by SQLite (whose SUM raises on overflow).
public struct ModelTotals: Sendable, Equatable {
    public let model: String
    public let rows: Int64
    public let requests: Int64
    public let inputTokens: Int64
    public let outputTokens: Int64
    public let grossRevenueMicros: Int64
}

/// A statement as issued: its document and the totals repeated beside it.
public struct IssuedStatement: Sendable, Equatable {
    public let statementID: String
    public let partnerID: String
    public let period: Period
    public let agreementID: String
    public let currency: String
    public let dueDate: CivilDate
    public let openingBalanceMinor: Int64
    public let shareMinor: Int64
    public let minimumTrueUpMinor: Int64
    public let adjustmentsMinor: Int64
    public let chargesMinor: Int64
    public let paymentsMinor: Int64
    public let closingBalanceMinor: Int64
    public let document: String
    public let documentSHA256: String
    public let issuedAt: String

    public init(statementID: String, partnerID: String, period: Period, agreementID: String, currency: String,
                dueDate: CivilDate, openingBalanceMinor: Int64, shareMinor: Int64, minimumTrueUpMinor: Int64,
                adjustmentsMinor: Int64, chargesMinor: Int64, paymentsMinor: Int64, closingBalanceMinor: Int64,
                document: String, documentSHA256: String, issuedAt: String) {
        self.statementID = statementID
        self.partnerID = partnerID
        self.period = period
        self.agreementID = agreementID
        self.currency = currency
        self.dueDate = dueDate
        self.openingBalanceMinor = openingBalanceMinor
        self.shareMinor = shareMinor
        self.minimumTrueUpMinor = minimumTrueUpMinor
        self.adjustmentsMinor = adjustmentsMinor
        self.chargesMinor = chargesMinor
        self.paymentsMinor = paymentsMinor
        self.closingBalanceMinor = closingBalanceMinor
        self.document = document
        self.documentSHA256 = documentSHA256
        self.issuedAt = issuedAt
    }
}

/// One computation of a period's charges (schema 0004, period_charge).
public struct PeriodCharge: Sendable, Equatable {
    public let partnerID: String
    public let forPeriod: Period
    public let postedPeriod: Period
    public let usageReportID: Int64?
    public let shareMinor: Int64
    public let minimumTrueUpMinor: Int64
    public let chargedMinor: Int64

    public init(partnerID: String, forPeriod: Period, postedPeriod: Period, usageReportID: Int64?,
                shareMinor: Int64, minimumTrueUpMinor: Int64, chargedMinor: Int64) {
        self.partnerID = partnerID
        self.forPeriod = forPeriod
        self.postedPeriod = postedPeriod
        self.usageReportID = usageReportID
        self.shareMinor = shareMinor
        self.minimumTrueUpMinor = minimumTrueUpMinor
        self.chargedMinor = chargedMinor
    }
}

extension ReadContext {
    /// Per-model totals of a report's rows, by model name.
    public func modelTotals(reportID: Int64) throws -> [ModelTotals] {
        try Row.fetchAll(db, sql: """
            SELECT model, count(*) AS rows, sum(requests) AS requests, sum(input_tokens) AS input,
                   sum(output_tokens) AS output, sum(gross_revenue_micros) AS revenue
            FROM usage_row WHERE report_id = ? GROUP BY model ORDER BY model
            """, arguments: [reportID]).map {
            ModelTotals(model: try $0.text("model", in: "usage_row"), rows: try $0.int64("rows", in: "usage_row"),
                        requests: try $0.int64("requests", in: "usage_row"), inputTokens: try $0.int64("input", in: "usage_row"),
                        outputTokens: try $0.int64("output", in: "usage_row"),
                        grossRevenueMicros: try $0.int64("revenue", in: "usage_row"))
        }
    }

    /// The earliest period that has usage, if any.
    public func earliestUsagePeriod() throws -> Period? {
        guard let row = try Row.fetchOne(db, sql: "SELECT min(period) AS period FROM usage_report"),
              !row.hasNull(atIndex: 0) else { return nil }
        return try row.period("period", in: "usage_report")
    }

    public func issuedStatement(partnerID: String, period: Period) throws -> IssuedStatement? {
        try Row.fetchOne(db, sql: "SELECT * FROM statement WHERE partner_id = ? AND period = ?",
                         arguments: [partnerID, period.description]).map { try IssuedStatement(row: $0) }
    }

    public func issuedStatements(period: Period? = nil) throws -> [IssuedStatement] {
        if let period {
            return try Row.fetchAll(db, sql: "SELECT * FROM statement WHERE period = ? ORDER BY partner_id",
                                    arguments: [period.description]).map { try IssuedStatement(row: $0) }
        }
        return try Row.fetchAll(db, sql: "SELECT * FROM statement ORDER BY period, partner_id").map { try IssuedStatement(row: $0) }
    }

    /// Each issued statement's period and charges for one partner, oldest first; no documents.
    public func issuedCharges(partnerID: String) throws -> [(period: Period, chargesMinor: Int64)] {
        try Row.fetchAll(db, sql: "SELECT period, charges_minor FROM statement WHERE partner_id = ? ORDER BY period",
                         arguments: [partnerID]).map { (try $0.period("period", in: "statement"), try $0.int64("charges_minor", in: "statement")) }
    }

    /// Calls `visit` with each issued statement in (period, partner) order, one at a time, so
    /// that checking every statement holds one document in memory, not all of them.
    public func forEachIssuedStatement(_ visit: (IssuedStatement) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM statement ORDER BY period, partner_id")
        while let row = try rows.next() { try visit(try IssuedStatement(row: row)) }
    }

    /// Every computation of `partnerID`'s charges for `period`, oldest first.
    public func periodCharges(partnerID: String, forPeriod period: Period) throws -> [PeriodCharge] {
        try Row.fetchAll(db, sql: """
            SELECT * FROM period_charge WHERE partner_id = ? AND for_period = ? ORDER BY posted_period
            """, arguments: [partnerID, period.description]).map { try PeriodCharge(row: $0) }
    }

    /// All charge computations posted in `period` (its own charges and adjustments for earlier periods).
    public func periodCharges(postedIn period: Period) throws -> [PeriodCharge] {
        try Row.fetchAll(db, sql: "SELECT * FROM period_charge WHERE posted_period = ? ORDER BY partner_id, for_period",
                         arguments: [period.description]).map { try PeriodCharge(row: $0) }
    }
}

extension WriteContext {
    public func insert(_ statement: IssuedStatement) throws {
        try db.execute(sql: """
            INSERT INTO statement (statement_id, partner_id, period, agreement_id, currency, due_date,
                opening_balance_minor, share_minor, minimum_true_up_minor, adjustments_minor, charges_minor,
                payments_minor, closing_balance_minor, document, document_sha256, issued_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                statement.statementID, statement.partnerID, statement.period.description, statement.agreementID,
                statement.currency, statement.dueDate.description, statement.openingBalanceMinor,
                statement.shareMinor, statement.minimumTrueUpMinor, statement.adjustmentsMinor,
                statement.chargesMinor, statement.paymentsMinor, statement.closingBalanceMinor,
                statement.document, statement.documentSHA256, statement.issuedAt,
            ])
    }

    public func insert(_ charge: PeriodCharge) throws {
        try db.execute(sql: """
            INSERT INTO period_charge (partner_id, for_period, posted_period, usage_report_id, share_minor,
                                       minimum_true_up_minor, charged_minor)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [charge.partnerID, charge.forPeriod.description, charge.postedPeriod.description,
                             charge.usageReportID, charge.shareMinor, charge.minimumTrueUpMinor, charge.chargedMinor])
    }
}

extension IssuedStatement {
    init(row: Row) throws {
        statementID = try row.text("statement_id", in: "statement")
        partnerID = try row.text("partner_id", in: "statement")
        period = try row.period("period", in: "statement")
        agreementID = try row.text("agreement_id", in: "statement")
        currency = try row.text("currency", in: "statement")
        dueDate = try row.date("due_date", in: "statement")
        openingBalanceMinor = try row.int64("opening_balance_minor", in: "statement")
        shareMinor = try row.int64("share_minor", in: "statement")
        minimumTrueUpMinor = try row.int64("minimum_true_up_minor", in: "statement")
        adjustmentsMinor = try row.int64("adjustments_minor", in: "statement")
        chargesMinor = try row.int64("charges_minor", in: "statement")
        paymentsMinor = try row.int64("payments_minor", in: "statement")
        closingBalanceMinor = try row.int64("closing_balance_minor", in: "statement")
        document = try row.text("document", in: "statement")
        documentSHA256 = try row.text("document_sha256", in: "statement")
        issuedAt = try row.text("issued_at", in: "statement")
    }
}

extension PeriodCharge {
    init(row: Row) throws {
        partnerID = try row.text("partner_id", in: "period_charge")
        forPeriod = try row.period("for_period", in: "period_charge")
        postedPeriod = try row.period("posted_period", in: "period_charge")
        usageReportID = try row.optionalInt64("usage_report_id", in: "period_charge")
        shareMinor = try row.int64("share_minor", in: "period_charge")
        minimumTrueUpMinor = try row.int64("minimum_true_up_minor", in: "period_charge")
        chargedMinor = try row.int64("charged_minor", in: "period_charge")
    }
}
