import Foundation
import RevShareCore
import RevShareImport
import RevShareStore
import Testing
import TestSupport

private let m70 = "llama-3.1-70b-instruct"
private let maxInt64 = "9223372036854775807"
private let plainDecimal = "is not a plain decimal number (digits, one optional point; no exponent, separators, symbols or spaces)"

/// One usage row; every field defaults to a valid value for aws in 2025-01 (AWS-2024, revenue_percent).
private func row(_ date: String = "2025-01-03", partner: String = "aws", model: String = m70, region: String = "us-east-1",
                 requests: String = "10", input: String = "1000", output: String = "2000", revenue: String = "12.50",
                 currency: String = "USD", share: String = "1.25") -> String {
    [date, partner, model, region, requests, input, output, revenue, currency, share].joined(separator: ",")
}

/// A usage file: the standard header, then `lines` (line 2 onwards), each ended by LF.
private func usage(_ lines: String...) -> String { ImportFixtures.csv([ImportFixtures.usageHeader] + lines) }

private let missingColumns = ["usage_date", "partner", "model", "requests", "input_tokens", "output_tokens", "gross_revenue"]
    .map { "{dir}/u.csv:1: \($0): required column is missing" }

/// Every rule of SPEC §3.2 (and the CSV rules of §3) broken once.
private let badUsage: [BadInput] = [
    BadInput(name: "non-integer tokens", kind: .usage,
             content: usage(row(), row("2025-01-04", input: "12a")),
             expected: [#"{dir}/u.csv:3: input_tokens: "12a" is not a non-negative integer"#]),
    BadInput(name: "negative tokens", kind: .usage,
             content: usage(row(output: "-5")),
             expected: [#"{dir}/u.csv:2: output_tokens: "-5" is not a non-negative integer"#]),
    BadInput(name: "empty requests", kind: .usage,
             content: usage(row(requests: "")),
             expected: ["{dir}/u.csv:2: requests: is empty; a non-negative integer is required"]),
    BadInput(name: "Int64 overflow of a field", kind: .usage,
             content: usage(row(requests: "9223372036854775808")),
             expected: [#"{dir}/u.csv:2: requests: "9223372036854775808" is out of range (at most 9223372036854775807)"#]),
    BadInput(name: "7-decimal revenue", kind: .usage,
             content: usage(row(revenue: "1.1234567")),
             expected: [#"{dir}/u.csv:2: gross_revenue: "1.1234567" has more than 6 fractional digits (never rounded)"#]),
    BadInput(name: "exponent", kind: .usage,
             content: usage(row(revenue: "1e5")),
             expected: [#"{dir}/u.csv:2: gross_revenue: "1e5" "# + plainDecimal]),
    BadInput(name: "thousands separator in a quoted field", kind: .usage,
             content: usage(row(revenue: #""1,234.50""#)),
             expected: [#"{dir}/u.csv:2: gross_revenue: "1,234.50" "# + plainDecimal]),
    BadInput(name: "currency symbol", kind: .usage,
             content: usage(row(revenue: "$12.50")),
             expected: [#"{dir}/u.csv:2: gross_revenue: "$12.50" "# + plainDecimal]),
    BadInput(name: "negative revenue", kind: .usage,
             content: usage(row(revenue: "-1.00")),
             expected: [#"{dir}/u.csv:2: gross_revenue: "-1.00" is negative; it must be ≥ 0"#]),
    BadInput(name: "negative reported_share", kind: .usage,
             content: usage(row(share: "-0.50")),
             expected: [#"{dir}/u.csv:2: reported_share: "-0.50" is negative; it must be ≥ 0"#]),
    BadInput(name: "unknown partner", kind: .usage,
             content: usage(row(partner: "azure")),
             expected: [#"{dir}/u.csv:2: partner: "azure" is not a loaded partner (loaded: aws, groq)"#]),
    BadInput(name: "partner is never trimmed", kind: .usage,
             content: usage(row(partner: " aws")),
             expected: [#"{dir}/u.csv:2: partner: " aws" is not a loaded partner (loaded: aws, groq)"#]),
    BadInput(name: "invalid UTF-8 in partner", kind: .usage,
             content: usage(row(partner: "aws<FF>")),
             expected: ["{dir}/u.csv:2: partner: \"aws\u{FFFD}\" is not a loaded partner (loaded: aws, groq)"]),
    BadInput(name: "2025-02-30", kind: .usage,
             content: usage(row("2025-02-30")),
             expected: [#"{dir}/u.csv:2: usage_date: "2025-02-30" is not a real calendar date in YYYY-MM-DD form"#]),
    BadInput(name: "missing column, reported on line 1", kind: .usage,
             content: ImportFixtures.csv([
                 "usage_date,partner,model,region,requests,input_tokens,gross_revenue,currency,reported_share",
                 "2025-01-03,aws,\(m70),us-east-1,10,1000,12.50,USD,1.25",
             ]),
             expected: ["{dir}/u.csv:1: output_tokens: required column is missing"]),
    BadInput(name: "a column twice in the header", kind: .usage,
             content: ImportFixtures.csv([ImportFixtures.usageHeader + ", Partner ", row() + ",aws"]),
             expected: [#"{dir}/u.csv:1: Partner: duplicate column "Partner" (columns 2 and 11)"#]),
    BadInput(name: "empty file (0 bytes)", kind: .usage, content: "", expected: missingColumns),
    BadInput(name: "a BOM and nothing else", kind: .usage, content: "\u{FEFF}", expected: missingColumns),
    BadInput(name: "duplicate key names both lines", kind: .usage,
             content: usage(row(), row("2025-01-04"), row(requests: "11")),
             expected: ["{dir}/u.csv:4: key: duplicate of line 2 (aws, 2025-01-03, \(m70), us-east-1)"]),
    BadInput(name: "duplicate key with an empty region", kind: .usage,
             content: usage(row(region: ""), row(region: "")),
             expected: [#"{dir}/u.csv:3: key: duplicate of line 2 (aws, 2025-01-03, llama-3.1-70b-instruct, "")"#]),
    BadInput(name: "duplicate key without a region column", kind: .usage,
             content: ImportFixtures.csv([
                 "usage_date,partner,model,requests,input_tokens,output_tokens,gross_revenue",
                 "2025-01-03,aws,\(m70),1,2,3,4",
                 "2025-01-03,aws,\(m70),5,6,7,8",
             ]),
             expected: [#"{dir}/u.csv:3: key: duplicate of line 2 (aws, 2025-01-03, llama-3.1-70b-instruct, "")"#]),
    BadInput(name: "currency mismatch", kind: .usage,
             content: usage(row(currency: "EUR")),
             expected: [#"{dir}/u.csv:2: currency: "EUR" does not match partner aws's currency USD"#]),
    BadInput(name: "currency is case-sensitive", kind: .usage,
             content: usage(row(partner: "groq", currency: "jpy")),
             expected: [#"{dir}/u.csv:2: currency: "jpy" does not match partner groq's currency JPY"#]),
    BadInput(name: "model without a price under a per_million_tokens agreement", kind: .usage,
             content: usage(row("2025-03-05")),
             expected: [#"{dir}/u.csv:2: model: agreement AWS-2025 has no price for "llama-3.1-70b-instruct" and no default price"#]),
    BadInput(name: "period with no agreement, every row", kind: .usage,
             content: usage(row("2024-06-29"), row("2024-06-30")),
             expected: ["{dir}/u.csv:2: usage_date: partner aws has no agreement in force for 2024-06",
                        "{dir}/u.csv:3: usage_date: partner aws has no agreement in force for 2024-06"]),
    BadInput(name: "unterminated quote", kind: .usage,
             content: usage(row(), "2025-01-04,aws,\"\(m70),us-east-1,10,1000,2000,12.50,USD,1.25", row("2025-01-05")),
             expected: ["{dir}/u.csv:3: csv: unterminated quoted field (opened on line 3)"]),
    BadInput(name: "bare carriage return", kind: .usage,
             content: ImportFixtures.usageHeader + "\n" + row() + "\r" + row("2025-01-04") + "\n",
             expected: ["{dir}/u.csv:2: csv: bare carriage return (CR not followed by LF) outside a quoted field"]),
    BadInput(name: "invalid UTF-8 in model", kind: .usage,
             content: usage(row(model: "llama<FF>")),
             expected: ["{dir}/u.csv:2: model: is not valid UTF-8"]),
    BadInput(name: "invalid UTF-8 in region", kind: .usage,
             content: usage(row(region: "us-<FF>")),
             expected: ["{dir}/u.csv:2: region: is not valid UTF-8"]),
    BadInput(name: "empty model", kind: .usage,
             content: usage(row(model: "")),
             expected: ["{dir}/u.csv:2: model: is empty"]),
    BadInput(name: "201-character model", kind: .usage,
             content: usage(row(model: String(repeating: "m", count: 201))),
             expected: ["{dir}/u.csv:2: model: has 201 characters; at most 200 are allowed"]),
    // One Character for Swift, 201 Unicode scalars (401 bytes) for the limit.
    BadInput(name: "201-scalar model of combining marks", kind: .usage,
             content: usage(row(model: "e" + String(repeating: "\u{301}", count: 200))),
             expected: ["{dir}/u.csv:2: model: has 201 characters; at most 200 are allowed"]),
    BadInput(name: "201-scalar region of CR LF pairs and a letter", kind: .usage,
             content: usage(row(region: "\"" + String(repeating: "\r\n", count: 100) + "r\"")),
             expected: ["{dir}/u.csv:2: region: has 201 characters; at most 200 are allowed"]),
    BadInput(name: "Int64 overflow of a report total", kind: .usage,
             content: usage(row(input: maxInt64), row("2025-01-04", input: "1")),
             expected: ["{dir}/u.csv: input_tokens: the total for aws 2025-01 overflows a 64-bit integer; split the usage or check the values"]),
    BadInput(name: "Int64 overflow of the revenue total in micro-units", kind: .usage,
             content: usage(row(partner: "groq", revenue: "9223372036854.775807", currency: "JPY"),
                            row("2025-01-04", partner: "groq", revenue: "0.000001", currency: "JPY")),
             expected: ["{dir}/u.csv: gross_revenue: the total for groq 2025-01 overflows a 64-bit integer; split the usage or check the values"]),
    BadInput(name: "line errors first, then whole-report errors", kind: .usage,
             content: usage(row(requests: maxInt64), row("2025-01-04", requests: "1"), row("2025-01-05", input: "12a")),
             expected: [#"{dir}/u.csv:4: input_tokens: "12a" is not a non-negative integer"#,
                        "{dir}/u.csv: requests: the total for aws 2025-01 overflows a 64-bit integer; split the usage or check the values"]),
    BadInput(name: "record with the wrong number of fields", kind: .usage,
             content: usage(row(), "2025-01-04,aws,\(m70),us-east-1,10,1000,2000,12.50,USD", row("2025-01-05") + ","),
             expected: ["{dir}/u.csv:3: record: has 9 fields but the header has 10",
                        "{dir}/u.csv:4: record: has 11 fields but the header has 10"]),
    BadInput(name: "every error of a line, in column order", kind: .usage,
             content: usage(row("2025-13-01", requests: "x", revenue: "1e5", currency: "EUR")),
             expected: [#"{dir}/u.csv:2: usage_date: "2025-13-01" is not a real calendar date in YYYY-MM-DD form"#,
                        #"{dir}/u.csv:2: requests: "x" is not a non-negative integer"#,
                        #"{dir}/u.csv:2: gross_revenue: "1e5" "# + plainDecimal,
                        #"{dir}/u.csv:2: currency: "EUR" does not match partner aws's currency USD"#]),
    BadInput(name: "restatement without --restate", kind: .usage,
             prior: [usage(row(), row("2025-01-04"))],
             content: usage(row("2025-01-07")),
             expected: ["{dir}/u.csv: partner: aws 2025-01 already has a report from {dir}/prior1.csv (imported 2025-06-01T12:00:00Z); use --restate to replace it"]),
]

@Suite("Usage import (SPEC §3.2)")
struct UsageImportTests {
    // MARK: - Bad input

    @Test("bad input: the exact error lines, 65, nothing written", arguments: badUsage)
    func badInput(_ bad: BadInput) throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        try fixture.expectRefused(bad)
    }

    @Test("more than 100 errors: exactly 100 printed, then the count of the others")
    func moreThanAHundredErrors() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        fixture.write("u.csv", ImportFixtures.csv([ImportFixtures.usageHeader] + Array(repeating: row(input: "12a"), count: 150)))
        let before = try fixture.snapshot()
        let refusal = try #require(try fixture.refusal(.usage, "u.csv"))
        #expect(refusal.errors.count == 150)
        #expect(refusal.errors.first.count == 100)
        let printed = (2...101).map { "{dir}/u.csv:\($0): input_tokens: \"12a\" is not a non-negative integer" }
        #expect(refusal.diagnostics == fixture.expand(printed) + ["… and 50 more errors", ImportFixtures.nothingImported])
        #expect(try fixture.snapshot() == before)
    }

    @Test("a whole-report error past the first 100 counts like any other")
    func wholeReportErrorPastTheLimit() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        // Lines 2–101: 100 bad lines; lines 102 and 103 overflow the report's input_tokens.
        let lines = Array(repeating: row(requests: "-1"), count: 100) + [row("2025-01-20", input: maxInt64), row("2025-01-21", input: "1")]
        fixture.write("u.csv", ImportFixtures.csv([ImportFixtures.usageHeader] + lines))
        let refusal = try #require(try fixture.refusal(.usage, "u.csv"))
        #expect(refusal.errors.count == 101)
        #expect(refusal.diagnostics.count == 102)
        #expect(refusal.diagnostics[0] == fixture.expand([#"{dir}/u.csv:2: requests: "-1" is not a non-negative integer"#])[0])
        #expect(refusal.diagnostics[99] == fixture.expand([#"{dir}/u.csv:101: requests: "-1" is not a non-negative integer"#])[0])
        #expect(Array(refusal.diagnostics.suffix(2)) == ["… and 1 more errors", ImportFixtures.nothingImported])
    }

    @Test("with no agreements loaded, the partner error says what to do")
    func noPartnersLoaded() throws {
        let fixture = try ImportTestStore(loadAgreements: false)
        defer { fixture.remove() }
        try fixture.expectRefused(BadInput(name: "no partners", kind: .usage, content: usage(row()), expected: [
            #"{dir}/u.csv:2: partner: "aws" is not a loaded partner (loaded: none; run `revshare agreements load`)"#,
        ]))
    }

    // MARK: - CSV texture

    /// BOM, CRLF, a reordered, mixed-case, space-padded header with unknown columns, quoted
    /// commas, quotes and line breaks, an empty line, no reported_share column.
    static let texture = "\u{FEFF} Partner ,MODEL,Usage_Date, note ,region,Requests,input_tokens,OUTPUT_TOKENS,\tgross_revenue ,Currency,Extra\r\n"
        + "aws,\"llama-3.1-70b-instruct, batch\",2025-01-03,\"first, note\",\"us-east-1\r\nzone a\",10,1000,2000,12.5,USD,x\r\n"
        + "aws,llama-3.1-70b-instruct,2025-01-03,,us-east-1,5,500,700,7.25,,\r\n"
        + "\r\n"
        + "groq,\"llama \"\"fast\"\"\",2025-01-31,n,,3,300,400,1500,JPY,\r\n"

    @Test("BOM, CRLF, quoted commas and line breaks, reordered mixed-case padded header, unknown columns")
    func texture() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let summary = try fixture.importFile(.usage, "t.csv", Self.texture)
        #expect(summary.outcome == .imported)
        #expect(summary.file == fixture.path("t.csv"))
        #expect(summary.rows == 3)
        #expect(summary.unknownColumns == ["note", "Extra"])
        #expect(summary.sha256 == EntryHash.sha256Hex(Array(Self.texture.utf8)))
        #expect(summary.reports.map(\.partnerID) == ["aws", "groq"])
        #expect(summary.reports.map(\.period) == [period("2025-01"), period("2025-01")])
        #expect(summary.reports.map(\.rows) == [2, 1])
        #expect(summary.reports.map(\.grossRevenueMicros) == [19_750_000, 1_500_000_000])
        #expect(summary.reports.map(\.currency) == [usd, jpy])
        #expect(summary.reports.allSatisfy { $0.replaced == nil })
        #expect(summary.grossRevenueByCurrency.map(\.currency) == [jpy, usd])
        #expect(summary.grossRevenueByCurrency.map(\.micros) == [1_500_000_000, 19_750_000])

        let aws = try fixture.modelTotals(reportID: 1)
        #expect(aws.map(\.model) == ["llama-3.1-70b-instruct", "llama-3.1-70b-instruct, batch"])
        #expect(aws.map(\.rows) == [1, 1])
        #expect(aws.map(\.requests) == [5, 10])
        #expect(aws.map(\.inputTokens) == [500, 1000])
        #expect(aws.map(\.outputTokens) == [700, 2000])
        #expect(aws.map(\.grossRevenueMicros) == [7_250_000, 12_500_000])
        let groq = try fixture.modelTotals(reportID: 2)
        #expect(groq.map(\.model) == [#"llama "fast""#])
        #expect(groq.map(\.grossRevenueMicros) == [1_500_000_000])

        // Physical start lines; the region keeps its quoted CR LF; no reported share anywhere.
        #expect(try fixture.sqlite("""
            SELECT line, length(region), replace(replace(region, char(13), '<CR>'), char(10), '<LF>'),
                   reported_share_micros IS NULL FROM usage_row ORDER BY line
            """) == "2|17|us-east-1<CR><LF>zone a|1\n4|9|us-east-1|1\n6|0||1")
        let files = try fixture.store.read("files") { try $0.importedFiles() }
        #expect(files.count == 1)
        #expect(files.first?.rowCount == 3)
        #expect(files.first?.restate == false)
        #expect(files.first?.importedAt == ImportFixtures.importedAt)
        #expect(files.first?.kind == .usage)
    }

    @Test("errors after multi-line quoted fields are reported on their physical start lines")
    func physicalLines() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let text = Self.texture
            + "aws,plain,2025-01-05,\"two\nlines\",,1,12a,3,4,,\r\n"  // starts on line 7, ends on line 8
            + "aws,plain,2025-01-06,\"a\r\nb\r\nc\",,1,2,-3,4,,\r\n"  // lines 9–11
            + "\r\n\n"                                                 // lines 12, 13: empty
            + "aws,plain,2025-01-07,,,1,2,3,4.0000001,,\r\n"           // line 14
        fixture.write("t.csv", text)
        let before = try fixture.snapshot()
        let refusal = try #require(try fixture.refusal(.usage, "t.csv"))
        #expect(refusal.errors.first.map(\.description) == fixture.expand([
            #"{dir}/t.csv:7: input_tokens: "12a" is not a non-negative integer"#,
            #"{dir}/t.csv:9: output_tokens: "-3" is not a non-negative integer"#,
            #"{dir}/t.csv:14: gross_revenue: "4.0000001" has more than 6 fractional digits (never rounded)"#,
        ]))
        #expect(try fixture.snapshot() == before)
    }

    @Test("an unknown column given twice is ignored and listed once")
    func unknownColumnTwice() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let summary = try fixture.importFile(.usage, "u.csv", ImportFixtures.csv([
            "usage_date,partner,model,note,requests,input_tokens,output_tokens,gross_revenue,Note",
            "2025-01-03,aws,\(m70),a,1,2,3,4,b",
        ]))
        #expect(summary.outcome == .imported)
        #expect(summary.unknownColumns == ["note"])
    }

    @Test("an empty currency cell means the partner's currency; an empty reported_share means none")
    func emptyOptionalCells() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let summary = try fixture.importFile(.usage, "u.csv", usage(
            row(currency: "", share: ""),
            row("2025-01-04", currency: "USD", share: "0.000001"),
            row(partner: "groq", revenue: "1500", currency: "", share: "300")))
        #expect(summary.outcome == .imported)
        #expect(summary.reports.map(\.partnerID) == ["aws", "groq"])
        #expect(summary.reports.map(\.currency) == [usd, jpy])
        #expect(summary.reports.map(\.grossRevenueMicros) == [25_000_000, 1_500_000_000])
        #expect(try fixture.sqlite("SELECT line, coalesce(reported_share_micros, 'none') FROM usage_row ORDER BY line")
            == "2|none\n3|1\n4|300000000")
    }

    @Test("region may be missing entirely: every row has the empty region")
    func regionAbsent() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let summary = try fixture.importFile(.usage, "u.csv", ImportFixtures.csv([
            "partner,usage_date,model,requests,input_tokens,output_tokens,gross_revenue",
            "aws,2025-01-03,\(m70),1,2,3,4",
            "aws,2025-01-04,\(m70),5,6,7,8.000001",
        ]))
        #expect(summary.outcome == .imported)
        #expect(summary.unknownColumns.isEmpty)
        #expect(summary.reports.map(\.grossRevenueMicros) == [12_000_001])
        #expect(try fixture.sqlite("SELECT line, '[' || region || ']' FROM usage_row ORDER BY line") == "2|[]\n3|[]")
        let totals = try fixture.modelTotals(reportID: 1)
        #expect(totals.map(\.requests) == [6])
        #expect(totals.map(\.inputTokens) == [8])
        #expect(totals.map(\.outputTokens) == [10])
    }

    @Test("limits and prices that are met: 200 characters, a default price, a listed price, Int64.max")
    func boundariesAccepted() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let ascii = String(repeating: "m", count: 200)
        let accented = String(repeating: "é", count: 200)  // 400 bytes, 200 characters
        let summary = try fixture.importFile(.usage, "u.csv", usage(
            row(model: ascii, region: String(repeating: "r", count: 200)),
            row("2025-02-03", model: accented, input: maxInt64, output: "0", revenue: "0"),
            row("2025-03-31", model: "llama-3.1-405b-instruct"),       // AWS-2025 lists it
            row("2024-10-01", partner: "groq", model: "anything", currency: "JPY")))  // GROQ-1 default price
        #expect(summary.outcome == .imported)
        #expect(summary.reports.map(\.partnerID) == ["aws", "aws", "aws", "groq"])
        #expect(summary.reports.map(\.period) == [period("2025-01"), period("2025-02"), period("2025-03"), period("2024-10")])
        #expect(try fixture.modelTotals(reportID: 1).map(\.model) == [ascii])
        #expect(try fixture.modelTotals(reportID: 2).map(\.model) == [accented])
        #expect(try fixture.modelTotals(reportID: 2).map(\.inputTokens) == [Int64.max])
        #expect(try fixture.sqlite("SELECT length(region) FROM usage_row WHERE report_id = 1") == "200")
    }

    @Test("200 Unicode scalars are within the limit even when they are one Character")
    func scalarLimitAccepted() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let model = "e" + String(repeating: "\u{301}", count: 199)  // 1 + 199 × 2 = 399 bytes
        let summary = try fixture.importFile(.usage, "u.csv", usage(row(model: model)))
        #expect(summary.outcome == .imported)
        #expect(try fixture.sqlite("SELECT length(model), length(CAST(model AS BLOB)) FROM usage_row") == "200|399")
    }

    // MARK: - Behaviour

    @Test("the same bytes again are already imported: nothing new, whatever the file name")
    func idempotent() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let text = usage(row(), row("2025-01-04"))
        let first = try fixture.importFile(.usage, "a.csv", text)
        #expect(first.outcome == .imported)
        let after = try fixture.snapshot()
        #expect(after.tableCounts["usage_row"] == 2)
        #expect(after.tableCounts["usage_report"] == 1)

        for name in ["a.csv", "copy.csv"] {
            let again = try fixture.importFile(.usage, name, text)
            #expect(again.outcome == .alreadyImported(importedAt: ImportFixtures.importedAt))
            #expect(again.sha256 == first.sha256)
            #expect(again.rows == 0)
            #expect(again.reports.isEmpty)
            #expect(try fixture.snapshot() == after)
        }
        // --restate changes nothing about it: the SHA-256 check comes first.
        #expect(try fixture.run(.usage, "copy.csv", restate: true).outcome == .alreadyImported(importedAt: ImportFixtures.importedAt))
        #expect(try fixture.snapshot() == after)
    }

    @Test("the SHA-256 check comes first, even when the rows now lie in a closed period")
    func idempotentAfterClose() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let text = usage(row())
        #expect(try fixture.importFile(.usage, "a.csv", text).outcome == .imported)
        try fixture.markClosed("2025-01")
        let before = try fixture.snapshot()
        #expect(try fixture.run(.usage, "a.csv").outcome == .alreadyImported(importedAt: ImportFixtures.importedAt))
        #expect(try fixture.snapshot() == before)
    }

    @Test("a header and no rows imports nothing and records nothing", arguments: [
        ImportFixtures.usageHeader,
        ImportFixtures.usageHeader + "\n",
        ImportFixtures.usageHeader + "\r\n\r\n\n",
        "\u{FEFF}" + ImportFixtures.usageHeader + "\r\n",
    ])
    func headerOnly(_ text: String) throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let before = try fixture.snapshot()
        let summary = try fixture.importFile(.usage, "h.csv", text)
        #expect(summary.outcome == .noRows)
        #expect(summary.rows == 0)
        #expect(summary.reports.isEmpty)
        #expect(try fixture.snapshot() == before)
        #expect(before.importFiles.isEmpty)
        // Nothing was recorded, so the same file is again "no rows", not "already imported".
        #expect(try fixture.run(.usage, "h.csv").outcome == .noRows)
    }

    @Test("a restatement is refused without --restate and replaces the report with it; the old rows stay")
    func restatement() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        #expect(try fixture.importFile(.usage, "jan-a.csv", usage(row(), row("2025-01-04", requests: "5", input: "500", output: "700", revenue: "7.25"))).outcome == .imported)
        fixture.write("jan-b.csv", usage(row("2025-01-05", requests: "1", input: "100", output: "200", revenue: "3")))

        let before = try fixture.snapshot()
        let refusal = try #require(try fixture.refusal(.usage, "jan-b.csv"))
        #expect(refusal.errors.first.map(\.description) == fixture.expand([
            "{dir}/jan-b.csv: partner: aws 2025-01 already has a report from {dir}/jan-a.csv (imported 2025-06-01T12:00:00Z); use --restate to replace it",
        ]))
        #expect(refusal.category == .invalidInput)
        #expect(try fixture.snapshot() == before)

        let summary = try fixture.run(.usage, "jan-b.csv", restate: true)
        #expect(summary.outcome == .imported)
        #expect(summary.reports.count == 1)
        let report = try #require(summary.reports.first)
        #expect(report.partnerID == "aws")
        #expect(report.period == period("2025-01"))
        #expect(report.rows == 1)
        #expect(report.grossRevenueMicros == 3_000_000)
        #expect(report.replaced?.reportID == 1)
        #expect(report.replaced?.fileName == fixture.path("jan-a.csv"))
        #expect(report.replaced?.importedAt == ImportFixtures.importedAt)

        let current = try #require(try fixture.currentUsageReport("aws", "2025-01"))
        #expect(current.reportID == 2)
        #expect(current.fileName == fixture.path("jan-b.csv"))
        // The replaced rows stay for the audit trail; the new report points at the old one.
        #expect(try fixture.modelTotals(reportID: 1).map(\.rows) == [2])
        #expect(try fixture.modelTotals(reportID: 1).map(\.grossRevenueMicros) == [19_750_000])
        #expect(try fixture.modelTotals(reportID: 2).map(\.grossRevenueMicros) == [3_000_000])
        #expect(try fixture.sqlite("SELECT id, coalesce(replaces_report_id, '-'), row_count, requests, input_tokens, output_tokens, gross_revenue_micros FROM usage_report ORDER BY id")
            == "1|-|2|15|1500|2700|19750000\n2|1|1|1|100|200|3000000")
        #expect(try fixture.sqlite("SELECT count(*) FROM usage_row") == "3")
        let files = try fixture.store.read("files") { try $0.importedFiles() }
        #expect(files.map(\.restate) == [false, true])
    }

    @Test("a file mixing a restated (partner, period) and a new one")
    func mixedRestatement() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        #expect(try fixture.importFile(.usage, "jan-a.csv", usage(row())).outcome == .imported)
        fixture.write("mixed.csv", usage(row("2025-01-09", revenue: "1"), row(partner: "groq", revenue: "700", currency: "JPY"),
                                         row("2025-02-01", revenue: "2")))
        let before = try fixture.snapshot()
        let refusal = try #require(try fixture.refusal(.usage, "mixed.csv"))
        #expect(refusal.errors.first.map(\.description) == fixture.expand([
            "{dir}/mixed.csv: partner: aws 2025-01 already has a report from {dir}/jan-a.csv (imported 2025-06-01T12:00:00Z); use --restate to replace it",
        ]))
        #expect(try fixture.snapshot() == before)

        let summary = try fixture.run(.usage, "mixed.csv", restate: true)
        #expect(summary.reports.map(\.partnerID) == ["aws", "groq", "aws"])
        #expect(summary.reports.map(\.period) == [period("2025-01"), period("2025-01"), period("2025-02")])
        #expect(summary.reports.map { $0.replaced?.reportID } == [1, nil, nil])
        #expect(try fixture.sqlite("SELECT id, partner_id, period, coalesce(replaces_report_id, '-') FROM usage_report ORDER BY id")
            == "1|aws|2025-01|-\n2|aws|2025-01|1\n3|groq|2025-01|-\n4|aws|2025-02|-")
        #expect(try fixture.currentUsageReport("groq", "2025-01")?.reportID == 3)
    }

    @Test("usage for a closed period always needs --restate; before the first closed period it is refused")
    func closedPeriod() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        #expect(try fixture.importFile(.usage, "jan-a.csv", usage(row())).outcome == .imported)
        try fixture.markClosed("2025-01")
        fixture.write("jan-b.csv", usage(row("2025-01-10", revenue: "99"), row(partner: "groq", revenue: "500", currency: "JPY"),
                                         row("2025-02-03")))
        let before = try fixture.snapshot()
        let refusal = try #require(try fixture.refusal(.usage, "jan-b.csv"))
        let closedMessage = "is a closed period; importing usage for it needs --restate (the change is billed as a prior-period adjustment at the next close)"
        #expect(refusal.errors.first.map(\.description) == fixture.expand([
            "{dir}/jan-b.csv: usage_date: aws 2025-01 \(closedMessage)",
            "{dir}/jan-b.csv: usage_date: groq 2025-01 \(closedMessage)",
        ]))
        #expect(try fixture.snapshot() == before)

        let summary = try fixture.run(.usage, "jan-b.csv", restate: true)
        #expect(summary.reports.map(\.partnerID) == ["aws", "groq", "aws"])
        #expect(summary.reports.map { $0.replaced?.reportID } == [1, nil, nil])
        #expect(try fixture.currentUsageReport("aws", "2025-01")?.reportID == 2)

        // 2024-12 lies before the first closed period: locked, without a statement, even with --restate.
        fixture.write("dec.csv", usage(row("2024-12-31")))
        let locked = try #require(try fixture.refusal(.usage, "dec.csv", restate: true))
        #expect(locked.errors.first.map(\.description) == fixture.expand([
            "{dir}/dec.csv: usage_date: aws 2024-12 lies in the locked range (closed through 2025-01) and has no statement; it cannot be imported",
        ]))
    }
}
