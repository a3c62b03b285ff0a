/// What kind of failure an error is; the executable maps each to one exit code (SPEC §7).
public enum FailureCategory: Sendable, Equatable {
    /// Bad flags or values in flags (64).
    case usage
    /// Invalid input data, or a request refused by a business rule; nothing was written (65).
    case invalidInput
    /// An input file or the database file is missing or unreadable (66).
    case notFound
    /// A bug: an invariant revshare itself should have kept (70).
    case internalError
    /// The database could not be read or written: busy past the timeout, disk full, I/O (74).
    case databaseIO
}

/// An error that knows its category and how to explain itself, one line per problem.
public protocol RevShareFailure: Error {
    var category: FailureCategory { get }
    /// Each line says what was wrong, where, and what to do where there is something to do.
    var diagnostics: [String] { get }
}

/// A single-message failure for refusals and lookups that name one entity.
public struct Refusal: RevShareFailure, Equatable, CustomStringConvertible {
    public let category: FailureCategory
    public let message: String

    public init(_ category: FailureCategory, _ message: String) {
        self.category = category
        self.message = message
    }

    public var diagnostics: [String] { [message] }
    public var description: String { message }
}
