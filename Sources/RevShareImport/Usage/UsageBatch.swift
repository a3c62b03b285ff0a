import RevShareCore
import RevShareStore

/// The rows of one usage file as they stream past: validated, inserted, and totalled per report.
/// A class: the per-row closures capture it by reference instead of copying its state.
final class UsageBatch: ImportBatch {
    static let kind = ImportKind.usage
    static let columns = CSVImportSession.Columns(
        required: ["usage_date", "partner", "model", "requests", "input_tokens", "output_tokens", "gross_revenue"],
        optional: ["region", "currency", "reported_share"])
    static let maximumModelCharacters = 200
    static let maximumRegionCharacters = 200

    private var resolver: PartnerResolver
    private var partners: [Partner] { resolver.partners }
    private let context: WriteContext
    private let inserter: UsageRowInserter
    private var nextReportID: Int64
    private(set) var reports: [UsageReportTotals] = []
    private var reportIndex: [ReportKey: Int] = [:]
    /// Files run in long stretches of one (partner, period): most rows skip the dictionary.
    private var lastReport: (key: ReportKey, slot: Int)?
    private(set) var rowCount: Int64 = 0
    private var replaced: [ReportKey: CurrentReport] = [:]

    init(partners: [Partner], firstReportID: Int64, context: WriteContext) throws {
        resolver = PartnerResolver(partners)
        nextReportID = firstReportID
        self.context = context
        inserter = try context.makeUsageRowInserter()
    }

    func add(_ session: CSVImportSession) throws {
        let date = session.parse("usage_date", FieldRules.date)
        let partner = resolver.resolve(session)
        let modelOK = session.parse("model") { FieldRules.text($0, required: true, maximumCharacters: Self.maximumModelCharacters, lineBreaks: false) } != nil
        let regionOK = session.parse("region") { FieldRules.text($0, required: false, maximumCharacters: Self.maximumRegionCharacters) } != nil
        var row = UsageRowInserter.Row()
        let requests = session.parse("requests", FieldRules.count)
        let input = session.parse("input_tokens", FieldRules.count)
        let output = session.parse("output_tokens", FieldRules.count)
        let revenue = session.parse("gross_revenue") { FieldRules.decimal($0, scale: 6) }
        let reportedShare = parseReportedShare(session)
        if let partner { checkCurrency(session, partners[partner]) }
        guard let date, let partner, modelOK, regionOK, let requests, let input, let output, let revenue,
              let reportedShare else { return }
        guard let slot = report(for: ReportKey(partnerIndex: partner, period: date.period), session) else { return }
        if reports[slot].agreement.basis == .perMillionTokens {
            guard modelHasPrice(session, reports[slot].agreement) else { return }
        }
        row.reportID = reports[slot].id
        row.line = Int64(session.line)
        row.requests = requests
        row.inputTokens = input
        row.outputTokens = output
        row.grossRevenueMicros = revenue
        row.reportedShareMicros = reportedShare
        if let earlierLine = try insert(row, session) {
            duplicate(session, earlierLine: earlierLine, partner: partners[partner].id, date: date)
            return
        }
        rowCount += 1
        reports[slot].add(row)
    }

    private func insert(_ row: UsageRowInserter.Row, _ session: CSVImportSession) throws -> Int64? {
        try session.withField("usage_date") { date in
            try session.withField("model") { model in
                try session.withField("region") { region in
                    try inserter.insert(row, date: date, model: model, region: region)
                }
            }
        }
    }

    /// An empty cell means the row carries no reported share; the outer optional is nil on error.
    private func parseReportedShare(_ session: CSVImportSession) -> Int64?? {
        guard let index = session.index("reported_share"), !session.record.isEmpty(index) else { return .some(nil) }
        guard let value = session.parse("reported_share", { FieldRules.decimal($0, scale: 6) }) else { return nil }
        return .some(value)
    }

    private func checkCurrency(_ session: CSVImportSession, _ partner: Partner) {
        session.withField("currency") { bytes in
            guard !bytes.isEmpty, !bytes.elementsEqual(partner.currency.code.utf8) else { return }
            session.error(column: "currency", "\(FieldRules.quoted(bytes)) does not match partner \(partner.id)'s currency \(partner.currency.code)")
        }
    }

    /// The slot of the report for `key`, created on first sight; nil when no agreement governs it.
    private func report(for key: ReportKey, _ session: CSVImportSession) -> Int? {
        if let last = lastReport, last.key == key { return last.slot }
        if let slot = reportIndex[key] {
            lastReport = (key, slot)
            return slot
        }
        let partner = partners[key.partnerIndex]
        guard let agreement = partner.agreement(for: key.period) else {
            session.error(column: "usage_date", "partner \(partner.id) has no agreement in force for \(key.period)")
            return nil
        }
        reports.append(UsageReportTotals(id: nextReportID, key: key, partner: partner, agreement: agreement))
        nextReportID += 1
        reportIndex[key] = reports.count - 1
        return reports.count - 1
    }

    private func modelHasPrice(_ session: CSVImportSession, _ agreement: Agreement) -> Bool {
        let model = session.withField("model") { String(decoding: $0, as: UTF8.self) }
        guard agreement.price(for: model) == nil else { return true }
        session.error(column: "model", "agreement \(agreement.id) has no price for \"\(FieldRules.escaped(model))\" and no default price")
        return false
    }

    private func duplicate(_ session: CSVImportSession, earlierLine: Int64, partner: String, date: CivilDate) {
        let model = session.withField("model") { String(decoding: $0, as: UTF8.self) }
        let region = session.withField("region") { String(decoding: $0, as: UTF8.self) }
        session.error(column: "key", duplicateKeyMessage(earlierLine: earlierLine, values: [partner, date.description, model, region]))
    }

    func validateWholeFile(_ session: CSVImportSession, restate: Bool) throws {
        for report in reports {
            for column in report.overflowedColumns {
                session.fileError(column: column, "the total for \(report.partner.id) \(report.key.period) overflows a 64-bit integer; split the usage or check the values")
            }
        }
        replaced = try RestatementRules.check(reports, restate: restate, session: session, context: context)
    }

    func commit(importFileID: Int64) throws -> ImportSummary.Details {
        var details = ImportSummary.Details()
        for report in reports {
            let previous = replaced[report.key]
            try context.insert(report.record(importFileID: importFileID, replaces: previous?.reportID))
            details.reports.append(report.summary(replaced: previous))
        }
        return details
    }
}

/// Running totals of one report; an overflow is remembered per column, never wrapped.
struct UsageReportTotals {
    let id: Int64
    let key: ReportKey
    let partner: Partner
    let agreement: Agreement
    private(set) var rows: Int64 = 0
    private var requests = CheckedSum()
    private var inputTokens = CheckedSum()
    private var outputTokens = CheckedSum()
    private var grossRevenueMicros = CheckedSum()
    /// input + output together: reconciliation compares them as one count.
    private var tokens = CheckedSum()
    private var reportedShareMicros = CheckedSum()

    init(id: Int64, key: ReportKey, partner: Partner, agreement: Agreement) {
        self.id = id
        self.key = key
        self.partner = partner
        self.agreement = agreement
    }

    mutating func add(_ row: UsageRowInserter.Row) {
        rows += 1
        requests.add(row.requests)
        inputTokens.add(row.inputTokens)
        outputTokens.add(row.outputTokens)
        grossRevenueMicros.add(row.grossRevenueMicros)
        tokens.add(row.inputTokens)
        tokens.add(row.outputTokens)
        reportedShareMicros.add(row.reportedShareMicros ?? 0)
    }

    var overflowedColumns: [String] {
        [("requests", requests), ("input_tokens", inputTokens), ("output_tokens", outputTokens),
         ("gross_revenue", grossRevenueMicros), ("reported_share", reportedShareMicros),
         // Named only when neither column overflowed on its own.
         ("input_tokens + output_tokens", inputTokens.overflowed || outputTokens.overflowed ? CheckedSum() : tokens),
        ].filter(\.1.overflowed).map(\.0)
    }

    func record(importFileID: Int64, replaces: Int64?) -> UsageReportRecord {
        UsageReportRecord(id: id, importFileID: importFileID, partnerID: partner.id, period: key.period,
                          replacesReportID: replaces, rowCount: rows, requests: requests.value,
                          inputTokens: inputTokens.value, outputTokens: outputTokens.value,
                          grossRevenueMicros: grossRevenueMicros.value)
    }

    func summary(replaced: CurrentReport?) -> ImportSummary.Report {
        ImportSummary.Report(partnerID: partner.id, period: key.period, currency: partner.currency, rows: rows,
                             grossRevenueMicros: grossRevenueMicros.value, replaced: replaced)
    }
}
