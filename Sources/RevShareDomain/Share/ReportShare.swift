import RevShareCore
import RevShareStore

/// The share of one usage report under one agreement: what close, drafts, adjustments,
/// reconcile and audit all mean by "the share", computed in this one place.
public enum ReportShare {
    /// The share of the report's rows, aggregated per model by the store; no report is no usage.
    public static func of(reportID: Int64?, agreement: Agreement, currency: Currency,
                          _ reader: ReadContext) throws -> ShareResult {
        try of(reportID.map { try reader.modelTotals(reportID: $0) } ?? [], agreement: agreement, currency: currency)
    }

    /// The share of per-model totals already read.
    public static func of(_ models: [ModelTotals], agreement: Agreement, currency: Currency) throws -> ShareResult {
        try ShareCalculator.compute(usage: models.map(\.usage), agreement: agreement, currency: currency).get()
    }
}
