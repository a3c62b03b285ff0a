import GRDB
import GRDBSQLite
import RevShareCore

/// A prepared statement bound through SQLite's C calls, for the per-row hot path of imports.
/// Binding through `StatementArguments` costs about twice as much per row; text is bound
/// straight from the CSV reader's bytes without building a `String`.
final class RawStatement {
    private let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, text: UnsafeRawBufferPointer) {
        // An empty buffer may have a nil base address; SQLite wants a non-null pointer for ''.
        let base = text.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(text.count), Self.transient)
    }

    /// Binds text without SQLite copying it: the bytes must stay valid until the statement has
    /// run (`execute` or `firstInt64`), which callers guarantee by running it inside the scope
    /// that lends the bytes. Saves a malloc and a copy per field on the import hot path.
    func bind(_ index: Int32, borrowedText text: UnsafeRawBufferPointer) {
        let base = text.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(text.count), nil)
    }

    func bind(_ index: Int32, text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { bind(index, text: UnsafeRawBufferPointer($0)) }
    }

    /// Runs the bound statement; returns the number of rows it changed.
    @discardableResult
    func execute() throws -> Int {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE || code == SQLITE_ROW else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: statement.sql)
        }
        return Int(sqlite3_changes(sqlite3_db_handle(handle)))
    }

    /// Runs the bound statement and returns the first column of its first row, if any.
    func firstInt64() throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return sqlite3_column_int64(handle, 0) }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                                sql: statement.sql)
        }
        return nil
    }
}
