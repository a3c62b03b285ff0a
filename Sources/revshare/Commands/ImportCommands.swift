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
        let input = InputFile(argument: file)
        let progress = ProgressBar(input: input)
        let summary = try UsageImporter.run(input, restate: restate, store: store, progress: progress?.update)
        progress?.finish()
        print(ImportSummaryRenderer.text(summary), terminator: "")
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
        let summary = try PaymentsImporter.run(InputFile(argument: file), store: store)
        print(ImportSummaryRenderer.text(summary), terminator: "")
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
        let input = InputFile(argument: file)
        let progress = ProgressBar(input: input)
        let summary = try MeterImporter.run(input, store: store, progress: progress?.update)
        progress?.finish()
        print(ImportSummaryRenderer.text(summary), terminator: "")
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
        FileHandle.standardError.write(Data("\rimporting \(label) [\(bar)] \(percent)%".utf8))
    }

    func finish() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
