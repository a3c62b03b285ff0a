import Foundation
import GRDB
import RevShareCore
import Testing
@testable import RevShareStore
import TestSupport

/// Changes made behind revshare's back, with the append-only triggers dropped as an attacker
/// with `sqlite3` would; `verify` must name the entry each time.
struct TamperTests {
    static let fieldChanges: [(String, String)] = [
        ("ledger_entry", "entry_date = '2024-12-31'"),
        ("ledger_entry", "kind = CASE kind WHEN 'share' THEN 'payment' ELSE 'share' END"),
        ("ledger_entry", "description = description || '.'"),
        ("ledger_entry", "idempotency_key = idempotency_key || '.'"),
        ("ledger_entry", "recorded_at = '2030-01-01T00:00:00Z'"),
        ("ledger_entry", "prev_hash = '\(String(repeating: "1", count: 64))'"),
        ("ledger_entry", "hash = '\(String(repeating: "2", count: 64))'"),
        ("ledger_posting", "account = 'assets:elsewhere'"),
        ("ledger_posting", "currency = CASE currency WHEN 'USD' THEN 'EUR' ELSE 'USD' END"),
        ("ledger_posting", "amount_minor = amount_minor * 2"),
    ]

    @Test("changing any single field of any stored entry or posting is found", arguments: Array(0..<10))
    func singleFieldChanges(changeIndex: Int) throws {
        let (table, assignment) = Self.fieldChanges[changeIndex]
        let (store, directory) = try makeTestStore("tamper")
        defer { directory.remove() }
        var generator = SplitMix64(seed: UInt64(changeIndex) + 100)
        let drafts = try (0..<30).map { try randomBalancedEntry($0, using: &generator) }
        try store.write("post") { context in for draft in drafts { _ = try context.append(draft) } }
        let target = Int64.random(in: 1...30, using: &generator)
        let raw = try rawConnection(store)
        try raw.write { db in
            try db.execute(sql: "DROP TRIGGER \(table)_no_update")
            let key = table == "ledger_entry" ? "seq" : "entry_seq"
            let extra = table == "ledger_posting" ? " AND line = 1" : ""
            try db.execute(sql: "UPDATE \(table) SET \(assignment) WHERE \(key) = \(target)\(extra)")
            #expect(db.changesCount == 1)
        }
        let report = try store.read("v") { try $0.verify() }
        #expect(!report.passed)
        #expect(report.problems.contains { $0.subject == "entry \(target)" }, "\(report.problems)")
    }

    @Test("deleting a posting, swapping two hashes and forging an entry are found")
    func structuralTampering() throws {
        let (store, directory) = try makeTestStore("tamper2")
        defer { directory.remove() }
        var generator = SplitMix64(seed: 7)
        let drafts = try (0..<10).map { try randomBalancedEntry($0, using: &generator) }
        try store.write("post") { context in for draft in drafts { _ = try context.append(draft) } }
        let raw = try rawConnection(store)
        try raw.write { db in
            for trigger in ["ledger_posting_no_delete", "ledger_entry_no_update", "ledger_entry_extends_chain", "ledger_entry_balanced"] {
                try db.execute(sql: "DROP TRIGGER \(trigger)")
            }
            try db.execute(sql: "DELETE FROM ledger_posting WHERE entry_seq = 3 AND line = (SELECT max(line) FROM ledger_posting WHERE entry_seq = 3)")
            let hashes = try String.fetchAll(db, sql: "SELECT hash FROM ledger_entry WHERE seq IN (6, 7) ORDER BY seq")
            try db.execute(sql: "UPDATE ledger_entry SET hash = ? WHERE seq = 6", arguments: ["f" + hashes[0].dropFirst()])
            try db.execute(sql: "UPDATE ledger_entry SET hash = ? WHERE seq = 7", arguments: [hashes[0]])
            try db.execute(sql: "UPDATE ledger_entry SET hash = ? WHERE seq = 6", arguments: [hashes[1]])
            try db.execute(sql: """
                INSERT INTO ledger_posting VALUES (11, 1, 'assets:bank', 'USD', 999), (11, 2, 'income:x', 'USD', -999);
                INSERT INTO ledger_entry VALUES (11, '2025-12-31', 'payment', 'forged', 'forged', '2025-06-01T12:00:00Z',
                    (SELECT hash FROM ledger_entry WHERE seq = 10), '\(String(repeating: "c", count: 64))');
                """)
        }
        let report = try store.read("v") { try $0.verify() }
        let subjects = Set(report.problems.map(\.subject))
        #expect(subjects.isSuperset(of: ["entry 3", "entry 6", "entry 7", "entry 11"]), "\(report.problems)")
        #expect(report.problems.contains { $0.subject == "entry 3" && $0.message.contains("sum to") })
        #expect(report.problems.contains { $0.subject == "entry 7" && $0.message.contains("prev_hash") })
    }
}
