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

/// Model names and payment ids compare by their UTF-8 bytes, as SQLite's BINARY collation does.
/// Swift's `String` operators treat canonically equivalent text (a precomposed `é` and `e` + an
/// accent) as equal, while revshare keys match exactly, byte for byte (SPEC §3.2).
enum Bytewise {
    static func less(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.lexicographicallyPrecedes(rhs.utf8) }
    static func equal(_ lhs: String, _ rhs: String) -> Bool { lhs.utf8.elementsEqual(rhs.utf8) }
}

extension ModelTotals {
    /// A report's per-model totals as the share computation takes them.
    public var usage: ModelUsage {
        ModelUsage(model: model, requests: requests, inputTokens: inputTokens, outputTokens: outputTokens,
                   grossRevenueMicros: grossRevenueMicros)
    }
}
