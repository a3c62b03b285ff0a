import Foundation
import RevShareCore
import RevShareStore
import Testing
import TestSupport

/// The built `revshare` executable, run as a user would.
struct LedgerCommandTests {
    private func post(_ path: String, _ drafts: [EntryDraft]) throws {
        let store = try Store.open(path: path, clock: testClock)
        try store.write("post") { context in for draft in drafts { _ = try context.append(draft) } }
    }

    private func payment(_ key: String, _ day: String, _ minor: Int64) throws -> EntryDraft {
        try EntryDraft(date: date(day), kind: .payment, description: "payment \(key)", idempotencyKey: key, postings: [
            Posting(account: .bank, currency: usd, amountMinor: minor),
            Posting(account: .receivable("aws"), currency: usd, amountMinor: -minor),
        ])
    }

    @Test("init is idempotent; balance and verify on an empty ledger")
    func initBalanceVerify() throws {
        let directory = TemporaryDirectory("e2e-init")
        defer { directory.remove() }
        let first = try RevShareExecutable.run(["init"], in: directory.path)
        #expect(first.status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.file("revshare.sqlite")))
        #expect(try RevShareExecutable.run(["init"], in: directory.path).status == 0)
        let balance = try RevShareExecutable.run(["balance", "--as-of", "2025-01-31", "--format", "json"], in: directory.path)
        #expect(balance.status == 0)
        #expect(balance.stdout == "{\n  \"as_of\": \"2025-01-31\",\n  \"accounts\": []\n}\n")
        let verify = try RevShareExecutable.run(["verify"], in: directory.path)
        #expect(verify.status == 0)
        #expect(verify.stdout == "verify: OK: 0 entries and 0 inputs checked, every invariant holds; empty chain; empty input chain\n")
    }

    @Test("balance --format json is exactly SPEC §7.1, sorted, zero balances left out")
    func balanceJSON() throws {
        let directory = TemporaryDirectory("e2e-balance")
        defer { directory.remove() }
        let db = directory.file("books.sqlite")
        #expect(try RevShareExecutable.run(["--db", db, "init"]).status == 0)
        try post(db, [try payment("p1", "2025-01-10", 1000), try payment("p2", "2025-02-10", 250)])
        let january = try RevShareExecutable.run(["--db", db, "balance", "--as-of", "2025-01-31", "--format", "json"])
        #expect(january.stdout == """
            {
              "as_of": "2025-01-31",
              "accounts": [
                {
                  "account": "assets:bank",
                  "currency": "USD",
                  "balance": "10.00"
                },
                {
                  "account": "assets:receivable:aws",
                  "currency": "USD",
                  "balance": "-10.00"
                }
              ]
            }

            """)
        // --db after the command and $REVSHARE_DB work the same way.
        let february = try RevShareExecutable.run(["balance", "--as-of", "2025-02-28", "--format", "json"],
                                                  environment: ["REVSHARE_DB": db])
        #expect(february.stdout.contains("\"balance\": \"12.50\""))
        let text = try RevShareExecutable.run(["balance", "--db", db, "--as-of", "2025-02-28"])
        #expect(text.stdout.contains("assets:bank"))
        #expect(text.stdout.contains("12.50"))
        #expect(text.stdout.contains("total USD: 0 (balanced)"))
    }

    @Test("journal prints hledger syntax, filtered by period")
    func journal() throws {
        let directory = TemporaryDirectory("e2e-journal")
        defer { directory.remove() }
        let db = directory.file("books.sqlite")
        #expect(try RevShareExecutable.run(["--db", db, "init"]).status == 0)
        try post(db, [try payment("p1", "2025-01-10", 1000), try payment("p2", "2025-02-10", 250)])
        let result = try RevShareExecutable.run(["--db", db, "journal", "--period", "2025-02"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("2025-02-10 (2) payment p2  ; kind:payment, key:p2, hash:"))
        #expect(result.stdout.contains("    assets:bank            2.50 USD\n"))
        #expect(result.stdout.contains("    assets:receivable:aws  -2.50 USD\n"))
        #expect(!result.stdout.contains("p1"))
    }

    @Test("verify names the entry changed behind the tool's back with sqlite3, exit 1")
    func tamperedWithSQLite() throws {
        let directory = TemporaryDirectory("e2e-tamper")
        defer { directory.remove() }
        let db = directory.file("books.sqlite")
        #expect(try RevShareExecutable.run(["--db", db, "init"]).status == 0)
        try post(db, [try payment("p1", "2025-01-10", 1000), try payment("p2", "2025-02-10", 250)])
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        sqlite.arguments = [db, "DROP TRIGGER ledger_posting_no_update; UPDATE ledger_posting SET amount_minor = 2500 WHERE entry_seq = 2 AND line = 1;"]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0)
        let verify = try RevShareExecutable.run(["--db", db, "verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("verify: FAILED"))
        #expect(verify.stdout.contains("entry 2: stored hash"))
        #expect(verify.stdout.contains("entry 2: postings in USD sum to 2250 minor units, not zero"))
        #expect(verify.stdout.contains("currency USD: trial balance is 2250 minor units, not zero"))
    }

    static let exitCases: [([String], Int32)] = [
        (["balance", "--as-of", "2025-02-30"], 64),
        (["balance", "--format", "xml"], 64),
        (["journal", "--period", "2025-13"], 64),
        (["no-such-command"], 64),
        (["balance", "--no-such-flag"], 64),
        (["verify"], 66),
        (["balance", "--as-of", "2025-01-31"], 66),
    ]

    @Test("exit codes: bad usage 64, missing database 66", arguments: exitCases)
    func exitCodes(arguments: [String], status: Int32) throws {
        let directory = TemporaryDirectory("e2e-exit")
        defer { directory.remove() }
        let result = try RevShareExecutable.run(arguments, in: directory.path)
        #expect(result.status == status, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
        if status == 66 {
            #expect(result.stderr.contains("revshare init"))
            #expect(!FileManager.default.fileExists(atPath: directory.file("revshare.sqlite")))
        }
    }
}
