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
            """).map {
                (try $0.int64("seq", in: "ledger_entry"), try $0.text("idempotency_key", in: "ledger_entry"),
                 try $0.text("kind", in: "ledger_entry"), try $0.int64("receivable", in: "ledger_posting"))
            }
    }

    /// Payment entries and payment rows that do not match one to one: an entry with no row,
    /// a row whose entry is not a payment of its amount to the bank and from its receivable.
    public func paymentMismatches() throws -> [(subject: String, message: String)] {
        var found: [(String, String)] = []
        for row in try Row.fetchAll(db, sql: """
            SELECT e.seq FROM ledger_entry AS e
            WHERE e.kind = 'payment' AND NOT EXISTS (SELECT 1 FROM payment AS p WHERE p.entry_seq = e.seq)
            """) {
            found.append(("entry \(try row.int64("seq", in: "ledger_entry"))", "a payment entry with no payment record: it was not imported by revshare"))
        }
        let payments = try Row.fetchCursor(db, sql: """
            SELECT p.payment_id, p.entry_seq, p.amount_minor, p.partner_id, p.currency, p.posted_on,
                   e.entry_date, e.kind, e.idempotency_key,
                   (SELECT sum(amount_minor) FROM ledger_posting WHERE entry_seq = p.entry_seq AND account = 'assets:bank' AND currency = p.currency) AS bank,
                   (SELECT sum(amount_minor) FROM ledger_posting WHERE entry_seq = p.entry_seq AND account = 'assets:receivable:' || p.partner_id AND currency = p.currency) AS receivable
            FROM payment AS p LEFT JOIN ledger_entry AS e ON e.seq = p.entry_seq
            """)
        while let row = try payments.next() {
            let id = try row.text("payment_id", in: "payment")
            let amount = try row.int64("amount_minor", in: "payment")
            let postedOn = try row.text("posted_on", in: "payment")
            let matches = try row.optionalText("kind", in: "ledger_entry") == "payment"
                && row.optionalText("idempotency_key", in: "ledger_entry") == LedgerKey.payment(id: id).description
                && row.optionalInt64("bank", in: "ledger_posting") == amount
                && row.optionalInt64("receivable", in: "ledger_posting").map { Int128($0) } == -Int128(amount)
                && row.optionalText("entry_date", in: "ledger_entry") == postedOn
            if !matches {
                found.append(("payment \(id)", "its record (amount \(amount) minor units, posted \(postedOn)) does not match ledger entry \(try row.int64("entry_seq", in: "payment"))"))
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
            """).map { ("usage report \(try $0.int64("id", in: "usage_report"))", "its totals differ from the sum of its rows") }
        let meter = try Row.fetchAll(db, sql: """
            SELECT r.id FROM meter_report AS r LEFT JOIN (
                SELECT report_id, count(*) AS n, sum(input_tokens) AS i, sum(output_tokens) AS o
                FROM meter_row GROUP BY report_id) AS t ON t.report_id = r.id
            WHERE t.n IS NOT r.row_count OR t.i IS NOT r.input_tokens OR t.o IS NOT r.output_tokens
            """).map { ("meter report \(try $0.int64("id", in: "meter_report"))", "its totals differ from the sum of its rows") }
        return usage + meter
    }

    /// Σ payments recorded per partner, in minor units.
    public func paymentTotals() throws -> [String: Int64] {
        Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
            SELECT partner_id, sum(amount_minor) AS total FROM payment GROUP BY partner_id
            """).map { (try $0.text("partner_id", in: "payment"), try $0.int64("total", in: "payment")) })
    }
}
