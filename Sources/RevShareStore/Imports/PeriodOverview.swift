import GRDB
import RevShareCore

/// One period as `revshare periods` shows it: open or closed, and each partner's current rows.
public struct PeriodSummary: Sendable, Equatable {
    public struct PartnerUsage: Sendable, Equatable {
        public let partnerID: String
        public let currency: String
        public let rows: Int64
        public let grossRevenueMicros: Int64
    }

    public let period: Period
    public let closed: Bool
    public let partners: [PartnerUsage]
}

extension ReadContext {
    /// Every period that has usage rows or is closed, ascending; partners by id, counting only
    /// the current report of each (after restatements).
    public func periodOverview() throws -> [PeriodSummary] {
        let closed = Set(try Row.fetchAll(db, sql: "SELECT period FROM closed_period").map {
            try $0.period("period", in: "closed_period").description
        })
        var usage: [String: [PeriodSummary.PartnerUsage]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT r.period, r.partner_id, p.currency, r.row_count, r.gross_revenue_micros
            FROM current_usage_report AS r JOIN partner AS p ON p.id = r.partner_id
            ORDER BY r.period, r.partner_id
            """) {
            usage[try row.period("period", in: "usage_report").description, default: []].append(PeriodSummary.PartnerUsage(
                partnerID: try row.text("partner_id", in: "usage_report"), currency: try row.text("currency", in: "partner"),
                rows: try row.int64("row_count", in: "usage_report"),
                grossRevenueMicros: try row.int64("gross_revenue_micros", in: "usage_report")))
        }
        return closed.union(usage.keys).sorted().compactMap { text in
            Period(text).map { PeriodSummary(period: $0, closed: closed.contains(text), partners: usage[text] ?? []) }
        }
    }
}
