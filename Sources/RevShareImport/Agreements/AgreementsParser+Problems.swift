import RevShareCore
import Yams

/// Problems of the whole file: YAML errors, tags, positions in the text.
extension AgreementsBuilder {
    // MARK: File-level problems

    /// YAML tags (`!foo 1`, `!!python/object …`) would give a value a meaning of the writer's
    /// choosing; agreements are plain data, so every tag outside YAML's core schema is refused.
    /// The walk stops at the values limit, which the reading that follows reports.
    mutating func reportExplicitTags(_ root: Node) {
        var pending = [root]
        var visited = 0
        while let node = pending.popLast(), visited < AgreementsParser.maxValues {
            visited += 1
            let tag = node.tag.description
            if !tag.hasPrefix("tag:yaml.org,2002:") {
                let plainValues = self.plainValues
                issue("", line: node.mark?.line, column: node.mark?.column,
                      "the YAML tag \(quoted(tag)) is not allowed; \(plainValues), write them without tags")
            }
            switch node {
            case .mapping(let mapping): for (key, value) in mapping { pending += [value, key] }
            case .sequence(let sequence): pending += sequence.reversed()
            default: break
            }
        }
    }

    mutating func yamlError(_ error: Error, text: String) {
        guard let error = error as? YamlError else {
            issue("", line: nil, column: nil, "could not read the YAML: \(error)")
            return
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) started on line \(context.mark.line), column \(context.mark.column))"
            }
            issue("", line: mark.line, column: mark.column, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // YAML names the first of the keys; the error belongs on the line that repeats it.
            let keys = duplicates.map { quoted($0) }.joined(separator: ", ")
            let first = (line: context.mark.line, column: context.mark.column)
            let repeated = duplicates.first.flatMap { Self.repetition(of: $0, after: first, in: text) }
            let located = repeated.map { _ in " (first on line \(first.line))" } ?? ""
            issue("", line: repeated?.line ?? first.line, column: repeated?.column ?? first.column,
                  "duplicate key \(keys) in one mapping\(located); each key may appear once")
        case .reader(let problem, let offset, _, _):
            let position = offset.map { Self.lineAndColumn(ofCharacter: $0, in: text) }
            issue("", line: position?.line, column: position?.column, "YAML error: \(problem)")
        default:
            issue("", line: nil, column: nil, "could not read the YAML: \(error)")
        }
    }

    /// Where `key` is written again as a key after its first place: on a later line at the same
    /// column (a block mapping) or later on the same line (a flow mapping).
    static func repetition(of key: String, after first: (line: Int, column: Int), in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for lineNumber in first.line...lines.count {
            let scalars = Array(lines[lineNumber - 1].unicodeScalars)
            let keyScalars = Array(key.unicodeScalars)
            let start = lineNumber == first.line ? first.column + keyScalars.count : 1
            guard start <= scalars.count else { continue }
            for column in start...scalars.count where column - 1 + keyScalars.count <= scalars.count {
                if lineNumber != first.line && column != first.column { continue }
                let candidate = scalars[(column - 1)..<(column - 1 + keyScalars.count)]
                let rest = scalars[(column - 1 + keyScalars.count)...].drop { $0 == " " }
                if Array(candidate) == keyScalars && rest.first == ":" { return (lineNumber, column) }
            }
        }
        return nil
    }

    static func lineAndColumn(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }

    static func lineOfInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput, .error: return line
            }
        }
    }
}

// MARK: - Helpers without state

func isNull(_ node: Node) -> Bool {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
}

func textOf(_ node: Node) -> String { shortened(node.scalar?.string ?? "") }

/// At most 80 characters of `text`, then `…`.
func shortened(_ text: String) -> String {
    text.unicodeScalars.count > 80 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(80))) + "…" : text
}

func describe(_ node: Node) -> String {
    switch node {
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    case .scalar(let scalar): isNull(node) ? "nothing" : quoted(scalar.string)
    }
}

/// `text` in double quotes, escaped, and cut after 80 characters so a huge value cannot flood
/// the messages.
func quoted(_ text: String) -> String {
    var out = "\""
    let limit = 80
    for (index, scalar) in text.unicodeScalars.enumerated() {
        if index == limit {
            out += "…"
            break
        }
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where AgreementsBuilder.isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
