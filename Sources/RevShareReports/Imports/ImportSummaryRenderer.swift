import RevShareCore
import RevShareImport
import RevShareStore

/// "1 row", "2 rows".
func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

public enum ImportSummaryRenderer {
    public static func text(_ summary: ImportSummary) -> String {
        let shortHash = String(summary.sha256.prefix(12))
        switch summary.outcome {
        case .alreadyImported(let importedAt):
            return "\(TerminalText.escaped(summary.file)): already imported at \(importedAt) (sha256 \(shortHash)…); nothing to do\n"
        case .noRows:
            return "\(TerminalText.escaped(summary.file)): a header and no rows; nothing imported, nothing recorded\n"
        case .imported:
            break
        }
        var out = "imported \(summary.kind.rawValue) from \(TerminalText.escaped(summary.file)) (sha256 \(shortHash)…): \(counted(summary.rows, "row"))"
        if summary.kind == .payments {
            out += ", \(counted(summary.newRecords, "new payment")), \(summary.skippedRecords) seen before and skipped\n"
        } else {
            out += ", \(counted(Set(summary.reports.map(\.partnerID)).count, "partner"))"
            out += ", \(counted(Set(summary.reports.map(\.period)).count, "period"))\n"
        }
        if !summary.reports.isEmpty {
            var table = TextTable([("partner", .left), ("period", .left), ("rows", .right), ("gross revenue", .right), ("", .left)])
            for report in summary.reports {
                let replaced = report.replaced.map { "restates the report from \(TerminalText.escaped($0.fileName))" } ?? ""
                table.add([report.partnerID, report.period.description, String(report.rows),
                           summary.kind == .usage ? "\(ScaledDecimal.format(report.grossRevenueMicros, scale: 6)) \(report.currency.code)" : "",
                           replaced])
            }
            out += table.rendered(indent: "  ")
        }
        if summary.kind == .usage {
            for total in summary.grossRevenueByCurrency {
                out += "  total gross revenue: \(ScaledDecimal.format(total.micros, scale: 6)) \(total.currency.code)\n"
            }
        }
        if !summary.unknownColumns.isEmpty {
            out += "  unknown columns ignored: \(summary.unknownColumns.map(TerminalText.escaped).joined(separator: ", "))\n"
        }
        return out
    }
}
