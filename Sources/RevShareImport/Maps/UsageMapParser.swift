import RevShareCore
import Yams

/// Reads a usage map file (SPEC-intake §I4) with the agreements file's YAML reader: scalars from
/// their text, tags and duplicate keys refused, every problem as `MAP:LINE:COL: KEYPATH: message`.
public enum UsageMapParser {
    public static let maxFileBytes = 1 << 20
    public static let maxFilters = 100
    public static let maxTableEntries = 100_000
    public static let maxTexts = 1_000
    public static let maxDedupeKeys = 10
    static let topKeys = ["revshare_map", "name", "description", "source", "grain", "dedupe", "filters", "negate_when", "columns"]
    static let tests = ["equals", "in", "not_in", "matches", "empty"]
    static let separators: [String: UInt8] = [",": 0x2C, "\t": 0x09, ";": 0x3B, "|": 0x7C]

    /// `fileName` is the map as given on the command line (or the built-in's name).
    public static func parse(_ bytes: [UInt8], fileName: String) throws(AgreementFileError) -> UsageMap {
        var builder = MapBuilder(file: fileName)
        let map = builder.document(bytes)
        if let error = builder.yaml.fileError() { throw error }
        guard let map else { throw AgreementFileError(issues: [AgreementIssue(file: fileName, line: nil, column: nil, subject: "", message: "the map could not be read")]) }
        return map
    }
}

struct MapBuilder {
    var yaml: AgreementsBuilder
    var grain = UsageMap.Grain.day

    init(file: String) {
        yaml = AgreementsBuilder(file: file)
        yaml.plainValues = "a map holds plain values"
        yaml.suggestsKeys = false
    }

    mutating func document(_ bytes: [UInt8]) -> UsageMap? {
        guard bytes.count <= UsageMapParser.maxFileBytes else {
            yaml.issue("", line: nil, column: nil, "the map is \(bytes.count) bytes, larger than the \(UsageMapParser.maxFileBytes) bytes (1 MiB) a map may have")
            return nil
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            yaml.issue("", line: AgreementsBuilder.lineOfInvalidUTF8(body), column: nil, "the map is not valid UTF-8 text")
            return nil
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            yaml.yamlError(error, text: text)
            return nil
        }
        guard let root else {
            yaml.issue("revshare_map", line: nil, column: nil, "required key is missing: the map holds no YAML document")
            return nil
        }
        yaml.reportExplicitTags(root)
        guard yaml.issues.isEmpty else { return nil }
        do {
            return try top(root)
        } catch {
            yaml.issue("", line: nil, column: nil, "the map holds more than \(AgreementsParser.maxValues) values (counting what YAML aliases expand to)")
            return nil
        }
    }

    mutating func top(_ root: Node) throws(TooManyValues) -> UsageMap? {
        let here = Location()
        guard let fields = try yaml.mapping(root, here, allowed: UsageMapParser.topKeys, what: "a mapping with revshare_map, name, description and columns") else { return nil }
        if let version = yaml.requiredText(fields, "revshare_map", in: root, here), version != "1" {
            yaml.issue(here.key("revshare_map"), at: fields["revshare_map"], "\(quoted(version)) is not a map version revshare reads; write 1")
        }
        let name = mapName(fields, root)
        let description = yaml.requiredText(fields, "description", in: root, here).flatMap {
            yaml.checkedText($0, at: fields["description"], here.key("description"), maximum: 200)
        }
        let separator = try self.separator(fields["source"])
        grain = grainValue(fields["grain"])
        let dedupe = try fields["dedupe"].flatMap { node throws(TooManyValues) in try self.dedupe(node) }
        let filters = try fields["filters"].flatMap { node throws(TooManyValues) in try self.filters(node) } ?? []
        let negateWhen = try fields["negate_when"].flatMap { node throws(TooManyValues) in try condition(node, here.key("negate_when"), extra: []) }
        var columns: [MapTarget: ColumnRule]?
        if let node = fields["columns"] {
            columns = try self.columns(node)
        } else {
            yaml.issue(here.key("columns"), at: root, "required key is missing")
        }
        guard let name, let description, let separator, let columns, yaml.issueCount == 0 else { return nil }
        return UsageMap(name: name, description: description, separator: separator, grain: grain, dedupe: dedupe,
                        filters: filters, negateWhen: negateWhen, columns: columns)
    }

    private mutating func mapName(_ fields: [String: Node], _ root: Node) -> String? {
        guard let name = yaml.requiredText(fields, "name", in: root, Location()) else { return nil }
        guard AgreementsParser.isValidPartnerID(name) else {
            yaml.issue(Location().key("name"), at: fields["name"], "\(quoted(name)) is not a map name: lowercase letters a-z, digits and '-', starting with a letter or digit, at most 64 characters")
            return nil
        }
        return name
    }

    private mutating func separator(_ node: Node?) throws(TooManyValues) -> UInt8? {
        guard let node else { return 0x2C }
        let here = Location().key("source")
        guard let fields = try yaml.mapping(node, here, allowed: ["delimiter"], what: "a mapping {delimiter: D}") else { return nil }
        guard let text = yaml.requiredText(fields, "delimiter", in: node, here) else { return nil }
        guard let byte = UsageMapParser.separators[text] else {
            yaml.issue(here.key("delimiter"), at: fields["delimiter"], "\(quoted(text)) is not a delimiter; write \",\", \"\\t\", \";\" or \"|\"")
            return nil
        }
        return byte
    }

    private mutating func grainValue(_ node: Node?) -> UsageMap.Grain {
        guard let node else { return .day }
        guard let text = node.scalar?.string, let grain = UsageMap.Grain(rawValue: text) else {
            yaml.issue(Location().key("grain"), at: node, "expected day or month, found \(describe(node))")
            return .day
        }
        return grain
    }

    private mutating func dedupe(_ node: Node) throws(TooManyValues) -> UsageMap.Dedupe? {
        let here = Location().key("dedupe")
        guard let fields = try yaml.mapping(node, here, allowed: ["key", "latest", "format"], what: "a mapping {key: [COLUMN, …], latest: COLUMN, format: FORMAT}") else { return nil }
        var key: [String]?
        if let list = fields["key"] {
            key = try texts(list, here.key("key"), range: 1...UsageMapParser.maxDedupeKeys, what: "column names")
        } else {
            yaml.issue(here.key("key"), at: node, "required key is missing")
        }
        let latest = yaml.requiredText(fields, "latest", in: node, here).flatMap { columnName($0, fields["latest"], here.key("latest")) }
        let format = fields["format"].map { dateFormat($0, here.key("format")) } ?? .isoDate
        guard let key, let latest, let format else { return nil }
        return UsageMap.Dedupe(key: key, latest: latest, format: format)
    }

    private mutating func filters(_ node: Node) throws(TooManyValues) -> [UsageMap.Filter]? {
        let here = Location().key("filters")
        guard let items = try yaml.sequence(node, here, what: "a list of filters") else { return nil }
        guard items.count <= UsageMapParser.maxFilters else {
            yaml.issue(here, at: node, "\(items.count) filters; at most \(UsageMapParser.maxFilters) are allowed")
            return nil
        }
        var filters: [UsageMap.Filter] = []
        var firstLines: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let at = here.index(index + 1)
            guard let condition = try condition(item, at, extra: ["name"]) else { continue }
            guard case .mapping(let mapping) = item, let nameNode = mapping.first(where: { $0.key.scalar?.string == "name" })?.value else {
                yaml.issue(at.key("name"), at: item, "required key is missing")
                continue
            }
            let name = nameNode.scalar?.string ?? ""
            guard AgreementsParser.isValidPartnerID(name) else {
                yaml.issue(at.key("name"), at: nameNode, "\(quoted(name)) is not a filter name: lowercase letters a-z, digits and '-', starting with a letter or digit, at most 64 characters")
                continue
            }
            if let first = firstLines[name] {
                yaml.issue(at.key("name"), at: nameNode, "duplicate filter name \(quoted(name)) (first on line \(first)); filter names are unique")
                continue
            }
            firstLines[name] = nameNode.mark?.line ?? 0
            filters.append(UsageMap.Filter(name: name, condition: condition))
        }
        return filters
    }

    /// `{column: COLUMN, TEST}` with exactly one test; `extra` keys are allowed and left to the caller.
    mutating func condition(_ node: Node, _ here: Location, extra: [String]) throws(TooManyValues) -> MapCondition? {
        let allowed = extra + ["column"] + UsageMapParser.tests
        guard let fields = try yaml.mapping(node, here, allowed: allowed, what: "a condition {column: COLUMN, TEST}") else { return nil }
        let column = yaml.requiredText(fields, "column", in: node, here).flatMap { columnName($0, fields["column"], here.key("column")) }
        let present = UsageMapParser.tests.filter { fields[$0] != nil }
        guard let testName = present.first else {
            yaml.issue(here, at: node, "a condition needs one test: equals, in, not_in, matches or empty")
            return nil
        }
        if present.count > 1 {
            yaml.issue(here.key(present[1]), at: fields[present[1]], "a condition has exactly one test; this one also has \(testName)")
            return nil
        }
        guard let test = try test(testName, fields[testName]!, here.key(testName)), let column else { return nil }
        return MapCondition(column: column, test: test)
    }

    private mutating func test(_ name: String, _ node: Node, _ here: Location) throws(TooManyValues) -> MapCondition.Test? {
        switch name {
        case "equals":
            return scalarText(node, here).map { .equals(Array($0.utf8)) }
        case "in", "not_in":
            guard let list = try texts(node, here, range: 1...UsageMapParser.maxTexts, what: "texts") else { return nil }
            let set = Set(list.map { Array($0.utf8) })
            return name == "in" ? .oneOf(set) : .noneOf(set)
        case "matches":
            return regex(node, here, groups: nil).map { .matches($0) }
        default:
            return boolean(node, here).map { .empty($0) }
        }
    }

    // MARK: Scalars

    mutating func scalarText(_ node: Node, _ here: Location) -> String? {
        guard let scalar = node.scalar, !isNull(node) else {
            yaml.issue(here, at: node, "expected text, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func columnName(_ text: String, _ node: Node?, _ here: Location) -> String? {
        yaml.checkedText(text, at: node, here, maximum: 1_000)
    }

    mutating func boolean(_ node: Node, _ here: Location) -> Bool? {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default:
            yaml.issue(here, at: node, "expected true or false, found \(describe(node))")
            return nil
        }
    }

    mutating func texts(_ node: Node, _ here: Location, range: ClosedRange<Int>, what: String) throws(TooManyValues) -> [String]? {
        guard let items = try yaml.sequence(node, here, what: "a list of \(what)") else { return nil }
        guard range.contains(items.count) else {
            yaml.issue(here, at: node, "\(items.count) \(what); \(range.lowerBound) to \(range.upperBound) are allowed")
            return nil
        }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = scalarText(item, here.index(index + 1)) else { return nil }
            texts.append(text)
        }
        return texts
    }

    /// A pattern of the subset with `groups` capture groups (any number when nil).
    mutating func regex(_ node: Node, _ here: Location, groups: Int?) -> MapRegex? {
        guard let text = scalarText(node, here) else { return nil }
        switch MapRegex.compile(text) {
        case .failure(let problem):
            yaml.issue(here, at: node, problem.message)
            return nil
        case .success(let regex):
            if let groups, regex.captureGroups != groups {
                yaml.issue(here, at: node, "has \(regex.captureGroups) capture group\(regex.captureGroups == 1 ? "" : "s"); exactly \(groups) \(groups == 1 ? "is" : "are") needed")
                return nil
            }
            return regex
        }
    }

    mutating func dateFormat(_ node: Node, _ here: Location) -> MapDateFormat? {
        guard let text = scalarText(node, here) else { return nil }
        switch MapDateFormat.parse(text) {
        case .success(let format): return format
        case .failure(let problem):
            yaml.issue(here, at: node, "\(quoted(text)) is not a date format: \(problem.message)")
            return nil
        }
    }
}
