/// Building blocks for the self-contained HTML documents (statements, the audit report): one
/// file each, inline CSS and SVG, no script, no external reference, printable.
public enum HTML {
    /// Text made safe for element content and for double- or single-quoted attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            // C0 controls other than tab and line breaks are not allowed in HTML text.
            case _ where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r":
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A whole document: `<title>`, the shared style sheet plus `extraStyle`, and `body`.
    static func document(title: String, extraStyle: String = "", body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(styleSheet)\(extraStyle)
        </style>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }

    static let styleSheet = """
        @page { size: A4; margin: 14mm 12mm; }
        * { box-sizing: border-box; }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { font-family: "Helvetica Neue", Helvetica, Arial, "Liberation Sans", sans-serif; font-size: 10.5pt;
               color: #1d2330; margin: 0 auto; padding: 20px 28px; max-width: 1100px; line-height: 1.35; }
        h1 { font-size: 19pt; margin: 0 0 4px; }
        h2 { font-size: 13pt; margin: 22px 0 8px; padding-bottom: 3px; border-bottom: 2px solid #2f5d9a; color: #1f3f6b;
             break-after: avoid; }
        h3 { font-size: 11pt; margin: 14px 0 6px; break-after: avoid; }
        p { margin: 4px 0; }
        .muted { color: #5b6473; }
        .nowrap { white-space: nowrap; }
        .small { font-size: 8.5pt; }
        .mono, code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.5pt; word-break: break-all; }
        table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; break-inside: auto; }
        tr { break-inside: avoid; }
        th, td { border-bottom: 1px solid #d5dae2; padding: 3px 6px; text-align: left; vertical-align: top; }
        th { background: #eef2f7; font-weight: 600; font-size: 9pt; color: #333c4d; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.total td { border-top: 1.5px solid #1d2330; font-weight: 700; }
        tr.sub td { font-weight: 600; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
        dl.facts dt { color: #5b6473; }
        dl.facts dd { margin: 0; }
        .badge { display: inline-block; padding: 1px 8px; border-radius: 9px; font-size: 8.5pt; font-weight: 700;
                 letter-spacing: 0.04em; vertical-align: middle; }
        .badge.final, .badge.ok { background: #dff3e4; color: #17612e; }
        .badge.draft, .badge.warning { background: #fff1d6; color: #8a5300; }
        .badge.critical, .badge.fail { background: #fde2e1; color: #a11d18; }
        .badge.gone, .badge.resolved { background: #e8ebf0; color: #485163; }
        .chart { margin: 6px 0 12px; break-inside: avoid; }
        .chart svg { width: 100%; height: auto; display: block; }
        .legend { font-size: 8.5pt; color: #5b6473; }
        .swatch { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; vertical-align: -1px; }
        section { break-inside: auto; }
        footer { margin-top: 24px; font-size: 8.5pt; color: #5b6473; border-top: 1px solid #d5dae2; padding-top: 6px; }

        """

    /// `<table>` with a header row; `numeric` marks right-aligned columns; cells are HTML already.
    static func table(_ headers: [String], numeric: Set<Int> = [], rows: [[String]], rowClasses: [String?] = [],
                      caption: String? = nil, cssClass: String? = nil) -> String {
        var out = cssClass.map { "<table class=\"\($0)\">" } ?? "<table>"
        if let caption { out += "<caption class=\"muted small\">\(escape(caption))</caption>" }
        out += "<thead><tr>"
        for (index, header) in headers.enumerated() {
            out += numeric.contains(index) ? "<th class=\"num\">\(escape(header))</th>" : "<th>\(escape(header))</th>"
        }
        out += "</tr></thead><tbody>\n"
        for (rowIndex, row) in rows.enumerated() {
            let rowClass = rowIndex < rowClasses.count ? rowClasses[rowIndex] : nil
            out += rowClass.map { "<tr class=\"\($0)\">" } ?? "<tr>"
            for (index, cell) in row.enumerated() {
                out += numeric.contains(index) ? "<td class=\"num\">\(cell)</td>" : "<td>\(cell)</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    /// Text that must not wrap (dates, timestamps), escaped.
    static func nowrap(_ text: String) -> String { "<span class=\"nowrap\">\(escape(text))</span>" }

    /// A `<dl>` of label/value pairs; values are HTML already.
    static func facts(_ pairs: [(String, String)]) -> String {
        "<dl class=\"facts\">" + pairs.map { "<dt>\(escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>\n"
    }
}

/// Inline SVG charts. Money stays exact text in every label, and the geometry is integer too:
/// positions and lengths in hundredths of an SVG user unit ("centipoints"), bar lengths scaled
/// from the exact minor-unit amounts in Int128, so no amount ever passes through a binary float.
enum SVGChart {
    struct Bar {
        let label: String
        /// The exact figure printed beside the bar.
        let valueText: String
        /// The amount in minor units the bar's length is proportional to (negative draws as 0).
        let magnitude: Int64
        let fill: String
        var pattern: Bool = false
        var tooltip: String? = nil
    }

    /// A group of bars sharing one label (for example expected and reported share of a partner).
    struct Group {
        let label: String
        let bars: [Bar]
        var note: String? = nil
    }

    static let chartWidthCentipoints = 900_00

    /// `length` × part / whole, floored, for 0 ≤ part ≤ whole; 0 when whole is 0.
    static func scaled(_ part: Int64, of whole: Int64, length: Int) -> Int {
        guard whole > 0, part > 0 else { return 0 }
        return Int(Int128(length) * Int128(min(part, whole)) / Int128(whole))
    }

    /// Horizontal bars, one row per bar, grouped; all scaled to the largest magnitude.
    static func horizontal(_ groups: [Group], id: String, title: String, labelWidthCentipoints: Int = 210_00) -> String {
        let barHeight = 15_00, barGap = 3_00, groupGap = 10_00, valueWidth = 150_00
        let plotWidth = chartWidthCentipoints - labelWidthCentipoints - valueWidth - 10_00
        let largest = groups.flatMap(\.bars).map(\.magnitude).max() ?? 0
        var y = 6_00
        var shapes = ""
        for group in groups {
            let groupTop = y
            for bar in group.bars {
                let width = scaled(bar.magnitude, of: largest, length: plotWidth)
                let x = labelWidthCentipoints
                shapes += "<g>"
                if let tooltip = bar.tooltip { shapes += "<title>\(HTML.escape(tooltip))</title>" }
                shapes += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(width, 50)))\" height=\"\(f(barHeight))\" fill=\"\(bar.fill)\"\(bar.pattern ? draftStyle : "") stroke=\"\(bar.fill)\" stroke-width=\"0.8\"/>"
                shapes += "<text x=\"\(f(x + width + 5_00))\" y=\"\(f(y + barHeight - 3_50))\" class=\"value\">\(HTML.escape(bar.valueText))</text>"
                if !bar.label.isEmpty {
                    shapes += "<text x=\"\(f(labelWidthCentipoints - 8_00))\" y=\"\(f(y + barHeight - 3_50))\" class=\"sublabel\" text-anchor=\"end\">\(HTML.escape(bar.label))</text>"
                }
                shapes += "</g>"
                y += barHeight + barGap
            }
            let middle = (groupTop + y - barGap) / 2
            let labelY = group.bars.count > 1 ? groupTop + barHeight - 3_50 : middle + 4_00
            shapes += "<text x=\"4\" y=\"\(f(labelY))\" class=\"label\"><title>\(HTML.escape(group.label))</title>\(HTML.escape(shortened(group.label, to: 30)))</text>"
            if let note = group.note {
                shapes += "<text x=\"4\" y=\"\(f(labelY + 13_00))\" class=\"note\">\(HTML.escape(shortened(note, to: 34)))</text>"
            }
            y += groupGap
        }
        let height = y + 2_00
        return svg(id: id, title: title, heightCentipoints: height, body:
            "<line x1=\"\(f(labelWidthCentipoints))\" y1=\"2\" x2=\"\(f(labelWidthCentipoints))\" y2=\"\(f(height - 6_00))\" stroke=\"#8c95a3\" stroke-width=\"1\"/>"
                + shapes)
    }

    struct Column {
        let label: String
        /// Stacked segments, bottom first: (amount in minor units, fill, exact text for the tooltip).
        let segments: [(magnitude: Int64, fill: String, text: String)]
        /// The exact total printed above the column.
        let totalText: String
        var highlighted: Bool = false
        var pattern: Bool = false
    }

    /// Vertical stacked columns along a period axis.
    static func columns(_ columns: [Column], id: String, title: String) -> String {
        let plotTop = 22_00, plotHeight = 170_00, left = 12_00
        let axis = plotTop + plotHeight
        let slotWidth = (chartWidthCentipoints - left * 2) / max(columns.count, 1)
        let columnWidth = min(64_00, slotWidth * 62 / 100)
        let largest = columns.map { $0.segments.reduce(Int64(0)) { $0 + max($1.magnitude, 0) } }.max() ?? 0
        var shapes = ""
        for (index, column) in columns.enumerated() {
            let centre = left + slotWidth * index + slotWidth / 2
            let x = centre - columnWidth / 2
            var top = axis
            for segment in column.segments where segment.magnitude > 0 {
                let segmentHeight = scaled(segment.magnitude, of: largest, length: plotHeight)
                top -= segmentHeight
                shapes += "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(columnWidth))\" height=\"\(f(segmentHeight))\" fill=\"\(segment.fill)\"\(column.pattern ? draftStyle : "") stroke=\"\(segment.fill)\" stroke-width=\"0.8\"><title>\(HTML.escape(segment.text))</title></rect>"
            }
            if column.highlighted {
                shapes += "<rect x=\"\(f(x - 3_00))\" y=\"\(f(top - 3_00))\" width=\"\(f(columnWidth + 6_00))\" height=\"\(f(axis - top + 3_00))\" fill=\"none\" stroke=\"#1d2330\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>"
            }
            shapes += "<text x=\"\(f(centre))\" y=\"\(f(top - 6_00))\" class=\"value\" text-anchor=\"middle\">\(HTML.escape(column.totalText))</text>"
            shapes += "<text x=\"\(f(centre))\" y=\"\(f(axis + 14_00))\" class=\"label\" text-anchor=\"middle\">\(HTML.escape(column.label))</text>"
        }
        let axisLine = "<line x1=\"\(f(left))\" y1=\"\(f(axis))\" x2=\"\(f(chartWidthCentipoints - left))\" y2=\"\(f(axis))\" stroke=\"#8c95a3\" stroke-width=\"1\"/>"
        return svg(id: id, title: title, heightCentipoints: axis + 22_00, body: axisLine + shapes)
    }

    /// Draft figures: pale fill, dashed outline.
    static let draftStyle = " fill-opacity=\"0.35\" stroke-dasharray=\"4 2\""

    private static func svg(id: String, title: String, heightCentipoints: Int, body: String) -> String {
        """
        <svg id="chart-\(id)" viewBox="0 0 \(f(chartWidthCentipoints)) \(f(heightCentipoints))" role="img" aria-label="\(HTML.escape(title))">\
        <title>\(HTML.escape(title))</title>\
        <style>text { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; fill: #1d2330; } \
        .label { font-size: 12px; } .sublabel { font-size: 10.5px; fill: #5b6473; } \
        .value { font-size: 11px; font-variant-numeric: tabular-nums; } .note { font-size: 10px; fill: #a11d18; }</style>\
        \(body)</svg>
        """
    }

    /// Centipoints as plain decimal text: 12345 → "123.45", 1200 → "12".
    static func f(_ centipoints: Int) -> String {
        let magnitude = abs(centipoints)
        let fraction = magnitude % 100
        let text = "\(magnitude / 100)" + (fraction == 0 ? "" : "." + (fraction < 10 ? "0" : "") + "\(fraction)")
        return centipoints < 0 ? "-" + text : text
    }

    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
