import RevShareCore
import RevShareStore

/// `revshare import meter FILE` (SPEC §3.4): the licensor's own token counts. A later import
/// covering a (partner, period) supersedes the earlier one (newest wins); the old rows stay.
public enum MeterImporter {
    public static func run(_ file: InputFile, store: Store, progress: ((Int) -> Void)? = nil) throws -> ImportSummary {
        try CSVImportRunner.run(file, store: store, progress: progress) { context in
            try MeterBatch(partners: try context.reader.partners(), firstReportID: try context.nextID(of: .meterReport),
                           context: context)
        }
    }
}

struct MeterBatch: ImportBatch {
    static let kind = ImportKind.meter
    static let columns = CSVImportSession.Columns(
        required: ["usage_date", "partner", "model", "input_tokens", "output_tokens"], optional: [])

    private var resolver: PartnerResolver
    private let context: WriteContext
    private let inserter: MeterRowInserter
    private var nextReportID: Int64
    private var reports: [MeterTotals] = []
    private var reportIndex: [ReportKey: Int] = [:]
    private(set) var rowCount: Int64 = 0

    init(partners: [Partner], firstReportID: Int64, context: WriteContext) throws {
        resolver = PartnerResolver(partners)
        nextReportID = firstReportID
        self.context = context
        inserter = try context.makeMeterRowInserter()
    }

    mutating func add(_ session: CSVImportSession) throws {
        let date = session.parse("usage_date", FieldRules.date)
        let partner = resolver.resolve(session)
        let modelOK = session.parse("model") { FieldRules.text($0, required: true, maximumCharacters: UsageBatch.maximumModelCharacters, lineBreaks: false) } != nil
        let input = session.parse("input_tokens", FieldRules.count)
        let output = session.parse("output_tokens", FieldRules.count)
        guard let date, let partner, modelOK, let input, let output else { return }
        let slot = report(for: ReportKey(partnerIndex: partner, period: date.period))
        let earlier = try session.withField("usage_date") { day in
            try session.withField("model") { model in
                try inserter.insert(reportID: reports[slot].id, line: Int64(session.line), date: day, model: model,
                                    inputTokens: input, outputTokens: output)
            }
        }
        if let earlier {
            let model = session.withField("model") { String(decoding: $0, as: UTF8.self) }
            session.error(column: "key", duplicateKeyMessage(earlierLine: earlier, values: [resolver.partners[partner].id, date.description, model]))
            return
        }
        rowCount += 1
        reports[slot].rows += 1
        reports[slot].inputTokens.add(input)
        reports[slot].outputTokens.add(output)
        reports[slot].tokens.add(input)
        reports[slot].tokens.add(output)
    }

    private mutating func report(for key: ReportKey) -> Int {
        if let slot = reportIndex[key] { return slot }
        reports.append(MeterTotals(id: nextReportID, key: key, partner: resolver.partners[key.partnerIndex]))
        nextReportID += 1
        reportIndex[key] = reports.count - 1
        return reports.count - 1
    }

    func validateWholeFile(_ session: CSVImportSession, restate: Bool) throws {
        for report in reports {
            let eitherOverflowed = report.inputTokens.overflowed || report.outputTokens.overflowed
            for (column, sum) in [("input_tokens", report.inputTokens), ("output_tokens", report.outputTokens),
                                  ("input_tokens + output_tokens", eitherOverflowed ? CheckedSum() : report.tokens)]
            where sum.overflowed {
                session.fileError(column: column, "the total for \(report.partner.id) \(report.key.period) overflows a 64-bit integer")
            }
        }
    }

    func commit(importFileID: Int64) throws -> ImportSummary.Details {
        var details = ImportSummary.Details()
        for report in reports {
            try context.insert(MeterReportRecord(
                id: report.id, importFileID: importFileID, partnerID: report.partner.id, period: report.key.period,
                rowCount: report.rows, inputTokens: report.inputTokens.value, outputTokens: report.outputTokens.value))
            details.reports.append(ImportSummary.Report(partnerID: report.partner.id, period: report.key.period,
                                                        currency: report.partner.currency, rows: report.rows,
                                                        grossRevenueMicros: 0, replaced: nil))
        }
        return details
    }
}

struct MeterTotals {
    let id: Int64
    let key: ReportKey
    let partner: Partner
    var rows: Int64 = 0
    var inputTokens = CheckedSum()
    var outputTokens = CheckedSum()
    /// input + output together: reconciliation compares them as one count.
    var tokens = CheckedSum()
}
