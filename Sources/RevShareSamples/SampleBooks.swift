import Foundation
import RevShareCore
import RevShareDomain
import RevShareImport
import RevShareStore

/// The sample files, found by walking up from the current directory and from the executable.
public struct SampleFiles: Sendable {
    /// The `Samples` directory (absolute).
    public let root: String
    /// How files are named in messages and in the import records: relative to the current
    /// directory when the samples lie below it, else absolute.
    public let displayPrefix: String

    public var agreements: String { file("agreements.yaml") }
    public var payments: String { file("payments.csv") }
    public var meter: String { file("meter.csv") }

    public func file(_ relative: String) -> String { displayPrefix + relative }

    /// The usage files in import order: by the first period the name says they cover
    /// (`…-2025-01.csv` is 2025-01, `…-2025Q1.csv` starts at 2025-01), then by name.
    public func usageFiles() throws -> [String] {
        try csvFiles(in: "usage")
            .sorted { (Self.firstPeriod(in: $0) ?? "9999-99", $0) < (Self.firstPeriod(in: $1) ?? "9999-99", $1) }
            .map { file("usage/" + $0) }
    }

    /// The restatements with the period each restates (from its name, `<partner>-YYYY-MM-restated.csv`).
    public func restatements() throws -> [(file: String, period: Period?)] {
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

    public static func locate() throws -> SampleFiles {
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
                    return SampleFiles(root: root, displayPrefix: relative + "/")
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

/// The sample books of `Samples/`, built end to end through the library: what `revshare demo` runs.
public enum SampleBooks {
    public struct ClosedPeriod: Sendable {
        public let period: Period
        public let statements: [Statement]
    }

    /// Loads the agreements, imports every usage file, the payments and the meter, then closes
    /// each period with usage in order, importing each restatement with `--restate` once the
    /// period it restates is closed (the next close bills the difference). `step` hears one
    /// line per action: (what, subject, outcome).
    public static func build(_ samples: SampleFiles, store: Store, today: CivilDate,
                             step: (String, String, String) throws -> Void) throws -> [ClosedPeriod] {
        var closes: [ClosedPeriod] = []
        let agreements = try AgreementLoader.load(path: samples.agreements, into: store)
        try step("agreements", samples.agreements,
             "\(agreements.partnerCount) partners, \(agreements.agreementCount) agreements")

        var periods = Set<Period>()
        for file in try samples.usageFiles() {
            let summary = try UsageImporter.run(InputFile(argument: file), restate: false, store: store)
            periods.formUnion(summary.reports.map(\.period))
            try step("usage", file, Self.describe(summary))
        }
        let payments = try PaymentsImporter.run(InputFile(argument: samples.payments), store: store)
        try step("payments", samples.payments, "\(payments.newRecords) payments")
        let meter = try MeterImporter.run(InputFile(argument: samples.meter), store: store)
        try step("meter", samples.meter, "\(meter.rows) rows, \(Set(meter.reports.map(\.partnerID)).count) partners")

        guard var period = periods.min(), let last = periods.max() else {
            throw Refusal(.invalidInput, "\(samples.root)/usage: no usage rows to close; regenerate the samples with scripts/generate-samples")
        }
        var restatements = try samples.restatements()
        while true {
            switch try PeriodClose.close(period, today: today, store: store) {
            case .closed(let statements):
                closes.append(ClosedPeriod(period: period, statements: statements))
                try step("close", period.description, "\(statements.count) statements issued")
            case .alreadyClosed:
                try step("close", period.description, "already closed")
            }
            // A restatement is imported once the period it restates is closed; the next close
            // bills the difference as a prior-period adjustment.
            for restatement in restatements where restatement.period.map({ $0 <= period }) ?? true {
                let summary = try UsageImporter.run(InputFile(argument: restatement.file), restate: true, store: store)
                try step("restatement", restatement.file, Self.describe(summary))
            }
            restatements.removeAll { $0.period.map { $0 <= period } ?? true }
            guard period < last, let next = period.next else { break }
            period = next
        }
        for restatement in restatements {  // of a period the demo does not close: imported last
            let summary = try UsageImporter.run(InputFile(argument: restatement.file), restate: true, store: store)
            try step("restatement", restatement.file, Self.describe(summary))
        }
        return closes
    }

    static func describe(_ summary: ImportSummary) -> String {
        let reports = summary.reports.map { report in
            "\(report.partnerID) \(report.period)" + (report.replaced == nil ? "" : " (restated)")
        }
        return "\(summary.rows) rows: " + reports.joined(separator: ", ")
    }
}
