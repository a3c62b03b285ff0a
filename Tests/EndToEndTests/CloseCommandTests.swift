import Foundation
import Testing
import TestSupport

/// `revshare close`, `statement` and `statements`, run through the built executable as a user
/// would (SPEC §4, §5, §7.1, §9). Every expected figure is worked out by hand in the comment
/// beside it; the JSON is read back with JSONSerialization.
struct CloseCommandTests {
    // MARK: - Close order (SPEC §4.1, §9 "Command line")

    @Test("close order: first close up to the earliest usage, then no gaps; repeats are no-ops; bad periods exit 64")
    func closeOrder() throws {
        let books = try CloseBooks("e2e-close-order", agreements: CloseYAML.file([
            CloseYAML.partner("aws", agreements: [CloseYAML.revenue("AWS-1", from: "2024-07", tiers: [(nil, "0.10")])]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [
            CloseYAML.row("2025-01-05", "aws", "m", revenue: "100.00"),
            CloseYAML.row("2025-02-05", "aws", "m", revenue: "200.00"),
        ])

        // Bad period syntax is bad usage (64), not a refusal.
        for bad in ["2025-13", "2025-00", "2025-1", "202501"] {
            let result = try books.run(["close", bad])
            #expect(result.status == 64, "close \(bad): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }

        // The earliest usage is 2025-01: closing 2025-02 first is refused, naming 2025-01, and writes nothing.
        let tooLate = try books.run(["close", "2025-02"])
        #expect(tooLate.status == 65)
        #expect(tooLate.stdout.isEmpty)
        #expect(tooLate.stderr.contains("cannot close 2025-02"))
        #expect(tooLate.stderr.contains("close 2025-01 first"))
        #expect(try books.sqlite("SELECT (SELECT count(*) FROM closed_period), (SELECT count(*) FROM statement), (SELECT count(*) FROM ledger_entry)") == "0|0|0")

        // The first close may be of a period before the earliest usage: 2024-12 (no usage, share 0).
        let december = try books.succeed(["close", "2024-12"])
        #expect(december.stdout.hasPrefix("closed 2024-12: 1 statement issued\n"))
        let decemberStatement = try books.statement("aws", "2024-12")
        #expect(decemberStatement["status"] as? String == "final")
        #expect(CloseJSON.lines(decemberStatement) == [])
        #expect(decemberStatement["share"] as? String == "0.00")  // no usage, no minimum: 0.00
        #expect(decemberStatement["charges"] as? String == "0.00")
        // An amount of zero posts no entry.
        #expect(try books.sqlite("SELECT count(*) FROM ledger_entry") == "0")

        // Then no gap: 2025-02 needs 2025-01 first.
        let gap = try books.run(["close", "2025-02"])
        #expect(gap.status == 65)
        #expect(gap.stderr.contains("close 2025-01 first"))
        #expect(try books.sqlite("SELECT group_concat(period) FROM closed_period") == "2024-12")

        let january = try books.succeed(["close", "2025-01"])
        #expect(january.stdout.hasPrefix("closed 2025-01: 1 statement issued\n"))
        #expect(try books.statement("aws", "2025-01")["share"] as? String == "10.00")  // 0.10 × 100.00 = 10.00
        let entriesAfterJanuary = try books.sqlite("SELECT count(*) FROM ledger_entry")
        #expect(entriesAfterJanuary == "1")  // the share entry

        // Closing a closed period again is a no-op that says so, exit 0.
        for closed in ["2025-01", "2024-12"] {
            let again = try books.succeed(["close", closed])
            #expect(again.stdout == "\(closed) is already closed; nothing to do\n")
        }
        #expect(try books.sqlite("SELECT count(*) FROM ledger_entry") == entriesAfterJanuary)
        #expect(try books.sqlite("SELECT count(*) FROM statement") == "2")

        // A gap after the locked range names the period to close first.
        let march = try books.run(["close", "2025-03"])
        #expect(march.status == 65)
        #expect(march.stderr.contains("cannot close 2025-03"))
        #expect(march.stderr.contains("close 2025-02 first"))
        // A period before the locked range that was never closed cannot be closed now.
        let november = try books.run(["close", "2024-11"])
        #expect(november.status == 65)
        #expect(november.stderr.contains("cannot close 2024-11"))
        // SPEC §4.1: a close out of order is refused "naming the period to close first": 2025-02.
        #expect(november.stderr.contains("2025-02"), "names the next period to close: \(november.stderr)")
        #expect(try books.sqlite("SELECT group_concat(period) FROM (SELECT period FROM closed_period ORDER BY period)")
            == "2024-12,2025-01")

        #expect(try books.succeed(["close", "2025-02"]).stdout.hasPrefix("closed 2025-02: 1 statement issued\n"))
        try books.expectVerified()
    }

    // MARK: - The share through a real close (SPEC §4.2, §9)

    /// Tiers shared by the boundary partners: 0.10 up to 1000.05, 0.20 up to 2000, 0.30 above.
    static let boundaryTiers: [(String?, String)] = [("1000.05", "0.10"), ("2000", "0.20"), (nil, "0.30")]

    @Test("tier boundaries, half-even ties, largest remainder, zero weights, JPY, per_million_tokens")
    func shareThroughClose() throws {
        let books = try CloseBooks("e2e-close-share", agreements: CloseYAML.file([
            CloseYAML.partner("at-bound", agreements: [CloseYAML.revenue("AB-1", from: "2025-01", tiers: Self.boundaryTiers)]),
            CloseYAML.partner("above", agreements: [CloseYAML.revenue("AV-1", from: "2025-01", tiers: Self.boundaryTiers)]),
            CloseYAML.partner("below", agreements: [CloseYAML.revenue("BL-1", from: "2025-01", tiers: Self.boundaryTiers)]),
            CloseYAML.partner("three", agreements: [CloseYAML.revenue("TH-1", from: "2025-01", tiers: Self.boundaryTiers)]),
            CloseYAML.partner("lr", agreements: [CloseYAML.revenue("LR-1", from: "2025-01", tiers: [(nil, "0.10")])]),
            CloseYAML.partner("tie", agreements: [CloseYAML.revenue("TI-1", from: "2025-01", tiers: [(nil, "0.10")])]),
            CloseYAML.partner("zero", agreements: [
                CloseYAML.revenue("ZE-1", from: "2025-01", tiers: [(nil, "0.10")], minimum: "10.00"),
            ]),
            CloseYAML.partner("yen", currency: "JPY", agreements: [CloseYAML.revenue("YEN-1", from: "2025-01", tiers: [(nil, "0.2")])]),
            CloseYAML.partner("tokens", agreements: [
                CloseYAML.tokens("TOK-1", from: "2025-01", prices: [
                    ("default", "0.05", "0.10"), ("llama-3.1-405b-instruct", "0.50", "1.00"),
                ]),
            ]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [
            // at-bound: 600.02 + 400.03 = 1000.05, exactly the first bound.
            CloseYAML.row("2025-01-02", "at-bound", "m", requests: 3, input: 100, output: 10, revenue: "600.02"),
            CloseYAML.row("2025-01-03", "at-bound", "m", requests: 4, input: 200, output: 20, revenue: "400.03"),
            // above: one micro-unit above the bound.
            CloseYAML.row("2025-01-02", "above", "m", revenue: "1000.050001"),
            // below: one micro-unit below the bound.
            CloseYAML.row("2025-01-02", "below", "m", revenue: "1000.049999"),
            // three: into the open tier.
            CloseYAML.row("2025-01-02", "three", "m", revenue: "2500"),
            // lr: rows out of model order; R = 1.234 + 2.345 + 3.456 + 2.965 = 10.000000.
            CloseYAML.row("2025-01-02", "lr", "zeta", revenue: "1.234"),
            CloseYAML.row("2025-01-02", "lr", "beta", revenue: "3.456"),
            CloseYAML.row("2025-01-02", "lr", "alpha", revenue: "2.345"),
            CloseYAML.row("2025-01-02", "lr", "gamma", revenue: "2.965"),
            // tie: m-c 0.50, m-b 0.25, m-a 0.25 (file order reversed).
            CloseYAML.row("2025-01-02", "tie", "m-c", revenue: "0.50"),
            CloseYAML.row("2025-01-02", "tie", "m-b", revenue: "0.25"),
            CloseYAML.row("2025-01-02", "tie", "m-a", revenue: "0.25"),
            // zero: two models with tokens but no revenue.
            CloseYAML.row("2025-01-02", "zero", "b", requests: 5, input: 500, output: 50, revenue: "0"),
            CloseYAML.row("2025-01-02", "zero", "a", requests: 2, input: 200, output: 20, revenue: "0.000000"),
            // yen: 822.5 + 410 = 1232.5 JPY.
            CloseYAML.row("2025-01-02", "yen", "x", revenue: "822.5"),
            CloseYAML.row("2025-01-02", "yen", "y", revenue: "410"),
            // tokens: the 405b at its own price, the 8b at the default price.
            CloseYAML.row("2025-01-02", "tokens", "llama-3.1-405b-instruct", requests: 9, input: 600_000, output: 200_000, revenue: "7.00"),
            CloseYAML.row("2025-01-03", "tokens", "llama-3.1-405b-instruct", requests: 1, input: 400_000, output: 300_000, revenue: "5.00"),
            CloseYAML.row("2025-01-02", "tokens", "llama-3.1-8b-instruct", requests: 2, input: 3_333_333, output: 1_111_111, revenue: "1.50"),
        ])
        let closed = try books.succeed(["close", "2025-01"])
        #expect(closed.stdout.hasPrefix("closed 2025-01: 9 statements issued\n"))

        // at-bound: 0.10 × 1000.05 = 100.005 exactly; a tie at the cent, kept digit 0 is even → 100.00
        // (half-up would give 100.01).
        let atBound = try books.statement("at-bound", "2025-01")
        #expect(atBound["share"] as? String == "100.00")
        #expect(CloseJSON.lines(atBound) == ["m=100.00"])
        let atBoundLine = try #require((atBound["lines"] as? [[String: Any]])?.first)
        #expect(atBoundLine["requests"] as? Int == 7)  // 3 + 4
        #expect(atBoundLine["input_tokens"] as? Int == 300)  // 100 + 200
        #expect(atBoundLine["output_tokens"] as? Int == 30)  // 10 + 20
        #expect(atBoundLine["gross_revenue"] as? String == "1000.050000")
        // payment_terms_days 30: 2025-01-31 + 30 days = 2025-02-28 (+28) + 2 = 2025-03-02.
        #expect(atBound["due_date"] as? String == "2025-03-02")

        // above: 100.005 + 0.20 × 0.000001 = 100.0050002, past the tie → 100.01.
        #expect(try books.statement("above", "2025-01")["share"] as? String == "100.01")
        // below: 0.10 × 1000.049999 = 100.0049999 → 100.00.
        #expect(try books.statement("below", "2025-01")["share"] as? String == "100.00")
        // three: 0.10 × 1000.05 = 100.005; 0.20 × (2000 − 1000.05) = 199.99; 0.30 × (2500 − 2000) = 150;
        // total 449.995, a tie with kept digit 9 odd → 450.00 (half-down would give 449.99; a flat
        // 0.30 × 2500 would give 750.00).
        #expect(try books.statement("three", "2025-01")["share"] as? String == "450.00")

        // lr: share 0.10 × 10.000000 = 1.00 = 100 cents. Quotas 100 × revenue / 10:
        // alpha 23.45, beta 34.56, gamma 29.65, zeta 12.34 → floors 23 + 34 + 29 + 12 = 98;
        // 2 cents left go to the largest fractions: gamma (.65), beta (.56).
        let lr = try books.statement("lr", "2025-01")
        #expect(lr["share"] as? String == "1.00")
        #expect(CloseJSON.lines(lr) == ["alpha=0.23", "beta=0.35", "gamma=0.30", "zeta=0.12"])

        // tie: share 0.10 × 1.00 = 0.10 = 10 cents. Quotas m-a 2.5, m-b 2.5, m-c 5 → floors 2 + 2 + 5 = 9;
        // the cent left is a tie between m-a and m-b (.5 each): model name ascending → m-a.
        #expect(CloseJSON.lines(try books.statement("tie", "2025-01")) == ["m-a=0.03", "m-b=0.02", "m-c=0.05"])

        // zero: all weights 0 → every line 0.00; share 0.00; true-up 10.00 − 0.00 = 10.00.
        let zero = try books.statement("zero", "2025-01")
        #expect(CloseJSON.lines(zero) == ["a=0.00", "b=0.00"])
        #expect(zero["share"] as? String == "0.00")
        #expect(zero["minimum_true_up"] as? String == "10.00")
        #expect(zero["charges"] as? String == "10.00")
        #expect(zero["closing_balance"] as? String == "10.00")

        // yen: 0.2 × 1232.5 = 246.5 JPY, a tie at the yen, kept digit 6 even → 246 (half-up: 247).
        // Lines: quotas 246 × 822.5 / 1232.5 = 164.166…, 246 × 410 / 1232.5 = 81.833… → 164 + 81 = 245;
        // the yen left goes to y (.833 > .166): x 164, y 82.
        let yen = try books.statement("yen", "2025-01")
        #expect(yen["currency"] as? String == "JPY")
        #expect(yen["share"] as? String == "246")
        #expect(CloseJSON.lines(yen) == ["x=164", "y=82"])
        #expect((yen["lines"] as? [[String: Any]])?.map { $0["gross_revenue"] as? String } == ["822.500000", "410.000000"])
        #expect(yen["opening_balance"] as? String == "0")
        #expect(yen["closing_balance"] as? String == "246")

        // tokens: 405b (1,000,000 × 0.50 + 500,000 × 1.00) / 1,000,000 = 0.50 + 0.50 = 1.00;
        // 8b (3,333,333 × 0.05 + 1,111,111 × 0.10) / 1,000,000 = 0.16666665 + 0.1111111 = 0.27777775;
        // share 1.27777775 → 1.28. Lines: 128 × 1.00 / 1.27777775 = 100.17… → 100,
        // 128 × 0.27777775 / 1.27777775 = 27.83… → 27; the cent left goes to the 8b → 28.
        let tokens = try books.statement("tokens", "2025-01")
        #expect(tokens["share"] as? String == "1.28")
        #expect(CloseJSON.lines(tokens) == ["llama-3.1-405b-instruct=1.00", "llama-3.1-8b-instruct=0.28"])
        let tokenLines = try #require(tokens["lines"] as? [[String: Any]])
        #expect(tokenLines.map { $0["requests"] as? Int } == [10, 2])  // 9 + 1; 2
        #expect(tokenLines.map { $0["input_tokens"] as? Int } == [1_000_000, 3_333_333])  // 600,000 + 400,000
        #expect(tokenLines.map { $0["output_tokens"] as? Int } == [500_000, 1_111_111])  // 200,000 + 300,000
        #expect(tokenLines.map { $0["gross_revenue"] as? String } == ["12.000000", "1.500000"])  // 7 + 5

        // Every statement's closing balance is the receivable on the last day.
        for partner in ["at-bound", "above", "below", "three", "lr", "tie", "zero", "yen", "tokens"] {
            let statement = try books.statement(partner, "2025-01")
            let receivable = try books.balance("assets:receivable:\(partner)", asOf: "2025-01-31")
            #expect(statement["closing_balance"] as? String == receivable, "\(partner)")
        }
        // Postings: the share credits income:revenue-share, the true-up income:minimum-guarantee.
        let balances = try books.balances(asOf: "2025-01-31")
        #expect(balances["income:revenue-share:three"] == "-450.00")
        #expect(balances["income:revenue-share:yen"] == "-246")
        #expect(balances["income:revenue-share:zero"] == nil)  // share 0: no entry
        #expect(balances["income:minimum-guarantee:zero"] == "-10.00")
        try books.expectVerified()
    }

    @Test("an agreement change: each period is computed with the agreement in force for it, adjustments too")
    func agreementChange() throws {
        let books = try CloseBooks("e2e-close-change", agreements: CloseYAML.file([
            CloseYAML.partner("aws", agreements: [
                CloseYAML.revenue("AWS-A", from: "2024-07", tiers: [(nil, "0.10")]),
                CloseYAML.tokens("AWS-B", from: "2025-02", prices: [("default", "1.00", "2.00")]),
            ]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [
            CloseYAML.row("2025-01-10", "aws", "m", input: 1_000_000, output: 1_000_000, revenue: "500.00"),
            CloseYAML.row("2025-02-10", "aws", "m", input: 1_000_000, output: 1_000_000, revenue: "500.00"),
        ])
        try books.succeed(["close", "2025-01"])
        try books.succeed(["close", "2025-02"])

        // January under AWS-A: 0.10 × 500.00 = 50.00.
        let january = try books.statement("aws", "2025-01")
        #expect(january["agreement_id"] as? String == "AWS-A")
        #expect(january["share"] as? String == "50.00")
        // February under AWS-B: (1,000,000 × 1.00 + 1,000,000 × 2.00) / 1,000,000 = 3.00 (not 50.00).
        let february = try books.statement("aws", "2025-02")
        #expect(february["agreement_id"] as? String == "AWS-B")
        #expect(february["share"] as? String == "3.00")
        #expect(february["opening_balance"] as? String == "50.00")
        #expect(february["closing_balance"] as? String == "53.00")  // 50.00 + 3.00

        // Restate January: 400.00 and twice the input tokens. Recomputed under AWS-A (January's
        // agreement): 0.10 × 400.00 = 40.00 → adjustment 40.00 − 50.00 = −10.00. (Under AWS-B it
        // would be 2.00 + 2.00 − 50.00 = −46.00.)
        try books.usage("restate.csv", [
            CloseYAML.row("2025-01-10", "aws", "m", input: 2_000_000, output: 1_000_000, revenue: "400.00"),
        ], restate: true)
        try books.succeed(["close", "2025-03"])
        let march = try books.statement("aws", "2025-03")
        #expect(march["agreement_id"] as? String == "AWS-B")
        #expect(CloseJSON.lines(march) == [])
        #expect(march["share"] as? String == "0.00")
        #expect(CloseJSON.adjustments(march) == ["2025-01=-10.00"])
        #expect(march["charges"] as? String == "-10.00")
        #expect(march["opening_balance"] as? String == "53.00")
        #expect(march["closing_balance"] as? String == "43.00")  // 53.00 − 10.00
        #expect(try books.balance("assets:receivable:aws", asOf: "2025-03-31") == "43.00")
        #expect(try books.balance("income:adjustments:aws", asOf: "2025-03-31") == "10.00")  // a debit
        try books.expectVerified()
    }

    // MARK: - Minimum guarantee (SPEC §4.3)

    @Test("minimum true-up, also for a partner with no usage, posted to income:minimum-guarantee")
    func minimumTrueUp() throws {
        let books = try CloseBooks("e2e-close-minimum", agreements: CloseYAML.file([
            CloseYAML.partner("mini", agreements: [CloseYAML.revenue("MI-1", from: "2025-01", tiers: [(nil, "0.10")], minimum: "50.00")]),
            CloseYAML.partner("some", agreements: [CloseYAML.revenue("SO-1", from: "2025-01", tiers: [(nil, "0.10")], minimum: "50.00")]),
            CloseYAML.partner("over", agreements: [CloseYAML.revenue("OV-1", from: "2025-01", tiers: [(nil, "0.10")], minimum: "5.00")]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [
            CloseYAML.row("2025-01-04", "some", "m", revenue: "123.40"),
            CloseYAML.row("2025-01-04", "over", "m", revenue: "123.40"),
        ])
        let closed = try books.succeed(["close", "2025-01"])
        #expect(closed.stdout.hasPrefix("closed 2025-01: 3 statements issued\n"))

        // mini: no usage → no lines, share 0.00, true-up = the minimum 50.00.
        let mini = try books.statement("mini", "2025-01")
        #expect(mini["status"] as? String == "final")
        #expect(CloseJSON.lines(mini) == [])
        #expect(mini["share"] as? String == "0.00")
        #expect(mini["minimum_true_up"] as? String == "50.00")
        #expect(mini["charges"] as? String == "50.00")
        #expect(mini["closing_balance"] as? String == "50.00")
        // some: 0.10 × 123.40 = 12.34; true-up 50.00 − 12.34 = 37.66; charges 50.00.
        let some = try books.statement("some", "2025-01")
        #expect(some["share"] as? String == "12.34")
        #expect(some["minimum_true_up"] as? String == "37.66")
        #expect(some["charges"] as? String == "50.00")
        // over: 12.34 ≥ 5.00 → no true-up.
        let over = try books.statement("over", "2025-01")
        #expect(over["minimum_true_up"] as? String == "0.00")
        #expect(over["charges"] as? String == "12.34")

        let balances = try books.balances(asOf: "2025-01-31")
        #expect(balances["assets:receivable:mini"] == "50.00")
        #expect(balances["income:minimum-guarantee:mini"] == "-50.00")
        #expect(balances["income:revenue-share:mini"] == nil)  // share 0: no entry
        #expect(balances["assets:receivable:some"] == "50.00")  // 12.34 + 37.66
        #expect(balances["income:revenue-share:some"] == "-12.34")
        #expect(balances["income:minimum-guarantee:some"] == "-37.66")
        #expect(balances["income:minimum-guarantee:over"] == nil)
        // The entries, dated the last day of the period, with their kinds.
        #expect(try books.sqlite("""
            SELECT e.entry_date || ' ' || e.kind || ' ' || p.account || ' ' || p.amount_minor
            FROM ledger_entry e JOIN ledger_posting p ON p.entry_seq = e.seq
            WHERE p.account LIKE '%:mini' OR p.account LIKE '%:some' ORDER BY e.seq, p.line
            """).split(separator: "\n").sorted() == [
                "2025-01-31 minimum_true_up assets:receivable:mini 5000",
                "2025-01-31 minimum_true_up assets:receivable:some 3766",
                "2025-01-31 minimum_true_up income:minimum-guarantee:mini -5000",
                "2025-01-31 minimum_true_up income:minimum-guarantee:some -3766",
                "2025-01-31 share assets:receivable:some 1234",
                "2025-01-31 share income:revenue-share:some -1234",
            ])
        // The text statement says there was no usage.
        let text = try books.succeed(["statement", "--partner", "mini", "--period", "2025-01"])
        #expect(text.stdout.contains("(no usage reported for this period)"))
        #expect(!text.stdout.contains("DRAFT"))
        try books.expectVerified()
    }

    // MARK: - Prior-period adjustments (SPEC §4.4)

    @Test("a restated closed month gives a negative adjustment in the next close; a zero one is neither posted nor listed")
    func restatedMonth() throws {
        let books = try CloseBooks("e2e-close-restate", agreements: CloseYAML.file([
            CloseYAML.partner("neg", agreements: [CloseYAML.revenue("NEG-1", from: "2025-01", tiers: [(nil, "0.10")])]),
            CloseYAML.partner("same", agreements: [CloseYAML.revenue("SAME-1", from: "2025-01", tiers: [(nil, "0.10")])]),
        ]))
        defer { books.remove() }
        try books.usage("january.csv", [
            CloseYAML.row("2025-01-02", "neg", "m1", revenue: "600.00"),
            CloseYAML.row("2025-01-02", "neg", "m2", revenue: "400.00"),
            CloseYAML.row("2025-01-02", "same", "m", revenue: "250.00"),
        ])
        try books.succeed(["close", "2025-01"])
        let januaryNeg = try books.statement("neg", "2025-01")
        #expect(januaryNeg["share"] as? String == "100.00")  // 0.10 × (600 + 400)
        #expect(try books.statement("same", "2025-01")["share"] as? String == "25.00")  // 0.10 × 250

        try books.usage("february.csv", [
            CloseYAML.row("2025-02-02", "neg", "m1", revenue: "100.00"),
            CloseYAML.row("2025-02-02", "same", "m", revenue: "10.00"),
        ])
        // Usage for a closed period needs --restate (65, nothing written).
        let restatement = [
            CloseYAML.row("2025-01-02", "neg", "m1", revenue: "500.00"),
            CloseYAML.row("2025-01-02", "neg", "m2", revenue: "400.00"),
            // same: other rows, same total 150.00 + 100.00 = 250.00.
            CloseYAML.row("2025-01-02", "same", "m", revenue: "150.00"),
            CloseYAML.row("2025-01-03", "same", "m", revenue: "100.00"),
        ]
        let refused = try books.usage("restate.csv", restatement, expectStatus: 65)
        #expect(refused.stderr.contains("--restate"))
        try books.usage("restate.csv", restatement, restate: true)

        // The draft for February already shows the pending adjustment.
        let draft = try books.statement("neg", "2025-02")
        #expect(draft["status"] as? String == "draft")
        #expect(CloseJSON.adjustments(draft) == ["2025-01=-10.00"])

        try books.succeed(["close", "2025-02"])
        // neg: January recomputed 0.10 × (500 + 400) = 90.00; charged 100.00 → adjustment −10.00.
        // February: share 0.10 × 100.00 = 10.00; charges 10.00 − 10.00 = 0.00; closing 100.00 + 0.00 = 100.00.
        let februaryNeg = try books.statement("neg", "2025-02")
        #expect(februaryNeg["status"] as? String == "final")
        #expect(februaryNeg["share"] as? String == "10.00")
        #expect(CloseJSON.adjustments(februaryNeg) == ["2025-01=-10.00"])
        #expect(februaryNeg["charges"] as? String == "0.00")
        #expect(februaryNeg["opening_balance"] as? String == "100.00")
        #expect(februaryNeg["closing_balance"] as? String == "100.00")
        // same: recomputed 0.10 × 250.00 = 25.00 = charged → adjustment 0: not listed, not posted.
        let februarySame = try books.statement("same", "2025-02")
        #expect(CloseJSON.adjustments(februarySame) == [])
        #expect(februarySame["charges"] as? String == "1.00")  // 0.10 × 10.00
        #expect(februarySame["closing_balance"] as? String == "26.00")  // 25.00 + 1.00

        let balances = try books.balances(asOf: "2025-02-28")
        #expect(balances["income:adjustments:neg"] == "10.00")  // a debit of 10.00
        #expect(balances["income:adjustments:same"] == nil)
        #expect(balances["assets:receivable:neg"] == "100.00")
        #expect(balances["assets:receivable:same"] == "26.00")
        #expect(try books.sqlite("""
            SELECT e.entry_date || ' ' || e.idempotency_key || ' ' || p.account || ' ' || p.amount_minor
            FROM ledger_entry e JOIN ledger_posting p ON p.entry_seq = e.seq WHERE e.kind = 'adjustment' ORDER BY e.seq, p.line
            """) == """
            2025-02-28 adjustment:neg:2025-01:in:2025-02 assets:receivable:neg -1000
            2025-02-28 adjustment:neg:2025-01:in:2025-02 income:adjustments:neg 1000
            """)
        // January's statement is frozen as issued.
        #expect(try books.statement("neg", "2025-01")["share"] as? String == "100.00")

        // The adjustment is billed once: the next close lists none.
        try books.succeed(["close", "2025-03"])
        #expect(CloseJSON.adjustments(try books.statement("neg", "2025-03")) == [])
        #expect(try books.sqlite("SELECT count(*) FROM ledger_entry WHERE kind = 'adjustment'") == "1")
        try books.expectVerified()
    }

    @Test("a first report for a closed month, then a second restatement: each adjustment is against what was charged so far")
    func restatementHistory() throws {
        let books = try CloseBooks("e2e-close-restate-twice", agreements: CloseYAML.file([
            CloseYAML.partner("late", agreements: [
                CloseYAML.revenue("LATE-1", from: "2025-01", tiers: [(nil, "0.10")], minimum: "50.00"),
            ]),
        ]))
        defer { books.remove() }
        // January: no usage → share 0.00, true-up 50.00.
        try books.succeed(["close", "2025-01"])
        #expect(try books.statement("late", "2025-01")["minimum_true_up"] as? String == "50.00")

        // A first report for the closed January is a restatement of an empty report (SPEC §9).
        let first = [CloseYAML.row("2025-01-15", "late", "m", revenue: "1000.00")]
        #expect(try books.usage("first.csv", first, expectStatus: 65).stderr.contains("--restate"))
        try books.usage("first.csv", first, restate: true)
        try books.succeed(["close", "2025-02"])
        // Recomputed: share 0.10 × 1000.00 = 100.00, no true-up → 100.00 − 50.00 charged = +50.00.
        // February itself: no usage → true-up 50.00; charges 50.00 + 50.00 = 100.00; closing 50 + 100 = 150.00.
        let february = try books.statement("late", "2025-02")
        #expect(CloseJSON.adjustments(february) == ["2025-01=50.00"])
        #expect(february["minimum_true_up"] as? String == "50.00")
        #expect(february["charges"] as? String == "100.00")
        #expect(february["closing_balance"] as? String == "150.00")
        #expect(try books.balance("income:adjustments:late", asOf: "2025-02-28") == "-50.00")  // a credit

        // Restated again: 300.00 → share 30.00 + true-up 20.00 = 50.00; charged so far 50.00 + 50.00 = 100.00
        // → −50.00 in March. March: true-up 50.00; charges 50.00 − 50.00 = 0.00; closing 150.00.
        try books.usage("second.csv", [CloseYAML.row("2025-01-15", "late", "m", revenue: "300.00")], restate: true)
        try books.succeed(["close", "2025-03"])
        let march = try books.statement("late", "2025-03")
        #expect(CloseJSON.adjustments(march) == ["2025-01=-50.00"])
        #expect(march["charges"] as? String == "0.00")
        #expect(march["closing_balance"] as? String == "150.00")
        #expect(try books.balance("assets:receivable:late", asOf: "2025-03-31") == "150.00")
        #expect(try books.balance("income:adjustments:late", asOf: "2025-03-31") == nil)  // −50.00 + 50.00 = 0
        // January's statement is still the one issued.
        #expect(CloseJSON.lines(try books.statement("late", "2025-01")) == [])
        try books.succeed(["close", "2025-04"])
        #expect(CloseJSON.adjustments(try books.statement("late", "2025-04")) == [])
        try books.expectVerified()
    }

    // MARK: - Payments, due dates, the locked range (SPEC §3.3, §4.5, §9)

    @Test("statement payments are those posted in P; a payment received in the locked range is posted after it, received_on kept")
    func paymentsOnStatements() throws {
        let books = try CloseBooks("e2e-close-payments", agreements: CloseYAML.file([
            CloseYAML.partner("aws", terms: 45, agreements: [CloseYAML.revenue("AWS-1", from: "2024-07", tiers: [(nil, "0.10")])]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [
            CloseYAML.row("2025-01-10", "aws", "m", revenue: "1000.00"),
            CloseYAML.row("2025-02-10", "aws", "m", revenue: "2000.00"),
        ])
        try books.payments("payments-1.csv", [
            "pay-1,aws,2025-01-20,30.00,USD,2024-12",
            "pay-0,aws,2025-01-20,5.00,USD,",
            "pay-2,aws,2025-02-03,40.00,USD,2025-01",
        ])
        try books.succeed(["close", "2025-01"])

        // January: share 0.10 × 1000.00 = 100.00; payments posted in January, by (received_on,
        // payment_id): pay-0 5.00, pay-1 30.00; closing 0.00 + 100.00 − 35.00 = 65.00.
        let january = try books.statement("aws", "2025-01")
        #expect(CloseJSON.payments(january) == ["pay-0 2025-01-20 5.00", "pay-1 2025-01-20 30.00"])
        #expect(january["charges"] as? String == "100.00")
        #expect(january["closing_balance"] as? String == "65.00")
        #expect(try books.balance("assets:receivable:aws", asOf: "2025-01-31") == "65.00")
        // 2025-01-31 + 45 days = 2025-02-28 (+28) + 17 = 2025-03-17.
        #expect(january["due_date"] as? String == "2025-03-17")
        let januaryDocument = try books.run(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"]).stdout

        // Received 2025-01-25, inside the locked range (closed through 2025-01-31): posted 2025-02-01.
        try books.payments("payments-2.csv", ["pay-late,aws,2025-01-25,20.00,USD,2025-01"])
        #expect(try books.sqlite("SELECT received_on || ' ' || posted_on FROM payment WHERE payment_id = 'pay-late'")
            == "2025-01-25 2025-02-01")
        #expect(try books.sqlite("""
            SELECT e.entry_date FROM ledger_entry e JOIN payment p ON p.entry_seq = e.seq WHERE p.payment_id = 'pay-late'
            """) == "2025-02-01")
        #expect(try books.balance("assets:receivable:aws", asOf: "2025-01-31") == "65.00")  // unchanged
        #expect(try books.balance("assets:receivable:aws", asOf: "2025-02-01") == "45.00")  // 65.00 − 20.00

        try books.succeed(["close", "2025-02"])
        // February: opening 65.00; share 0.10 × 2000.00 = 200.00; payments posted in February, by
        // received_on: pay-late (received 2025-01-25) 20.00, pay-2 40.00; closing 65 + 200 − 60 = 205.00.
        let february = try books.statement("aws", "2025-02")
        #expect(CloseJSON.payments(february) == ["pay-late 2025-01-25 20.00", "pay-2 2025-02-03 40.00"])
        #expect(february["opening_balance"] as? String == "65.00")
        #expect(february["charges"] as? String == "200.00")
        #expect(february["closing_balance"] as? String == "205.00")
        #expect(try books.balance("assets:receivable:aws", asOf: "2025-02-28") == "205.00")
        #expect(try books.balance("assets:bank", asOf: "2025-02-28") == "95.00")  // 5 + 30 + 20 + 40
        // 2025-02-28 + 45 days = 2025-03-31 (+31) + 14 = 2025-04-14.
        #expect(february["due_date"] as? String == "2025-04-14")

        // January's statement did not change.
        #expect(try books.run(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"]).stdout == januaryDocument)
        try books.expectVerified()
    }

    @Test("due date across a year end: 2025-12 + 45 days = 2026-02-14")
    func dueDateAcrossYearEnd() throws {
        let books = try CloseBooks("e2e-close-year-end", agreements: CloseYAML.file([
            CloseYAML.partner("aws", terms: 45, agreements: [CloseYAML.revenue("AWS-1", from: "2025-11", tiers: [(nil, "0.10")])]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [CloseYAML.row("2025-12-10", "aws", "m", revenue: "10.00")])
        try books.succeed(["close", "2025-12"])
        // 2025-12-31 + 31 days = 2026-01-31; + 14 = 2026-02-14.
        let statement = try books.statement("aws", "2025-12")
        #expect(statement["due_date"] as? String == "2026-02-14")
        #expect(statement["statement_id"] as? String == "aws-2025-12")
        #expect(try books.succeed(["statement", "--partner", "aws", "--period", "2025-12"]).stdout.contains("2026-02-14"))
        // The next period is 2026-01: no gap across the year end.
        let next = try books.run(["close", "2026-02"])
        #expect(next.status == 65)
        #expect(next.stderr.contains("close 2026-01 first"))
        try books.succeed(["close", "2026-01"])
        // 2026-01-31 + 45 = 2026-02-28 (+28) + 17 = 2026-03-17.
        #expect(try books.statement("aws", "2026-01")["due_date"] as? String == "2026-03-17")
    }

    @Test("payment application across three closed periods with unapplied credit, seen through reconcile")
    func paymentApplicationAcrossPeriods() throws {
        let books = try CloseBooks("e2e-close-application", agreements: CloseYAML.file([
            CloseYAML.partner("aws", terms: 45, agreements: [CloseYAML.revenue("AWS-1", from: "2024-07", tiers: [(nil, "0.10")])]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", ["2025-01", "2025-02", "2025-03"].map {
            CloseYAML.row("\($0)-10", "aws", "m", revenue: "1000.00")  // 0.10 × 1000.00 = 100.00 a month
        })
        for month in ["2025-01", "2025-02", "2025-03"] { try books.succeed(["close", month]) }
        try books.payments("payments.csv", [
            "p-a,aws,2025-04-01,150.00,USD,2025-02",
            "p-b,aws,2025-04-02,200.00,USD,",
        ])
        // p-a 150.00: Feb (referenced) 100.00, the rest 50.00 to the oldest open, Jan.
        // p-b 200.00: Jan 50.00 (completes it), Mar 100.00 (completes it), 50.00 unapplied credit.
        // Due dates: Jan 2025-03-17, Feb 2025-04-14, Mar 2025-05-15 (2025-03-31 + 45).
        #expect(try books.statement("aws", "2025-03")["due_date"] as? String == "2025-05-15")

        // As of 2025-04-01 only p-a counts: Jan has 50.00 of 100.00, past its due date.
        let early = try books.paymentDiscrepancies("2025-01", asOf: "2025-04-01")
        #expect(early == ["PAYMENT_SHORTFALL - 100.00 50.00 -50.00"])
        // As of 2025-06-30: Jan completed by p-b on 2025-04-02, 16 days after 2025-03-17 (14 + 2).
        #expect(try books.paymentDiscrepancies("2025-01", asOf: "2025-06-30") == ["LATE_PAYMENT p-b 0 16 16"])
        // Feb: completed by p-a before its due date; p-a references Feb with 150.00 > 100.00.
        #expect(try books.paymentDiscrepancies("2025-02", asOf: "2025-06-30") == ["OVERPAYMENT p-a 100.00 150.00 50.00"])
        // Mar: completed by p-b on 2025-04-02, before 2025-05-15.
        #expect(try books.paymentDiscrepancies("2025-03", asOf: "2025-06-30") == [])
        // The credit: receivable 300.00 charged − 350.00 paid = −50.00.
        #expect(try books.balance("assets:receivable:aws", asOf: "2025-04-30") == "-50.00")
        // Both payments were received after the locked range: posted on their received dates, so April.
        let april = try books.statement("aws", "2025-04")
        #expect(april["status"] as? String == "draft")
        #expect(CloseJSON.payments(april) == ["p-a 2025-04-01 150.00", "p-b 2025-04-02 200.00"])
        #expect(april["opening_balance"] as? String == "300.00")
        #expect(april["closing_balance"] as? String == "-50.00")  // 300.00 + 0.00 − 350.00
    }

    // MARK: - Frozen and draft statements (SPEC §4.1, §7.1, §9)

    @Test("a final statement prints byte for byte what was issued, after a restatement, payments and an agreement reload")
    func frozenStatement() throws {
        let agreements = { (terms: Int) in
            CloseYAML.file([
                CloseYAML.partner("aws", terms: terms, agreements: [
                    CloseYAML.revenue("AWS-1", from: "2024-07", tiers: [("1000", "0.10"), (nil, "0.12")]),
                ]),
            ])
        }
        let books = try CloseBooks("e2e-close-frozen", agreements: agreements(45))
        defer { books.remove() }
        try books.usage("usage.csv", [
            CloseYAML.row("2025-01-03", "aws", "b", requests: 2, input: 20, output: 30, revenue: "700.00"),
            CloseYAML.row("2025-01-04", "aws", "a", requests: 1, input: 10, output: 15, revenue: "800.00"),
        ])
        try books.payments("payments.csv", ["pay-1,aws,2025-01-15,12.34,USD,"])

        // The draft before the close: marked as such in JSON and in text.
        let draftJSON = try books.succeed(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"]).stdout
        let draftText = try books.succeed(["statement", "--partner", "aws", "--period", "2025-01"]).stdout
        #expect(try CloseJSON.object(draftJSON)["status"] as? String == "draft")
        #expect(draftText.hasPrefix("DRAFT STATEMENT"))
        #expect(draftText.contains("aws-2025-01"))

        try books.succeed(["close", "2025-01"])
        let issued = try books.succeed(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"]).stdout
        // Exactly the document stored at close.
        // (sqlite3 prints the stored text, which ends in a newline, then one of its own; `sqlite` drops the latter.)
        #expect(try books.sqlite("SELECT document FROM statement WHERE statement_id = 'aws-2025-01'") == issued)
        // The draft had the same figures: only the status differs.
        #expect(draftJSON.replacingOccurrences(of: "\"status\": \"draft\"", with: "\"status\": \"final\"") == issued)
        // R = 1500.00: 0.10 × 1000 + 0.12 × 500 = 100 + 60 = 160.00. Lines: a 160 × 800/1500 = 85.333…
        // → 85.33, b 160 × 700/1500 = 74.666… → 74.66; 1 cent left goes to b (.666 > .333) → 74.67.
        // closing 0.00 + 160.00 − 12.34 = 147.66.
        #expect(issued == """
            {
              "statement_id": "aws-2025-01",
              "status": "final",
              "partner": "aws",
              "partner_name": "Partner aws",
              "period": "2025-01",
              "currency": "USD",
              "agreement_id": "AWS-1",
              "due_date": "2025-03-17",
              "opening_balance": "0.00",
              "lines": [
                {
                  "model": "a",
                  "requests": 1,
                  "input_tokens": 10,
                  "output_tokens": 15,
                  "gross_revenue": "800.000000",
                  "share": "85.33"
                },
                {
                  "model": "b",
                  "requests": 2,
                  "input_tokens": 20,
                  "output_tokens": 30,
                  "gross_revenue": "700.000000",
                  "share": "74.67"
                }
              ],
              "share": "160.00",
              "minimum_true_up": "0.00",
              "adjustments": [],
              "charges": "160.00",
              "payments": [
                {
                  "payment_id": "pay-1",
                  "received_on": "2025-01-15",
                  "amount": "12.34"
                }
              ],
              "closing_balance": "147.66"
            }

            """)
        let issuedText = try books.succeed(["statement", "--partner", "aws", "--period", "2025-01"]).stdout
        #expect(issuedText.hasPrefix("STATEMENT aws-2025-01\n"))
        #expect(!issuedText.contains("DRAFT"))

        // Later: January restated, a payment received in the locked range, new terms, February usage.
        try books.usage("restate.csv", [CloseYAML.row("2025-01-03", "aws", "c", revenue: "5.00")], restate: true)
        try books.payments("late.csv", ["pay-2,aws,2025-01-20,1.00,USD,2025-01"])
        books.directory.write("agreements-60.yaml", agreements(60))
        try books.succeed(["agreements", "load", "agreements-60.yaml"])
        try books.usage("february.csv", [CloseYAML.row("2025-02-03", "aws", "a", revenue: "10.00")])
        #expect(try books.succeed(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"]).stdout == issued)
        #expect(try books.succeed(["statement", "--partner", "aws", "--period", "2025-01"]).stdout == issuedText)

        // February is open: a draft, with the new terms (2025-02-28 + 60 = 2025-04-29) and the pending
        // adjustment: 0.10 × 5.00 = 0.50 − 160.00 = −159.50.
        let february = try books.statement("aws", "2025-02")
        #expect(february["status"] as? String == "draft")
        #expect(february["due_date"] as? String == "2025-04-29")
        #expect(CloseJSON.adjustments(february) == ["2025-01=-159.50"])
        #expect(try books.succeed(["statement", "--partner", "aws", "--period", "2025-02"]).stdout.contains("DRAFT"))

        try books.succeed(["close", "2025-02"])
        #expect(try books.succeed(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"]).stdout == issued)
        try books.expectVerified()
    }

    @Test("statements --output-dir writes one file per statement named <statement_id>.<ext>")
    func statementsToDirectory() throws {
        let books = try CloseBooks("e2e-close-statements", agreements: CloseYAML.file([
            CloseYAML.partner("aws", agreements: [CloseYAML.revenue("AWS-1", from: "2024-07", tiers: [(nil, "0.10")])]),
            CloseYAML.partner("groq", currency: "JPY", agreements: [CloseYAML.revenue("GROQ-1", from: "2024-07", tiers: [(nil, "0.2")])]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [
            CloseYAML.row("2025-01-03", "aws", "llama, \"quoted\"", revenue: "12.50"),
            CloseYAML.row("2025-01-03", "groq", "llama-3.1-8b-instant", revenue: "1500"),
        ])
        try books.succeed(["close", "2025-01"])
        let extensions = ["json": "json", "text": "txt", "csv": "csv"]
        for (format, ext) in extensions.sorted(by: { $0.key < $1.key }) {
            let directory = books.directory.file("out/\(format)/nested")
            let result = try books.succeed(["statements", "--period", "2025-01", "--output-dir", directory, "--format", format])
            let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            #expect(names == ["aws-2025-01.\(ext)", "groq-2025-01.\(ext)"], "\(format)")
            #expect(result.stdout == "\(directory)/aws-2025-01.\(ext)\n\(directory)/groq-2025-01.\(ext)\n")
            for partner in ["aws", "groq"] {
                let written = try String(contentsOfFile: "\(directory)/\(partner)-2025-01.\(ext)", encoding: .utf8)
                let single = try books.succeed(["statement", "--partner", partner, "--period", "2025-01", "--format", format]).stdout
                #expect(written == single, "\(format) \(partner)")
            }
        }
        // JSON files are the issued documents; CSV holds the lines, quoted where needed.
        let json = try String(contentsOfFile: books.directory.file("out/json/nested/groq-2025-01.json"), encoding: .utf8)
        let groqDocument = try books.sqlite("SELECT document FROM statement WHERE statement_id = 'groq-2025-01'")
        #expect(json == groqDocument)
        let csv = try String(contentsOfFile: books.directory.file("out/csv/nested/aws-2025-01.csv"), encoding: .utf8)
        // 0.10 × 12.50 = 1.25
        #expect(csv.contains("aws-2025-01,aws,2025-01,USD,\"llama, \"\"quoted\"\"\",1,0,0,12.500000,1.25\r\n"))
        // groq: 0.2 × 1500 = 300 JPY
        let groqText = try String(contentsOfFile: books.directory.file("out/text/nested/groq-2025-01.txt"), encoding: .utf8)
        #expect(groqText.hasPrefix("STATEMENT groq-2025-01\n"))
        #expect(groqText.contains("300"))

        // html: one .html file per statement too.
        let html = books.directory.file("out/html")
        try books.succeed(["statements", "--period", "2025-01", "--output-dir", html, "--format", "html"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: html).sorted() == ["aws-2025-01.html", "groq-2025-01.html"])

        // Without --format: text, .txt files. An open period: drafts.
        let drafts = books.directory.file("drafts")
        try books.succeed(["statements", "--period", "2025-02", "--output-dir", drafts])
        #expect(try FileManager.default.contentsOfDirectory(atPath: drafts).sorted() == ["aws-2025-02.txt", "groq-2025-02.txt"])
        #expect(try String(contentsOfFile: "\(drafts)/aws-2025-02.txt", encoding: .utf8).hasPrefix("DRAFT STATEMENT"))
        #expect(try String(contentsOfFile: "\(drafts)/aws-2025-02.txt", encoding: .utf8).contains("aws-2025-02"))
        let draftJSON = books.directory.file("drafts-json")
        try books.succeed(["statements", "--period", "2025-02", "--output-dir", draftJSON, "--format", "json"])
        let draft = try CloseJSON.object(String(contentsOfFile: "\(draftJSON)/aws-2025-02.json", encoding: .utf8))
        #expect(draft["status"] as? String == "draft")
        #expect(draft["opening_balance"] as? String == "1.25")
    }

    // MARK: - Lookups that name nothing (SPEC §9 "Command line")

    @Test("--partner nosuch and a period with no agreement in force exit 65 and say what exists")
    func unknownPartnerAndPeriod() throws {
        let books = try CloseBooks("e2e-close-unknown", agreements: CloseYAML.file([
            CloseYAML.partner("aws", agreements: [CloseYAML.revenue("AWS-2024", from: "2024-07", tiers: [(nil, "0.10")])]),
            CloseYAML.partner("groq", currency: "JPY", agreements: [CloseYAML.revenue("GROQ-1", from: "2024-10", tiers: [(nil, "0.2")])]),
        ]))
        defer { books.remove() }
        try books.usage("usage.csv", [CloseYAML.row("2025-01-03", "aws", "m", revenue: "1.00")])
        try books.succeed(["close", "2025-01"])

        for period in ["2025-01", "2025-02"] {  // closed and open
            let nosuch = try books.run(["statement", "--partner", "nosuch", "--period", period])
            #expect(nosuch.status == 65)
            #expect(nosuch.stdout.isEmpty)
            #expect(nosuch.stderr.contains("nosuch"))
            #expect(nosuch.stderr.contains("aws, groq"))
        }
        // Bad values in flags are bad usage.
        #expect(try books.run(["statement", "--partner", "aws", "--period", "2025-13"]).status == 64)
        #expect(try books.run(["statement", "--partner", "aws", "--period", "2025-01", "--format", "xml"]).status == 64)

        // aws has no agreement in force for 2024-06 (AWS-2024 governs from 2024-07): 65, and the
        // message says what exists.
        let before = try books.run(["statement", "--partner", "aws", "--period", "2024-06"])
        #expect(before.status == 65)
        #expect(before.stdout.isEmpty)
        #expect(before.stderr.contains("2024-06"))
        #expect(before.stderr.contains("2024-07"), "names the first period with an agreement: \(before.stderr)")
        // No partner has an agreement in force for 2024-06: statements refuses too.
        let none = try books.run(["statements", "--period", "2024-06", "--output-dir", books.directory.file("none")])
        #expect(none.status == 65)
        #expect(none.stderr.contains("2024-06"))
        #expect(none.stderr.contains("2024-07"), "names the first period with an agreement: \(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: books.directory.file("none")))
    }

    // MARK: - Property: lines add up, balances agree (seeded)

    @Test("seeded property: lines add up to the share, the share matches an independent computation, closing = receivable",
          arguments: [UInt64(1), 2, 3, 4, 5, 0xC105E])
    func seededProperty(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let partners = CloseOracle.partners
        let books = try CloseBooks("e2e-close-property-\(seed)", agreements: CloseOracle.yaml)
        defer { books.remove() }

        // Usage: for each partner and month, 0–4 models from the pool, 1–3 distinct days each.
        var usage: [CloseOracle.Key: [String: CloseOracle.ModelTotals]] = [:]
        var rows: [String] = []
        for month in ["2025-01", "2025-02"] {
            for partner in partners {
                let models = CloseOracle.modelPool.filter { _ in Int.random(in: 0..<10, using: &random) < 5 }
                for model in models {
                    let days = (1...28).shuffled(using: &random).prefix(Int.random(in: 1...3, using: &random))
                    for day in days {
                        let revenue = Int.random(in: 0..<5, using: &random) == 0 ? 0 : Int64.random(in: 0...3_000_000_000, using: &random)
                        let input = Int64.random(in: 0...5_000_000, using: &random)
                        let output = Int64.random(in: 0...2_000_000, using: &random)
                        let requests = Int64.random(in: 0...1000, using: &random)
                        rows.append(CloseYAML.row("\(month)-\(day < 10 ? "0" : "")\(day)", partner.id, model,
                                                  requests: requests, input: input, output: output,
                                                  revenue: CloseOracle.micros(revenue)))
                        usage[CloseOracle.Key(partner: partner.id, month: month), default: [:]][model, default: .init()]
                            .add(requests: requests, input: input, output: output, revenueMicros: revenue)
                    }
                }
            }
        }
        if !rows.isEmpty { try books.usage("usage.csv", rows) }
        // Payments received in January and February, imported before either close.
        var paymentRows: [String] = []
        var paid: [CloseOracle.Key: Int64] = [:]
        for partner in partners {
            for index in 0..<Int.random(in: 0...3, using: &random) {
                let day = Int.random(in: 0..<59, using: &random)  // 2025-01-01 … 2025-02-28
                let (month, dayOfMonth) = day < 31 ? ("2025-01", day + 1) : ("2025-02", day - 30)
                let amount = Int64.random(in: 1...50_000, using: &random)
                paymentRows.append("pay-\(partner.id)-\(index),\(partner.id),\(month)-\(dayOfMonth < 10 ? "0" : "")\(dayOfMonth),"
                                   + "\(CloseOracle.money(amount, digits: partner.digits)),\(partner.currency),")
                paid[CloseOracle.Key(partner: partner.id, month: month), default: 0] += amount
            }
        }
        if !paymentRows.isEmpty { try books.payments("payments.csv", paymentRows) }
        try books.succeed(["close", "2025-01"])
        try books.succeed(["close", "2025-02"])

        for month in ["2025-01", "2025-02"] {
            let lastDay = month == "2025-01" ? "2025-01-31" : "2025-02-28"
            let balances = try books.balances(asOf: lastDay)
            for partner in partners {
                let key = CloseOracle.Key(partner: partner.id, month: month)
                let statement = try books.statement(partner.id, month)
                let amount = { (field: String) throws -> Int64 in
                    try #require(CloseOracle.minor(statement[field] as? String, digits: partner.digits), "\(field) of \(key)")
                }
                let lines = try #require(statement["lines"] as? [[String: Any]])
                let lineShares = try lines.map { try #require(CloseOracle.minor($0["share"] as? String, digits: partner.digits)) }
                let share = try amount("share")
                // The lines add up to the share, one per model with rows, sorted by model.
                #expect(lineShares.reduce(0, +) == share, "\(seed) \(key)")
                let totals = usage[key] ?? [:]
                #expect(lines.map { $0["model"] as? String ?? "?" } == totals.keys.sorted(), "\(seed) \(key)")
                // The share, the lines and the true-up match an independent computation.
                let expected = partner.expected(totals)
                #expect(share == expected.share, "\(seed) \(key)")
                #expect(lineShares == expected.lines, "\(seed) \(key)")
                #expect(try amount("minimum_true_up") == expected.trueUp, "\(seed) \(key)")
                let expectedRevenue: [String?] = totals.keys.sorted().map { CloseOracle.micros(totals[$0]!.revenueMicros) }
                #expect(lines.map { $0["gross_revenue"] as? String } == expectedRevenue, "\(seed) \(key)")
                let expectedInput: [Int64?] = totals.keys.sorted().map { totals[$0]!.input }
                #expect(lines.map { ($0["input_tokens"] as? NSNumber)?.int64Value } == expectedInput, "\(seed) \(key)")
                // charges = share + true-up (no adjustments here); closing = opening + charges − payments.
                let charges = try amount("charges")
                #expect(charges == share + expected.trueUp)
                let payments = try #require(statement["payments"] as? [[String: Any]])
                let paymentsTotal = try payments.map { try #require(CloseOracle.minor($0["amount"] as? String, digits: partner.digits)) }.reduce(0, +)
                #expect(paymentsTotal == paid[key] ?? 0, "\(seed) \(key)")
                let opening = try amount("opening_balance"), closing = try amount("closing_balance")
                #expect(closing == opening + charges - paymentsTotal, "\(seed) \(key)")
                // closing = the receivable on the last day, from `balance`.
                let receivable = CloseOracle.minor(balances["assets:receivable:\(partner.id)"] ?? CloseOracle.money(0, digits: partner.digits),
                                                   digits: partner.digits)
                #expect(closing == receivable, "\(seed) \(key)")
                if month == "2025-02" {
                    let january = try books.statement(partner.id, "2025-01")
                    #expect(statement["opening_balance"] as? String == january["closing_balance"] as? String)
                }
            }
        }
        try books.expectVerified()
    }
}

// MARK: - Helpers

/// A database in a fresh directory with agreements loaded, driven through the executable.
private struct CloseBooks {
    let directory: TemporaryDirectory
    let db: String

    init(_ label: String, agreements: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        directory = TemporaryDirectory(label)
        db = directory.file("revshare.sqlite")
        try succeed(["init"], sourceLocation: sourceLocation)
        directory.write("agreements.yaml", agreements)
        try succeed(["agreements", "load", "agreements.yaml"], sourceLocation: sourceLocation)
    }

    func remove() { directory.remove() }

    func run(_ arguments: [String], stdin: Data? = nil) throws -> RunResult {
        try RevShareExecutable.run(["--db", db] + arguments, in: directory.path, stdin: stdin)
    }

    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let result = try run(arguments)
        #expect(result.status == 0, "revshare \(arguments.joined(separator: " ")): \(result.stderr)",
                sourceLocation: sourceLocation)
        return result
    }

    static let usageHeader = "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue"

    @discardableResult
    func usage(_ name: String, _ rows: [String], restate: Bool = false, expectStatus: Int32 = 0,
               sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        directory.write(name, ([Self.usageHeader] + rows).joined(separator: "\n") + "\n")
        let result = try run(["import", "usage", name] + (restate ? ["--restate"] : []))
        #expect(result.status == expectStatus, "import usage \(name): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func payments(_ name: String, _ rows: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        directory.write(name, (["payment_id,partner,received_on,amount,currency,reference"] + rows).joined(separator: "\n") + "\n")
        try succeed(["import", "payments", name], sourceLocation: sourceLocation)
    }

    /// `statement --format json`, parsed.
    func statement(_ partner: String, _ period: String, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> [String: Any]
    {
        let result = try succeed(["statement", "--partner", partner, "--period", period, "--format", "json"],
                                 sourceLocation: sourceLocation)
        return try CloseJSON.object(result.stdout)
    }

    /// `balance --as-of D --format json` as account → balance (one currency per account here).
    func balances(asOf: String) throws -> [String: String] {
        let object = try CloseJSON.object(try succeed(["balance", "--as-of", asOf, "--format", "json"]).stdout)
        #expect(object["as_of"] as? String == asOf)
        var balances: [String: String] = [:]
        for account in object["accounts"] as? [[String: Any]] ?? [] {
            if let name = account["account"] as? String { balances[name] = account["balance"] as? String }
        }
        return balances
    }

    func balance(_ account: String, asOf: String) throws -> String? { try balances(asOf: asOf)[account] }

    /// Payment kinds found by `reconcile --format json`, as "KIND payment_id expected actual difference".
    func paymentDiscrepancies(_ period: String, asOf: String) throws -> [String] {
        let object = try CloseJSON.object(try succeed(["reconcile", "--period", period, "--as-of", asOf, "--format", "json"]).stdout)
        let kinds: Set = ["PAYMENT_SHORTFALL", "LATE_PAYMENT", "OVERPAYMENT", "UNKNOWN_REFERENCE"]
        return (object["discrepancies"] as? [[String: Any]] ?? []).compactMap { found in
            guard let kind = found["kind"] as? String, kinds.contains(kind) else { return nil }
            let figure = { (key: String) in found[key].map { "\($0)" } ?? "null" }
            return "\(kind) \(found["payment_id"] as? String ?? "-") \(figure("expected")) \(figure("actual")) \(figure("difference"))"
        }
    }

    func sqlite(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", db, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    func expectVerified(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try run(["verify"])
        #expect(verify.status == 0, "verify: \(verify.stdout)\(verify.stderr)", sourceLocation: sourceLocation)
    }
}

/// Agreement YAML and usage rows, written out plainly.
private enum CloseYAML {
    static func file(_ partners: [String]) -> String { "partners:\n" + partners.joined() }

    static func partner(_ id: String, currency: String = "USD", terms: Int = 30, agreements: [String]) -> String {
        "  - id: \(id)\n"
            + "    name: Partner \(id)\n"
            + "    currency: \(currency)\n"
            + "    payment_terms_days: \(terms)\n"
            + "    agreements:\n"
            + agreements.joined()
    }

    /// `tiers`: (up_to or nil for the open last tier, rate).
    static func revenue(_ id: String, from: String, tiers: [(String?, String)], minimum: String? = nil) -> String {
        var text = "      - id: \(id)\n"
            + "        effective_from: \(from)\n"
            + "        basis: revenue_percent\n"
            + "        tiers:\n"
        for (upTo, rate) in tiers {
            text += upTo.map { "          - up_to: \($0)\n            rate: \(rate)\n" } ?? "          - rate: \(rate)\n"
        }
        if let minimum { text += "        minimum_monthly: \(minimum)\n" }
        return text
    }

    /// `prices`: (model or `default`, input price, output price) per 1,000,000 tokens.
    static func tokens(_ id: String, from: String, prices: [(String, String, String)]) -> String {
        "      - id: \(id)\n"
            + "        effective_from: \(from)\n"
            + "        basis: per_million_tokens\n"
            + "        prices:\n"
            + prices.map { "          \($0.0): {input: \($0.1), output: \($0.2)}\n" }.joined()
    }

    static func row(_ date: String, _ partner: String, _ model: String, requests: Int64 = 1, input: Int64 = 0,
                    output: Int64 = 0, revenue: String) -> String {
        let field = model.contains(where: { $0 == "," || $0 == "\"" })
            ? "\"" + model.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : model
        return "\(date),\(partner),\(field),,\(requests),\(input),\(output),\(revenue)"
    }
}

private enum CloseJSON {
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// "model=share" per line.
    static func lines(_ statement: [String: Any]) -> [String] {
        (statement["lines"] as? [[String: Any]] ?? []).map { "\($0["model"] as? String ?? "?")=\($0["share"] as? String ?? "?")" }
    }

    /// "period=amount" per adjustment.
    static func adjustments(_ statement: [String: Any]) -> [String] {
        (statement["adjustments"] as? [[String: Any]] ?? []).map { "\($0["period"] as? String ?? "?")=\($0["amount"] as? String ?? "?")" }
    }

    /// "payment_id received_on amount" per payment.
    static func payments(_ statement: [String: Any]) -> [String] {
        (statement["payments"] as? [[String: Any]] ?? []).map {
            "\($0["payment_id"] as? String ?? "?") \($0["received_on"] as? String ?? "?") \($0["amount"] as? String ?? "?")"
        }
    }
}

/// The property test's partners and an independent computation of what they owe, in exact
/// integers: revenue in micro-units, rates and prices in micro-units, shares in pico-units.
private enum CloseOracle {
    struct Key: Hashable, CustomStringConvertible {
        let partner: String
        let month: String
        var description: String { "\(partner) \(month)" }
    }

    struct ModelTotals {
        var requests: Int64 = 0, input: Int64 = 0, output: Int64 = 0, revenueMicros: Int64 = 0
        mutating func add(requests: Int64, input: Int64, output: Int64, revenueMicros: Int64) {
            self.requests += requests
            self.input += input
            self.output += output
            self.revenueMicros += revenueMicros
        }
    }

    struct Partner {
        let id: String
        let currency: String
        let digits: Int
        /// (up_to in micro-units or nil, rate in micro-units); empty for per_million_tokens.
        let tiers: [(Int64?, Int64)]
        /// model → (input, output) price per 1,000,000 tokens in micro-units; "default" as fallback.
        let prices: [String: (Int64, Int64)]
        let minimumMinor: Int64?
        let yaml: String

        func expected(_ usage: [String: ModelTotals]) -> (share: Int64, lines: [Int64], trueUp: Int64) {
            let models = usage.keys.sorted()
            var weights: [Int128] = []
            var picos: Int128 = 0
            if tiers.isEmpty {
                for model in models {
                    let price = prices[model] ?? prices["default"]!
                    // tokens × (price per million in micro-units) = pico-units of currency.
                    let amount = Int128(usage[model]!.input) * Int128(price.0) + Int128(usage[model]!.output) * Int128(price.1)
                    weights.append(amount)
                    picos += amount
                }
            } else {
                weights = models.map { Int128(usage[$0]!.revenueMicros) }
                let revenue = weights.reduce(0, +)
                var lower: Int128 = 0
                for (upTo, rate) in tiers {
                    let upper = upTo.map { Int128($0) } ?? revenue
                    picos += Int128(rate) * max(0, min(revenue, upper) - lower)
                    guard let upTo else { break }
                    lower = Int128(upTo)
                }
            }
            // Round pico-units half to even to the minor unit.
            var unit: Int128 = 1
            for _ in 0..<(12 - digits) { unit *= 10 }
            var share = picos / unit
            let remainder = picos % unit
            if remainder * 2 > unit || (remainder * 2 == unit && share % 2 == 1) { share += 1 }
            // Largest remainder: floors, then one unit each to the largest remainders, ties by name.
            let total = weights.reduce(0, +)
            var lines = [Int64](repeating: 0, count: models.count)
            if total > 0 {
                var remainders: [Int128] = []
                for (index, weight) in weights.enumerated() {
                    lines[index] = Int64(share * weight / total)
                    remainders.append(share * weight % total)
                }
                let left = Int(share - Int128(lines.reduce(0, +)))
                let order = models.indices.sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : models[$0] < models[$1] }
                for index in order.prefix(left) { lines[index] += 1 }
            }
            let shareMinor = Int64(share)
            return (shareMinor, lines, minimumMinor.map { max(0, $0 - shareMinor) } ?? 0)
        }
    }

    static let modelPool = ["llama-3.1-405b-instruct", "llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.3-70b"]

    static let partners: [Partner] = [
        Partner(id: "tiered", currency: "USD", digits: 2,
                tiers: [(1_000_000_000, 100_000), (5_000_000_000, 150_000), (nil, 200_000)], prices: [:],
                minimumMinor: 25_000,
                yaml: CloseYAML.partner("tiered", agreements: [
                    CloseYAML.revenue("TIERED-1", from: "2025-01", tiers: [("1000", "0.10"), ("5000", "0.15"), (nil, "0.20")],
                                      minimum: "250.00"),
                ])),
        Partner(id: "yen", currency: "JPY", digits: 0, tiers: [(nil, 123_457)], prices: [:], minimumMinor: nil,
                yaml: CloseYAML.partner("yen", currency: "JPY", agreements: [
                    CloseYAML.revenue("YEN-1", from: "2025-01", tiers: [(nil, "0.123457")]),
                ])),
        Partner(id: "tokens", currency: "USD", digits: 2, tiers: [],
                prices: ["default": (150_000, 600_000), "llama-3.1-405b-instruct": (2_500_000, 10_000_000)],
                minimumMinor: nil,
                yaml: CloseYAML.partner("tokens", agreements: [
                    CloseYAML.tokens("TOKENS-1", from: "2025-01", prices: [
                        ("default", "0.15", "0.60"), ("llama-3.1-405b-instruct", "2.50", "10.00"),
                    ]),
                ])),
    ]

    static var yaml: String { CloseYAML.file(partners.map(\.yaml)) }

    /// Micro-units as a decimal with 6 fractional digits.
    static func micros(_ value: Int64) -> String {
        let fraction = String(value % 1_000_000)
        return "\(value / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// Minor units as a decimal with `digits` fractional digits.
    static func money(_ minor: Int64, digits: Int) -> String {
        guard digits > 0 else { return String(minor) }
        var scale: Int64 = 1
        for _ in 0..<digits { scale *= 10 }
        let magnitude = minor.magnitude
        let fraction = String(magnitude % UInt64(scale))
        return (minor < 0 ? "-" : "") + "\(magnitude / UInt64(scale))." + String(repeating: "0", count: digits - fraction.count) + fraction
    }

    /// A JSON money string with exactly `digits` fractional digits, in minor units; nil otherwise.
    static func minor(_ text: String?, digits: Int) -> Int64? {
        guard var text else { return nil }
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == (digits == 0 ? 1 : 2), let whole = Int64(parts[0]), !parts[0].isEmpty else { return nil }
        var value = whole
        for _ in 0..<digits { value *= 10 }
        if digits > 0 {
            guard parts[1].count == digits, let fraction = Int64(parts[1]) else { return nil }
            value += fraction
        }
        return negative ? -value : value
    }
}
