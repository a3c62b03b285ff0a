import Foundation
import TestSupport
import RevShareCore
import RevShareDomain
import RevShareImport
import RevShareStore
import Testing

/// The close through the library, over a real store: what it posts, the no-op re-run, the exact
/// refusals, and payment application against the charges it issued (SPEC §4, §5, §9).
/// Figures are worked out by hand beside each expectation.
@Suite("period close over a store")
struct CloseTests {
    /// A store in a fresh directory with `agreements` loaded; files are written next to it.
    private struct Books {
        let directory: String
        let store: Store

        init(_ agreements: String) throws {
            directory = FileManager.default.temporaryDirectory.path + "/close-tests-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            store = try Store.open(path: directory + "/revshare.sqlite", create: true,
                                   clock: UTCClock.fixed("2025-06-01T12:00:00Z"))
            _ = try AgreementLoader.load(Array(agreements.utf8), fileName: "agreements.yaml", into: store)
        }

        func remove() { try? FileManager.default.removeItem(atPath: directory) }

        private func write(_ name: String, _ text: String) throws -> InputFile {
            let path = directory + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return InputFile(argument: path)
        }

        func usage(_ name: String, _ rows: [String], restate: Bool = false) throws {
            let header = "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue"
            _ = try UsageImporter.run(try write(name, ([header] + rows).joined(separator: "\n") + "\n"),
                                      restate: restate, store: store)
        }

        func payments(_ name: String, _ rows: [String]) throws {
            let header = "payment_id,partner,received_on,amount,currency,reference"
            _ = try PaymentsImporter.run(try write(name, ([header] + rows).joined(separator: "\n") + "\n"), store: store)
        }

        /// "date kind key account=amount …" per entry, in chain order.
        func journal() throws -> [String] {
            try store.read("journal") { reader in
                try reader.entries().map { entry in
                    "\(entry.date) \(entry.kind) \(entry.idempotencyKey) "
                        + entry.postings.map { "\($0.account)=\($0.amountMinor)" }.joined(separator: " ")
                }
            }
        }
    }

    /// aws (USD, 45 days): 0.10 up to 1000, 0.12 above, minimum 150.00.
    private static let agreements = """
        partners:
          - id: aws
            name: Amazon Web Services
            currency: USD
            payment_terms_days: 45
            agreements:
              - id: AWS-1
                effective_from: 2024-07
                basis: revenue_percent
                tiers:
                  - up_to: 1000
                    rate: 0.10
                  - rate: 0.12
                minimum_monthly: 150.00

        """

    @Test func closePostsOnceAndRefusesOutOfOrder() throws {
        let books = try Books(Self.agreements)
        defer { books.remove() }
        try books.usage("usage.csv", [
            "2025-01-05,aws,m,,1,0,0,1000.00",
            "2025-02-05,aws,m,,1,0,0,2000.00",
        ])

        // Earliest usage is 2025-01: 2025-02 cannot be the first close.
        #expect(throws: Refusal(.invalidInput, "cannot close 2025-02: close 2025-01 first, the earliest period with usage")) {
            try PeriodClose.close(period("2025-02"), today: Fixtures.today, store: books.store)
        }
        #expect(try books.journal() == [])

        guard case .closed(let statements) = try PeriodClose.close(period("2025-01"), today: Fixtures.today, store: books.store) else {
            Issue.record("2025-01 was not closed")
            return
        }
        // Share 0.10 × 1000.00 = 100.00 (exactly the bound, all in the first tier); true-up 150 − 100 = 50.00.
        let january = try #require(statements.first)
        #expect(statements.count == 1)
        #expect(january.status == .final)
        #expect(january.shareMinor == 10_000)
        #expect(january.minimumTrueUpMinor == 5_000)
        #expect(january.chargesMinor == 15_000)
        #expect(january.dueDate == date("2025-03-17"))  // 2025-01-31 + 45: Feb 28 (+28), then +17
        #expect(try books.journal() == [
            "2025-01-31 share share:aws:2025-01 assets:receivable:aws=10000 income:revenue-share:aws=-10000",
            "2025-01-31 minimum_true_up minimum-true-up:aws:2025-01 assets:receivable:aws=5000 income:minimum-guarantee:aws=-5000",
        ])

        // Again: a no-op.
        #expect(try PeriodClose.close(period("2025-01"), today: Fixtures.today, store: books.store) == .alreadyClosed)
        #expect(try books.journal().count == 2)

        // A gap after the locked range names the period to close first; nothing is written.
        #expect(throws: Refusal(.invalidInput, "cannot close 2025-03: close 2025-02 first: periods close one after another")) {
            try PeriodClose.close(period("2025-03"), today: Fixtures.today, store: books.store)
        }
        #expect(try books.journal().count == 2)

        // February: 0.10 × 1000 + 0.12 × (2000 − 1000) = 100 + 120 = 220.00 ≥ 150.00, no true-up.
        guard case .closed(let february) = try PeriodClose.close(period("2025-02"), today: Fixtures.today, store: books.store) else {
            Issue.record("2025-02 was not closed")
            return
        }
        #expect(february.map(\.shareMinor) == [22_000])
        #expect(february.map(\.minimumTrueUpMinor) == [0])
        #expect(february.map(\.openingBalanceMinor) == [15_000])
        #expect(february.map(\.closingBalanceMinor) == [37_000])  // 150.00 + 220.00
        // The frozen statement reads back as the one the close returned.
        let found = try StatementQuery.statement(partnerID: "aws", period: period("2025-02"), store: books.store)
        guard case .final(let document, let statement) = found else {
            Issue.record("2025-02 is not final")
            return
        }
        #expect(statement == february.first)
        #expect(document == StatementDocument.json(try #require(february.first)))
        #expect(try IntegrityCheck.run(store: books.store).passed)
    }

    @Test func paymentApplicationAgainstIssuedCharges() throws {
        let books = try Books(Self.agreements.replacingOccurrences(of: "        minimum_monthly: 150.00\n", with: ""))
        defer { books.remove() }
        // 0.10 × 1000.00 = 100.00 a month.
        try books.usage("usage.csv", ["2025-01-10", "2025-02-10", "2025-03-10"].map { "\($0),aws,m,,1,0,0,1000.00" })
        for month in ["2025-01", "2025-02", "2025-03"] { _ = try PeriodClose.close(period(month), today: Fixtures.today, store: books.store) }
        // p-a was received on 2025-02-20 but imported after the close of March: posted 2025-04-01.
        try books.payments("payments.csv", [
            "p-a,aws,2025-02-20,150.00,USD,2025-02",
            "p-b,aws,2025-04-02,200.00,USD,",
        ])
        let (charges, received) = try books.store.read("payments") { reader in
            (try reader.issuedStatements().filter { $0.partnerID == "aws" },
             try reader.payments(partnerID: "aws"))
        }
        #expect(received.map { "\($0.paymentID) \($0.receivedOn) \($0.postedOn)" }
            == ["p-a 2025-02-20 2025-04-01", "p-b 2025-04-02 2025-04-02"])
        #expect(charges.map(\.chargesMinor) == [10_000, 10_000, 10_000])

        let application = PaymentApplication.apply(
            charges: charges.map { PeriodCharges(period: $0.period, chargesMinor: $0.chargesMinor) },
            payments: received.map {
                ReceivedPayment(paymentID: $0.paymentID, receivedOn: $0.receivedOn, amountMinor: $0.amountMinor,
                                reference: $0.reference)
            },
            asOf: date("2025-04-30"))
        // p-a 150.00 (by its received date, 2025-02-20): Feb (referenced) 100.00, then the oldest open, Jan, 50.00.
        // p-b 200.00: Jan 50.00 (completes it), Mar 100.00 (completes it), 50.00 unapplied.
        #expect(application.periods.map {
            "\($0.period) \($0.appliedMinor)/\($0.chargesMinor) \($0.completedBy.map { "\($0.paymentID) \($0.receivedOn)" } ?? "-")"
        } == [
            "2025-01 10000/10000 p-b 2025-04-02",
            "2025-02 10000/10000 p-a 2025-02-20",
            "2025-03 10000/10000 p-b 2025-04-02",
        ])
        #expect(application.unappliedCreditMinor == 5_000)
        // The ledger agrees: 300.00 charged − 350.00 paid = −50.00, counted from the posting dates.
        let receivable = { (day: String) in
            try books.store.read("balance") { try $0.balance(of: .receivable("aws"), currency: Currency(code: "USD")!, asOf: date(day)) }
        }
        #expect(try receivable("2025-03-31") == 30_000)  // p-a not yet posted
        #expect(try receivable("2025-04-01") == 15_000)  // 300.00 − 150.00
        #expect(try receivable("2025-04-30") == -5_000)
        #expect(try IntegrityCheck.run(store: books.store).passed)
    }
}
