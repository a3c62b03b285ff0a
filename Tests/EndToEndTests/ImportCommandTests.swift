import Foundation
import Testing
import TestSupport

/// `revshare import usage|payments|meter`, run as a user would: exit codes, stdout, stderr, and
/// what the database holds afterwards (read with the sqlite3 CLI).
struct ImportCommandTests {
    static let agreements = """
        partners:
          - id: aws
            name: Amazon Web Services
            currency: USD
            payment_terms_days: 45
            agreements:
              - id: AWS-2024
                effective_from: 2024-07
                basis: revenue_percent
                tiers:
                  - rate: 0.10
          - id: groq
            name: Groq
            currency: JPY
            payment_terms_days: 30
            agreements:
              - id: GROQ-1
                effective_from: 2024-10
                basis: revenue_percent
                tiers:
                  - rate: 0.2

        """

    static let usageHeader =
        "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue,currency,reported_share"

    static let usage = """
        \(usageHeader),note
        2025-01-03,aws,llama-3.1-70b-instruct,us-east-1,10,1000,2000,12.5,USD,1.25,a
        2025-01-04,aws,llama-3.1-70b-instruct,us-east-1,5,500,700,7.25,,,b
        2025-01-03,groq,llama-3.1-8b-instant,,3,300,400,1500,JPY,,c

        """

    static let nothingImported = "nothing was imported: fix the file and import it again\n"

    /// A fresh directory with a database (`./revshare.sqlite`) and the agreements loaded.
    static func prepared(_ label: String) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory(label)
        let created = try RevShareExecutable.run(["init"], in: directory.path)
        #expect(created.status == 0, "\(created.stderr)")
        directory.write("agreements.yaml", agreements)
        let loaded = try RevShareExecutable.run(["agreements", "load", "agreements.yaml"], in: directory.path)
        #expect(loaded.status == 0, "\(loaded.stderr)")
        return directory
    }

    static func sqlite(_ directory: TemporaryDirectory, _ sql: String) throws -> String {
        try run("/usr/bin/sqlite3", ["-readonly", directory.file("revshare.sqlite"), sql])
    }

    /// Row counts of every table an import writes, as one string.
    static func counts(_ directory: TemporaryDirectory) throws -> String {
        let tables = ["import_file", "usage_report", "usage_row", "meter_report", "meter_row", "payment", "ledger_entry"]
        return try sqlite(directory, "SELECT " + tables.map { "(SELECT count(*) FROM \($0))" }.joined(separator: ", "))
    }

    /// The first 12 hex digits of the file's SHA-256, computed independently with sha256sum.
    static func shortHash(_ path: String) throws -> String {
        String(try run("/usr/bin/sha256sum", [path]).prefix(12))
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    @Test("import usage: the summary on stdout, nothing on stderr, rows stored")
    func usageSummary() throws {
        let directory = try Self.prepared("e2e-import-usage")
        defer { directory.remove() }
        let path = directory.write("usage.csv", Self.usage)
        let result = try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout == """
            imported usage from usage.csv (sha256 \(try Self.shortHash(path))…): 3 rows, 2 partners, 1 period
              partner  period   rows    gross revenue
              -------  -------  ----  ---------------
              aws      2025-01     2    19.750000 USD
              groq     2025-01     1  1500.000000 JPY
              total gross revenue: 1500.000000 JPY
              total gross revenue: 19.750000 USD
              unknown columns ignored: note

            """)
        #expect(try Self.counts(directory) == "1|2|3|0|0|0|0")
        #expect(try Self.sqlite(directory, "SELECT file_name, row_count, restate FROM import_file") == "usage.csv|3|0")
        #expect(try Self.sqlite(directory, "SELECT partner_id, period, row_count, requests, input_tokens, output_tokens, gross_revenue_micros FROM usage_report ORDER BY id")
            == "aws|2025-01|2|15|1500|2700|19750000\ngroq|2025-01|1|3|300|400|1500000000")

        // The same bytes again: a no-op that says so, exit 0.
        let importedAt = try Self.sqlite(directory, "SELECT imported_at FROM import_file")
        let again = try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path)
        #expect(again.status == 0)
        #expect(again.stdout == "usage.csv: already imported at \(importedAt) (sha256 \(try Self.shortHash(path))…); nothing to do\n")
        #expect(again.stderr.isEmpty)
        #expect(try Self.counts(directory) == "1|2|3|0|0|0|0")
    }

    @Test("import usage - reads standard input and names it <stdin>; bad data exits 65 and writes nothing")
    func standardInput() throws {
        let directory = try Self.prepared("e2e-import-stdin")
        defer { directory.remove() }
        directory.write("usage.csv", Self.usage)
        #expect(try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path).status == 0)
        let before = try Self.counts(directory)
        #expect(try Self.sqlite(directory, "SELECT count(*) FROM usage_row") == "3")

        let bad = """
            \(Self.usageHeader)
            2025-02-03,aws,llama-3.1-70b-instruct,us-east-1,10,1000,2000,12.5,USD,
            2025-02-04,aws,llama-3.1-70b-instruct,us-east-1,10,12a,2000,12.5,USD,
            2025-02-05,aws,llama-3.1-70b-instruct,us-east-1,10,1000,2000,12.5,EUR,

            """
        let refused = try RevShareExecutable.run(["import", "usage", "-"], in: directory.path, stdin: Data(bad.utf8))
        #expect(refused.status == 65)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == """
            <stdin>:3: input_tokens: "12a" is not a non-negative integer
            <stdin>:4: currency: "EUR" does not match partner aws's currency USD
            \(Self.nothingImported)
            """)
        #expect(try Self.counts(directory) == before)
        #expect(try Self.sqlite(directory, "SELECT count(*) FROM usage_row") == "3")

        let good = "\(Self.usageHeader)\n2025-02-03,aws,m,,1,2,3,4,,\n"
        let imported = try RevShareExecutable.run(["import", "usage", "-"], in: directory.path, stdin: Data(good.utf8))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported usage from <stdin> (sha256 "))
        #expect(imported.stdout.contains("…): 1 row, 1 partner, 1 period\n"))
        #expect(try Self.sqlite(directory, "SELECT file_name, row_count FROM import_file ORDER BY id") == "usage.csv|3\n<stdin>|1")

        // A restatement from stdin is refused, naming the report and the file it came from.
        let restated = "\(Self.usageHeader)\n2025-02-04,aws,m,,1,2,3,5,,\n"
        let importedAt = try Self.sqlite(directory, "SELECT imported_at FROM import_file WHERE id = 2")
        let restate = try RevShareExecutable.run(["import", "usage", "-"], in: directory.path, stdin: Data(restated.utf8))
        #expect(restate.status == 65)
        #expect(restate.stderr == """
            <stdin>: partner: aws 2025-02 already has a report from <stdin> (imported \(importedAt)); use --restate to replace it
            \(Self.nothingImported)
            """)
    }

    @Test("import payments - and import meter - read standard input too", arguments: [
        ("payments", "payment_id,partner,received_on,amount,currency\nP-1,aws,2025-01-10,1.001,USD\n",
         #"<stdin>:2: amount: "1.001" has more than 2 fractional digits (never rounded)"#,
         "payment_id,partner,received_on,amount,currency\nP-1,aws,2025-01-10,1.00,USD\n",
         "1 row, 1 new payment, 0 seen before and skipped\n"),
        ("meter", "usage_date,partner,model,input_tokens,output_tokens\n2025-01-03,aws,m,1,1e3\n",
         #"<stdin>:2: output_tokens: "1e3" is not a non-negative integer"#,
         "usage_date,partner,model,input_tokens,output_tokens\n2025-01-03,aws,m,1,1000\n",
         "1 row, 1 partner, 1 period\n"),
    ])
    func otherKindsFromStandardInput(kind: String, bad: String, error: String, good: String, summary: String) throws {
        let directory = try Self.prepared("e2e-import-stdin-\(kind)")
        defer { directory.remove() }
        let refused = try RevShareExecutable.run(["import", kind, "-"], in: directory.path, stdin: Data(bad.utf8))
        #expect(refused.status == 65)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == error + "\n" + Self.nothingImported)
        #expect(try Self.counts(directory) == "0|0|0|0|0|0|0")
        let imported = try RevShareExecutable.run(["import", kind, "-"], in: directory.path, stdin: Data(good.utf8))
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.hasPrefix("imported \(kind) from <stdin> (sha256 "))
        #expect(imported.stdout.contains("…): " + summary))
        #expect(try Self.sqlite(directory, "SELECT kind, file_name, row_count FROM import_file") == "\(kind)|<stdin>|1")
    }

    @Test("a restatement is refused (65, naming the report and file) and accepted with --restate")
    func restatement() throws {
        let directory = try Self.prepared("e2e-import-restate")
        defer { directory.remove() }
        directory.write("usage.csv", Self.usage)
        #expect(try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path).status == 0)
        let importedAt = try Self.sqlite(directory, "SELECT imported_at FROM import_file")
        let path = directory.write("jan-b.csv", "\(Self.usageHeader)\n2025-01-05,aws,llama-3.1-70b-instruct,,1,100,200,3,USD,\n")
        let before = try Self.counts(directory)

        let refused = try RevShareExecutable.run(["import", "usage", "jan-b.csv"], in: directory.path)
        #expect(refused.status == 65)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == """
            jan-b.csv: partner: aws 2025-01 already has a report from usage.csv (imported \(importedAt)); use --restate to replace it
            \(Self.nothingImported)
            """)
        #expect(try Self.counts(directory) == before)

        let accepted = try RevShareExecutable.run(["import", "usage", "jan-b.csv", "--restate"], in: directory.path)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout == """
            imported usage from jan-b.csv (sha256 \(try Self.shortHash(path))…): 1 row, 1 partner, 1 period
              partner  period   rows  gross revenue
              -------  -------  ----  -------------  ----------------------------------
              aws      2025-01     1   3.000000 USD  restates the report from usage.csv
              total gross revenue: 3.000000 USD

            """)
        #expect(try Self.sqlite(directory, "SELECT id, partner_id, period, coalesce(replaces_report_id, '-') FROM usage_report ORDER BY id")
            == "1|aws|2025-01|-\n2|groq|2025-01|-\n3|aws|2025-01|1")
        #expect(try Self.sqlite(directory, "SELECT id FROM current_usage_report ORDER BY id") == "2\n3")
        #expect(try Self.sqlite(directory, "SELECT count(*) FROM usage_row") == "4")
        #expect(try Self.sqlite(directory, "SELECT restate FROM import_file ORDER BY id") == "0\n1")
    }

    @Test("a header and no rows: exit 0, says so, records nothing")
    func headerOnly() throws {
        let directory = try Self.prepared("e2e-import-header")
        defer { directory.remove() }
        directory.write("h.csv", Self.usageHeader + "\n")
        let result = try RevShareExecutable.run(["import", "usage", "h.csv"], in: directory.path)
        #expect(result.status == 0)
        #expect(result.stdout == "h.csv: a header and no rows; nothing imported, nothing recorded\n")
        #expect(try Self.counts(directory) == "0|0|0|0|0|0|0")
    }

    @Test("an empty file is invalid: every required column is missing, on line 1", arguments: [
        ("usage", ["usage_date", "partner", "model", "requests", "input_tokens", "output_tokens", "gross_revenue"]),
        ("payments", ["payment_id", "partner", "received_on", "amount", "currency"]),
        ("meter", ["usage_date", "partner", "model", "input_tokens", "output_tokens"]),
    ])
    func emptyFile(kind: String, columns: [String]) throws {
        let directory = try Self.prepared("e2e-import-empty")
        defer { directory.remove() }
        directory.write("empty.csv", "")
        let result = try RevShareExecutable.run(["import", kind, "empty.csv"], in: directory.path)
        #expect(result.status == 65)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == columns.map { "empty.csv:1: \($0): required column is missing\n" }.joined() + Self.nothingImported)
        #expect(try Self.counts(directory) == "0|0|0|0|0|0|0")
    }

    @Test("exit 66: a missing file or a directory", arguments: ["usage", "payments", "meter"])
    func notFound(kind: String) throws {
        let directory = try Self.prepared("e2e-import-66")
        defer { directory.remove() }
        let missing = try RevShareExecutable.run(["import", kind, "nosuch.csv"], in: directory.path)
        #expect(missing.status == 66)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderr == "nosuch.csv: no such file\n")
        try FileManager.default.createDirectory(atPath: directory.file("dir.csv"), withIntermediateDirectories: false)
        let folder = try RevShareExecutable.run(["import", kind, "dir.csv"], in: directory.path)
        #expect(folder.status == 66)
        #expect(folder.stderr == "dir.csv: is a directory, not a file\n")
        #expect(try Self.counts(directory) == "0|0|0|0|0|0|0")

        let noDatabase = try RevShareExecutable.run(["import", kind, "nosuch.csv", "--db", "none.sqlite"], in: directory.path)
        #expect(noDatabase.status == 66)
        #expect(noDatabase.stderr.contains("revshare init"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("none.sqlite")))
    }

    @Test("import payments: summary, skipped duplicates, bad data 65 with nothing written")
    func payments() throws {
        let directory = try Self.prepared("e2e-import-payments")
        defer { directory.remove() }
        let first = directory.write("p1.csv", """
            payment_id,partner,received_on,amount,currency,reference
            P-1,aws,2025-01-10,100.00,USD,2025-01
            P-2,groq,2025-01-12,15000,JPY,

            """)
        let result = try RevShareExecutable.run(["import", "payments", "p1.csv"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "imported payments from p1.csv (sha256 \(try Self.shortHash(first))…): 2 rows, 2 new payments, 0 seen before and skipped\n")
        #expect(try Self.sqlite(directory, "SELECT payment_id, received_on, posted_on, amount_minor, currency, coalesce(reference, '-') FROM payment ORDER BY payment_id")
            == "P-1|2025-01-10|2025-01-10|10000|USD|2025-01\nP-2|2025-01-12|2025-01-12|15000|JPY|-")

        let second = directory.write("p2.csv", """
            payment_id,partner,received_on,amount,currency,reference,memo
            P-3,aws,2025-02-10,1.5,USD,,late
            P-1,aws,2025-01-10,100.00,USD,2025-01,again

            """)
        let more = try RevShareExecutable.run(["import", "payments", "p2.csv"], in: directory.path)
        #expect(more.status == 0, "\(more.stderr)")
        #expect(more.stdout == """
            imported payments from p2.csv (sha256 \(try Self.shortHash(second))…): 2 rows, 1 new payment, 1 seen before and skipped
              unknown columns ignored: memo

            """)
        let before = try Self.counts(directory)
        #expect(before == "2|0|0|0|0|3|3")

        directory.write("bad.csv", """
            payment_id,partner,received_on,amount,currency,reference
            P-4,aws,2025-02-11,0,USD,
            P-5,aws,2025-02-12,1.005,,2025-13
            P-5,aws,2025-02-12,1.00,USD,
            P-1,aws,2025-01-10,100.50,USD,2025-01

            """)
        let refused = try RevShareExecutable.run(["import", "payments", "bad.csv"], in: directory.path)
        #expect(refused.status == 65)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr == """
            bad.csv:2: amount: "0" must be greater than zero
            bad.csv:3: amount: "1.005" has more than 2 fractional digits (never rounded)
            bad.csv:3: currency: is empty; the partner's currency USD is required
            bad.csv:3: reference: "2025-13" is not a period in YYYY-MM form
            bad.csv:4: payment_id: duplicate of line 3
            bad.csv:5: payment_id: "P-1" was imported before (p1.csv:2) with other fields; a payment cannot change: import a new payment_id instead
            \(Self.nothingImported)
            """)
        #expect(try Self.counts(directory) == before)
    }

    @Test("import meter: summary; a later file supersedes; bad data 65 with nothing written")
    func meter() throws {
        let directory = try Self.prepared("e2e-import-meter")
        defer { directory.remove() }
        let path = directory.write("m.csv", """
            usage_date,partner,model,input_tokens,output_tokens
            2025-01-03,aws,llama-3.1-70b-instruct,1000,2000
            2025-01-04,aws,llama-3.1-70b-instruct,3000,4000

            """)
        let result = try RevShareExecutable.run(["import", "meter", "m.csv"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            imported meter from m.csv (sha256 \(try Self.shortHash(path))…): 2 rows, 1 partner, 1 period
              partner  period   rows  gross revenue
              -------  -------  ----  -------------
              aws      2025-01     2

            """)
        directory.write("m2.csv", "usage_date,partner,model,input_tokens,output_tokens\n2025-01-09,aws,x,1,2\n")
        #expect(try RevShareExecutable.run(["import", "meter", "m2.csv"], in: directory.path).status == 0)
        #expect(try Self.sqlite(directory, "SELECT id, row_count, input_tokens, output_tokens FROM current_meter_report") == "2|1|1|2")
        let before = try Self.counts(directory)
        #expect(before == "2|0|0|2|3|0|0")

        directory.write("bad.csv", """
            usage_date,partner,model,input_tokens,output_tokens
            2025-01-03,aws,llama-3.1-70b-instruct,1000,2000
            2025-01-03,aws,llama-3.1-70b-instruct,1,2
            2025-01-05,azure,llama-3.1-70b-instruct,1,2

            """)
        let refused = try RevShareExecutable.run(["import", "meter", "bad.csv"], in: directory.path)
        #expect(refused.status == 65)
        #expect(refused.stderr == """
            bad.csv:3: key: duplicate of line 2 (aws, 2025-01-03, llama-3.1-70b-instruct)
            bad.csv:4: partner: "azure" is not a loaded partner (loaded: aws, groq)
            \(Self.nothingImported)
            """)
        #expect(try Self.counts(directory) == before)
    }

    @Test("more than 100 errors: 100 lines on stderr, then the count, then what to do")
    func manyErrors() throws {
        let directory = try Self.prepared("e2e-import-many")
        defer { directory.remove() }
        let rows = (1...250).map { "2025-01-\(String(format: "%02d", ($0 - 1) % 28 + 1)),aws,m\($0),,1,2,-3,4,," }
        directory.write("many.csv", ([Self.usageHeader] + rows).joined(separator: "\n") + "\n")
        let result = try RevShareExecutable.run(["import", "usage", "many.csv"], in: directory.path)
        #expect(result.status == 65)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 103)  // 100 errors, the count, the advice, and the final newline's empty tail
        #expect(lines.first == #"many.csv:2: output_tokens: "-3" is not a non-negative integer"#)
        #expect(lines[99] == #"many.csv:101: output_tokens: "-3" is not a non-negative integer"#)
        #expect(lines[100] == "… and 150 more errors")
        #expect(lines[101] == "nothing was imported: fix the file and import it again")
        #expect(try Self.counts(directory) == "0|0|0|0|0|0|0")
    }

    @Test("a very long run of records with the wrong number of fields is reported, not a crash")
    func longRunOfShortRecords() throws {
        let directory = try Self.prepared("e2e-import-short-records")
        defer { directory.remove() }
        let count = 300_000
        directory.write("short.csv", Self.usageHeader + "\n" + String(repeating: "x\n", count: count))
        let result = try RevShareExecutable.run(["import", "usage", "short.csv"], in: directory.path)
        #expect(result.status == 65, "terminated by status \(result.status)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "short.csv:2: record: has 1 field but the header has 10")
        #expect(lines.count == 102)
        #expect(lines.dropLast().last == "… and \(count - 100) more errors")
        #expect(try Self.counts(directory) == "0|0|0|0|0|0|0")
    }
}
