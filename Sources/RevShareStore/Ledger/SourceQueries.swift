import GRDB
import RevShareCore

/// Queries `verify` uses to hold the ledger against the records that explain it.
extension ReadContext {
    /// Entries of the charge kinds (share, true-up, adjustment) with their keys and amounts
    /// posted to receivables: each must be explained by an issued statement.
    public func chargeEntries() throws -> [(sequence: Int64, key: String, kind: String, receivableMinor: Int64)] {
        try Row.fetchAll(db, sql: """
            SELECT e.seq, e.idempotency_key, e.kind,
                   coalesce(sum(CASE WHEN p.account LIKE 'assets:receivable:%' THEN p.amount_minor END), 0) AS receivable
            FROM ledger_entry AS e JOIN ledger_posting AS p ON p.entry_seq = e.seq
            WHERE e.kind IN ('share', 'minimum_true_up', 'adjustment')
            GROUP BY e.seq ORDER BY e.seq
            """).map { ($0["seq"], $0["idempotency_key"], $0["kind"], $0["receivable"]) }
    }

    /// Payment entries and payment rows that do not match one to one: an entry with no row,
    /// a row whose entry is not a payment of its amount to the bank and from its receivable.
    public func paymentMismatches() throws -> [(subject: String, message: String)] {
        var found: [(String, String)] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT e.seq FROM ledger_entry AS e
            WHERE e.kind = 'payment' AND NOT EXISTS (SELECT 1 FROM payment AS p WHERE p.entry_seq = e.seq)
            """) {
            found.append(("entry \(row["seq"] as Int64)", "a payment entry with no payment record: it was not imported by revshare"))
        }
        let payments = try Row.fetchCursor(db, sql: """
            SELECT p.payment_id, p.entry_seq, p.amount_minor, p.partner_id, p.currency, p.posted_on,
                   e.entry_date, e.kind, e.idempotency_key,
                   (SELECT sum(amount_minor) FROM ledger_posting WHERE entry_seq = p.entry_seq AND account = 'assets:bank' AND currency = p.currency) AS bank,
                   (SELECT sum(amount_minor) FROM ledger_posting WHERE entry_seq = p.entry_seq AND account = 'assets:receivable:' || p.partner_id AND currency = p.currency) AS receivable
            FROM payment AS p LEFT JOIN ledger_entry AS e ON e.seq = p.entry_seq
            """)
        while let row = try payments.next() {
            let id: String = row["payment_id"]
            let amount: Int64 = row["amount_minor"]
            let matches = (row["kind"] as String?) == "payment" && (row["idempotency_key"] as String?) == LedgerKey.payment(id: id).description
                && (row["bank"] as Int64?) == amount && (row["receivable"] as Int64?) == -amount
                && (row["entry_date"] as String?) == (row["posted_on"] as String)
            if !matches {
                found.append(("payment \(id)", "its record (amount \(amount) minor units, posted \(row["posted_on"] as String)) does not match ledger entry \(row["entry_seq"] as Int64)"))
            }
        }
        return found
    }

    /// Usage and meter reports whose stored totals differ from the sum of their rows.
    public func reportTotalMismatches() throws -> [(subject: String, message: String)] {
        let usage = try Row.fetchAll(db, sql: """
            SELECT r.id FROM usage_report AS r LEFT JOIN (
                SELECT report_id, count(*) AS n, sum(requests) AS q, sum(input_tokens) AS i, sum(output_tokens) AS o,
                       sum(gross_revenue_micros) AS g FROM usage_row GROUP BY report_id) AS t ON t.report_id = r.id
            WHERE t.n IS NOT r.row_count OR t.q IS NOT r.requests OR t.i IS NOT r.input_tokens
               OR t.o IS NOT r.output_tokens OR t.g IS NOT r.gross_revenue_micros
            """).map { ("usage report \($0["id"] as Int64)", "its totals differ from the sum of its rows") }
        let meter = try Row.fetchAll(db, sql: """
            SELECT r.id FROM meter_report AS r LEFT JOIN (
                SELECT report_id, count(*) AS n, sum(input_tokens) AS i, sum(output_tokens) AS o
                FROM meter_row GROUP BY report_id) AS t ON t.report_id = r.id
            WHERE t.n IS NOT r.row_count OR t.i IS NOT r.input_tokens OR t.o IS NOT r.output_tokens
            """).map { ("meter report \($0["id"] as Int64)", "its totals differ from the sum of its rows") }
        return usage + meter
    }

    /// Σ payments recorded per partner, in minor units.
    public func paymentTotals() throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
            SELECT partner_id, sum(amount_minor) AS total FROM payment GROUP BY partner_id
            """).map { ($0["partner_id"] as String, $0["total"] as Int64) })
    }
}
