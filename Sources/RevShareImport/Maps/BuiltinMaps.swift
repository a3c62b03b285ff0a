/// The built-in maps of SPEC-intake §I11, each text byte for byte as the spec gives it (its last
/// line ends with one LF): `maps show` prints these bytes and their SHA-256 is the map's.
public enum BuiltinMaps {
    public struct Entry: Sendable {
        public let name: String
        public let text: String
    }

    /// Sorted by name.
    public static let all: [Entry] = [
        Entry(name: "aws-billing-feed", text: #"""
revshare_map: 1
name: aws-billing-feed
description: AWS Marketplace seller billing event feed; seller revenue per product and month
source: {delimiter: ","}
grain: month
# Events are immutable and versioned: keep the latest version of each event, then drop deleted ones.
dedupe: {key: [billing_event_id, valid_from], latest: update_date, format: "%Y-%m-%dT%H:%M:%SZ"}
filters:
  - {name: not-deleted, column: delete_date, empty: true}
  - {name: invoiced, column: action, equals: INVOICED}
  - {name: balance-impacting, column: balance_impacting, equals: "1"}
  - name: seller-revenue
    column: transaction_type
    in: [SELLER_REV_SHARE, SELLER_REV_SHARE_REFUND, SELLER_REV_SHARE_CREDIT]
columns:
  usage_date: {from: usage_period_start_date, format: "%Y-%m-%dT%H:%M:%SZ"}
  partner: {const: aws}
  model: {from: product_id, aliases: partner}
  region: {const: ""}
  requests: {const: 0}
  input_tokens: {const: 0}
  output_tokens: {const: 0}
  gross_revenue: {from: amount, round: half_even}   # amounts carry up to 10 decimals
  currency: {from: currency}

"""#),
        Entry(name: "aws-cur-bedrock", text: #"""
revshare_map: 1
name: aws-cur-bedrock
description: AWS Cost and Usage Report (CUR 2.0) Amazon Bedrock line items; tokens per model, region and day
source: {delimiter: ","}
grain: day
filters:
  - {name: bedrock, column: line_item_product_code, equals: AmazonBedrock}
  - {name: usage-lines, column: line_item_line_item_type, equals: Usage}
  - name: token-usage
    column: line_item_usage_type
    matches: '-(?:input-tokens|output-tokens|cache-read-input-token-count|cache-write-input-token-count)$'
columns:
  usage_date: {from: line_item_usage_start_date, format: "%Y-%m-%dT%H:%M:%SZ"}
  partner: {const: aws}
  model:
    from: line_item_usage_type
    extract: '^[A-Z0-9]+-(.+)-(?:input-tokens|output-tokens|cache-read-input-token-count|cache-write-input-token-count)$'
    aliases: partner
  region: {from: product_region_code}
  requests: {const: 0}
  # Cache reads and writes are input tokens: input and output tokens alone would not match the bill.
  input_tokens:
    from: line_item_usage_amount
    when: {column: line_item_usage_type, matches: '-(?:input-tokens|cache-read-input-token-count|cache-write-input-token-count)$'}
  output_tokens:
    from: line_item_usage_amount
    when: {column: line_item_usage_type, matches: '-output-tokens$'}
  gross_revenue: {const: 0}   # revenue comes from the billing event feed: import it, then --merge this

"""#),
        Entry(name: "azure-earnings", text: #"""
revshare_map: 1
name: azure-earnings
description: Microsoft Partner Center marketplace earnings export (TSV); USD earnings per offer and month
source: {delimiter: "\t"}   # for the .csv download, copy this map and set delimiter: ","
grain: month
filters:
  - {name: sales, column: earningType, in: [Sell, Refund]}
columns:
  usage_date: {from: earningForDate, format: "%m/%d/%Y"}
  partner: {const: azure}
  model: {from: parentProductName, aliases: partner}
  region: {const: ""}
  requests: {const: 0}
  input_tokens: {const: 0}
  output_tokens: {const: 0}
  gross_revenue: {from: earningAmountUSD}   # the USD column, not earningAmount (transaction currency)
  currency: {const: USD}

"""#),
        Entry(name: "databricks-billing-usage", text: #"""
revshare_map: 1
name: databricks-billing-usage
description: Databricks billable-usage export for Model Serving with the partner's token and cost columns; retractions netted
source: {delimiter: ","}
grain: day
# A RETRACTION row repeats the figures of the record it retracts: negate them.
negate_when: {column: record_type, equals: RETRACTION}
filters:
  - {name: model-serving, column: billing_origin_product, equals: MODEL_SERVING}
columns:
  usage_date: {from: usage_date, format: "%Y-%m-%d"}
  partner: {const: databricks}
  model: {from: served_model, aliases: partner}
  region: {from: cloud}
  requests: {from: request_count}
  input_tokens: {from: input_token_count}
  output_tokens: {from: output_token_count}
  gross_revenue: {from: list_cost_usd, round: half_even}   # costs carry up to 10 decimals
  currency: {const: USD}

"""#),
        Entry(name: "gcp-charges-usage", text: #"""
revshare_map: 1
name: gcp-charges-usage
description: Google Cloud Marketplace "YYYYMMDD Charges and Usage" report; tokens and charges per SKU and location, month from the file name
source: {delimiter: ","}
grain: month
columns:
  usage_date: {filename: '^([0-9]{4})([0-9]{2})[0-9]{2} Charges and Usage'}
  partner: {const: gcp}
  model: {from: SKU, extract: '^(.+) (?:Input|Output) Tokens$', aliases: partner}
  region: {from: Location, optional: true}
  requests: {const: 0}
  # Usage is in thousands of tokens.
  input_tokens: {from: Usage, scale: 3, when: {column: SKU, matches: ' Input Tokens$'}}
  output_tokens: {from: Usage, scale: 3, when: {column: SKU, matches: ' Output Tokens$'}}
  gross_revenue: {from: Charges}
  currency: {from: Currency}

"""#),
        Entry(name: "inference-requests", text: #"""
revshare_map: 1
name: inference-requests
description: Per-request inference export (Fireworks billing-metrics layout); requests counted by rows, tokens per model and day
source: {delimiter: ","}
grain: day
filters:
  - {name: has-tokens, column: prompt_tokens, empty: false}   # deployment-interval rows carry no tokens
columns:
  usage_date: {from: start_time, format: "%Y-%m-%d %H:%M:%S UTC"}
  partner: {const: groq}   # Nvidia, Dell, ... send this layout too: copy the map, change this id
  model: {from: base_model_name, aliases: partner}
  region: {const: ""}
  requests: {const: 1}
  input_tokens: {from: prompt_tokens}
  output_tokens: {from: completion_tokens, default: 0}   # empty for embedding requests
  gross_revenue: {const: 0}   # this layout has no money column

"""#),
        Entry(name: "snowflake-monetized-usage", text: #"""
revshare_map: 1
name: snowflake-monetized-usage
description: Snowflake Marketplace MONETIZED_USAGE_DAILY export; charges per listing, consumer region and day
source: {delimiter: ","}
grain: day
# A row reported again on a later REPORT_DATE replaces the earlier report of it.
dedupe:
  key: [USAGE_DATE, LISTING_GLOBAL_NAME, CONSUMER_ACCOUNT_LOCATOR, CHARGE_TYPE]
  latest: REPORT_DATE
  format: "%Y-%m-%d %H:%M:%S.%f"
filters:
  - {name: charged, column: CHARGE_TYPE, not_in: [SAMPLE, GRACE, MAX_VARIABLE_USAGE_REACHED, NON_MONETIZABLE_BILLING_EVENTS]}
columns:
  usage_date: {from: USAGE_DATE, format: "%Y-%m-%d"}
  partner: {const: snowflake}
  model: {from: LISTING_GLOBAL_NAME, aliases: partner}
  region: {from: CONSUMER_SNOWFLAKE_REGION}
  requests: {from: UNITS, default: 0}   # UNITS is empty on FIXED charges
  input_tokens: {const: 0}
  output_tokens: {const: 0}
  gross_revenue: {from: CHARGE}
  currency: {from: CURRENCY}

"""#),
    ]

    public static func named(_ name: String) -> Entry? {
        all.first { $0.name == name }
    }
}
