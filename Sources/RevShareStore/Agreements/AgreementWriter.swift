import GRDB
import RevShareCore

/// What turns one set of partners and agreements into another, by id. Pure: computed from two
/// values, so the loader can judge a change before anything is written.
public struct AgreementSetDiff: Sendable, Equatable {
    /// Partner ids, sorted.
    public let addedPartners: [String]
    /// Partners whose own fields (name, currency, payment terms) differ; sorted.
    public let changedPartners: [String]
    public let removedPartners: [String]
    /// Agreement ids, sorted by UTF-8 bytes. Ids match byte for byte, as the table's key does (an
    /// id is free text). An agreement that moved to another partner counts as changed.
    public let addedAgreements: [String]
    public let changedAgreements: [String]
    public let removedAgreements: [String]

    public init(from current: [Partner], to desired: [Partner]) {
        let old = Dictionary(current.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(desired.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        addedPartners = new.keys.filter { old[$0] == nil }.sorted()
        removedPartners = old.keys.filter { new[$0] == nil }.sorted()
        changedPartners = new.compactMap { id, partner in
            guard let before = old[id] else { return nil }
            let same = before.name.isByteIdentical(to: partner.name) && before.currency == partner.currency
                && before.paymentTermsDays == partner.paymentTermsDays
            return same ? nil : id
        }.sorted()

        let oldAgreements = Self.agreementsByID(current)
        let newAgreements = Self.agreementsByID(desired)
        addedAgreements = newAgreements.keys.filter { oldAgreements[$0] == nil }.sorted().map(\.string)
        removedAgreements = oldAgreements.keys.filter { newAgreements[$0] == nil }.sorted().map(\.string)
        changedAgreements = newAgreements.compactMap { id, agreement -> ExactText? in
            guard let before = oldAgreements[id], before != agreement else { return nil }
            return id
        }.sorted().map(\.string)
    }

    /// Every agreement of `partners` by id, byte for byte; where an id repeats, the first.
    public static func agreementsByID(_ partners: [Partner]) -> [ExactText: Agreement] {
        Dictionary(partners.flatMap(\.agreements).map { (ExactText($0.id), $0) }, uniquingKeysWith: { first, _ in first })
    }

    public var isEmpty: Bool {
        addedPartners.isEmpty && changedPartners.isEmpty && removedPartners.isEmpty
            && addedAgreements.isEmpty && changedAgreements.isEmpty && removedAgreements.isEmpty
    }
}

extension WriteContext {
    /// Makes the stored partners and agreements exactly `desired`, touching only what differs,
    /// and returns what differed. Business rules (closed periods, SPEC §3.1) are the caller's:
    /// this only refuses what the database itself cannot allow, such as removing a partner
    /// that imported records refer to. Runs inside the caller's transaction.
    @discardableResult
    public func replaceAgreements(with desired: [Partner]) throws -> AgreementSetDiff {
        let current = try reader.partners()
        let diff = AgreementSetDiff(from: current, to: desired)
        guard !diff.isEmpty else { return diff }
        let desiredPartners = Dictionary(desired.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let desiredAgreements = AgreementSetDiff.agreementsByID(desired)

        // Changed agreements are replaced whole; deleting first frees their (partner, effective_from).
        for id in diff.removedAgreements + diff.changedAgreements {
            try refusingReferences("agreement \(id): it cannot be changed or removed because other records refer to it") {
                try db.execute(sql: "DELETE FROM agreement WHERE id = ?", arguments: [id])
            }
        }
        for id in diff.removedPartners {
            let references = try reader.partnerReferences(id: id)
            let detail = references.isEmpty ? "other records refer to it" : "\(references.description) refer to it"
            try refusingReferences("partner \(id): it cannot be removed because \(detail); keep it in the agreements file") {
                try db.execute(sql: "DELETE FROM partner WHERE id = ?", arguments: [id])
            }
        }
        for id in diff.addedPartners {
            let partner = desiredPartners[id]!
            try db.execute(sql: """
                INSERT INTO partner (id, name, currency, payment_terms_days) VALUES (?, ?, ?, ?)
                """, arguments: [partner.id, partner.name, partner.currency.code, partner.paymentTermsDays])
        }
        for id in diff.changedPartners {
            let partner = desiredPartners[id]!
            try db.execute(sql: """
                UPDATE partner SET name = ?, currency = ?, payment_terms_days = ? WHERE id = ?
                """, arguments: [partner.name, partner.currency.code, partner.paymentTermsDays, partner.id])
        }
        for id in diff.addedAgreements + diff.changedAgreements {
            try insert(desiredAgreements[ExactText(id)]!)
        }
        return diff
    }

    /// Appends the record of one agreements load (SPEC §3.1), stamped with this transaction's
    /// `recordedAt`, and seals it and the agreements it leaves in force on the input chain;
    /// returns its id. Called once the stored agreements are what the load asked for.
    @discardableResult
    public func recordAgreementLoad(fileName: String, sha256: String, changed: Bool, canonical: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO agreement_load (file_name, sha256, loaded_at, changed, canonical) VALUES (?, ?, ?, ?, ?)
            """, arguments: [fileName, sha256, recordedAt, changed ? 1 : 0, canonical])
        let id = db.lastInsertedRowID
        try seal(.agreementLoad, subjectID: id)
        try seal(.agreementSet, subjectID: id)
        return id
    }

    /// Sets the marker that `period` is closed, stamped with this transaction's `recordedAt`.
    /// The close sets it (SPEC §4.1) once it has posted the period's entries; agreement loads
    /// and imports consult it. Idempotent: returns false when the period was already closed.
    @discardableResult
    public func markClosed(_ period: Period) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO closed_period (period, closed_at) VALUES (?, ?)",
                       arguments: [period.description, recordedAt])
        return db.changesCount > 0
    }

    private func insert(_ agreement: Agreement) throws {
        try db.execute(sql: """
            INSERT INTO agreement (id, partner_id, effective_from, basis, minimum_monthly_minor,
                                   tolerance_amount_micros, tolerance_relative_micros, tolerance_price_relative_micros)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                agreement.id, agreement.partnerID, agreement.effectiveFrom.description, agreement.basis.rawValue,
                agreement.minimumMonthlyMinor, agreement.tolerance.amountMicros, agreement.tolerance.relativeMicros,
                agreement.tolerance.priceRelativeMicros,
            ])
        let tier = try db.cachedStatement(sql: """
            INSERT INTO agreement_tier (agreement_id, ordinal, up_to_micros, rate_micros) VALUES (?, ?, ?, ?)
            """)
        for (index, value) in agreement.tiers.enumerated() {
            try tier.execute(arguments: [agreement.id, index + 1, value.upToMicros, value.rateMicros])
        }
        let price = try db.cachedStatement(sql: """
            INSERT INTO agreement_price (agreement_id, price_kind, model, input_micros, output_micros)
            VALUES (?, ?, ?, ?, ?)
            """)
        // Model '' is the `default` fallback (see Schema/0002_agreements.sql).
        if let fallback = agreement.defaultPrice {
            try price.execute(arguments: [agreement.id, "fee", "", fallback.inputMicros, fallback.outputMicros])
        }
        for (model, value) in agreement.prices.sorted(by: { $0.key < $1.key }) {
            try price.execute(arguments: [agreement.id, "fee", model.string, value.inputMicros, value.outputMicros])
        }
        for (model, value) in agreement.listPrices.sorted(by: { $0.key < $1.key }) {
            try price.execute(arguments: [agreement.id, "list", model.string, value.inputMicros, value.outputMicros])
        }
    }

    /// Runs `body`; a foreign-key refusal becomes a `Refusal` saying `message`.
    private func refusingReferences(_ message: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            throw Refusal(.invalidInput, message)
        }
    }
}
