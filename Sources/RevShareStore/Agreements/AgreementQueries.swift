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
        try String.fetchAll(db, sql: "SELECT id FROM partner ORDER BY id")
    }

    /// Every closed period, ascending. Periods close one after another, so they are contiguous.
    public func closedPeriods() throws -> [Period] {
        try String.fetchAll(db, sql: "SELECT period FROM closed_period ORDER BY period").map { text in
            guard let period = Period(text) else {
                throw Refusal(.internalError, "closed_period: \"\(text)\" is not a period YYYY-MM; the database was edited outside revshare")
            }
            return period
        }
    }

    /// The closed periods as one range (first through latest), or nil when none is closed.
    /// Closes are contiguous, so every period inside the range is closed.
    public func closedPeriodRange() throws -> ClosedRange<Period>? {
        let row = try Row.fetchOne(db, sql: "SELECT min(period) AS first, max(period) AS last FROM closed_period")
        guard let row, let first: String = row["first"], let last: String = row["last"] else { return nil }
        guard let from = Period(first), let through = Period(last) else {
            throw Refusal(.internalError, "closed_period: a period is not YYYY-MM; the database was edited outside revshare")
        }
        return from...through
    }

    /// The latest closed period, or nil when none is closed.
    public func latestClosedPeriod() throws -> Period? {
        try closedPeriodRange()?.upperBound
    }

    /// Whether `period` is closed (has a `closed_period` marker).
    public func isClosed(_ period: Period) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM closed_period WHERE period = ?)",
                          arguments: [period.description]) ?? false
    }

    /// Every recorded agreements load, oldest first.
    public func agreementLoads() throws -> [AgreementLoadRecord] {
        try Row.fetchAll(db, sql: """
            SELECT id, file_name, sha256, loaded_at, changed, canonical FROM agreement_load ORDER BY id
            """).map {
            AgreementLoadRecord(id: $0["id"], fileName: $0["file_name"], sha256: $0["sha256"],
                                loadedAt: $0["loaded_at"], changed: ($0["changed"] as Int64) != 0,
                                canonical: $0["canonical"])
        }
    }

    /// The imported records that refer to partner `id`.
    public func partnerReferences(id: String) throws -> PartnerReferences {
        let row = try Row.fetchOne(db, sql: """
            SELECT (SELECT count(*) FROM usage_report WHERE partner_id = ?1) AS usage,
                   (SELECT count(*) FROM meter_report WHERE partner_id = ?1) AS meter,
                   (SELECT count(*) FROM payment WHERE partner_id = ?1) AS payments
            """, arguments: [id])
        return PartnerReferences(usageReports: row?["usage"] ?? 0, meterReports: row?["meter"] ?? 0,
                                 payments: row?["payments"] ?? 0)
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
            tiers[ExactText(row["agreement_id"]), default: []].append(Tier(upToMicros: row["up_to_micros"], rateMicros: row["rate_micros"]))
        }

        var fees: [ExactText: [ExactText: TokenPrice]] = [:]
        var defaults: [ExactText: TokenPrice] = [:]
        var lists: [ExactText: [ExactText: TokenPrice]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT p.agreement_id, p.price_kind, p.model, p.input_micros, p.output_micros
            FROM agreement_price AS p JOIN agreement AS a ON a.id = p.agreement_id
            WHERE \(filter)
            """, arguments: arguments) {
            let agreementID = ExactText(row["agreement_id"])
            let model: String = row["model"]
            let price = TokenPrice(inputMicros: row["input_micros"], outputMicros: row["output_micros"])
            switch (row["price_kind"] as String, model.isEmpty) {
            case ("fee", true): defaults[agreementID] = price
            case ("fee", false): fees[agreementID, default: [:]][ExactText(model)] = price
            default: lists[agreementID, default: [:]][ExactText(model)] = price
            }
        }

        var agreements: [String: [Agreement]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT id, partner_id, effective_from, basis, minimum_monthly_minor, tolerance_amount_micros,
                   tolerance_relative_micros, tolerance_price_relative_micros
            FROM agreement WHERE \(filter) ORDER BY partner_id, effective_from
            """, arguments: arguments) {
            let id: String = row["id"]
            let key = ExactText(id)
            let partnerID: String = row["partner_id"]
            let effective: String = row["effective_from"]
            let basisText: String = row["basis"]
            guard let effectiveFrom = Period(effective), let basis = AgreementBasis(rawValue: basisText) else {
                throw Refusal(.internalError, "agreement \(id): stored effective_from \"\(effective)\" or basis \"\(basisText)\" is invalid; the database was edited outside revshare")
            }
            let tolerance = Tolerance(amountMicros: row["tolerance_amount_micros"],
                                      relativeMicros: row["tolerance_relative_micros"],
                                      priceRelativeMicros: row["tolerance_price_relative_micros"])
            agreements[partnerID, default: []].append(Agreement(
                id: id, partnerID: partnerID, effectiveFrom: effectiveFrom, basis: basis,
                tiers: tiers[key] ?? [], prices: fees[key] ?? [:], defaultPrice: defaults[key],
                minimumMonthlyMinor: row["minimum_monthly_minor"], tolerance: tolerance,
                listPrices: lists[key] ?? [:]))
        }

        let partnerFilter = onlyID == nil ? "1" : "id = ?"
        return try Row.fetchAll(db, sql: """
            SELECT id, name, currency, payment_terms_days FROM partner WHERE \(partnerFilter) ORDER BY id
            """, arguments: arguments).map { row in
            let id: String = row["id"]
            let code: String = row["currency"]
            guard let currency = Currency(code: code) else {
                throw Refusal(.internalError, "partner \(id): stored currency \"\(code)\" is not a known ISO 4217 code; the database was edited outside revshare")
            }
            return Partner(id: id, name: row["name"], currency: currency,
                           paymentTermsDays: row["payment_terms_days"], agreements: agreements[id] ?? [])
        }
    }
}
