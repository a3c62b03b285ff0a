/// A regular expression of the map subset (SPEC-intake §I4.4): what means the same in ICU, Swift
/// Regex, PCRE and Python. The subset is checked here, character by character, before Swift's
/// engine compiles it, so a map never depends on one engine's extensions.
public struct MapRegex: @unchecked Sendable {
    /// The pattern as the map writes it.
    public let pattern: String
    public let captureGroups: Int
    // Regex holds no mutable state once built; matching does not change it.
    private let regex: Regex<AnyRegexOutput>

    /// The pattern compiled, or the message naming what is outside the subset.
    public static func compile(_ pattern: String) -> Result<MapRegex, FieldProblem> {
        var checker = SubsetChecker(Array(pattern.unicodeScalars))
        if let problem = checker.check() { return .failure(FieldProblem(problem)) }
        do {
            let regex = try Regex(pattern).matchingSemantics(.unicodeScalar)
            return .success(MapRegex(pattern: pattern, captureGroups: checker.groups, regex: regex))
        } catch {
            return .failure(FieldProblem("\(pattern) is not a valid regular expression"))
        }
    }

    /// Whether `text` contains a match.
    public func matches(_ text: String) -> Bool {
        (try? regex.firstMatch(in: text)) != nil
    }

    /// The text of the first capture group in the first match; nil when there is no match.
    public func firstGroup(in text: String) -> String? {
        guard let match = try? regex.firstMatch(in: text), match.output.count > 1 else { return nil }
        return match.output[1].substring.map(String.init) ?? ""
    }

    /// The texts of every capture group in the first match.
    public func groups(in text: String) -> [String]? {
        guard let match = try? regex.firstMatch(in: text) else { return nil }
        return (1..<match.output.count).map { match.output[$0].substring.map(String.init) ?? "" }
    }
}

/// Walks a pattern and names the first construct outside the subset.
private struct SubsetChecker {
    static let escapablePunctuation: Set<Unicode.Scalar> = [".", "-", "\\", "/", "(", ")", "[", "]", "{", "}", "|", "*", "+", "?", "^", "$"]
    static let letterHints: [Unicode.Scalar: String] = ["d": "[0-9]", "w": "[A-Za-z0-9_]", "s": "[ ]", "D": "[^0-9]"]

    let scalars: [Unicode.Scalar]
    var position = 0
    var groups = 0
    var openGroups = 0
    /// Whether the last item can take a quantifier (an atom or a group just closed).
    var quantifiable = false

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func check() -> String? {
        while position < scalars.count {
            if let problem = item() { return problem }
        }
        return openGroups > 0 ? "( is not closed" : nil
    }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        position + offset < scalars.count ? scalars[position + offset] : nil
    }

    private mutating func item() -> String? {
        let scalar = scalars[position]
        switch scalar {
        case "\\": return escape(inClass: false)
        case "[": return characterClass()
        case "(": return openGroup()
        case ")":
            guard openGroups > 0 else { return ") has no matching (" }
            openGroups -= 1
            position += 1
            quantifiable = true
        case "|", "^", "$":
            position += 1
            quantifiable = false
        case "*", "+", "?", "{": return quantifier()
        case "]", "}": return "\(scalar) stands alone; write \\\(scalar)"
        default:
            position += 1
            quantifiable = true
        }
        return nil
    }

    private mutating func escape(inClass: Bool) -> String? {
        guard let next = peek(1) else { return "\\ at the end of the pattern escapes nothing" }
        guard Self.escapablePunctuation.contains(next) else {
            let hint = Self.letterHints[next].map { "; write \($0)" } ?? ""
            return "\\\(next) is not in the regular-expression subset\(hint)"
        }
        position += 2
        quantifiable = !inClass
        return nil
    }

    private mutating func openGroup() -> String? {
        if peek(1) == "?" {
            guard peek(2) == ":" else {
                let shown = String(String.UnicodeScalarView(scalars[position..<min(position + 3, scalars.count)]))
                return "\(shown) is not in the regular-expression subset (only (…) and (?:…) groups)"
            }
            position += 3
        } else {
            groups += 1
            position += 1
        }
        openGroups += 1
        quantifiable = false
        return nil
    }

    private mutating func characterClass() -> String? {
        position += 1
        if peek() == "^" { position += 1 }
        if peek() == "]" { return "[] is empty or starts with ]; write \\] for a bracket" }
        while let scalar = peek() {
            switch scalar {
            case "]":
                position += 1
                quantifiable = true
                return nil
            case "\\":
                if let problem = escape(inClass: true) { return problem }
            case "[": return "[ inside a class is not in the regular-expression subset; write \\["
            case _ where ["&", "-", "~"].contains(scalar) && peek(1) == scalar:
                return "\(scalar)\(scalar) inside a class is not in the regular-expression subset"
            default: position += 1
            }
        }
        return "[ is not closed"
    }

    private mutating func quantifier() -> String? {
        guard quantifiable else { return "\(scalars[position]) has nothing to repeat" }
        if scalars[position] == "{" {
            guard let problem = bounds() else { return lazySuffix() }
            return problem
        }
        position += 1
        return lazySuffix()
    }

    /// `{n}`, `{n,}` or `{n,m}`.
    private mutating func bounds() -> String? {
        var end = position + 1
        var digits = 0, commas = 0
        while end < scalars.count, scalars[end] != "}" {
            if scalars[end] == "," { commas += 1 } else if ("0"..."9").contains(scalars[end]) { digits += 1 } else { break }
            end += 1
        }
        let body = String(String.UnicodeScalarView(scalars[(position + 1)..<min(end, scalars.count)]))
        let parts = body.split(separator: ",", omittingEmptySubsequences: false)
        let valid = end < scalars.count && scalars[end] == "}" && digits > 0 && commas <= 1 && !parts[0].isEmpty
            && (parts.count == 1 || parts[1].isEmpty || Int(parts[1]).map { $0 >= Int(parts[0]) ?? 0 } == true)
        guard valid else { return "{ is not a quantifier {n}, {n,} or {n,m}; write \\{ for a brace" }
        position = end + 1
        return nil
    }

    private mutating func lazySuffix() -> String? {
        if peek() == "?" { position += 1 }
        quantifiable = false
        if let next = peek(), ["*", "+", "?", "{"].contains(next) {
            return "\(next) after a quantifier is not in the regular-expression subset"
        }
        return nil
    }
}
