import RevShareCore
import RevShareImport
import Testing
import TestSupport

/// Partner files in their real layout read through the built-in maps; expected rows by hand.
@Suite struct MapsEngineTests {
    static let usd = Currency(code: "USD")!

    static func partner(_ id: String, _ aliases: [String: String]) -> Partner {
        Partner(id: id, name: id, currency: usd, paymentTermsDays: 30, agreements: [],
                modelAliases: Dictionary(uniqueKeysWithValues: aliases.map { (ExactText($0.key), $0.value) }))
    }

    func read(_ mapName: String, file: String, _ text: String, partners: [Partner]) throws -> MapIntake {
        let directory = TemporaryDirectory("maps")
        defer { directory.remove() }
        let path = directory.write(file, text)
        let map = try LoadedMap.load(mapName).map
        return try UsageMapReader.read(InputFile(argument: path), through: map, partners: partners).intake
    }

    func failure(_ mapName: String, file: String, _ text: String, partners: [Partner]) throws -> [String] {
        do {
            _ = try read(mapName, file: file, text, partners: partners)
            return []
        } catch let invalid as InvalidInput {
            return (invalid.errors.first + invalid.trailing).map { $0.description.replacing(#/^.*\/maps-[^\/]*\//#, with: "") }
        }
    }

    @Test func inferenceRequestsCountRowsAndSumTokensPerModelAndDay() throws {
        let text = """
            email,start_time,end_time,usage_type,accelerator_type,accelerator_seconds,base_model_name,model_bucket,parameter_count,prompt_tokens,completion_tokens
            a@x,2025-01-03 10:00:00 UTC,2025-01-03 10:00:01 UTC,TEXT,,,accounts/fireworks/models/llama-v3p1-70b-instruct,,70B,100,20
            b@x,2025-01-03 11:00:00 UTC,2025-01-03 11:00:01 UTC,TEXT,,,accounts/fireworks/models/llama-v3p1-70b-instruct,,70B,50,
            c@x,2025-01-03 12:00:00 UTC,2025-01-03 13:00:00 UTC,DEPLOYMENT,H100,3600,accounts/fireworks/models/llama-v3p1-70b-instruct,,70B,,
            d@x,2025-01-04 00:00:00 UTC,2025-01-04 00:00:01 UTC,TEXT,,,accounts/fireworks/models/llama-v3p1-8b-instruct,,8B,7,3

            """
        let groq = Self.partner("groq", ["accounts/fireworks/models/llama-v3p1-70b-instruct": "llama-3.1-70b-instruct",
                                         "accounts/fireworks/models/llama-v3p1-8b-instruct": "llama-3.1-8b-instruct"])
        let intake = try read("inference-requests", file: "groq.csv", text, partners: [groq])
        #expect(intake.rowsRead == 4)
        #expect(intake.skipped.map { "\($0.filter) \($0.rows)" } == ["has-tokens 1"])
        #expect(intake.rowsUsed == 3)
        #expect(intake.rows.map { "\($0.firstLine) \($0.sourceRows) \($0.usageDate) \($0.model) \($0.requests) \($0.inputTokens) \($0.outputTokens) \($0.grossRevenueMicros)" } == [
            "2 2 2025-01-03 llama-3.1-70b-instruct 2 150 20 0",
            "5 1 2025-01-04 llama-3.1-8b-instruct 1 7 3 0",
        ])
        #expect(intake.unusedColumns == ["email", "end_time", "usage_type", "accelerator_type", "accelerator_seconds", "model_bucket", "parameter_count"])
        #expect(intake.controlTotals.map { "\($0.column.rawValue) \($0.from ?? "-") \($0.sourceText ?? "-") \($0.target)" } == [
            "requests - - 3", "input_tokens prompt_tokens 157 157", "output_tokens completion_tokens 23 23", "gross_revenue - - 0",
        ])
    }

    @Test func snowflakeKeepsTheLatestReportAndSkipsUncharged() throws {
        let header = "REPORT_DATE,USAGE_DATE,LISTING_OWNER_ACCOUNT_NAME,LISTING_OWNER_ACCOUNT_LOCATOR,LISTING_NAME,LISTING_DISPLAY_NAME,LISTING_GLOBAL_NAME,CONSUMER_ACCOUNT_LOCATOR,CONSUMER_ACCOUNT_NAME,CONSUMER_ORGANIZATION_NAME,CONSUMER_SNOWFLAKE_REGION,PRICING_PLAN,CHARGE_TYPE,UNITS,UNIT_PRICE,CHARGE,CURRENCY"
        let text = [header,
            "2025-01-04 01:00:00.000,2025-01-03,O,L,N,D,GZT1LLAMA70B,AB12345,C,Org,AWS_US_WEST_2,\"{\"\"a\"\":1}\",VARIABLE,10,1.5,15.000000,USD",
            "2025-01-05 01:00:00.5,2025-01-03,O,L,N,D,GZT1LLAMA70B,AB12345,C,Org,AWS_US_WEST_2,{},VARIABLE,12,1.5,18.000000,USD",
            "2025-01-05 01:00:00.000,2025-01-03,O,L,N,D,GZT1LLAMA70B,AB12345,C,Org,AWS_US_WEST_2,{},FIXED,,,100,USD",
            "2025-01-05 01:00:00.000,2025-01-03,O,L,N,D,GZT1LLAMA70B,XY999,C,Org,AWS_US_WEST_2,{},SAMPLE,3,0,0,USD",
        ].map { $0 + "\n" }.joined()
        let snowflake = Self.partner("snowflake", ["GZT1LLAMA70B": "llama-3.1-70b-instruct"])
        let intake = try read("snowflake-monetized-usage", file: "sf.csv", text, partners: [snowflake])
        #expect(intake.rowsRead == 4)
        #expect(intake.deduplicated == 1)
        #expect(intake.skipped.map { "\($0.filter) \($0.rows)" } == ["charged 1"])
        #expect(intake.rows.map { "\($0.firstLine) \($0.sourceRows) \($0.region) \($0.requests) \($0.grossRevenueMicros)" } == [
            "3 2 AWS_US_WEST_2 12 118000000",
        ])
    }

    @Test func awsFeedDedupesFiltersAndRoundsPerModelAndMonth() throws {
        let header = "billing_event_id,from_account_id,to_account_id,end_user_account_id,product_id,action,transaction_type,parent_billing_event_id,disbursement_billing_event_id,amount,currency,balance_impacting,invoice_date,payment_due_date,usage_period_start_date,usage_period_end_date,invoice_id,billing_address_id,transaction_reference_id,bank_trace_id,broker_id,agreement_id,valid_from,update_date,delete_date"
        func event(_ id: String, _ action: String, _ type: String, _ amount: String, impacting: String = "1", start: String = "2025-01-02T00:00:00Z", update: String = "2025-01-05T00:00:00Z", delete: String = "") -> String {
            "\(id),1,2,3,prod-7fjq2nxa3kq4e,\(action),\(type),,,\(amount),USD,\(impacting),2025-01-31T00:00:00Z,2025-02-28T00:00:00Z,\(start),2025-01-31T00:00:00Z,I1,B,T,,,A,2025-01-01T00:00:00Z,\(update),\(delete)"
        }
        let text = [header,
            event("e1", "INVOICED", "SELLER_REV_SHARE", "100.0000000001"),
            event("e1", "INVOICED", "SELLER_REV_SHARE", "100.0000004", update: "2025-01-06T00:00:00Z"),
            event("e2", "INVOICED", "SELLER_REV_SHARE_REFUND", "-10.5", start: "2025-01-20T00:00:00Z"),
            event("e3", "INVOICED", "AWS_REV_SHARE", "-20"),
            event("e4", "DISBURSED", "SELLER_REV_SHARE", "-100", start: ""),
            event("e5", "INVOICED", "AWS_TAX_SHARE", "5", impacting: "0"),
            event("e6", "INVOICED", "SELLER_REV_SHARE", "7", delete: "2025-01-07T00:00:00Z"),
        ].map { $0 + "\n" }.joined()
        let aws = Self.partner("aws", ["prod-7fjq2nxa3kq4e": "llama-3.1-70b-instruct"])
        let intake = try read("aws-billing-feed", file: "feed.csv", text, partners: [aws])
        #expect(intake.rowsRead == 7)
        #expect(intake.deduplicated == 1)
        #expect(intake.skipped.map(\.rows) == [1, 1, 1, 1])
        #expect(intake.rowsUsed == 2)
        // 100.0000004 − 10.5 = 89.5000004, rounded half to even to 6 digits: 89.500000.
        #expect(intake.rows.map { "\($0.usageDate) \($0.model) \($0.grossRevenueMicros)" } == ["2025-01-01 llama-3.1-70b-instruct 89500000"])
        #expect(intake.controlTotals.last.map { "\($0.from ?? "-") \($0.sourceText ?? "-") \($0.target) \($0.rounded)" } == "amount 89.5000004 89500000 1")
    }

    @Test func unmappedValuesAreListedWithTheirCountAndFirstLine() throws {
        let text = """
            email,start_time,end_time,usage_type,accelerator_type,accelerator_seconds,base_model_name,model_bucket,parameter_count,prompt_tokens,completion_tokens
            a@x,2025-01-03 10:00:00 UTC,,TEXT,,,m-unknown,,,1,1
            a@x,2025-01-03 10:00:00 UTC,,TEXT,,,m-unknown,,,12a,1
            a@x,2025-01-03 10:00:00 UTC,,TEXT,,,m-unknown,,,3,1

            """
        let errors = try failure("inference-requests", file: "nv.csv", text, partners: [Self.partner("groq", [:])])
        #expect(errors == [
            "nv.csv:3: prompt_tokens (-> input_tokens): \"12a\" is not a decimal",
            "nv.csv:2: base_model_name (-> model): \"m-unknown\" is not mapped for partner groq (3 rows)",
        ])
    }

    @Test func missingColumnIsReportedAloneAtLineOne() throws {
        let errors = try failure("inference-requests", file: "nv.csv", "email,start_time\nx,y\n", partners: [Self.partner("groq", [:])])
        #expect(errors == [
            "nv.csv:1: prompt_tokens (filter has-tokens): required column is missing",
            "nv.csv:1: base_model_name (-> model): required column is missing",
            "nv.csv:1: completion_tokens (-> output_tokens): required column is missing",
        ])
    }
}
