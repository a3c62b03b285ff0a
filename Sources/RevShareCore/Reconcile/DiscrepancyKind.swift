/// The kinds of discrepancy reconciliation finds, as stored and printed.
public enum DiscrepancyKind: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case missingReport = "MISSING_REPORT"
    case missingDays = "MISSING_DAYS"
    case shareMismatch = "SHARE_MISMATCH"
    case usageMismatch = "USAGE_MISMATCH"
    case priceAnomaly = "PRICE_ANOMALY"
    case paymentShortfall = "PAYMENT_SHORTFALL"
    case latePayment = "LATE_PAYMENT"
    case overpayment = "OVERPAYMENT"
    case unknownReference = "UNKNOWN_REFERENCE"
    case ledgerIntegrity = "LEDGER_INTEGRITY"

    /// Money or the books themselves at stake: a missing report, money short, a broken ledger.
    public var severity: DiscrepancySeverity {
        switch self {
        case .missingReport, .paymentShortfall, .ledgerIntegrity: .critical
        default: .warning
        }
    }

    /// Whether expected, actual and difference count tokens or days (printed as integers), rather
    /// than money.
    public var hasCountFigures: Bool {
        switch self {
        case .missingDays, .usageMismatch, .latePayment: true
        default: false
        }
    }

    /// As stored and printed: `MISSING_REPORT`.
    public var description: String { rawValue }

    /// By name, as listed.
    public static func < (lhs: DiscrepancyKind, rhs: DiscrepancyKind) -> Bool { lhs.rawValue < rhs.rawValue }
}

public enum DiscrepancySeverity: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case critical, warning

    public var description: String { rawValue }
    /// critical sorts first and counts as "worse".
    public static func < (lhs: DiscrepancySeverity, rhs: DiscrepancySeverity) -> Bool { lhs == .critical && rhs == .warning }
}

/// The one listing order of discrepancies: critical first, then kind name, partner, model,
/// payment id (nulls first, text byte for byte), then id.
public enum DiscrepancyOrder {
    public struct Facts {
        let severity: DiscrepancySeverity, kind: DiscrepancyKind
        let partnerID: String?, model: String?, paymentID: String?, id: String

        public init(severity: DiscrepancySeverity, kind: DiscrepancyKind, partnerID: String?, model: String?,
                    paymentID: String?, id: String) {
            (self.severity, self.kind, self.partnerID, self.model, self.paymentID, self.id)
                = (severity, kind, partnerID, model, paymentID, id)
        }
    }

    public static func precedes(_ lhs: Facts, _ rhs: Facts) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity < rhs.severity }
        if lhs.kind != rhs.kind { return lhs.kind < rhs.kind }
        for (left, right) in [(lhs.partnerID, rhs.partnerID), (lhs.model, rhs.model), (lhs.paymentID, rhs.paymentID)]
        where left.map(ExactText.init(_:)) != right.map(ExactText.init(_:)) {
            guard let left else { return true }
            guard let right else { return false }
            return left.utf8Precedes(right)
        }
        return lhs.id < rhs.id
    }
}
