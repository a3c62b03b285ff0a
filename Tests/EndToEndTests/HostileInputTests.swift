import Foundation
import Testing
import TestSupport

/// What a careless or hostile user can type, run on the built binary in a temporary
/// directory: nothing is destroyed, injected or left hanging, and every message tells the truth.
struct HostileInputTests {
    static func prepared(_ label: String) throws -> TemporaryDirectory { try ImportCommandTests.prepared(label) }
    static let header = ImportCommandTests.usageHeader

    static func usage(model: String = "llama-3.1-8b-instruct", region: String = "us-east-1") -> String {
        "\(header)\n2025-01-03,aws,\(model),\(region),10,1000,2000,12.5,USD,\n"
    }

    /// A database with January imported and closed, and a payment.
    static func closedJanuary(_ label: String) throws -> TemporaryDirectory {
        let directory = try Self.prepared(label)
        directory.write("usage.csv", Self.usage())
        directory.write("payments.csv", "payment_id,partner,received_on,amount,currency\nP-1,aws,2025-02-10,1.00,USD\n")
        for arguments in [["import", "usage", "usage.csv"], ["import", "payments", "payments.csv"], ["close", "2025-01"]] {
            let result = try RevShareExecutable.run(arguments, in: directory.path)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        return directory
    }

    static func verifies(_ directory: TemporaryDirectory) throws -> Bool {
        try RevShareExecutable.run(["verify"], in: directory.path).status == 0
    }

    // MARK: - Outputs never destroy anything

    @Test func outputNamingTheDatabaseOrItsFilesIsRefused() throws {
        let directory = try Self.closedJanuary("output-db")
        let before = try sha256sum(directory.file("revshare.sqlite"))
        for name in ["revshare.sqlite", "./revshare.sqlite", "revshare.sqlite-wal", "revshare.sqlite-shm", "revshare.sqlite-journal"] {
            let result = try RevShareExecutable.run(["export", "hledger", "--output", name], in: directory.path)
            #expect(result.status == 64, "\(name)")
            #expect(result.stderr == "\(name): is the database revshare is using (or one of its files); choose another output file\n")
        }
        let spelledOtherwise = try RevShareExecutable.run(
            ["--db", directory.file("revshare.sqlite"), "balance", "--output", "\(directory.path)/./revshare.sqlite"], in: "/")
        #expect(spelledOtherwise.status == 64)
        #expect(spelledOtherwise.stderr.hasSuffix(": is the database revshare is using (or one of its files); choose another output file\n"))
        try FileManager.default.linkItem(atPath: directory.file("revshare.sqlite"), toPath: directory.file("hard-link"))
        let hardLink = try RevShareExecutable.run(["journal", "--output", "hard-link"], in: directory.path)
        #expect(hardLink.status == 64)
        #expect(try sha256sum(directory.file("revshare.sqlite")) == before)
        #expect(try Self.verifies(directory))
    }

    @Test func outputOverAnotherSQLiteDatabaseIsRefused() throws {
        let directory = try Self.closedJanuary("output-sqlite")
        _ = try sqlite3(directory.file("other.db"), "CREATE TABLE t(x); INSERT INTO t VALUES (42);", readOnly: false)
        let result = try RevShareExecutable.run(["statement", "--partner", "aws", "--period", "2025-01", "--output", "other.db"],
                                                in: directory.path)
        #expect(result.status == 64)
        #expect(result.stderr == "other.db: is an SQLite database; revshare never writes a report over one\n")
        #expect(try sqlite3(directory.file("other.db"), "SELECT x FROM t") == "42\n")
    }

    @Test func outputPathsThatAreNotFiles() throws {
        let directory = try Self.closedJanuary("output-paths")
        let empty = try RevShareExecutable.run(["balance", "--output", ""], in: directory.path)
        #expect(empty.status == 64)
        #expect(empty.stderr == "--output: the path is empty; give a file name, or - for standard output\n")
        try FileManager.default.createDirectory(atPath: directory.file("reports"), withIntermediateDirectories: false)
        let folder = try RevShareExecutable.run(["balance", "--as-of", "2025-01-31", "--output", "reports"], in: directory.path)
        #expect(folder.status == 64)
        #expect(folder.stderr == "reports: is a directory; --output takes a file name\n")
        let dash = try RevShareExecutable.run(["balance", "--as-of", "2025-01-31", "--output", "-"], in: directory.path)
        let plain = try RevShareExecutable.run(["balance", "--as-of", "2025-01-31"], in: directory.path)
        #expect(dash.status == 0 && dash.stdout == plain.stdout && !plain.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: directory.file("-")))
    }

    @Test func aDeviceNodeIsWrittenInPlaceNeverReplaced() throws {
        let directory = try Self.closedJanuary("output-device")
        // A private copy of /dev/null (needs root, as CI runs); never the machine's own node.
        guard try runTool("/usr/bin/mknod", [directory.file("null"), "c", "1", "3"]).status == 0 else { return }
        let result = try RevShareExecutable.run(["journal", "--output", "null"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("null"))
        #expect(attributes[.type] as? FileAttributeType == .typeCharacterSpecial)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains("partial") }.isEmpty)
    }

    @Test func anExistingOutputFileKeepsItsMode() throws {
        let directory = try Self.closedJanuary("output-mode")
        directory.write("books.journal", "old\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory.file("books.journal"))
        let result = try RevShareExecutable.run(["export", "hledger", "--output", "books.journal"], in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.file("books.journal"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: directory.file("books.journal"), encoding: .utf8).contains("assets:receivable:aws"))
    }

    @Test func statementsAreWrittenAllOrNone() throws {
        let directory = try Self.closedJanuary("output-dir")
        // groq has a statement too (no usage); its file name is taken by a directory.
        try FileManager.default.createDirectory(atPath: directory.file("out/groq-2025-01.txt"), withIntermediateDirectories: true)
        let refused = try RevShareExecutable.run(["statements", "--period", "2025-01", "--output-dir", "out"], in: directory.path)
        #expect(refused.status == 64, "\(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")) == ["groq-2025-01.txt"])
        try FileManager.default.removeItem(atPath: directory.file("out/groq-2025-01.txt"))
        let written = try RevShareExecutable.run(["statements", "--period", "2025-01", "--output-dir", "out"], in: directory.path)
        #expect(written.status == 0)
        #expect(written.stdout == "out/aws-2025-01.txt\nout/groq-2025-01.txt\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.file("out")).sorted() == ["aws-2025-01.txt", "groq-2025-01.txt"])
    }

    @Test func aFailedWriteToStandardOutputIsOneLineAndExit74() throws {
        let directory = try Self.closedJanuary("stdout-full")
        for command in ["\"$REVSHARE\" balance --as-of 2025-01-31 > /dev/full", "\"$REVSHARE\" verify >&-",
                        "\"$REVSHARE\" statement --partner aws --period 2025-01 --format json > /dev/full"] {
            let result = try runShell(command, in: directory.path)
            #expect(result.status == 74, "\(command): \(result.stderr)")
            #expect(result.stderr.hasPrefix("standard output: could not write: "), "\(command)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
        }
    }

    @Test func anImportWhoseSummaryCannotBeWrittenSaysSo() throws {
        let directory = try Self.prepared("summary-full")
        directory.write("usage.csv", Self.usage())
        let result = try runShell("\"$REVSHARE\" import usage usage.csv > /dev/full", in: directory.path)
        #expect(result.status == 74)
        #expect(result.stderr == "standard output: could not write: No space left on device (the import was committed)\n")
        #expect(try sqlite3(directory.file("revshare.sqlite"), "SELECT count(*) FROM usage_row") == "1\n")
    }

    // MARK: - Exports and screens cannot be injected

    @Test func csvOutputsNeutraliseFormulas() throws {
        let directory = try Self.prepared("csv-formula")
        let model = "=cmd|' /C calc'!A0"
        directory.write("usage.csv", "\(Self.header)\n2025-01-03,aws,\"\(model)\",r,10,1000,2000,12.5,USD,\n")
        #expect(try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path).status == 0)
        let csv = try RevShareExecutable.run(["statement", "--partner", "aws", "--period", "2025-01", "--format", "csv"],
                                             in: directory.path)
        #expect(csv.stdout.split(separator: "\r\n").last == "aws-2025-01,aws,2025-01,USD,'=cmd|' /C calc'!A0,10,1000,2000,12.500000,1.25")
        let json = try RevShareExecutable.run(["statement", "--partner", "aws", "--period", "2025-01", "--format", "json"],
                                              in: directory.path)
        #expect(json.stdout.contains("\"model\": \"=cmd|' /C calc'!A0\""))  // JSON keeps the value as it is
    }

    @Test func screensShowControlCharactersEscaped() throws {
        let directory = try Self.prepared("screen")
        let osc52 = "\u{1B}]52;c;cm0gLXJmIH4=\u{07}"
        directory.write("usage.csv", "\(Self.header),\(osc52)\n2025-01-03,aws,m,r,1,1,1,1.0,USD,,x\n")
        let named = "u\u{1B}[31mred\u{1B}[0m.csv"
        directory.write(named, "\(Self.header)\n2025-01-04,aws,m,r,1,1,1,1.0,USD,\n")
        let first = try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path)
        #expect(first.status == 0)
        #expect(!first.stdout.contains("\u{1B}") && !first.stdout.contains("\u{07}"))
        #expect(first.stdout.contains("unknown columns ignored: \\u{1b}]52;c;cm0gLXJmIH4=\\u{7}"))
        let second = try RevShareExecutable.run(["import", "usage", named, "--restate"], in: directory.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("from u\\u{1b}[31mred\\u{1b}[0m.csv"))
        #expect(!second.stdout.contains("\u{1B}"))
    }

    @Test func resolutionNotesAreStoredAsTypedAndShownEscaped() throws {
        let directory = try Self.closedJanuary("notes")
        let reconcile = try RevShareExecutable.run(["reconcile", "--period", "2025-01", "--as-of", "2025-06-30", "--format", "json"],
                                                   in: directory.path)
        let id = try #require(reconcile.stdout.split(separator: "\"").first { $0.hasPrefix("D-") }.map(String.init))
        let note = "checked \u{1B}[2J with the partner\u{202E}"
        let resolved = try RevShareExecutable.run(["resolve", id, "--note", note], in: directory.path)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        #expect(resolved.stdout.hasSuffix("checked \\u{1b}[2J with the partner\\u{202e}\n"))
        #expect(try sqlite3(directory.file("revshare.sqlite"), "SELECT hex(note) FROM discrepancy_resolution")
            == Data(note.utf8).map { String(format: "%02X", $0) }.joined() + "\n")
        let audit = try RevShareExecutable.run(["audit", "--period", "2025-01", "--as-of", "2025-06-30"], in: directory.path)
        #expect(audit.stdout.contains("checked \\u{1b}[2J with the partner\\u{202e}"))
        #expect(!audit.stdout.contains("\u{1B}") && !audit.stdout.contains("\u{202E}"))
    }

    @Test(arguments: [
        ("llama-3.1-8b-instruct\u{200B}", "U+200B (character 22)"),
        ("llama\u{202E}tcurtsni", "U+202E (character 6)"),
        ("llama\u{85}8b", "U+0085 (character 6)"),
        ("\u{FEFF}llama", "U+FEFF (character 1)"),
        ("llama\u{2066}x", "U+2066 (character 6)"),
    ])
    func invisibleCharactersInAModelAreRefused(model: String, found: String) throws {
        let directory = try Self.prepared("invisible")
        directory.write("usage.csv", Self.usage(model: model))
        let result = try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path)
        #expect(result.status == 65)
        #expect(result.stderr.contains("usage.csv:2: model: "), "\(result.stderr)")
        #expect(result.stderr.contains("holds \(found), an invisible control or format character; text fields may not"), "\(result.stderr)")
        #expect(try sqlite3(directory.file("revshare.sqlite"), "SELECT count(*) FROM usage_row") == "0\n")
    }

    @Test func lineBreaksAreRefusedInModelsAndPaymentIDsButKeptInRegions() throws {
        let directory = try Self.prepared("line-breaks")
        directory.write("model.csv", Self.usage(model: "\"llama\nfake line\""))
        let model = try RevShareExecutable.run(["import", "usage", "model.csv"], in: directory.path)
        #expect(model.status == 65)
        #expect(model.stderr.hasPrefix("model.csv:2: model: \"llama\\u{a}fake line\" holds a line break (byte 10 at offset 5); this column may not\n"))
        directory.write("payments.csv", "payment_id,partner,received_on,amount,currency\n\"P-1\r\nP-2\",aws,2025-02-10,1.00,USD\n")
        let payment = try RevShareExecutable.run(["import", "payments", "payments.csv"], in: directory.path)
        #expect(payment.status == 65)
        #expect(payment.stderr.hasPrefix("payments.csv:2: payment_id: \"P-1\\u{d}\\u{a}P-2\" holds a line break (byte 13 at offset 3); this column may not\n"))
        directory.write("region.csv", Self.usage(region: "\"us-east-1\u{2028}b\""))
        #expect(try RevShareExecutable.run(["import", "usage", "region.csv"], in: directory.path).status == 0)
    }

    // MARK: - Nothing can break the ledger for good

    @Test func paymentsThatWouldOverflowABalanceAreRefused() throws {
        let directory = try Self.prepared("payment-overflow")
        directory.write("payments.csv", """
            payment_id,partner,received_on,amount,currency
            P-1,groq,2025-02-10,5000000000000000000,JPY
            P-2,groq,2025-02-11,5000000000000000000,JPY

            """)
        let result = try RevShareExecutable.run(["import", "payments", "payments.csv"], in: directory.path)
        #expect(result.status == 65)
        #expect(result.stderr == """
            payments.csv: amount: payments of partner groq would total 10000000000000000000 minor units of JPY, more than a ledger balance can hold (9223372036854775807); nothing was imported
            payments.csv: amount: payments in JPY would total 10000000000000000000 minor units across partners, more than the bank account's balance can hold (9223372036854775807); nothing was imported
            nothing was imported: fix the file and import it again

            """)
        #expect(try sqlite3(directory.file("revshare.sqlite"), "SELECT count(*) FROM payment") == "0\n")
        // One at a time, the second still cannot pass.
        directory.write("first.csv", "payment_id,partner,received_on,amount,currency\nP-1,groq,2025-02-10,5000000000000000000,JPY\n")
        directory.write("second.csv", "payment_id,partner,received_on,amount,currency\nP-2,groq,2025-02-11,5000000000000000000,JPY\n")
        #expect(try RevShareExecutable.run(["import", "payments", "first.csv"], in: directory.path).status == 0)
        #expect(try RevShareExecutable.run(["import", "payments", "second.csv"], in: directory.path).status == 65)
        for command in [["verify"], ["balance", "--as-of", "2025-12-31"], ["reconcile", "--period", "2025-01"]] {
            #expect(try RevShareExecutable.run(command, in: directory.path).status == 0, "\(command)")
        }
    }

    @Test func closingAPeriodThatHasNotEndedNeedsTheFlag() throws {
        let directory = try Self.prepared("future-close")
        let refused = try RevShareExecutable.run(["close", "2099-12"], in: directory.path)
        #expect(refused.status == 65)
        #expect(refused.stderr.hasPrefix("cannot close 2099-12: it has not ended yet (its last day is 2099-12-31, today is "))
        #expect(refused.stderr.hasSuffix(" UTC); a close is final and locks every period up to it: pass --before-period-end if you mean it\n"))
        #expect(try sqlite3(directory.file("revshare.sqlite"), "SELECT count(*) FROM closed_period") == "0\n")
        let meant = try RevShareExecutable.run(["close", "2099-12", "--before-period-end"], in: directory.path)
        #expect(meant.status == 0, "\(meant.stderr)")
    }

    @Test func aDatabaseFromANewerRevshareIsNotWritten() throws {
        let directory = try Self.closedJanuary("newer-schema")
        _ = try sqlite3(directory.file("revshare.sqlite"), "INSERT INTO grdb_migrations VALUES ('9999_future')", readOnly: false)
        let before = try sha256sum(directory.file("revshare.sqlite"))
        let message = "revshare.sqlite: was made by a newer revshare (migrations 9999_future are unknown to this build); it is not written: upgrade revshare\n"
        for command in [["init"], ["close", "2025-02"], ["import", "usage", "usage.csv"]] {
            let result = try RevShareExecutable.run(command, in: directory.path)
            #expect(result.status == 65, "\(command)")
            #expect(result.stderr == message, "\(command)")
        }
        #expect(try sha256sum(directory.file("revshare.sqlite")) == before)
        #expect(try RevShareExecutable.run(["balance", "--as-of", "2025-01-31"], in: directory.path).status == 0)
    }

    @Test func reportsNeverWriteToAFileWithoutRevsharesSchema() throws {
        let directory = TemporaryDirectory("foreign")
        _ = try sqlite3(directory.file("other.db"), "CREATE TABLE notes(x); INSERT INTO notes VALUES ('keep')", readOnly: false)
        directory.write("empty.db", "")
        directory.write("text.db", "not a database\n")
        let otherBefore = try sha256sum(directory.file("other.db"))
        for command in ["verify", "balance", "periods", "journal", "partners"] {
            let foreign = try RevShareExecutable.run(["--db", "other.db", command], in: directory.path)
            #expect(foreign.status == 66, "\(command)")
            #expect(foreign.stderr == "other.db: is another program's database (tables notes), not revshare's; revshare never writes to it: create a revshare database with `revshare init --db NEW-PATH`\n")
            let empty = try RevShareExecutable.run(["--db", "empty.db", command], in: directory.path)
            #expect(empty.status == 66, "\(command)")
            #expect(empty.stderr == "empty.db: holds no revshare database yet; create one with `revshare init`\n")
            let text = try RevShareExecutable.run(["--db", "text.db", command], in: directory.path)
            #expect(text.status == 66, "\(command)")
            #expect(text.stderr == "text.db: is not an SQLite database, so not a revshare database; create one with `revshare init --db NEW-PATH`\n")
        }
        let initForeign = try RevShareExecutable.run(["--db", "other.db", "init"], in: directory.path)
        #expect(initForeign.status == 65)
        #expect(try sha256sum(directory.file("other.db")) == otherBefore)
        #expect(try FileManager.default.attributesOfItem(atPath: directory.file("empty.db"))[.size] as? Int == 0)
        #expect(!FileManager.default.fileExists(atPath: directory.file("empty.db-wal")))
    }

    @Test func aTableNameClashIsNamed() throws {
        let directory = try Self.prepared("clash")
        let db = directory.file("revshare.sqlite")
        // A database as an earlier revshare left it, with a table of its own in the way.
        _ = try sqlite3(db, """
            DROP TABLE discrepancy_resolution; DROP TABLE discrepancy; DROP TABLE reconcile_run;
            DELETE FROM grdb_migrations WHERE identifier = '0005_reconcile';
            CREATE TABLE reconcile_run (mine TEXT);
            """, readOnly: false)
        let result = try RevShareExecutable.run(["init"], in: directory.path)
        #expect(result.status == 65)
        #expect(result.stderr == "revshare.sqlite: cannot bring the schema up to date: table reconcile_run already exists; a table or index of that name was made outside revshare, which never replaces it\n")
    }

    @Test func anArchivedDatabaseInAReadOnlyDirectoryCanBeRead() throws {
        let directory = try Self.closedJanuary("archive")
        let archive = directory.file("archive")
        try FileManager.default.createDirectory(atPath: archive, withIntermediateDirectories: false)
        _ = try sqlite3(directory.file("revshare.sqlite"), "PRAGMA wal_checkpoint(TRUNCATE)", readOnly: false)
        try FileManager.default.copyItem(atPath: directory.file("revshare.sqlite"), toPath: "\(archive)/revshare.sqlite")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: archive)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: archive) }
        // Root writes anywhere: read as an ordinary user, as an auditor would.
        let asUser = getuid() == 0 ? "/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups " : ""
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        let result = try runShell("\(asUser)\"$REVSHARE\" --db archive/revshare.sqlite verify", in: directory.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("verify: OK: "))
    }

    // MARK: - Nothing hangs

    @Test func anEndlessInputStopsAtTheFirstUnrecoverableError() throws {
        let directory = try Self.prepared("endless")
        let result = try runShell("\"$REVSHARE\" import usage /dev/zero", in: directory.path, seconds: 30)
        #expect(result.status == 65, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("/dev/zero:1: "), "\(result.stderr)")
        // The write lock was let go at once: another writer goes through.
        directory.write("usage.csv", Self.usage())
        #expect(try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path).status == 0)
    }

    // MARK: - Messages that tell the truth

    @Test func anUnknownCommandIsNamed() throws {
        let result = try RevShareExecutable.run(["--db", "x.sqlite", "frobnicate"], in: TemporaryDirectory("unknown").path)
        #expect(result.status == 64)
        #expect(result.stderr.hasPrefix("Error: unknown command 'frobnicate'; the commands are: init, agreements, "))
    }

    @Test func environmentAndNoteLimitsAreChecked() throws {
        let directory = try Self.closedJanuary("limits")
        let busy = try RevShareExecutable.run(["import", "usage", "usage.csv"], in: directory.path,
                                              environment: ["REVSHARE_BUSY_TIMEOUT_SECONDS": "abc"])
        #expect(busy.status == 64)
        #expect(busy.stderr == "REVSHARE_BUSY_TIMEOUT_SECONDS=\"abc\": give whole seconds from 0 to 3600\n")
        let long = try RevShareExecutable.run(["resolve", "D-0000000000000000", "--note", String(repeating: "é", count: 4001)],
                                              in: directory.path)
        #expect(long.status == 65)
        #expect(long.stderr == "--note is 4001 characters long; a resolution note has at most 4000: shorten it and keep the details in a document it names\n")
    }

    @Test func closedStandardInputIsOneMessage() throws {
        let directory = try Self.prepared("closed-stdin")
        let result = try runShell("\"$REVSHARE\" import usage - <&-", in: directory.path)
        #expect(result.status == 66)
        #expect(result.stderr == "<stdin>: standard input is closed; give a file, or send the CSV into revshare with a pipe or <\n")
    }

    @Test func amountMessagesSayWhatIsWrong() throws {
        let directory = try Self.prepared("amounts")
        directory.write("payments.csv", """
            payment_id,partner,received_on,amount,currency
            P-1,aws,2025-02-10,-0,USD
            P-2,groq,2025-02-10,100.5,JPY
            P-3,aws,2025-02-10,-0.01,USD

            """)
        let result = try RevShareExecutable.run(["import", "payments", "payments.csv"], in: directory.path)
        #expect(result.stderr == """
            payments.csv:2: amount: "-0" must be greater than zero
            payments.csv:3: amount: "100.5" has fractional digits, but the currency has no fractional digits (never rounded)
            payments.csv:4: amount: "-0.01" is negative; it must be > 0
            nothing was imported: fix the file and import it again

            """)
    }

    @Test func yamlDuplicatesPointAtTheRepetitionAndTagsAreRefused() throws {
        let directory = try Self.prepared("yaml")
        directory.write("dup.yaml", """
            partners:
              - id: aws
                name: A
                currency: USD
                name: B

            """)
        let duplicate = try RevShareExecutable.run(["agreements", "load", "dup.yaml"], in: directory.path)
        #expect(duplicate.status == 65)
        #expect(duplicate.stderr.hasPrefix("dup.yaml:5:5: duplicate key \"name\" in one mapping (first on line 3); each key may appear once\n"))
        directory.write("tag.yaml", "partners: !custom []\n")
        let tagged = try RevShareExecutable.run(["agreements", "load", "tag.yaml"], in: directory.path)
        #expect(tagged.status == 65)
        #expect(tagged.stderr.hasPrefix("tag.yaml:1:11: the YAML tag \"!custom\" is not allowed; agreements are plain values, write them without tags\n"))
    }
}
