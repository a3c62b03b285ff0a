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

/// Inline SVG charts. Money stays exact text in every label; only the geometry (bar lengths,
/// positions, in SVG user units called points here) is computed in floating point.
enum SVGChart {
    struct Bar {
        let label: String
        /// The exact figure printed beside the bar.
        let valueText: String
        /// The bar's length relative to the others; geometry only, never printed.
        let magnitude: Double
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

    static let chartWidthPoints: Double = 900

    /// Horizontal bars, one row per bar, grouped; all scaled to the largest magnitude.
    static func horizontal(_ groups: [Group], id: String, title: String, labelWidthPoints: Double = 210) -> String {
        let barHeightPoints: Double = 15
        let barGapPoints: Double = 3
        let groupGapPoints: Double = 10
        let valueWidthPoints: Double = 150
        let plotWidthPoints = chartWidthPoints - labelWidthPoints - valueWidthPoints - 10
        let largest = groups.flatMap(\.bars).map(\.magnitude).max() ?? 0
        var y: Double = 6
        var shapes = ""
        for group in groups {
            let groupTop = y
            for bar in group.bars {
                let barWidthPoints = largest > 0 ? max(0, bar.magnitude / largest * plotWidthPoints) : 0
                let x = labelWidthPoints
                shapes += "<g>"
                if let tooltip = bar.tooltip { shapes += "<title>\(HTML.escape(tooltip))</title>" }
                shapes += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(barWidthPoints, 0.5)))\" height=\"\(f(barHeightPoints))\" fill=\"\(bar.fill)\"\(bar.pattern ? draftStyle : "") stroke=\"\(bar.fill)\" stroke-width=\"0.8\"/>"
                shapes += "<text x=\"\(f(x + barWidthPoints + 5))\" y=\"\(f(y + barHeightPoints - 3.5))\" class=\"value\">\(HTML.escape(bar.valueText))</text>"
                if !bar.label.isEmpty {
                    shapes += "<text x=\"\(f(labelWidthPoints - 8))\" y=\"\(f(y + barHeightPoints - 3.5))\" class=\"sublabel\" text-anchor=\"end\">\(HTML.escape(bar.label))</text>"
                }
                shapes += "</g>"
                y += barHeightPoints + barGapPoints
            }
            let middle = (groupTop + y - barGapPoints) / 2
            let labelY = group.bars.count > 1 ? groupTop + barHeightPoints - 3.5 : middle + 4
            shapes += "<text x=\"4\" y=\"\(f(labelY))\" class=\"label\"><title>\(HTML.escape(group.label))</title>\(HTML.escape(shortened(group.label, to: 30)))</text>"
            if let note = group.note {
                shapes += "<text x=\"4\" y=\"\(f(labelY + 13))\" class=\"note\">\(HTML.escape(shortened(note, to: 34)))</text>"
            }
            y += groupGapPoints
        }
        let heightPoints = y + 2
        return svg(id: id, title: title, heightPoints: heightPoints, body:
            "<line x1=\"\(f(labelWidthPoints))\" y1=\"2\" x2=\"\(f(labelWidthPoints))\" y2=\"\(f(heightPoints - 6))\" stroke=\"#8c95a3\" stroke-width=\"1\"/>"
                + shapes)
    }

    struct Column {
        let label: String
        /// Stacked segments, bottom first: (magnitude, fill, exact text for the tooltip).
        let segments: [(magnitude: Double, fill: String, text: String)]
        /// The exact total printed above the column.
        let totalText: String
        var highlighted: Bool = false
        var pattern: Bool = false
    }

    /// Vertical stacked columns along a period axis.
    static func columns(_ columns: [Column], id: String, title: String) -> String {
        let plotTopPoints: Double = 22
        let plotHeightPoints: Double = 170
        let axisPoints = plotTopPoints + plotHeightPoints
        let leftPoints: Double = 12
        let slotWidthPoints = (chartWidthPoints - leftPoints * 2) / Double(max(columns.count, 1))
        let columnWidthPoints = min(64, slotWidthPoints * 0.62)
        let largest = columns.map { $0.segments.reduce(0) { $0 + $1.magnitude } }.max() ?? 0
        var shapes = ""
        for (index, column) in columns.enumerated() {
            let centre = leftPoints + slotWidthPoints * (Double(index) + 0.5)
            let x = centre - columnWidthPoints / 2
            var top = axisPoints
            for segment in column.segments where segment.magnitude > 0 {
                let segmentHeightPoints = largest > 0 ? segment.magnitude / largest * plotHeightPoints : 0
                top -= segmentHeightPoints
                shapes += "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(columnWidthPoints))\" height=\"\(f(segmentHeightPoints))\" fill=\"\(segment.fill)\"\(column.pattern ? draftStyle : "") stroke=\"\(segment.fill)\" stroke-width=\"0.8\"><title>\(HTML.escape(segment.text))</title></rect>"
            }
            if column.highlighted {
                shapes += "<rect x=\"\(f(x - 3))\" y=\"\(f(top - 3))\" width=\"\(f(columnWidthPoints + 6))\" height=\"\(f(axisPoints - top + 3))\" fill=\"none\" stroke=\"#1d2330\" stroke-width=\"1.2\" stroke-dasharray=\"3 2\"/>"
            }
            shapes += "<text x=\"\(f(centre))\" y=\"\(f(top - 6))\" class=\"value\" text-anchor=\"middle\">\(HTML.escape(column.totalText))</text>"
            shapes += "<text x=\"\(f(centre))\" y=\"\(f(axisPoints + 14))\" class=\"label\" text-anchor=\"middle\">\(HTML.escape(column.label))</text>"
        }
        let axis = "<line x1=\"\(f(leftPoints))\" y1=\"\(f(axisPoints))\" x2=\"\(f(chartWidthPoints - leftPoints))\" y2=\"\(f(axisPoints))\" stroke=\"#8c95a3\" stroke-width=\"1\"/>"
        return svg(id: id, title: title, heightPoints: axisPoints + 22, body: axis + shapes)
    }

    /// Draft figures: pale fill, dashed outline.
    static let draftStyle = " fill-opacity=\"0.35\" stroke-dasharray=\"4 2\""

    private static func svg(id: String, title: String, heightPoints: Double, body: String) -> String {
        """
        <svg id="chart-\(id)" viewBox="0 0 \(f(chartWidthPoints)) \(f(heightPoints))" role="img" aria-label="\(HTML.escape(title))">\
        <title>\(HTML.escape(title))</title>\
        <style>text { font-family: Helvetica, Arial, "Liberation Sans", sans-serif; fill: #1d2330; } \
        .label { font-size: 12px; } .sublabel { font-size: 10.5px; fill: #5b6473; } \
        .value { font-size: 11px; font-variant-numeric: tabular-nums; } .note { font-size: 10px; fill: #a11d18; }</style>\
        \(body)</svg>
        """
    }

    /// Geometry as plain decimal text with at most two decimals.
    static func f(_ points: Double) -> String {
        guard points.isFinite else { return "0" }
        let hundredths = Int((points * 100).rounded())
        let magnitude = abs(hundredths)
        let fraction = magnitude % 100
        let text = "\(magnitude / 100)" + (fraction == 0 ? "" : "." + (fraction < 10 ? "0" : "") + "\(fraction)")
        return hundredths < 0 ? "-" + text : text
    }

    static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
