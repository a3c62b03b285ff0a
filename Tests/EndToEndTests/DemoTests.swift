import Foundation
import Testing
import TestSupport

/// `revshare demo` run as a user would, from the repository root, on the committed Samples/.
/// The figures below are computed by hand from the sample CSV files (see Samples/README.md for
/// what is planted where); if scripts/generate-samples changes, recompute them.
struct DemoTests {
    private func json(_ result: RunResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    private func statement(_ db: String, _ partner: String, _ period: String) throws -> [String: Any] {
        let result = try RevShareExecutable.run(["--db", db, "statement", "--partner", partner, "--period", period,
                                                 "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try json(result)
    }

    @Test("demo builds the sample books from Samples/; verify passes; statements match hand-computed figures")
    func demoBuildsTheSampleBooks() throws {
        let directory = TemporaryDirectory("e2e-demo")
        defer { directory.remove() }
        let demo = try RevShareExecutable.run(["demo", "--dir", directory.path], in: repositoryRoot)
        #expect(demo.status == 0, "\(demo.stderr)")
        let db = directory.file("revshare.sqlite")
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(demo.stdout.contains("database \(db)"))
        for period in ["2025-01", "2025-02", "2025-03"] {
            #expect(demo.stdout.contains("close       \(period): 8 statements issued"))
        }
        #expect(demo.stdout.contains("restatement Samples/restatements/aws-2025-01-restated.csv: 558 rows: aws 2025-01 (restated)"))
        // The statement shown is the first with a prior-period adjustment: AWS, February.
        #expect(demo.stdout.contains("STATEMENT aws-2025-02"))
        #expect(demo.stdout.contains("adjustment for 2025-01"))
        #expect(demo.stdout.contains("verify: OK"))
        #expect(demo.stdout.contains("revshare --db \(db) statement --partner aws --period 2025-02 --format json"))

        let verify = try RevShareExecutable.run(["--db", db, "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")

        // Dell, January 2025 (EUR, DELL-EMEA-2024: 15% up to 30,000, 18% above), from
        // Samples/usage/dell-2025-01.csv (186 rows):
        //   gross revenue by model  llama-3.1-70b-instruct 14260.948302
        //                           llama-3.1-8b-instruct   8124.210767
        //                           llama-3.3-70b-instruct 21662.644637
        //   R = 44047.803706
        //   share = 0.15 × 30000 + 0.18 × (44047.803706 − 30000)
        //         = 4500 + 0.18 × 14047.803706 = 4500 + 2528.60466708 = 7028.60466708 → 7028.60
        //   lines: 702860 cents × weight / R = 227558.454…, 129636.038…, 345665.507…;
        //   floors add to 702859, the one cent left goes to the largest fraction (.507, 3.3-70b)
        //   → 2275.58, 1296.36, 3456.66
        let dell = try statement(db, "dell", "2025-01")
        #expect(dell["currency"] as? String == "EUR")
        #expect(dell["agreement_id"] as? String == "DELL-EMEA-2024")
        #expect(dell["due_date"] as? String == "2025-03-02")  // 2025-01-31 + 30 days
        #expect(dell["share"] as? String == "7028.60")
        #expect(dell["minimum_true_up"] as? String == "0.00")
        #expect(dell["charges"] as? String == "7028.60")
        let lines = try #require(dell["lines"] as? [[String: Any]])
        #expect(lines.map { $0["model"] as? String } == ["llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.3-70b-instruct"])
        #expect(lines.map { $0["gross_revenue"] as? String } == ["14260.948302", "8124.210767", "21662.644637"])
        #expect(lines.map { $0["share"] as? String } == ["2275.58", "1296.36", "3456.66"])

        // AWS, January restated (AWS-2024: 10% to 150,000, 12% to 400,000, 15% above):
        //   original usage/aws-2025-01.csv            R = 402607.180038
        //     share = 15000 + 30000 + 0.15 × 2607.180038 = 45391.0770057 → 45391.08
        //   restatements/aws-2025-01-restated.csv     R = 408869.380254
        //     share = 15000 + 30000 + 0.15 × 8869.380254 = 46330.4070381 → 46330.41
        //   adjustment posted in February = 46330.41 − 45391.08 = 939.33
        let aws = try statement(db, "aws", "2025-02")
        #expect(aws["opening_balance"] as? String == "45391.08")  // January, unpaid at the end of February
        let adjustments = try #require(aws["adjustments"] as? [[String: Any]])
        #expect(adjustments.count == 1)
        #expect(adjustments.first?["period"] as? String == "2025-01")
        #expect(adjustments.first?["amount"] as? String == "939.33")

        // Snowflake, February: no report (the planted MISSING_REPORT), so share 0 and the whole
        // minimum_monthly of 6000 is trued up.
        let snowflake = try statement(db, "snowflake", "2025-02")
        #expect(snowflake["share"] as? String == "0.00")
        #expect(snowflake["minimum_true_up"] as? String == "6000.00")
        #expect((snowflake["lines"] as? [Any])?.isEmpty == true)
    }

    @Test("demo refuses a directory that already holds a database (65) and writes nothing")
    func demoRefusesAnExistingDatabase() throws {
        let directory = TemporaryDirectory("e2e-demo-existing")
        defer { directory.remove() }
        let db = directory.write("revshare.sqlite", "")
        let demo = try RevShareExecutable.run(["demo", "--dir", directory.path], in: repositoryRoot)
        #expect(demo.status == 65)
        #expect(demo.stderr.contains("already holds revshare.sqlite"))
        #expect(try FileManager.default.attributesOfItem(atPath: db)[.size] as? Int == 0)
    }
}
