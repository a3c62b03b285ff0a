import RevShareCore

/// One place where reports, meter, agreements, payments or the ledger disagree (SPEC §6).
public struct Discrepancy: Sendable, Equatable {
    public typealias Kind = DiscrepancyKind
    public typealias Severity = DiscrepancySeverity

    public enum Status: String, Sendable { case open, resolved }

    /// expected/actual/difference: money in a currency, or a count (tokens, days).
    public enum Figure: Sendable, Equatable {
        case money(Int64, Currency)
        case count(Int64)

        public var text: String {
            switch self {
            case .money(let minor, let currency): Money.format(minor: minor, currency: currency)
            case .count(let value): String(value)
            }
        }
    }

    public let kind: Kind
    public let partnerID: String?
    public let period: Period
    public let model: String?
    public let paymentID: String?
    public let expected: Figure?
    public let actual: Figure?
    public let message: String
    /// Extra facts that tell two discrepancies of one kind apart when partner, model and payment
    /// cannot (LEDGER_INTEGRITY: the problem found).
    let distinguishing: String

    init(_ kind: Kind, partner: String?, period: Period, model: String? = nil, paymentID: String? = nil,
         expected: Figure? = nil, actual: Figure? = nil, message: String, distinguishing: String = "") {
        self.kind = kind
        self.partnerID = partner
        self.period = period
        self.model = model
        self.paymentID = paymentID
        self.expected = expected
        self.actual = actual
        self.message = message
        self.distinguishing = distinguishing
    }

    public var severity: Severity { kind.severity }

    /// actual − expected, in the figures' unit. Both are ≥ 0 where both exist, so it cannot overflow.
    public var difference: Figure? {
        switch (expected, actual) {
        case (.money(let e, let currency), .money(let a, _)): .money(a - e, currency)
        case (.count(let e), .count(let a)): .count(a - e)
        default: nil
        }
    }

    /// Stable: the same facts give the same id on every run, whatever the figures.
    public var id: String {
        let facts = [kind.rawValue, partnerID ?? "", period.description, model ?? "", paymentID ?? "", distinguishing]
            .map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return "D-" + EntryHash.sha256Hex(Array(facts.utf8)).prefix(16)
    }

    var orderFacts: DiscrepancyOrder.Facts {
        DiscrepancyOrder.Facts(severity: severity, kind: kind, partnerID: partnerID, model: model, paymentID: paymentID, id: id)
    }

    /// The listing order (critical first, then kind name, partner, model, payment id).
    public static func precedes(_ lhs: Discrepancy, _ rhs: Discrepancy) -> Bool {
        DiscrepancyOrder.precedes(lhs.orderFacts, rhs.orderFacts)
    }
}
