import Foundation
import Testing
import TestSupport

/// The input chain: every stored input a figure derives from is sealed when recorded, and
/// `verify` finds any of them changed with `sqlite3`, even together with every total that
/// mentions it; a forger who also rewrites the input chain is found by the statements
/// recomputed from the rows.
struct InputChainTests {
    /// January closed with one usage report and a payment, plus a meter report.
    static func books(_ label: String) throws -> TemporaryDirectory {
        let directory = try HostileInputTests.closedJanuary(label)
        directory.write("meter.csv", "usage_date,partner,model,input_tokens,output_tokens\n2025-01-03,aws,llama-3.1-8b-instruct,1000,2000\n")
        let meter = try RevShareExecutable.run(["import", "meter", "meter.csv"], in: directory.path)
        #expect(meter.status == 0, "\(meter.stderr)")
        return directory
    }

    /// The links as stored, `seq|kind|subject_id`, oldest first.
    static func links(_ db: String) throws -> [String] {
        try sqlite3(db, "SELECT seq || '|' || kind || '|' || subject_id FROM input_digest ORDER BY seq")
            .split(separator: "\n").map(String.init)
    }

    @Test("every input is sealed once, in the order it was recorded, and verify prints the input chain head")
    func everyInputIsSealed() throws {
        let directory = try Self.books("input-chain-sealed")
        let db = directory.file("revshare.sqlite")
        #expect(try Self.links(db) == [
            "1|agreement_load|1", "2|agreement_set|1", "3|usage_report|1", "4|payment_file|2", "5|meter_report|1",
        ])
        let head = try sqlite3(db, "SELECT hash FROM input_digest WHERE seq = 5").trimmingCharacters(in: .newlines)
        let verify = try RevShareExecutable.run(["verify"], in: directory.path)
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("verify: OK: 2 entries and 5 inputs checked, every invariant holds; chain head #2 "))
        #expect(verify.stdout.hasSuffix("; input chain head #5 \(head)\n"))
        let json = try RevShareExecutable.run(["verify", "--format", "json"], in: directory.path)
        #expect(json.stdout.contains("\"inputs_checked\": 5"))
        #expect(json.stdout.contains("\"input_head\": {\n    \"seq\": 5,\n    \"hash\": \"\(head)\""))
    }

    /// The digests recomputed by an independent implementation of encoding `revshare-input-v1`
    /// and `revshare-input-link-v1` (Python's hashlib and sqlite3 modules) equal the stored ones.
    static let independentDigests = #"""
    import hashlib, sqlite3, sys
    db = sqlite3.connect(sys.argv[1])
    def field(name, value):
        data = value if isinstance(value, bytes) else str(value).encode()
        return name.encode() + b"=" + str(len(data)).encode() + b":" + data + b"\n"
    def rows(table, sql, *args):
        out = b""
        for row in db.execute(sql, args):
            out += field("row", table)
            for value in row:
                out += b"n\n" if value is None else field("i", value) if isinstance(value, int) else field("t", value.encode())
        return out
    FILE = "SELECT f.id, f.kind, f.file_name, f.sha256, f.imported_at, f.row_count, f.restate FROM import_file AS f"
    def content(kind, id):
        out = b"revshare-input-v1\n" + field("kind", kind)
        if kind == "usage_report":
            out += rows("import_file", FILE + " JOIN usage_report AS r ON r.import_file_id = f.id WHERE r.id = ?", id)
            out += rows("usage_report", "SELECT id, import_file_id, partner_id, period, replaces_report_id, row_count, requests, input_tokens, output_tokens, gross_revenue_micros FROM usage_report WHERE id = ?", id)
            out += rows("usage_row", "SELECT usage_date, model, region, line, requests, input_tokens, output_tokens, gross_revenue_micros, reported_share_micros FROM usage_row WHERE report_id = ? ORDER BY usage_date, model, region", id)
        elif kind == "meter_report":
            out += rows("import_file", FILE + " JOIN meter_report AS r ON r.import_file_id = f.id WHERE r.id = ?", id)
            out += rows("meter_report", "SELECT id, import_file_id, partner_id, period, row_count, input_tokens, output_tokens FROM meter_report WHERE id = ?", id)
            out += rows("meter_row", "SELECT usage_date, model, line, input_tokens, output_tokens FROM meter_row WHERE report_id = ? ORDER BY usage_date, model", id)
        elif kind == "payment_file":
            out += rows("import_file", FILE + " WHERE f.id = ?", id)
            out += rows("payment", "SELECT payment_id, partner_id, received_on, posted_on, amount_minor, currency, reference, line, entry_seq FROM payment WHERE import_file_id = ? ORDER BY line", id)
        elif kind == "agreement_load":
            out += rows("agreement_load", "SELECT id, file_name, sha256, loaded_at, changed, canonical FROM agreement_load WHERE id = ?", id)
        else:
            out += rows("partner", "SELECT id, name, currency, payment_terms_days FROM partner ORDER BY id")
            out += rows("agreement", "SELECT id, partner_id, effective_from, basis, minimum_monthly_minor, tolerance_amount_micros, tolerance_relative_micros, tolerance_price_relative_micros FROM agreement ORDER BY id")
            out += rows("agreement_tier", "SELECT agreement_id, ordinal, up_to_micros, rate_micros FROM agreement_tier ORDER BY agreement_id, ordinal")
            out += rows("agreement_price", "SELECT agreement_id, price_kind, model, input_micros, output_micros FROM agreement_price ORDER BY agreement_id, price_kind, model")
        return hashlib.sha256(out).hexdigest()
    def link(seq, kind, subject, sha, recorded_at, prev):
        data = b"revshare-input-link-v1\n" + b"".join(field(n, v) for n, v in
            [("seq", seq), ("kind", kind), ("subject", subject), ("sha256", sha), ("recorded_at", recorded_at), ("prev", prev)])
        return hashlib.sha256(data).hexdigest()
    forge = len(sys.argv) > 2
    prev = "0" * 64
    for seq, kind, subject, sha, recorded_at, prev_hash, hash in db.execute("SELECT * FROM input_digest ORDER BY seq").fetchall():
        if forge:
            sha = content(kind, subject)
            hash = link(seq, kind, subject, sha, recorded_at, prev)
            db.execute("UPDATE input_digest SET sha256 = ?, prev_hash = ?, hash = ? WHERE seq = ?", (sha, prev, hash, seq))
        else:
            assert content(kind, subject) == sha, (seq, kind, "content")
            assert prev_hash == prev and link(seq, kind, subject, sha, recorded_at, prev) == hash, (seq, "link")
        prev = hash
    if forge:
        db.commit()
    print("ok")
    """#

    @Test("the stored digests and links equal an independent computation of their encodings")
    func digestsMatchAnIndependentEncoding() throws {
        let directory = try Self.books("input-chain-independent")
        let result = try runTool("/usr/bin/python3", ["-c", Self.independentDigests, directory.file("revshare.sqlite")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "ok\n")
    }

    @Test("verify names the input changed with sqlite3, even with every total changed to match", arguments: [
        ("usage report 1", """
            DROP TRIGGER usage_row_no_update; DROP TRIGGER usage_report_no_update;
            UPDATE usage_row SET gross_revenue_micros = gross_revenue_micros + 1000000;
            UPDATE usage_report SET gross_revenue_micros = gross_revenue_micros + 1000000
            """),
        ("payments file 2", """
            PRAGMA ignore_check_constraints = 1; DROP TRIGGER payment_no_update; UPDATE payment SET received_on = 'garbage'
            """),
        ("meter report 1", """
            DROP TRIGGER meter_row_no_update; DROP TRIGGER meter_report_no_update;
            UPDATE meter_row SET input_tokens = input_tokens + 5; UPDATE meter_report SET input_tokens = input_tokens + 5
            """),
        ("agreements load 1", "DROP TRIGGER agreement_load_no_update; UPDATE agreement_load SET canonical = 'partners: []'"),
        ("agreements in force after load 1", "UPDATE agreement_tier SET rate_micros = rate_micros + 1"),
        ("usage report 1", "DROP TRIGGER input_digest_no_delete; DELETE FROM input_digest WHERE kind = 'usage_report'"),
        ("agreements in force after load 1", "DROP TRIGGER input_digest_no_delete; DELETE FROM input_digest WHERE kind = 'agreement_set'"),
        ("input link 4", "DROP TRIGGER input_digest_no_update; UPDATE input_digest SET recorded_at = '2000-01-01T00:00:00Z' WHERE seq = 4"),
    ])
    func aChangedInputIsNamed(subject: String, sql: String) throws {
        let directory = try Self.books("input-chain-tamper")
        _ = try sqlite3(directory.file("revshare.sqlite"), sql, readOnly: false)
        let verify = try RevShareExecutable.run(["verify"], in: directory.path)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("\n  \(subject): "), "\(verify.stdout)")
    }

    @Test("a forger who rewrites the input chain after changing a closed period's usage is found by the recomputed statement")
    func aRewrittenInputChainIsFoundByTheStatement() throws {
        let directory = try Self.books("input-chain-forged")
        let db = directory.file("revshare.sqlite")
        _ = try sqlite3(db, """
            DROP TRIGGER usage_row_no_update; DROP TRIGGER usage_report_no_update; DROP TRIGGER input_digest_no_update;
            UPDATE usage_row SET gross_revenue_micros = 2500000; UPDATE usage_report SET gross_revenue_micros = 2500000
            """, readOnly: false)
        let forged = try runTool("/usr/bin/python3", ["-c", Self.independentDigests, db, "forge"])
        #expect(forged.status == 0, "\(forged.stderr)")
        let verify = try RevShareExecutable.run(["verify"], in: directory.path)
        #expect(verify.status == 1)
        // 12.5 USD of revenue at 10 % was 1.25 USD; the forged 2.5 USD gives 0.25.
        #expect(verify.stdout.contains("\n  statement aws-2025-01: share 125 and true-up 0 differ from the 25 and 0 recomputed from usage report 1 (minor units)\n"), "\(verify.stdout)")
        #expect(verify.stdout.contains("\n  statement aws-2025-01: its lines differ from those recomputed from usage report 1 under AWS-2024\n"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("input link"), "\(verify.stdout)")
    }

    @Test("a database made before the input chain has its inputs sealed when it is opened, and verifies")
    func anOlderDatabaseIsSealedOnUpgrade() throws {
        let directory = try Self.books("input-chain-upgrade")
        let db = directory.file("revshare.sqlite")
        _ = try sqlite3(db, """
            DROP TABLE input_digest; DROP INDEX payment_by_import_file;
            DELETE FROM grdb_migrations WHERE identifier = '0006_input_digests'
            """, readOnly: false)
        let verify = try RevShareExecutable.run(["init"], in: directory.path)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(try Self.links(db) == [
            "1|agreement_load|1", "2|agreement_set|1", "3|usage_report|1", "4|payment_file|2", "5|meter_report|1",
        ])
        #expect(try HostileInputTests.verifies(directory))
    }
}
