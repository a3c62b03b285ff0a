import RevShareCore
import RevShareStore

public enum PeriodsRenderer {
    public static func json(_ periods: [PeriodSummary]) -> String {
        JSONValue.object([("periods", .array(periods.map { summary in
            .object([
                ("period", .string(summary.period.description)),
                ("status", .string(summary.closed ? "closed" : "open")),
                ("partners", .array(summary.partners.map { usage in
                    .object([
                        ("partner", .string(usage.partnerID)),
                        ("currency", .string(usage.currency)),
                        ("rows", .integer(usage.rows)),
                        ("gross_revenue", .string(ScaledDecimal.format(usage.grossRevenueMicros, scale: 6))),
                    ])
                })),
            ])
        }))]).serialized()
    }

    public static func text(_ periods: [PeriodSummary]) -> String {
        guard !periods.isEmpty else { return "no periods yet: import usage with `revshare import usage FILE`\n" }
        var table = TextTable([("period", .left), ("status", .left), ("partner", .left), ("currency", .left),
                               ("rows", .right), ("gross revenue", .right)])
        for summary in periods {
            let status = summary.closed ? "closed" : "open"
            if summary.partners.isEmpty { table.add([summary.period.description, status, "(no usage)", "", "", ""]) }
            for (index, usage) in summary.partners.enumerated() {
                table.add([index == 0 ? summary.period.description : "", index == 0 ? status : "", usage.partnerID,
                           usage.currency, String(usage.rows), ScaledDecimal.format(usage.grossRevenueMicros, scale: 6)])
            }
        }
        return table.rendered()
    }
}
