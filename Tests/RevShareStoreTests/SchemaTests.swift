import Foundation
import GRDB
import RevShareCore
import RevShareSchema
import Testing
@testable import RevShareStore
import TestSupport

struct SchemaTests {
    private var schemaFiles: [String] {
        let directory = repositoryRoot + "/Schema"
        return try! FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".sql") }.sorted()
    }

    @Test("the migrator applies exactly the files of Schema/, in order")
    func migrationsAreTheFiles() throws {
        #expect(SchemaMigrations.all.map { $0.identifier + ".sql" } == schemaFiles)
        for (migration, file) in zip(SchemaMigrations.all, schemaFiles) {
            let text = try String(contentsOfFile: repositoryRoot + "/Schema/" + file, encoding: .utf8)
            #expect(migration.sql == text, "embedded \(migration.identifier) differs from Schema/\(file)")
        }
    }

    @Test("the live schema equals the one Schema/*.sql builds on its own")
    func liveSchemaEqualsFiles() throws {
        let (store, directory) = try makeTestStore("schema")
        defer { directory.remove() }
        let reference = try DatabaseQueue()
        try reference.write { db in
            for file in schemaFiles {
                try db.execute(sql: try String(contentsOfFile: repositoryRoot + "/Schema/" + file, encoding: .utf8))
            }
        }
        let expected = try reference.read { db in
            try Row.fetchAll(db, sql: "SELECT type || ' ' || name AS object, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
        }
        let live = try store.schemaObjects()
        #expect(live == Dictionary(uniqueKeysWithValues: expected.map { ($0["object"] as String, $0["sql"] as String) }))
        #expect(live["table ledger_entry"] != nil)
        #expect(live.count > 20)
    }

    @Test("opening twice migrates once and keeps the data")
    func reopen() throws {
        let (store, directory) = try makeTestStore("reopen")
        defer { directory.remove() }
        _ = try store.write("post") { try $0.append(try entry("k1", [("assets:bank", 5), ("income:x", -5)])) }
        let again = try Store.open(path: store.path, clock: testClock)
        #expect(try again.read("count") { try $0.entryCount() } == 1)
    }

    @Test("a missing database is reported, not created")
    func missingDatabase() throws {
        let directory = TemporaryDirectory("missing")
        defer { directory.remove() }
        let path = directory.file("nope.sqlite")
        #expect(throws: Refusal.self) { try Store.open(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
