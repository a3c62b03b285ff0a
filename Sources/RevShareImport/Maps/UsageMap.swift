import RevShareCore

/// A usage map (SPEC-intake §I4): how one partner layout becomes the usage rows of SPEC §3.2.
/// Built only by `UsageMapParser`, so every value in it has been checked.
public struct UsageMap: Sendable {
    public enum Grain: String, Sendable { case day, month }

    public struct Dedupe: Sendable {
        public let key: [String]
        public let latest: String
        public let format: MapDateFormat
    }

    public struct Filter: Sendable {
        public let name: String
        public let condition: MapCondition
    }

    public let name: String
    public let description: String
    public let separator: UInt8
    public let grain: Grain
    public let dedupe: Dedupe?
    public let filters: [Filter]
    public let negateWhen: MapCondition?
    /// One rule per target present in the map.
    public let columns: [MapTarget: ColumnRule]
}

/// The §3.2 columns a map writes, in the order of §3.2 (and of the control totals).
public enum MapTarget: String, CaseIterable, Sendable, Comparable {
    case usageDate = "usage_date", partner, model, region
    case requests, inputTokens = "input_tokens", outputTokens = "output_tokens"
    case grossRevenue = "gross_revenue", currency, reportedShare = "reported_share"

    public static let required: [MapTarget] = [.usageDate, .partner, .model, .requests, .inputTokens, .outputTokens, .grossRevenue]
    /// Numeric targets in control-total order.
    public static let numeric: [MapTarget] = [.requests, .inputTokens, .outputTokens, .grossRevenue, .reportedShare]

    public var isNumeric: Bool { Self.numeric.contains(self) }
    /// Counts must be whole numbers; money has at most 6 fractional digits.
    public var isInteger: Bool { self == .requests || self == .inputTokens || self == .outputTokens }

    /// The keys a rule for this target may have (SPEC-intake §I4.3), in the order messages list them.
    public var allowedKeys: [String] {
        switch self {
        case .usageDate: ["from", "const", "filename", "optional", "default", "format"]
        case .partner, .region: ["from", "const", "optional", "default", "extract"]
        case .model: ["from", "const", "optional", "default", "extract", "map", "aliases"]
        case .requests, .inputTokens, .outputTokens: ["from", "const", "optional", "default", "scale", "when"]
        case .grossRevenue, .reportedShare: ["from", "const", "optional", "default", "scale", "round", "when"]
        case .currency: ["from", "const", "optional", "default"]
        }
    }

    public static func < (lhs: MapTarget, rhs: MapTarget) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// `{column: COLUMN, TEST}` evaluated on a cell's raw bytes: never trimmed, case-sensitive.
public struct MapCondition: Sendable {
    public enum Test: Sendable {
        case equals([UInt8])
        case oneOf(Set<[UInt8]>)
        case noneOf(Set<[UInt8]>)
        case matches(MapRegex)
        case empty(Bool)
    }

    public let column: String
    public let test: Test

    func holds(_ cell: UnsafeRawBufferPointer) -> Bool {
        switch test {
        case .equals(let text): return cell.elementsEqual(text)
        case .oneOf(let texts): return texts.contains(Array(cell))
        case .noneOf(let texts): return !texts.contains(Array(cell))
        case .matches(let regex): return regex.matches(String(decoding: cell, as: UTF8.self))
        case .empty(let empty): return cell.isEmpty == empty
        }
    }
}

/// How one target gets its value (SPEC-intake §I4.3).
public struct ColumnRule: Sendable {
    public enum Source: Sendable {
        case column(String)
        case constant(String)
        /// The usage month from the file's base name: two groups, year and month.
        case fileName(MapRegex)
    }

    public var source: Source
    public var optional = false
    public var defaultValue: String?
    public var format = MapDateFormat.isoDate
    public var extract: MapRegex?
    /// Source value → agreement model id.
    public var table: [ExactText: String]?
    public var aliases = false
    public var scale = 0
    public var round = false
    public var when: MapCondition?

    public var column: String? {
        if case .column(let name) = source { return name }
        return nil
    }
}
