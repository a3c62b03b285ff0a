import Foundation
import RevShareCore
import RevShareImport
import Testing

@Suite("Agreements YAML: parsing")
struct AgreementParserTests {
    @Test("SPEC §3.1's example parses into exact values")
    func sample() throws {
        let partners = try AgreementFixtures.parse(AgreementFixtures.sample)
        #expect(partners == AgreementFixtures.samplePartners)
        #expect(partners[0].agreements.map(\.id) == ["AWS-2024", "AWS-2025"])
        #expect(partners[0].agreements[1].price(for: "llama-3.1-405b-instruct") == TokenPrice(inputMicros: 500_000, outputMicros: 1_000_000))
        #expect(partners[0].agreements[1].price(for: "other") == TokenPrice(inputMicros: 50_000, outputMicros: 100_000))
    }

    /// Values with no exact binary form survive: the scalar's text is read, never a Double.
    @Test("rates are exact decimals, quoted or not", arguments: [
        ("0.1", 100_000), ("0.10", 100_000), ("'0.1'", 100_000), ("\"0.1\"", 100_000),
        ("0.000001", 1), ("\"0.000001\"", 1), ("0.29", 290_000), ("'0.29'", 290_000),
        ("0.3", 300_000), ("0.7", 700_000), ("0.57", 570_000), ("1", 1_000_000), ("1.000000", 1_000_000),
        ("0", 0), ("0.123456", 123_456), ("0.999999", 999_999),
    ] as [(String, Int64)])
    func exactRates(text: String, micros: Int64) throws {
        let yaml = AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - rate: \(text)
            """)
        let agreement = try #require(try AgreementFixtures.parse(yaml).first?.agreements.first)
        #expect(agreement.tiers == [Tier(upToMicros: nil, rateMicros: micros)])
    }

    @Test("bounds, prices and tolerances are exact micro-units", arguments: [
        ("0.29", 290_000), ("1000000.5", 1_000_000_500_000), ("'0.72'", 720_000), ("9223372036854.775807", Int64.max),
        ("12345678.000001", 12_345_678_000_001),
    ] as [(String, Int64)])
    func exactMicros(text: String, micros: Int64) throws {
        let yaml = AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: per_million_tokens
            prices:
              m: {input: \(text), output: \(text)}
            tolerance:
              amount: \(text)
              relative: \(text)
              price_relative: \(text)
            list_prices:
              m: {input: \(text), output: 0}
            """)
        let agreement = try #require(try AgreementFixtures.parse(yaml).first?.agreements.first)
        #expect(agreement.prices == ["m": TokenPrice(inputMicros: micros, outputMicros: micros)])
        #expect(agreement.tolerance == Tolerance(amountMicros: micros, relativeMicros: micros, priceRelativeMicros: micros))
        #expect(agreement.listPrices == ["m": TokenPrice(inputMicros: micros, outputMicros: 0)])

        let tiers = try AgreementFixtures.parse(AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: \(text)
                rate: 0.1
              - rate: 0.2
            """))
        #expect(tiers.first?.agreements.first?.tiers.first?.upToMicros == micros)
    }

    @Test("minimum_monthly is in the currency's minor units", arguments: [
        ("USD", "50000", 5_000_000), ("USD", "0.29", 29), ("USD", "'1234.5'", 123_450), ("JPY", "1200", 1200),
        ("KWD", "1.250", 1250), ("KWD", "0.001", 1), ("CLF", "0.0001", 1),
    ] as [(String, String, Int64)])
    func minimumMonthly(currency: String, text: String, minor: Int64) throws {
        let yaml = """
            partners:
              - id: p
                name: P
                currency: \(currency)
                payment_terms_days: 0
                agreements:
                  - id: A
                    effective_from: 2024-07
                    basis: revenue_percent
                    tiers: [{rate: 0.1}]
                    minimum_monthly: \(text)
            """
        let partner = try #require(try AgreementFixtures.parse(yaml).first)
        #expect(partner.agreements.first?.minimumMonthlyMinor == minor)
        #expect(partner.currency.code == currency)
    }

    @Test("optional parts: no tolerance means the defaults; no minimum; no agreements; partners: []")
    func optionalParts() throws {
        let partners = try AgreementFixtures.parse("""
            partners:
              - id: a
                name: A
                currency: EUR
                payment_terms_days: 3650
                agreements:
                  - id: A-1
                    effective_from: 2024-01
                    basis: revenue_percent
                    tiers: [{rate: 1}]
                    tolerance:
                      amount: 0
              - id: b-2
                name: B
                currency: EUR
                payment_terms_days: 0
            """)
        #expect(partners.map(\.id) == ["a", "b-2"])
        let agreement = try #require(partners[0].agreements.first)
        #expect(agreement.minimumMonthlyMinor == nil)
        #expect(agreement.tolerance == Tolerance(amountMicros: 0, relativeMicros: 1_000, priceRelativeMicros: 50_000))
        #expect(partners[1].agreements.isEmpty)
        #expect(try AgreementFixtures.parse("partners: []\n").isEmpty)
        // A leading BOM is ignored.
        #expect(try AgreementsParser.parse([0xEF, 0xBB, 0xBF] + Array("partners: []\n".utf8), fileName: "a.yaml").isEmpty)
    }

    // MARK: - Every rule, broken once

    /// Each case breaks one rule; the expected lines are exactly what `agreements load` prints.
    static let brokenRules: [(String, String, [String])] = [
        ("partner id pattern", """
            partners:
              - id: AWS
                name: A
                currency: USD
                payment_terms_days: 1
            """, [#"a.yaml:2:9: partners[0].id: "AWS" is not a valid partner id: use lowercase letters a-z, digits and '-', starting with a letter or digit, at most 64 characters"#]),
        ("partner id starting with '-'", """
            partners:
              - id: -aws
                name: A
                currency: USD
                payment_terms_days: 1
            """, [#"a.yaml:2:9: partners[0].id: "-aws" is not a valid partner id: use lowercase letters a-z, digits and '-', starting with a letter or digit, at most 64 characters"#]),
        ("partner id unique", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: 1
              - id: aws
                name: B
                currency: USD
                payment_terms_days: 1
            """, [#"a.yaml:6:9: partner aws, id: duplicate partner id "aws" (first on line 2); partner ids are unique"#]),
        ("currency is ISO 4217", """
            partners:
              - id: aws
                name: A
                currency: usd
                payment_terms_days: 1
            """, [#"a.yaml:4:15: partner aws, currency: "usd" is not an ISO 4217 currency code with minor units (like USD, EUR, JPY)"#]),
        ("payment terms at most 3650", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: 3651
            """, [#"a.yaml:5:25: partner aws, payment_terms_days: "3651" is not a whole number of days from 0 to 3650"#]),
        ("payment terms whole and not negative", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: -1
              - id: b
                name: B
                currency: USD
                payment_terms_days: 1.5
            """, [
                #"a.yaml:5:25: partner aws, payment_terms_days: "-1" is not a whole number of days from 0 to 3650"#,
                #"a.yaml:9:25: partner b, payment_terms_days: "1.5" is not a whole number of days from 0 to 3650"#,
            ]),
        ("required partner keys", """
            partners:
              - id: aws
                name: ""
            """, [
                "a.yaml:2:5: partner aws, currency: required key is missing",
                "a.yaml:2:5: partner aws, payment_terms_days: required key is missing",
                "a.yaml:3:11: partner aws, name: is empty",
            ]),
        ("a required value left empty", """
            partners:
              - id: aws
                name: A
                currency: ~
                payment_terms_days:
                agreements:
                  - id: X
                    effective_from: 2024-07
                    basis: revenue_percent
                    tiers: [{rate: null}]
            """, [
                "a.yaml:4:15: partner aws, currency: has no value",
                "a.yaml:5:24: partner aws, payment_terms_days: has no value",
                "a.yaml:10:24: partner aws, agreement X, tiers[0].rate: has no value",
            ]),
        ("name at most 200 characters", """
            partners:
              - id: aws
                name: \(String(repeating: "n", count: 201))
                currency: USD
                payment_terms_days: 1
            """, ["a.yaml:3:11: partner aws, name: is longer than 200 characters"]),
        ("agreement ids unique across partners", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: 1
                agreements:
                  - {id: X-1, effective_from: 2024-07, basis: revenue_percent, tiers: [{rate: 0.1}]}
              - id: azure
                name: B
                currency: USD
                payment_terms_days: 1
                agreements:
                  - {id: X-1, effective_from: 2024-08, basis: revenue_percent, tiers: [{rate: 0.1}]}
            """, [#"a.yaml:13:14: partner azure, agreement X-1, id: duplicate agreement id "X-1" (first on line 7, partner aws); agreement ids are unique across all partners"#]),
        ("effective_from unique per partner", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: 1
                agreements:
                  - {id: X-1, effective_from: 2024-07, basis: revenue_percent, tiers: [{rate: 0.1}]}
                  - {id: X-2, effective_from: 2024-07, basis: revenue_percent, tiers: [{rate: 0.2}]}
            """, ["a.yaml:8:35: partner aws, agreement X-2, effective_from: 2024-07 is also the effective_from of agreement X-1 (line 7); each agreement of a partner starts in its own period"]),
        ("effective_from is YYYY-MM", AgreementFixtures.oneAgreement("""
            effective_from: 2024-13
            basis: revenue_percent
            tiers: [{rate: 0.1}]
            """), [#"a.yaml:8:25: partner aws, agreement AWS-2024, effective_from: "2024-13" is not a period YYYY-MM (like 2024-07)"#]),
        ("basis is one of two", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue
            tiers: [{rate: 0.1}]
            """), [#"a.yaml:9:16: partner aws, agreement AWS-2024, basis: "revenue" is not a basis; use revenue_percent or per_million_tokens"#]),
        ("tier bounds strictly increase", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: 1000000
                rate: 0.10
              - up_to: 1000000.000000
                rate: 0.11
              - rate: 0.12
            """), ["a.yaml:13:20: partner aws, agreement AWS-2024, tiers[1].up_to: 1000000.000000 is not above the previous tier's up_to 1000000; tier bounds strictly increase"]),
        ("tier bounds positive", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: 0
                rate: 0.10
              - rate: 0.12
            """), ["a.yaml:11:20: partner aws, agreement AWS-2024, tiers[0].up_to: 0 is not above 0; tier bounds are positive and strictly increase"]),
        ("rates at most 1", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: 1000000
                rate: 1.000001
              - rate: 0.12
            """), ["a.yaml:12:19: partner aws, agreement AWS-2024, tiers[0].rate: 1.000001 is above 1; a rate is a fraction from 0 to 1"]),
        ("rates not negative", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - rate: -0.1
            """), ["a.yaml:11:19: partner aws, agreement AWS-2024, tiers[0].rate: -0.1 is negative; it must be 0 or more"]),
        ("the last tier is open", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: 1000000
                rate: 0.10
              - up_to: 2000000
                rate: 0.12
            """), ["a.yaml:13:20: partner aws, agreement AWS-2024, tiers[1].up_to: the last tier is the open one: it must have no up_to"]),
        ("only the last tier is open", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - rate: 0.10
              - rate: 0.12
            """), ["a.yaml:11:13: partner aws, agreement AWS-2024, tiers[0].up_to: required key is missing: only the last tier is open (has no up_to)"]),
        ("a tier needs a rate", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: 5
              - rate: 0.12
            """), ["a.yaml:11:13: partner aws, agreement AWS-2024, tiers[0].rate: required key is missing"]),
        ("revenue_percent needs tiers", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            """), ["a.yaml:7:9: partner aws, agreement AWS-2024, tiers: required for basis revenue_percent"]),
        ("revenue_percent needs at least one tier", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: []
            """), ["a.yaml:10:16: partner aws, agreement AWS-2024, tiers: needs at least one tier (the last one has no up_to)"]),
        ("per_million_tokens needs prices", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: per_million_tokens
            """), ["a.yaml:7:9: partner aws, agreement AWS-2024, prices: required for basis per_million_tokens: give at least one model or default"]),
        ("per_million_tokens needs at least one price", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: per_million_tokens
            prices: {}
            """), ["a.yaml:10:17: partner aws, agreement AWS-2024, prices: needs at least one model or default"]),
        ("tiers only for revenue_percent, prices only for per_million_tokens", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: 1
                agreements:
                  - {id: X-1, effective_from: 2024-07, basis: per_million_tokens, prices: {m: {input: 1, output: 1}}, tiers: [{rate: 0.1}]}
                  - {id: X-2, effective_from: 2024-08, basis: revenue_percent, tiers: [{rate: 0.1}], prices: {m: {input: 1, output: 1}}}
            """, [
                "a.yaml:7:114: partner aws, agreement X-1, tiers: only for basis revenue_percent; this agreement's basis is per_million_tokens",
                "a.yaml:8:98: partner aws, agreement X-2, prices: only for basis per_million_tokens; this agreement's basis is revenue_percent",
            ]),
        ("a price has input and output", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: per_million_tokens
            prices:
              m: {input: 0.5}
            """), ["a.yaml:11:14: partner aws, agreement AWS-2024, prices.m.output: required key is missing"]),
        ("prices are not negative", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: per_million_tokens
            prices:
              default: {input: -0.05, output: 0.10}
            """), ["a.yaml:11:28: partner aws, agreement AWS-2024, prices.default.input: -0.05 is negative; it must be 0 or more"]),
        ("list prices have no default", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: [{rate: 0.1}]
            list_prices:
              default: {input: 1, output: 1}
            """), ["a.yaml:12:11: partner aws, agreement AWS-2024, list_prices.default: list prices have no default; name each model"]),
        ("model names at most 200 characters", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: per_million_tokens
            prices:
              \(String(repeating: "m", count: 201)): {input: 1, output: 1}
            """), ["a.yaml:11:11: partner aws, agreement AWS-2024, prices: a model name is longer than 200 characters"]),
        ("unknown keys are errors, with a suggestion", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: [{rate: 0.1}]
            minimun_monthly: 50000
            """), ["a.yaml:11:9: partner aws, agreement AWS-2024, minimun_monthly: unknown key (did you mean minimum_monthly?); expected one of id, effective_from, basis, tiers, prices, minimum_monthly, tolerance, list_prices"]),
        ("unknown keys everywhere", """
            partners:
              - id: aws
                name: A
                currency: USD
                payment_terms_days: 1
                paymentterms: 2
                agreements:
                  - id: X
                    effective_from: 2024-07
                    basis: revenue_percent
                    tiers: [{rate: 0.1, upto: 5}]
                    tolerance: {amount: 1, absolute: 2}
            version: 2
            """, [
                "a.yaml:6:5: partner aws, paymentterms: unknown key; expected one of id, name, currency, payment_terms_days, agreements",
                "a.yaml:11:29: partner aws, agreement X, tiers[0].upto: unknown key (did you mean up_to?); expected one of up_to, rate",
                "a.yaml:12:32: partner aws, agreement X, tolerance.absolute: unknown key; expected one of amount, relative, price_relative",
                "a.yaml:13:1: version: unknown key; expected one of partners",
            ]),
        ("rates have at most 6 fractional digits", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - rate: 0.1234567
            """), ["a.yaml:11:19: partner aws, agreement AWS-2024, tiers[0].rate: 0.1234567 has more than 6 fractional digits"]),
        ("minimum_monthly has at most the currency's minor digits", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: [{rate: 0.1}]
            minimum_monthly: 50000.001
            """), ["a.yaml:11:26: partner aws, agreement AWS-2024, minimum_monthly: 50000.001 has more than 2 fractional digits (the minor digits of USD)"]),
        ("minimum_monthly is not negative", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: [{rate: 0.1}]
            minimum_monthly: "-5"
            """), ["a.yaml:11:26: partner aws, agreement AWS-2024, minimum_monthly: -5 is negative; it must be 0 or more"]),
        ("tolerances are plain decimals", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: [{rate: 0.1}]
            tolerance:
              amount: 1e3
              relative: .5
              price_relative: 1,000
            """), [
                #"a.yaml:12:19: partner aws, agreement AWS-2024, tolerance.amount: "1e3" is not a plain decimal number (like 0.25 or 1000, without exponent, sign or separators)"#,
                #"a.yaml:13:21: partner aws, agreement AWS-2024, tolerance.relative: ".5" is not a plain decimal number (like 0.25 or 1000, without exponent, sign or separators)"#,
                #"a.yaml:14:27: partner aws, agreement AWS-2024, tolerance.price_relative: "1,000" is not a plain decimal number (like 0.25 or 1000, without exponent, sign or separators)"#,
            ]),
        ("numbers fit", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers:
              - up_to: 9223372036854.775808
                rate: 0.1
              - rate: 0.2
            """), ["a.yaml:11:20: partner aws, agreement AWS-2024, tiers[0].up_to: 9223372036854.775808 is too large"]),
        ("a number where a list belongs", AgreementFixtures.oneAgreement("""
            effective_from: 2024-07
            basis: revenue_percent
            tiers: 0.1
            """), [#"a.yaml:10:16: partner aws, agreement AWS-2024, tiers: expected a list of tiers, found "0.1""#]),
        ("partners must be a list", "partners: aws\n",
         [#"a.yaml:1:11: partners: expected a list of partners (write `partners: []` for none), found "aws""#]),
        ("partners is required", "partner: []\n", [
            "a.yaml:1:1: partner: unknown key (did you mean partners?); expected one of partners",
            "a.yaml:1:1: partners: required key is missing",
        ]),
        ("the top level is a mapping", "- id: aws\n", ["a.yaml:1:1: expected a mapping with the key partners, found a list"]),
        ("an empty file", "", ["a.yaml: partners: required key is missing: the file holds no YAML document"]),
        ("YAML syntax", "partners:\n  - id: aws\n   name: x\n", ["a.yaml:3:4: YAML syntax error: did not find expected '-' indicator (while parsing a block collection started on line 2, column 3)"]),
        ("duplicate YAML keys", "partners: []\npartners: []\n", [#"a.yaml:2:1: duplicate key "partners" in one mapping (first on line 1); each key may appear once"#]),
    ]

    @Test("every rule broken once gives exactly its message", arguments: brokenRules)
    func brokenRule(name: String, yaml: String, expected: [String]) {
        #expect(AgreementFixtures.diagnostics(yaml) == expected, "\(name)")
    }

    @Test("all errors are collected, in file order, not just the first")
    func collectsEverything() {
        let lines = AgreementFixtures.diagnostics("""
            partners:
              - id: aws
                name: A
                currency: XYZ
                payment_terms_days: 99999
                agreements:
                  - id: A-1
                    effective_from: 2024-7
                    basis: revenue_percent
                    tiers:
                      - up_to: 10
                        rate: 2
                      - up_to: 5
                        rate: 0.1
                      - rate: 0.1
            """, file: "<stdin>")
        #expect(lines == [
            #"<stdin>:4:15: partner aws, currency: "XYZ" is not an ISO 4217 currency code with minor units (like USD, EUR, JPY)"#,
            #"<stdin>:5:25: partner aws, payment_terms_days: "99999" is not a whole number of days from 0 to 3650"#,
            #"<stdin>:8:25: partner aws, agreement A-1, effective_from: "2024-7" is not a period YYYY-MM (like 2024-07)"#,
            "<stdin>:12:19: partner aws, agreement A-1, tiers[0].rate: 2 is above 1; a rate is a fraction from 0 to 1",
            "<stdin>:13:20: partner aws, agreement A-1, tiers[1].up_to: 5 is not above the previous tier's up_to 10; tier bounds strictly increase",
        ])
    }

    @Test("after 100 errors: … and N more errors")
    func hundredErrors() {
        var yaml = "partners:\n"
        for index in 0..<130 {
            yaml += "  - {id: p\(index), name: P, currency: usd, payment_terms_days: 1}\n"
        }
        let lines = AgreementFixtures.diagnostics(yaml)
        #expect(lines.count == 101)
        #expect(lines.first == #"a.yaml:2:33: partner p0, currency: "usd" is not an ISO 4217 currency code with minor units (like USD, EUR, JPY)"#)
        #expect(lines.last == "… and 30 more errors")
        do {
            _ = try AgreementsParser.parse(Array(yaml.utf8), fileName: "a.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.totalCount == 130)
            #expect(error.issues.count == 130)
            #expect(error.category == .invalidInput)
        }
    }

    @Test("limits: file size, partners, tiers, invalid UTF-8")
    func limits() {
        let big = [UInt8](repeating: UInt8(ascii: "#"), count: AgreementsParser.maxFileBytes + 1)
        #expect(throws: AgreementFileError.self) { try AgreementsParser.parse(big, fileName: "big.yaml") }
        do {
            _ = try AgreementsParser.parse(big, fileName: "big.yaml")
        } catch {
            #expect(error.diagnostics == ["big.yaml: the file is 10485761 bytes, larger than the 10485760 bytes (10 MiB) an agreements file may have"])
        }

        let manyPartners = "partners:\n" + String(repeating: "  - {}\n", count: 10_001)
        #expect(AgreementFixtures.diagnostics(manyPartners) == ["a.yaml:2:3: partners: 10001 partners; at most 10000 are allowed in one file"])

        let manyTiers = AgreementFixtures.oneAgreement("effective_from: 2024-07\nbasis: revenue_percent\ntiers:\n"
            + String(repeating: "  - {rate: 0.1}\n", count: 1_001))
        #expect(AgreementFixtures.diagnostics(manyTiers) == ["a.yaml:11:11: partner aws, agreement AWS-2024, tiers: 1001 tiers; at most 1000 are allowed"])

        let invalid = Array("partners:\n  - id: aws\n    name: ".utf8) + [0xFF] + Array("\n".utf8)
        #expect(throws: AgreementFileError.self) { try AgreementsParser.parse(invalid, fileName: "a.yaml") }
        do {
            _ = try AgreementsParser.parse(invalid, fileName: "a.yaml")
        } catch {
            #expect(error.diagnostics == ["a.yaml:3: the file is not valid UTF-8 text"])
        }
    }

    @Test("YAML aliases cannot blow up the work")
    func aliasBomb() {
        // 10,000 partners × 1,000 agreements × 1,000 tiers through aliases: a small file that
        // would expand to 10^10 values.
        var yaml = "t: &t [" + Array(repeating: "{rate: 0.1}", count: 1_000).joined(separator: ", ") + "]\n"
        yaml += "ag: &ag {id: A, effective_from: 2024-07, basis: revenue_percent, tiers: *t}\n"
        yaml += "al: &al [" + Array(repeating: "*ag", count: 1_000).joined(separator: ", ") + "]\n"
        yaml += "p: &p {id: p, name: P, currency: USD, payment_terms_days: 1, agreements: *al}\n"
        yaml += "partners: [" + Array(repeating: "*p", count: 10_000).joined(separator: ", ") + "]\n"
        let lines = AgreementFixtures.diagnostics(yaml)
        #expect(lines.first == "a.yaml: the file holds more than 2000000 values (counting what YAML aliases expand to); split or simplify it")
        #expect(lines.last?.hasPrefix("… and ") == true)
    }

    @Test("the canonical text ignores layout, quoting and trailing zeros")
    func canonical() throws {
        let reformatted = """
            # the same agreements, written differently
            partners:
              - {id: groq, name: "Groq", currency: JPY, payment_terms_days: 30,
                 agreements: [{id: GROQ-1, effective_from: "2024-10", basis: revenue_percent, tiers: [{rate: "0.200000"}], minimum_monthly: "1200"}]}
              - id: aws
                name: 'Amazon Web Services'
                currency: USD
                payment_terms_days: 45
                agreements:
                  - id: AWS-2025
                    effective_from: 2025-03
                    basis: per_million_tokens
                    prices:
                      llama-3.1-405b-instruct: {output: 1, input: 0.5}
                      default: {input: 0.050, output: 0.1}
                  - id: AWS-2024
                    effective_from: 2024-07
                    basis: revenue_percent
                    minimum_monthly: 50000.00
                    tiers: [{up_to: 1000000.0, rate: 0.1}, {rate: 0.12}]
                    tolerance: {}
                    list_prices: {llama-3.1-70b-instruct: {input: 0.720, output: "0.72"}}
            """
        let a = try AgreementFixtures.parse(AgreementFixtures.sample)
        let b = try AgreementFixtures.parse(reformatted)
        #expect(a == b)
        #expect(AgreementCanonical.text(a) == AgreementCanonical.text(b))
        #expect(AgreementCanonical.text(try AgreementFixtures.parse("""
            partners:
              - id: groq
                name: "Gr\\u00f6q \\"x\\""
                currency: JPY
                payment_terms_days: 30
                agreements: [{id: G, effective_from: 2024-10, basis: revenue_percent, tiers: [{up_to: 5, rate: 0.2}, {rate: 0.000001}]}]
            """)) == #"{"format":"revshare-agreements-v1","partners":[{"id":"groq","name":"Gr\u00f6q \"x\"","currency":"JPY","payment_terms_days":30,"agreements":[{"id":"G","effective_from":"2024-10","basis":"revenue_percent","tiers":[{"up_to":"5.000000","rate":"0.200000"},{"up_to":null,"rate":"0.000001"}],"default_price":null,"prices":{},"minimum_monthly":null,"tolerance":{"amount":"1.000000","relative":"0.001000","price_relative":"0.050000"},"list_prices":{}}]}]}"# + "\n")
    }
}
