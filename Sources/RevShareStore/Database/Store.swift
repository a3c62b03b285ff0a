import Foundation
import GRDB
import RevShareCore
import RevShareSchema

/// The revshare database: one SQLite file in WAL mode, shared safely by many processes.
///
/// Every write runs in a `BEGIN IMMEDIATE` transaction: the write lock is taken before the
/// chain head is read, so two writers can never chain onto the same entry, and a writer that
/// waits past the busy timeout fails cleanly with nothing written.
public final class Store: Sendable {
    public static let defaultBusyTimeoutSeconds: Double = 30

    public let path: String
    let pool: DatabasePool
    let clock: UTCClock

    /// Opens (and, with `create`, creates) the database and brings its schema up to date.
    /// With `readOnly`, a database whose schema is current is opened without taking the write
    /// lock at all, so reports never wait for a running import or close; `write` then fails.
    public static func open(path: String, create: Bool = false, readOnly: Bool = false, clock: UTCClock = .system,
                            busyTimeoutSeconds: Double = defaultBusyTimeoutSeconds) throws -> Store {
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw Refusal(.notFound, "\(path): no revshare database here; create one with `revshare init` (or pass --db PATH)")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw Refusal(.notFound, "\(path): is a directory, not a revshare database")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.foreignKeysEnabled = true
        configuration.label = "revshare"
        do {
            if readOnly && !create {
                var readOnlyConfiguration = configuration
                readOnlyConfiguration.readonly = true
                let pool = try DatabasePool(path: path, configuration: readOnlyConfiguration)
                if try pool.read({ try migrator.hasCompletedMigrations($0) }) {
                    return Store(path: path, pool: pool, clock: clock)
                }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
            return Store(path: path, pool: pool, clock: clock)
        } catch {
            throw StoreError(error, path: path, doing: "open the database")
        }
    }

    private init(path: String, pool: DatabasePool, clock: UTCClock) {
        self.path = path
        self.pool = pool
        self.clock = clock
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.identifier) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is committed, or none.
    public func write<T>(_ doing: String, _ body: (WriteContext) throws -> T) throws -> T {
        let recordedAt = clock.now()
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(WriteContext(db: db, recordedAt: recordedAt))
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, doing: doing)
        }
    }

    /// Runs `body` on a consistent snapshot.
    public func read<T>(_ doing: String, _ body: (ReadContext) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(ReadContext(db: db)) }
        } catch let error as DatabaseError {
            throw StoreError(error, path: path, doing: doing)
        }
    }

    /// The names of the schema's objects with their SQL, as SQLite holds them.
    public func schemaObjects() throws -> [String: String] {
        try read("read the schema") { context in
            let rows = try Row.fetchAll(context.db, sql: """
                SELECT type || ' ' || name AS object, sql FROM sqlite_master
                WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'
                """)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["object"] as String, $0["sql"] as String) })
        }
    }
}

/// A read-only view of the database inside `Store.read`.
public struct ReadContext {
    let db: Database
}

/// The open write transaction inside `Store.write`.
public struct WriteContext {
    let db: Database
    /// When this transaction's records are stamped as recorded.
    public let recordedAt: String

    public var reader: ReadContext { ReadContext(db: db) }
}

/// The time of day in UTC as `YYYY-MM-DDTHH:MM:SSZ`; injectable so tests never read the clock.
public struct UTCClock: Sendable {
    public let now: @Sendable () -> String

    public init(now: @escaping @Sendable () -> String) { self.now = now }

    public static let system = UTCClock {
        let seconds = Int(Date().timeIntervalSince1970)
        let (days, secondOfDay) = (seconds.quotientAndRemainderFlooring(by: 86_400))
        let date = CivilDate(daysSinceEpoch: days)!
        return "\(date)T\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))Z"
    }

    public static func fixed(_ timestamp: String) -> UTCClock { UTCClock { timestamp } }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension Int {
    func quotientAndRemainderFlooring(by divisor: Int) -> (Int, Int) {
        let remainder = ((self % divisor) + divisor) % divisor
        return ((self - remainder) / divisor, remainder)
    }
}
