import ArgumentParser
import RevShareCore
import RevShareDomain
import RevShareReports
import RevShareStore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create the database, or bring its schema up to date (idempotent).")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let store = try database.openStore(create: true)
        let entries = try store.read("count entries") { try $0.entryCount() }
        try Console.line("revshare database ready at \(TerminalText.escaped(store.path)) (\(entries) ledger entries)")
    }
}

struct Balance: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Trial balance: every account's balance from entries dated on or before --as-of.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("as-of"), help: "Count entries dated on or before this day, YYYY-MM-DD (default: today, UTC).")
    var asOf: CivilDate?

    func validate() throws { try output.validate(allowing: [.text, .json]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStoreForReading()
        let day = asOf ?? Today.utc
        let balances = try store.read("read balances") { try $0.balances(asOf: day) }
        try target.write(output.format == .json ? BalanceRenderer.json(balances, asOf: day) : BalanceRenderer.text(balances, asOf: day), screen: output.format == .text)
    }
}

struct Journal: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Journal entries with their postings, in chain order (text is hledger syntax).")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only entries dated in this period, YYYY-MM.")
    var period: Period?

    func validate() throws { try output.validate(allowing: [.text, .json]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStoreForReading()
        let dates = period.map { $0.firstDay...$0.lastDay }
        let entries = try store.read("read the journal") { try $0.entries(dated: dates) }
        try target.write(output.format == .json ? JournalRenderer.json(entries) : JournalRenderer.hledger(entries), screen: output.format == .text)
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Recompute the hash chain and every ledger invariant; exit 1 naming each failure.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.validate(allowing: [.text, .json]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStoreForReading()
        let report = try IntegrityCheck.run(store: store)
        try target.write(output.format == .json ? VerifyRenderer.json(report) : VerifyRenderer.text(report), screen: output.format == .text)
        if !report.passed { throw ExitCode(1) }
    }
}
