import Foundation
import GRDB
import RevShareCore

/// A stored value that does not parse: only possible in a database changed behind revshare's
/// back. Reported (exit 70, pointing at `verify`) instead of trapping.
public struct UnreadableRow: RevShareFailure, CustomStringConvertible {
    public let table: String
    public let column: String
    /// The stored value as SQLite holds it, written for a person (`NULL` for a null).
    public let value: String

    public init(table: String, column: String, value: String) {
        self.table = table
        self.column = column
        self.value = value
    }

    public var category: FailureCategory { .internalError }
    public var diagnostics: [String] {
        ["\(table).\(column): the stored value \"\(value)\" cannot be read; the database was changed outside revshare: run `revshare verify`"]
    }
    public var description: String { diagnostics[0] }
}

/// The one way a stored value is read: every column goes through these, so a NULL where a
/// value is expected, text where a number is, a bad date, period, currency or kind is an
/// `UnreadableRow` naming table and column — never a GRDB trap, a silent SQLite conversion
/// (text read as 0) or a default.
///
/// Values are taken exactly as stored (`Int64` only from an integer, `String` only from text).
extension Row {
    /// The raw value at `column`; nil for NULL (and for a column the query does not return).
    private func stored(_ column: String) -> (any DatabaseValueConvertible)? { self[column] }

    private func stored(at index: Int) -> (any DatabaseValueConvertible)? { self[index] }

    static func unreadable(_ value: (any DatabaseValueConvertible)?, _ column: String, _ table: String) -> UnreadableRow {
        UnreadableRow(table: table, column: column, value: Self.describe(value))
    }

    static func describe(_ value: (any DatabaseValueConvertible)?) -> String {
        switch value {
        case nil: "NULL"
        case let text as String: text
        case let number as Int64: String(number)
        case let number as Double: String(number)
        case let data as Data: "a \(data.count)-byte blob"
        case let other?: String(describing: other)
        }
    }

    private static func int64(_ value: (any DatabaseValueConvertible)?, _ column: String, _ table: String) throws -> Int64 {
        guard let number = value as? Int64 else { throw unreadable(value, column, table) }
        return number
    }

    private static func text(_ value: (any DatabaseValueConvertible)?, _ column: String, _ table: String) throws -> String {
        guard let text = value as? String else { throw unreadable(value, column, table) }
        return text
    }

    // MARK: by name

    func int64(_ column: String, in table: String) throws -> Int64 {
        try Self.int64(stored(column), column, table)
    }

    func optionalInt64(_ column: String, in table: String) throws -> Int64? {
        guard let value = stored(column) else { return nil }
        return try Self.int64(value, column, table)
    }

    func int(_ column: String, in table: String) throws -> Int {
        let value = stored(column)
        guard let number = Int(exactly: try Self.int64(value, column, table)) else { throw Self.unreadable(value, column, table) }
        return number
    }

    /// An integer that must be 0 or 1.
    func bool(_ column: String, in table: String) throws -> Bool {
        let value = stored(column)
        switch try Self.int64(value, column, table) {
        case 0: return false
        case 1: return true
        default: throw Self.unreadable(value, column, table)
        }
    }

    func text(_ column: String, in table: String) throws -> String {
        try Self.text(stored(column), column, table)
    }

    func optionalText(_ column: String, in table: String) throws -> String? {
        guard let value = stored(column) else { return nil }
        return try Self.text(value, column, table)
    }

    /// A stored enumeration's text (a discrepancy kind, a severity): one this build knows.
    func enumeration<T: RawRepresentable>(_ column: String, in table: String) throws -> T where T.RawValue == String {
        let value = stored(column)
        guard let value = T(rawValue: try Self.text(value, column, table)) else { throw Self.unreadable(stored(column), column, table) }
        return value
    }

    func period(_ column: String, in table: String) throws -> Period {
        let value = stored(column)
        guard let period = Period(try Self.text(value, column, table)) else { throw Self.unreadable(value, column, table) }
        return period
    }

    func optionalPeriod(_ column: String, in table: String) throws -> Period? {
        guard stored(column) != nil else { return nil }
        return try period(column, in: table)
    }

    func date(_ column: String, in table: String) throws -> CivilDate {
        let value = stored(column)
        guard let date = CivilDate(try Self.text(value, column, table)) else { throw Self.unreadable(value, column, table) }
        return date
    }

    func currency(_ column: String, in table: String) throws -> Currency {
        let value = stored(column)
        guard let currency = Currency(code: try Self.text(value, column, table)) else { throw Self.unreadable(value, column, table) }
        return currency
    }

    /// A text naming one case of `type` (a kind, a basis, …).
    func enumeration<Value: RawRepresentable>(_ type: Value.Type, _ column: String, in table: String) throws -> Value
    where Value.RawValue == String {
        let value = stored(column)
        guard let parsed = Value(rawValue: try Self.text(value, column, table)) else { throw Self.unreadable(value, column, table) }
        return parsed
    }

    // MARK: by position (for the ledger scan, which reads every row)

    func int64(at index: Int, _ column: String, in table: String) throws -> Int64 {
        try Self.int64(stored(at: index), column, table)
    }

    func text(at index: Int, _ column: String, in table: String) throws -> String {
        try Self.text(stored(at: index), column, table)
    }

    func optionalText(at index: Int, _ column: String, in table: String) throws -> String? {
        guard let value = stored(at: index) else { return nil }
        return try Self.text(value, column, table)
    }
}

extension ReadContext {
    /// Every value of a one-column query, read as text (`table.column` names it in an error).
    func texts(_ sql: String, arguments: StatementArguments = [], column: String, in table: String) throws -> [String] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { try $0.text(at: 0, column, in: table) }
    }

    /// The one value of a one-row, one-column query, read as an integer; nil for no row or NULL.
    func optionalInt64(_ sql: String, arguments: StatementArguments = [], column: String, in table: String) throws -> Int64? {
        guard let row = try Row.fetchOne(db, sql: sql, arguments: arguments), !row.hasNull(atIndex: 0) else { return nil }
        return try row.int64(at: 0, column, in: table)
    }
}
