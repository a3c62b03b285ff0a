import Foundation
import Testing
import TestSupport

struct ExportTests {
    static let hledger = ["/usr/bin/hledger", "/usr/local/bin/hledger"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `hledger -f FILE bal` must agree with `revshare balance` for every account.
    @Test("export hledger round-trips through hledger's own balance", .enabled(if: hledger != nil))
    func hledgerAgreesWithBalance() throws {
        let directory = TemporaryDirectory("e2e-hledger")
        defer { directory.remove() }
        let demo = try RevShareExecutable.run(["demo", "--dir", directory.path], in: repositoryRoot)
        #expect(demo.status == 0, "\(demo.stderr)")
        let db = directory.file("revshare.sqlite")
        let journal = directory.file("books.journal")
        #expect(try RevShareExecutable.run(["--db", db, "export", "hledger", "--output", journal]).status == 0)
        let balance = try RevShareExecutable.run(["--db", db, "balance", "--as-of", "9999-12-31", "--format", "json"])
        let ours = try Self.accounts(fromBalanceJSON: balance.stdout)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.hledger!)
        process.arguments = ["-f", journal, "bal", "--flat", "--no-total", "-O", "csv"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let theirs = Self.accounts(fromHledgerCSV: String(decoding: data, as: UTF8.self))
        #expect(!ours.isEmpty)
        #expect(theirs == ours)
    }

    /// "account|currency" → amount text, from `balance --format json`.
    static func accounts(fromBalanceJSON text: String) throws -> [String: String] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
        var result: [String: String] = [:]
        for account in object["accounts"] as! [[String: String]] {
            result["\(account["account"]!)|\(account["currency"]!)"] = account["balance"]!
        }
        return result
    }

    /// hledger's CSV: "account","balance" rows, a balance like "473344.74 USD" (several
    /// commodities joined by ", ").
    static func accounts(fromHledgerCSV text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard cells.count == 2 else { continue }
            for amount in cells[1].components(separatedBy: ", ") {
                let parts = amount.split(separator: " ")
                guard parts.count == 2 else { continue }
                result["\(cells[0])|\(parts[1])"] = String(parts[0])
            }
        }
        return result
    }
}
