import GRDB
import RevShareCore

/// One thing `verify` found wrong, naming the entry or row.
public struct IntegrityProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong: `entry 12`, `posting 12/3`, `currency USD`, …
    public let subject: String
    public let message: String

    public var description: String { "\(subject): \(message)" }
}

public struct VerificationReport: Sendable, Equatable {
    public static let maximumProblems = 1000
    public let entriesChecked: Int
    public let head: ChainHead?
    /// The input chain: the links checked and its newest link.
    public let inputs: InputVerification
    /// At most `maximumProblems`; `problemCount` counts them all.
    public let problems: [IntegrityProblem]
    public let problemCount: Int
    public var passed: Bool { problemCount == 0 }

    /// This report with more problems found by checks outside the ledger tables.
    public func adding(_ more: ProblemList) -> VerificationReport {
        var all = ProblemList()
        for problem in problems { all.add(problem.subject, problem.message) }
        for problem in more.listed { all.add(problem.subject, problem.message) }
        return VerificationReport(entriesChecked: entriesChecked, head: head, inputs: inputs, problems: all.listed,
                                  problemCount: problemCount + more.count)
    }
}

extension ReadContext {
    /// Recomputes the hash chain and every ledger invariant (SPEC §5), in one pass over the
    /// entries plus a few aggregate queries, then the input chain and every input it seals.
    public func verify() throws -> VerificationReport {
        var problems = ProblemList()
        var previous: StoredEntry?
        var checked = 0
        try forEachEntry { entry in
            checked += 1
            Self.checkChain(entry, after: previous, into: &problems)
            Self.checkBalance(entry, into: &problems)
            previous = entry
        }
        try checkOrphanPostings(into: &problems)
        try checkTrialBalance(into: &problems)
        let inputs = try verifyInputs(into: &problems)
        let head = previous.map { ChainHead(sequence: $0.sequence, hash: $0.hash) }
        return VerificationReport(entriesChecked: checked, head: head, inputs: inputs, problems: problems.listed,
                                  problemCount: problems.count)
    }

    private static func checkChain(_ entry: StoredEntry, after previous: StoredEntry?, into problems: inout ProblemList) {
        let subject = "entry \(entry.sequence)"
        ChainStep(entry).check(after: previous.map(ChainStep.init), chain: .ledger, subject: subject, into: &problems)
        let computed = entry.computedHash
        if entry.hash != computed {
            problems.add(subject, "stored hash \(entry.hash.prefix(12))… does not match its content (computed \(computed.prefix(12))…): the entry or its postings were changed")
        }
    }

    private static func checkBalance(_ entry: StoredEntry, into problems: inout ProblemList) {
        let subject = "entry \(entry.sequence)"
        if entry.postings.count < 2 {
            problems.add(subject, "has \(entry.postings.count) posting(s); an entry needs at least 2")
        }
        var sums: [String: Int128] = [:]
        for posting in entry.postings { sums[posting.currency, default: 0] += Int128(posting.amountMinor) }
        for (currency, sum) in sums.sorted(by: { $0.key < $1.key }) where sum != 0 {
            problems.add(subject, "postings in \(currency) sum to \(sum) minor units, not zero")
        }
    }

    private func checkOrphanPostings(into problems: inout ProblemList) throws {
        let orphans = try Row.fetchAll(db, sql: """
            SELECT p.entry_seq, p.line FROM ledger_posting AS p
            LEFT JOIN ledger_entry AS e ON e.seq = p.entry_seq WHERE e.seq IS NULL
            ORDER BY p.entry_seq, p.line LIMIT \(VerificationReport.maximumProblems)
            """)
        for row in orphans {
            problems.add("posting \(try row.int64("entry_seq", in: "ledger_posting"))/\(try row.int64("line", in: "ledger_posting"))", "belongs to no entry")
        }
    }

    private func checkTrialBalance(into problems: inout ProblemList) throws {
        let totals = try Row.fetchAll(db, sql: """
            SELECT currency, sum(amount_minor) AS total FROM ledger_posting
            GROUP BY currency HAVING total <> 0 ORDER BY currency
            """)
        for row in totals {
            problems.add("currency \(try row.text("currency", in: "ledger_posting"))", "trial balance is \(try row.int64("total", in: "ledger_posting")) minor units, not zero")
        }
    }
}

/// A record's place on a hash chain, held to the rules both of revshare's chains keep: no gap in
/// the sequence, each `prev_hash` the hash of the record before it, and time never going back
/// (records are stamped under the write lock; the fixed-width UTC form orders as text).
struct ChainStep {
    enum Chain {
        case ledger, inputs

        var names: (chain: String, record: String, records: String) {
            switch self {
            case .ledger: ("chain", "entry", "entries")
            case .inputs: ("input chain", "link", "links")
            }
        }
    }

    let sequence: Int64
    let previousHash: String
    let recordedAt: String
    let hash: String

    init(sequence: Int64, previousHash: String, recordedAt: String, hash: String) {
        self.sequence = sequence
        self.previousHash = previousHash
        self.recordedAt = recordedAt
        self.hash = hash
    }

    init(_ entry: StoredEntry) {
        self.init(sequence: entry.sequence, previousHash: entry.previousHash, recordedAt: entry.recordedAt, hash: entry.hash)
    }

    func check(after previous: ChainStep?, chain: Chain, subject: String, into problems: inout ProblemList) {
        let names = chain.names
        let expectedSequence = (previous?.sequence ?? 0) + 1
        if sequence != expectedSequence {
            problems.add(subject, "\(names.chain) sequence jumps from \(expectedSequence - 1) to \(sequence): \(names.records) are missing")
        }
        let expectedPrevious = previous?.hash ?? EntryHash.genesis
        if previousHash != expectedPrevious {
            problems.add(subject, "prev_hash \(previousHash.prefix(12))… does not match the hash of the \(names.record) before it (\(expectedPrevious.prefix(12))…)")
        }
        if let previous, recordedAt < previous.recordedAt {
            problems.add(subject, "recorded_at \(recordedAt) is earlier than \(names.record) \(previous.sequence)'s \(previous.recordedAt): timestamps go backwards along the chain")
        }
    }
}

public struct ProblemList: Sendable {
    public private(set) var listed: [IntegrityProblem] = []
    public private(set) var count = 0

    public init() {}

    public mutating func add(_ subject: String, _ message: String) {
        count += 1
        if listed.count < VerificationReport.maximumProblems {
            listed.append(IntegrityProblem(subject: subject, message: message))
        }
    }
}
