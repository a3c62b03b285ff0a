/// The idempotency key of a ledger entry: what makes posting the same thing twice a no-op.
///
/// Keys are hashed into the chain, so each renders exactly as it always has:
/// `share:<partner>:<period>`, `minimum-true-up:<partner>:<period>`,
/// `adjustment:<partner>:<earlier period>:in:<closing period>` and `payment:<payment id>`.
/// This type is the only place that builds or reads them.
public enum LedgerKey: Hashable, Sendable, CustomStringConvertible {
    case share(partner: String, period: Period)
    case minimumTrueUp(partner: String, period: Period)
    /// A prior-period adjustment of `period`, billed when `billedIn` closed.
    case adjustment(partner: String, period: Period, billedIn: Period)
    case payment(id: String)

    public var description: String {
        switch self {
        case .share(let partner, let period): "share:\(partner):\(period)"
        case .minimumTrueUp(let partner, let period): "minimum-true-up:\(partner):\(period)"
        case .adjustment(let partner, let period, let billedIn): "adjustment:\(partner):\(period):in:\(billedIn)"
        case .payment(let id): "payment:\(id)"
        }
    }

    /// Reads a stored key back; nil for text no revshare build writes. Partner ids hold no `:`
    /// (`[a-z0-9-]`), so the fields split unambiguously; a payment id may hold anything.
    public init?(_ text: String) {
        if text.hasPrefix("payment:") {
            let id = String(text.dropFirst("payment:".count))
            guard !id.isEmpty else { return nil }
            self = .payment(id: id)
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 3:
            guard let period = Period(parts[2]), !parts[1].isEmpty else { return nil }
            switch parts[0] {
            case "share": self = .share(partner: parts[1], period: period)
            case "minimum-true-up": self = .minimumTrueUp(partner: parts[1], period: period)
            default: return nil
            }
        case 5:
            guard parts[0] == "adjustment", parts[3] == "in", !parts[1].isEmpty,
                  let period = Period(parts[2]), let billedIn = Period(parts[4]) else { return nil }
            self = .adjustment(partner: parts[1], period: period, billedIn: billedIn)
        default:
            return nil
        }
    }
}

/// A statement's id, `<partner>-<period>` (`aws-2025-01`): one per partner and period.
public struct StatementID: Hashable, Sendable, CustomStringConvertible {
    public let partner: String
    public let period: Period

    public init(partner: String, period: Period) {
        self.partner = partner
        self.period = period
    }

    public var description: String { "\(partner)-\(period)" }
}
