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
    let pool: any DatabaseWriter
    let clock: UTCClock
    /// Why this database may not be written, when it may only be read.
    let writeRefusal: Refusal?

    /// Opens (and, with `create`, creates) the database and brings its schema up to date.
    ///
    /// The file is looked at before anything is written to it: another program's database, a
    /// file that is not SQLite, or a database made by a newer revshare is never changed. With
    /// `readOnly` nothing is ever written (the schema must be current) and the write lock is
    /// never taken, so reports never wait for a running import or close; a database in a
    /// directory revshare cannot write is then read as an immutable archive.
    public static func open(path: String, create: Bool = false, readOnly: Bool = false, clock: UTCClock = .system,
                            busyTimeoutSeconds: Double = defaultBusyTimeoutSeconds) throws -> Store {
        try DatabaseFile.checkOpenable(path: path, create: create && !readOnly)
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        configuration.foreignKeysEnabled = true
        configuration.label = "revshare"
        do {
            if readOnly { return try openForReading(path: path, configuration: configuration, clock: clock) }
            let state = FileManager.default.fileExists(atPath: path)
                ? try inspect(path: path, configuration: configuration) : .empty
            switch state {
            case .empty where !create:
                throw Refusal(.notFound, "\(path): holds no revshare database yet; create one with `revshare init`")
            case .foreign(let tables):
                throw foreignDatabase(path: path, tables: tables, category: create ? .invalidInput : .notFound)
            case .revshare(let unknown, _) where !unknown.isEmpty:
                throw newerSchema(path: path, unknown: unknown)
            default:
                break
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try migrate(pool, path: path, clock: clock)
            return Store(path: path, pool: pool, clock: clock, writeRefusal: nil)
        } catch let refusal as Refusal {
            throw refusal
        } catch {
            throw StoreError(error, path: path, doing: "open the database")
        }
    }

    private static func openForReading(path: String, configuration: Configuration, clock: UTCClock) throws -> Store {
        var configuration = configuration
        configuration.readonly = true
        var pool: any DatabaseWriter
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            _ = try pool.read { try SchemaState.inspect($0) }
        } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
            // A WAL database needs its index file beside it; in a read-only directory (an
            // archived copy) that cannot be made, and the file is read as immutable instead.
            guard let uri = try DatabaseFile.immutableURI(path: path) else {
                throw Refusal(.databaseIO, "\(path): cannot be read here: its directory is not writable and its write-ahead log holds changes not yet merged; copy the database with its -wal file to a writable directory")
            }
            pool = try DatabaseQueue(path: uri, configuration: configuration)
        }
        switch try pool.read({ try SchemaState.inspect($0) }) {
        case .empty:
            throw Refusal(.notFound, "\(path): holds no revshare database yet; create one with `revshare init`")
        case .foreign(let tables):
            throw foreignDatabase(path: path, tables: tables, category: .notFound)
        case .revshare(let unknown, let missing):
            if !missing.isEmpty && unknown.isEmpty {
                throw Refusal(.invalidInput, "\(path): was made by an older revshare (schema lacks \(missing.joined(separator: ", "))); run `revshare init` to bring it up to date, then try again")
            }
            let refusal = unknown.isEmpty ? nil : newerSchema(path: path, unknown: unknown)
            return Store(path: path, pool: pool, clock: clock, writeRefusal: refusal)
        }
    }

    private static func inspect(path: String, configuration: Configuration) throws -> SchemaState {
        var configuration = configuration
        configuration.readonly = true
        return try DatabaseQueue(path: path, configuration: configuration).read { try SchemaState.inspect($0) }
    }

    private static func migrate(_ pool: DatabasePool, path: String, clock: UTCClock) throws {
        do {
            try migrator(clock: clock).migrate(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR
            && (error.message ?? "").contains("already exists") {
            throw Refusal(.invalidInput, "\(path): cannot bring the schema up to date: \(error.message ?? "a name is taken"); a table or index of that name was made outside revshare, which never replaces it")
        }
    }

    private static func foreignDatabase(path: String, tables: [String], category: FailureCategory) -> Refusal {
        let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
        return Refusal(category, "\(path): is another program's database (tables \(shown)), not revshare's; revshare never writes to it: create a revshare database with `revshare init --db NEW-PATH`")
    }

    private static func newerSchema(path: String, unknown: [String]) -> Refusal {
        Refusal(.invalidInput, "\(path): was made by a newer revshare (migrations \(unknown.joined(separator: ", ")) are unknown to this build); it is not written: upgrade revshare")
    }

    private init(path: String, pool: any DatabaseWriter, clock: UTCClock, writeRefusal: Refusal?) {
        self.path = path
        self.pool = pool
        self.clock = clock
        self.writeRefusal = writeRefusal
    }

    static func migrator(clock: UTCClock) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in SchemaMigrations.all {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
                // The input chain begins by sealing the inputs the database already holds.
                if migration.identifier == "0006_input_digests" {
                    try InputChain.sealExisting(db, recordedAt: clock.now())
                }
            }
        }
        return migrator
    }

    /// Runs `body` in one IMMEDIATE transaction: all of it is committed, or none.
    public func write<T>(_ doing: String, _ body: (WriteContext) throws -> T) throws -> T {
        if let writeRefusal { throw writeRefusal }
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    // Stamped under the write lock, so timestamps never go backwards along the chain.
                    result = try body(WriteContext(db: db, recordedAt: clock.now()))
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
            return Dictionary(try rows.map { (try $0.text("object", in: "sqlite_master"), try $0.text("sql", in: "sqlite_master")) },
                              uniquingKeysWith: { first, _ in first })
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
