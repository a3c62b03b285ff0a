import Foundation
import RevShareCore
import RevShareReports
import Testing
import TestSupport

/// Texts from the books written where another program or a person reads them: the journal for
/// hledger, CSV for spreadsheets, text for terminals.
struct SafeOutputTests {
    static let hledger = ["/usr/bin/hledger", "/usr/local/bin/hledger"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// An entry as a database written by an earlier build could hold it: a payment id whose line
    /// breaks try to add a transaction and a directive of their own.
    static func hostileEntry(_ id: String) -> StoredEntry {
        StoredEntry(sequence: 1, date: "2025-02-10", kind: "payment", description: "Payment \(id) from aws, received 2025-02-10",
                    idempotencyKey: "payment:\(id)", recordedAt: "2025-02-10T00:00:00Z",
                    postings: [StoredEntry.StoredPosting(account: "assets:bank", currency: "USD", amountMinor: 47_334_574),
                               StoredEntry.StoredPosting(account: "assets:receivable:aws", currency: "USD", amountMinor: -47_334_574)],
                    previousHash: String(repeating: "0", count: 64), hash: String(repeating: "a", count: 64))
    }

    static let terminators = ["\r\n", "\r", "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"]

    @Test(arguments: terminators)
    func everyLineTerminatorIsEscapedInTheJournal(terminator: String) {
        let id = "P-1\(terminator)2025-01-01 forged\(terminator)    assets:bank  2000000.00 USD\(terminator)    equity\(terminator)include /etc/passwd"
        let journal = JournalRenderer.hledger([Self.hostileEntry(id)])
        let lines = journal.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5)  // header, two postings, the blank line, and the end
        #expect(!journal.unicodeScalars.contains { TerminalText.isUnsafe($0) && $0 != "\n" })
        #expect(!lines.contains { $0.hasPrefix("include") || $0.hasPrefix("2025-01-01") })
    }

    @Test("hledger reads the hostile journal as the one transaction it is", .enabled(if: hledger != nil))
    func hledgerBalanceOfAHostileJournal() throws {
        let directory = TemporaryDirectory("hostile-journal")
        defer { directory.remove() }
        let entries = Self.terminators.enumerated().map { index, terminator in
            Self.hostileEntry("P-\(index)\(terminator)2025-01-01 forged\(terminator)    assets:bank  2000000.00 USD\(terminator)    equity")
        }
        let path = directory.write("books.journal", JournalRenderer.hledger(entries))
        let result = try runTool(Self.hledger!, ["-f", path, "bal", "--flat", "--no-total", "-O", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        // Eight payments of 473,345.74: nothing else, no equity account, no 2,000,000.
        #expect(result.stdout == """
            "account","balance"
            "assets:bank","3786765.92 USD"
            "assets:receivable:aws","-3786765.92 USD"

            """)
    }

    @Test func csvTextCellsAreNeutralisedAndNumbersKept() {
        #expect(CSVText.row([.text("=cmd|' /C calc'!A0"), .text("+1"), .text("-x"), .text("@SUM(A1)"), .text("\tx"),
                             .text("\rx"), .text("plain"), .number("-12.50"), .number("+3")])
            == "'=cmd|' /C calc'!A0,'+1,'-x,'@SUM(A1),'\tx,\"'\rx\",plain,-12.50,+3\r\n")
    }

    @Test func csvQuotesWhatHoldsALineBreakInBytes() {
        // "\r\n" is one Swift Character, but two bytes that end a CSV record.
        #expect(CSVText.field(.text("a\r\nb")) == "\"a\r\nb\"")
        #expect(CSVText.field(.text("say \"hi\", then")) == "\"say \"\"hi\"\", then\"")
        #expect(CSVText.field(.number("1234.50")) == "1234.50")
    }

    @Test func terminalTextEscapesControlsAndInvisibleFormats() {
        #expect(TerminalText.escaped("a\u{1B}[31mb\u{7}") == "a\\u{1b}[31mb\\u{7}")
        #expect(TerminalText.escaped("x\u{200B}y\u{202E}z\u{FEFF}") == "x\\u{200b}y\\u{202e}z\\u{feff}")
        #expect(TerminalText.escaped("l1\r\nl2") == "l1\\u{d}\\u{a}l2")
        #expect(TerminalText.screened("l1\nl2\u{1B}") == "l1\nl2\\u{1b}")
        #expect(TerminalText.escaped("café ✓ 東京") == "café ✓ 東京")
    }
}

struct DigitGroupingTests {
    @Test(arguments: [
        ("1234567.89", "1,234,567.89"), ("-1000", "-1,000"), ("999", "999"), ("-999.999999", "-999.999999"),
        ("22671383990", "22,671,383,990"), ("0.05", "0.05"), ("100000.000001", "100,000.000001"),
        ("-9223372036854775808", "-9,223,372,036,854,775,808"),
    ])
    func groupsIntegerDigitsByThree(plain: String, grouped: String) {
        #expect(DigitGrouping.grouped(plain) == grouped)
    }
}
