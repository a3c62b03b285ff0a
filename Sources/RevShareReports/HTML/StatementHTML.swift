import RevShareCore
import RevShareDomain
import RevShareStore

/// A statement as one self-contained, printable HTML page: every figure of the JSON statement
/// (SPEC §7.1) written exactly as the JSON writes it, a DRAFT marking for an open period, and
/// two inline SVG charts — the share by model, and the partner's share over recent periods.
public enum StatementHTML {
    /// How many periods the history chart shows, this one included.
    public static let historyLength = 12

    /// - Parameters:
    ///   - history: issued statements of earlier periods; those of other partners, other
    ///     currencies or later periods are ignored, and only the latest `historyLength − 1` shown.
    ///   - documentSHA256: the issued document's SHA-256, printed in the footer of a final statement.
    public static func render(_ statement: Statement, history: [IssuedStatement] = [],
                              documentSHA256: String? = nil) -> String {
        let money = { (minor: Int64) in DigitGrouping.grouped(Money.format(minor: minor, currency: statement.currency)) }
        let code = statement.currency.code
        let draft = statement.status == .draft
        var body = ""
        if draft { body += "<div class=\"watermark\" aria-hidden=\"true\">DRAFT</div>\n" }

        body += "<header>\n<h1>Statement \(HTML.escape(statement.statementID)) "
        body += draft ? "<span class=\"badge draft\">DRAFT</span>" : "<span class=\"badge final\">FINAL</span>"
        body += "</h1>\n<p class=\"partner\">\(HTML.escape(statement.partnerName)) <span class=\"muted\">(\(HTML.escape(statement.partnerID)))</span></p>\n"
        if draft {
            body += "<p class=\"draft-banner\"><strong>DRAFT</strong> — period \(statement.period) is open: these figures will change until it is closed. This is not a final statement.</p>\n"
        }
        body += HTML.facts([
            ("statement", HTML.escape(statement.statementID)),
            ("status", statement.status.rawValue),
            ("period", statement.period.description),
            ("agreement", HTML.escape(statement.agreementID)),
            ("currency", code),
            ("due date", statement.dueDate.description),
        ])
        body += "</header>\n"

        // Summary: opening → charges → payments → closing, every amount as in the JSON.
        var rows: [[String]] = []
        var classes: [String?] = []
        func add(_ label: String, _ amount: String, _ rowClass: String? = nil) {
            rows.append([label, amount])
            classes.append(rowClass)
        }
        add("Opening balance", money(statement.openingBalanceMinor))
        add("Revenue share", money(statement.shareMinor))
        add("Minimum guarantee true-up", money(statement.minimumTrueUpMinor))
        for adjustment in statement.adjustments {
            add("Prior-period adjustment for \(adjustment.period)", money(adjustment.amountMinor))
        }
        add("Charges (share + true-up + adjustments)", money(statement.chargesMinor), "sub")
        for payment in statement.payments {
            add("Less payment \(HTML.escape(payment.paymentID)) received \(payment.receivedOn)", money(payment.amountMinor))
        }
        add("Closing balance (owed when positive)", money(statement.closingBalanceMinor), "total")
        body += "<section>\n<h2>Summary</h2>\n"
        body += HTML.table(["", "amount \(code)"], numeric: [1], rows: rows, rowClasses: classes)
        if statement.adjustments.isEmpty { body += "<p class=\"muted small\">No prior-period adjustments.</p>\n" }
        if statement.payments.isEmpty { body += "<p class=\"muted small\">No payments posted in \(statement.period).</p>\n" }
        body += "</section>\n"

        body += "<section>\n<h2>Usage and share by model</h2>\n"
        if statement.lines.isEmpty {
            body += "<p>No usage was reported for \(statement.period).</p>\n"
        } else {
            var lineRows = statement.lines.map { line in
                [HTML.escape(line.model), DigitGrouping.grouped(line.requests), DigitGrouping.grouped(line.inputTokens),
                 DigitGrouping.grouped(line.outputTokens), DigitGrouping.grouped(ScaledDecimal.format(line.grossRevenueMicros, scale: 6)),
                 money(line.shareMinor)]
            }
            lineRows.append(["Share", "", "", "", "", money(statement.shareMinor)])
            body += HTML.table(["model", "requests", "input tokens", "output tokens", "gross revenue \(code)", "share \(code)"],
                               numeric: [1, 2, 3, 4, 5], rows: lineRows,
                               rowClasses: Array(repeating: nil, count: statement.lines.count) + ["total"])
            body += "<div class=\"chart\">\n<h3>Share by model (\(code))</h3>\n"
            body += SVGChart.horizontal(statement.lines.map { line in
                SVGChart.Group(label: line.model, bars: [SVGChart.Bar(
                    label: "", valueText: money(line.shareMinor),
                    magnitude: line.shareMinor,
                    fill: "#2f5d9a", pattern: draft,
                    tooltip: "\(line.model): share \(money(line.shareMinor)) \(code) of gross revenue \(DigitGrouping.grouped(ScaledDecimal.format(line.grossRevenueMicros, scale: 6)))")])
            }, id: "by-model", title: "Share by model, \(code)", labelWidthCentipoints: 230_00)
            body += "</div>\n"
        }
        body += "</section>\n"

        body += historySection(statement, history: history, money: money)

        body += "<footer>"
        body += "Amounts in \(code) with exactly \(statement.currency.minorDigits) decimal\(statement.currency.minorDigits == 1 ? "" : "s"), as in the JSON statement; gross revenue with 6 decimals. "
        body += "Closing balance = opening balance + charges − payments posted in \(statement.period). "
        if let documentSHA256 { body += "<br>Issued document SHA-256 <span class=\"mono\">\(HTML.escape(documentSHA256))</span>." }
        if draft { body += "<strong>Draft:</strong> not posted to the ledger; the final statement is issued when \(statement.period) closes." }
        body += "</footer>"

        return HTML.document(title: "\(draft ? "DRAFT " : "")Statement \(statement.statementID) — \(statement.partnerName)",
                             extraStyle: statementStyle, body: body)
    }

    private static func historySection(_ statement: Statement, history: [IssuedStatement],
                                       money: (Int64) -> String) -> String {
        let earlier = history
            .filter { $0.partnerID == statement.partnerID && $0.currency == statement.currency.code && $0.period < statement.period }
            .sorted { $0.period < $1.period }
            .suffix(historyLength - 1)
        var points: [(period: Period, share: Int64, trueUp: Int64, adjustments: Int64, charges: Int64, status: String)] =
            earlier.map { ($0.period, $0.shareMinor, $0.minimumTrueUpMinor, $0.adjustmentsMinor, $0.chargesMinor, "final") }
        points.append((statement.period, statement.shareMinor, statement.minimumTrueUpMinor, statement.adjustmentsMinor,
                       statement.chargesMinor, statement.status.rawValue))
        let code = statement.currency.code
        var out = "<section>\n<h2>Share over recent periods</h2>\n"
        if earlier.isEmpty {
            out += "<p class=\"muted small\">No earlier statements were issued to \(HTML.escape(statement.partnerID)); this period is the first.</p>\n"
        }
        out += "<div class=\"chart\">\n"
        out += SVGChart.columns(points.map { point in
            SVGChart.Column(
                label: point.period.description,
                segments: [(point.share, "#2f5d9a", "\(point.period) share \(money(point.share)) \(code)"),
                           (point.trueUp, "#d08a1c", "\(point.period) minimum true-up \(money(point.trueUp)) \(code)")],
                totalText: money(point.share + point.trueUp),
                highlighted: point.period == statement.period,
                pattern: point.status == "draft")
        }, id: "history", title: "Share and minimum true-up by period, \(code)")
        out += "<p class=\"legend\"><span class=\"swatch\" style=\"background:#2f5d9a\"></span>revenue share"
        out += "<span class=\"swatch\" style=\"background:#d08a1c\"></span>minimum guarantee true-up"
        out += " — the figure above each column is share + true-up in \(code); the dashed frame marks this statement"
        out += statement.status == .draft ? " (pale and dashed: draft)." : "."
        out += "</p>\n</div>\n"
        out += HTML.table(["period", "status", "share", "true-up", "adjustments", "charges"], numeric: [2, 3, 4, 5],
                          rows: points.map { point in
                              [point.period.description, point.status, money(point.share), money(point.trueUp),
                               money(point.adjustments), money(point.charges)]
                          },
                          rowClasses: points.map { $0.period == statement.period ? "sub" : nil })
        return out + "</section>\n"
    }

    static let statementStyle = """
        header .partner { font-size: 13pt; margin: 2px 0 6px; }
        .draft-banner { background: #fff1d6; border: 1px solid #e2b45c; color: #6b4100; padding: 6px 10px; border-radius: 4px; }
        .watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 130pt; font-weight: 800;
                     color: rgba(208, 138, 28, 0.13); transform: rotate(-28deg); letter-spacing: 0.12em;
                     pointer-events: none; z-index: 0; }
        main, section, header, footer { position: relative; z-index: 1; }

        """
}
