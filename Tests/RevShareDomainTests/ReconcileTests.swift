import Foundation
import RevShareCore
import RevShareDomain
import RevShareImport
@testable import RevShareReconcile
import RevShareStore
import Testing
import TestSupport

// Reconciliation (SPEC §6, §9 "Reconciliation") through the library: small hand-made agreements
// and CSVs in a temporary store, every expected figure worked out by hand in a comment.

// MARK: - Fixtures

/// One partner's agreement block; `extra` lines are appended to the agreement (tolerance, …).
private func partnerYAML(_ id: String, currency: String = "USD", terms: Int = 10, from: String = "2025-01",
                         tiers: String = "          - rate: 0.10", extra: String = "") -> String {
    """
      - id: \(id)
        name: Partner \(id)
        currency: \(currency)
        payment_terms_days: \(terms)
        agreements:
          - id: \(id.uppercased())-1
            effective_from: \(from)
            basis: revenue_percent
            tiers:
    \(tiers)
    \(extra)
    """
}

private func agreementsYAML(_ partners: String...) -> String {
    "partners:\n" + partners.joined(separator: "\n") + "\n"
}

private let usageHeader = "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue,currency,reported_share"
private let paymentsHeader = "payment_id,partner,received_on,amount,currency,reference"
private let meterHeader = "usage_date,partner,model,input_tokens,output_tokens"

private func daysIn(_ period: String) -> Int {
    let year = Int(period.prefix(4))!, month = Int(period.suffix(2))!
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

private func day(_ period: String, _ day: Int) -> String { "\(period)-\(day < 10 ? "0" : "")\(day)" }

/// One usage row's figures on one day of the period.
struct ReconcileDay {
    var day: Int
    var model = "m"
    var input: Int64 = 0
    var output: Int64 = 0
    var revenue = "0"
    var share = ""
}

/// Usage rows for `partner` in `period`: the given days, and (with `fill`) a zero row of model
/// `fillModel` on every other day, so that MISSING_DAYS stays quiet.
private func usageRows(_ partner: String, _ period: String, _ days: [ReconcileDay], fill: Bool = true,
                       fillModel: String = "m") -> [String] {
    var rows = days.map {
        "\(day(period, $0.day)),\(partner),\($0.model),,1,\($0.input),\($0.output),\($0.revenue),,\($0.share)"
    }
    if fill {
        let used = Set(days.map(\.day))
        for d in 1...daysIn(period) where !used.contains(d) {
            rows.append("\(day(period, d)),\(partner),\(fillModel),,0,0,0,0,,")
        }
    }
    return rows
}

struct ReconcilePay {
    var id: String
    var on: String
    var amount: String
    var reference = ""
}

/// A fresh store with agreements loaded, and helpers to import CSVs, close and reconcile.
struct ReconcileBooks {
    let store: Store
    let directory: TemporaryDirectory
    let currencies: [String: String]

    init(_ yaml: String, currencies: [String: String] = [:]) throws {
        (store, directory) = try makeTestStore("reconcile")
        self.currencies = currencies
        _ = try AgreementLoader.load(Array(yaml.utf8), fileName: "agreements.yaml", into: store)
    }

    func reload(_ yaml: String) throws {
        _ = try AgreementLoader.load(Array(yaml.utf8), fileName: "agreements-2.yaml", into: store)
    }

    private func file(_ kind: String, _ header: String, _ rows: [String]) -> InputFile {
        let path = directory.write("\(kind)-\(UUID().uuidString).csv", ([header] + rows).map { $0 + "\n" }.joined())
        return InputFile(argument: path)
    }

    func usage(_ rows: [String], restate: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let summary = try UsageImporter.run(file("usage", usageHeader, rows), restate: restate, store: store)
        #expect(summary.outcome == .imported, sourceLocation: sourceLocation)
    }

    func payments(_ partner: String, _ payments: [ReconcilePay], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let currency = currencies[partner] ?? "USD"
        let rows = payments.map { "\($0.id),\(partner),\($0.on),\($0.amount),\(currency),\($0.reference)" }
        let summary = try PaymentsImporter.run(file("payments", paymentsHeader, rows), store: store)
        #expect(summary.outcome == .imported, sourceLocation: sourceLocation)
    }

    func meter(_ rows: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let summary = try MeterImporter.run(file("meter", meterHeader, rows), store: store)
        #expect(summary.outcome == .imported, sourceLocation: sourceLocation)
    }

    func close(_ period: String) throws {
        guard case .closed = try PeriodClose.close(Period(period)!, today: Fixtures.today, store: store) else {
            Issue.record("\(period) was already closed")
            return
        }
    }

    func reconcile(_ period: String, asOf: String) throws -> ReconcileReport {
        try Reconciler.reconcile(period: Period(period)!, asOf: CivilDate(asOf)!, store: store)
    }

    /// What a reconcile lists, optionally of one kind only.
    func found(_ period: String, asOf: String, _ kind: Discrepancy.Kind? = nil) throws -> [Discrepancy] {
        try reconcile(period, asOf: asOf).listed.map(\.discrepancy).filter { kind == nil || $0.kind == kind }
    }

    /// Runs SQL with the sqlite3 CLI, behind the tool's back.
    func tamper(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [store.path, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    func record(_ id: String) throws -> DiscrepancyRecord? {
        try store.read("record") { try $0.discrepancyRecord(id: id) }
    }

    func remove() { directory.remove() }
}

/// A finding as the tests compare it: kind, partner, model, payment and the three figures as
/// printed (money with the currency's minor digits, counts as digits), nil where null.
struct ReconcileSeen: Equatable, CustomStringConvertible {
    var kind: String
    var partner: String?
    var model: String? = nil
    var payment: String? = nil
    var expected: String? = nil
    var actual: String? = nil
    var difference: String? = nil

    init(_ kind: Discrepancy.Kind, _ partner: String?, model: String? = nil, payment: String? = nil,
         _ expected: String? = nil, _ actual: String? = nil, _ difference: String? = nil) {
        self.kind = kind.rawValue
        self.partner = partner
        self.model = model
        self.payment = payment
        self.expected = expected
        self.actual = actual
        self.difference = difference
    }

    init(_ d: Discrepancy) {
        kind = d.kind.rawValue
        partner = d.partnerID
        model = d.model
        payment = d.paymentID
        expected = d.expected?.text
        actual = d.actual?.text
        difference = d.difference?.text
    }

    var description: String {
        "\(kind) \(partner ?? "null") \(model ?? "null") \(payment ?? "null") \(expected ?? "null")/\(actual ?? "null")/\(difference ?? "null")"
    }
}

private func seen(_ found: [Discrepancy]) -> [ReconcileSeen] { found.map { ReconcileSeen($0) } }

/// Counts must be JSON integers, money strings: check the figure's case, not only its text.
private func isCount(_ figure: Discrepancy.Figure?) -> Bool {
    if case .count = figure { return true }
    return false
}

private func isMoney(_ figure: Discrepancy.Figure?, _ code: String) -> Bool {
    if case .money(_, let currency) = figure { return currency.code == code }
    return false
}

// MARK: - The ten kinds

@Suite("Reconciliation: each kind, raised and just inside its tolerance")
struct ReconcileKindTests {
    // acme (USD, 10 % flat, terms 10 days) and late (agreement only from 2025-02).
    static let twoPartners = agreementsYAML(partnerYAML("acme"), partnerYAML("late", from: "2025-02"))

    @Test("MISSING_REPORT: after P, agreement in force, no rows; null figures; not before as-of passes P")
    func missingReport() throws {
        let books = try ReconcileBooks(Self.twoPartners)
        defer { books.remove() }
        // as-of 2025-02-01 is after 2025-01; `late` has no agreement in force for 2025-01.
        let found = try books.found("2025-01", asOf: "2025-02-01")
        #expect(seen(found) == [ReconcileSeen(.missingReport, "acme")])
        let d = try #require(found.first)
        #expect(d.severity == .critical)
        #expect(d.period == Period("2025-01")!)
        #expect(d.expected == nil && d.actual == nil && d.difference == nil && d.model == nil && d.paymentID == nil)
        // as-of on the last day of P is not after P.
        #expect(try books.found("2025-01", asOf: "2025-01-31").isEmpty)
        #expect(try books.found("2025-01", asOf: "2025-01-15").isEmpty)
        // Once acme reports, nothing is missing.
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, revenue: "10")]))
        #expect(try books.found("2025-01", asOf: "2025-02-01").isEmpty)
        // In 2025-02 both partners are in force and neither reported.
        #expect(seen(try books.found("2025-02", asOf: "2025-03-01"))
            == [ReconcileSeen(.missingReport, "acme"), ReconcileSeen(.missingReport, "late")])
    }

    struct DaysCase: Sendable, CustomTestStringConvertible {
        let name: String
        let period: String
        /// (day, model) of each row.
        let rows: [(Int, String)]
        /// expected, actual, difference; nil when not raised.
        let figures: (String, String, String)?
        var testDescription: String { name }
    }

    static let daysCases: [DaysCase] = [
        // February 2025 has 28 days; rows on 2 of them: 2 − 28 = −26.
        DaysCase(name: "two days of February 2025", period: "2025-02", rows: [(1, "m"), (15, "m")],
                 figures: ("28", "2", "-26")),
        // 2024 is a leap year: 29 days; rows on days 1…28: 28 − 29 = −1.
        DaysCase(name: "leap February 2024 without the 29th", period: "2024-02",
                 rows: (1...28).map { ($0, "m") }, figures: ("29", "28", "-1")),
        // January: day 6 missing, day 5 has two rows (two models) and counts once: 30 − 31 = −1.
        DaysCase(name: "two rows on one day count once", period: "2025-01",
                 rows: (1...31).filter { $0 != 6 }.map { ($0, "m") } + [(5, "n")], figures: ("31", "30", "-1")),
        DaysCase(name: "every day of February 2025", period: "2025-02", rows: (1...28).map { ($0, "m") }, figures: nil),
        DaysCase(name: "every day of leap February 2024", period: "2024-02", rows: (1...29).map { ($0, "m") }, figures: nil),
    ]

    @Test("MISSING_DAYS: expected days in P, actual days with rows, integers, no tolerance", arguments: daysCases)
    func missingDays(_ c: DaysCase) throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme", from: "2024-01")))
        defer { books.remove() }
        try books.usage(usageRows("acme", c.period, c.rows.map { ReconcileDay(day: $0.0, model: $0.1, revenue: "1") }, fill: false))
        let found = try books.found(c.period, asOf: "2025-12-31", .missingDays)
        if case let (e, a, d)? = c.figures {
            #expect(seen(found) == [ReconcileSeen(.missingDays, "acme", e, a, d)])
            #expect(isCount(found.first?.expected) && isCount(found.first?.actual) && isCount(found.first?.difference))
            #expect(found.first?.severity == .warning)
        } else {
            #expect(found.isEmpty)
        }
    }

    struct ShareCase: Sendable, CustomTestStringConvertible {
        let name: String
        let revenue: String
        /// reported_share cells on day 1 and day 2 (other days: empty).
        let shares: [String]
        let figures: (String, String, String)?
        var testDescription: String { name }
    }

    // Tiers: 10 % up to 1000, then 12 %. share(5000) = 1000 × 0.10 + 4000 × 0.12 = 580.00;
    // share(50000) = 100 + 49000 × 0.12 = 5980.00. minimum_monthly 1000 would true-up 580 → 1000,
    // but expected is the share *before* true-up. Tolerance: max(1.00, 0.001 × |expected|).
    static let shareCases: [ShareCase] = [
        // tolerance max(1.00, 0.58) = 1.00; 581.01 − 580.00 = 1.01 > 1.00.
        ShareCase(name: "1.01 over, absolute tolerance", revenue: "5000", shares: ["581.01"],
                  figures: ("580.00", "581.01", "1.01")),
        // 1.00 is not more than 1.00.
        ShareCase(name: "exactly 1.00 over: inside", revenue: "5000", shares: ["581.00"], figures: nil),
        // 300.000 + 281.005 = 581.005 → half to even → 581.00; 1.00 is inside.
        ShareCase(name: "sum 581.005 rounds half to even to 581.00", revenue: "5000", shares: ["300.000", "281.005"],
                  figures: nil),
        // 300.000 + 281.015 = 581.015 → half to even → 581.02; 1.02 > 1.00.
        ShareCase(name: "sum 581.015 rounds half to even to 581.02", revenue: "5000", shares: ["300.000", "281.015"],
                  figures: ("580.00", "581.02", "1.02")),
        // tolerance max(1.00, 0.001 × 5980.00 = 5.98) = 5.98; 5974.02 − 5980.00 = −5.98: inside.
        ShareCase(name: "5.98 under, relative tolerance: inside", revenue: "50000", shares: ["5974.02"], figures: nil),
        // 5974.01 − 5980.00 = −5.99, |−5.99| > 5.98.
        ShareCase(name: "5.99 under, relative tolerance", revenue: "50000", shares: ["5974.01"],
                  figures: ("5980.00", "5974.01", "-5.99")),
        // no row carries a reported share: nothing to compare.
        ShareCase(name: "no reported share at all", revenue: "5000", shares: [], figures: nil),
        // one cell "0" (non-empty): actual 0.00 − 580.00 = −580.00.
        ShareCase(name: "a reported share of 0", revenue: "5000", shares: ["0"], figures: ("580.00", "0.00", "-580.00")),
    ]

    @Test("SHARE_MISMATCH: computed share before true-up vs Σ reported_share, max(amount, relative × |expected|)",
          arguments: shareCases)
    func shareMismatch(_ c: ShareCase) throws {
        let tiers = "          - up_to: 1000\n            rate: 0.10\n          - rate: 0.12"
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme", tiers: tiers, extra: "        minimum_monthly: 1000")))
        defer { books.remove() }
        var days = [ReconcileDay(day: 1, revenue: c.revenue, share: c.shares.first ?? "")]
        if c.shares.count > 1 { days.append(ReconcileDay(day: 2, share: c.shares[1])) }
        try books.usage(usageRows("acme", "2025-01", days))
        let found = try books.found("2025-01", asOf: "2025-01-31")
        if case let (e, a, d)? = c.figures {
            #expect(seen(found) == [ReconcileSeen(.shareMismatch, "acme", e, a, d)])
            #expect(isMoney(found.first?.expected, "USD") && isMoney(found.first?.difference, "USD"))
        } else {
            #expect(found.isEmpty)
        }
    }

    static let yenCases: [(String, (String, String, String)?)] = [
        ("1001", nil),                       // 1 yen over: not more than one yen
        ("1002", ("1000", "1002", "2")),     // 2 yen over
        ("999", nil),                        // 1 yen under
        ("998", ("1000", "998", "-2")),      // 2 yen under
        ("1000.5", nil),                     // → half to even 1000: no difference
        ("1001.5", ("1000", "1002", "2")),   // → half to even 1002: 2 yen over
    ]

    @Test("SHARE_MISMATCH in JPY: `amount: 1.00` is one yen", arguments: yenCases)
    func shareMismatchYen(_ reported: String, _ figures: (String, String, String)?) throws {
        // 10 % of 10000 yen = 1000 yen; tolerance max(1 yen, 0.000001 × 1000 = 0.001 yen) = 1 yen.
        let books = try ReconcileBooks(agreementsYAML(partnerYAML(
            "kaiju", currency: "JPY", extra: "        tolerance: {amount: 1.00, relative: 0.000001}")))
        defer { books.remove() }
        try books.usage(usageRows("kaiju", "2025-01", [ReconcileDay(day: 1, revenue: "10000", share: reported)]))
        let found = try books.found("2025-01", asOf: "2025-01-31")
        if case let (e, a, d)? = figures {
            #expect(seen(found) == [ReconcileSeen(.shareMismatch, "kaiju", e, a, d)])
            #expect(isMoney(found.first?.actual, "JPY"))
        } else {
            #expect(found.isEmpty)
        }
    }

    // Meter for model m: (300000 + 200000) on day 1 and again on day 2 = 1,000,000 tokens.
    // Tolerance: relative only, 0.001 × 1,000,000 = 1000 tokens.
    static let usageCases: [(Int64, (String, String, String)?)] = [
        (401_000, nil),                                    // 600000 + 401000 = 1,001,000: +1000, inside
        (401_001, ("1000000", "1001001", "1001")),         // 1,001,001: +1001
        (399_000, nil),                                    // 999,000: −1000, inside
        (398_999, ("1000000", "998999", "-1001")),         // 998,999: −1001
    ]

    @Test("USAGE_MISMATCH: meter vs reported tokens per model, relative tolerance only", arguments: usageCases)
    func usageMismatch(_ output: Int64, _ figures: (String, String, String)?) throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme")))
        defer { books.remove() }
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, input: 600_000, output: output, revenue: "10")]))
        try books.meter(["2025-01-01,acme,m,300000,200000", "2025-01-02,acme,m,300000,200000"])
        let found = try books.found("2025-01", asOf: "2025-01-31")
        if case let (e, a, d)? = figures {
            #expect(seen(found) == [ReconcileSeen(.usageMismatch, "acme", model: "m", e, a, d)])
            #expect(isCount(found.first?.expected) && isCount(found.first?.difference))
        } else {
            #expect(found.isEmpty)
        }
    }

    @Test("USAGE_MISMATCH: a model only in the report counts when actual > 0; a model only in the meter")
    func usageMismatchOneSided() throws {
        // Tiny expected values make the relative tolerance 0: model m 1000 = 1000 matches exactly.
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme"), partnerYAML("beta")))
        defer { books.remove() }
        try books.usage(usageRows("acme", "2025-01", [
            ReconcileDay(day: 1, input: 600, output: 400, revenue: "10"),
            ReconcileDay(day: 2, model: "x", input: 1),          // only in the report, 1 token
            ReconcileDay(day: 3, model: "zero"),                 // only in the report, 0 tokens: not counted
        ]))
        // beta reports but has no meter rows for 2025-01 (only for 2025-02): no USAGE_MISMATCH at all.
        try books.usage(usageRows("beta", "2025-01", [ReconcileDay(day: 1, input: 5, revenue: "1")]))
        try books.meter([
            "2025-01-01,acme,m,1000,0",
            "2025-01-01,acme,y,200,300",                     // only in the meter: 500 tokens
            "2025-02-01,beta,m,999,0",
        ])
        #expect(seen(try books.found("2025-01", asOf: "2025-01-31")) == [
            ReconcileSeen(.usageMismatch, "acme", model: "x", "0", "1", "1"),
            ReconcileSeen(.usageMismatch, "acme", model: "y", "500", "0", "-500"),
        ])
        // A later meter import covering acme 2025-01 replaces the earlier one (newest wins).
        try books.meter(["2025-01-01,acme,m,1000,0", "2025-01-01,acme,x,1,0"])
        #expect(try books.found("2025-01", asOf: "2025-01-31").isEmpty)
    }

    @Test("USAGE_MISMATCH: café (U+00E9) in the meter and cafe + U+0301 in the report are two models")
    func usageMismatchModelsAreExact() throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme")))
        defer { books.remove() }
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, model: "cafe\u{301}", input: 1000, revenue: "10")]))
        try books.meter(["2025-01-01,acme,caf\u{E9},1000,0"])
        let found = try books.found("2025-01", asOf: "2025-01-31", .usageMismatch)
        // By bytes: 65 CC 81 (e + U+0301) before C3 A9 (é).
        #expect(found.map { Array(($0.model ?? "").utf8) } == [[0x63, 0x61, 0x66, 0x65, 0xCC, 0x81], [0x63, 0x61, 0x66, 0xC3, 0xA9]])
        #expect(seen(found).map(\.expected) == ["0", "1000"])
        #expect(seen(found).map(\.actual) == ["1000", "0"])
    }

    @Test("USAGE_MISMATCH: input + output beyond Int64 never wraps into a false finding")
    func usageMismatchHugeTokens() throws {
        // 5e18 + 5e18 = 1e19 > Int64.max (≈ 9.22e18); each column alone fits. Meter and report
        // agree exactly, so either the import refuses the total or reconcile finds nothing.
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme")))
        defer { books.remove() }
        let half: Int64 = 5_000_000_000_000_000_000
        do {
            try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, input: half, output: half, revenue: "1")]))
            try books.meter(["2025-01-01,acme,m,\(half),\(half)"])
        } catch let invalid as InvalidInput {
            #expect(invalid.category == .invalidInput)
            return
        }
        let found = try books.found("2025-01", asOf: "2025-01-31", .usageMismatch)
        #expect(seen(found) == [], "meter and report agree; wrapped sums gave \(seen(found))")
    }

    struct PriceCase: Sendable, CustomTestStringConvertible {
        let name: String
        let model: String
        let input: Int64
        let output: Int64
        /// gross revenue on day 1 and day 2
        let revenue: [String]
        let figures: (String, String, String)?
        var testDescription: String { name }
    }

    // list prices: m {0.72, 0.72}; big {0.50, 1.00}; idle {1, 1} (never has rows).
    // m: 123,456,789 × 0.72 / 1e6 = 88.88888808 → 88.89; tolerance 0.05 × 88.89 = 4.4445.
    // big: 100,000,000 × 0.50 / 1e6 + 50,000,000 × 1.00 / 1e6 = 50 + 50 = 100.00; tolerance 5.00.
    static let priceCases: [PriceCase] = [
        PriceCase(name: "m 4.44 over: inside", model: "m", input: 123_456_789, output: 0, revenue: ["93.33"], figures: nil),
        PriceCase(name: "m 4.45 over", model: "m", input: 123_456_789, output: 0, revenue: ["93.34"],
                  figures: ("88.89", "93.34", "4.45")),
        PriceCase(name: "m 4.44 under: inside", model: "m", input: 123_456_789, output: 0, revenue: ["84.45"], figures: nil),
        PriceCase(name: "m 4.45 under", model: "m", input: 123_456_789, output: 0, revenue: ["84.44"],
                  figures: ("88.89", "84.44", "-4.45")),
        // 100.0025 + 5.0025 = 105.005 → half to even 105.00: 5.00 is inside.
        PriceCase(name: "big revenue 105.005 rounds to 105.00", model: "big", input: 100_000_000, output: 50_000_000,
                  revenue: ["100.0025", "5.0025"], figures: nil),
        // 100 + 5.015 = 105.015 → half to even 105.02: 5.02 > 5.00.
        PriceCase(name: "big revenue 105.015 rounds to 105.02", model: "big", input: 100_000_000, output: 50_000_000,
                  revenue: ["100", "5.015"], figures: ("100.00", "105.02", "5.02")),
        // no list price for `plain`: never a PRICE_ANOMALY whatever the revenue.
        PriceCase(name: "model without a list price", model: "plain", input: 1, output: 1, revenue: ["1000"], figures: nil),
    ]

    @Test("PRICE_ANOMALY: list price vs gross revenue, both rounded, price_relative × expected", arguments: priceCases)
    func priceAnomaly(_ c: PriceCase) throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme", extra: """
                    list_prices:
                      m: {input: 0.72, output: 0.72}
                      big: {input: 0.50, output: 1.00}
                      idle: {input: 1, output: 1}
            """)))
        defer { books.remove() }
        var days = [ReconcileDay(day: 1, model: c.model, input: c.input, output: c.output, revenue: c.revenue[0])]
        if c.revenue.count > 1 { days.append(ReconcileDay(day: 2, model: c.model, revenue: c.revenue[1])) }
        try books.usage(usageRows("acme", "2025-01", days, fillModel: c.model))
        let found = try books.found("2025-01", asOf: "2025-01-31")
        if case let (e, a, d)? = c.figures {
            #expect(seen(found) == [ReconcileSeen(.priceAnomaly, "acme", model: c.model, e, a, d)])
            #expect(isMoney(found.first?.expected, "USD"))
        } else {
            #expect(found.isEmpty)
        }
    }

    // acme: 10 %, terms 10 days. January revenue 5000.00 → share and charges 500.00; due 2025-01-31 + 10 = 2025-02-10.
    static func januaryClosed(_ extraPartners: String...) throws -> ReconcileBooks {
        let books = try ReconcileBooks(agreementsYAML(([partnerYAML("acme")] + extraPartners).joined(separator: "\n")))
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, revenue: "5000")]))
        try books.close("2025-01")
        return books
    }

    struct PaymentCase: Sendable, CustomTestStringConvertible {
        let name: String
        let payments: [ReconcilePay]
        let asOf: String
        /// Every payment kind found for acme 2025-01.
        let expected: [ReconcileSeen]
        var testDescription: String { name }
    }

    static let shortfallCases: [PaymentCase] = [
        // 400.00 of 500.00 by as-of 2025-02-11 (after the due date): 400 − 500 = −100.00.
        PaymentCase(name: "400 of 500 after the due date", payments: [ReconcilePay(id: "P-1", on: "2025-02-05", amount: "400.00", reference: "2025-01")],
                    asOf: "2025-02-11", expected: [ReconcileSeen(.paymentShortfall, "acme", "500.00", "400.00", "-100.00")]),
        PaymentCase(name: "400 of 500 on the due date: not yet", payments: [ReconcilePay(id: "P-1", on: "2025-02-05", amount: "400.00", reference: "2025-01")],
                    asOf: "2025-02-10", expected: []),
        // 499.00 − 500.00 = −1.00: inside max(1.00, 0.50).
        PaymentCase(name: "1.00 short: inside", payments: [ReconcilePay(id: "P-1", on: "2025-02-05", amount: "499.00", reference: "2025-01")],
                    asOf: "2025-03-01", expected: []),
        PaymentCase(name: "1.01 short", payments: [ReconcilePay(id: "P-1", on: "2025-02-05", amount: "498.99", reference: "2025-01")],
                    asOf: "2025-03-01", expected: [ReconcileSeen(.paymentShortfall, "acme", "500.00", "498.99", "-1.01")]),
        PaymentCase(name: "nothing paid", payments: [], asOf: "2025-02-11",
                    expected: [ReconcileSeen(.paymentShortfall, "acme", "500.00", "0.00", "-500.00")]),
        // received after as-of: does not count yet.
        PaymentCase(name: "paid after as-of", payments: [ReconcilePay(id: "P-1", on: "2025-02-20", amount: "500.00", reference: "2025-01")],
                    asOf: "2025-02-15", expected: [ReconcileSeen(.paymentShortfall, "acme", "500.00", "0.00", "-500.00")]),
        // a payment with no reference goes to the oldest open period: paid in full, on time.
        PaymentCase(name: "unreferenced payment applies", payments: [ReconcilePay(id: "P-1", on: "2025-02-05", amount: "500.00")],
                    asOf: "2025-03-01", expected: []),
    ]

    static let lateCases: [PaymentCase] = [
        // 300 on 02-08, 200 on 02-13 completes: 2025-02-10 → 2025-02-13 = 3 days.
        PaymentCase(name: "completed 3 days late by the second payment", payments: [
            ReconcilePay(id: "A", on: "2025-02-08", amount: "300.00", reference: "2025-01"),
            ReconcilePay(id: "B", on: "2025-02-13", amount: "200.00", reference: "2025-01"),
        ], asOf: "2025-03-01", expected: [ReconcileSeen(.latePayment, "acme", payment: "B", "0", "3", "3")]),
        PaymentCase(name: "paid on the due date", payments: [ReconcilePay(id: "A", on: "2025-02-10", amount: "500.00", reference: "2025-01")],
                    asOf: "2025-03-01", expected: []),
        PaymentCase(name: "one day late", payments: [ReconcilePay(id: "A", on: "2025-02-11", amount: "500.00", reference: "2025-01")],
                    asOf: "2025-03-01", expected: [ReconcileSeen(.latePayment, "acme", payment: "A", "0", "1", "1")]),
        // as-of 2025-02-12: B not yet received, 300 of 500 applied: shortfall, no lateness yet.
        PaymentCase(name: "not completed by as-of: shortfall instead", payments: [
            ReconcilePay(id: "A", on: "2025-02-08", amount: "300.00", reference: "2025-01"),
            ReconcilePay(id: "B", on: "2025-02-13", amount: "200.00", reference: "2025-01"),
        ], asOf: "2025-02-12", expected: [ReconcileSeen(.paymentShortfall, "acme", "500.00", "300.00", "-200.00")]),
        // Unreferenced, 2025-02-10 → 2025-03-12 = 18 (rest of February) + 12 = 30 days.
        PaymentCase(name: "completed by an unreferenced payment 30 days late",
                    payments: [ReconcilePay(id: "C", on: "2025-03-12", amount: "500.00")],
                    asOf: "2025-03-31", expected: [ReconcileSeen(.latePayment, "acme", payment: "C", "0", "30", "30")]),
        // Same day: applied in payment_id order A then B, so B completes; 02-10 → 02-15 = 5 days.
        PaymentCase(name: "same-day payments: the later id completes", payments: [
            ReconcilePay(id: "B", on: "2025-02-15", amount: "250.00", reference: "2025-01"),
            ReconcilePay(id: "A", on: "2025-02-15", amount: "250.00", reference: "2025-01"),
        ], asOf: "2025-03-01", expected: [ReconcileSeen(.latePayment, "acme", payment: "B", "0", "5", "5")]),
    ]

    static let overpaymentCases: [PaymentCase] = [
        // Order (received_on, payment_id): X-9 (02-01), A-1 (02-03), B-1 (02-03): the last is B-1.
        // 300.00 + 101.01 + 100.00 = 501.01 > 500.00 by 1.01 > max(1.00, 0.50).
        PaymentCase(name: "1.01 over; payment_id is the last referencing payment", payments: [
            ReconcilePay(id: "X-9", on: "2025-02-01", amount: "300.00", reference: "2025-01"),
            ReconcilePay(id: "B-1", on: "2025-02-03", amount: "100.00", reference: "2025-01"),
            ReconcilePay(id: "A-1", on: "2025-02-03", amount: "101.01", reference: "2025-01"),
        ], asOf: "2025-03-01", expected: [ReconcileSeen(.overpayment, "acme", payment: "B-1", "500.00", "501.01", "1.01")]),
        // 300.00 + 201.00 = 501.00: 1.00 over is inside.
        PaymentCase(name: "1.00 over: inside", payments: [
            ReconcilePay(id: "X-9", on: "2025-02-01", amount: "300.00", reference: "2025-01"),
            ReconcilePay(id: "A-1", on: "2025-02-03", amount: "201.00", reference: "2025-01"),
        ], asOf: "2025-03-01", expected: []),
        // Only payments that reference P count: 500.00 referenced, 100.00 unreferenced.
        PaymentCase(name: "an unreferenced payment does not count", payments: [
            ReconcilePay(id: "X-9", on: "2025-02-01", amount: "500.00", reference: "2025-01"),
            ReconcilePay(id: "N-1", on: "2025-02-02", amount: "100.00"),
        ], asOf: "2025-03-01", expected: []),
        PaymentCase(name: "a referencing payment after as-of does not count", payments: [
            ReconcilePay(id: "X-9", on: "2025-02-01", amount: "500.00", reference: "2025-01"),
            ReconcilePay(id: "Y-1", on: "2025-02-20", amount: "50.00", reference: "2025-01"),
        ], asOf: "2025-02-15", expected: []),
        // 500.00 + 50.00 = 550.00: 50.00 over, Y-1 the last.
        PaymentCase(name: "both received by as-of", payments: [
            ReconcilePay(id: "X-9", on: "2025-02-01", amount: "500.00", reference: "2025-01"),
            ReconcilePay(id: "Y-1", on: "2025-02-20", amount: "50.00", reference: "2025-01"),
        ], asOf: "2025-02-20", expected: [ReconcileSeen(.overpayment, "acme", payment: "Y-1", "500.00", "550.00", "50.00")]),
    ]

    @Test("PAYMENT_SHORTFALL: after the due date, applied < charges beyond the general tolerance", arguments: shortfallCases)
    func paymentShortfall(_ c: PaymentCase) throws { try paymentKinds(c) }

    @Test("LATE_PAYMENT: days from the due date to the completing payment", arguments: lateCases)
    func latePayment(_ c: PaymentCase) throws { try paymentKinds(c) }

    @Test("OVERPAYMENT: Σ payments referencing P > charges beyond the general tolerance", arguments: overpaymentCases)
    func overpayment(_ c: PaymentCase) throws { try paymentKinds(c) }

    private func paymentKinds(_ c: PaymentCase) throws {
        let books = try Self.januaryClosed()
        defer { books.remove() }
        if !c.payments.isEmpty { try books.payments("acme", c.payments) }
        let found = try books.found("2025-01", asOf: c.asOf)
        #expect(seen(found) == c.expected)
        for d in found where d.kind != .latePayment {
            #expect(isMoney(d.expected, "USD") && isMoney(d.actual, "USD"))
        }
        for d in found where d.kind == .paymentShortfall { #expect(d.paymentID == nil) }
    }

    @Test("SHARE_MISMATCH of a restated closed period compares with the share recomputed from the current rows")
    func shareMismatchAfterRestatement() throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme")))
        defer { books.remove() }
        // 10 % × 5000.00 = 500.00, reported 500.00: agreed.
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, revenue: "5000", share: "500")]))
        try books.close("2025-01")
        #expect(try books.found("2025-01", asOf: "2025-02-05").isEmpty)
        // Restated: 10 % × 6000.00 = 600.00 against the same reported 500.00: 500 − 600 = −100.00.
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, revenue: "6000", share: "500")]), restate: true)
        #expect(seen(try books.found("2025-01", asOf: "2025-02-05"))
            == [ReconcileSeen(.shareMismatch, "acme", "600.00", "500.00", "-100.00")])
    }

    @Test("PAYMENT_SHORTFALL uses the due date of the issued statement after payment_terms_days changes")
    func shortfallUsesIssuedDueDate() throws {
        let books = try Self.januaryClosed()
        defer { books.remove() }
        // terms 10 → 30 would make the due date 2025-03-02; the issued statement keeps 2025-02-10.
        try books.reload(agreementsYAML(partnerYAML("acme", terms: 30)))
        #expect(seen(try books.found("2025-01", asOf: "2025-02-11"))
            == [ReconcileSeen(.paymentShortfall, "acme", "500.00", "0.00", "-500.00")])
    }

    @Test("UNKNOWN_REFERENCE: payments of any partner posted in P referencing a period with no statement")
    func unknownReference() throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme"), partnerYAML("beta")))
        defer { books.remove() }
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, revenue: "5000")])
            + usageRows("beta", "2025-01", [ReconcileDay(day: 1, revenue: "5000")]))
        // Imported before the close: posted on their received dates in January.
        try books.payments("acme", [
            ReconcilePay(id: "U-1", on: "2025-01-20", amount: "10.00", reference: "2024-06"),   // no statement
            ReconcilePay(id: "K-1", on: "2025-01-21", amount: "10.00", reference: "2025-01"),   // has one after close
            ReconcilePay(id: "F-1", on: "2025-02-03", amount: "10.00", reference: "2024-06"),   // posted in February
        ])
        try books.payments("beta", [
            ReconcilePay(id: "U-2", on: "2025-01-22", amount: "10.00", reference: "2025-02"),   // future: no statement
            ReconcilePay(id: "N-1", on: "2025-01-23", amount: "10.00"),                         // no reference
        ])
        // Open period: payment kinds are skipped.
        #expect(try books.found("2025-01", asOf: "2025-02-05").isEmpty)
        try books.close("2025-01")
        // as-of 2025-02-05 is before the due date 2025-02-10: no shortfall yet.
        let found = try books.found("2025-01", asOf: "2025-02-05")
        #expect(seen(found) == [ReconcileSeen(.unknownReference, "acme", payment: "U-1"), ReconcileSeen(.unknownReference, "beta", payment: "U-2")])
        #expect(found.allSatisfy { $0.expected == nil && $0.actual == nil && $0.difference == nil && $0.severity == .warning })
        // Received on 2025-01-25 but imported after the close: posted 2025-02-01, so February's.
        try books.payments("acme", [ReconcilePay(id: "L-1", on: "2025-01-25", amount: "10.00", reference: "2024-07")])
        #expect(seen(try books.found("2025-01", asOf: "2025-02-05", .unknownReference)).map(\.payment) == ["U-1", "U-2"])
        try books.close("2025-02")
        #expect(seen(try books.found("2025-02", asOf: "2025-03-05", .unknownReference))
            == [ReconcileSeen(.unknownReference, "acme", payment: "F-1"), ReconcileSeen(.unknownReference, "acme", payment: "L-1")])
        // "When reconciling": 2025-02 now has beta's statement, so U-2 is no longer unknown.
        #expect(seen(try books.found("2025-01", asOf: "2025-02-05", .unknownReference)).map(\.payment) == ["U-1"])
    }

    @Test("LEDGER_INTEGRITY: one critical finding per verify problem, partner and figures null")
    func ledgerIntegrity() throws {
        let books = try Self.januaryClosed()
        defer { books.remove() }
        try books.payments("acme", [ReconcilePay(id: "P-1", on: "2025-02-05", amount: "500.00", reference: "2025-01")])
        #expect(try books.found("2025-01", asOf: "2025-03-01").isEmpty)
        // Behind the tool's back: the payment's bank posting becomes 600.00.
        try books.tamper("""
            DROP TRIGGER ledger_posting_no_update;
            UPDATE ledger_posting SET amount_minor = 60000
             WHERE entry_seq = (SELECT max(entry_seq) FROM ledger_posting) AND amount_minor = 50000;
            """)
        let problems = try IntegrityCheck.run(store: books.store).problems
        #expect(problems.count >= 2, "expected at least the hash and the balance problems: \(problems)")
        let found = try books.found("2025-01", asOf: "2025-03-01")
        #expect(found.map(\.kind) == Array(repeating: .ledgerIntegrity, count: problems.count))
        #expect(found.map(\.message).sorted() == problems.map(\.description).sorted())
        #expect(found.allSatisfy {
            $0.partnerID == nil && $0.period == Period("2025-01")! && $0.model == nil && $0.paymentID == nil
                && $0.expected == nil && $0.actual == nil && $0.difference == nil && $0.severity == .critical
        })
        #expect(Set(found.map(\.id)).count == found.count)
    }

    @Test("LEDGER_INTEGRITY: at most 100 findings")
    func ledgerIntegrityCapped() throws {
        let books = try Self.januaryClosed()
        defer { books.remove() }
        // 60 payment entries (1.00 each, after the due date nothing is short: 60 < 500 but as-of is
        // before the due date); every posting changed: each entry's hash and balance fail.
        try books.payments("acme", (1...60).map { ReconcilePay(id: "P-\($0)", on: "2025-02-01", amount: "1.00") })
        try books.tamper("DROP TRIGGER ledger_posting_no_update; UPDATE ledger_posting SET amount_minor = amount_minor + 1;")
        let problems = try IntegrityCheck.run(store: books.store).problems
        #expect(problems.count > 100)
        let found = try books.found("2025-01", asOf: "2025-02-05")
        #expect(found.count == 100)
        #expect(found.allSatisfy { $0.kind == .ledgerIntegrity })
        #expect(Set(found.map(\.message)).isSubset(of: Set(problems.map(\.description))))
    }

    @Test("Σ reported_share beyond Int64 micro-units is refused at import or reported, never a crash")
    func reportedShareOverflow() throws {
        // 5,000,000,000,000 × 10^6 micro-units = 5e18 fits; two rows sum to 1e19 > Int64.max.
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme")))
        defer { books.remove() }
        do {
            try books.usage(usageRows("acme", "2025-01", [
                ReconcileDay(day: 1, revenue: "10", share: "5000000000000"),
                ReconcileDay(day: 2, revenue: "10", share: "5000000000000"),
            ]))
        } catch let invalid as InvalidInput {
            #expect(invalid.category == .invalidInput)
            return
        }
        // Imported: reconcile must still run and report the mismatch (share 2.00 vs 10^13).
        let found = try books.found("2025-01", asOf: "2025-01-31")
        #expect(found.map(\.kind) == [.shareMismatch])
    }
}

// MARK: - Open periods, order, ids, resolve

@Suite("Reconciliation: open periods, order, stable ids, resolve")
struct ReconcileBehaviourTests {
    @Test("open period: the draft share is compared; payment kinds are skipped; closing brings them")
    func openPeriod() throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme")))
        defer { books.remove() }
        // share 10 % × 5000.00 = 500.00; reported 510.00: +10.00 > 1.00.
        try books.usage(usageRows("acme", "2025-01", [ReconcileDay(day: 1, revenue: "5000", share: "510")]))
        try books.payments("acme", [
            ReconcilePay(id: "U-1", on: "2025-01-15", amount: "900.00", reference: "2024-12"),   // unknown reference
            ReconcilePay(id: "O-1", on: "2025-01-16", amount: "900.00", reference: "2025-01"),   // 900 > 500: overpaid
        ])
        let open = try books.found("2025-01", asOf: "2025-06-01")
        #expect(seen(open) == [ReconcileSeen(.shareMismatch, "acme", "500.00", "510.00", "10.00")])
        try books.close("2025-01")
        // Closed: O-1 references 2025-01: 900.00 − 500.00 = 400.00 over; U-1 references 2024-12.
        #expect(seen(try books.found("2025-01", asOf: "2025-06-01")) == [
            ReconcileSeen(.overpayment, "acme", payment: "O-1", "500.00", "900.00", "400.00"),
            ReconcileSeen(.shareMismatch, "acme", "500.00", "510.00", "10.00"),
            ReconcileSeen(.unknownReference, "acme", payment: "U-1"),
        ])
    }

    @Test("order: critical first, then kind name, partner, model, payment_id")
    func order() throws {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("alpha"), partnerYAML("beta"), partnerYAML("gamma")))
        defer { books.remove() }
        // alpha: rows on days 1…30 of 31, share 10 % × 1000.00 = 100.00.
        try books.usage(usageRows("alpha", "2025-01", (1...30).map { ReconcileDay(day: $0, revenue: $0 == 1 ? "1000" : "0") }, fill: false))
        // beta: rows on days 1 and 2 only (m1 1000 tokens, m2 1000 tokens), share 100.00.
        try books.usage(usageRows("beta", "2025-01", [
            ReconcileDay(day: 1, model: "m1", input: 1000, revenue: "1000"),
            ReconcileDay(day: 2, model: "m2", input: 1000),
        ], fill: false))
        // meter: m2 3000, m1 2000 → both differ from the reported 1000.
        try books.meter(["2025-01-01,beta,m2,3000,0", "2025-01-01,beta,m1,2000,0"])
        // alpha's payments posted in January with unknown references, P-2 received first.
        try books.payments("alpha", [
            ReconcilePay(id: "P-2", on: "2025-01-09", amount: "1.00", reference: "2024-11"),
            ReconcilePay(id: "P-1", on: "2025-01-10", amount: "1.00", reference: "2024-12"),
        ])
        try books.close("2025-01")
        // Break the ledger: beta's share posting changes.
        try books.tamper("""
            DROP TRIGGER ledger_posting_no_update;
            UPDATE ledger_posting SET amount_minor = amount_minor + 1 WHERE entry_seq = (SELECT max(entry_seq) FROM ledger_posting);
            """)
        // as-of 2025-02-20 is after the due date 2025-02-10: alpha 2.00 of 100.00; beta 0.00 of 100.00;
        // gamma owes 0.00 (no usage, no minimum): no shortfall.
        let found = try books.found("2025-01", asOf: "2025-02-20")
        let integrity = found.prefix { $0.kind == .ledgerIntegrity }
        #expect(!integrity.isEmpty)
        #expect(seen(Array(found.dropFirst(integrity.count))) == [
            ReconcileSeen(.missingReport, "gamma"),
            ReconcileSeen(.paymentShortfall, "alpha", "100.00", "2.00", "-98.00"),
            ReconcileSeen(.paymentShortfall, "beta", "100.00", "0.00", "-100.00"),
            ReconcileSeen(.missingDays, "alpha", "31", "30", "-1"),
            ReconcileSeen(.missingDays, "beta", "31", "2", "-29"),
            ReconcileSeen(.unknownReference, "alpha", payment: "P-1"),
            ReconcileSeen(.unknownReference, "alpha", payment: "P-2"),
            ReconcileSeen(.usageMismatch, "beta", model: "m1", "2000", "1000", "-1000"),
            ReconcileSeen(.usageMismatch, "beta", model: "m2", "3000", "1000", "-2000"),
        ])
    }

    @Test("order: nulls first for partner, model and payment_id; then bytewise")
    func orderNullsFirst() {
        let p = Period("2025-01")!
        let shuffled = [
            Discrepancy(.usageMismatch, partner: "b", period: p, model: "m", message: ""),
            Discrepancy(.usageMismatch, partner: "a", period: p, model: "n", message: ""),
            Discrepancy(.usageMismatch, partner: "a", period: p, model: nil, message: ""),
            Discrepancy(.usageMismatch, partner: nil, period: p, model: "a", message: ""),
            Discrepancy(.latePayment, partner: "a", period: p, paymentID: "Z", message: ""),
            Discrepancy(.latePayment, partner: "a", period: p, paymentID: nil, message: ""),
            Discrepancy(.latePayment, partner: "a", period: p, paymentID: "B", message: ""),
            Discrepancy(.usageMismatch, partner: "a", period: p, model: "m", message: ""),
            Discrepancy(.missingReport, partner: "z", period: p, message: ""),
        ]
        let sorted = shuffled.sorted(by: Discrepancy.precedes).map { "\($0.kind.rawValue) \($0.partnerID ?? "-") \($0.model ?? "-") \($0.paymentID ?? "-")" }
        #expect(sorted == [
            "MISSING_REPORT z - -",
            "LATE_PAYMENT a - -",
            "LATE_PAYMENT a - B",
            "LATE_PAYMENT a - Z",
            "USAGE_MISMATCH - a -",
            "USAGE_MISMATCH a - -",
            "USAGE_MISMATCH a m -",
            "USAGE_MISMATCH a n -",
            "USAGE_MISMATCH b m -",
        ])
    }

    /// acme reports 10 of 31 days; beta reports nothing; gamma reports every day.
    private func idScenario() throws -> ReconcileBooks {
        let books = try ReconcileBooks(agreementsYAML(partnerYAML("acme"), partnerYAML("beta"), partnerYAML("gamma")))
        try books.usage(usageRows("acme", "2025-01", (1...10).map { ReconcileDay(day: $0, revenue: "1") }, fill: false))
        try books.usage(usageRows("gamma", "2025-01", [ReconcileDay(day: 1, revenue: "1")]))
        return books
    }

    @Test("ids: same facts, same id on every run, after unrelated imports and when figures change")
    func stableIDs() throws {
        let books = try idScenario()
        defer { books.remove() }
        let first = try books.found("2025-01", asOf: "2025-02-05")
        #expect(seen(first) == [ReconcileSeen(.missingReport, "beta"), ReconcileSeen(.missingDays, "acme", "31", "10", "-21")])
        #expect(first.allSatisfy { $0.id.count == 18 && $0.id.hasPrefix("D-") })
        #expect(Set(first.map(\.id)).count == 2)
        let second = try books.found("2025-01", asOf: "2025-02-05")
        #expect(second.map(\.id) == first.map(\.id))
        // An unrelated import: gamma's February usage.
        try books.usage(usageRows("gamma", "2025-02", [ReconcileDay(day: 1, revenue: "1")]))
        #expect(try books.found("2025-01", asOf: "2025-02-06").map(\.id) == first.map(\.id))
        // acme restates with 20 days: the figure changes, the id does not.
        try books.usage(usageRows("acme", "2025-01", (1...20).map { ReconcileDay(day: $0, revenue: "1") }, fill: false), restate: true)
        let restated = try books.found("2025-01", asOf: "2025-02-06")
        #expect(seen(restated) == [ReconcileSeen(.missingReport, "beta"), ReconcileSeen(.missingDays, "acme", "31", "20", "-11")])
        #expect(restated.map(\.id) == first.map(\.id))
        #expect(try books.record(first[1].id)?.discrepancy.actual == "20")
        // The same kind and partner in another period is another discrepancy.
        let february = try books.found("2025-02", asOf: "2025-03-05", .missingReport)
        #expect(!february.isEmpty && !february.map(\.id).contains(first[0].id))
    }

    @Test("a finding no longer true leaves the listing but stays in the store")
    func vanishedFinding() throws {
        let books = try idScenario()
        defer { books.remove() }
        let first = try books.found("2025-01", asOf: "2025-02-05")
        let missingReportID = try #require(first.first { $0.kind == .missingReport }?.id)
        try books.usage(usageRows("beta", "2025-01", [ReconcileDay(day: 1, revenue: "1")]))
        let after = try books.found("2025-01", asOf: "2025-02-05")
        #expect(seen(after) == [ReconcileSeen(.missingDays, "acme", "31", "10", "-21")])
        let kept = try #require(try books.record(missingReportID))
        #expect(kept.discrepancy.kind == .missingReport && kept.discrepancy.partnerID == "beta")
        #expect(kept.foundByLatestRun == false)
        let all = try books.store.read("records") { try $0.discrepancyRecords(period: Period("2025-01")!) }
        #expect(Set(all.map(\.discrepancy.id)) == Set(first.map(\.id)))
    }

    @Test("resolve: status resolved, note kept, summary counts open only; unknown id names known ids")
    func resolve() throws {
        let books = try idScenario()
        defer { books.remove() }
        let report = try books.reconcile("2025-01", asOf: "2025-02-05")
        #expect(report.openCount(.critical) == 1 && report.openCount(.warning) == 1)
        #expect(report.hasOpen(atLeast: .critical) && report.hasOpen(atLeast: .warning))
        let days = try #require(report.listed.first { $0.discrepancy.kind == .missingDays }?.discrepancy)
        let note = "acme confirmed no traffic after 10 January"
        let record = try Reconciler.resolve(id: days.id, note: note, store: books.store)
        #expect(record.isResolved)
        #expect(record.resolutions.map(\.note) == [note])
        #expect(record.discrepancy.id == days.id)
        let again = try books.reconcile("2025-01", asOf: "2025-02-05")
        #expect(again.listed.map { "\($0.discrepancy.kind.rawValue) \($0.status.rawValue)" }
            == ["MISSING_REPORT open", "MISSING_DAYS resolved"])
        #expect(again.openCount(.critical) == 1 && again.openCount(.warning) == 0)
        // warning or worse: the critical MISSING_REPORT is still open.
        #expect(again.hasOpen(atLeast: .warning))
        let critical = try #require(again.listed.first?.discrepancy)
        _ = try Reconciler.resolve(id: critical.id, note: "beta onboarding slipped", store: books.store)
        let quiet = try books.reconcile("2025-01", asOf: "2025-02-05")
        #expect(quiet.listed.count == 2 && quiet.openCount(.critical) == 0 && quiet.openCount(.warning) == 0)
        #expect(!quiet.hasOpen(atLeast: .warning) && !quiet.hasOpen(atLeast: .critical))
        #expect(try books.record(days.id)?.resolutions.map(\.note) == [note])
        // Unknown id: invalid input naming the ids that exist.
        do {
            _ = try Reconciler.resolve(id: "D-0000000000000000", note: "x", store: books.store)
            Issue.record("resolving an unknown id succeeded")
        } catch let refusal as Refusal {
            #expect(refusal.category == .invalidInput)
            #expect(refusal.message.contains("D-0000000000000000"))
            #expect(refusal.message.contains(days.id) && refusal.message.contains(critical.id))
        }
    }
}
