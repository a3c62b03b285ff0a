import ArgumentParser
import Foundation
import RevShareCore
import RevShareDomain
import RevShareImport
import RevShareReconcile
import RevShareReports
import RevShareSamples
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
        let samples = try SampleFiles.locate()
        let directory = try prepareDirectory()
        let databasePath = (directory as NSString).appendingPathComponent("revshare.sqlite")
        try Console.line("revshare demo: building sample books from \(samples.root)")
        try Console.line("  database \(databasePath)\n")

        let store = try Store.open(path: databasePath, create: true)
        var run = DemoRun(store: store, samples: samples)
        try run.build()

        try Console.line()
        try run.printStatement()
        try run.printSummary()
        let verified = try run.printReconciliation()
        try run.printTryNext(databasePath: databasePath, directory: directory)
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

/// One demo build: every step calls the library and prints one line.
struct DemoRun {
    let store: Store
    let samples: SampleFiles
    private(set) var closes: [SampleBooks.ClosedPeriod] = []

    init(store: Store, samples: SampleFiles) {
        self.store = store
        self.samples = samples
    }

    mutating func build() throws {
        closes = try SampleBooks.build(samples, store: store, today: Today.utc) { what, subject, outcome in
            try Console.line("  " + what.padding(toLength: 12, withPad: " ", startingAt: 0) + subject + ": " + outcome)
        }
    }


    /// The statement that shows the most: the first one issued with a prior-period adjustment,
    /// else the first of the last close. Printed as `revshare statement` prints it.
    func printStatement() throws {
        guard let chosen = shownStatement else { return }
        let found = try StatementQuery.statement(partnerID: chosen.partnerID, period: chosen.period, store: store)
        try Console.line(StatementRenderer.text(found.statement))
    }

    var shownStatement: Statement? {
        let issued = closes.flatMap(\.statements)
        return issued.first(where: { !$0.adjustments.isEmpty }) ?? closes.last?.statements.first
    }

    func printSummary() throws {
        try Console.line("STATEMENTS ISSUED")
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
        try Console.line(table.rendered(indent: "  "))
    }

    /// The day the demo reconciles as of: after every sample statement's due date, so the
    /// planted payment discrepancies show (Samples/README.md lists them for this date).
    static let reconcileAsOf = CivilDate(year: 2025, month: 6, day: 30)!

    /// Reconciles every closed period and prints what it finds; false when verify fails.
    func printReconciliation() throws -> Bool {
        try Console.line("RECONCILIATION as of \(Self.reconcileAsOf) (revshare reconcile --period P --as-of \(Self.reconcileAsOf))")
        var integrityHolds = true
        for close in closes {
            let report = try Reconciler.reconcile(period: close.period, asOf: Self.reconcileAsOf, store: store)
            integrityHolds = integrityHolds && !report.listed.contains { $0.discrepancy.kind == .ledgerIntegrity }
            let body = ReconcileRenderer.text(report).split(separator: "\n").dropFirst()
            try Console.line("  \(close.period):")
            try Console.line(body.map { "  " + $0 }.joined(separator: "\n") + "\n")
        }
        let verification = try IntegrityCheck.run(store: store)
        try Console.line(VerifyRenderer.text(verification))
        return integrityHolds && verification.passed
    }

    func printTryNext(databasePath: String, directory: String) throws {
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
        try Console.line("TRY NEXT")
        for suggestion in suggestions where available.contains(suggestion.command) {
            try Console.line("  revshare --db \(db) \(suggestion.line)")
        }
        try Console.line("  (\(samples.file("README.md")) lists every discrepancy planted in the samples)")
    }

    static func shellQuoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || "/._-+=:,@".contains($0) }
        return plain ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
