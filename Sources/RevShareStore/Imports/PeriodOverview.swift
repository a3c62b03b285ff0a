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
        let closed = Set(try String.fetchAll(db, sql: "SELECT period FROM closed_period"))
        var usage: [String: [PeriodSummary.PartnerUsage]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT r.period, r.partner_id, p.currency, r.row_count, r.gross_revenue_micros
            FROM current_usage_report AS r JOIN partner AS p ON p.id = r.partner_id
            ORDER BY r.period, r.partner_id
            """) {
            usage[row["period"], default: []].append(PeriodSummary.PartnerUsage(
                partnerID: row["partner_id"], currency: row["currency"], rows: row["row_count"],
                grossRevenueMicros: row["gross_revenue_micros"]))
        }
        return closed.union(usage.keys).sorted().compactMap { text in
            Period(text).map { PeriodSummary(period: $0, closed: closed.contains(text), partners: usage[text] ?? []) }
        }
    }
}
