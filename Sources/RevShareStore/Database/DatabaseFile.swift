import Foundation
import GRDB
import RevShareCore
import RevShareSchema

/// What an existing file holds, found before anything is written to it: revshare opens for
/// writing only its own database (or an empty file for `init`), never another program's.
enum SchemaState: Equatable {
    /// No tables at all: a new or zero-length file.
    case empty
    /// Tables, but no revshare migration: another program's database.
    case foreign(tables: [String])
    /// A revshare database: the migrations it has that this build lacks, and those it misses.
    case revshare(unknown: [String], missing: [String])

    static func inspect(_ db: Database) throws -> SchemaState {
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        if tables.isEmpty { return .empty }
        let known = SchemaMigrations.all.map(\.identifier)
        let applied = tables.contains("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") : []
        guard applied.contains(where: known.contains) else { return .foreign(tables: tables) }
        return .revshare(unknown: applied.filter { !known.contains($0) },
                         missing: known.filter { !applied.contains($0) })
    }
}

/// Checks made on the file itself, before SQLite opens it.
enum DatabaseFile {
    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// Refuses a path that is not a database revshare may open: missing (unless it may be
    /// created), a directory, or a file that is not SQLite at all.
    static func checkOpenable(path: String, create: Bool) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if create { return }
            throw Refusal(.notFound, "\(path): no revshare database here; create one with `revshare init` (or pass --db PATH)")
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            throw Refusal(.notFound, "\(path): is a directory, not a revshare database")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw Refusal(.notFound, "\(path): is not a regular file, so not a revshare database")
        }
        guard info.st_size > 0 else { return }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw Refusal(.notFound, "\(path): cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: sqliteMagic.count)) ?? Data()
        guard Array(head) == sqliteMagic else {
            throw Refusal(.notFound, "\(path): is not an SQLite database, so not a revshare database; create one with `revshare init --db NEW-PATH`")
        }
    }

    /// A URI that opens the file without locks or a WAL index, for a database in a directory
    /// revshare cannot write (an archive). Only safe when no WAL file holds unmerged pages.
    static func immutableURI(path: String) throws -> String? {
        var info = stat()
        if stat(path + "-wal", &info) == 0 && info.st_size > 0 { return nil }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        guard let escaped = absolute.addingPercentEncoding(withAllowedCharacters: allowed) else { return nil }
        return "file:\(escaped)?immutable=1"
    }
}
