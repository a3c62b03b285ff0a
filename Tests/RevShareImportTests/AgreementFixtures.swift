import Foundation
import RevShareCore
import RevShareImport
import RevShareStore
import TestSupport

/// Agreement files and helpers shared by the agreement tests.
enum AgreementFixtures {
    /// SPEC §3.1's example, two partners. Line numbers matter to the tests that quote them.
    static let sample = """
        partners:
          - id: aws
            name: Amazon Web Services
            currency: USD
            payment_terms_days: 45
            agreements:
              - id: AWS-2024
                effective_from: 2024-07
                basis: revenue_percent
                tiers:
                  - up_to: 1000000
                    rate: 0.10
                  - rate: 0.12
                minimum_monthly: 50000
                tolerance:
                  amount: 1.00
                  relative: 0.001
                  price_relative: 0.05
                list_prices:
                  llama-3.1-70b-instruct: {input: 0.72, output: 0.72}
              - id: AWS-2025
                effective_from: 2025-03
                basis: per_million_tokens
                prices:
                  default: {input: 0.05, output: 0.10}
                  llama-3.1-405b-instruct: {input: 0.50, output: 1.00}
          - id: groq
            name: Groq
            currency: JPY
            payment_terms_days: 30
            agreements:
              - id: GROQ-1
                effective_from: 2024-10
                basis: revenue_percent
                tiers:
                  - rate: 0.2
                minimum_monthly: 1200

        """

    static let aws2024 = Agreement(
        id: "AWS-2024", partnerID: "aws", effectiveFrom: Period("2024-07")!, basis: .revenuePercent,
        tiers: [Tier(upToMicros: 1_000_000_000_000, rateMicros: 100_000), Tier(upToMicros: nil, rateMicros: 120_000)],
        prices: [:], defaultPrice: nil, minimumMonthlyMinor: 5_000_000, tolerance: .standard,
        listPrices: ["llama-3.1-70b-instruct": TokenPrice(inputMicros: 720_000, outputMicros: 720_000)])

    static let aws2025 = Agreement(
        id: "AWS-2025", partnerID: "aws", effectiveFrom: Period("2025-03")!, basis: .perMillionTokens, tiers: [],
        prices: ["llama-3.1-405b-instruct": TokenPrice(inputMicros: 500_000, outputMicros: 1_000_000)],
        defaultPrice: TokenPrice(inputMicros: 50_000, outputMicros: 100_000), minimumMonthlyMinor: nil,
        tolerance: .standard, listPrices: [:])

    static let groq1 = Agreement(
        id: "GROQ-1", partnerID: "groq", effectiveFrom: Period("2024-10")!, basis: .revenuePercent,
        tiers: [Tier(upToMicros: nil, rateMicros: 200_000)], prices: [:], defaultPrice: nil,
        minimumMonthlyMinor: 1200, tolerance: .standard, listPrices: [:])

    static let samplePartners = [
        Partner(id: "aws", name: "Amazon Web Services", currency: Currency(code: "USD")!, paymentTermsDays: 45,
                agreements: [aws2024, aws2025]),
        Partner(id: "groq", name: "Groq", currency: Currency(code: "JPY")!, paymentTermsDays: 30, agreements: [groq1]),
    ]

    /// One partner `aws` (USD, 45 days) whose single agreement `AWS-2024` (from 2024-07) has
    /// `agreementBody` after its id line. Lines: 1 `partners:`, 2 `- id: aws`, 6 `agreements:`,
    /// 7 `- id: AWS-2024`, the body from line 8, indented 8 spaces.
    static func oneAgreement(_ agreementBody: String, partnerExtra: String = "") -> String {
        var text = """
            partners:
              - id: aws
                name: Amazon Web Services
                currency: USD
                payment_terms_days: 45
                agreements:
                  - id: AWS-2024

            """
        for line in agreementBody.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            text += "        " + line + "\n"
        }
        text += partnerExtra
        return text
    }

    static let revenueBody = """
        effective_from: 2024-07
        basis: revenue_percent
        tiers:
          - up_to: 1000000
            rate: 0.10
          - rate: 0.12
        """

    /// Parses `text`, expecting failure, and returns the diagnostics.
    static func diagnostics(_ text: String, file: String = "a.yaml") -> [String] {
        do {
            _ = try AgreementsParser.parse(Array(text.utf8), fileName: file)
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func parse(_ text: String) throws -> [Partner] {
        try AgreementsParser.parse(Array(text.utf8), fileName: "a.yaml")
    }
}

/// A store in a temporary directory with a fixed clock; `remove()` when done.
struct AgreementTestStore {
    let directory = TemporaryDirectory("agreements")
    let store: Store

    init() throws {
        store = try Store.open(path: directory.file("revshare.sqlite"), create: true, clock: .fixed("2025-01-01T00:00:00Z"))
    }

    @discardableResult
    func load(_ text: String, as name: String = "agreements.yaml") throws -> AgreementLoadSummary {
        try AgreementLoader.load(Array(text.utf8), fileName: name, into: store)
    }

    func partners() throws -> [Partner] { try store.read("partners") { try $0.partners() } }

    func loads() throws -> [AgreementLoadRecord] { try store.read("loads") { try $0.agreementLoads() } }

    /// Closes `first` through `last` the way the close does: `closed_period` markers.
    func close(_ first: String, through last: String) throws {
        try store.write("close") { context in
            var period = Period(first)!
            while period <= Period(last)! {
                try context.markClosed(period)
                period = period.next!
            }
        }
    }

    func remove() { directory.remove() }
}
