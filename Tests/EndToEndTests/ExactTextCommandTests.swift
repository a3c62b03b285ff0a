import Foundation
import Testing
import TestSupport

/// User text survives byte for byte from the file through the store to every output: a quoted
/// CR LF stays two bytes (not the one `Character` Swift sees), and canonically equivalent text
/// (`é` U+00E9 and `e` + U+0301) stays two models, as SQLite's BINARY keys keep them.
struct ExactTextCommandTests {
    static let header = ImportCommandTests.usageHeader
    static let precomposed = "caf\u{E9}"    // 63 61 66 C3 A9
    static let decomposed = "cafe\u{301}"   // 63 61 66 65 CC 81

    /// The values of the `"model": "…"` lines of a statement's JSON, as bytes (split on LF bytes:
    /// the JSON escapes every line break inside a value).
    static func jsonModels(_ json: String) -> [[UInt8]] {
        let prefix = Array(#""model": ""#.utf8)
        return json.utf8.split(separator: 0x0A).compactMap { line -> [UInt8]? in
            let trimmed = Array(line.drop { $0 == 0x20 })
            guard trimmed.starts(with: prefix), trimmed.last == 0x2C else { return nil }
            return Array(trimmed[prefix.count..<(trimmed.count - 2)])  // drop the closing `",`
        }
    }

    static func statement(_ directory: TemporaryDirectory, _ partner: String, _ format: String) throws -> RunResult {
        try RevShareExecutable.run(["statement", "--partner", partner, "--period", "2025-01", "--format", format],
                                   in: directory.path)
    }

    @Test("a region with a quoted CR LF and one with a lone LF are two rows; the bytes reach the store and the statement")
    func quotedLineBreaksAreKept() throws {
        let directory = try ImportCommandTests.prepared("e2e-exact-crlf")
        defer { directory.remove() }
        // CR LF line ends throughout; the third row's model holds a quoted comma (a model may not hold a line break).
        let file = Self.header + "\r\n"
            + "2025-01-03,aws,llama-3.1-70b-instruct,\"a\r\nb\",10,1000,2000,12.50,USD,\r\n"
            + "2025-01-03,aws,llama-3.1-70b-instruct,\"a\nb\",5,500,700,7.50,USD,\r\n"
            + "2025-01-03,aws,\"llama,next\",\"a\r\nb\",1,100,200,1.00,USD,\r\n"
        directory.write("u.csv", file)
        let imported = try RevShareExecutable.run(["import", "usage", "u.csv"], in: directory.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.isEmpty)
        #expect(try ImportCommandTests.sqlite(directory, "SELECT line, hex(model), hex(region), requests FROM usage_row ORDER BY line")
            == "2|6C6C616D612D332E312D3730622D696E737472756374|610D0A62|10\n"
            + "4|6C6C616D612D332E312D3730622D696E737472756374|610A62|5\n"
            + "6|6C6C616D612C6E657874|610D0A62|1")

        // Lines by model in byte order: "llama," (0x2C) before "llama-" (0x2D).
        let json = try Self.statement(directory, "aws", "json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(Self.jsonModels(json.stdout) == [Array("llama,next".utf8), Array("llama-3.1-70b-instruct".utf8)])
        #expect(json.stdout.contains("\n  \"share\": \"2.10\",\n"))
        #expect(json.stdout.contains("\n      \"requests\": 15,\n      \"input_tokens\": 1500,\n      \"output_tokens\": 2700,\n      \"gross_revenue\": \"20.000000\",\n      \"share\": \"2.00\"\n"))

        let csv = try Self.statement(directory, "aws", "csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(Array(csv.stdout.utf8) == Array((
            "statement_id,partner,period,currency,model,requests,input_tokens,output_tokens,gross_revenue,share\r\n"
            + "aws-2025-01,aws,2025-01,USD,\"llama,next\",1,100,200,1.000000,0.10\r\n"
            + "aws-2025-01,aws,2025-01,USD,llama-3.1-70b-instruct,15,1500,2700,20.000000,2.00\r\n").utf8))
    }

    @Test("the same region with a quoted CR LF twice is a duplicate key, shown with its line break escaped")
    func quotedLineBreakDuplicate() throws {
        let directory = try ImportCommandTests.prepared("e2e-exact-duplicate")
        defer { directory.remove() }
        directory.write("u.csv", Self.header + "\r\n"
            + "2025-01-03,aws,m,\"a\r\nb\",10,1000,2000,12.50,USD,\r\n"
            + "2025-01-03,aws,m,\"a\nb\",5,500,700,7.50,USD,\r\n"
            + "2025-01-03,aws,m,\"a\r\nb\",1,1,1,1.00,USD,\r\n")
        let refused = try RevShareExecutable.run(["import", "usage", "u.csv"], in: directory.path)
        #expect(refused.status == 65)
        #expect(refused.stderr == "u.csv:6: key: duplicate of line 2 (aws, 2025-01-03, m, a\\u{d}\\u{a}b)\n"
            + ImportCommandTests.nothingImported)
        #expect(try ImportCommandTests.sqlite(directory, "SELECT count(*) FROM usage_row") == "0")
    }

    @Test("café (U+00E9) and cafe + U+0301 are two models: two statement lines; a price for one is not the other's")
    func canonicalEquivalentsAreTwoModels() throws {
        let directory = TemporaryDirectory("e2e-exact-models")
        defer { directory.remove() }
        #expect(try RevShareExecutable.run(["init"], in: directory.path).status == 0)
        // Only é is priced, and there is no default. (One prices mapping cannot list both: the
        // YAML library calls canonically equivalent keys duplicates.)
        directory.write("agreements.yaml", ImportCommandTests.agreements + """
              - id: tok
                name: Tokens
                currency: USD
                payment_terms_days: 30
                agreements:
                  - id: TOK-1
                    effective_from: 2024-07
                    basis: per_million_tokens
                    prices:
                      \(Self.precomposed): {input: 1.00, output: 0}

            """)
        let loaded = try RevShareExecutable.run(["agreements", "load", "agreements.yaml"], in: directory.path)
        #expect(loaded.status == 0, "\(loaded.stderr)")

        directory.write("unpriced.csv", [
            Self.header,
            "2025-01-03,tok,\(Self.precomposed),,1,1000000,0,9.00,USD,",
            "2025-01-03,tok,\(Self.decomposed),,1,1000000,0,9.00,USD,",
        ].map { $0 + "\n" }.joined())
        let refused = try RevShareExecutable.run(["import", "usage", "unpriced.csv"], in: directory.path)
        #expect(refused.status == 65)
        #expect(Array(refused.stderr.utf8) == Array(("unpriced.csv:3: model: agreement TOK-1 has no price for \"\(Self.decomposed)\" and no default price\n"
            + ImportCommandTests.nothingImported).utf8))

        directory.write("u.csv", [
            Self.header,
            "2025-01-03,aws,\(Self.precomposed),,1,10,10,3.00,USD,",
            "2025-01-03,aws,\(Self.decomposed),,2,20,20,5.00,USD,",
            "2025-01-03,tok,\(Self.precomposed),,1,1000000,0,9.00,USD,",
        ].map { $0 + "\n" }.joined())
        let imported = try RevShareExecutable.run(["import", "usage", "u.csv"], in: directory.path)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try ImportCommandTests.sqlite(directory, "SELECT hex(model) FROM usage_row ORDER BY line")
            == "636166C3A9\n63616665CC81\n636166C3A9")

        // revenue_percent 10 %: 5.00 → 0.50 and 3.00 → 0.30; e (0x65) sorts before é (0xC3).
        let aws = try Self.statement(directory, "aws", "json")
        #expect(aws.status == 0, "\(aws.stderr)")
        #expect(Self.jsonModels(aws.stdout) == [Array(Self.decomposed.utf8), Array(Self.precomposed.utf8)])
        #expect(aws.stdout.contains("\"gross_revenue\": \"5.000000\",\n      \"share\": \"0.50\"\n    },\n"))
        #expect(aws.stdout.contains("\"gross_revenue\": \"3.000000\",\n      \"share\": \"0.30\"\n    }\n"))
        #expect(aws.stdout.contains("\n  \"share\": \"0.80\",\n"))
        let csv = try Self.statement(directory, "aws", "csv")
        #expect(Array(csv.stdout.utf8) == Array((
            "statement_id,partner,period,currency,model,requests,input_tokens,output_tokens,gross_revenue,share\r\n"
            + "aws-2025-01,aws,2025-01,USD,\(Self.decomposed),2,20,20,5.000000,0.50\r\n"
            + "aws-2025-01,aws,2025-01,USD,\(Self.precomposed),1,10,10,3.000000,0.30\r\n").utf8))
    }
}
