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
            ChainHead(sequence: $0["seq"], hash: $0["hash"])
        }
    }

    public func entryCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_entry") ?? 0
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
        let latest = try String.fetchOne(db, sql: "SELECT max(entry_date) FROM ledger_entry")
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
            AccountBalance(account: $0["account"], currency: $0["currency"], balanceMinor: $0["balance"])
        }
    }

    /// The balance of one account in one currency from entries dated on or before `asOf`.
    public func balance(of account: Account, currency: Currency, asOf: CivilDate) throws -> Int64 {
        try Int64.fetchOne(db, sql: """
            SELECT coalesce(sum(p.amount_minor), 0)
            FROM ledger_posting AS p JOIN ledger_entry AS e ON e.seq = p.entry_seq
            WHERE p.account = ? AND p.currency = ? AND e.entry_date <= ?
            """, arguments: [account.name, currency.code, asOf.description]) ?? 0
    }
}

/// Folds the rows of the entry/posting join (ordered by seq, line) into entries.
enum EntryAssembler {
    static func assemble(_ rows: RowCursor, _ visit: (StoredEntry) throws -> Void) throws {
        var current: (header: Row, postings: [StoredEntry.StoredPosting])?
        // Columns by position (the order of `entrySelect`): a name lookup lower-cases the name
        // on every access, and `verify` reads every row of the ledger.
        func flush() throws {
            guard let (header, postings) = current else { return }
            try visit(StoredEntry(
                sequence: header[0], date: header[1], kind: header[2], description: header[3],
                idempotencyKey: header[4], recordedAt: header[5], postings: postings,
                previousHash: header[6], hash: header[7]))
        }
        while let row = try rows.next() {
            let sequence: Int64 = row[0]
            if current.map({ ($0.header[0] as Int64) != sequence }) ?? true {
                try flush()
                current = (row.copy(), [])
            }
            if let account: String = row[8] {
                current!.postings.append(StoredEntry.StoredPosting(account: account, currency: row[9], amountMinor: row[10]))
            }
        }
        try flush()
    }
}
