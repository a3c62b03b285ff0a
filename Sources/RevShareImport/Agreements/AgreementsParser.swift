import RevShareCore
import Yams

/// Reads an agreements file (SPEC §3.1) into partners with their agreements, or collects every
/// problem it holds as an `AgreementFileError`.
///
/// Numbers are read from each scalar's text exactly as written, quoted or not, never through a
/// binary floating-point value: rates, prices, tier bounds and tolerances as micro-units (at
/// most 6 fractional digits), `minimum_monthly` in the currency's minor units.
public enum AgreementsParser {
    /// Largest agreements file accepted, in bytes (10 MiB).
    public static let maxFileBytes = 10 << 20
    public static let maxPartners = 10_000
    public static let maxAgreementsPerPartner = 1_000
    /// Per agreement: tiers, fee prices (with `default`) and list prices, each.
    public static let maxEntriesPerList = 1_000
    /// Values visited in all, counting what YAML aliases expand to: bounds the work an
    /// alias-laden file can cause.
    public static let maxValues = 2_000_000
    /// Issues kept in memory; more are counted only.
    public static let maxIssuesKept = 10_000

    public static let partnerKeys = ["id", "name", "currency", "payment_terms_days", "agreements"]
    public static let agreementKeys = ["id", "effective_from", "basis", "tiers", "prices", "minimum_monthly",
                                       "tolerance", "list_prices"]
    public static let tierKeys = ["up_to", "rate"]
    public static let priceKeys = ["input", "output"]
    public static let toleranceKeys = ["amount", "relative", "price_relative"]

    /// Partners sorted by id, each with its agreements sorted by `effectiveFrom`.
    /// `fileName` is the path as given (`<stdin>` for standard input); it prefixes every message.
    public static func parse(_ bytes: [UInt8], fileName: String) throws(AgreementFileError) -> [Partner] {
        var builder = Builder(file: fileName)
        let partners = builder.document(bytes)
        if builder.issueCount > 0 {
            let ordered = builder.issues.enumerated().sorted { lhs, rhs in
                let left = (lhs.element.line ?? 0, lhs.element.column ?? 0, lhs.offset)
                let right = (rhs.element.line ?? 0, rhs.element.column ?? 0, rhs.offset)
                return left < right
            }.map(\.element)
            throw AgreementFileError(issues: ordered, totalCount: builder.issueCount)
        }
        return partners.sorted { $0.id < $1.id }
    }

    /// `[a-z0-9][a-z0-9-]*`, 1 to 64 characters.
    public static func isValidPartnerID(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        for (index, byte) in bytes.enumerated() {
            let alphanumeric = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            guard alphanumeric || (index > 0 && byte == UInt8(ascii: "-")) else { return false }
        }
        return true
    }
}

// MARK: - The builder

/// Where a value sits: the entities around it and the key path inside the innermost one.
private struct Location {
    var entities: [String] = []
    var path = ""

    func key(_ name: String) -> Location {
        var copy = self
        copy.path = path.isEmpty ? name : path + "." + name
        return copy
    }

    func index(_ index: Int) -> Location {
        var copy = self
        copy.path += "[\(index)]"
        return copy
    }

    func entity(_ label: String) -> Location {
        Location(entities: entities + [label], path: "")
    }

    var subject: String { (entities + (path.isEmpty ? [] : [path])).joined(separator: ", ") }
}

/// Too many values visited: parsing stops there.
private struct TooManyValues: Error {}

private struct Builder {
    let file: String
    var issues: [AgreementIssue] = []
    var issueCount = 0
    var valuesVisited = 0
    /// First line of each partner id and agreement id seen, for duplicates.
    var partnerLines: [String: Int] = [:]
    var agreementLines: [ExactText: (partner: String, line: Int)] = [:]

    init(file: String) { self.file = file }

    // MARK: Issues

    mutating func issue(_ location: @autoclosure () -> Location, at node: Node?, _ message: @autoclosure () -> String) {
        issue(location().subject, line: node?.mark?.line, column: node?.mark?.column, message())
    }

    /// Past `maxIssuesKept`, issues are only counted (their text is never built), except
    /// problems of the whole file, which are always kept.
    mutating func issue(_ subject: @autoclosure () -> String, line: Int?, column: Int?, _ message: @autoclosure () -> String) {
        issueCount += 1
        if issues.count < AgreementsParser.maxIssuesKept || line == nil {
            issues.append(AgreementIssue(file: file, line: line, column: column, subject: subject(), message: message()))
        }
    }

    mutating func visit(_ count: Int) throws(TooManyValues) {
        valuesVisited += count
        if valuesVisited > AgreementsParser.maxValues { throw TooManyValues() }
    }

    // MARK: Document

    mutating func document(_ bytes: [UInt8]) -> [Partner] {
        guard bytes.count <= AgreementsParser.maxFileBytes else {
            issue("", line: nil, column: nil,
                  "the file is \(bytes.count) bytes, larger than the \(AgreementsParser.maxFileBytes) bytes (10 MiB) an agreements file may have")
            return []
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            issue("", line: Self.lineOfInvalidUTF8(body), column: nil, "the file is not valid UTF-8 text")
            return []
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            yamlError(error, text: text)
            return []
        }
        guard let root else {
            issue("partners", line: nil, column: nil, "required key is missing: the file holds no YAML document")
            return []
        }
        reportExplicitTags(root)
        guard issues.isEmpty else { return [] }
        do {
            return try partners(root)
        } catch {
            issue("", line: nil, column: nil,
                  "the file holds more than \(AgreementsParser.maxValues) values (counting what YAML aliases expand to); split or simplify it")
            return []
        }
    }

    mutating func partners(_ root: Node) throws(TooManyValues) -> [Partner] {
        let top = Location()
        guard let fields = try mapping(root, top, allowed: ["partners"], what: "a mapping with the key partners") else { return [] }
        guard let list = fields["partners"] else {
            issue(top.key("partners"), at: root, "required key is missing")
            return []
        }
        guard let items = try sequence(list, top.key("partners"), what: "a list of partners (write `partners: []` for none)") else {
            return []
        }
        guard items.count <= AgreementsParser.maxPartners else {
            issue(top.key("partners"), at: list, "\(items.count) partners; at most \(AgreementsParser.maxPartners) are allowed in one file")
            return []
        }
        var partners: [Partner] = []
        for (index, item) in items.enumerated() {
            if let partner = try partner(item, index: index) { partners.append(partner) }
        }
        return partners
    }

    // MARK: Partner

    mutating func partner(_ node: Node, index: Int) throws(TooManyValues) -> Partner? {
        let listed = Location().key("partners").index(index)
        guard let (fields, unknown) = try self.fields(node, listed, allowed: AgreementsParser.partnerKeys, what: "a partner (a mapping with id, name, currency, …)") else {
            return nil
        }
        var valid = true

        var id: String?
        if let text = requiredText(fields, "id", in: node, listed) {
            if !AgreementsParser.isValidPartnerID(text) {
                issue(listed.key("id"), at: fields["id"], "\(quoted(text)) is not a valid partner id: use lowercase letters a-z, digits and '-', starting with a letter or digit, at most 64 characters")
            } else {
                id = text
            }
        }
        let here = id.map { Location().entity("partner \($0)") } ?? listed
        reportUnknown(unknown, here, allowed: AgreementsParser.partnerKeys)
        if let id, let line = fields["id"]?.mark?.line {
            if let first = partnerLines[id] {
                issue(here.key("id"), at: fields["id"], "duplicate partner id \(quoted(id)) (first on line \(first)); partner ids are unique")
                valid = false
            } else {
                partnerLines[id] = line
            }
        }

        var name: String?
        if let text = requiredText(fields, "name", in: node, here) {
            name = checkedText(text, at: fields["name"], here.key("name"), maximum: 200)
        }

        var currency: Currency?
        if let code = requiredText(fields, "currency", in: node, here) {
            currency = Currency(code: code)
            if currency == nil {
                issue(here.key("currency"), at: fields["currency"], "\(quoted(code)) is not an ISO 4217 currency code with minor units (like USD, EUR, JPY)")
            }
        }

        var terms: Int?
        if let text = requiredText(fields, "payment_terms_days", in: node, here) {
            if case .success(let days) = ScaledDecimal.parseCount(text), days <= 3650 {
                terms = Int(days)
            } else {
                issue(here.key("payment_terms_days"), at: fields["payment_terms_days"], "\(quoted(text)) is not a whole number of days from 0 to 3650")
            }
        }

        var agreements: [Agreement] = []
        if let list = fields["agreements"], !isNull(list) {
            if let items = try sequence(list, here.key("agreements"), what: "a list of agreements") {
                if items.count > AgreementsParser.maxAgreementsPerPartner {
                    issue(here.key("agreements"), at: list, "\(items.count) agreements; at most \(AgreementsParser.maxAgreementsPerPartner) are allowed per partner")
                    valid = false
                } else {
                    var starts: [Period: (label: String, line: Int)] = [:]
                    for (position, item) in items.enumerated() {
                        if let parsed = try agreement(item, index: position, partner: here, partnerID: id ?? "",
                                                      currency: currency, starts: &starts) {
                            agreements.append(parsed)
                        } else {
                            valid = false
                        }
                    }
                }
            } else {
                valid = false
            }
        }

        guard valid, let id, let name, let currency, let terms else { return nil }
        return Partner(id: id, name: name, currency: currency, paymentTermsDays: terms, agreements: agreements)
    }

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
        func value(_ key: String, _ fallback: Int64, _ builder: inout Builder) -> Int64 {
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

    // MARK: Values

    /// The mapping's values by key; unknown and non-text keys are reported (and left out).
    mutating func mapping(_ node: Node, _ location: Location, allowed: [String], what: String)
        throws(TooManyValues) -> [String: Node]?
    {
        guard let parsed = try fields(node, location, allowed: allowed, what: what) else { return nil }
        reportUnknown(parsed.unknown, location, allowed: allowed)
        return parsed.fields
    }

    /// The mapping's values by key, and its unknown keys for the caller to report once it
    /// knows the entity's name; non-text keys are reported.
    mutating func fields(_ node: Node, _ location: Location, allowed: [String], what: String)
        throws(TooManyValues) -> (fields: [String: Node], unknown: [Node])?
    {
        guard let pairs = try pairs(node, location, what: what) else { return nil }
        var fields: [String: Node] = [:]
        var unknown: [Node] = []
        for (key, value) in pairs {
            guard let name = key.scalar?.string else { continue }
            if allowed.contains(name) {
                fields[name] = value
            } else {
                unknown.append(key)
            }
        }
        return (fields, unknown)
    }

    mutating func reportUnknown(_ keys: [Node], _ location: Location, allowed: [String]) {
        for key in keys {
            let name = key.scalar?.string ?? ""
            issue(location.key(name), at: key, "unknown key\(Self.suggestion(for: name, among: allowed)); expected one of \(allowed.joined(separator: ", "))")
        }
    }

    /// The pairs of a mapping whose keys are all text; anything else is reported.
    mutating func pairs(_ node: Node, _ location: Location, what: String) throws(TooManyValues) -> [(Node, Node)]? {
        guard case .mapping(let mapping) = node else {
            issue(location, at: node, "expected \(what), found \(describe(node))")
            return nil
        }
        try visit(mapping.count)
        var pairs: [(Node, Node)] = []
        // Byte for byte: `café` and `cafe` + U+0301 are two models, as in the store.
        var firstLines: [ExactText: Int] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                issue(location, at: key, "a key is \(describe(key)); keys are plain text")
                continue
            }
            // YAML tells `1` from `"1"`; as names they are the same key.
            if let first = firstLines[ExactText(name)] {
                issue(location.key(name), at: key, "duplicate key (first on line \(first)); each key may appear once")
                continue
            }
            firstLines[ExactText(name)] = key.mark?.line ?? 0
            pairs.append((key, value))
        }
        return pairs
    }

    mutating func sequence(_ node: Node, _ location: Location, what: String) throws(TooManyValues) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            issue(location, at: node, "expected \(what), found \(describe(node))")
            return nil
        }
        try visit(sequence.count)
        return Array(sequence)
    }

    /// The text of a required scalar; a missing, null or non-text value is reported.
    mutating func requiredText(_ fields: [String: Node], _ key: String, in parent: Node, _ location: Location) -> String? {
        guard let node = fields[key] else {
            issue(location.key(key), at: parent, "required key is missing")
            return nil
        }
        guard !isNull(node) else {
            issue(location.key(key), at: node, "has no value")
            return nil
        }
        guard let scalar = node.scalar else {
            issue(location.key(key), at: node, "expected text, found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    /// `text` when it has 1…`maximum` characters and no control characters.
    mutating func checkedText(_ text: String, at node: Node?, _ location: Location, maximum: Int) -> String? {
        if text.isEmpty {
            issue(location, at: node, "is empty")
        } else if text.unicodeScalars.count > maximum {
            issue(location, at: node, "is longer than \(maximum) characters")
        } else if text.unicodeScalars.contains(where: Self.isControl) {
            issue(location, at: node, "contains a control character (such as a line break or tab)")
        } else {
            return text
        }
        return nil
    }

    /// A non-negative decimal with at most `scale` fractional digits, as an integer count of
    /// 10^-scale units, read from the scalar's text exactly.
    mutating func decimal(_ node: Node, _ location: Location, scale: Int, digitsNote: String = "") -> Int64? {
        guard let scalar = node.scalar else {
            issue(location, at: node, "expected a decimal number, found \(describe(node))")
            return nil
        }
        let text = scalar.string
        let shown = shortened(text)
        switch ScaledDecimal.parse(text, scale: scale) {
        case .success(let value):
            return value
        case .failure(.empty):
            issue(location, at: node, "is empty; expected a decimal number")
        case .failure(.notADecimal):
            issue(location, at: node, "\(quoted(text)) is not a plain decimal number (like 0.25 or 1000, without exponent, sign or separators)")
        case .failure(.negativeNotAllowed):
            issue(location, at: node, "\(shown) is negative; it must be 0 or more")
        case .failure(.tooManyFractionDigits(let maximum)):
            issue(location, at: node, "\(shown) has more than \(maximum) fractional digits\(digitsNote)")
        case .failure(.outOfRange):
            issue(location, at: node, "\(shown) is too large")
        }
        return nil
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// ` (did you mean minimum_monthly?)` for a key within two edits of an allowed one.
    static func suggestion(for key: String, among allowed: [String]) -> String {
        let candidates = allowed.map { ($0, editDistance(key, $0)) }.filter { $0.1 <= 2 }
        guard let best = candidates.min(by: { $0.1 < $1.1 }) else { return "" }
        return " (did you mean \(best.0)?)"
    }

    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs.unicodeScalars), b = Array(rhs.unicodeScalars)
        guard a.count <= 64, b.count <= 64 else { return Int.max }
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previousDiagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previousDiagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                previousDiagonal = above
            }
        }
        return row[b.count]
    }

    // MARK: File-level problems

    /// YAML tags (`!foo 1`, `!!python/object …`) would give a value a meaning of the writer's
    /// choosing; agreements are plain data, so every tag outside YAML's core schema is refused.
    /// The walk stops at the values limit, which the reading that follows reports.
    mutating func reportExplicitTags(_ root: Node) {
        var pending = [root]
        var visited = 0
        while let node = pending.popLast(), visited < AgreementsParser.maxValues {
            visited += 1
            let tag = node.tag.description
            if !tag.hasPrefix("tag:yaml.org,2002:") {
                issue("", line: node.mark?.line, column: node.mark?.column,
                      "the YAML tag \(quoted(tag)) is not allowed; agreements are plain values, write them without tags")
            }
            switch node {
            case .mapping(let mapping): for (key, value) in mapping { pending += [value, key] }
            case .sequence(let sequence): pending += sequence.reversed()
            default: break
            }
        }
    }

    mutating func yamlError(_ error: Error, text: String) {
        guard let error = error as? YamlError else {
            issue("", line: nil, column: nil, "could not read the YAML: \(error)")
            return
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                message += " (\(context.text) started on line \(context.mark.line), column \(context.mark.column))"
            }
            issue("", line: mark.line, column: mark.column, message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            // YAML names the first of the keys; the error belongs on the line that repeats it.
            let keys = duplicates.map { quoted($0) }.joined(separator: ", ")
            let first = (line: context.mark.line, column: context.mark.column)
            let repeated = duplicates.first.flatMap { Self.repetition(of: $0, after: first, in: text) }
            let located = repeated.map { _ in " (first on line \(first.line))" } ?? ""
            issue("", line: repeated?.line ?? first.line, column: repeated?.column ?? first.column,
                  "duplicate key \(keys) in one mapping\(located); each key may appear once")
        case .reader(let problem, let offset, _, _):
            let position = offset.map { Self.lineAndColumn(ofCharacter: $0, in: text) }
            issue("", line: position?.line, column: position?.column, "YAML error: \(problem)")
        default:
            issue("", line: nil, column: nil, "could not read the YAML: \(error)")
        }
    }

    /// Where `key` is written again as a key after its first place: on a later line at the same
    /// column (a block mapping) or later on the same line (a flow mapping).
    static func repetition(of key: String, after first: (line: Int, column: Int), in text: String) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for lineNumber in first.line...lines.count {
            let scalars = Array(lines[lineNumber - 1].unicodeScalars)
            let keyScalars = Array(key.unicodeScalars)
            let start = lineNumber == first.line ? first.column + keyScalars.count : 1
            guard start <= scalars.count else { continue }
            for column in start...scalars.count where column - 1 + keyScalars.count <= scalars.count {
                if lineNumber != first.line && column != first.column { continue }
                let candidate = scalars[(column - 1)..<(column - 1 + keyScalars.count)]
                let rest = scalars[(column - 1 + keyScalars.count)...].drop { $0 == " " }
                if Array(candidate) == keyScalars && rest.first == ":" { return (lineNumber, column) }
            }
        }
        return nil
    }

    static func lineAndColumn(ofCharacter offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }

    static func lineOfInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var line = 1
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput, .error: return line
            }
        }
    }
}

// MARK: - Helpers without state

private func isNull(_ node: Node) -> Bool {
    guard let scalar = node.scalar, scalar.style == .plain || scalar.style == .any else { return false }
    return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
}

private func textOf(_ node: Node) -> String { shortened(node.scalar?.string ?? "") }

/// At most 80 characters of `text`, then `…`.
private func shortened(_ text: String) -> String {
    text.unicodeScalars.count > 80 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(80))) + "…" : text
}

private func describe(_ node: Node) -> String {
    switch node {
    case .mapping: "a mapping"
    case .sequence: "a list"
    case .alias: "an alias"
    case .scalar(let scalar): isNull(node) ? "nothing" : quoted(scalar.string)
    }
}

/// `text` in double quotes, escaped, and cut after 80 characters so a huge value cannot flood
/// the messages.
private func quoted(_ text: String) -> String {
    var out = "\""
    let limit = 80
    for (index, scalar) in text.unicodeScalars.enumerated() {
        if index == limit {
            out += "…"
            break
        }
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where Builder.isControl(scalar): out += "\\u{\(String(scalar.value, radix: 16))}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
