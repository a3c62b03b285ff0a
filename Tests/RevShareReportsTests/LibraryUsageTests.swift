import Foundation
import RevShareCore
import RevShareDomain
import RevShareImport
import RevShareReports
import RevShareStore
import Testing
import TestSupport

/// The example of the "Using revshare as a library" article, word for word, run on real files.
func closeJanuary(database: String, agreements: String, usage: String) throws -> String {
    let store = try Store.open(path: database, create: true)
    _ = try AgreementLoader.load(path: agreements, into: store)
    _ = try UsageImporter.run(InputFile(argument: usage), restate: false, store: store)
    let january = Period("2025-01")!
    _ = try PeriodClose.close(january, today: CivilDate("2025-02-03")!, store: store)
    let found = try StatementQuery.statement(partnerID: "aws", period: january, store: store)
    return StatementRenderer.text(found.statement)
}

struct LibraryUsageTests {
    @Test func theArticleExampleClosesAMonth() throws {
        let directory = TemporaryDirectory("library-usage")
        defer { directory.remove() }
        let agreements = directory.write("agreements.yaml", """
            partners:
              - id: aws
                name: Amazon Web Services
                currency: USD
                payment_terms_days: 45
                agreements:
                  - id: AWS-2024
                    effective_from: 2024-07
                    basis: revenue_percent
                    tiers:
                      - rate: 0.10

            """)
        let usage = directory.write("usage.csv", """
            usage_date,partner,model,region,requests,input_tokens,output_tokens,gross_revenue
            2025-01-03,aws,llama-3.1-70b-instruct,us-east-1,10,1000,2000,12345.67

            """)
        let text = try closeJanuary(database: directory.file("revshare.sqlite"), agreements: agreements, usage: usage)
        // 10 % of 12,345.67 is 1,234.567, rounded half to even: 1,234.57.
        #expect(text.hasPrefix("STATEMENT aws-2025-01\n"))
        #expect(text.contains("\n  revenue share                           1,234.57\n"))
    }
}
