import RevShareCore
import Yams

/// Reading one partner: its id, name, currency, payment terms and agreements.
extension AgreementsBuilder {
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
}
