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
        if let existing = try reader.entry(idempotencyKey: draft.idempotencyKey) {
            guard existing.records(draft) else {
                throw Refusal(.invalidInput, "ledger: idempotency key \"\(draft.idempotencyKey)\" was posted before (entry \(existing.sequence)) with other content; nothing was written")
            }
            return .alreadyPosted(existing)
        }
        let head = try reader.chainHead()
        let entry = draft.sealed(sequence: (head?.sequence ?? 0) + 1, recordedAt: recordedAt,
                                 previousHash: head?.hash ?? EntryHash.genesis)
        try insert(entry)
        return .appended(entry)
    }

    private func insert(_ entry: StoredEntry) throws {
        let posting = try db.cachedStatement(sql: """
            INSERT INTO ledger_posting (entry_seq, line, account, currency, amount_minor)
            VALUES (?, ?, ?, ?, ?)
            """)
        for (index, line) in entry.postings.enumerated() {
            try posting.execute(arguments: [entry.sequence, index + 1, line.account, line.currency, line.amountMinor])
        }
        // The header goes last: its triggers check the postings and seal them.
        try db.cachedStatement(sql: """
            INSERT INTO ledger_entry (seq, entry_date, kind, description, idempotency_key, recorded_at, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [
                entry.sequence, entry.date, entry.kind, entry.description, entry.idempotencyKey,
                entry.recordedAt, entry.previousHash, entry.hash,
            ])
    }
}
