import Foundation
import Testing
import TestSupport

/// `revshare reconcile` and `revshare resolve`, run as a user would: the JSON of SPEC §7.1, exit
/// codes of `--fail-on` and bad flags, and resolutions kept by id.
struct ReconcileCommandTests {
    // acme: USD, 10 %, due 10 days after the period. beta: USD, never reports. kaiju: JPY, 10 %.
    static let agreements = """
        partners:
          - id: acme
            name: Acme Cloud
            currency: USD
            payment_terms_days: 10
            agreements:
              - id: ACME-1
                effective_from: 2025-01
                basis: revenue_percent
                tiers:
                  - rate: 0.10
          - id: beta
            name: Beta Compute
            currency: USD
            payment_terms_days: 10
            agreements:
              - id: BETA-1
                effective_from: 2025-01
                basis: revenue_percent
                tiers:
                  - rate: 0.10
          - id: kaiju
            name: Kaiju Inference
            currency: JPY
            payment_terms_days: 30
            agreements:
              - id: KAIJU-1
                effective_from: 2025-01
                basis: revenue_percent
                tiers:
                  - rate: 0.10

        """

    static let usageHeader =
        "usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue,currency,reported_share"

    /// Rows for `partner` on the given days of January 2025: day 1 carries the revenue and the
    /// reported share, the other days zeros.
    static func january(_ partner: String, days: ClosedRange<Int> = 1...31, revenue: String, share: String = "") -> [String] {
        days.map { day in
            let date = "2025-01-\(day < 10 ? "0" : "")\(day)"
            return day == days.lowerBound
                ? "\(date),\(partner),m,,1,10,20,\(revenue),,\(share)"
                : "\(date),\(partner),m,,0,0,0,0,,"
        }
    }

    /// A fresh directory with `./revshare.sqlite` and the agreements loaded.
    static func prepared(_ label: String) throws -> TemporaryDirectory {
        let directory = TemporaryDirectory(label)
        try run(directory, ["init"])
        directory.write("agreements.yaml", agreements)
        try run(directory, ["agreements", "load", "agreements.yaml"])
        return directory
    }

    /// Writes a CSV and imports it; the import must succeed.
    static func importCSV(_ directory: TemporaryDirectory, _ kind: String, _ name: String, _ lines: [String]) throws {
        directory.write(name, lines.map { $0 + "\n" }.joined())
        try run(directory, ["import", kind, name])
    }

    @discardableResult
    static func run(_ directory: TemporaryDirectory, _ arguments: [String], status: Int32 = 0,
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let result = try RevShareExecutable.run(arguments, in: directory.path)
        #expect(result.status == status, "revshare \(arguments.joined(separator: " ")): \(result.stderr)",
                sourceLocation: sourceLocation)
        return result
    }

    static func reconcileJSON(_ directory: TemporaryDirectory, _ period: String, asOf: String,
                              sourceLocation: SourceLocation = #_sourceLocation) throws -> (text: String, json: [String: Any]) {
        let result = try run(directory, ["reconcile", "--period", period, "--as-of", asOf, "--format", "json"],
                             sourceLocation: sourceLocation)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return (result.stdout, try #require(object, sourceLocation: sourceLocation))
    }

    /// One read-only query through the sqlite3 CLI; the output without its final newline.
    static func sqlite(_ directory: TemporaryDirectory, _ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-readonly", directory.file("revshare.sqlite"), sql]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    static func discrepancies(_ json: [String: Any]) -> [[String: Any]] {
        json["discrepancies"] as? [[String: Any]] ?? []
    }

    /// A JSON string literal as revshare writes it (quotes, backslashes and control characters escaped).
    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    @Test("reconcile --format json is exactly SPEC §7.1 for one finding: fields, order, money strings")
    func jsonShape() throws {
        let directory = try Self.prepared("e2e-reconcile-json")
        defer { directory.remove() }
        // Only acme in force would be simpler, but beta and kaiju report too so nothing else is found.
        try Self.importCSV(directory, "usage", "usage.csv",
                           [Self.usageHeader] + Self.january("acme", revenue: "10000") + Self.january("beta", revenue: "0")
                               + Self.january("kaiju", revenue: "0"))
        try Self.run(directory, ["close", "2025-01"])
        // acme's share: 10 % × 10000.00 = 1000.00, due 2025-01-31 + 10 = 2025-02-10; 900.00 paid.
        try Self.importCSV(directory, "payments", "payments.csv", [
            "payment_id,partner,received_on,amount,currency,reference",
            "P-1,acme,2025-02-20,900.00,USD,2025-01",
        ])
        let (text, json) = try Self.reconcileJSON(directory, "2025-01", asOf: "2025-04-01")
        let found = Self.discrepancies(json)
        try #require(found.count == 1, "\(text)")
        let id = try #require(found[0]["id"] as? String)
        let message = try #require(found[0]["message"] as? String)
        #expect(id.count == 18 && id.hasPrefix("D-") && id.dropFirst(2).allSatisfy { "0123456789abcdef".contains($0) })
        #expect(message.contains("900.00") && message.contains("1000.00"))
        #expect(text == """
            {
              "period": "2025-01",
              "as_of": "2025-04-01",
              "discrepancies": [
                {
                  "id": "\(id)",
                  "kind": "PAYMENT_SHORTFALL",
                  "severity": "critical",
                  "partner": "acme",
                  "period": "2025-01",
                  "model": null,
                  "payment_id": null,
                  "expected": "1000.00",
                  "actual": "900.00",
                  "difference": "-100.00",
                  "status": "open",
                  "message": \(Self.quoted(message))
                }
              ],
              "summary": {
                "critical": 1,
                "warning": 0
              }
            }

            """)
        // The same facts on a second run: the same id.
        let again = try Self.reconcileJSON(directory, "2025-01", asOf: "2025-04-01")
        #expect(Self.discrepancies(again.json).map { $0["id"] as? String } == [id])
    }

    /// acme reports 10 of 31 days; beta nothing; kaiju reports a share 2 yen off
    /// (10 % × 10000 = 1000 yen, reported 1002: 2 > 1 yen).
    static func openJanuary(_ label: String) throws -> TemporaryDirectory {
        let directory = try prepared(label)
        try importCSV(directory, "usage", "usage.csv",
                      [usageHeader] + january("acme", days: 1...10, revenue: "100")
                          + january("kaiju", revenue: "10000", share: "1002"))
        return directory
    }

    @Test("day kinds are JSON integers, null where §9 says, JPY money without decimals; summary counts open")
    func figuresInJSON() throws {
        let directory = try Self.openJanuary("e2e-reconcile-figures")
        defer { directory.remove() }
        let (text, json) = try Self.reconcileJSON(directory, "2025-01", asOf: "2025-02-01")
        let found = Self.discrepancies(json)
        #expect(found.map { "\($0["kind"] as? String ?? "?") \($0["partner"] as? String ?? "null")" }
            == ["MISSING_REPORT beta", "MISSING_DAYS acme", "SHARE_MISMATCH kaiju"])
        try #require(found.count == 3)
        // MISSING_REPORT: expected, actual, difference null; model and payment_id null.
        for key in ["expected", "actual", "difference", "model", "payment_id"] {
            #expect(found[0][key] is NSNull, "MISSING_REPORT \(key)")
        }
        #expect(found[0]["severity"] as? String == "critical")
        // MISSING_DAYS: 31 days in January, 10 with rows: 10 − 31 = −21, as integers.
        #expect(found[1]["expected"] as? Int == 31 && found[1]["actual"] as? Int == 10 && found[1]["difference"] as? Int == -21)
        #expect(text.contains("\"expected\": 31,\n") && text.contains("\"actual\": 10,\n") && text.contains("\"difference\": -21,\n"))
        // SHARE_MISMATCH in JPY: 0 minor digits.
        #expect(found[2]["expected"] as? String == "1000" && found[2]["actual"] as? String == "1002"
            && found[2]["difference"] as? String == "2")
        #expect(found.allSatisfy { $0["period"] as? String == "2025-01" && $0["status"] as? String == "open" })
        #expect(json["summary"] as? [String: Int] == ["critical": 1, "warning": 2])
    }

    @Test("--fail-on and resolve: exit 1 while an open finding of that severity or worse exists")
    func failOnAndResolve() throws {
        let directory = try Self.openJanuary("e2e-reconcile-resolve")
        defer { directory.remove() }
        let base = ["reconcile", "--period", "2025-01", "--as-of", "2025-02-01"]
        // One critical (MISSING_REPORT) and two warnings open.
        try Self.run(directory, base)
        try Self.run(directory, base + ["--fail-on", "critical"], status: 1)
        try Self.run(directory, base + ["--fail-on", "warning"], status: 1)
        let found = Self.discrepancies(try Self.reconcileJSON(directory, "2025-01", asOf: "2025-02-01").json)
        let ids = found.compactMap { $0["id"] as? String }
        try #require(ids.count == 3)

        // Resolving the critical one: --fail-on critical passes, warnings still fail.
        let note = "beta starts reporting in February; confirmed by email"
        let resolved = try Self.run(directory, ["resolve", ids[0], "--note", note])
        #expect(resolved.stdout.contains(ids[0]) && resolved.stdout.contains("MISSING_REPORT"))
        let printed = try Self.run(directory, base + ["--fail-on", "critical"])
        #expect(printed.stdout.contains("summary: 0 critical, 2 warning open"))
        try Self.run(directory, base + ["--fail-on", "warning"], status: 1)
        let (_, json) = try Self.reconcileJSON(directory, "2025-01", asOf: "2025-02-01")
        #expect(Self.discrepancies(json).map { $0["status"] as? String } == ["resolved", "open", "open"])
        #expect(Self.discrepancies(json).compactMap { $0["id"] as? String } == ids)
        #expect(json["summary"] as? [String: Int] == ["critical": 0, "warning": 2])

        // Resolving the warnings: nothing open, both thresholds pass.
        try Self.run(directory, ["resolve", ids[1], "--note", "acme outage 11–31 January"])
        try Self.run(directory, ["resolve", ids[2], "--note", "kaiju rounds per row"])
        try Self.run(directory, base + ["--fail-on", "warning"])
        try Self.run(directory, base + ["--fail-on", "critical"])
        let (_, quiet) = try Self.reconcileJSON(directory, "2025-01", asOf: "2025-02-01")
        #expect(quiet["summary"] as? [String: Int] == ["critical": 0, "warning": 0])
        #expect(Self.discrepancies(quiet).count == 3)
        // The note is kept for the audit trail.
        let stored = try Self.sqlite(directory,
            "SELECT note FROM discrepancy_resolution WHERE discrepancy_id = '\(ids[0])'")
        #expect(stored == note)
    }

    @Test("resolve of an unknown id exits 65 and names the ids that exist")
    func resolveUnknown() throws {
        let directory = try Self.openJanuary("e2e-reconcile-unknown")
        defer { directory.remove() }
        let none = try Self.run(directory, ["resolve", "D-0123456789abcdef", "--note", "x"], status: 65)
        #expect(none.stderr.contains("D-0123456789abcdef"))
        let ids = Self.discrepancies(try Self.reconcileJSON(directory, "2025-01", asOf: "2025-02-01").json)
            .compactMap { $0["id"] as? String }
        try #require(ids.count == 3)
        let unknown = try Self.run(directory, ["resolve", "D-0123456789abcdef", "--note", "x"], status: 65)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("D-0123456789abcdef"))
        for id in ids { #expect(unknown.stderr.contains(id), "\(unknown.stderr)") }
        #expect(try Self.sqlite(directory, "SELECT count(*) FROM discrepancy_resolution") == "0")
    }

    static let badFlags: [[String]] = [
        ["reconcile", "--period", "2025-01", "--as-of", "2025-02-30"],
        ["reconcile", "--period", "2025-13", "--as-of", "2025-02-01"],
        ["reconcile", "--period", "2025-1", "--as-of", "2025-02-01"],
        ["reconcile", "--period", "2025-01", "--as-of", "2025-02-01", "--fail-on", "fatal"],
        ["reconcile", "--period", "2025-01", "--as-of", "2025-02-01", "--format", "xml"],
        ["reconcile", "--as-of", "2025-02-01"],
        ["resolve", "D-0123456789abcdef"],
        ["resolve", "D-0123456789abcdef", "--note", "  "],
    ]

    @Test("bad flags exit 64 and write nothing", arguments: badFlags)
    func badFlag(_ arguments: [String]) throws {
        let directory = try Self.prepared("e2e-reconcile-flags")
        defer { directory.remove() }
        let result = try Self.run(directory, arguments, status: 64)
        #expect(result.stdout.isEmpty)
        #expect(!result.stderr.isEmpty)
        #expect(try Self.sqlite(directory, "SELECT count(*) FROM reconcile_run") == "0")
    }

    @Test("reconcile and resolve need an existing database: exit 66 with a hint", arguments: [
        ["reconcile", "--period", "2025-01", "--as-of", "2025-02-01"],
        ["resolve", "D-0123456789abcdef", "--note", "x"],
    ])
    func missingDatabase(_ arguments: [String]) throws {
        let directory = TemporaryDirectory("e2e-reconcile-nodb")
        defer { directory.remove() }
        let result = try Self.run(directory, arguments, status: 66)
        #expect(result.stderr.contains("revshare init"))
        #expect(!FileManager.default.fileExists(atPath: directory.file("revshare.sqlite")))
    }

    @Test("a ledger changed with sqlite3: LEDGER_INTEGRITY with partner null, one per verify problem; --fail-on critical exits 1")
    func ledgerIntegrity() throws {
        let directory = try Self.prepared("e2e-reconcile-integrity")
        defer { directory.remove() }
        try Self.importCSV(directory, "usage", "usage.csv",
                           [Self.usageHeader] + Self.january("acme", revenue: "10000") + Self.january("beta", revenue: "0")
                               + Self.january("kaiju", revenue: "0"))
        try Self.run(directory, ["close", "2025-01"])
        try Self.run(directory, ["reconcile", "--period", "2025-01", "--as-of", "2025-02-05", "--fail-on", "warning"])
        let tamper = Process()
        tamper.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        tamper.arguments = [directory.file("revshare.sqlite"),
                            "DROP TRIGGER ledger_posting_no_update; UPDATE ledger_posting SET amount_minor = amount_minor + 100;"]
        try tamper.run()
        tamper.waitUntilExit()
        #expect(tamper.terminationStatus == 0)
        let verify = try Self.run(directory, ["verify"], status: 1)
        // verify prints "  <problem>" under its FAILED line.
        let problems = verify.stdout.split(separator: "\n").dropFirst().map { String($0.dropFirst(2)) }
        #expect(!problems.isEmpty)
        try Self.run(directory, ["reconcile", "--period", "2025-01", "--as-of", "2025-02-05", "--fail-on", "critical"], status: 1)
        let found = Self.discrepancies(try Self.reconcileJSON(directory, "2025-01", asOf: "2025-02-05").json)
        #expect(found.allSatisfy { $0["kind"] as? String == "LEDGER_INTEGRITY" && $0["partner"] is NSNull
                && $0["severity"] as? String == "critical" && $0["expected"] is NSNull && $0["period"] as? String == "2025-01" })
        #expect(found.compactMap { $0["message"] as? String }.sorted() == problems.sorted())
    }
}
