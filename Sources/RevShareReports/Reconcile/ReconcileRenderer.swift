import RevShareCore
import RevShareReconcile

public enum ReconcileRenderer {
    /// SPEC §7.1: amount kinds as strings with the currency's minor digits, token and day kinds
    /// as integers, null where a kind has no figures.
    public static func json(_ report: ReconcileReport) -> String {
        JSONValue.object([
            ("period", .string(report.period.description)),
            ("as_of", .string(report.asOf.description)),
            ("discrepancies", .array(report.listed.map { listed in
                let d = listed.discrepancy
                return .object([
                    ("id", .string(d.id)),
                    ("kind", .string(d.kind.rawValue)),
                    ("severity", .string(d.severity.rawValue)),
                    ("partner", .optional(d.partnerID)),
                    ("period", .string(d.period.description)),
                    ("model", .optional(d.model)),
                    ("payment_id", .optional(d.paymentID)),
                    ("expected", figure(d.expected)),
                    ("actual", figure(d.actual)),
                    ("difference", figure(d.difference)),
                    ("status", .string(listed.status.rawValue)),
                    ("message", .string(d.message)),
                ])
            })),
            ("summary", .object([
                ("critical", .integer(Int64(report.openCount(.critical)))),
                ("warning", .integer(Int64(report.openCount(.warning)))),
            ])),
        ]).serialized()
    }

    static func figure(_ figure: Discrepancy.Figure?) -> JSONValue {
        switch figure {
        case .money(let minor, let currency): .string(Money.format(minor: minor, currency: currency))
        case .count(let value): .integer(value)
        case nil: .null
        }
    }

    /// Grouped by severity, one line each, then a summary.
    public static func text(_ report: ReconcileReport) -> String {
        var out = "Reconciliation of \(report.period) as of \(report.asOf)\n"
        for severity in [Discrepancy.Severity.critical, .warning] {
            let group = report.listed.filter { $0.discrepancy.severity == severity }
            guard !group.isEmpty else { continue }
            out += "\n\(severity.rawValue.uppercased()) (\(group.count))\n"
            for listed in group {
                let d = listed.discrepancy
                var figures = ""
                if let expected = d.expected, let actual = d.actual, let difference = d.difference {
                    figures = "  [expected \(expected.text), actual \(actual.text), difference \(difference.text)]"
                }
                let status = listed.status == .resolved ? " (resolved)" : ""
                out += "  \(d.id)  \(d.kind.rawValue)\(status): \(d.message)\(figures)\n"
            }
        }
        if report.listed.isEmpty { out += "\nno discrepancies found\n" }
        out += "\nsummary: \(report.openCount(.critical)) critical, \(report.openCount(.warning)) warning open"
        let resolved = report.listed.filter { $0.status == .resolved }.count
        out += resolved > 0 ? "; \(resolved) resolved\n" : "\n"
        return out
    }
}
