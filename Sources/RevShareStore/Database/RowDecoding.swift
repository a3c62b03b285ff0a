import GRDB
import RevShareCore

/// A stored value that does not parse: only possible in a database changed behind revshare's
/// back. Reported (exit 70, pointing at `verify`) instead of trapping.
public struct UnreadableRow: RevShareFailure, CustomStringConvertible {
    public let table: String
    public let column: String
    public let value: String

    public var category: FailureCategory { .internalError }
    public var diagnostics: [String] {
        ["\(table).\(column): the stored value \"\(value)\" cannot be read; the database was changed outside revshare: run `revshare verify`"]
    }
    public var description: String { diagnostics[0] }
}

extension Row {
    /// A stored enumeration's text (a discrepancy kind, a severity): one the build knows, or unreadable.
    func enumeration<T: RawRepresentable>(_ column: String, in table: String) throws -> T where T.RawValue == String {
        let text: String? = self[column]
        guard let text, let value = T(rawValue: text) else { throw UnreadableRow(table: table, column: column, value: text ?? "NULL") }
        return value
    }

    func period(_ column: String, in table: String) throws -> Period {
        let text: String = self[column]
        guard let period = Period(text) else { throw UnreadableRow(table: table, column: column, value: text) }
        return period
    }

    func date(_ column: String, in table: String) throws -> CivilDate {
        let text: String = self[column]
        guard let date = CivilDate(text) else { throw UnreadableRow(table: table, column: column, value: text) }
        return date
    }

    func currency(_ column: String, in table: String) throws -> Currency {
        let text: String = self[column]
        guard let currency = Currency(code: text) else { throw UnreadableRow(table: table, column: column, value: text) }
        return currency
    }
}
