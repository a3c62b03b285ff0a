import RevShareCore

/// One problem in an agreements file, with where it is:
/// `agreements.yaml:12:15: partner aws, agreement AWS-2024, tiers[1].rate: 1.5 is above 1; …`.
///
/// `subject` names the entity and the key path (list indexes are 0-based); it is empty for YAML
/// syntax errors. `line`/`column` (1-based, columns in Unicode scalars) are nil for problems of
/// the whole file, which read `FILE: subject: message`.
public struct AgreementIssue: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let subject: String
    public let message: String

    public init(file: String, line: Int?, column: Int?, subject: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.subject = subject
        self.message = message
    }

    public var description: String {
        var out = file
        if let line {
            out += ":\(line)"
            if let column { out += ":\(column)" }
        }
        out += ": "
        if !subject.isEmpty { out += subject + ": " }
        return out + message
    }
}

/// An agreements file that cannot be loaded as written. Every problem found is listed, in file
/// order; nothing was written (exit 65).
public struct AgreementFileError: RevShareFailure, Equatable, CustomStringConvertible {
    /// How many issues `diagnostics` prints before `… and N more errors` (SPEC §9).
    public static let printedLimit = 100

    /// The issues found, in file order (at most `AgreementsParser.maxIssuesKept` of them).
    public let issues: [AgreementIssue]
    /// How many issues were found in all; may exceed `issues.count`.
    public let totalCount: Int

    public init(issues: [AgreementIssue], totalCount: Int? = nil) {
        self.issues = issues
        self.totalCount = max(totalCount ?? issues.count, issues.count)
    }

    public var category: FailureCategory { .invalidInput }

    /// The first 100 issues, then `… and N more errors` when there are more.
    public var diagnostics: [String] {
        var lines = issues.prefix(Self.printedLimit).map(\.description)
        if totalCount > lines.count { lines.append("… and \(totalCount - lines.count) more errors") }
        return lines
    }

    public var description: String { diagnostics.joined(separator: "\n") }
}

/// An agreements file that is valid but whose loading a business rule refuses (SPEC §3.1, §9):
/// a change to what governs a closed period, or removing a partner that records refer to.
/// Nothing was written (exit 65).
public struct AgreementLoadRefusal: RevShareFailure, Equatable, CustomStringConvertible {
    public let file: String
    /// One sentence per refused change, without the file name.
    public let problems: [String]

    public init(file: String, problems: [String]) {
        self.file = file
        self.problems = problems
    }

    public var category: FailureCategory { .invalidInput }

    /// `FILE: problem` for the first 100, then `… and N more errors`, then what happened.
    public var diagnostics: [String] {
        var lines = problems.prefix(AgreementFileError.printedLimit).map { "\(file): \($0)" }
        if problems.count > lines.count { lines.append("… and \(problems.count - lines.count) more errors") }
        lines.append("\(file): the load was refused; nothing was changed")
        return lines
    }

    public var description: String { diagnostics.joined(separator: "\n") }
}
