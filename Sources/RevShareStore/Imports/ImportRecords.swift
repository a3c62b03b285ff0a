import GRDB
import RevShareCore

public enum ImportKind: String, Sendable {
    case usage, payments, meter
}

/// An imported file as recorded for the audit trail.
public struct ImportedFile: Sendable, Equatable {
    public let id: Int64
    public let kind: ImportKind
    public let fileName: String
    public let sha256: String
    public let importedAt: String
    public let rowCount: Int64
    public let restate: Bool
}

/// One partner's usage for one period from one file, with its totals.
public struct UsageReportRecord: Sendable, Equatable {
    public let id: Int64
    public let importFileID: Int64
    public let partnerID: String
    public let period: Period
    public let replacesReportID: Int64?
    public let rowCount: Int64
    public let requests: Int64
    public let inputTokens: Int64
    public let outputTokens: Int64
    public let grossRevenueMicros: Int64

    public init(id: Int64, importFileID: Int64, partnerID: String, period: Period, replacesReportID: Int64?,
                rowCount: Int64, requests: Int64, inputTokens: Int64, outputTokens: Int64, grossRevenueMicros: Int64) {
        self.id = id
        self.importFileID = importFileID
        self.partnerID = partnerID
        self.period = period
        self.replacesReportID = replacesReportID
        self.rowCount = rowCount
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.grossRevenueMicros = grossRevenueMicros
    }
}

/// One partner's meter counts for one period from one file.
public struct MeterReportRecord: Sendable, Equatable {
    public let id: Int64
    public let importFileID: Int64
    public let partnerID: String
    public let period: Period
    public let rowCount: Int64
    public let inputTokens: Int64
    public let outputTokens: Int64

    public init(id: Int64, importFileID: Int64, partnerID: String, period: Period, rowCount: Int64,
                inputTokens: Int64, outputTokens: Int64) {
        self.id = id
        self.importFileID = importFileID
        self.partnerID = partnerID
        self.period = period
        self.rowCount = rowCount
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// The report in force for a (partner, period), with the file it came from.
public struct CurrentReport: Sendable, Equatable {
    public let reportID: Int64
    public let fileName: String
    public let importedAt: String
}

extension ImportedFile {
    init(row: Row) throws {
        let table = "import_file"
        id = try row.int64("id", in: table)
        kind = try row.enumeration(ImportKind.self, "kind", in: table)
        fileName = try row.text("file_name", in: table)
        sha256 = try row.text("sha256", in: table)
        importedAt = try row.text("imported_at", in: table)
        rowCount = try row.int64("row_count", in: table)
        restate = try row.bool("restate", in: table)
    }
}
