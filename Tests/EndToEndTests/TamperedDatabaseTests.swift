import Foundation
import Testing
import TestSupport

/// A database edited behind revshare's back with values its schema lets through: every command
/// that reads them ends with a message and exit 1 (verify, reconcile's integrity finding) or 70,
/// never a crash signal.
struct TamperedDatabaseTests {
    static let commands: [[String]] = [
        ["verify"], ["balance", "--as-of", "2025-12-31"], ["journal"], ["periods"], ["partners"],
        ["statement", "--partner", "aws", "--period", "2025-01"], ["statement", "--partner", "aws", "--period", "2025-02"],
        ["statements", "--period", "2025-01", "--output-dir", "out"], ["reconcile", "--period", "2025-01", "--as-of", "2025-06-30"],
        ["audit", "--period", "2025-01", "--as-of", "2025-06-30"], ["export", "hledger", "--output", "books.journal"],
    ]

    @Test(arguments: [
        // A month 19 or a day 39 passes the columns' GLOB checks but is no calendar date.
        ("payment", "DROP TRIGGER payment_no_update; UPDATE payment SET received_on = '2025-19-39', posted_on = '2025-19-39'"),
        ("usage_row", "DROP TRIGGER usage_row_no_update; UPDATE usage_row SET usage_date = '2025-01-39' WHERE line = 2"),
        ("agreement", "UPDATE agreement SET effective_from = '2024-19'"),
        ("partner", "UPDATE partner SET currency = 'ZZZ'"),
    ])
    func aValueThatCannotBeReadIsAMessageNeverACrash(table: String, sql: String) throws {
        let directory = try HostileInputTests.closedJanuary("tampered-\(table)")
        let db = directory.file("revshare.sqlite")
        _ = try sqlite3(db, sql, readOnly: false)
        for command in Self.commands {
            let result = try RevShareExecutable.run(command, in: directory.path)
            #expect([0, 1, 65, 70].contains(result.status), "\(table) \(command): exit \(result.status) \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(table) \(command): \(result.stderr)")
            if result.status == 70 { #expect(result.stderr.contains("cannot be read"), "\(table) \(command): \(result.stderr)") }
        }
    }
}
