import GRDB
import RevShareCore

public enum AppendOutcome: Sendable, Equatable {
    case appended(StoredEntry)
    /// The idempotency key was posted before with the same content: nothing was written.
    case alreadyPosted(StoredEntry)

    public var entry: StoredEntry {
        switch self {
        case .appended(let entry), .alreadyPosted(let entry): entry
        }
    }
}

extension WriteContext {
    /// Appends `draft` to the chain, or does nothing when its idempotency key is already
    /// posted with the same content. The same key with other content is refused.
    public func append(_ draft: EntryDraft) throws -> AppendOutcome {
        try makeLedgerAppender().append(draft)
    }

    /// An appender for many entries in this transaction; nothing else may append while it is used.
    public func makeLedgerAppender() throws -> LedgerAppender { try LedgerAppender(self) }
}

/// Appends entries inside one write transaction with its statements prepared once and the
/// chain head kept in memory: an import of many payments reads the head once, not per entry.
/// The database's triggers still check every header against the real chain head, so an entry
/// appended behind this appender's back makes the next append fail rather than fork the chain.
public final class LedgerAppender {
    private let context: WriteContext
    private var head: ChainHead?
    private let keyLookup: RawStatement
    private let posting: RawStatement
    private let header: RawStatement

    init(_ context: WriteContext) throws {
        self.context = context
        head = try context.reader.chainHead()
        keyLookup = try RawStatement(context.db, sql: "SELECT seq FROM ledger_entry WHERE idempotency_key = ?")
        posting = try RawStatement(context.db, sql: """
            INSERT INTO ledger_posting (entry_seq, line, account, currency, amount_minor)
            VALUES (?, ?, ?, ?, ?)
            """)
        header = try RawStatement(context.db, sql: """
            INSERT INTO ledger_entry (seq, entry_date, kind, description, idempotency_key, recorded_at, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Appends `draft` to the chain, or does nothing when its idempotency key is already
    /// posted with the same content. The same key with other content is refused.
    public func append(_ draft: EntryDraft) throws -> AppendOutcome {
        keyLookup.bind(1, text: draft.idempotencyKey)
        // Keys are almost always new: the whole entry is read only when the key is taken.
        if try keyLookup.firstInt64() != nil, let existing = try context.reader.entry(idempotencyKey: draft.idempotencyKey) {
            guard existing.records(draft) else {
                throw Refusal(.invalidInput, "ledger: idempotency key \"\(draft.idempotencyKey)\" was posted before (entry \(existing.sequence)) with other content; nothing was written")
            }
            return .alreadyPosted(existing)
        }
        let entry = draft.sealed(sequence: (head?.sequence ?? 0) + 1, recordedAt: context.recordedAt,
                                 previousHash: head?.hash ?? EntryHash.genesis)
        try insert(entry)
        head = ChainHead(sequence: entry.sequence, hash: entry.hash)
        return .appended(entry)
    }

    private func insert(_ entry: StoredEntry) throws {
        for (index, line) in entry.postings.enumerated() {
            posting.bind(1, entry.sequence)
            posting.bind(2, Int64(index + 1))
            posting.bind(3, text: line.account)
            posting.bind(4, text: line.currency)
            posting.bind(5, line.amountMinor)
            try posting.execute()
        }
        // The header goes last: its triggers check the postings and seal them.
        header.bind(1, entry.sequence)
        header.bind(2, text: entry.date)
        header.bind(3, text: entry.kind)
        header.bind(4, text: entry.description)
        header.bind(5, text: entry.idempotencyKey)
        header.bind(6, text: entry.recordedAt)
        header.bind(7, text: entry.previousHash)
        header.bind(8, text: entry.hash)
        try header.execute()
    }
}
