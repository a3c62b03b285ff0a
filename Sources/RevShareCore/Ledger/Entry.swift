/// Why an entry exists; each kind is posted by exactly one part of revshare (SPEC §5).
public enum EntryKind: String, Sendable, CaseIterable, Codable {
    case share
    case minimumTrueUp = "minimum_true_up"
    case adjustment
    case payment
}

public struct Posting: Hashable, Sendable {
    public var account: Account
    public var currency: Currency
    /// Debit positive, credit negative; never zero.
    public var amountMinor: Int64

    public init(account: Account, currency: Currency, amountMinor: Int64) {
        self.account = account
        self.currency = currency
        self.amountMinor = amountMinor
    }
}

/// An entry as the caller asks for it: validated, balanced, not yet on the chain.
public struct EntryDraft: Hashable, Sendable {
    public static let maximumPostings = 1000
    public static let maximumDescriptionLength = 1000
    /// Room for a 200-byte payment id behind its `payment:` prefix.
    public static let maximumKeyLength = 256

    public let date: CivilDate
    public let kind: EntryKind
    public let description: String
    public let idempotencyKey: String
    public let postings: [Posting]

    public enum Invalid: Error, Equatable, Sendable {
        case tooFewPostings(Int)
        case tooManyPostings(Int)
        case zeroPosting(account: String)
        case unbalanced(currency: String, sumMinor: String)
        case emptyIdempotencyKey
        case idempotencyKeyTooLong(Int)
        case descriptionTooLong(Int)
    }

    public init(date: CivilDate, kind: EntryKind, description: String, idempotencyKey: String,
                postings: [Posting]) throws(Invalid) {
        self.date = date
        self.kind = kind
        self.description = description
        self.idempotencyKey = idempotencyKey
        self.postings = postings
        try validate()
    }

    private func validate() throws(Invalid) {
        guard postings.count >= 2 else { throw .tooFewPostings(postings.count) }
        guard postings.count <= Self.maximumPostings else { throw .tooManyPostings(postings.count) }
        guard !idempotencyKey.isEmpty else { throw .emptyIdempotencyKey }
        guard idempotencyKey.utf8.count <= Self.maximumKeyLength else {
            throw .idempotencyKeyTooLong(idempotencyKey.utf8.count)
        }
        guard description.utf8.count <= Self.maximumDescriptionLength else {
            throw .descriptionTooLong(description.utf8.count)
        }
        if let zero = postings.first(where: { $0.amountMinor == 0 }) {
            throw .zeroPosting(account: zero.account.name)
        }
        for (currency, sum) in Self.sums(postings) where sum != 0 {
            throw .unbalanced(currency: currency.code, sumMinor: String(sum))
        }
    }

    /// Per-currency sums in Int128, so no sum of Int64 postings can wrap.
    static func sums(_ postings: [Posting]) -> [(Currency, Int128)] {
        var sums: [Currency: Int128] = [:]
        for posting in postings { sums[posting.currency, default: 0] += Int128(posting.amountMinor) }
        return sums.sorted { $0.key.code < $1.key.code }
    }
}

extension EntryDraft.Invalid: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tooFewPostings(let count): "an entry needs at least 2 postings, got \(count)"
        case .tooManyPostings(let count): "an entry has at most \(EntryDraft.maximumPostings) postings, got \(count)"
        case .zeroPosting(let account): "posting to \(account) has amount zero"
        case .unbalanced(let currency, let sum): "postings in \(currency) sum to \(sum) minor units, not zero"
        case .emptyIdempotencyKey: "the idempotency key is empty"
        case .idempotencyKeyTooLong(let length): "the idempotency key has \(length) bytes (at most \(EntryDraft.maximumKeyLength))"
        case .descriptionTooLong(let length): "the description has \(length) bytes (at most \(EntryDraft.maximumDescriptionLength))"
        }
    }
}

/// An entry as stored, field by field as the database holds it. Stored fields are kept as
/// text, not re-validated, so that `verify` can read and hash a row that was tampered with.
public struct StoredEntry: Hashable, Sendable {
    public struct StoredPosting: Hashable, Sendable {
        public let account: String
        public let currency: String
        public let amountMinor: Int64

        public init(account: String, currency: String, amountMinor: Int64) {
            self.account = account
            self.currency = currency
            self.amountMinor = amountMinor
        }
    }

    public let sequence: Int64
    public let date: String
    public let kind: String
    public let description: String
    public let idempotencyKey: String
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`, set by the writer.
    public let recordedAt: String
    public let postings: [StoredPosting]
    public let previousHash: String
    /// Set once, by `EntryDraft.sealed`, from the other fields.
    public fileprivate(set) var hash: String

    public init(sequence: Int64, date: String, kind: String, description: String, idempotencyKey: String,
                recordedAt: String, postings: [StoredPosting], previousHash: String, hash: String) {
        self.sequence = sequence
        self.date = date
        self.kind = kind
        self.description = description
        self.idempotencyKey = idempotencyKey
        self.recordedAt = recordedAt
        self.postings = postings
        self.previousHash = previousHash
        self.hash = hash
    }

    /// The hash this entry's content and `previousHash` call for (EntryHash encoding v1).
    public var computedHash: String { EntryHash.sha256Hex(EntryHash.canonicalBytes(self)) }

    /// Whether this stored entry says exactly what `draft` asks for: byte for byte, as the hash
    /// reads it (a description in another Unicode normal form is other content).
    public func records(_ draft: EntryDraft) -> Bool {
        date == draft.date.description && kind == draft.kind.rawValue && description.isByteIdentical(to: draft.description)
            && idempotencyKey.isByteIdentical(to: draft.idempotencyKey)
            && postings == draft.postings.map(StoredPosting.init)
    }
}

extension StoredEntry.StoredPosting {
    init(_ posting: Posting) {
        self.init(account: posting.account.name, currency: posting.currency.code, amountMinor: posting.amountMinor)
    }
}

extension EntryDraft {
    /// The draft placed on the chain after the entry whose hash is `previousHash`.
    public func sealed(sequence: Int64, recordedAt: String, previousHash: String) -> StoredEntry {
        var entry = StoredEntry(
            sequence: sequence, date: date.description, kind: kind.rawValue, description: description,
            idempotencyKey: idempotencyKey, recordedAt: recordedAt,
            postings: postings.map(StoredEntry.StoredPosting.init), previousHash: previousHash, hash: "")
        entry.hash = entry.computedHash
        return entry
    }
}
