import Foundation
import RevShareCore
import RevShareImport
import RevShareStore
import Testing
import TestSupport

/// Agreements, headers and a store helper shared by the usage, payments and meter import tests.
enum ImportFixtures {
    /// aws (USD): AWS-2024 revenue_percent from 2024-07, then AWS-2025 per_million_tokens from
    /// 2025-03 with one priced model and NO default price. groq (JPY, 0 minor digits): GROQ-1
    /// per_million_tokens from 2024-10 with only a default price.
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
                  - up_to: 1000000
                    rate: 0.10
                  - rate: 0.12
              - id: AWS-2025
                effective_from: 2025-03
                basis: per_million_tokens
                prices:
                  llama-3.1-405b-instruct: {input: 0.50, output: 1.00}
          - id: groq
            name: Groq
            currency: JPY
            payment_terms_days: 30
            agreements:
              - id: GROQ-1
                effective_from: 2024-10
                basis: per_million_tokens
                prices:
                  default: {input: 5, output: 10}

        """

    static let usageHeader =
        "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue,currency,reported_share"
    static let paymentsHeader = "payment_id,partner,received_on,amount,currency,reference"
    static let meterHeader = "usage_date,partner,model,input_tokens,output_tokens"

    /// `testClock`'s stamp: every import in these tests is recorded at this instant.
    static let importedAt = "2025-06-01T12:00:00Z"
    /// The line InvalidInput always ends with.
    static let nothingImported = "nothing was imported: fix the file and import it again"

    /// A CSV file from lines, each ended by LF.
    static func csv(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    /// The bytes of `text` with every `<FF>` replaced by the single byte 0xFF (invalid UTF-8).
    static func bytes(_ text: String) -> [UInt8] {
        let parts = text.components(separatedBy: "<FF>")
        var bytes: [UInt8] = []
        for (index, part) in parts.enumerated() {
            if index > 0 { bytes.append(0xFF) }
            bytes += Array(part.utf8)
        }
        return bytes
    }
}

/// What the tests compare before and after an import: every table an import writes.
struct DatabaseSnapshot: Equatable, CustomStringConvertible {
    /// Library read APIs.
    var importFiles: [ImportedFile]
    var ledgerEntries: Int
    var references: [String: PartnerReferences]
    /// Row counts read with the sqlite3 CLI, for the tables the library has no counting API for.
    var tableCounts: [String: Int]

    var description: String {
        "files \(importFiles.count), entries \(ledgerEntries), tables \(tableCounts.sorted { $0.key < $1.key })"
    }
}

/// A fresh store (fixed clock) in a temporary directory, with `ImportFixtures.agreements` loaded.
struct ImportTestStore {
    let store: Store
    let directory: TemporaryDirectory

    static let countedTables = ["import_file", "usage_report", "usage_row", "meter_report", "meter_row", "payment",
                                "ledger_entry", "ledger_posting"]

    init(loadAgreements: Bool = true) throws {
        (store, directory) = try makeTestStore("imports")
        if loadAgreements {
            _ = try AgreementLoader.load(Array(ImportFixtures.agreements.utf8), fileName: "agreements.yaml", into: store)
        }
    }

    func remove() { directory.remove() }

    func path(_ name: String) -> String { directory.file(name) }

    /// `{dir}` in expected messages stands for the temporary directory.
    func expand(_ lines: [String]) -> [String] {
        lines.map { $0.replacingOccurrences(of: "{dir}", with: directory.path) }
    }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: ImportFixtures.bytes(text))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let target = path(name)
        try! Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func run(_ kind: ImportKind, _ name: String, restate: Bool = false) throws -> ImportSummary {
        let input = InputFile(argument: path(name))
        switch kind {
        case .usage: return try UsageImporter.run(input, restate: restate, store: store)
        case .payments: return try PaymentsImporter.run(input, store: store)
        case .meter: return try MeterImporter.run(input, store: store)
        }
    }

    /// Writes `text` as `name` and imports it.
    func importFile(_ kind: ImportKind, _ name: String, _ text: String, restate: Bool = false) throws -> ImportSummary {
        write(name, text)
        return try run(kind, name, restate: restate)
    }

    /// Runs an import that must be refused as invalid input; any other error is rethrown.
    func refusal(_ kind: ImportKind, _ name: String, restate: Bool = false,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> InvalidInput? {
        do {
            let summary = try run(kind, name, restate: restate)
            Issue.record("expected InvalidInput, the import ended with \(summary.outcome)", sourceLocation: sourceLocation)
            return nil
        } catch let invalid as InvalidInput {
            return invalid
        }
    }

    func markClosed(_ periods: String...) throws {
        try store.write("close") { context in
            for period in periods { try context.markClosed(Period(period)!) }
        }
    }

    func snapshot() throws -> DatabaseSnapshot {
        let (files, entries, references) = try store.read("snapshot") { context in
            (try context.importedFiles(), try context.entryCount(),
             Dictionary(uniqueKeysWithValues: try ["aws", "groq"].map { ($0, try context.partnerReferences(id: $0)) }))
        }
        let sql = "SELECT " + Self.countedTables.map { "(SELECT count(*) FROM \($0))" }.joined(separator: ", ")
        let values = try sqlite(sql).split(separator: "|").map { Int($0) ?? -1 }
        return DatabaseSnapshot(importFiles: files, ledgerEntries: entries, references: references,
                                tableCounts: Dictionary(uniqueKeysWithValues: zip(Self.countedTables, values)))
    }

    /// One query through the sqlite3 CLI (read-only use); the output without its final newline.
    func sqlite(_ sql: String) throws -> String {
        try SQLiteCLI.query(store.path, sql)
    }

    func currentUsageReport(_ partner: String, _ period: String) throws -> CurrentReport? {
        try store.read("current") { try $0.currentUsageReport(partnerID: partner, period: Period(period)!) }
    }

    func modelTotals(reportID: Int64) throws -> [ModelTotals] {
        try store.read("totals") { try $0.modelTotals(reportID: reportID) }
    }

    func payment(_ id: String) throws -> PaymentRecord? {
        try store.read("payment") { try $0.payment(id: id) }
    }
}

enum SQLiteCLI {
    static func query(_ database: String, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", database, sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}

/// One bad input: the file (and any earlier imports it needs), and the exact error lines, with
/// `{dir}` for the temporary directory.
struct BadInput: Sendable, CustomTestStringConvertible {
    let name: String
    let kind: ImportKind
    var prior: [String] = []
    var restate = false
    let content: String
    let expected: [String]

    /// The file's name: `u.csv`, `p.csv` or `m.csv` by kind; earlier files are `prior1.csv`, ….
    var file: String {
        switch kind {
        case .usage: "u.csv"
        case .payments: "p.csv"
        case .meter: "m.csv"
        }
    }

    var testDescription: String { name }
}

extension ImportTestStore {
    /// Imports the case's earlier files, then checks that the case's file is refused with exactly
    /// the expected lines, as invalid input (65), and that nothing at all was written.
    func expectRefused(_ bad: BadInput, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (index, content) in bad.prior.enumerated() {
            let summary = try importFile(bad.kind, "prior\(index + 1).csv", content)
            #expect(summary.outcome == .imported, sourceLocation: sourceLocation)
        }
        write(bad.file, bad.content)
        let before = try snapshot()
        let refusal = try #require(try refusal(bad.kind, bad.file, restate: bad.restate, sourceLocation: sourceLocation),
                                   sourceLocation: sourceLocation)
        let expected = expand(bad.expected)
        #expect(refusal.errors.first.map(\.description) == expected, sourceLocation: sourceLocation)
        #expect(refusal.errors.count == expected.count, sourceLocation: sourceLocation)
        #expect(refusal.category == .invalidInput, sourceLocation: sourceLocation)
        #expect(refusal.diagnostics == expected + [ImportFixtures.nothingImported], sourceLocation: sourceLocation)
        #expect(try snapshot() == before, sourceLocation: sourceLocation)
    }
}
