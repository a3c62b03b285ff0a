import RevShareCore
import Yams

/// Reads an agreements file (SPEC §3.1) into partners with their agreements, or collects every
/// problem it holds as an `AgreementFileError`.
///
/// Numbers are read from each scalar's text exactly as written, quoted or not, never through a
/// binary floating-point value: rates, prices, tier bounds and tolerances as micro-units (at
/// most 6 fractional digits), `minimum_monthly` in the currency's minor units.
public enum AgreementsParser {
    /// Largest agreements file accepted, in bytes (10 MiB).
    public static let maxFileBytes = 10 << 20
    public static let maxPartners = 10_000
    public static let maxAgreementsPerPartner = 1_000
    /// Per agreement: tiers, fee prices (with `default`) and list prices, each.
    public static let maxEntriesPerList = 1_000
    /// Values visited in all, counting what YAML aliases expand to: bounds the work an
    /// alias-laden file can cause.
    public static let maxValues = 2_000_000
    /// Issues kept in memory; more are counted only.
    public static let maxIssuesKept = 10_000

    public static let partnerKeys = ["id", "name", "currency", "payment_terms_days", "agreements"]
    public static let agreementKeys = ["id", "effective_from", "basis", "tiers", "prices", "minimum_monthly",
                                       "tolerance", "list_prices"]
    public static let tierKeys = ["up_to", "rate"]
    public static let priceKeys = ["input", "output"]
    public static let toleranceKeys = ["amount", "relative", "price_relative"]

    /// Partners sorted by id, each with its agreements sorted by `effectiveFrom`.
    /// `fileName` is the path as given (`<stdin>` for standard input); it prefixes every message.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(AgreementFileError) -> [Partner] {
        var builder = AgreementsBuilder(file: fileName)
        let partners = builder.document(bytes)
        if let error = builder.fileError() { throw error }
        return partners.sorted { $0.id < $1.id }
    }

    /// `[a-z0-9][a-z0-9-]*`, 1 to 64 characters.
    public static func isValidPartnerID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() {
            let alphanumeric = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard alphanumeric || (index > 0 && byte == UInt8(ascii: "-")) else { return false }
        }
        return true
    }
}

// MARK: - The builder

/// Where a value sits: the entities around it and the key path inside the innermost one.
struct Location {
    var entities: [String] = []
    var path = ""

    func key(_ name: String) -> Location {
        var copy = self
        copy.path = path.isEmpty ? name : path + "." + name
        return copy
    }

    func index(_ index: Int) -> Location {
        var copy = self
        copy.path += "[\(index)]"
        return copy
    }

    func entity(_ label: String) -> Location {
        Location(entities: entities + [label], path: "")
    }

    var subject: String { (entities + (path.isEmpty ? [] : [path])).joined(separator: ", ") }
}

/// Too many values visited: parsing stops there.
struct TooManyValues: Error {}

struct AgreementsBuilder {
    let file: String
    var issues: [AgreementIssue] = []
    var issueCount = 0
    var valuesVisited = 0
    /// First line of each partner id and agreement id seen, for duplicates.
    var partnerLines: [String: Int] = [:]
    var agreementLines: [ExactText: (partner: String, line: Int)] = [:]
    /// What the tag message calls the file's values; usage maps share this reader.
    var plainValues = "agreements are plain values"
    /// Whether an unknown key's message suggests a near allowed one; map messages are pinned without.
    var suggestsKeys = true

    init(file: String) { self.file = file }

    /// Every issue found, in file order, or nil when there is none.
    func fileError() -> AgreementFileError? {
        guard issueCount > 0 else { return nil }
        let ordered = issues.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
        return AgreementFileError(issues: ordered, totalCount: issueCount)
    }

    // MARK: Issues

    mutating func issue(_ location: @autoclosure () -> Location, at node: Node?, _ message: @autoclosure () -> String) {
        issue(location().subject, line: node?.mark?.line, column: node?.mark?.column, message())
    }

    /// Past `maxIssuesKept`, issues are only counted (their text is never built), except
    /// problems of the whole file, which are always kept.
    mutating func issue(_ subject: @autoclosure () -> String, line: Int?, column: Int?, _ message: @autoclosure () -> String) {
        issueCount += 1
        if issues.count < AgreementsParser.maxIssuesKept || line == nil {
            issues.append(AgreementIssue(file: file, line: line, column: column, subject: subject(), message: message()))
        }
    }

    mutating func visit(_ count: Int) throws(TooManyValues) {
        valuesVisited += count
        if valuesVisited > AgreementsParser.maxValues { throw TooManyValues() }
    }

    // MARK: Document

    mutating func document(_ bytes: [UInt8]) -> [Partner] {
        guard bytes.count <= AgreementsParser.maxFileBytes else {
            issue("", line: nil, column: nil,
                  "the file is \(bytes.count) bytes, larger than the \(AgreementsParser.maxFileBytes) bytes (10 MiB) an agreements file may have")
            return []
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            issue("", line: Self.lineOfInvalidUTF8(body), column: nil, "the file is not valid UTF-8 text")
            return []
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            yamlError(error, text: text)
            return []
        }
        guard let root else {
            issue("partners", line: nil, column: nil, "required key is missing: the file holds no YAML document")
            return []
        }
        reportExplicitTags(root)
        guard issues.isEmpty else { return [] }
        do {
            return try partners(root)
        } catch {
            issue("", line: nil, column: nil,
                  "the file holds more than \(AgreementsParser.maxValues) values (counting what YAML aliases expand to); split or simplify it")
            return []
        }
    }

    mutating func partners(_ root: Node) throws(TooManyValues) -> [Partner] {
        let top = Location()
        guard let fields = try mapping(root, top, allowed: ["partners"], what: "a mapping with the key partners") else { return [] }
        guard let list = fields["partners"] else {
            issue(top.key("partners"), at: root, "required key is missing")
            return []
        }
        guard let items = try sequence(list, top.key("partners"), what: "a list of partners (write `partners: []` for none)") else {
            return []
        }
        guard items.count <= AgreementsParser.maxPartners else {
            issue(top.key("partners"), at: list, "\(items.count) partners; at most \(AgreementsParser.maxPartners) are allowed in one file")
            return []
        }
        var partners: [Partner] = []
        for (index, item) in items.enumerated() {
            if let partner = try partner(item, index: index) { partners.append(partner) }
        }
        return partners
    }
}
