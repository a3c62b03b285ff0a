import Foundation
import RevShareCore
import RevShareImport
import RevShareStore
import Testing
import TestSupport

private let m70 = "llama-3.1-70b-instruct"
private let plainDecimal = "is not a plain decimal number (digits, one optional point; no exponent, separators, symbols or spaces)"

/// One payments row; defaults: P-1 from aws, received 2025-01-10, 100.00 USD, for 2025-01.
private func pay(_ id: String = "P-1", partner: String = "aws", received: String = "2025-01-10", amount: String = "100.00",
                 currency: String = "USD", reference: String = "2025-01") -> String {
    [id, partner, received, amount, currency, reference].joined(separator: ",")
}

private func payments(_ lines: String...) -> String { ImportFixtures.csv([ImportFixtures.paymentsHeader] + lines) }

/// One meter row; defaults: aws, 2025-01-03, llama-3.1-70b-instruct, 1000 in, 2000 out.
private func meterRow(_ date: String = "2025-01-03", partner: String = "aws", model: String = m70, input: String = "1000",
                      output: String = "2000") -> String {
    [date, partner, model, input, output].joined(separator: ",")
}

private func meter(_ lines: String...) -> String { ImportFixtures.csv([ImportFixtures.meterHeader] + lines) }

/// Every rule of SPEC §3.3 broken once.
private let badPayments: [BadInput] = [
    BadInput(name: "amount 0", kind: .payments, content: payments(pay(amount: "0")),
             expected: [#"{dir}/p.csv:2: amount: "0" must be greater than zero"#]),
    BadInput(name: "amount 0.00", kind: .payments, content: payments(pay(amount: "0.00")),
             expected: [#"{dir}/p.csv:2: amount: "0.00" must be greater than zero"#]),
    BadInput(name: "negative amount", kind: .payments, content: payments(pay(amount: "-5.00")),
             expected: [#"{dir}/p.csv:2: amount: "-5.00" is negative; it must be > 0"#]),
    BadInput(name: "more decimals than USD has", kind: .payments, content: payments(pay(amount: "100.005")),
             expected: [#"{dir}/p.csv:2: amount: "100.005" has more than 2 fractional digits (never rounded)"#]),
    BadInput(name: "any decimals in JPY", kind: .payments,
             content: payments(pay(partner: "groq", amount: "1500.5", currency: "JPY")),
             expected: [#"{dir}/p.csv:2: amount: "1500.5" has fractional digits, but the currency has no fractional digits (never rounded)"#]),
    BadInput(name: "amount beyond Int64 minor units", kind: .payments, content: payments(pay(amount: "92233720368547758.08")),
             expected: [#"{dir}/p.csv:2: amount: "92233720368547758.08" is out of range"#]),
    BadInput(name: "amount with an exponent", kind: .payments, content: payments(pay(amount: "1e2")),
             expected: [#"{dir}/p.csv:2: amount: "1e2" "# + plainDecimal]),
    BadInput(name: "payment currency empty", kind: .payments, content: payments(pay(currency: "")),
             expected: ["{dir}/p.csv:2: currency: is empty; the partner's currency USD is required"]),
    BadInput(name: "payment currency mismatch", kind: .payments, content: payments(pay(currency: "JPY")),
             expected: [#"{dir}/p.csv:2: currency: "JPY" does not match partner aws's currency USD"#]),
    BadInput(name: "payment id twice in one file, identical rows", kind: .payments, content: payments(pay(), pay()),
             expected: ["{dir}/p.csv:3: payment_id: duplicate of line 2"]),
    BadInput(name: "payment id twice in one file, other fields", kind: .payments,
             content: payments(pay(), pay("P-2"), pay(amount: "5.00")),
             expected: ["{dir}/p.csv:4: payment_id: duplicate of line 2"]),
    BadInput(name: "payment id reused with another amount in a second file", kind: .payments,
             prior: [payments(pay())], content: payments(pay("P-0"), pay(amount: "100.01")),
             expected: [#"{dir}/p.csv:3: payment_id: "P-1" was imported before ({dir}/prior1.csv:2) with other fields; a payment cannot change: import a new payment_id instead"#]),
    BadInput(name: "payment id reused without its reference in a second file", kind: .payments,
             prior: [payments(pay())], content: payments(pay(reference: "")),
             expected: [#"{dir}/p.csv:2: payment_id: "P-1" was imported before ({dir}/prior1.csv:2) with other fields; a payment cannot change: import a new payment_id instead"#]),
    BadInput(name: "bad reference 2025-13", kind: .payments, content: payments(pay(reference: "2025-13")),
             expected: [#"{dir}/p.csv:2: reference: "2025-13" is not a period in YYYY-MM form"#]),
    BadInput(name: "reference not YYYY-MM", kind: .payments, content: payments(pay(reference: "2025-1")),
             expected: [#"{dir}/p.csv:2: reference: "2025-1" is not a period in YYYY-MM form"#]),
    BadInput(name: "payment from an unknown partner", kind: .payments, content: payments(pay(partner: "azure")),
             expected: [#"{dir}/p.csv:2: partner: "azure" is not a loaded partner (loaded: aws, groq)"#]),
    BadInput(name: "received_on 2025-02-29", kind: .payments, content: payments(pay(received: "2025-02-29")),
             expected: [#"{dir}/p.csv:2: received_on: "2025-02-29" is not a real calendar date in YYYY-MM-DD form"#]),
    BadInput(name: "empty payment_id", kind: .payments, content: payments(pay("")),
             expected: ["{dir}/p.csv:2: payment_id: is empty"]),
    BadInput(name: "payment_id of 201 bytes", kind: .payments, content: payments(pay(String(repeating: "p", count: 201))),
             expected: ["{dir}/p.csv:2: payment_id: is 201 bytes long; a payment id has at most 200 bytes"]),
    BadInput(name: "payment_id of 101 characters but 202 bytes", kind: .payments,
             content: payments(pay("P-0"), pay(String(repeating: "é", count: 101))),
             expected: ["{dir}/p.csv:3: payment_id: is 202 bytes long; a payment id has at most 200 bytes"]),
    BadInput(name: "payments: missing column", kind: .payments,
             content: ImportFixtures.csv(["payment_id,partner,received_on,currency", "P-1,aws,2025-01-10,USD"]),
             expected: ["{dir}/p.csv:1: amount: required column is missing"]),
    BadInput(name: "payments: wrong number of fields", kind: .payments,
             content: payments(pay(), "P-2,aws,2025-01-11,5.00,USD"),
             expected: ["{dir}/p.csv:3: record: has 5 fields but the header has 6"]),
    BadInput(name: "payments: empty file", kind: .payments, content: "",
             expected: ["payment_id", "partner", "received_on", "amount", "currency"]
                .map { "{dir}/p.csv:1: \($0): required column is missing" }),
    BadInput(name: "payments: every error of a line, in column order", kind: .payments,
             content: payments(pay(received: "2025-1-10", amount: "0", currency: "", reference: "Jan")),
             expected: [#"{dir}/p.csv:2: received_on: "2025-1-10" is not a real calendar date in YYYY-MM-DD form"#,
                        #"{dir}/p.csv:2: amount: "0" must be greater than zero"#,
                        "{dir}/p.csv:2: currency: is empty; the partner's currency USD is required",
                        #"{dir}/p.csv:2: reference: "Jan" is not a period in YYYY-MM form"#]),
]

/// Every rule of SPEC §3.4 broken once.
private let badMeter: [BadInput] = [
    BadInput(name: "meter duplicate key", kind: .meter,
             content: meter(meterRow(), meterRow("2025-01-04"), meterRow(input: "1")),
             expected: ["{dir}/m.csv:4: key: duplicate of line 2 (aws, 2025-01-03, \(m70))"]),
    BadInput(name: "meter non-integer tokens", kind: .meter, content: meter(meterRow(input: "12a")),
             expected: [#"{dir}/m.csv:2: input_tokens: "12a" is not a non-negative integer"#]),
    BadInput(name: "meter negative tokens", kind: .meter, content: meter(meterRow(output: "-1")),
             expected: [#"{dir}/m.csv:2: output_tokens: "-1" is not a non-negative integer"#]),
    BadInput(name: "meter Int64 overflow of a field", kind: .meter, content: meter(meterRow(output: "9223372036854775808")),
             expected: [#"{dir}/m.csv:2: output_tokens: "9223372036854775808" is out of range (at most 9223372036854775807)"#]),
    BadInput(name: "meter Int64 overflow of a report total", kind: .meter,
             content: meter(meterRow(output: "9223372036854775807"), meterRow("2025-01-31", model: "other", output: "1")),
             expected: ["{dir}/m.csv: output_tokens: the total for aws 2025-01 overflows a 64-bit integer"]),
    BadInput(name: "meter unknown partner", kind: .meter, content: meter(meterRow(partner: "AWS")),
             expected: [#"{dir}/m.csv:2: partner: "AWS" is not a loaded partner (loaded: aws, groq)"#]),
    BadInput(name: "meter 2025-02-30", kind: .meter, content: meter(meterRow("2025-02-30")),
             expected: [#"{dir}/m.csv:2: usage_date: "2025-02-30" is not a real calendar date in YYYY-MM-DD form"#]),
    BadInput(name: "meter 201-character model", kind: .meter, content: meter(meterRow(model: String(repeating: "x", count: 201))),
             expected: ["{dir}/m.csv:2: model: has 201 characters; at most 200 are allowed"]),
    BadInput(name: "meter missing column", kind: .meter,
             content: ImportFixtures.csv(["usage_date,partner,input_tokens,output_tokens", "2025-01-03,aws,1,2"]),
             expected: ["{dir}/m.csv:1: model: required column is missing"]),
    BadInput(name: "meter wrong number of fields", kind: .meter, content: meter(meterRow(), "2025-01-04,aws,\(m70),1"),
             expected: ["{dir}/m.csv:3: record: has 4 fields but the header has 5"]),
    BadInput(name: "meter unterminated quote", kind: .meter, content: meter(meterRow(), "2025-01-04,aws,\"\(m70),1,2"),
             expected: ["{dir}/m.csv:3: csv: unterminated quoted field (opened on line 3)"]),
    BadInput(name: "meter empty file", kind: .meter, content: "",
             expected: ["usage_date", "partner", "model", "input_tokens", "output_tokens"]
                .map { "{dir}/m.csv:1: \($0): required column is missing" }),
]

/// A payment_id of `count` copies of `character`.
struct LongID: Sendable, CustomTestStringConvertible {
    let id: String
    let testDescription: String

    init(_ character: Character, _ count: Int) {
        id = String(repeating: character, count: count)
        testDescription = "\(count) × \(character) (\(id.utf8.count) bytes)"
    }
}

@Suite("Payments and meter imports (SPEC §3.3, §3.4)")
struct PaymentsMeterImportTests {
    @Test("bad payments: the exact error lines, 65, nothing written", arguments: badPayments)
    func badPaymentsInput(_ bad: BadInput) throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        try fixture.expectRefused(bad)
    }

    @Test("bad meter: the exact error lines, 65, nothing written", arguments: badMeter)
    func badMeterInput(_ bad: BadInput) throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        try fixture.expectRefused(bad)
    }

    @Test("more than 100 bad payments: exactly 100 printed, then the count")
    func moreThanAHundredErrors() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let lines = (1...205).map { pay("P-\($0)", amount: "0") }
        fixture.write("p.csv", ImportFixtures.csv([ImportFixtures.paymentsHeader] + lines))
        let before = try fixture.snapshot()
        let refusal = try #require(try fixture.refusal(.payments, "p.csv"))
        #expect(refusal.errors.count == 205)
        let printed = (2...101).map { #"{dir}/p.csv:\#($0): amount: "0" must be greater than zero"# }
        #expect(refusal.diagnostics == fixture.expand(printed) + ["… and 105 more errors", ImportFixtures.nothingImported])
        #expect(try fixture.snapshot() == before)
    }

    // MARK: - Payments

    @Test("payments are posted on their received date, each with its ledger entry")
    func postedOnReceivedDate() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let summary = try fixture.importFile(.payments, "p1.csv", payments(
            pay(),
            pay("P-2", partner: "groq", received: "2025-01-12", amount: "15000", currency: "JPY", reference: "")))
        #expect(summary.outcome == .imported)
        #expect(summary.rows == 2)
        #expect(summary.newRecords == 2)
        #expect(summary.skippedRecords == 0)
        #expect(summary.reports.isEmpty)

        #expect(try fixture.payment("P-1") == PaymentRecord(
            paymentID: "P-1", partnerID: "aws", receivedOn: date("2025-01-10"), postedOn: date("2025-01-10"),
            amountMinor: 10_000, currency: usd, reference: period("2025-01"), fileName: fixture.path("p1.csv"), line: 2))
        #expect(try fixture.payment("P-2") == PaymentRecord(
            paymentID: "P-2", partnerID: "groq", receivedOn: date("2025-01-12"), postedOn: date("2025-01-12"),
            amountMinor: 15_000, currency: jpy, reference: nil, fileName: fixture.path("p1.csv"), line: 3))

        let entry = try #require(try fixture.store.read("entry") { try $0.entry(idempotencyKey: "payment:P-1") })
        #expect(entry.date == "2025-01-10")
        #expect(entry.kind == "payment")
        #expect(entry.description == "Payment P-1 from aws, received 2025-01-10 for 2025-01")
        #expect(entry.recordedAt == ImportFixtures.importedAt)
        #expect(entry.postings == [
            .init(account: "assets:bank", currency: "USD", amountMinor: 10_000),
            .init(account: "assets:receivable:aws", currency: "USD", amountMinor: -10_000),
        ])
        let groq = try #require(try fixture.store.read("entry") { try $0.entry(idempotencyKey: "payment:P-2") })
        #expect(groq.description == "Payment P-2 from groq, received 2025-01-12")
        #expect(groq.postings.map(\.amountMinor) == [15_000, -15_000])
        #expect(try fixture.snapshot().ledgerEntries == 2)
    }

    @Test("a payment seen before with identical fields is skipped; the same bytes are already imported")
    func identicalPaymentSkipped() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        #expect(try fixture.importFile(.payments, "p1.csv", payments(pay())).outcome == .imported)
        let summary = try fixture.importFile(.payments, "p2.csv", payments(pay("P-3", amount: "7.5"), pay()))
        #expect(summary.outcome == .imported)
        #expect(summary.rows == 2)
        #expect(summary.newRecords == 1)
        #expect(summary.skippedRecords == 1)
        // P-1 still comes from the first file; P-3 is new.
        #expect(try fixture.payment("P-1")?.fileName == fixture.path("p1.csv"))
        #expect(try fixture.payment("P-3")?.amountMinor == 750)
        #expect(try fixture.payment("P-3")?.line == 2)
        let after = try fixture.snapshot()
        #expect(after.ledgerEntries == 2)
        #expect(after.tableCounts["payment"] == 2)
        #expect(after.importFiles.map(\.rowCount) == [1, 2])

        #expect(try fixture.run(.payments, "p2.csv").outcome == .alreadyImported(importedAt: ImportFixtures.importedAt))
        #expect(try fixture.snapshot() == after)
    }

    @Test("a payment received inside the locked range is posted on the first day after it")
    func lockedRangePosting() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        try fixture.markClosed("2024-12", "2025-01")
        let summary = try fixture.importFile(.payments, "late.csv", payments(
            pay("P-4", received: "2025-01-20"),
            pay("P-5", received: "2025-02-03", amount: "20.00", reference: ""),
            pay("P-6", received: "2024-11-30", amount: "30.00", reference: "2024-11"),
            pay("P-7", received: "2025-01-31", amount: "40.00"),
            pay("P-8", received: "2025-02-01", amount: "50.00")))
        #expect(summary.newRecords == 5)
        let expected: [(String, String, String)] = [
            ("P-4", "2025-01-20", "2025-02-01"), ("P-5", "2025-02-03", "2025-02-03"), ("P-6", "2024-11-30", "2025-02-01"),
            ("P-7", "2025-01-31", "2025-02-01"), ("P-8", "2025-02-01", "2025-02-01"),
        ]
        for (id, received, posted) in expected {
            let payment = try #require(try fixture.payment(id))
            #expect(payment.receivedOn == date(received), "\(id)")
            #expect(payment.postedOn == date(posted), "\(id)")
            let entry = try #require(try fixture.store.read("entry") { try $0.entry(idempotencyKey: "payment:\(id)") })
            #expect(entry.date == posted, "\(id)")
        }
        let entry = try #require(try fixture.store.read("entry") { try $0.entry(idempotencyKey: "payment:P-4") })
        #expect(entry.description == "Payment P-4 from aws, received 2025-01-20 for 2025-01")
        // Counted from the day it is posted: nothing on 2025-01-31, 100.00 + 30.00 + 40.00 + 50.00 on 2025-02-01.
        let bank = try fixture.store.read("balance") { context in
            try ["2025-01-31", "2025-02-01", "2025-02-03"].map {
                try context.balance(of: .bank, currency: usd, asOf: date($0))
            }
        }
        #expect(bank == [0, 22_000, 24_000])
    }

    @Test("a header-only payments file records nothing")
    func paymentsHeaderOnly() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let before = try fixture.snapshot()
        #expect(try fixture.importFile(.payments, "p.csv", ImportFixtures.paymentsHeader + "\r\n").outcome == .noRows)
        #expect(try fixture.snapshot() == before)
    }

    /// payment_id is held to 200 bytes (schema 0003); its ledger entry's idempotency key
    /// `payment:<id>` must have room for every such id, so these are posted like any other.
    @Test("a payment_id of up to 200 bytes is imported and posted", arguments: [
        LongID("p", 192), LongID("p", 193), LongID("p", 200), LongID("é", 100),
    ])
    func longPaymentID(_ long: LongID) throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let summary = try fixture.importFile(.payments, "p.csv", payments(pay("P-0"), pay(long.id)))
        #expect(summary.newRecords == 2)
        #expect(try fixture.payment(long.id)?.line == 3)
        #expect(try fixture.payment(long.id)?.amountMinor == 10_000)
        let entry = try fixture.store.read("entry") { try $0.entry(idempotencyKey: "payment:" + long.id) }
        #expect(entry?.date == "2025-01-10")
        #expect(entry?.postings.map(\.amountMinor) == [10_000, -10_000])
    }

    // MARK: - Meter

    @Test("meter: the newest import of a (partner, period) wins; the old rows stay")
    func meterNewestWins() throws {
        let fixture = try ImportTestStore()
        defer { fixture.remove() }
        let first = try fixture.importFile(.meter, "m1.csv", meter(meterRow(), meterRow("2025-01-04", input: "3000", output: "4000"),
                                                                   meterRow("2025-02-01", input: "5", output: "6")))
        #expect(first.outcome == .imported)
        #expect(first.rows == 3)
        #expect(first.reports.map(\.partnerID) == ["aws", "aws"])
        #expect(first.reports.map(\.period) == [period("2025-01"), period("2025-02")])
        #expect(first.reports.map(\.rows) == [2, 1])

        // No --restate: the meter's later import simply supersedes.
        let second = try fixture.importFile(.meter, "m2.csv", meter(meterRow("2025-01-05", input: "10", output: "20"),
                                                                    meterRow(partner: "groq", model: "x", input: "7", output: "8")))
        #expect(second.outcome == .imported)
        #expect(second.reports.map(\.partnerID) == ["aws", "groq"])
        #expect(second.reports.map(\.rows) == [1, 1])

        #expect(try fixture.sqlite("""
            SELECT id, partner_id, period, row_count, input_tokens, output_tokens FROM current_meter_report ORDER BY id
            """) == "2|aws|2025-02|1|5|6\n3|aws|2025-01|1|10|20\n4|groq|2025-01|1|7|8")
        #expect(try fixture.sqlite("SELECT id, row_count, input_tokens, output_tokens FROM meter_report WHERE id = 1") == "1|2|4000|6000")
        let counts = try fixture.snapshot()
        #expect(counts.tableCounts["meter_row"] == 5)
        #expect(counts.tableCounts["meter_report"] == 4)
        #expect(counts.references["aws"]?.meterReports == 3)
        #expect(counts.tableCounts["usage_row"] == 0)
        #expect(counts.ledgerEntries == 0)

        #expect(try fixture.run(.meter, "m1.csv").outcome == .alreadyImported(importedAt: ImportFixtures.importedAt))
        #expect(try fixture.snapshot() == counts)
    }
}
