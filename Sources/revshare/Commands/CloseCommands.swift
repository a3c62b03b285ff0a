import ArgumentParser
import Foundation
import RevShareCore
import RevShareDomain
import RevShareReports
import RevShareStore

struct Close: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Close a period: post every partner's charges and issue the final statements (all or nothing).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The period to close, YYYY-MM.")
    var period: Period
    @Flag(name: .customLong("before-period-end"),
          help: "Close a period whose last day has not passed yet (UTC): it is final, and locks every earlier period.")
    var beforePeriodEnd = false

    func run() throws {
        let store = try database.openStore()
        switch try PeriodClose.close(period, today: Today.utc, beforeItEnds: beforePeriodEnd, store: store) {
        case .alreadyClosed:
            try Console.out("\(period) is already closed; nothing to do\n")
        case .closed(let statements):
            try Console.out(CloseRenderer.text(period: period, statements: statements), committed: "\(period) was closed")
        }
    }
}

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "One partner's statement: final as issued for a closed period, a draft for an open one.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The partner id.")
    var partner: String
    @Option(help: "The period, YYYY-MM.")
    var period: Period

    func run() throws {
        let target = try output.target(database)
        let store = try database.openStoreForReading()
        let found = try StatementQuery.statement(partnerID: partner, period: period, store: store)
        try target.write(StatementOutput.render(found, format: output.format, store: store), screen: output.format == .text)
    }
}

struct Statements: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every partner's statement for a period, one file each in --output-dir.")

    @OptionGroup var database: DatabaseOptions
    @Option(help: "The period, YYYY-MM.")
    var period: Period
    @Option(name: .customLong("output-dir"), help: "The directory to write into (created if needed).")
    var outputDirectory: String
    @Option(help: "text, json, csv or html.")
    var format: OutputFormat = .text

    func run() throws {
        let store = try database.openStoreForReading()
        let found = try StatementQuery.statements(period: period, store: store)
        let files = try found.map { statement in
            let rendered = try StatementOutput.render(statement, format: format, store: store)
            return (name: "\(statement.statement.statementID).\(format.fileExtension)",
                    text: format == .text ? TerminalText.screened(rendered) : rendered)
        }
        try OutputBatch.write(files, into: outputDirectory, database: database.path)
        try Console.out(files.map { "\(outputDirectory)/\($0.name)\n" }.joined())
    }
}

enum StatementOutput {
    static func render(_ found: StatementQuery.Found, format: OutputFormat, store: Store) throws -> String {
        switch (format, found) {
        case (.json, .final(let document, _)): document
        case (.json, .draft(let statement)): StatementDocument.json(statement)
        case (.csv, _): StatementRenderer.csv(found.statement)
        case (.html, _): try StatementHTMLOutput.render(found, store: store)
        case (.text, _): StatementRenderer.text(found.statement)
        }
    }
}

extension OutputFormat {
    var fileExtension: String { self == .text ? "txt" : rawValue }
}
