import RevShareCore
import RevShareStore

/// `revshare verify` (SPEC §5): the hash chain and ledger invariants, then the ledger held
/// against what explains it — statements, payments and reports — so that a row changed behind
/// the tool's back anywhere is named.
public enum IntegrityCheck {
    public static func run(store: Store) throws -> VerificationReport {
        try store.read("verify the database") { try run($0) }
    }

    public static func run(_ reader: ReadContext) throws -> VerificationReport {
        let ledger = try reader.verify()
        var problems = ProblemList()
        let charges = try ChargeIndex(reader.chargeEntries())
        var statementIDs = Set<String>()
        var charged: [String: CheckedSum] = [:]
        try reader.forEachIssuedStatement { statement in
            try check(statement, against: charges, reader, &problems)
            statementIDs.insert(statement.statementID)
            charged[statement.partnerID, default: CheckedSum()].add(statement.chargesMinor)
        }
        check(charges, explainedBy: statementIDs, &problems)
        for mismatch in try reader.paymentMismatches() + reader.reportTotalMismatches() {
            problems.add(mismatch.subject, mismatch.message)
        }
        try checkReceivables(charged: charged, reader, &problems)
        return ledger.adding(problems)
    }

    private static func check(_ issued: IssuedStatement, against charges: ChargeIndex, _ reader: ReadContext,
                              _ problems: inout ProblemList) throws {
        let subject = "statement \(issued.statementID)"
        if EntryHash.sha256Hex(Array(issued.document.utf8)) != issued.documentSHA256 {
            problems.add(subject, "its document does not match the SHA-256 recorded when it was issued")
        }
        if let document = try? StatementDocument.parse(issued.document) {
            do {
                try StatementRecomputation.check(issued, document: document, reader, &problems)
            } catch let unreadable as UnreadableRow {
                // A row its recomputation reads was changed into something unreadable: a finding, not a stop.
                problems.add(subject, "cannot be recomputed: \(unreadable.description)")
            }
            for (field, stored, inDocument) in [
                ("opening_balance", issued.openingBalanceMinor, document.openingBalanceMinor),
                ("share", issued.shareMinor, document.shareMinor),
                ("minimum_true_up", issued.minimumTrueUpMinor, document.minimumTrueUpMinor),
                ("adjustments", issued.adjustmentsMinor, document.adjustmentsMinor),
                ("charges", issued.chargesMinor, document.chargesMinor),
                ("payments", issued.paymentsMinor, document.paymentsMinor),
                ("closing_balance", issued.closingBalanceMinor, document.closingBalanceMinor),
            ] where stored != inDocument {
                problems.add(subject, "stored \(field) \(stored) differs from its issued document (\(inDocument)) (minor units)")
            }
        } else {
            problems.add(subject, "its document cannot be read back")
        }
        let partner = issued.partnerID, period = issued.period
        let postedAmounts: [(String, Int64, Int64?)] = [
            ("share", issued.shareMinor, charges.amount(.share(partner: partner, period: period))),
            ("minimum_true_up", issued.minimumTrueUpMinor, charges.amount(.minimumTrueUp(partner: partner, period: period))),
            ("adjustments", issued.adjustmentsMinor, charges.adjustments(partner: partner, postedIn: period)),
        ]
        for (field, stored, posted) in postedAmounts where stored != posted {
            let ledger = posted.map { "the ledger's \($0)" } ?? "the ledger's sum, which does not fit 64 bits"
            problems.add(subject, "\(field) \(stored) differs from \(ledger) (minor units)")
        }
        guard let currency = Currency(code: issued.currency) else {
            problems.add(subject, "unknown currency \(issued.currency)")
            return
        }
        let receivable = Account.receivable(partner)
        let opening = try period.previous.map { try reader.balance(of: receivable, currency: currency, asOf: $0.lastDay) } ?? 0
        let closing = try reader.balance(of: receivable, currency: currency, asOf: period.lastDay)
        if opening != issued.openingBalanceMinor {
            problems.add(subject, "opening balance \(issued.openingBalanceMinor) differs from the ledger's \(opening) (minor units)")
        }
        if closing != issued.closingBalanceMinor {
            problems.add(subject, "closing balance \(issued.closingBalanceMinor) differs from the ledger's receivable \(closing) on \(period.lastDay) (minor units)")
        }
    }

    private static func check(_ charges: ChargeIndex, explainedBy statementIDs: Set<String>,
                              _ problems: inout ProblemList) {
        for entry in charges.entries where !statementIDs.contains(ChargeIndex.statementID(forKey: entry.key) ?? "") {
            problems.add("entry \(entry.sequence)", "a \(entry.kind) entry (key \(entry.key)) that no issued statement explains")
        }
    }

    /// receivable = charges − payments, per partner (SPEC §5).
    private static func checkReceivables(charged: [String: CheckedSum], _ reader: ReadContext,
                                         _ problems: inout ProblemList) throws {
        let payments = try reader.paymentTotals()
        for partner in try reader.partners() {
            let balance = try reader.balance(of: .receivable(partner.id), currency: partner.currency, asOf: .endOfTime)
            var expectedSum = charged[partner.id, default: CheckedSum()]
            expectedSum.subtract(payments[partner.id, default: 0])
            guard let expected = expectedSum.total else {
                problems.add("account assets:receivable:\(partner.id)", "statement charges − payments do not fit 64 bits")
                continue
            }
            if balance != expected {
                problems.add("account assets:receivable:\(partner.id)", "balance \(balance) differs from statement charges − payments = \(expected) (minor units)")
            }
        }
    }
}

/// Charge entries by idempotency key (`share:P:YYYY-MM`, `minimum-true-up:…`,
/// `adjustment:P:Q:in:YYYY-MM`) with the amount each posted to the receivable.
struct ChargeIndex {
    let entries: [(sequence: Int64, key: String, kind: String, receivableMinor: Int64)]
    private let byKey: [String: Int64]

    init(_ entries: [(sequence: Int64, key: String, kind: String, receivableMinor: Int64)]) {
        self.entries = entries
        // Idempotency keys are unique in the ledger, so no two entries share one.
        byKey = Dictionary(entries.map { ($0.key, $0.receivableMinor) }, uniquingKeysWith: { first, _ in first })
    }

    func amount(_ key: LedgerKey) -> Int64 { byKey[key.description] ?? 0 }

    /// The adjustments posted to the receivable in `period`; nil when their sum does not fit 64 bits.
    func adjustments(partner: String, postedIn period: Period) -> Int64? {
        CheckedSum.of(entries.filter { entry in
            guard case .adjustment(partner, _, period) = LedgerKey(entry.key) else { return false }
            return true
        }.map(\.receivableMinor))
    }

    /// The statement a charge key belongs to: the partner's statement of the period it was posted in.
    static func statementID(forKey key: String) -> String? {
        switch LedgerKey(key) {
        case .share(let partner, let period), .minimumTrueUp(let partner, let period),
             .adjustment(let partner, _, let period):
            StatementID(partner: partner, period: period).description
        case .payment, nil:
            nil
        }
    }
}

extension CivilDate {
    /// The last day revshare can represent: balances "as of forever".
    static let endOfTime = CivilDate(year: 9999, month: 12, day: 31)!
}
