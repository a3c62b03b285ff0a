import ArgumentParser
import Foundation
import RevShareCore
import RevShareDomain
import RevShareImport
import RevShareReconcile
import RevShareReports
import RevShareStore

/// `revshare demo [--dir DIR]`: the sample books of `Samples/` built end to end through the
/// library (no child processes): init, agreements, usage, payments, meter, the closes with the
/// restatement between them; then one statement, a summary and what to try next.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a database from Samples/ and print a statement and a summary.",
        discussion: """
            Loads Samples/agreements.yaml, imports every usage file, the payments and the meter, \
            closes each period with usage in order (importing Samples/restatements/ with --restate \
            after the period they restate is closed), then prints one statement, the statements \
            issued per period and the reconciliation of each closed period as of 2025-06-30. Samples/ is looked for in the current directory, \
            the executable's directory and every directory above them (exit 66 when not found). \
            The database is DIR/revshare.sqlite; DIR defaults to a new temporary directory and must \
            not already hold a revshare.sqlite.
            """)

    @Option(help: "Build the demo database in this directory (created if needed; default: a new temporary directory).")
    var dir: String?

    func run() throws {
        let samples = try DemoSamples.locate()
        let directory = try prepareDirectory()
        let databasePath = (directory as NSString).appendingPathComponent("revshare.sqlite")
        print("revshare demo: building sample books from \(samples.root)")
        print("  database \(databasePath)\n")

        let store = try Store.open(path: databasePath, create: true)
        var run = DemoRun(store: store, samples: samples)
        try run.build()

        print("")
        try run.printStatement()
        try run.printSummary()
        let verified = try run.printReconciliation()
        run.printTryNext(databasePath: databasePath, directory: directory)
        if !verified { throw ExitCode(1) }
    }

    private func prepareDirectory() throws -> String {
        let manager = FileManager.default
        let path: String
        if let dir {
            path = URL(fileURLWithPath: dir).standardizedFileURL.path
        } else {
            path = manager.temporaryDirectory.appendingPathComponent("revshare-demo-\(UUID().uuidString.prefix(8).lowercased())").path
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Refusal(.invalidInput, "--dir \(path): is a file, not a directory; give a directory for the demo database")
        }
        do {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw Refusal(.databaseIO, "--dir \(path): cannot create the directory: \(error.localizedDescription)")
        }
        let database = (path as NSString).appendingPathComponent("revshare.sqlite")
        if manager.fileExists(atPath: database) {
            throw Refusal(.invalidInput, "--dir \(path): already holds revshare.sqlite; the demo builds a fresh database, so give an empty or new directory (or remove that file)")
        }
        return path
    }
}

/// The sample files, found by walking up from the current directory and from the executable.
struct DemoSamples {
    /// The `Samples` directory (absolute).
    let root: String
    /// How files are named in messages and in the import records: relative to the current
    /// directory when the samples lie below it, else absolute.
    let displayPrefix: String

    var agreements: String { file("agreements.yaml") }
    var payments: String { file("payments.csv") }
    var meter: String { file("meter.csv") }

    func file(_ relative: String) -> String { displayPrefix + relative }

    /// The usage files in import order: by the first period the name says they cover
    /// (`…-2025-01.csv` is 2025-01, `…-2025Q1.csv` starts at 2025-01), then by name.
    func usageFiles() throws -> [String] {
        try csvFiles(in: "usage")
            .sorted { (Self.firstPeriod(in: $0) ?? "9999-99", $0) < (Self.firstPeriod(in: $1) ?? "9999-99", $1) }
            .map { file("usage/" + $0) }
    }

    /// The restatements with the period each restates (from its name, `<partner>-YYYY-MM-restated.csv`).
    func restatements() throws -> [(file: String, period: Period?)] {
        try csvFiles(in: "restatements").sorted().map { name in
            (file("restatements/" + name), Self.firstPeriod(in: name).flatMap { Period($0) })
        }
    }

    private func csvFiles(in subdirectory: String) throws -> [String] {
        let path = (root as NSString).appendingPathComponent(subdirectory)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasSuffix(".csv") }
        } catch {
            throw Refusal(.notFound, "\(path): cannot list the directory: \(error.localizedDescription)")
        }
    }

    /// The first `YYYY-MM` in a file name, or the first month of a `YYYYQn`.
    static func firstPeriod(in name: String) -> String? {
        let characters = Array(name)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= characters.count && characters[range].allSatisfy(\.isASCII) && characters[range].allSatisfy(\.isNumber)
        }
        for start in characters.indices where digits(start..<start + 4) {
            let year = String(characters[start..<start + 4])
            let rest = start + 4
            if rest + 2 < characters.count, characters[rest] == "-", digits(rest + 1..<rest + 3),
               let period = Period("\(year)-\(String(characters[rest + 1..<rest + 3]))") {
                return period.description
            }
            if rest + 1 < characters.count, characters[rest] == "Q", let quarter = Int(String(characters[rest + 1])),
               (1...4).contains(quarter) {
                return Period(year: Int(year)!, month: (quarter - 1) * 3 + 1)?.description
            }
        }
        return nil
    }

    static func locate() throws -> DemoSamples {
        let manager = FileManager.default
        let current = URL(fileURLWithPath: manager.currentDirectoryPath).standardizedFileURL
        var starts = [current]
        if let executable = Bundle.main.executableURL { starts.append(executable.resolvingSymlinksInPath().deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first, first.contains("/") {
            starts.append(URL(fileURLWithPath: first, relativeTo: current).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        for start in starts {
            var directory = start.standardizedFileURL
            while true {
                let candidate = directory.appendingPathComponent("Samples")
                if manager.fileExists(atPath: candidate.appendingPathComponent("agreements.yaml").path) {
                    let root = candidate.path
                    let base = current.path.hasSuffix("/") ? current.path : current.path + "/"
                    let relative = root.hasPrefix(base) ? String(root.dropFirst(base.count)) : root
                    return DemoSamples(root: root, displayPrefix: relative + "/")
                }
                let parent = directory.deletingLastPathComponent().standardizedFileURL
                if parent.path == directory.path { break }
                directory = parent
            }
        }
        throw Refusal(.notFound, """
            revshare demo: cannot find Samples/agreements.yaml in \(current.path), next to the revshare \
            executable, or in any directory above them; run the demo from the revshare repository \
            (e.g. `swift run revshare demo` in its root), or regenerate the samples with scripts/generate-samples
            """)
    }
}

/// One demo build: every step calls the library and prints one line.
struct DemoRun {
    let store: Store
    let samples: DemoSamples
    private(set) var closes: [(period: Period, statements: [Statement])] = []

    init(store: Store, samples: DemoSamples) {
        self.store = store
        self.samples = samples
    }

    mutating func build() throws {
        let agreements = try AgreementLoader.load(path: samples.agreements, into: store)
        step("agreements", samples.agreements,
             "\(agreements.partnerCount) partners, \(agreements.agreementCount) agreements")

        var periods = Set<Period>()
        for file in try samples.usageFiles() {
            let summary = try UsageImporter.run(InputFile(argument: file), restate: false, store: store)
            periods.formUnion(summary.reports.map(\.period))
            step("usage", file, Self.describe(summary))
        }
        let payments = try PaymentsImporter.run(InputFile(argument: samples.payments), store: store)
        step("payments", samples.payments, "\(payments.newRecords) payments")
        let meter = try MeterImporter.run(InputFile(argument: samples.meter), store: store)
        step("meter", samples.meter, "\(meter.rows) rows, \(Set(meter.reports.map(\.partnerID)).count) partners")

        guard var period = periods.min(), let last = periods.max() else {
            throw Refusal(.invalidInput, "\(samples.root)/usage: no usage rows to close; regenerate the samples with scripts/generate-samples")
        }
        var restatements = try samples.restatements()
        while true {
            switch try PeriodClose.close(period, store: store) {
            case .closed(let statements):
                closes.append((period, statements))
                step("close", period.description, "\(statements.count) statements issued")
            case .alreadyClosed:
                step("close", period.description, "already closed")
            }
            // A restatement is imported once the period it restates is closed; the next close
            // bills the difference as a prior-period adjustment.
            for restatement in restatements where restatement.period.map({ $0 <= period }) ?? true {
                let summary = try UsageImporter.run(InputFile(argument: restatement.file), restate: true, store: store)
                step("restatement", restatement.file, Self.describe(summary))
            }
            restatements.removeAll { $0.period.map { $0 <= period } ?? true }
            guard period < last, let next = period.next else { break }
            period = next
        }
        for restatement in restatements {  // of a period the demo does not close: imported last
            let summary = try UsageImporter.run(InputFile(argument: restatement.file), restate: true, store: store)
            step("restatement", restatement.file, Self.describe(summary))
        }
    }

    private static func describe(_ summary: ImportSummary) -> String {
        let reports = summary.reports.map { report in
            "\(report.partnerID) \(report.period)" + (report.replaced == nil ? "" : " (restated)")
        }
        return "\(summary.rows) rows: " + reports.joined(separator: ", ")
    }

    private func step(_ what: String, _ subject: String, _ outcome: String) {
        print("  " + what.padding(toLength: 12, withPad: " ", startingAt: 0) + subject + ": " + outcome)
    }

    /// The statement that shows the most: the first one issued with a prior-period adjustment,
    /// else the first of the last close. Printed as `revshare statement` prints it.
    func printStatement() throws {
        guard let chosen = shownStatement else { return }
        let found = try StatementQuery.statement(partnerID: chosen.partnerID, period: chosen.period, store: store)
        print(StatementRenderer.text(found.statement))
    }

    var shownStatement: Statement? {
        let issued = closes.flatMap(\.statements)
        return issued.first(where: { !$0.adjustments.isEmpty }) ?? closes.last?.statements.first
    }

    func printSummary() throws {
        print("STATEMENTS ISSUED")
        var table = TextTable([("period", .left), ("currency", .left), ("statements", .right), ("share", .right),
                               ("true-up", .right), ("adjustments", .right), ("charges", .right)])
        for close in closes {
            let byCurrency = Dictionary(grouping: close.statements, by: \.currency).sorted { $0.key.code < $1.key.code }
            for (currency, statements) in byCurrency {
                let sum = { (value: (Statement) -> Int64) in
                    Money.format(minor: statements.reduce(0) { $0 + value($1) }, currency: currency)
                }
                table.add([close.period.description, currency.code, String(statements.count), sum(\.shareMinor),
                           sum(\.minimumTrueUpMinor), sum(\.adjustmentsMinor), sum(\.chargesMinor)])
            }
        }
        print(table.rendered(indent: "  "))
    }

    /// The day the demo reconciles as of: after every sample statement's due date, so the
    /// planted payment discrepancies show (Samples/README.md lists them for this date).
    static let reconcileAsOf = CivilDate(year: 2025, month: 6, day: 30)!

    /// Reconciles every closed period and prints what it finds; false when verify fails.
    func printReconciliation() throws -> Bool {
        print("RECONCILIATION as of \(Self.reconcileAsOf) (revshare reconcile --period P --as-of \(Self.reconcileAsOf))")
        var integrityHolds = true
        for close in closes {
            let report = try Reconciler.reconcile(period: close.period, asOf: Self.reconcileAsOf, store: store)
            integrityHolds = integrityHolds && !report.listed.contains { $0.discrepancy.kind == .ledgerIntegrity }
            let body = ReconcileRenderer.text(report).split(separator: "\n").dropFirst()
            print("  \(close.period):")
            print(body.map { "  " + $0 }.joined(separator: "\n") + "\n")
        }
        let verification = try IntegrityCheck.run(store: store)
        print(VerifyRenderer.text(verification))
        return integrityHolds && verification.passed
    }

    func printTryNext(databasePath: String, directory: String) {
        let available = Set(RevShare.configuration.subcommands.map { $0._commandName })
        let db = Self.shellQuoted(databasePath)
        let partner = shownStatement?.partnerID ?? "aws"
        let period = shownStatement?.period.description ?? closes.last?.period.description ?? "2025-01"
        let lastPeriod = closes.last?.period.description ?? period
        let latestDue = closes.flatMap(\.statements).map(\.dueDate).max()
        let asOf = latestDue.flatMap { Period(year: $0.year, month: $0.month)?.next?.lastDay.description } ?? "2025-06-30"
        let suggestions: [(command: String, line: String)] = [
            ("statement", "statement --partner \(partner) --period \(period) --format json"),
            ("statements", "statements --period \(lastPeriod) --output-dir \(Self.shellQuoted((directory as NSString).appendingPathComponent("statements")))"),
            ("partners", "partners"),
            ("periods", "periods"),
            ("reconcile", "reconcile --period \(period) --as-of \(asOf) --format json"),
            ("audit", "audit --period \(period) --as-of \(asOf)"),
            ("balance", "balance --as-of \(asOf)"),
            ("journal", "journal --period \(period)"),
            ("export", "export hledger --output \(Self.shellQuoted((directory as NSString).appendingPathComponent("books.journal")))"),
            ("verify", "verify"),
        ]
        print("TRY NEXT")
        for suggestion in suggestions where available.contains(suggestion.command) {
            print("  revshare --db \(db) \(suggestion.line)")
        }
        print("  (\(samples.file("README.md")) lists every discrepancy planted in the samples)")
    }

    static func shellQuoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@".contains($0) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
