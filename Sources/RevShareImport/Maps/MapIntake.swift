import RevShareCore

/// What a map made of one file (SPEC-intake §I3, §I8.1): the aggregated §3.2 rows and every count
/// a reviewer ties out, `rows_read = deduplicated + Σ skipped + unmapped + rows_used`.
public struct MapIntake: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var firstLine: Int
        public var sourceRows: Int
        public var usageDate: CivilDate
        public var partnerID: String
        public var model: String
        public var region: String
        public var requests: Int64
        public var inputTokens: Int64
        public var outputTokens: Int64
        public var grossRevenueMicros: Int64
        /// nil when none of the row's records has one.
        public var reportedShareMicros: Int64?
        /// The value the map gives; nil when the map has no currency target.
        public var currency: String?
    }

    public struct Skip: Sendable, Equatable {
        public let filter: String
        public var rows: Int
    }

    public struct UnmappedValue: Sendable, Equatable {
        public let partnerID: String
        public let value: String
        public var rows: Int
        public let firstLine: Int
        public var grossRevenueMicros: Int64
    }

    public struct ControlTotal: Sendable, Equatable {
        public let column: MapTarget
        /// The source column as the header writes it; nil for `const`.
        public let from: String?
        /// Exact sum of the cells as written, in 10^-18 units; nil when `from` is.
        public let source: Int128?
        /// Sum over the aggregated rows after rounding: a count, or micro-units for money.
        public let target: Int128
        public let rounded: Int

        /// `source` as §I8.1 writes it: exact, no trailing zeros.
        public var sourceText: String? { source.map(MapDecimal.sourceText) }
    }

    public var grain: UsageMap.Grain
    public var rowsRead = 0
    public var deduplicated = 0
    public var skipped: [Skip]
    public var unmapped: [UnmappedValue] = []
    public var rowsUsed = 0
    public var rows: [Row] = []
    public var controlTotals: [ControlTotal] = []
    public var unusedColumns: [String] = []
    public var absentColumns: [String] = []

    public var rowsOut: Int { rows.count }
    public var unmappedRows: Int { unmapped.reduce(0) { $0 + $1.rows } }
    public var unmappedGrossRevenueMicros: Int128 { unmapped.reduce(0) { $0 + Int128($1.grossRevenueMicros) } }
}
