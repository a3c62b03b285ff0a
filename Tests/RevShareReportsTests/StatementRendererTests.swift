import RevShareCore
import RevShareDomain
import RevShareReports
import Testing
import TestSupport

/// The statement renderers on a statement built by hand, against output written out by hand.
struct StatementRendererTests {
    static let statement = Statement(
        status: .final, partnerID: "aws", partnerName: "Amazon Web Services", period: period("2025-02"), currency: usd,
        agreementID: "AWS-2024", dueDate: date("2025-04-14"), openingBalanceMinor: 123_456_789,
        lines: [
            ShareLine(model: "llama-3.1-405b-instruct", requests: 1_234_567, inputTokens: 22_671_383_990,
                      outputTokens: 999, grossRevenueMicros: 1_234_567_890_000, shareMinor: 12_345_679),
            ShareLine(model: "=SUM(A1)", requests: 0, inputTokens: 0, outputTokens: 0, grossRevenueMicros: 0, shareMinor: 0),
        ],
        shareMinor: 12_345_679, minimumTrueUpMinor: 0,
        adjustments: [Statement.Adjustment(period: period("2025-01"), amountMinor: -5_000)],
        payments: [Statement.Payment(paymentID: "P-1", receivedOn: date("2025-02-10"), amountMinor: 100_000_000)])

    @Test func textGroupsThousandsAndAddsUp() {
        // Column widths and sums worked out by hand: 1,234,567.89 + 123,456.79 − 50.00 − 1,000,000.00.
        #expect(StatementRenderer.text(Self.statement) == """
            STATEMENT aws-2025-02
              partner      Amazon Web Services (aws)
              period       2025-02
              agreement    AWS-2024
              currency     USD
              due date     2025-04-14

              model                     requests    input tokens  output tokens     gross revenue       share
              -----------------------  ---------  --------------  -------------  ----------------  ----------
              llama-3.1-405b-instruct  1,234,567  22,671,383,990            999  1,234,567.890000  123,456.79
              =SUM(A1)                         0               0              0          0.000000        0.00

                                                       amount USD
              ------------------------------------  -------------
              opening balance                        1,234,567.89
              revenue share                            123,456.79
              minimum guarantee true-up                      0.00
              adjustment for 2025-01                       -50.00
              charges                                  123,406.79
              payment P-1 received 2025-02-10       -1,000,000.00
              closing balance (owed when positive)     357,974.68

            """)
    }

    @Test func csvKeepsPlainDigitsAndNeutralisesFormulas() {
        #expect(StatementRenderer.csv(Self.statement) == """
            statement_id,partner,period,currency,model,requests,input_tokens,output_tokens,gross_revenue,share\r
            aws-2025-02,aws,2025-02,USD,llama-3.1-405b-instruct,1234567,22671383990,999,1234567.890000,123456.79\r
            aws-2025-02,aws,2025-02,USD,'=SUM(A1),0,0,0,0.000000,0.00\r

            """)
    }

    @Test func jsonHoldsTheFiguresOfTheSpec() throws {
        let json = StatementDocument.json(Self.statement)
        for fragment in ["\"statement_id\": \"aws-2025-02\"", "\"opening_balance\": \"1234567.89\"", "\"share\": \"123456.79\"",
                         "\"charges\": \"123406.79\"", "\"closing_balance\": \"357974.68\"", "\"input_tokens\": 22671383990",
                         "\"model\": \"=SUM(A1)\"", "\"amount\": \"-50.00\""] {
            #expect(json.contains(fragment), "\(fragment)")
        }
        #expect(try StatementDocument.parse(json) == Self.statement)
    }
}
