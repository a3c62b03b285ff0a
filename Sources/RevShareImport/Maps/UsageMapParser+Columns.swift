import RevShareCore
import Yams

/// `columns`: one rule per §3.2 target (SPEC-intake §I4.3).
extension MapBuilder {
    static let sources = ["from", "const", "filename"]
    /// Modifiers that only make sense with `from`.
    static let fromOnly = ["optional", "default", "format", "extract", "when"]

    mutating func columns(_ node: Node) throws(TooManyValues) -> [MapTarget: ColumnRule]? {
        let here = Location().key("columns")
        let names = MapTarget.allCases.map(\.rawValue)
        guard let fields = try yaml.mapping(node, here, allowed: names, what: "a mapping of target columns to rules") else { return nil }
        var rules: [MapTarget: ColumnRule] = [:]
        for target in MapTarget.allCases {
            guard let ruleNode = fields[target.rawValue] else {
                if MapTarget.required.contains(target) { yaml.issue(here.key(target.rawValue), at: node, "required key is missing") }
                continue
            }
            if let rule = try rule(ruleNode, target, here.key(target.rawValue)) { rules[target] = rule }
        }
        return rules
    }

    private mutating func rule(_ node: Node, _ target: MapTarget, _ here: Location) throws(TooManyValues) -> ColumnRule? {
        guard let fields = try yaml.mapping(node, here, allowed: target.allowedKeys, what: "a rule (a mapping with from, const\(target == .usageDate ? " or filename" : ""))") else { return nil }
        let present = Self.sources.filter { fields[$0] != nil }
        guard let sourceKey = present.first else {
            yaml.issue(here, at: node, "a rule needs one source: \(target == .usageDate ? "from, const or filename" : "from or const")")
            return nil
        }
        if present.count > 1 {
            yaml.issue(here.key(present[1]), at: fields[present[1]], "a rule has exactly one source; this one also has \(sourceKey)")
            return nil
        }
        if sourceKey != "from" {
            for key in Self.fromOnly where fields[key] != nil {
                yaml.issue(here.key(key), at: fields[key], "\(key) needs from; this rule's source is \(sourceKey)")
            }
        }
        guard var rule = try source(sourceKey, fields[sourceKey]!, target, here) else { return nil }
        try modifiers(&rule, fields, target, here)
        validateValues(rule, fields, target, here)
        return rule
    }

    private mutating func source(_ key: String, _ node: Node, _ target: MapTarget, _ here: Location) throws(TooManyValues) -> ColumnRule? {
        switch key {
        case "from":
            return scalarText(node, here.key(key)).flatMap { columnName($0, node, here.key(key)) }.map { ColumnRule(source: .column($0)) }
        case "const":
            return scalarText(node, here.key(key)).map { ColumnRule(source: .constant($0)) }
        default:
            guard grain == .month else {
                yaml.issue(here.key(key), at: node, "filename needs grain: month (the file name gives a month, not a day)")
                return nil
            }
            return regex(node, here.key(key), groups: 2).map { ColumnRule(source: .fileName($0)) }
        }
    }

    private mutating func modifiers(_ rule: inout ColumnRule, _ fields: [String: Node], _ target: MapTarget, _ here: Location) throws(TooManyValues) {
        if let node = fields["optional"] { rule.optional = boolean(node, here.key("optional")) ?? false }
        if let node = fields["default"] { rule.defaultValue = scalarText(node, here.key("default")) }
        if let node = fields["format"], let format = dateFormat(node, here.key("format")) { rule.format = format }
        if let node = fields["extract"] { rule.extract = regex(node, here.key("extract"), groups: 1) }
        if let node = fields["map"] { rule.table = try table(node, here.key("map")) }
        if let node = fields["aliases"] {
            if node.scalar?.string == "partner" {
                rule.aliases = true
            } else {
                yaml.issue(here.key("aliases"), at: node, "expected partner, found \(describe(node))")
            }
        }
        if let node = fields["scale"] { rule.scale = scale(node, here.key("scale")) ?? 0 }
        if let node = fields["round"] {
            if node.scalar?.string == "half_even" {
                rule.round = true
            } else {
                yaml.issue(here.key("round"), at: node, "expected half_even, found \(describe(node))")
            }
        }
        if let node = fields["when"] { rule.when = try condition(node, here.key("when"), extra: []) }
    }

    private mutating func scale(_ node: Node, _ here: Location) -> Int? {
        guard let text = node.scalar?.string, let value = Int(text), text == String(value), (-12...12).contains(value) else {
            yaml.issue(here, at: node, "expected a whole number from -12 to 12, found \(describe(node))")
            return nil
        }
        return value
    }

    private mutating func table(_ node: Node, _ here: Location) throws(TooManyValues) -> [ExactText: String]? {
        guard let pairs = try yaml.pairs(node, here, what: "a mapping of source values to model ids") else { return nil }
        guard pairs.count <= UsageMapParser.maxTableEntries else {
            yaml.issue(here, at: node, "\(pairs.count) entries; at most \(UsageMapParser.maxTableEntries) are allowed")
            return nil
        }
        var table: [ExactText: String] = [:]
        for (key, value) in pairs {
            let source = key.scalar?.string ?? ""
            guard let model = scalarText(value, here.key(source)),
                  yaml.checkedText(model, at: value, here.key(source), maximum: UsageBatch.maximumModelCharacters) != nil else { continue }
            table[ExactText(source)] = model
        }
        return table
    }

    /// A `const` or `default` must be a valid value of its target (SPEC-intake §I12).
    private mutating func validateValues(_ rule: ColumnRule, _ fields: [String: Node], _ target: MapTarget, _ here: Location) {
        var values: [(key: String, text: String)] = []
        if case .constant(let text) = rule.source { values.append(("const", text)) }
        if let text = rule.defaultValue { values.append(("default", text)) }
        for (key, text) in values {
            let isDefault = key == "default"
            if let problem = MapValueRules.problem(text, target: target, rule: rule, isDefault: isDefault) {
                yaml.issue(here.key(key), at: fields[key], "\(quoted(text)) \(problem)")
            }
        }
    }
}
