import RevShareCore

/// One problem in an input file, located as precisely as it can be (SPEC §9):
/// `FILE:LINE: column: message`, or `FILE: column: message` for a whole report or file.
public struct InputError: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: String
    public let message: String

    public init(file: String, line: Int?, column: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        // The file name is the user's and the column may come from the file's header: both
        // are shown escaped, like the field values quoted in messages.
        let file = TerminalText.escaped(self.file), column = TerminalText.escaped(self.column)
        if let line { return "\(file):\(line): \(column): \(message)" }
        return "\(file): \(column): \(message)"
    }
}

/// Errors collected through a whole file: the first `printedLimit` kept, all counted, so that
/// a file with a million bad lines costs no more memory than one with a hundred.
public struct InputErrorList: Sendable {
    public static let printedLimit = 100
    public private(set) var first: [InputError] = []
    public private(set) var count = 0

    public init() {}

    public var isEmpty: Bool { count == 0 }

    public mutating func add(_ error: InputError) {
        count += 1
        if first.count < Self.printedLimit { first.append(error) }
    }

    /// Counts errors that were found but not kept.
    public mutating func countUnkept(_ count: Int) {
        self.count += max(0, count)
    }
}

/// An input file refused: nothing was written (exit 65).
public struct InvalidInput: RevShareFailure, CustomStringConvertible {
    public let errors: InputErrorList
    /// Printed in full after the others and their count: the unmapped values of a map import.
    public let trailing: [InputError]

    public init(_ errors: InputErrorList, trailing: [InputError] = []) {
        self.errors = errors
        self.trailing = trailing
    }

    public var category: FailureCategory { .invalidInput }

    public var diagnostics: [String] {
        var lines = errors.first.map(\.description)
        if errors.count > errors.first.count { lines.append("… and \(errors.count - errors.first.count) more errors") }
        lines += trailing.map(\.description)
        lines.append("nothing was imported: fix the file and import it again")
        return lines
    }

    public var description: String { diagnostics.joined(separator: "\n") }
}
