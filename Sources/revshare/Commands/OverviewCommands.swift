import ArgumentParser
import RevShareCore
import RevShareReports
import RevShareStore

struct Periods: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Each period with usage or closed: open or closed, the partners that reported, rows and revenue.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.validate(allowing: [.text, .json]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStoreForReading()
        let periods = try store.read("read the periods") { try $0.periodOverview() }
        try target.write(output.format == .json ? PeriodsRenderer.json(periods) : PeriodsRenderer.text(periods), screen: output.format == .text)
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export the books to another tool.", subcommands: [ExportHledger.self])
}

struct ExportHledger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hledger",
        abstract: "Every journal entry in hledger/ledger-cli syntax; `hledger -f FILE bal` agrees with `revshare balance`.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Write to this file instead of standard output.")
    var output: String?

    func run() throws {
        let target = try OutputTarget(output, database: database.path)
        let store = try database.openStoreForReading()
        let sink = try OutputSink(target)
        try store.read("read the journal") { reader in
            try reader.forEachEntry { sink.write(JournalRenderer.hledger([$0])) }
        }
        try sink.finish()
    }
}
