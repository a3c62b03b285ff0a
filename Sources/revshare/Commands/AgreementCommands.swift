import ArgumentParser
import RevShareCore
import RevShareImport
import RevShareReports
import RevShareStore

struct Agreements: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the partners' revenue-share agreements.",
        subcommands: [AgreementsLoad.self])
}

struct AgreementsLoad: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load an agreements YAML file: the full desired set of partners and agreements.",
        discussion: """
            The file replaces what is stored; loading the same content again changes nothing. \
            Anything that governs a closed period cannot change. Every load is recorded (file, \
            SHA-256, time) for the audit report. Exit 65 lists every problem; nothing is written.
            """)

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The agreements YAML file, or - for standard input.")
    var file: String

    func run() throws {
        let store = try database.openStore()
        let summary = try AgreementLoader.load(path: file, into: store)
        try Console.out(AgreementLoadRenderer.text(summary), committed: "the agreements were loaded")
    }
}

struct Partners: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the partners and their agreements.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { try output.validate(allowing: [.text, .json]) }

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStoreForReading()
        let partners = try store.read("read the partners") { try $0.partners() }
        try target.write(output.format == .json ? PartnersRenderer.json(partners) : PartnersRenderer.text(partners), screen: output.format == .text)
    }
}
