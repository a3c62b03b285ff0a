import ArgumentParser
import Foundation
import RevShareCore
import RevShareImport
import RevShareReports
import RevShareStore

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import partners' usage reports, payments, or the licensor's meter (all or nothing).",
        subcommands: [ImportUsage.self, ImportPayments.self, ImportMeter.self])
}

struct ImportUsage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "usage",
        abstract: "Import a usage report CSV; every error is listed and nothing is written if there is one.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The CSV file, or - for standard input.")
    var file: String
    @Flag(help: "Replace the existing report of each (partner, period) in the file, also for closed periods.")
    var restate = false

    func run() throws {
        let store = try database.openStore()
        let input = try InputFile.named(file)
        let progress = ProgressBar(input: input)
        let summary = try UsageImporter.run(input, restate: restate, store: store, progress: progress?.update)
        progress?.finish()
        try Console.out(ImportSummaryRenderer.text(summary), committed: ImportSummaryNote.committed(summary))
    }
}

struct ImportPayments: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payments",
        abstract: "Import a payments CSV; payments seen before with identical fields are skipped.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The CSV file, or - for standard input.")
    var file: String

    func run() throws {
        let store = try database.openStore()
        let summary = try PaymentsImporter.run(try InputFile.named(file), store: store)
        try Console.out(ImportSummaryRenderer.text(summary), committed: ImportSummaryNote.committed(summary))
    }
}

struct ImportMeter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meter",
        abstract: "Import the licensor's meter CSV; it supersedes earlier meter data for the (partner, period)s it covers.")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The CSV file, or - for standard input.")
    var file: String

    func run() throws {
        let store = try database.openStore()
        let input = try InputFile.named(file)
        let progress = ProgressBar(input: input)
        let summary = try MeterImporter.run(input, store: store, progress: progress?.update)
        progress?.finish()
        try Console.out(ImportSummaryRenderer.text(summary), committed: ImportSummaryNote.committed(summary))
    }
}

/// A one-line progress bar on stderr, only on a terminal and only for large files.
final class ProgressBar {
    static let minimumBytes: Int64 = 16 << 20
    private let totalBytes: Int64
    private let label: String

    init?(input: InputFile) {
        guard !input.isStandardInput, isatty(STDERR_FILENO) == 1,
              let size = (try? FileManager.default.attributesOfItem(atPath: input.displayName))?[.size] as? Int64,
              size >= Self.minimumBytes
        else { return nil }
        totalBytes = size
        label = input.displayName
    }

    func update(_ bytesRead: Int) {
        let percent = min(100, Int64(bytesRead) * 100 / max(totalBytes, 1))
        let filled = Int(percent / 5)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: 20 - filled)
        Console.err("\rimporting \(TerminalText.escaped(label)) [\(bar)] \(percent)%")
    }

    func finish() {
        Console.err("\r\u{1B}[K")
    }
}

enum ImportSummaryNote {
    /// What a summary that cannot be printed must still say: the import itself stands.
    static func committed(_ summary: ImportSummary) -> String? {
        if case .imported = summary.outcome { return "the import was committed" }
        return nil
    }
}

extension InputFile {
    /// The file argument, or standard input for `-`: refused at once when standard input was
    /// closed, rather than failing at the first read.
    static func named(_ argument: String) throws -> InputFile {
        let input = InputFile(argument: argument)
        if input.isStandardInput && fcntl(STDIN_FILENO, F_GETFL) & O_ACCMODE == O_WRONLY {
            throw Refusal(.notFound, "<stdin>: standard input is closed; give a file, or send the CSV into revshare with a pipe or <")
        }
        return input
    }
}
