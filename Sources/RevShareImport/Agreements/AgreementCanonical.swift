import RevShareCore

/// The canonical text of a set of agreements, stored with every load for the audit trail.
///
/// Format `revshare-agreements-v1`: one line of compact JSON, then `\n`. Partners sorted by id,
/// agreements by `effective_from`, prices by model (UTF-8 byte order). Every key is always
/// present, in a fixed order; absent values are `null`. Rates, prices, bounds and tolerances
/// are strings with exactly 6 fractional digits, `minimum_monthly` with the currency's minor
/// digits. Two files that parse to the same agreements have the same canonical text, whatever
/// their layout, comments, quoting or trailing zeros (`0.10` and `0.1`).
public enum AgreementCanonical {
    public static let format = "revshare-agreements-v1"

    public static func text(_ partners: [Partner]) -> String {
        var out = "{\"format\":\(string(format)),\"partners\":["
        for (index, partner) in partners.sorted(by: { $0.id.utf8Precedes($1.id) }).enumerated() {
            if index > 0 { out += "," }
            out += "{\"id\":\(string(partner.id)),\"name\":\(string(partner.name))"
            out += ",\"currency\":\(string(partner.currency.code)),\"payment_terms_days\":\(partner.paymentTermsDays)"
            out += ",\"agreements\":["
            for (position, agreement) in partner.agreements.enumerated() {
                if position > 0 { out += "," }
                out += self.agreement(agreement, currency: partner.currency)
            }
            out += "]}"
        }
        return out + "]}\n"
    }

    private static func agreement(_ agreement: Agreement, currency: Currency) -> String {
        var out = "{\"id\":\(string(agreement.id)),\"effective_from\":\(string(agreement.effectiveFrom.description))"
        out += ",\"basis\":\(string(agreement.basis.rawValue)),\"tiers\":["
        out += agreement.tiers.map { tier in
            "{\"up_to\":\(tier.upToMicros.map { string(micros($0)) } ?? "null"),\"rate\":\(string(micros(tier.rateMicros)))}"
        }.joined(separator: ",")
        out += "],\"default_price\":\(agreement.defaultPrice.map(price) ?? "null")"
        out += ",\"prices\":\(priceTable(agreement.prices))"
        let minimum = agreement.minimumMonthlyMinor.map { string(Money.format(minor: $0, currency: currency)) }
        out += ",\"minimum_monthly\":\(minimum ?? "null")"
        out += ",\"tolerance\":{\"amount\":\(string(micros(agreement.tolerance.amountMicros)))"
        out += ",\"relative\":\(string(micros(agreement.tolerance.relativeMicros)))"
        out += ",\"price_relative\":\(string(micros(agreement.tolerance.priceRelativeMicros)))}"
        out += ",\"list_prices\":\(priceTable(agreement.listPrices))}"
        return out
    }

    private static func priceTable(_ prices: [ExactText: TokenPrice]) -> String {
        "{" + prices.sorted { $0.key < $1.key }.map { "\(string($0.key.string)):\(price($0.value))" }
            .joined(separator: ",") + "}"
    }

    private static func price(_ price: TokenPrice) -> String {
        "{\"input\":\(string(micros(price.inputMicros))),\"output\":\(string(micros(price.outputMicros)))}"
    }

    private static func micros(_ value: Int64) -> String { ScaledDecimal.format(value, scale: 6) }

    /// A JSON string literal; control characters and non-ASCII are escaped, so the text is
    /// plain ASCII whatever the names hold.
    private static func string(_ text: String) -> String {
        var out = "\""
        for unit in text.utf16 {
            switch unit {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            default:
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out + "\""
    }
}
