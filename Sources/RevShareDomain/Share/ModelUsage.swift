import RevShareCore
import RevShareStore

/// One model's usage by one partner in one period: sums over the partner's current rows, as the
/// store aggregates them. Counts are ≥ 0 (SPEC §3.2); gross revenue is in micro-units (10^-6) of
/// the partner's currency.
public struct ModelUsage: Hashable, Sendable {
    public let model: String
    public let requests: Int64
    public let inputTokens: Int64
    public let outputTokens: Int64
    public let grossRevenueMicros: Int64

    public init(model: String, requests: Int64, inputTokens: Int64, outputTokens: Int64, grossRevenueMicros: Int64) {
        self.model = model
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.grossRevenueMicros = grossRevenueMicros
    }
}

extension ModelTotals {
    /// A report's per-model totals as the share computation takes them.
    public var usage: ModelUsage {
        ModelUsage(model: model, requests: requests, inputTokens: inputTokens, outputTokens: outputTokens,
                   grossRevenueMicros: grossRevenueMicros)
    }
}
