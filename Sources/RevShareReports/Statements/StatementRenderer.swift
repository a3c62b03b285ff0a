import RevShareCore
import RevShareDomain

/// A statement as text a partner can read, and its lines as CSV.
public enum StatementRenderer {
    public static func text(_ statement: Statement) -> String {
        let money = { (minor: Int64) in Money.format(minor: minor, currency: statement.currency) }
        let code = statement.currency.code
        var out = ""
        let title = statement.status == .draft
            ? "DRAFT STATEMENT (period open; figures will change until it is closed)"
            : "STATEMENT"
        out += "\(title) \(statement.statementID)\n"
        out += "  partner      \(statement.partnerName) (\(statement.partnerID))\n"
        out += "  period       \(statement.period)\n"
        out += "  agreement    \(statement.agreementID)\n"
        out += "  currency     \(code)\n"
        out += "  due date     \(statement.dueDate)\n\n"
        var lines = TextTable([("model", .left), ("requests", .right), ("input tokens", .right),
                               ("output tokens", .right), ("gross revenue", .right), ("share", .right)])
        for line in statement.lines {
            lines.add([line.model, String(line.requests), String(line.inputTokens), String(line.outputTokens),
                       ScaledDecimal.format(line.grossRevenueMicros, scale: 6), money(line.shareMinor)])
        }
        out += statement.lines.isEmpty ? "  (no usage reported for this period)\n" : lines.rendered(indent: "  ")
        out += "\n"
        var summary = TextTable([("", .left), ("amount \(code)", .right)])
        summary.add(["opening balance", money(statement.openingBalanceMinor)])
        summary.add(["revenue share", money(statement.shareMinor)])
        summary.add(["minimum guarantee true-up", money(statement.minimumTrueUpMinor)])
        for adjustment in statement.adjustments {
            summary.add(["adjustment for \(adjustment.period)", money(adjustment.amountMinor)])
        }
        summary.add(["charges", money(statement.chargesMinor)])
        for payment in statement.payments {
            summary.add(["payment \(payment.paymentID) received \(payment.receivedOn)", "-" + money(payment.amountMinor)])
        }
        summary.add(["closing balance (owed when positive)", money(statement.closingBalanceMinor)])
        out += summary.rendered(indent: "  ")
        return out
    }

    /// The statement's lines, one row per model (the totals are in the JSON and text forms).
    public static func csv(_ statement: Statement) -> String {
        let money = { (minor: Int64) in Money.format(minor: minor, currency: statement.currency) }
        var out = "statement_id,partner,period,currency,model,requests,input_tokens,output_tokens,gross_revenue,share\r\n"
        let prefix = [statement.statementID, statement.partnerID, statement.period.description, statement.currency.code]
        for line in statement.lines {
            out += CSVText.row(prefix + [line.model, String(line.requests), String(line.inputTokens),
                                         String(line.outputTokens), ScaledDecimal.format(line.grossRevenueMicros, scale: 6),
                                         money(line.shareMinor)])
        }
        return out
    }
}

/// RFC 4180 output: quote a field when it holds a comma, quote or line break.
public enum CSVText {
    public static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    /// By scalar, not `Character`: CR LF is one `Character`, equal neither to CR nor to LF, and a
    /// quote followed by a combining mark is one `Character` too. Every other byte is kept.
    public static func field(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.unicodeScalars.append(scalar) }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
}
