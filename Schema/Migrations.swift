/// The SQL files of this folder, embedded byte for byte at build time, in the order they are
/// applied. A shipped migration is never edited: changes come as a new file appended here.
public enum SchemaMigrations {
    public struct Migration: Sendable {
        public let identifier: String
        public let sql: String
    }

    public static let all: [Migration] = [
        Migration(identifier: "0001_ledger", sql: text(PackageResources._001_ledger_sql)),
        Migration(identifier: "0002_agreements", sql: text(PackageResources._002_agreements_sql)),
        Migration(identifier: "0003_imports", sql: text(PackageResources._003_imports_sql)),
        Migration(identifier: "0004_close", sql: text(PackageResources._004_close_sql)),
        Migration(identifier: "0005_reconcile", sql: text(PackageResources._005_reconcile_sql)),
        Migration(identifier: "0006_input_digests", sql: text(PackageResources._006_input_digests_sql)),
    ]

    private static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
