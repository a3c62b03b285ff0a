import GRDB
import RevShareCore

/// A database failure, classified for the exit code and explained for the user.
public struct StoreError: RevShareFailure, CustomStringConvertible {
    public let category: FailureCategory
    public let message: String

    init(_ error: Error, path: String, doing: String) {
        if let failure = error as? RevShareFailure {
            category = failure.category
            message = failure.diagnostics.joined(separator: "\n")
            return
        }
        guard let error = error as? DatabaseError else {
            category = .internalError
            message = "\(path): could not \(doing): \(error)"
            return
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            category = .databaseIO
            message = "\(path): could not \(doing): the database stayed locked by another process past the busy timeout; nothing was written, try again"
        case _ where error.resultCode == .SQLITE_FULL || error.extendedResultCode == .SQLITE_IOERR_SHMSIZE:
            category = .databaseIO
            message = "\(path): could not \(doing): the disk is full; nothing was written, free space and try again"
        case .SQLITE_IOERR:
            category = .databaseIO
            message = "\(path): could not \(doing): disk I/O error (\(error.message ?? "\(error.extendedResultCode)")); nothing was written: check free space and the file size limit, then try again"
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_NOMEM:
            category = .databaseIO
            message = "\(path): could not \(doing): \(error.message ?? "\(error.resultCode)") (SQLite \(error.resultCode))"
        default:
            category = .internalError
            message = "\(path): could not \(doing): the database refused a write: \(error.message ?? "\(error.resultCode)"); this is a revshare bug, please report it"
        }
    }

    public var diagnostics: [String] { [message] }
    public var description: String { message }
}
