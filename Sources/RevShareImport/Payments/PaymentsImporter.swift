import RevShareCore
import RevShareDomain
import RevShareStore

/// `revshare import payments FILE` (SPEC §3.3).
public enum PaymentsImporter {
    public static func run(_ file: InputFile, store: Store, progress: ((Int) -> Void)? = nil) throws -> ImportSummary {
        try CSVImportRunner.run(file, store: store, progress: progress) { context in
            try PaymentsBatch(partners: try context.reader.partners(), context: context)
        }
    }
}

/// Payments are few per file: they are staged, checked against each other and the database,
/// and posted at the end, each with its ledger entry.
struct PaymentsBatch: ImportBatch {
    static let kind = ImportKind.payments
    static let columns = CSVImportSession.Columns(
        required: ["payment_id", "partner", "received_on", "amount", "currency"], optional: ["reference"])
    static let maximumPayments = 1_000_000
    static let maximumIDBytes = 200
    static let mostMinorDigits = 4

    private var resolver: PartnerResolver
    private let context: WriteContext
    private let earlierPayments: PaymentLookup
    private var staged: [PaymentRecord] = []
    /// Byte for byte, as the payment table's key: canonically equivalent ids are two payments.
    private var lineOfID: [ExactText: Int] = [:]
    private(set) var rowCount: Int64 = 0
    private var skipped = 0

    init(partners: [Partner], context: WriteContext) throws {
        resolver = PartnerResolver(partners)
        self.context = context
        earlierPayments = try context.makePaymentLookup()
    }

    mutating func add(_ session: CSVImportSession) throws {
        rowCount += 1
        let paymentID = parsePaymentID(session)
        let partner = resolver.resolve(session).map { resolver.partners[$0] }
        let receivedOn = session.parse("received_on", FieldRules.date)
        // Without a known partner the currency is unknown: check against the most minor digits
        // any currency has, so that a malformed amount is still reported.
        let amount = session.parse("amount") {
            FieldRules.decimal($0, scale: partner?.currency.minorDigits ?? Self.mostMinorDigits, positive: true)
        }
        let currencyOK = partner.map { checkCurrency(session, $0) } ?? false
        let reference = parseReference(session)
        guard let paymentID, let partner, let receivedOn, let amount, currencyOK, let reference else { return }
        let payment = PaymentRecord(paymentID: paymentID, partnerID: partner.id, receivedOn: receivedOn, postedOn: receivedOn,
                                    amountMinor: amount, currency: partner.currency, reference: reference,
                                    fileName: session.file.displayName, line: Int64(session.line))
        if let earlier = try earlierPayments.payment(id: paymentID) {
            if earlier.sameFields(as: payment) {
                skipped += 1
            } else {
                session.error(column: "payment_id", "\"\(paymentID)\" was imported before (\(earlier.fileName):\(earlier.line)) with other fields; a payment cannot change: import a new payment_id instead")
            }
            return
        }
        guard staged.count < Self.maximumPayments else {
            session.error(column: "payment_id", "more than \(Self.maximumPayments) payments in one file; split the file")
            return
        }
        staged.append(payment)
    }

    private mutating func parsePaymentID(_ session: CSVImportSession) -> String? {
        guard session.parse("payment_id", { bytes in
            bytes.count > Self.maximumIDBytes
                ? .failure(FieldProblem("is \(bytes.count) bytes long; a payment id has at most \(Self.maximumIDBytes) bytes"))
                : FieldRules.text(bytes, required: true, maximumCharacters: Self.maximumIDBytes, lineBreaks: false)
        }) != nil else { return nil }
        let id = session.withField("payment_id") { String(decoding: $0, as: UTF8.self) }
        if let earlier = lineOfID[ExactText(id)] {
            session.error(column: "payment_id", "duplicate of line \(earlier)")
            return nil
        }
        lineOfID[ExactText(id)] = session.line
        return id
    }

    private func checkCurrency(_ session: CSVImportSession, _ partner: Partner) -> Bool {
        session.withField("currency") { bytes in
            if bytes.elementsEqual(partner.currency.code.utf8) { return true }
            let problem = bytes.isEmpty ? "is empty; the partner's currency \(partner.currency.code) is required"
                : "\(FieldRules.quoted(bytes)) does not match partner \(partner.id)'s currency \(partner.currency.code)"
            session.error(column: "currency", problem)
            return false
        }
    }

    /// An absent or empty cell means no reference; the outer optional is nil on error.
    private func parseReference(_ session: CSVImportSession) -> Period?? {
        guard let index = session.index("reference"), !session.record.isEmpty(index) else { return .some(nil) }
        guard let period = session.parse("reference", FieldRules.period) else { return nil }
        return .some(period)
    }

    /// Every account a payment posts to must keep a balance that fits Int64: the receivable
    /// of its partner and the bank account of its currency. Refused here, an overflow can never
    /// make the append-only ledger unreadable later.
    func validateWholeFile(_ session: CSVImportSession, restate: Bool) throws {
        var byPartner: [String: Int128] = [:]
        for (partnerID, total) in try context.reader.paymentTotals() { byPartner[partnerID] = Int128(total) }
        for payment in staged { byPartner[payment.partnerID, default: 0] += Int128(payment.amountMinor) }
        var byCurrency: [String: Int128] = [:]
        for partner in resolver.partners {
            guard let total = byPartner[partner.id] else { continue }
            if total > Int128(Int64.max) {
                session.fileError(column: "amount", "payments of partner \(partner.id) would total \(total) minor units of \(partner.currency.code), more than a ledger balance can hold (\(Int64.max)); nothing was imported")
            }
            byCurrency[partner.currency.code, default: 0] += total
        }
        for (currency, total) in byCurrency.sorted(by: { $0.key < $1.key }) where total > Int128(Int64.max) {
            session.fileError(column: "amount", "payments in \(currency) would total \(total) minor units across partners, more than the bank account's balance can hold (\(Int64.max)); nothing was imported")
        }
    }

    /// Posts each new payment as the payment-posting rule says.
    func commit(importFileID: Int64) throws -> ImportSummary.Details {
        let latestClosed = try context.reader.latestClosedPeriod()
        let posted = staged.lazy.map { payment in
            PaymentRecord(
                paymentID: payment.paymentID, partnerID: payment.partnerID, receivedOn: payment.receivedOn,
                postedOn: PaymentPosting.postingDate(receivedOn: payment.receivedOn, latestClosed: latestClosed),
                amountMinor: payment.amountMinor, currency: payment.currency,
                reference: payment.reference, fileName: payment.fileName, line: payment.line)
        }
        try context.insert(posted, importFileID: importFileID, entry: PaymentPosting.entry(for:))
        return ImportSummary.Details(newRecords: staged.count, skippedRecords: skipped)
    }
}
