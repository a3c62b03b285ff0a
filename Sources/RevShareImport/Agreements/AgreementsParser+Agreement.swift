import RevShareCore
import Yams

/// Reading one agreement: basis, tiers, prices, minimum and tolerances.
extension AgreementsBuilder {
    // MARK: Agreement

    /// `starts` holds the partner's agreements seen so far by `effective_from`, for duplicates.
    mutating func agreement(_ node: Node, index: Int, partner: Location, partnerID: String, currency: Currency?,
                            starts: inout [Period: (label: String, line: Int)]) throws(TooManyValues) -> Agreement?
    {
        let listed = partner.key("agreements").index(index)
        // A partner known only by its place in the list keeps that place as its name.
        let partnerLocation = partner.path.isEmpty ? partner : Location(entities: partner.entities + [partner.path])
        guard let (fields, unknown) = try self.fields(node, listed, allowed: AgreementsParser.agreementKeys, what: "an agreement (a mapping with id, effective_from, basis, …)") else {
            return nil
        }
        var valid = true

        var id: String?
        if let text = requiredText(fields, "id", in: node, listed) {
            if text.unicodeScalars.isEmpty || text.unicodeScalars.count > 64 || text.unicodeScalars.contains(where: Self.isControl) {
                issue(listed.key("id"), at: fields["id"], "\(quoted(text)) is not a valid agreement id: 1 to 64 characters, no control characters")
            } else {
                id = text
            }
        }
        let here = id.map { partnerLocation.entity("agreement \($0)") } ?? listed
        reportUnknown(unknown, here, allowed: AgreementsParser.agreementKeys)
        if let id, let line = fields["id"]?.mark?.line {
            if let first = agreementLines[ExactText(id)] {
                issue(here.key("id"), at: fields["id"], "duplicate agreement id \(quoted(id)) (first on line \(first.line)\(first.partner.isEmpty ? "" : ", partner \(first.partner)")); agreement ids are unique across all partners")
                valid = false
            } else {
                agreementLines[ExactText(id)] = (partnerID, line)
            }
        }

        var effectiveFrom: Period?
        if let text = requiredText(fields, "effective_from", in: node, here) {
            effectiveFrom = Period(text)
            if let period = effectiveFrom {
                let label = id.map { "agreement \($0)" } ?? "agreements[\(index)]"
                let line = fields["effective_from"]?.mark?.line ?? 0
                if let first = starts[period] {
                    issue(here.key("effective_from"), at: fields["effective_from"],
                          "\(period) is also the effective_from of \(first.label) (line \(first.line)); each agreement of a partner starts in its own period")
                    valid = false
                } else {
                    starts[period] = (label, line)
                }
            } else {
                issue(here.key("effective_from"), at: fields["effective_from"], "\(quoted(text)) is not a period YYYY-MM (like 2024-07)")
            }
        }

        var basis: AgreementBasis?
        if let text = requiredText(fields, "basis", in: node, here) {
            basis = AgreementBasis(rawValue: text)
            if basis == nil {
                issue(here.key("basis"), at: fields["basis"], "\(quoted(text)) is not a basis; use revenue_percent or per_million_tokens")
            }
        }

        // Tiers: required for revenue_percent, refused otherwise.
        var tiers: [Tier] = []
        let tiersNode = fields["tiers"].flatMap { isNull($0) ? nil : $0 }
        if let tiersNode {
            if basis == .perMillionTokens {
                issue(here.key("tiers"), at: tiersNode, "only for basis revenue_percent; this agreement's basis is per_million_tokens")
                valid = false
            } else if let parsed = try self.tiers(tiersNode, here.key("tiers")) {
                tiers = parsed
            } else {
                valid = false
            }
        } else if basis == .revenuePercent {
            issue(here.key("tiers"), at: node, "required for basis revenue_percent")
            valid = false
        }

        // Fee prices: required (at least one) for per_million_tokens, refused otherwise.
        var prices: [ExactText: TokenPrice] = [:]
        var defaultPrice: TokenPrice?
        let pricesNode = fields["prices"].flatMap { isNull($0) ? nil : $0 }
        if let pricesNode {
            if basis == .revenuePercent {
                issue(here.key("prices"), at: pricesNode, "only for basis per_million_tokens; this agreement's basis is revenue_percent")
                valid = false
            } else if let parsed = try priceTable(pricesNode, here.key("prices"), allowsDefault: true) {
                prices = parsed.prices
                defaultPrice = parsed.fallback
                if prices.isEmpty && defaultPrice == nil {
                    issue(here.key("prices"), at: pricesNode, "needs at least one model or default")
                    valid = false
                }
            } else {
                valid = false
            }
        } else if basis == .perMillionTokens {
            issue(here.key("prices"), at: node, "required for basis per_million_tokens: give at least one model or default")
            valid = false
        }

        var minimum: Int64?
        if let value = fields["minimum_monthly"], !isNull(value) {
            let location = here.key("minimum_monthly")
            if let currency {
                minimum = decimal(value, location, scale: currency.minorDigits,
                                  digitsNote: " (the minor digits of \(currency.code))")
                if minimum == nil { valid = false }
            } else {
                // The currency is already reported; still check the number's form.
                if decimal(value, location, scale: 6) == nil { valid = false }
            }
        }

        var tolerance = Tolerance.standard
        if let value = fields["tolerance"], !isNull(value) {
            if let parsed = try self.tolerance(value, here.key("tolerance")) {
                tolerance = parsed
            } else {
                valid = false
            }
        }

        var listPrices: [ExactText: TokenPrice] = [:]
        if let value = fields["list_prices"], !isNull(value) {
            if let parsed = try priceTable(value, here.key("list_prices"), allowsDefault: false) {
                listPrices = parsed.prices
            } else {
                valid = false
            }
        }

        guard valid, let id, let effectiveFrom, let basis else { return nil }
        return Agreement(id: id, partnerID: partnerID, effectiveFrom: effectiveFrom, basis: basis, tiers: tiers,
                         prices: prices, defaultPrice: defaultPrice, minimumMonthlyMinor: minimum,
                         tolerance: tolerance, listPrices: listPrices)
    }

    /// Strictly increasing bounds, rates in [0, 1], exactly one open last tier.
    mutating func tiers(_ node: Node, _ location: Location) throws(TooManyValues) -> [Tier]? {
        guard let items = try sequence(node, location, what: "a list of tiers") else { return nil }
        guard !items.isEmpty else {
            issue(location, at: node, "needs at least one tier (the last one has no up_to)")
            return nil
        }
        guard items.count <= AgreementsParser.maxEntriesPerList else {
            issue(location, at: node, "\(items.count) tiers; at most \(AgreementsParser.maxEntriesPerList) are allowed")
            return nil
        }
        var valid = true
        var tiers: [Tier] = []
        var previous: (micros: Int64, text: String)?
        for (index, item) in items.enumerated() {
            let here = location.index(index)
            let isLast = index == items.count - 1
            guard let fields = try mapping(item, here, allowed: AgreementsParser.tierKeys, what: "a tier (a mapping with up_to and rate)") else {
                valid = false
                continue
            }
            var rate: Int64?
            if let value = fields["rate"], !isNull(value) {
                rate = decimal(value, here.key("rate"), scale: 6)
                if let parsed = rate, parsed > 1_000_000 {
                    issue(here.key("rate"), at: value, "\(textOf(value)) is above 1; a rate is a fraction from 0 to 1")
                    rate = nil
                }
            } else if let value = fields["rate"] {
                issue(here.key("rate"), at: value, "has no value")
            } else {
                issue(here.key("rate"), at: item, "required key is missing")
            }
            var upTo: Int64?
            let upToNode = fields["up_to"].flatMap { isNull($0) ? nil : $0 }
            if let upToNode {
                if isLast {
                    issue(here.key("up_to"), at: upToNode, "the last tier is the open one: it must have no up_to")
                    valid = false
                } else if let parsed = decimal(upToNode, here.key("up_to"), scale: 6) {
                    if parsed == 0 {
                        issue(here.key("up_to"), at: upToNode, "\(textOf(upToNode)) is not above 0; tier bounds are positive and strictly increase")
                    } else if let previous, parsed <= previous.micros {
                        issue(here.key("up_to"), at: upToNode, "\(textOf(upToNode)) is not above the previous tier's up_to \(previous.text); tier bounds strictly increase")
                    } else {
                        upTo = parsed
                    }
                    previous = (parsed, textOf(upToNode))
                }
                if upTo == nil { valid = false }
            } else if !isLast {
                issue(here.key("up_to"), at: item, "required key is missing: only the last tier is open (has no up_to)")
                valid = false
            }
            guard let rate else {
                valid = false
                continue
            }
            tiers.append(Tier(upToMicros: upTo, rateMicros: rate))
        }
        return valid ? tiers : nil
    }

    /// `model: {input: …, output: …}` entries; with `allowsDefault`, the key `default` is the
    /// fallback price.
    mutating func priceTable(_ node: Node, _ location: Location, allowsDefault: Bool)
        throws(TooManyValues) -> (prices: [ExactText: TokenPrice], fallback: TokenPrice?)?
    {
        guard let pairs = try pairs(node, location, what: "a mapping of model names to {input, output} prices") else { return nil }
        guard pairs.count <= AgreementsParser.maxEntriesPerList else {
            issue(location, at: node, "\(pairs.count) prices; at most \(AgreementsParser.maxEntriesPerList) are allowed")
            return nil
        }
        var valid = true
        var prices: [ExactText: TokenPrice] = [:]
        var fallback: TokenPrice?
        for (key, value) in pairs {
            let model = key.scalar?.string ?? ""
            let here = location.key(model)
            if model == "default" && !allowsDefault {
                issue(here, at: key, "list prices have no default; name each model")
                valid = false
                continue
            }
            if model.scalarCount > 200 {
                issue(location, at: key, "a model name is longer than 200 characters")
                valid = false
                continue
            }
            if model.isEmpty {
                issue(location, at: key, "a model name is empty")
                valid = false
                continue
            }
            guard let price = try price(value, here) else {
                valid = false
                continue
            }
            if model == "default" { fallback = price } else { prices[ExactText(model)] = price }
        }
        return valid ? (prices, fallback) : nil
    }

    mutating func price(_ node: Node, _ location: Location) throws(TooManyValues) -> TokenPrice? {
        guard let fields = try mapping(node, location, allowed: AgreementsParser.priceKeys, what: "a price (a mapping with input and output)") else {
            return nil
        }
        var values: [Int64?] = []
        for key in AgreementsParser.priceKeys {
            if let value = fields[key], !isNull(value) {
                values.append(decimal(value, location.key(key), scale: 6))
            } else {
                if let value = fields[key] {
                    issue(location.key(key), at: value, "has no value")
                } else {
                    issue(location.key(key), at: node, "required key is missing")
                }
                values.append(nil)
            }
        }
        guard let input = values[0], let output = values[1] else { return nil }
        return TokenPrice(inputMicros: input, outputMicros: output)
    }

    mutating func tolerance(_ node: Node, _ location: Location) throws(TooManyValues) -> Tolerance? {
        guard let fields = try mapping(node, location, allowed: AgreementsParser.toleranceKeys, what: "a mapping with amount, relative and price_relative") else {
            return nil
        }
        let standard = Tolerance.standard
        var valid = true
        func value(_ key: String, _ fallback: Int64, _ builder: inout AgreementsBuilder) -> Int64 {
            guard let node = fields[key], !isNull(node) else { return fallback }
            guard let parsed = builder.decimal(node, location.key(key), scale: 6) else {
                valid = false
                return fallback
            }
            return parsed
        }
        let amount = value("amount", standard.amountMicros, &self)
        let relative = value("relative", standard.relativeMicros, &self)
        let priceRelative = value("price_relative", standard.priceRelativeMicros, &self)
        return valid ? Tolerance(amountMicros: amount, relativeMicros: relative, priceRelativeMicros: priceRelative) : nil
    }
}
