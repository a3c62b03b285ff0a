import Foundation
import Testing
import TestSupport

/// `revshare audit` and the HTML statements, run as a user would on the demo books built from
/// the committed Samples/ (see Samples/README.md for what is planted where).
struct AuditAndHTMLTests {
    /// A fresh demo database; the caller removes the directory.
    private func demo(_ label: String) throws -> (db: String, directory: TemporaryDirectory) {
        let directory = TemporaryDirectory(label)
        let result = try RevShareExecutable.run(["demo", "--dir", directory.path], in: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        return (directory.file("revshare.sqlite"), directory)
    }

    private func run(_ db: String, _ arguments: [String]) throws -> RunResult {
        try RevShareExecutable.run(["--db", db] + arguments, in: repositoryRoot)
    }

    private func json(_ result: RunResult) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout.prefix(500))")
    }

    private func audit(_ db: String, _ period: String, asOf: String = "2025-06-30") throws -> [String: Any] {
        try json(run(db, ["audit", "--period", period, "--as-of", asOf, "--format", "json"]))
    }

    /// Money text (`-1234.50`, `7028.60`) as an integer count of minor units, exactly.
    private func minor(_ value: Any?) throws -> Int64 {
        let text = try #require(value as? String, "not a money string: \(String(describing: value))")
        let negative = text.hasPrefix("-")
        let digits = (negative ? String(text.dropFirst()) : text).replacingOccurrences(of: ".", with: "")
        let magnitude = try #require(Int64(digits), "not a decimal: \(text)")
        return negative ? -magnitude : magnitude
    }

    private func amount(_ figure: Any?) throws -> Int64 {
        try minor(try #require(figure as? [String: Any], "not a figure object")["amount"])
    }

    /// Runs a tool from PATH (`sqlite3`, `sha256sum`) and returns its standard output.
    private func tool(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [name] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repositoryRoot)
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(name) \(arguments) failed")
        return String(decoding: data, as: UTF8.self)
    }

    private func sql(_ db: String, _ query: String) throws -> [String] {
        try tool("sqlite3", [db, query]).split(separator: "\n").map(String.init)
    }

    // MARK: - Tie-out

    @Test("audit json: each partner's tie-out adds up, and its closing balance is the statement's")
    func tieOutAddsUpAndMatchesTheStatements() throws {
        let (db, directory) = try demo("e2e-audit-tieout")
        defer { directory.remove() }
        let partners = ["aws", "azure", "databricks", "dell", "google-cloud", "groq", "nvidia", "snowflake"]
        for period in ["2025-01", "2025-02", "2025-03"] {
            let report = try audit(db, period)
            #expect(report["period"] as? String == period)
            #expect(report["period_status"] as? String == "closed")
            #expect(report["ties"] as? Bool == true)
            let tieOuts = try #require(report["tie_out"] as? [[String: Any]])
            #expect(tieOuts.map { $0["partner"] as? String } == partners)
            for tieOut in tieOuts {
                let partner = try #require(tieOut["partner"] as? String)
                let opening = try amount(tieOut["opening_balance"])
                let share = try amount(tieOut["share"])
                let trueUp = try amount(tieOut["minimum_true_up"])
                let adjustments = try #require(tieOut["adjustments"] as? [[String: Any]]).map { try minor($0["amount"]) }
                let charges = try amount(tieOut["charges"])
                let payments = try #require(tieOut["payments"] as? [[String: Any]]).map { try minor($0["amount"]) }
                let paymentsTotal = try minor(tieOut["payments_total"])
                let closing = try amount(tieOut["closing_balance"])
                #expect(charges == share + trueUp + adjustments.reduce(0, +), "\(partner) \(period)")
                #expect(paymentsTotal == payments.reduce(0, +), "\(partner) \(period)")
                #expect(closing == opening + charges - paymentsTotal, "\(partner) \(period)")
                #expect(try minor(tieOut["ledger_closing_balance"]) == closing, "\(partner) \(period)")
                #expect(tieOut["ties"] as? Bool == true, "\(partner) \(period): \(tieOut["checks"] ?? "")")

                let statement = try json(run(db, ["statement", "--partner", partner, "--period", period, "--format", "json"]))
                #expect(try minor(statement["closing_balance"]) == closing, "\(partner) \(period)")
                #expect(try minor(statement["opening_balance"]) == opening, "\(partner) \(period)")
                #expect(try minor(statement["charges"]) == charges, "\(partner) \(period)")
                #expect(tieOut["statement_id"] as? String == statement["statement_id"] as? String)
            }
        }

        // Every figure names its source: AWS February's adjustment is the ledger entry that posts it.
        let february = try #require(try audit(db, "2025-02")["tie_out"] as? [[String: Any]])
        let aws = try #require(february.first { $0["partner"] as? String == "aws" })
        let adjustment = try #require((aws["adjustments"] as? [[String: Any]])?.first)
        #expect(adjustment["period"] as? String == "2025-01")
        #expect(adjustment["amount"] as? String == "939.33")
        let source = try #require(adjustment["source"] as? String)
        let entrySequence = try sql(db, "SELECT seq FROM ledger_entry WHERE idempotency_key = 'adjustment:aws:2025-01:in:2025-02'")
        #expect(source.hasPrefix("ledger entry \(try #require(entrySequence.first)) (adjustment:aws:2025-01:in:2025-02)"))
        #expect((aws["usage"] as? [String: Any])?["file"] as? String == "Samples/usage/aws-2025-02.csv")
        let snowflake = try #require(february.first { $0["partner"] as? String == "snowflake" })
        #expect(snowflake["usage"] is NSNull)
        #expect(try amount(snowflake["minimum_true_up"]) == 600_000)

        // The chain head is the one `verify` reports, and the CSV carries the same closing balances.
        let verify = try json(run(db, ["verify", "--format", "json"]))
        let report = try audit(db, "2025-03")
        let head = try #require(report["chain_head"] as? [String: Any])
        let verifiedHead = try #require(verify["head"] as? [String: Any])
        #expect(head["seq"] as? Int == verifiedHead["seq"] as? Int)
        #expect(head["hash"] as? String == verifiedHead["hash"] as? String)
        #expect((report["verify"] as? [String: Any])?["ok"] as? Bool == true)
        let csv = try run(db, ["audit", "--period", "2025-03", "--as-of", "2025-06-30", "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("period,partner,currency,statement_id,status,step,item,amount,source\r\n"))
        for tieOut in try #require(report["tie_out"] as? [[String: Any]]) {
            let partner = try #require(tieOut["partner"] as? String)
            let closing = try #require((tieOut["closing_balance"] as? [String: Any])?["amount"] as? String)
            #expect(csv.stdout.contains("2025-03,\(partner),"), "\(partner)")
            #expect(csv.stdout.contains(",closing_balance,,\(closing),"), "\(partner) \(closing)")
        }
    }

    // MARK: - Files

    @Test("audit json lists every file that feeds the period with the SHA-256 of its bytes")
    func filesCarryTheirSHA256() throws {
        let (db, directory) = try demo("e2e-audit-files")
        defer { directory.remove() }
        let report = try audit(db, "2025-01")
        let files = try #require(report["files"] as? [[String: Any]])

        // Every file with a usage or meter report of 2025-01, and the payments file.
        let expected = try sql(db, """
            SELECT id FROM import_file WHERE id IN (SELECT import_file_id FROM usage_report WHERE period = '2025-01')
               OR id IN (SELECT import_file_id FROM meter_report WHERE period = '2025-01') OR kind = 'payments'
            ORDER BY id
            """)
        #expect(files.map { ($0["id"] as? Int).map(String.init) } == expected.map { Optional($0) })
        #expect(files.count == 11)  // 8 usage files with January, the restatement, payments, meter

        for file in files {
            let name = try #require(file["file"] as? String)
            let sha256 = try #require(file["sha256"] as? String)
            let id = try #require(file["id"] as? Int)
            #expect(try sql(db, "SELECT sha256 FROM import_file WHERE id = \(id)") == [sha256], "\(name)")
            let computed = try tool("sha256sum", [name]).split(separator: " ").first.map(String.init)
            #expect(computed == sha256, "\(name)")
        }

        // The restatement names the report it replaced; the original names its replacement.
        let original = try #require(files.first { $0["file"] as? String == "Samples/usage/aws-2025-01.csv" })
        let restated = try #require(files.first { $0["file"] as? String == "Samples/restatements/aws-2025-01-restated.csv" })
        #expect(restated["restate"] as? Bool == true)
        let originalReport = try #require((original["usage_reports"] as? [[String: Any]])?.first)
        let restatedReport = try #require((restated["usage_reports"] as? [[String: Any]])?.first)
        #expect(restatedReport["replaces_report_id"] as? Int == originalReport["report_id"] as? Int)
        #expect(originalReport["replaced_by_report_id"] as? Int == restatedReport["report_id"] as? Int)
        #expect(originalReport["current"] as? Bool == false)
        #expect(restatedReport["current"] as? Bool == true)
        #expect(restatedReport["gross_revenue"] as? String == "408869.380254")

        // The agreements load is recorded with the SHA-256 of the file loaded.
        let loads = try #require(report["agreement_loads"] as? [[String: Any]])
        #expect(loads.count == 1)
        let agreementsSHA = try tool("sha256sum", ["Samples/agreements.yaml"]).split(separator: " ").first.map(String.init)
        #expect(loads.first?["sha256"] as? String == agreementsSHA)
        #expect(loads.first?["changed"] as? Bool == true)
        let agreements = try #require(report["agreements"] as? [[String: Any]])
        let aws = try #require(agreements.first { $0["partner"] as? String == "aws" })
        #expect(aws["agreement_id"] as? String == "AWS-2024")
        #expect(aws["governs_through"] as? String == "2025-02")
    }

    // MARK: - Discrepancies

    @Test("a resolved discrepancy shows its note in json, text and escaped in html")
    func resolvedDiscrepancyShowsItsNote() throws {
        let (db, directory) = try demo("e2e-audit-resolved")
        defer { directory.remove() }
        let reconcile = try json(run(db, ["reconcile", "--period", "2025-02", "--as-of", "2025-06-30", "--format", "json"]))
        let mismatch = try #require((reconcile["discrepancies"] as? [[String: Any]])?.first { $0["kind"] as? String == "SHARE_MISMATCH" })
        let id = try #require(mismatch["id"] as? String)
        let note = "Azure applied 10% to all revenue; credit note <CN-7> & re-issue agreed"
        #expect(try run(db, ["resolve", id, "--note", note]).status == 0)

        let report = try audit(db, "2025-02")
        let discrepancies = try #require(report["discrepancies"] as? [[String: Any]])
        let resolved = try #require(discrepancies.first { $0["id"] as? String == id })
        #expect(resolved["status"] as? String == "resolved")
        #expect(resolved["latest_run"] as? String == "found")
        #expect(resolved["expected"] as? String == "25369.99")
        #expect(resolved["actual"] as? String == "24474.99")
        #expect((resolved["resolutions"] as? [[String: Any]])?.map { $0["note"] as? String } == [note])
        let missingDays = try #require(discrepancies.first { $0["kind"] as? String == "MISSING_DAYS" })
        #expect(missingDays["expected"] as? Int == 28)
        #expect(missingDays["actual"] as? Int == 25)
        #expect(missingDays["status"] as? String == "open")
        let summary = try #require(report["summary"] as? [String: Any])
        #expect(summary["discrepancies_resolved"] as? Int == 1)

        let text = try run(db, ["audit", "--period", "2025-02", "--as-of", "2025-06-30"])
        #expect(text.status == 0)
        #expect(text.stdout.contains(note))
        let html = try run(db, ["audit", "--period", "2025-02", "--as-of", "2025-06-30", "--format", "html"])
        #expect(html.status == 0)
        #expect(html.stdout.contains("credit note &lt;CN-7&gt; &amp; re-issue agreed"))
        #expect(!html.stdout.contains("<CN-7>"))
    }

    @Test("a discrepancy the latest reconcile no longer finds is kept and marked gone")
    func discrepancyNoLongerFoundIsGone() throws {
        let (db, directory) = try demo("e2e-audit-gone")
        defer { directory.remove() }
        // As of 2025-06-30 Databricks' March payment is short (due 2025-04-30) …
        let late = try audit(db, "2025-03")
        let shortfall = try #require((late["discrepancies"] as? [[String: Any]])?.first { $0["kind"] as? String == "PAYMENT_SHORTFALL" })
        #expect(shortfall["latest_run"] as? String == "found")
        #expect(shortfall["partner"] as? String == "databricks")
        // … as of 2025-04-15, before the due date, it is not a shortfall: gone, but kept.
        let early = try audit(db, "2025-03", asOf: "2025-04-15")
        let gone = try #require((early["discrepancies"] as? [[String: Any]])?.first { $0["id"] as? String == shortfall["id"] as? String })
        #expect(gone["latest_run"] as? String == "gone")
        #expect(gone["status"] as? String == "open")
        #expect(((early["summary"] as? [String: Any])?["discrepancies_gone"] as? Int ?? 0) >= 1)
        // Payment application counts only what was received by as-of.
        let application = try #require((early["payment_application"] as? [[String: Any]])?.first { $0["partner"] as? String == "databricks" })
        #expect(application["charges"] as? String == "12285.13")
        #expect(application["applied"] as? String == "0.00")
        #expect(application["outstanding"] as? String == "12285.13")
        let paid = try #require((late["payment_application"] as? [[String: Any]])?.first { $0["partner"] as? String == "google-cloud" })
        #expect(paid["charges"] as? String == "19823.85")
        #expect(paid["outstanding"] as? String == "0.00")
        #expect((paid["completed_by"] as? [String: Any])?["payment_id"] as? String == "GOOGLE-CLOUD-20250425")
    }

    // MARK: - HTML statements

    @Test("statement --format html holds every figure of the JSON statement, no external URL, charts inline")
    func htmlStatementHoldsTheJSONFigures() throws {
        let (db, directory) = try demo("e2e-html-statement")
        defer { directory.remove() }
        for (partner, period, draft) in [("aws", "2025-02", false), ("dell", "2025-01", false), ("snowflake", "2025-04", true)] {
            let statement = try json(run(db, ["statement", "--partner", partner, "--period", period, "--format", "json"]))
            let result = try run(db, ["statement", "--partner", partner, "--period", period, "--format", "html"])
            #expect(result.status == 0, "\(result.stderr)")
            let html = result.stdout
            var figures: [String] = []
            for key in ["statement_id", "partner_name", "period", "currency", "agreement_id", "due_date"] {
                figures.append(try #require(statement[key] as? String, "\(key)"))
            }
            for key in ["opening_balance", "share", "minimum_true_up", "charges", "closing_balance"] {
                figures.append(Self.grouped(try #require(statement[key] as? String, "\(key)")))
            }
            for line in try #require(statement["lines"] as? [[String: Any]]) {
                figures.append(try #require(line["model"] as? String))
                for key in ["requests", "input_tokens", "output_tokens"] { figures.append(Self.grouped(String(try #require(line[key] as? Int)))) }
                figures.append(Self.grouped(try #require(line["gross_revenue"] as? String)))
                figures.append(Self.grouped(try #require(line["share"] as? String)))
            }
            for adjustment in try #require(statement["adjustments"] as? [[String: Any]]) {
                figures.append("adjustment for \(try #require(adjustment["period"] as? String))")
                figures.append(Self.grouped(try #require(adjustment["amount"] as? String)))
            }
            for payment in try #require(statement["payments"] as? [[String: Any]]) {
                figures.append("\(try #require(payment["payment_id"] as? String)) received \(try #require(payment["received_on"] as? String))")
                figures.append(Self.grouped(try #require(payment["amount"] as? String)))
            }
            for figure in figures {
                #expect(html.contains(figure), "\(partner) \(period): \(figure) missing")
            }
            // Money cells hold exactly the JSON text, its thousands grouped for a reader.
            for key in ["opening_balance", "share", "charges", "closing_balance"] {
                #expect(html.contains("<td class=\"num\">\(Self.grouped(statement[key] as? String ?? "?"))</td>"), "\(partner) \(period) \(key)")
            }
            #expect(!html.lowercased().contains("http"), "\(partner) \(period): external URL")
            #expect(!html.lowercased().contains("<script"))
            #expect(!html.contains("src="))
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(html.contains("<style>"))
            #expect(html.contains("<svg id=\"chart-history\""))
            #expect(html.contains("DRAFT") == draft, "\(partner) \(period)")
            #expect((statement["status"] as? String == "draft") == draft)
            if !(statement["lines"] as? [Any] ?? []).isEmpty { #expect(html.contains("<svg id=\"chart-by-model\"")) }
        }

        // The history chart shows the earlier issued statements: AWS March shows January and February.
        let march = try run(db, ["statement", "--partner", "aws", "--period", "2025-03", "--format", "html"]).stdout
        for figure in ["45,391.08", "42,566.36", "43,505.69", "42,444.91"] { #expect(march.contains(figure), "\(figure)") }
        let sha = try #require(try sql(db, "SELECT document_sha256 FROM statement WHERE statement_id = 'aws-2025-03'").first)
        #expect(march.contains(sha))

        // statements --format html writes one self-contained file per partner.
        let out = directory.file("html")
        let written = try run(db, ["statements", "--period", "2025-03", "--output-dir", out, "--format", "html"])
        #expect(written.status == 0, "\(written.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names.count == 8)
        #expect(names.allSatisfy { $0.hasSuffix("-2025-03.html") })
        let dell = try String(contentsOfFile: "\(out)/dell-2025-03.html", encoding: .utf8)
        #expect(dell.contains("7,373.63"))
        #expect(dell.contains("EUR"))
    }

    @Test("audit --format html is self-contained with the share chart, tie-out, files and discrepancies")
    func auditHTMLIsSelfContained() throws {
        let (db, directory) = try demo("e2e-audit-html")
        defer { directory.remove() }
        let result = try run(db, ["audit", "--period", "2025-02", "--as-of", "2025-06-30", "--format", "html"])
        #expect(result.status == 0, "\(result.stderr)")
        let html = result.stdout
        #expect(!html.lowercased().contains("http"))
        #expect(!html.lowercased().contains("<script"))
        #expect(html.contains("<svg id=\"chart-share-usd\""))
        #expect(html.contains("<svg id=\"chart-share-eur\""))
        for section in ["shares", "tie-out", "payment-application", "discrepancies", "files", "agreements", "integrity"] {
            #expect(html.contains("<section id=\"\(section)\">"), "\(section)")
        }
        // Azure's planted SHARE_MISMATCH: expected and reported as exact text.
        #expect(html.contains("25369.99"))
        #expect(html.contains("24474.99"))
        #expect(html.contains("SHARE_MISMATCH"))
        #expect(html.contains("Samples/payments.csv"))
        // --output writes the same document.
        let file = directory.file("audit.html")
        #expect(try run(db, ["audit", "--period", "2025-02", "--as-of", "2025-06-30", "--format", "html", "--output", file]).status == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("<section id=\"tie-out\">"))
    }

    // MARK: - Refusals

    @Test("audit of a period no agreement is in force for exits 65 and records nothing; bad flags exit 64")
    func auditRefusals() throws {
        let (db, directory) = try demo("e2e-audit-refusals")
        defer { directory.remove() }
        let runsBefore = try sql(db, "SELECT count(*) FROM reconcile_run")
        let refused = try run(db, ["audit", "--period", "2024-01", "--as-of", "2025-06-30"])
        #expect(refused.status == 65)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("no partner has an agreement in force for 2024-01"))
        #expect(refused.stderr.contains("2024-07"))  // the earliest agreement, named as a hint
        #expect(try sql(db, "SELECT count(*) FROM reconcile_run") == runsBefore)

        #expect(try run(db, ["audit", "--period", "2025-13"]).status == 64)
        #expect(try run(db, ["audit", "--period", "2025-01", "--as-of", "2025-02-30"]).status == 64)
        #expect(try run(db, ["audit", "--period", "2025-01", "--format", "xml"]).status == 64)
        #expect(try run(directory.file("missing.sqlite"), ["audit", "--period", "2025-01"]).status == 66)
    }

    @Test("audit of an open period ties out its draft statements and applies no payments")
    func auditOfAnOpenPeriod() throws {
        let (db, directory) = try demo("e2e-audit-open")
        defer { directory.remove() }
        let report = try audit(db, "2025-04")
        #expect(report["period_status"] as? String == "open")
        #expect((report["payment_application"] as? [Any])?.isEmpty == true)
        let tieOuts = try #require(report["tie_out"] as? [[String: Any]])
        #expect(tieOuts.count == 8)
        for tieOut in tieOuts {
            let partner = try #require(tieOut["partner"] as? String)
            #expect(tieOut["status"] as? String == "draft")
            let statement = try json(run(db, ["statement", "--partner", partner, "--period", "2025-04", "--format", "json"]))
            #expect(try minor(statement["closing_balance"]) == (try amount(tieOut["closing_balance"])), "\(partner)")
            #expect(try amount(tieOut["closing_balance"])
                == (try amount(tieOut["opening_balance"])) + (try amount(tieOut["charges"])) - (try minor(tieOut["payments_total"])))
        }
        let snowflake = try #require(tieOuts.first { $0["partner"] as? String == "snowflake" })
        #expect(try amount(snowflake["minimum_true_up"]) == 600_000)
    }

    /// JSON's plain figure as a person reads it: integer digits in groups of three, by a
    /// regular expression rather than the renderer's own code.
    static func grouped(_ plain: String) -> String {
        var text = plain
        while let range = text.range(of: #"\d(\d{3})(?=(,|\.|$))"#, options: .regularExpression),
              text[text.startIndex..<range.lowerBound].allSatisfy({ $0 != "." }) {
            let digits = text[range]
            text.replaceSubrange(range, with: "\(digits.prefix(1)),\(digits.dropFirst())")
        }
        return text
    }
}
