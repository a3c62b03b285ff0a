import RevShareCore
import RevShareDomain

/// A statement as text a partner can read, and its lines as CSV.
public enum StatementRenderer {
    public static func text(_ statement: Statement) -> String {
        let money = { (minor: Int64) in DigitGrouping.grouped(Money.format(minor: minor, currency: statement.currency)) }
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
            lines.add([line.model, DigitGrouping.grouped(line.requests), DigitGrouping.grouped(line.inputTokens),
                       DigitGrouping.grouped(line.outputTokens),
                       DigitGrouping.grouped(ScaledDecimal.format(line.grossRevenueMicros, scale: 6)), money(line.shareMinor)])
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
            summary.add(["payment \(TerminalText.escaped(payment.paymentID)) received \(payment.receivedOn)", "-" + money(payment.amountMinor)])
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
            out += CSVText.row(prefix.map(CSVCell.text) + [
                .text(line.model), .number(String(line.requests)), .number(String(line.inputTokens)),
                .number(String(line.outputTokens)), .number(ScaledDecimal.format(line.grossRevenueMicros, scale: 6)),
                .number(money(line.shareMinor)),
            ])
        }
        return out
    }
}

/// One cell of a CSV output: text from the books, or a number revshare formatted.
public enum CSVCell: Sendable, Equatable {
    case text(String)
    case number(String)
}

/// RFC 4180 output. A field is quoted when it holds a comma, a quote or a line break (looked
/// for in bytes: `\r\n` is one Swift character, but two bytes to a CSV reader). A text cell
/// starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so a
/// spreadsheet never runs it as a formula (OWASP CSV injection); numbers are never altered.
public enum CSVText {
    public static func row(_ cells: [CSVCell]) -> String {
        cells.map(field).joined(separator: ",") + "\r\n"
    }

    /// A header or any row of plain texts.
    public static func row(_ texts: [String]) -> String {
        row(texts.map(CSVCell.text))
    }

    public static func field(_ cell: CSVCell) -> String {
        switch cell {
        case .number(let text): quoted(text)
        case .text(let text): quoted(neutralized(text))
        }
    }

    static func neutralized(_ text: String) -> String {
        guard let first = text.utf8.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"),
                                            UInt8(ascii: "@"), 0x09, 0x0D].contains(first) else { return text }
        return "'" + text
    }

    static func quoted(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D })
        else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
