import Foundation
import RevShareCore
import RevShareDomain
import RevShareImport
import RevShareStore
import Testing
import TestSupport

@Suite("Agreements: loading into the store")
struct AgreementLoaderTests {
    @Test("a first load stores exactly what the file says and records the load")
    func firstLoad() throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        let summary = try fixture.load(AgreementFixtures.sample)
        #expect(summary.changed)
        #expect(summary.partnerCount == 2)
        #expect(summary.agreementCount == 3)
        #expect(summary.diff.addedPartners == ["aws", "groq"])
        #expect(summary.diff.addedAgreements == ["AWS-2024", "AWS-2025", "GROQ-1"])
        #expect(summary.sha256 == EntryHash.sha256Hex(Array(AgreementFixtures.sample.utf8)))

        #expect(try fixture.partners() == AgreementFixtures.samplePartners)
        let aws = try fixture.store.read("aws") { try $0.partner(id: "aws") }
        #expect(aws == AgreementFixtures.samplePartners[0])
        #expect(try fixture.store.read("none") { try $0.partner(id: "nosuch") } == nil)

        let loads = try fixture.loads()
        #expect(loads.count == 1)
        #expect(loads[0].fileName == "agreements.yaml")
        #expect(loads[0].sha256 == summary.sha256)
        #expect(loads[0].loadedAt == "2025-01-01T00:00:00Z")
        #expect(loads[0].changed)
        #expect(loads[0].canonical == AgreementCanonical.text(AgreementFixtures.samplePartners))
    }

    @Test("loading the same content again changes nothing, but is recorded")
    func idempotent() throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        try fixture.load(AgreementFixtures.sample)
        let second = try fixture.load(AgreementFixtures.sample, as: "<stdin>")
        #expect(!second.changed)
        #expect(second.diff.isEmpty)
        #expect(try fixture.partners() == AgreementFixtures.samplePartners)
        let loads = try fixture.loads()
        #expect(loads.map(\.changed) == [true, false])
        #expect(loads.map(\.fileName) == ["agreements.yaml", "<stdin>"])
        #expect(loads[0].canonical == loads[1].canonical)
        #expect(loads[0].sha256 == loads[1].sha256)
    }

    @Test("0.10 and 0.1 are the same value: no change")
    func trailingZeros() throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        try fixture.load(AgreementFixtures.sample)
        let rewritten = AgreementFixtures.sample
            .replacingOccurrences(of: "rate: 0.10", with: "rate: 0.1")
            .replacingOccurrences(of: "rate: 0.12", with: "rate: \"0.120000\"")
            .replacingOccurrences(of: "minimum_monthly: 50000", with: "minimum_monthly: 50000.00")
            .replacingOccurrences(of: "up_to: 1000000", with: "up_to: '1000000.0'")
        #expect(rewritten != AgreementFixtures.sample)
        let summary = try fixture.load(rewritten)
        #expect(!summary.changed)
        let loads = try fixture.loads()
        #expect(loads.count == 2)
        #expect(loads[0].sha256 != loads[1].sha256)
        #expect(loads[0].canonical == loads[1].canonical)
    }

    @Test("a change to what governs only open periods is applied")
    func openChanges() throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        try fixture.load(AgreementFixtures.sample)
        try fixture.close("2024-07", through: "2025-01")
        // AWS-2025 (from 2025-03) governs only open periods; payment terms and names may change.
        let changed = AgreementFixtures.sample
            .replacingOccurrences(of: "llama-3.1-405b-instruct: {input: 0.50, output: 1.00}", with: "llama-3.1-405b-instruct: {input: 0.55, output: 1.00}")
            .replacingOccurrences(of: "payment_terms_days: 45", with: "payment_terms_days: 60")
            .replacingOccurrences(of: "name: Groq", with: "name: Groq Inc.")
            + """
              - id: dell
                name: Dell
                currency: EUR
                payment_terms_days: 30
                agreements:
                  - id: DELL-1
                    effective_from: 2025-02
                    basis: revenue_percent
                    tiers: [{rate: 0.05}]

            """
        let summary = try fixture.load(changed)
        #expect(summary.diff.addedPartners == ["dell"])
        #expect(summary.diff.changedPartners == ["aws", "groq"])
        #expect(summary.diff.addedAgreements == ["DELL-1"])
        #expect(summary.diff.changedAgreements == ["AWS-2025"])
        #expect(summary.diff.removedAgreements == [])
        let partners = try fixture.partners()
        #expect(partners.map(\.id) == ["aws", "dell", "groq"])
        #expect(partners[0].paymentTermsDays == 60)
        #expect(partners[0].agreements[1].prices["llama-3.1-405b-instruct"] == TokenPrice(inputMicros: 550_000, outputMicros: 1_000_000))
        #expect(partners[0].agreements[0] == AgreementFixtures.aws2024)
        #expect(partners[2].name == "Groq Inc.")

        // Removing an open-period agreement is allowed too; AWS-2024 then governs onwards.
        let removed = try fixture.load(AgreementFixtures.sample.replacingOccurrences(of: """
                  - id: AWS-2025
                    effective_from: 2025-03
                    basis: per_million_tokens
                    prices:
                      default: {input: 0.05, output: 0.10}
                      llama-3.1-405b-instruct: {input: 0.50, output: 1.00}

            """, with: ""))
        #expect(removed.diff.removedAgreements == ["AWS-2025", "DELL-1"])
        #expect(removed.diff.removedPartners == ["dell"])
        #expect(try fixture.partners().map(\.id) == ["aws", "groq"])
        #expect(try fixture.loads().map(\.changed) == [true, true, true])
    }

    /// Refused loads: the exact message, and nothing changed (not even a load record).
    static let refusedChanges: [(String, String, [String])] = [
        ("change an agreement that governs a closed period",
         AgreementFixtures.sample.replacingOccurrences(of: "rate: 0.10", with: "rate: 0.11"),
         ["agreements.yaml: partner aws, agreement AWS-2024: changing it is refused: it governs closed periods 2024-07 through 2025-01; restore it as it was loaded, and put new terms in a new agreement effective from 2025-02 or later"]),
        ("remove an agreement that governs a closed period",
         AgreementFixtures.sample.replacingOccurrences(of: """
                  - id: GROQ-1
                    effective_from: 2024-10
                    basis: revenue_percent
                    tiers:
                      - rate: 0.2
                    minimum_monthly: 1200

            """, with: ""),
         ["agreements.yaml: partner groq, agreement GROQ-1: removing it is refused: it governs closed periods 2024-10 through 2025-01; keep it in the file as it was loaded"]),
        ("remove a partner whose agreement governs a closed period",
         String(AgreementFixtures.sample[..<AgreementFixtures.sample.range(of: "  - id: groq")!.lowerBound]),
         ["agreements.yaml: partner groq: removing it is refused: its agreement GROQ-1 governs closed periods 2024-10 through 2025-01; keep the partner and its agreements in the file as they were loaded"]),
        ("add an agreement effective on or before the latest closed period",
         AgreementFixtures.sample + """
                  - id: GROQ-2
                    effective_from: 2025-01
                    basis: revenue_percent
                    tiers: [{rate: 0.3}]

            """,
         ["agreements.yaml: partner groq, agreement GROQ-2: refused: effective_from 2025-01 would make it govern closed period 2025-01 in place of agreement GROQ-1; an agreement added or changed now must start in 2025-02 or later"]),
        ("add an agreement before any closed period",
         AgreementFixtures.sample + """
                  - id: GROQ-0
                    effective_from: 2024-01
                    basis: revenue_percent
                    tiers: [{rate: 0.3}]

            """,
         ["agreements.yaml: partner groq, agreement GROQ-0: adding it is refused: its effective_from 2024-01 is on or before the latest closed period 2025-01; an agreement added or changed now must start in 2025-02 or later"]),
        ("change a partner's currency while an agreement governs a closed period",
         AgreementFixtures.sample.replacingOccurrences(of: "currency: JPY", with: "currency: EUR"),
         ["agreements.yaml: partner groq: changing its currency from JPY to EUR is refused: its agreement GROQ-1 governs closed periods 2024-10 through 2025-01"]),
        ("move a later agreement into the closed range",
         AgreementFixtures.sample.replacingOccurrences(of: "effective_from: 2025-03", with: "effective_from: 2024-12"),
         ["agreements.yaml: partner aws, agreement AWS-2025: refused: effective_from 2024-12 would make it govern closed period 2024-12 in place of agreement AWS-2024; an agreement added or changed now must start in 2025-02 or later"]),
    ]

    @Test("a change to what governs a closed period is refused, nothing changed", arguments: refusedChanges)
    func refused(name: String, yaml: String, expected: [String]) throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        try fixture.load(AgreementFixtures.sample)
        try fixture.close("2024-07", through: "2025-01")
        do {
            try fixture.load(yaml)
            Issue.record("\(name): expected a refusal")
        } catch let refusal as AgreementLoadRefusal {
            #expect(refusal.category == .invalidInput)
            #expect(refusal.diagnostics == expected + ["agreements.yaml: the load was refused; nothing was changed"], "\(name)")
        }
        #expect(try fixture.partners() == AgreementFixtures.samplePartners)
        #expect(try fixture.loads().count == 1)
    }

    @Test("closed periods: markers are idempotent and contiguous ranges read back")
    func closedPeriods() throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        #expect(try fixture.store.read("closed") { try $0.closedPeriodRange() } == nil)
        #expect(try fixture.store.read("latest") { try $0.latestClosedPeriod() } == nil)
        try fixture.close("2024-11", through: "2025-01")
        #expect(try fixture.store.write("again") { try $0.markClosed(Period("2025-01")!) } == false)
        #expect(try fixture.store.read("closed") { try $0.closedPeriods() } == [period("2024-11"), period("2024-12"), period("2025-01")])
        #expect(try fixture.store.read("closed") { try $0.closedPeriodRange() } == period("2024-11")...period("2025-01"))
        #expect(try fixture.store.read("latest") { try $0.latestClosedPeriod() } == period("2025-01"))
        #expect(try fixture.store.read("is") { try $0.isClosed(period("2024-12")) })
        #expect(try !fixture.store.read("is") { try $0.isClosed(period("2025-02")) })
    }

    @Test("an invalid file changes nothing and records nothing")
    func invalidFile() throws {
        let fixture = try AgreementTestStore()
        defer { fixture.remove() }
        try fixture.load(AgreementFixtures.sample)
        #expect(throws: AgreementFileError.self) {
            try fixture.load(AgreementFixtures.sample.replacingOccurrences(of: "minimum_monthly: 50000", with: "minimun_monthly: 50000"))
        }
        #expect(try fixture.partners() == AgreementFixtures.samplePartners)
        #expect(try fixture.loads().count == 1)
    }

    @Test("missing files and directories are not found (exit 66)")
    func missingInput() throws {
        let directory = TemporaryDirectory("agreements-input")
        defer { directory.remove() }
        for (path, message) in [
            (directory.file("nosuch.yaml"), "\(directory.file("nosuch.yaml")): no such file; give the path of an agreements YAML file, or - for standard input"),
            (directory.path, "\(directory.path): is a directory, not an agreements file"),
        ] {
            do {
                _ = try AgreementInput.read(path)
                Issue.record("expected \(path) to be refused")
            } catch let refusal as Refusal {
                #expect(refusal == Refusal(.notFound, message))
            }
        }
        let file = directory.write("a.yaml", "partners: []\n")
        let input = try AgreementInput.read(file)
        #expect(input.bytes == Array("partners: []\n".utf8))
        #expect(input.fileName == file)
        #expect(throws: Refusal(.invalidInput, "\(file): the file is larger than the 5 bytes (10 MiB) an agreements file may have; nothing was changed")) {
            try AgreementInput.read(file, limit: 5)
        }
    }
}

@Suite("Agreements: the rules on changes, as a pure function")
struct AgreementChangeRuleTests {
    let partners = try! AgreementsParser.parse(Array(AgreementFixtures.sample.utf8), fileName: "a.yaml")
    let closed = Period("2024-07")!...Period("2025-01")!

    @Test("agreement ids and partner names are compared byte for byte: a change of normal form is a change")
    func diffIsByteExact() {
        let groq = partners[1], agreement = groq.agreements[0]
        func renamed(_ id: String, name: String) -> Partner {
            let moved = Agreement(id: id, partnerID: agreement.partnerID, effectiveFrom: agreement.effectiveFrom,
                                  basis: agreement.basis, tiers: agreement.tiers, prices: agreement.prices,
                                  defaultPrice: agreement.defaultPrice, minimumMonthlyMinor: agreement.minimumMonthlyMinor,
                                  tolerance: agreement.tolerance, listPrices: agreement.listPrices)
            return Partner(id: groq.id, name: name, currency: groq.currency, paymentTermsDays: groq.paymentTermsDays,
                           agreements: [moved])
        }
        let precomposed = renamed("G-caf\u{E9}", name: "Caf\u{E9}")
        let decomposed = renamed("G-cafe\u{301}", name: "Cafe\u{301}")
        let diff = AgreementSetDiff(from: [partners[0], precomposed], to: [partners[0], decomposed])
        #expect(diff.addedAgreements.map { Array($0.utf8) } == [Array("G-cafe\u{301}".utf8)])
        #expect(diff.removedAgreements.map { Array($0.utf8) } == [Array("G-caf\u{E9}".utf8)])
        #expect(diff.changedPartners == ["groq"])
        #expect(AgreementSetDiff(from: [partners[0], decomposed], to: [partners[0], decomposed]).isEmpty)
    }

    @Test("nothing closed: anything may change")
    func nothingClosed() {
        #expect(AgreementChangeRules.problems(current: partners, desired: [], closed: nil, references: [:]).isEmpty)
    }

    @Test("removing a partner that records refer to is refused, even with nothing closed")
    func referencedPartner() {
        let references = ["groq": PartnerReferences(usageReports: 2, meterReports: 0, payments: 1)]
        let desired = partners.filter { $0.id == "aws" }
        #expect(AgreementChangeRules.problems(current: partners, desired: desired, closed: nil, references: references) == [
            "partner groq: removing it is refused: 2 usage reports, 1 payment refer to it; keep it in the file",
        ])
        #expect(AgreementChangeRules.problems(current: partners, desired: desired, closed: nil, references: [:]).isEmpty)
    }

    @Test("changing the currency of a partner with recorded usage or payments is refused")
    func currencyWithReferences() {
        let groq = partners[1]
        let euro = Partner(id: groq.id, name: groq.name, currency: Currency(code: "EUR")!, paymentTermsDays: groq.paymentTermsDays,
                           agreements: groq.agreements)
        let references = ["groq": PartnerReferences(usageReports: 1, meterReports: 0, payments: 0)]
        #expect(AgreementChangeRules.problems(current: partners, desired: [partners[0], euro], closed: nil, references: references) == [
            "partner groq: changing its currency from JPY to EUR is refused: 1 usage report recorded in JPY refer to it",
        ])
    }

    @Test("an agreement superseded before the first closed period governs nothing closed")
    func supersededBeforeClose() {
        let later = Period("2024-11")!...Period("2025-01")!
        let governed = AgreementChangeRules.governedClosedPeriods(of: partners[0], closed: later)
        #expect(governed.map(\.agreement.id) == ["AWS-2024"])
        #expect(governed.map(\.periods) == [Period("2024-11")!...Period("2025-01")!])
        let none = AgreementChangeRules.governedClosedPeriods(of: partners[0], closed: Period("2025-03")!...Period("2025-04")!)
        #expect(none.map(\.agreement.id) == ["AWS-2025"])
        #expect(AgreementChangeRules.governedClosedPeriods(of: partners[0], closed: Period("2024-01")!...Period("2024-06")!).isEmpty)
    }
}
