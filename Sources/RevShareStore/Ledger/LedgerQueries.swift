import GRDB
import RevShareCore

public struct ChainHead: Sendable, Equatable {
    public let sequence: Int64
    public let hash: String
}

public struct AccountBalance: Sendable, Equatable {
    public let account: String
    public let currency: String
    public let balanceMinor: Int64
}

extension ReadContext {
    public func chainHead() throws -> ChainHead? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM ledger_entry ORDER BY seq DESC LIMIT 1").map {
            ChainHead(sequence: try $0.int64("seq", in: "ledger_entry"), hash: try $0.text("hash", in: "ledger_entry"))
        }
    }

    public func entryCount() throws -> Int {
        Int(try optionalInt64("SELECT count(*) FROM ledger_entry", column: "seq", in: "ledger_entry") ?? 0)
    }

    public func entry(idempotencyKey: String) throws -> StoredEntry? {
        try entries(where: "e.idempotency_key = ?", [idempotencyKey]).first
    }

    /// Entries dated inside `dates` (all when nil), in chain order.
    public func entries(dated dates: ClosedRange<CivilDate>? = nil) throws -> [StoredEntry] {
        guard let dates else { return try entries(where: "1", []) }
        return try entries(where: "e.entry_date BETWEEN ? AND ?", [dates.lowerBound.description, dates.upperBound.description])
    }

    /// Calls `visit` with each entry in chain order without holding them all in memory.
    public func forEachEntry(_ visit: (StoredEntry) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: Self.entrySelect + " WHERE 1 ORDER BY e.seq, p.line")
        try EntryAssembler.assemble(rows, visit)
    }

    private func entries(where condition: String, _ arguments: StatementArguments) throws -> [StoredEntry] {
        var result: [StoredEntry] = []
        let rows = try Row.fetchCursor(db, sql: Self.entrySelect + " WHERE \(condition) ORDER BY e.seq, p.line",
                                       arguments: arguments)
        try EntryAssembler.assemble(rows) { result.append($0) }
        return result
    }

    static let entrySelect = """
        SELECT e.seq, e.entry_date, e.kind, e.description, e.idempotency_key, e.recorded_at,
               e.prev_hash, e.hash, p.account, p.currency, p.amount_minor
        FROM ledger_entry AS e LEFT JOIN ledger_posting AS p ON p.entry_seq = e.seq
        """

    /// Balance per account and currency from entries dated on or before `asOf`; zero
    /// balances left out; sorted by account, then currency. SQLite's integer SUM raises an
    /// error on overflow rather than wrapping.
    public func balances(asOf: CivilDate) throws -> [AccountBalance] {
        // As of the latest entry or later every posting counts: sum them from the covering
        // index alone, without reading a single entry's date.
        let latest = try Row.fetchOne(db, sql: "SELECT max(entry_date) AS entry_date FROM ledger_entry")?
            .optionalText("entry_date", in: "ledger_entry")
        let everything = latest.map { $0 <= asOf.description } ?? true
        let sql = everything ? """
            SELECT account, currency, sum(amount_minor) AS balance FROM ledger_posting
            GROUP BY account, currency HAVING balance <> 0 ORDER BY account, currency
            """ : """
            SELECT p.account, p.currency, sum(p.amount_minor) AS balance
            FROM ledger_posting AS p JOIN ledger_entry AS e ON e.seq = p.entry_seq
            WHERE e.entry_date <= ?
            GROUP BY p.account, p.currency
            HAVING balance <> 0
            ORDER BY p.account, p.currency
            """
        return try Row.fetchAll(db, sql: sql, arguments: everything ? [] : [asOf.description]).map {
            AccountBalance(account: try $0.text("account", in: "ledger_posting"), currency: try $0.text("currency", in: "ledger_posting"),
                           balanceMinor: try $0.int64("balance", in: "ledger_posting"))
        }
    }

    /// The balance of one account in one currency from entries dated on or before `asOf`.
    public func balance(of account: Account, currency: Currency, asOf: CivilDate) throws -> Int64 {
        try optionalInt64("""
            SELECT coalesce(sum(p.amount_minor), 0)
            FROM ledger_posting AS p JOIN ledger_entry AS e ON e.seq = p.entry_seq
            WHERE p.account = ? AND p.currency = ? AND e.entry_date <= ?
            """, arguments: [account.name, currency.code, asOf.description], column: "amount_minor", in: "ledger_posting") ?? 0
    }
}

/// Folds the rows of the entry/posting join (ordered by seq, line) into entries.
enum EntryAssembler {
    static func assemble(_ rows: RowCursor, _ visit: (StoredEntry) throws -> Void) throws {
        var current: (sequence: Int64, header: Row, postings: [StoredEntry.StoredPosting])?
        // Columns by position (the order of `entrySelect`): a name lookup lower-cases the name
        // on every access, and `verify` reads every row of the ledger.
        let entry = "ledger_entry", posting = "ledger_posting"
        func flush() throws {
            guard let (sequence, header, postings) = current else { return }
            try visit(StoredEntry(
                sequence: sequence, date: try header.text(at: 1, "entry_date", in: entry),
                kind: try header.text(at: 2, "kind", in: entry), description: try header.text(at: 3, "description", in: entry),
                idempotencyKey: try header.text(at: 4, "idempotency_key", in: entry),
                recordedAt: try header.text(at: 5, "recorded_at", in: entry), postings: postings,
                previousHash: try header.text(at: 6, "prev_hash", in: entry), hash: try header.text(at: 7, "hash", in: entry)))
        }
        while let row = try rows.next() {
            let sequence = try row.int64(at: 0, "seq", in: entry)
            if current?.sequence != sequence {
                try flush()
                current = (sequence, row.copy(), [])
            }
            if let account = try row.optionalText(at: 8, "account", in: posting) {
                current?.postings.append(StoredEntry.StoredPosting(
                    account: account, currency: try row.text(at: 9, "currency", in: posting),
                    amountMinor: try row.int64(at: 10, "amount_minor", in: posting)))
            }
        }
        try flush()
    }
}
