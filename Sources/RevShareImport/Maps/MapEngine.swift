import RevShareCore

/// Reads one file through a map (SPEC-intake §I3 steps 1–7), streaming: memory grows with the
/// distinct aggregated rows, dedupe keys and unmapped values, never with the records.
final class MapEngine {
    static let maximumRows = 1_000_000
    static let maximumDedupeKeys = 1_000_000
    static let maximumUnmappedValues = 10_000
    /// Errors kept to be sorted by line; more are only counted.
    static let maximumErrorsKept = 10_000

    /// A column of the header bound to what reads it.
    struct Bound {
        /// nil for an absent optional column: every cell counts as empty.
        let index: Int?
        /// `COLUMN (role)` as messages name it.
        let label: String
    }

    struct BoundRule {
        let rule: ColumnRule
        let cell: Bound?
        let when: Bound?
        let label: String
    }

    let map: UsageMap
    let file: InputFile
    /// With `--merge` aggregated rows may be negative: they are deltas (SPEC-intake §I7).
    let allowNegative: Bool
    let partners: [Partner]
    let partnerIndex: [ExactText: Int]
    var intake: MapIntake
    var header = CSVHeader(line: 1, names: [])
    var bindings: [String: Bound?] = [:]
    var readColumns: [String] = []
    var rules: [MapTarget: BoundRule] = [:]
    var filterCells: [Bound?] = []
    var negateCell: Bound?
    var dedupeCells: (key: [Bound?], latest: Bound?)?
    var fileDate: CivilDate?
    var aggregates: [RowKey: Aggregate] = [:]
    var unmapped: [UnmappedKey: MapIntake.UnmappedValue] = [:]
    var unmappedPicos: [UnmappedKey: Int128] = [:]
    var sourceTotals: [MapTarget: Int128] = [:]
    var lineErrors: [InputError] = []
    var fileErrors: [InputError] = []
    var errorCount = 0
    /// A limit was passed: records are no longer read.
    var stopped = false

    init(map: UsageMap, file: InputFile, partners: [Partner], allowNegative: Bool) {
        self.map = map
        self.file = file
        self.allowNegative = allowNegative
        self.partners = partners
        partnerIndex = Dictionary(uniqueKeysWithValues: partners.enumerated().map { (ExactText($1.id), $0) })
        intake = MapIntake(grain: map.grain, skipped: map.filters.map { MapIntake.Skip(filter: $0.name, rows: 0) })
    }

    // MARK: Errors

    func error(_ line: Int, _ label: String, _ message: String) {
        errorCount += 1
        if lineErrors.count < Self.maximumErrorsKept {
            lineErrors.append(InputError(file: file.displayName, line: line, column: label, message: message))
        }
    }

    func fileError(_ label: String, _ message: String) {
        errorCount += 1
        fileErrors.append(InputError(file: file.displayName, line: nil, column: label, message: message))
    }

    /// Errors by line, then those of the whole file, then every unmapped value (SPEC-intake §I12).
    var failure: InvalidInput? {
        let unmappedLines = unmappedErrors
        guard errorCount > 0 || !unmappedLines.isEmpty else { return nil }
        var list = InputErrorList()
        let sorted = lineErrors.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element)
        for error in sorted + fileErrors { list.add(error) }
        list.countUnkept(errorCount - lineErrors.count - fileErrors.count)
        return InvalidInput(list, trailing: unmappedLines)
    }

    private var unmappedErrors: [InputError] {
        guard let label = rules[.model]?.label else { return [] }
        return intake.unmapped.map { value in
            InputError(file: file.displayName, line: value.firstLine, column: label,
                       message: "\(MapValueRules.quoted(value.value)) is not mapped for partner \(value.partnerID) (\(Self.rows(value.rows)))")
        }
    }

    static func rows(_ count: Int) -> String { count == 1 ? "1 row" : "\(count) rows" }

    // MARK: Cells

    func withCell<R>(_ record: CSVRecord, _ bound: Bound?, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        guard let index = bound?.index else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return record.withFieldBytes(index, body)
    }

    func holds(_ condition: MapCondition, _ record: CSVRecord, _ bound: Bound?) -> Bool {
        withCell(record, bound) { condition.holds($0) }
    }
}

/// (partner, usage_date, model, region): one aggregated row.
struct RowKey: Hashable {
    let partner: Int
    let date: CivilDate
    let model: ExactText
    let region: ExactText
}

struct UnmappedKey: Hashable {
    let partner: Int
    let value: ExactText
}

/// The running sums of one aggregated row, in pico-units, per numeric target.
struct Aggregate {
    let firstLine: Int
    var sourceRows = 0
    var sums: [Int128] = Array(repeating: 0, count: MapTarget.numeric.count)
    var hasShare = false
    var overflowed = false
    let currency: String?

    init(firstLine: Int, currency: String?) {
        self.firstLine = firstLine
        self.currency = currency
    }

    mutating func add(_ values: [Int128?]) {
        sourceRows += 1
        for (slot, value) in values.enumerated() {
            guard let value else { continue }
            if slot == MapTarget.numeric.count - 1 { hasShare = true }
            let (sum, overflow) = sums[slot].addingReportingOverflow(value)
            overflowed = overflowed || overflow
            sums[slot] = sum
        }
    }
}
