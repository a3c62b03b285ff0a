import RevShareCore
import RevShareImport
import RevShareStore

/// The summary `agreements load` prints.
public enum AgreementLoadRenderer {
    /// Ids listed per kind of change before `… and N more`.
    public static let listedPerKind = 20

    /// `loaded agreements.yaml (sha256 ab12cd34ef56…): 8 partners, 10 agreements; no change`, or
    /// with what changed: `…; partners: 1 added; agreements: 2 added, 1 changed`, then one line
    /// per added, changed or removed id (at most `listedPerKind` of each kind).
    public static func text(_ summary: AgreementLoadSummary) -> String {
        var out = "loaded \(TerminalText.escaped(summary.fileName)) (sha256 \(summary.sha256.prefix(12))…): "
        out += "\(counted(summary.partnerCount, "partner")), \(counted(summary.agreementCount, "agreement")); "
        guard summary.changed else { return out + "no change\n" }
        let diff = summary.diff
        var parts: [String] = []
        let partnerChanges = changes(added: diff.addedPartners.count, changed: diff.changedPartners.count, removed: diff.removedPartners.count)
        if !partnerChanges.isEmpty { parts.append("partners: " + partnerChanges) }
        let agreementChanges = changes(added: diff.addedAgreements.count, changed: diff.changedAgreements.count, removed: diff.removedAgreements.count)
        if !agreementChanges.isEmpty { parts.append("agreements: " + agreementChanges) }
        out += parts.joined(separator: "; ") + "\n"
        for (label, ids) in [
            ("added partner", diff.addedPartners), ("changed partner", diff.changedPartners),
            ("removed partner", diff.removedPartners), ("added agreement", diff.addedAgreements),
            ("changed agreement", diff.changedAgreements), ("removed agreement", diff.removedAgreements),
        ] {
            for id in ids.prefix(listedPerKind) { out += "  \(label) \(id)\n" }
            if ids.count > listedPerKind { out += "  … and \(ids.count - listedPerKind) more \(label)s\n" }
        }
        return out
    }

    private static func changes(added: Int, changed: Int, removed: Int) -> String {
        [(added, "added"), (changed, "changed"), (removed, "removed")].filter { $0.0 > 0 }
            .map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

/// `partners`: every partner with its agreements.
///
/// JSON: `{"partners": [{"id", "name", "currency", "payment_terms_days", "agreements": [{"id",
/// "effective_from", "effective_through" (the last period it governs, null while open-ended),
/// "basis", "minimum_monthly" (money, null when none), "tiers": [{"up_to" (null for the open
/// tier), "rate"}], "prices": {"default"?, model: {"input", "output"}}, "tolerance": {"amount",
/// "relative", "price_relative"}, "list_prices": {model: {"input", "output"}}}]}]}`. Rates,
/// prices, bounds and tolerances are decimal strings with 6 fractional digits.
public enum PartnersRenderer {
    public static func json(_ partners: [Partner]) -> String {
        JSONValue.object([("partners", .array(partners.map { partner in
            .object([
                ("id", .string(partner.id)),
                ("name", .string(partner.name)),
                ("currency", .string(partner.currency.code)),
                ("payment_terms_days", .integer(Int64(partner.paymentTermsDays))),
                ("agreements", .array(partner.agreements.map { agreement(partner, $0) })),
            ])
        }))]).serialized()
    }

    public static func text(_ partners: [Partner]) -> String {
        guard !partners.isEmpty else {
            return "No partners; load agreements with `revshare agreements load FILE`.\n"
        }
        var summary = TextTable([("partner", .left), ("name", .left), ("currency", .left),
                                 ("payment_terms_days", .right), ("agreements", .right), ("latest agreement", .left)])
        for partner in partners {
            summary.add([partner.id, partner.name, partner.currency.code, String(partner.paymentTermsDays),
                         String(partner.agreements.count), partner.agreements.last.map { "\($0.id) from \($0.effectiveFrom)" } ?? "-"])
        }
        var out = "Partners (\(partners.count))\n\n" + summary.rendered(indent: "  ")
        for partner in partners {
            out += "\n\(partner.id): \(partner.name) (\(partner.currency.code), payment terms \(partner.paymentTermsDays) days)\n"
            if partner.agreements.isEmpty { out += "  (no agreements)\n" }
            for agreement in partner.agreements {
                out += agreementText(partner, agreement)
            }
        }
        return out
    }

    // MARK: - Pieces

    private static func agreement(_ partner: Partner, _ agreement: Agreement) -> JSONValue {
        var prices: [(String, JSONValue)] = []
        if let fallback = agreement.defaultPrice { prices.append(("default", price(fallback))) }
        prices += sortedModels(agreement.prices).map { ($0.key, price($0.value)) }
        return .object([
            ("id", .string(agreement.id)),
            ("effective_from", .string(agreement.effectiveFrom.description)),
            ("effective_through", .optional(partner.governedRange(of: agreement).through?.description)),
            ("basis", .string(agreement.basis.rawValue)),
            ("minimum_monthly", .optional(agreement.minimumMonthlyMinor.map { Money.format(minor: $0, currency: partner.currency) })),
            ("tiers", .array(agreement.tiers.map { tier in
                .object([("up_to", .optional(tier.upToMicros.map(micros))), ("rate", .string(micros(tier.rateMicros)))])
            })),
            ("prices", .object(prices)),
            ("tolerance", .object([
                ("amount", .string(micros(agreement.tolerance.amountMicros))),
                ("relative", .string(micros(agreement.tolerance.relativeMicros))),
                ("price_relative", .string(micros(agreement.tolerance.priceRelativeMicros))),
            ])),
            ("list_prices", .object(sortedModels(agreement.listPrices).map { ($0.key, price($0.value)) })),
        ])
    }

    private static func agreementText(_ partner: Partner, _ agreement: Agreement) -> String {
        let through = partner.governedRange(of: agreement).through.map { " through \($0)" } ?? " onwards"
        var out = "  \(agreement.id): \(agreement.basis.rawValue), from \(agreement.effectiveFrom)\(through)"
        if let minimum = agreement.minimumMonthlyMinor {
            out += ", minimum \(Money.format(minor: minimum, currency: partner.currency)) \(partner.currency.code) a month"
        }
        out += "\n"
        if !agreement.tiers.isEmpty {
            var table = TextTable([("tier", .right), ("up_to", .right), ("rate", .right)])
            for (index, tier) in agreement.tiers.enumerated() {
                table.add([String(index + 1), tier.upToMicros.map(micros) ?? "(open)", micros(tier.rateMicros)])
            }
            out += table.rendered(indent: "    ")
        }
        if agreement.defaultPrice != nil || !agreement.prices.isEmpty {
            var table = TextTable([("model", .left), ("input per 1M", .right), ("output per 1M", .right)])
            if let fallback = agreement.defaultPrice {
                table.add(["(default)", micros(fallback.inputMicros), micros(fallback.outputMicros)])
            }
            for (model, price) in sortedModels(agreement.prices) {
                table.add([model, micros(price.inputMicros), micros(price.outputMicros)])
            }
            out += table.rendered(indent: "    ")
        }
        let tolerance = agreement.tolerance
        out += "    tolerance: amount \(micros(tolerance.amountMicros)), relative \(micros(tolerance.relativeMicros)), price_relative \(micros(tolerance.priceRelativeMicros))\n"
        if !agreement.listPrices.isEmpty {
            out += "    list prices:\n"
            var table = TextTable([("model", .left), ("input per 1M", .right), ("output per 1M", .right)])
            for (model, price) in sortedModels(agreement.listPrices) {
                table.add([model, micros(price.inputMicros), micros(price.outputMicros)])
            }
            out += table.rendered(indent: "    ")
        }
        return out
    }

    private static func price(_ price: TokenPrice) -> JSONValue {
        .object([("input", .string(micros(price.inputMicros))), ("output", .string(micros(price.outputMicros)))])
    }

    private static func sortedModels(_ prices: [ExactText: TokenPrice]) -> [(key: String, value: TokenPrice)] {
        prices.sorted { $0.key < $1.key }.map { ($0.key.string, $0.value) }
    }

    private static func micros(_ value: Int64) -> String { ScaledDecimal.format(value, scale: 6) }
}
