import GRDB
import RevShareCore

/// One row of `agreement_load`: a recorded `agreements load` (SPEC §3.1), for the audit trail.
public struct AgreementLoadRecord: Sendable, Equatable {
    public let id: Int64
    /// The path as given on the command line, or `<stdin>`.
    public let fileName: String
    /// SHA-256 of the exact bytes loaded, lowercase hex.
    public let sha256: String
    public let loadedAt: String
    /// Whether the load changed the agreements in force.
    public let changed: Bool
    /// The canonical text of everything the file held after parsing.
    public let canonical: String

    public init(id: Int64, fileName: String, sha256: String, loadedAt: String, changed: Bool, canonical: String) {
        self.id = id
        self.fileName = fileName
        self.sha256 = sha256
        self.loadedAt = loadedAt
        self.changed = changed
        self.canonical = canonical
    }
}

/// How many imported records refer to a partner: such a partner cannot be removed, and its
/// currency cannot change, without rewriting what those records mean.
public struct PartnerReferences: Sendable, Equatable {
    public let usageReports: Int
    public let meterReports: Int
    public let payments: Int

    public init(usageReports: Int, meterReports: Int, payments: Int) {
        self.usageReports = usageReports
        self.meterReports = meterReports
        self.payments = payments
    }

    public var isEmpty: Bool { usageReports == 0 && meterReports == 0 && payments == 0 }

    /// `2 usage reports, 1 payment` (only the non-zero counts).
    public var description: String {
        func counted(_ count: Int, _ singular: String, _ plural: String) -> String? {
            count == 0 ? nil : "\(count) \(count == 1 ? singular : plural)"
        }
        return [
            counted(usageReports, "usage report", "usage reports"),
            counted(meterReports, "meter report", "meter reports"),
            counted(payments, "payment", "payments"),
        ].compactMap { $0 }.joined(separator: ", ")
    }
}

extension ReadContext {
    /// Every partner with its agreements, sorted by partner id (agreements by `effectiveFrom`).
    public func partners() throws -> [Partner] {
        try loadPartners(onlyID: nil)
    }

    /// One partner with its agreements, or nil when no partner has this id.
    public func partner(id: String) throws -> Partner? {
        try loadPartners(onlyID: id).first
    }

    /// The ids of all partners, sorted.
    public func partnerIDs() throws -> [String] {
        try texts("SELECT id FROM partner ORDER BY id", column: "id", in: "partner")
    }

    /// Every closed period, ascending. Periods close one after another, so they are contiguous.
    public func closedPeriods() throws -> [Period] {
        try Row.fetchAll(db, sql: "SELECT period FROM closed_period ORDER BY period").map {
            try $0.period("period", in: "closed_period")
        }
    }

    /// The closed periods as one range (first through latest), or nil when none is closed.
    /// Closes are contiguous, so every period inside the range is closed.
    public func closedPeriodRange() throws -> ClosedRange<Period>? {
        let row = try Row.fetchOne(db, sql: "SELECT min(period) AS first, max(period) AS last FROM closed_period")
        guard let row, let from = try row.optionalPeriod("first", in: "closed_period"),
              let through = try row.optionalPeriod("last", in: "closed_period") else { return nil }
        // min and max compare text: a value SQLite orders among periods but that is not one is unreadable above.
        guard from <= through else { return through...from }
        return from...through
    }

    /// The latest closed period, or nil when none is closed.
    public func latestClosedPeriod() throws -> Period? {
        try closedPeriodRange()?.upperBound
    }

    /// Whether `period` is closed (has a `closed_period` marker).
    public func isClosed(_ period: Period) throws -> Bool {
        try optionalInt64("SELECT EXISTS (SELECT 1 FROM closed_period WHERE period = ?)",
                          arguments: [period.description], column: "period", in: "closed_period") == 1
    }

    /// Every recorded agreements load, oldest first.
    public func agreementLoads() throws -> [AgreementLoadRecord] {
        try Row.fetchAll(db, sql: """
            SELECT id, file_name, sha256, loaded_at, changed, canonical FROM agreement_load ORDER BY id
            """).map {
            let table = "agreement_load"
            return AgreementLoadRecord(id: try $0.int64("id", in: table), fileName: try $0.text("file_name", in: table),
                                       sha256: try $0.text("sha256", in: table), loadedAt: try $0.text("loaded_at", in: table),
                                       changed: try $0.int64("changed", in: table) != 0,
                                       canonical: try $0.text("canonical", in: table))
        }
    }

    /// The imported records that refer to partner `id`.
    public func partnerReferences(id: String) throws -> PartnerReferences {
        let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT count(*) FROM usage_report WHERE partner_id = ?1) AS usage,
                   (SELECT count(*) FROM meter_report WHERE partner_id = ?1) AS meter,
                   (SELECT count(*) FROM payment WHERE partner_id = ?1) AS payments
            """, arguments: [id])
        return PartnerReferences(usageReports: try row?.int("usage", in: "usage_report") ?? 0,
                                 meterReports: try row?.int("meter", in: "meter_report") ?? 0,
                                 payments: try row?.int("payments", in: "payment") ?? 0)
    }

    // MARK: - Assembling partners

    private func loadPartners(onlyID: String?) throws -> [Partner] {
        let filter = onlyID == nil ? "1" : "partner_id = ?"
        let arguments: StatementArguments = onlyID.map { [$0] } ?? []

        // By agreement id and model exactly as stored (BINARY): text that only looks the same
        // stays apart.
        var tiers: [ExactText: [Tier]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT t.agreement_id, t.up_to_micros, t.rate_micros
            FROM agreement_tier AS t JOIN agreement AS a ON a.id = t.agreement_id
            WHERE \(filter) ORDER BY t.agreement_id, t.ordinal
            """, arguments: arguments) {
            tiers[ExactText(try row.text("agreement_id", in: "agreement_tier")), default: []].append(Tier(
                upToMicros: try row.optionalInt64("up_to_micros", in: "agreement_tier"),
                rateMicros: try row.int64("rate_micros", in: "agreement_tier")))
        }

        var fees: [ExactText: [ExactText: TokenPrice]] = [:]
        var defaults: [ExactText: TokenPrice] = [:]
        var lists: [ExactText: [ExactText: TokenPrice]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.agreement_id, p.price_kind, p.model, p.input_micros, p.output_micros
            FROM agreement_price AS p JOIN agreement AS a ON a.id = p.agreement_id
            WHERE \(filter)
            """, arguments: arguments) {
            let table = "agreement_price"
            let agreementID = ExactText(try row.text("agreement_id", in: table))
            let model = try row.text("model", in: table)
            let price = TokenPrice(inputMicros: try row.int64("input_micros", in: table),
                                   outputMicros: try row.int64("output_micros", in: table))
            switch (try row.enumeration(PriceKind.self, "price_kind", in: table), model.isEmpty) {
            case (.fee, true): defaults[agreementID] = price
            case (.fee, false): fees[agreementID, default: [:]][ExactText(model)] = price
            case (.list, _): lists[agreementID, default: [:]][ExactText(model)] = price
            }
        }

        var agreements: [String: [Agreement]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT id, partner_id, effective_from, basis, minimum_monthly_minor, tolerance_amount_micros,
                   tolerance_relative_micros, tolerance_price_relative_micros
            FROM agreement WHERE \(filter) ORDER BY partner_id, effective_from
            """, arguments: arguments) {
            let table = "agreement"
            let id = try row.text("id", in: table)
            let key = ExactText(id)
            let partnerID = try row.text("partner_id", in: table)
            let effectiveFrom = try row.period("effective_from", in: table)
            let basis = try row.enumeration(AgreementBasis.self, "basis", in: table)
            let tolerance = Tolerance(amountMicros: try row.int64("tolerance_amount_micros", in: table),
                                      relativeMicros: try row.int64("tolerance_relative_micros", in: table),
                                      priceRelativeMicros: try row.int64("tolerance_price_relative_micros", in: table))
            agreements[partnerID, default: []].append(Agreement(
                id: id, partnerID: partnerID, effectiveFrom: effectiveFrom, basis: basis,
                tiers: tiers[key] ?? [], prices: fees[key] ?? [:], defaultPrice: defaults[key],
                minimumMonthlyMinor: try row.optionalInt64("minimum_monthly_minor", in: table), tolerance: tolerance,
                listPrices: lists[key] ?? [:]))
        }

        let partnerFilter = onlyID == nil ? "1" : "id = ?"
        return try Row.fetchAll(db, sql: """
            SELECT id, name, currency, payment_terms_days FROM partner WHERE \(partnerFilter) ORDER BY id
            """, arguments: arguments).map { row in
            let id = try row.text("id", in: "partner")
            return Partner(id: id, name: try row.text("name", in: "partner"), currency: try row.currency("currency", in: "partner"),
                           paymentTermsDays: try row.int("payment_terms_days", in: "partner"), agreements: agreements[id] ?? [])
        }
    }
}

/// `agreement_price.price_kind`: a fee the share is computed from, or a list price for the anomaly check.
private enum PriceKind: String {
    case fee, list
}
