import GRDB
import RevShareCore

/// A payment as received, with the day it was posted to the ledger (SPEC §3.3).
public struct PaymentRecord: Sendable, Equatable {
    public let paymentID: String
    public let partnerID: String
    public let receivedOn: CivilDate
    public let postedOn: CivilDate
    public let amountMinor: Int64
    public let currency: Currency
    public let reference: Period?
    /// Where it came from, for the audit trail.
    public let fileName: String
    public let line: Int64

    public init(paymentID: String, partnerID: String, receivedOn: CivilDate, postedOn: CivilDate, amountMinor: Int64,
                currency: Currency, reference: Period?, fileName: String, line: Int64) {
        self.paymentID = paymentID
        self.partnerID = partnerID
        self.receivedOn = receivedOn
        self.postedOn = postedOn
        self.amountMinor = amountMinor
        self.currency = currency
        self.reference = reference
        self.fileName = fileName
        self.line = line
    }

    /// Whether `other` states the same payment: the fields a payments file carries, ids byte for byte.
    public func sameFields(as other: PaymentRecord) -> Bool {
        paymentID.isByteIdentical(to: other.paymentID) && partnerID.isByteIdentical(to: other.partnerID) && receivedOn == other.receivedOn
            && amountMinor == other.amountMinor && currency == other.currency && reference == other.reference
    }
}

extension ReadContext {
    public func payment(id: String) throws -> PaymentRecord? {
        try Row.fetchOne(db, sql: Self.paymentSelect + " WHERE p.payment_id = ?", arguments: [id]).map { try PaymentRecord(row: $0) }
    }

    /// A partner's payments in (received_on, payment_id) order.
    public func payments(partnerID: String) throws -> [PaymentRecord] {
        try Row.fetchAll(db, sql: Self.paymentSelect + " WHERE p.partner_id = ? ORDER BY p.received_on, p.payment_id",
                         arguments: [partnerID]).map { try PaymentRecord(row: $0) }
    }

    /// One partner's payments posted in `dates`, in (received_on, payment_id) order.
    public func payments(partnerID: String, postedIn dates: ClosedRange<CivilDate>) throws -> [PaymentRecord] {
        try Row.fetchAll(db, sql: Self.paymentSelect + """
             WHERE p.partner_id = ? AND p.posted_on BETWEEN ? AND ? ORDER BY p.received_on, p.payment_id
            """, arguments: [partnerID, dates.lowerBound.description, dates.upperBound.description])
            .map { try PaymentRecord(row: $0) }
    }

    /// Payments posted in `dates`, of every partner, in (received_on, payment_id) order.
    public func payments(postedIn dates: ClosedRange<CivilDate>) throws -> [PaymentRecord] {
        try Row.fetchAll(db, sql: Self.paymentSelect + " WHERE p.posted_on BETWEEN ? AND ? ORDER BY p.received_on, p.payment_id",
                         arguments: [dates.lowerBound.description, dates.upperBound.description]).map { try PaymentRecord(row: $0) }
    }

    static let paymentSelect = """
        SELECT p.*, f.file_name FROM payment AS p JOIN import_file AS f ON f.id = p.import_file_id
        """
}

extension PaymentRecord {
    init(row: Row) throws {
        paymentID = try row.text("payment_id", in: "payment")
        partnerID = try row.text("partner_id", in: "payment")
        receivedOn = try row.date("received_on", in: "payment")
        postedOn = try row.date("posted_on", in: "payment")
        amountMinor = try row.int64("amount_minor", in: "payment")
        currency = try row.currency("currency", in: "payment")
        reference = try row.optionalPeriod("reference", in: "payment")
        fileName = try row.text("file_name", in: "import_file")
        line = try row.int64("line", in: "payment")
    }
}

extension WriteContext {
    /// Writes each payment and appends the ledger entry that posts it (`entry(payment)`), with
    /// statements prepared once for the whole file.
    public func insert(_ payments: some Sequence<PaymentRecord>, importFileID: Int64,
                       entry: (PaymentRecord) throws -> EntryDraft) throws {
        let ledger = try makeLedgerAppender()
        let insert = try RawStatement(db, sql: """
            INSERT INTO payment (payment_id, partner_id, received_on, posted_on, amount_minor, currency, reference,
                                 import_file_id, line, entry_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for payment in payments {
            let draft = try entry(payment)
            precondition(draft.idempotencyKey == LedgerKey.payment(id: payment.paymentID).description,
                         "a payment is posted under its own key")
            let posted = try ledger.append(draft).entry
            insert.bind(1, text: payment.paymentID)
            insert.bind(2, text: payment.partnerID)
            insert.bind(3, text: payment.receivedOn.description)
            insert.bind(4, text: payment.postedOn.description)
            insert.bind(5, payment.amountMinor)
            insert.bind(6, text: payment.currency.code)
            insert.bind(7, text: payment.reference?.description)
            insert.bind(8, importFileID)
            insert.bind(9, payment.line)
            insert.bind(10, posted.sequence)
            try insert.execute()
        }
    }

    /// Finds earlier payments by id for an import's every row: the statement is prepared once,
    /// and a payment is read in full only when its id is taken.
    public func makePaymentLookup() throws -> PaymentLookup { try PaymentLookup(self) }
}

public final class PaymentLookup {
    private let reader: ReadContext
    private let exists: RawStatement

    init(_ context: WriteContext) throws {
        reader = context.reader
        exists = try RawStatement(context.db, sql: "SELECT 1 FROM payment WHERE payment_id = ?")
    }

    public func payment(id: String) throws -> PaymentRecord? {
        exists.bind(1, text: id)
        guard try exists.firstInt64() != nil else { return nil }
        return try reader.payment(id: id)
    }
}
