import RevShareCore

/// One statement line: a model's usage and its part of the rounded share (SPEC §4.2).
public struct ShareLine: Hashable, Sendable {
    public let model: String
    public let requests: Int64
    public let inputTokens: Int64
    public let outputTokens: Int64
    public let grossRevenueMicros: Int64
    public let shareMinor: Int64

    public init(model: String, requests: Int64, inputTokens: Int64, outputTokens: Int64,
                grossRevenueMicros: Int64, shareMinor: Int64) {
        self.model = model
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.grossRevenueMicros = grossRevenueMicros
        self.shareMinor = shareMinor
    }
}

/// What one partner owes for one period under the agreement that governs it.
public struct ShareResult: Hashable, Sendable {
    public let agreementID: String
    /// The share before rounding.
    public let exactShare: ExactAmount
    /// `exactShare` rounded once, half to even, to the currency's minor unit.
    public let shareMinor: Int64
    /// max(0, minimum_monthly − shareMinor); 0 without a minimum (SPEC §4.3).
    public let minimumTrueUpMinor: Int64
    /// One line per model with usage, sorted by model name (UTF-8 bytes); they add up to `shareMinor`.
    public let lines: [ShareLine]

    public init(agreementID: String, exactShare: ExactAmount, shareMinor: Int64, minimumTrueUpMinor: Int64,
                lines: [ShareLine]) {
        self.agreementID = agreementID
        self.exactShare = exactShare
        self.shareMinor = shareMinor
        self.minimumTrueUpMinor = minimumTrueUpMinor
        self.lines = lines
    }

    /// share + true-up: what the period's close charges before any adjustment. Never overflows:
    /// it equals max(shareMinor, minimum).
    public var shareAndTrueUpMinor: Int64 { shareMinor + minimumTrueUpMinor }
}

/// Why a share cannot be computed. Import and agreement loading normally rule these out, so
/// each one names the agreement, the partner and what to fix.
public enum ShareError: RevShareFailure, Hashable, Sendable {
    /// A `per_million_tokens` agreement has no price for the model and no `default`.
    case missingPrice(agreementID: String, partnerID: String, model: String)
    /// The rounded share (or an intermediate sum) does not fit a signed 64-bit count of minor units.
    case shareOutOfRange(agreementID: String, partnerID: String)
    /// The usage names a model twice: the store must aggregate rows per model first.
    case duplicateModel(agreementID: String, partnerID: String, model: String)
    /// A count or revenue is negative, which import never accepts.
    case negativeUsage(agreementID: String, partnerID: String, model: String)
    /// A prior-period adjustment does not fit a signed 64-bit count of minor units.
    case adjustmentOutOfRange(agreementID: String)

    public var category: FailureCategory {
        switch self {
        case .missingPrice, .shareOutOfRange, .adjustmentOutOfRange: .invalidInput
        case .duplicateModel, .negativeUsage: .internalError
        }
    }

    public var diagnostics: [String] {
        switch self {
        case let .missingPrice(agreement, partner, model):
            ["\(partner): agreement \(agreement) has no price for model \"\(model)\" and no default; "
                + "add a price for it or a `default` to the agreement and load it again"]
        case let .shareOutOfRange(agreement, partner):
            ["\(partner): the share under agreement \(agreement) is too large for a 64-bit amount of minor units; "
                + "check the usage reports and the agreement's rates and prices"]
        case let .duplicateModel(agreement, partner, model):
            ["\(partner): usage for agreement \(agreement) lists model \"\(model)\" twice (internal error)"]
        case let .negativeUsage(agreement, partner, model):
            ["\(partner): usage for agreement \(agreement) has a negative count or revenue for model \"\(model)\" "
                + "(internal error)"]
        case let .adjustmentOutOfRange(agreement):
            ["agreement \(agreement): the prior-period adjustment is too large for a 64-bit amount of minor units"]
        }
    }
}
