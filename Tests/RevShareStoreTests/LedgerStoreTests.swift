import Foundation
import GRDB
import RevShareCore
import Testing
@testable import RevShareStore
import TestSupport

struct LedgerStoreTests {
    @Test("posting, balances and the chain")
    func postAndBalance() throws {
        let (store, directory) = try makeTestStore("ledger")
        defer { directory.remove() }
        let outcomes = try store.write("post") { context in
            [
                try context.append(try entry("share:aws:2025-01", on: "2025-01-31",
                                             [("assets:receivable:aws", 123_450), ("income:revenue-share:aws", -123_450)], kind: .share)),
                try context.append(try entry("payment:p1", on: "2025-02-10",
                                             [("assets:bank", 100_000), ("assets:receivable:aws", -100_000)])),
            ]
        }
        #expect(outcomes.map(\.entry.sequence) == [1, 2])
        #expect(outcomes[1].entry.previousHash == outcomes[0].entry.hash)
        #expect(outcomes[0].entry.previousHash == EntryHash.genesis)
        #expect(outcomes[0].entry.recordedAt == "2025-06-01T12:00:00Z")

        let january = try store.read("b") { try $0.balances(asOf: date("2025-01-31")) }
        #expect(january == [
            AccountBalance(account: "assets:receivable:aws", currency: "USD", balanceMinor: 123_450),
            AccountBalance(account: "income:revenue-share:aws", currency: "USD", balanceMinor: -123_450),
        ])
        let february = try store.read("b") { try $0.balances(asOf: date("2025-02-28")) }
        // 123,450 − 100,000 = 23,450 still receivable; the bank holds 100,000.
        #expect(february.map(\.balanceMinor) == [100_000, 23_450, -123_450])
        #expect(february.map(\.account) == ["assets:bank", "assets:receivable:aws", "income:revenue-share:aws"])
        #expect(try store.read("v") { try $0.verify() }.passed)
    }

    @Test("the same key with the same content is a no-op; with other content it is refused")
    func idempotency() throws {
        let (store, directory) = try makeTestStore("idem")
        defer { directory.remove() }
        let first = try entry("payment:p1", [("assets:bank", 500), ("assets:receivable:aws", -500)])
        let appended = try store.write("post") { try $0.append(first) }
        let again = try store.write("post") { try $0.append(first) }
        #expect(again == .alreadyPosted(appended.entry))
        let changed = try entry("payment:p1", [("assets:bank", 501), ("assets:receivable:aws", -501)])
        #expect(throws: Refusal.self) { try store.write("post") { try $0.append(changed) } }
        #expect(try store.read("count") { try $0.entryCount() } == 1)
    }

    @Test("a failing transaction writes nothing")
    func rollback() throws {
        let (store, directory) = try makeTestStore("rollback")
        defer { directory.remove() }
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.write("post") { context in
                _ = try context.append(try entry("a", [("assets:bank", 1), ("income:x", -1)]))
                throw Boom()
            }
        }
        #expect(try store.read("count") { try $0.entryCount() } == 0)
    }

    @Test("ledger tables refuse UPDATE and DELETE", arguments: [
        "UPDATE ledger_entry SET description = 'x'",
        "DELETE FROM ledger_entry",
        "UPDATE ledger_posting SET amount_minor = amount_minor + 1",
        "DELETE FROM ledger_posting",
    ])
    func appendOnly(sql: String) throws {
        let (store, directory) = try makeTestStore("append-only")
        defer { directory.remove() }
        _ = try store.write("post") { try $0.append(try entry("a", [("assets:bank", 1), ("income:x", -1)])) }
        let raw = try rawConnection(store)
        #expect(throws: DatabaseError.self) { try raw.write { try $0.execute(sql: sql) } }
        #expect(try store.read("v") { try $0.verify() }.passed)
    }

    @Test("the database itself refuses an unbalanced or unchained entry", arguments: [
        // postings 100 and -99 do not balance
        ("INSERT INTO ledger_posting VALUES (1, 1, 'assets:bank', 'USD', 100), (1, 2, 'income:x', 'USD', -99)", "unbalanced"),
        // a single posting
        ("INSERT INTO ledger_posting VALUES (1, 1, 'assets:bank', 'USD', 100)", "single"),
        // balanced but not extending the chain head (wrong sequence)
        ("INSERT INTO ledger_posting VALUES (7, 1, 'assets:bank', 'USD', 100), (7, 2, 'income:x', 'USD', -100)", "sequence"),
    ])
    func databaseRefusesBadEntries(postingsSQL: String, label: String) throws {
        let (store, directory) = try makeTestStore("raw-\(label)")
        defer { directory.remove() }
        let raw = try rawConnection(store)
        let sequence = label == "sequence" ? 7 : 1
        #expect(throws: DatabaseError.self) {
            try raw.write { db in
                try db.execute(sql: postingsSQL)
                try db.execute(sql: """
                    INSERT INTO ledger_entry VALUES (\(sequence), '2025-01-31', 'payment', 'forged', 'forged', \
                    '2025-06-01T12:00:00Z', '\(EntryHash.genesis)', '\(String(repeating: "a", count: 64))')
                    """)
            }
        }
        #expect(try store.read("count") { try $0.entryCount() } == 0)
    }

    @Test("postings cannot be added to a sealed entry")
    func sealed() throws {
        let (store, directory) = try makeTestStore("sealed")
        defer { directory.remove() }
        _ = try store.write("post") { try $0.append(try entry("a", [("assets:bank", 1), ("income:x", -1)])) }
        let raw = try rawConnection(store)
        #expect(throws: DatabaseError.self) {
            try raw.write { try $0.execute(sql: "INSERT INTO ledger_posting VALUES (1, 3, 'assets:bank', 'USD', 0)") }
        }
        #expect(throws: DatabaseError.self) {
            try raw.write { try $0.execute(sql: "INSERT INTO ledger_posting VALUES (1, 3, 'assets:bank', 'USD', 5)") }
        }
    }

    @Test("random balanced entries keep the trial balance at zero", arguments: [1, 2, 3] as [UInt64])
    func trialBalanceProperty(seed: UInt64) throws {
        let (store, directory) = try makeTestStore("property")
        defer { directory.remove() }
        var generator = SplitMix64(seed: seed)
        let drafts = try (0..<200).map { try randomBalancedEntry($0, using: &generator) }
        try store.write("post") { context in for draft in drafts { _ = try context.append(draft) } }
        for day in ["2025-03-31", "2025-08-15", "2025-12-31"] {
            let balances = try store.read("b") { try $0.balances(asOf: date(day)) }
            var totals: [String: Int128] = [:]
            for balance in balances { totals[balance.currency, default: 0] += Int128(balance.balanceMinor) }
            #expect(totals.values.allSatisfy { $0 == 0 }, "trial balance at \(day): \(totals)")
        }
        let report = try store.read("v") { try $0.verify() }
        #expect(report.passed)
        #expect(report.entriesChecked == 200)
    }
}
