import Foundation
import Testing
import TestSupport

/// `revshare agreements load` and `revshare partners`, run as a user would.
struct AgreementCommandTests {
    static let agreements = """
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
              - id: AWS-2025
                effective_from: 2025-03
                basis: per_million_tokens
                prices:
                  default: {input: 0.05, output: 0.10}
                  llama-3.1-405b-instruct: {input: 0.50, output: 1.00}

        """

    @Test("load, reload from stdin, list as text and JSON")
    func loadAndList() throws {
        let directory = TemporaryDirectory("e2e-agreements")
        defer { directory.remove() }
        #expect(try RevShareExecutable.run(["init"], in: directory.path).status == 0)
        directory.write("agreements.yaml", Self.agreements)

        let first = try RevShareExecutable.run(["agreements", "load", "agreements.yaml"], in: directory.path)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("loaded agreements.yaml (sha256 "))
        #expect(first.stdout.contains("): 1 partner, 2 agreements; partners: 1 added; agreements: 2 added\n"))

        let again = try RevShareExecutable.run(["agreements", "load", "-"], in: directory.path, stdin: Data(Self.agreements.utf8))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.hasPrefix("loaded <stdin> (sha256 "))
        #expect(again.stdout.hasSuffix("): 1 partner, 2 agreements; no change\n"))

        let json = try RevShareExecutable.run(["partners", "--format", "json"], in: directory.path)
        #expect(json.status == 0)
        #expect(json.stdout.hasPrefix("""
            {
              "partners": [
                {
                  "id": "aws",
                  "name": "Amazon Web Services",
                  "currency": "USD",
                  "payment_terms_days": 45,
                  "agreements": [
                    {
                      "id": "AWS-2024",
                      "effective_from": "2024-07",
                      "effective_through": "2025-02",
                      "basis": "revenue_percent",
                      "minimum_monthly": "50000.00",
                      "tiers": [
                        {
                          "up_to": "1000000.000000",
                          "rate": "0.100000"
                        },
                        {
                          "up_to": null,
                          "rate": "0.120000"
                        }
                      ],
            """))
        #expect(json.stdout.contains("""
                      "prices": {
                        "default": {
                          "input": "0.050000",
                          "output": "0.100000"
                        },
                        "llama-3.1-405b-instruct": {
                          "input": "0.500000",
                          "output": "1.000000"
                        }
                      },
            """))

        let text = try RevShareExecutable.run(["partners", "--output", "partners.txt"], in: directory.path)
        #expect(text.status == 0)
        #expect(text.stdout.isEmpty)
        let written = try String(contentsOfFile: directory.file("partners.txt"), encoding: .utf8)
        #expect(written.contains("aws: Amazon Web Services (USD, payment terms 45 days)"))
        #expect(written.contains("AWS-2024: revenue_percent, from 2024-07 through 2025-02, minimum 50000.00 USD a month"))
        #expect(written.contains("(default)                    0.050000       0.100000"))
    }

    @Test("every error is printed, exit 65, nothing loaded")
    func invalid() throws {
        let directory = TemporaryDirectory("e2e-agreements-invalid")
        defer { directory.remove() }
        #expect(try RevShareExecutable.run(["init"], in: directory.path).status == 0)
        let broken = Self.agreements
            .replacingOccurrences(of: "minimum_monthly", with: "minimun_monthly")
            .replacingOccurrences(of: "rate: 0.12", with: "rate: 1.2")
        directory.write("bad.yaml", broken)
        let result = try RevShareExecutable.run(["agreements", "load", "bad.yaml"], in: directory.path)
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("bad.yaml:13:19: partner aws, agreement AWS-2024, tiers[1].rate: 1.2 is above 1; a rate is a fraction from 0 to 1\n"))
        #expect(result.stderr.contains("bad.yaml:14:9: partner aws, agreement AWS-2024, minimun_monthly: unknown key (did you mean minimum_monthly?); expected one of id, effective_from, basis, tiers, prices, minimum_monthly, tolerance, list_prices\n"))
        let partners = try RevShareExecutable.run(["partners", "--format", "json"], in: directory.path)
        #expect(partners.stdout == "{\n  \"partners\": []\n}\n")
    }

    @Test("exit 66 for a missing file, a directory, or a missing database", arguments: [
        (["agreements", "load", "nosuch.yaml"], "nosuch.yaml: no such file"),
        (["agreements", "load", "."], ".: is a directory, not an agreements file"),
    ] as [([String], String)])
    func notFound(arguments: [String], message: String) throws {
        let directory = TemporaryDirectory("e2e-agreements-66")
        defer { directory.remove() }
        let missingDatabase = try RevShareExecutable.run(arguments, in: directory.path)
        #expect(missingDatabase.status == 66)
        #expect(missingDatabase.stderr.contains("revshare init"))
        #expect(try RevShareExecutable.run(["init"], in: directory.path).status == 0)
        let result = try RevShareExecutable.run(arguments, in: directory.path)
        #expect(result.status == 66)
        #expect(result.stderr.contains(message))
    }
}
