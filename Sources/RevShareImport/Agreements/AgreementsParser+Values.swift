import RevShareCore
import Yams

/// Typed values from YAML nodes, each problem reported with its line and column.
extension AgreementsBuilder {
    // MARK: Values

    /// The mapping's values by key; unknown and non-text keys are reported (and left out).
    mutating func mapping(_ node: Node, _ location: Location, allowed: [String], what: String)
        throws(TooManyValues) -> [String: Node]?
    {
        guard let parsed = try fields(node, location, allowed: allowed, what: what) else { return nil }
        reportUnknown(parsed.unknown, location, allowed: allowed)
        return parsed.fields
    }

    /// The mapping's values by key, and its unknown keys for the caller to report once it
    /// knows the entity's name; non-text keys are reported.
    mutating func fields(_ node: Node, _ location: Location, allowed: [String], what: String)
        throws(TooManyValues) -> (fields: [String: Node], unknown: [Node])?
    {
        guard let pairs = try pairs(node, location, what: what) else { return nil }
        var fields: [String: Node] = [:]
        var unknown: [Node] = []
        for (key, value) in pairs {
            guard let name = key.scalar?.string else { continue }
            if allowed.contains(name) {
                fields[name] = value
            } else {
                unknown.append(key)
            }
        }
        return (fields, unknown)
    }

    mutating func reportUnknown(_ keys: [Node], _ location: Location, allowed: [String]) {
        for key in keys {
            let name = key.scalar?.string ?? ""
            let suggestion = suggestsKeys ? Self.suggestion(for: name, among: allowed) : ""
            issue(location.key(name), at: key, "unknown key\(suggestion); expected one of \(allowed.joined(separator: ", "))")
        }
    }

    /// The pairs of a mapping whose keys are all text; anything else is reported.
    mutating func pairs(_ node: Node, _ location: Location, what: String) throws(TooManyValues) -> [(Node, Node)]? {
        guard case .mapping(let mapping) = node else {
            issue(location, at: node, "expected \(what), found \(describe(node))")
            return nil
        }
        try visit(mapping.count)
        var pairs: [(Node, Node)] = []
        // Byte for byte: `café` and `cafe` + U+0301 are two models, as in the store.
        var firstLines: [ExactText: Int] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                issue(location, at: key, "a key is \(describe(key)); keys are plain text")
                continue
            }
            // YAML tells `1` from `"1"`; as names they are the same key.
            if let first = firstLines[ExactText(name)] {
                issue(location.key(name), at: key, "duplicate key (first on line \(first)); each key may appear once")
                continue
            }
            firstLines[ExactText(name)] = key.mark?.line ?? 0
            pairs.append((key, value))
        }
        return pairs
    }

    mutating func sequence(_ node: Node, _ location: Location, what: String) throws(TooManyValues) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            issue(location, at: node, "expected \(what), found \(describe(node))")
            return nil
        }
        try visit(sequence.count)
        return Array(sequence)
    }

    /// The text of a required scalar; a missing, null or non-text value is reported.
    mutating func requiredText(_ fields: [String: Node], _ key: String, in parent: Node, _ location: Location) -> String? {
        guard let node = fields[key] else {
            issue(location.key(key), at: parent, "required key is missing")
            return nil
        }
        guard !isNull(node) else {
            issue(location.key(key), at: node, "has no value")
            return nil
        }
        guard let scalar = node.scalar else {
            issue(location.key(key), at: node, "expected text, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    /// `text` when it has 1…`maximum` characters and no control characters.
    mutating func checkedText(_ text: String, at node: Node?, _ location: Location, maximum: Int) -> String? {
        if text.isEmpty {
            issue(location, at: node, "is empty")
        } else if text.unicodeScalars.count > maximum {
            issue(location, at: node, "is longer than \(maximum) characters")
        } else if text.unicodeScalars.contains(where: Self.isControl) {
            issue(location, at: node, "contains a control character (such as a line break or tab)")
        } else {
            return text
        }
        return nil
    }

    /// A non-negative decimal with at most `scale` fractional digits, as an integer count of
    /// 10^-scale units, read from the scalar's text exactly.
    mutating func decimal(_ node: Node, _ location: Location, scale: Int, digitsNote: String = "") -> Int64? {
        guard let scalar = node.scalar else {
            issue(location, at: node, "expected a decimal number, found \(describe(node))")
            return nil
        }
        let text = scalar.string
        let shown = shortened(text)
        switch ScaledDecimal.parse(text, scale: scale) {
        case .success(let value):
            return value
        case .failure(.empty):
            issue(location, at: node, "is empty; expected a decimal number")
        case .failure(.notADecimal):
            issue(location, at: node, "\(quoted(text)) is not a plain decimal number (like 0.25 or 1000, without exponent, sign or separators)")
        case .failure(.negativeNotAllowed):
            issue(location, at: node, "\(shown) is negative; it must be 0 or more")
        case .failure(.tooManyFractionDigits(let maximum)):
            issue(location, at: node, "\(shown) has more than \(maximum) fractional digits\(digitsNote)")
        case .failure(.outOfRange):
            issue(location, at: node, "\(shown) is too large")
        }
        return nil
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// ` (did you mean minimum_monthly?)` for a key within two edits of an allowed one.
    static func suggestion(for key: String, among allowed: [String]) -> String {
        let candidates = allowed.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 2 }
        guard let best = candidates.min(by: { $0.1 < $1.1 }) else { return "" }
        return " (did you mean \(best.0)?)"
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars), b = Array(rhs.unicodeScalars)
        guard a.count <= 64, b.count <= 64 else { return Int.max }
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previousDiagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previousDiagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                previousDiagonal = above
            }
        }
        return row[b.count]
    }
}
