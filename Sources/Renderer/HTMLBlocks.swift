import AnalysisKit
import Foundation

/// HTML for the pieces an analysis produces: tables, figures and error boxes.
enum HTMLBlocks {
    /// A table in a box that scrolls sideways on its own when the table is wider than the page; `number` prefixes the
    /// caption with "Table N.". The cells of a column of prose (a cell over `longCell` characters) carry the class
    /// `long`, which keeps such a column wide on a phone instead of one word per line (`PageTemplate.style`).
    static func table(_ t: Table, verdictColumn: Int?, number: Int? = nil) -> String {
        let label = number.map { "<span class=\"table-number\">Table \($0).</span> " } ?? ""
        var long = Set<Int>()
        for row in t.rows { for (i, cell) in row.enumerated() where cell.count > longCell { long.insert(i) } }
        var h = "<div class=\"table-wrap\">\n<table id=\"\(HTML.escape(t.id))\">\n<caption>\(label)\(HTML.escape(t.caption))</caption>\n<tr>"
        h += t.columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>\n"
        for row in t.rows {
            h += "<tr>"
            for (i, cell) in row.enumerated() {
                let verdict = i == verdictColumn ? Verdict(rawValue: cell) : nil
                let classes = [verdict?.cssClass, long.contains(i) ? "long" : nil].compactMap { $0 }
                let cls = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
                h += "<td\(cls)>\(HTML.escape(cell))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</table>\n</div>\n"
    }

    static let longCell = 40

    /// Wraps a table written elsewhere (index, footer) in the sideways-scrolling box.
    static func wrapped(_ table: String) -> String { "<div class=\"table-wrap\">\(table)</div>" }

    /// The figure's SVG inlined (ids made unique to the figure), with its caption; the SVG carries the alt text.
    /// `number` prefixes the caption with "Figure N."; `files` (relative links to the figure's data and gnuplot script)
    /// are listed under the caption.
    static func figure(_ f: Figure, svg: Data, number: Int? = nil, files: [(label: String, href: String)] = []) -> String {
        let label = number.map { "<span class=\"figure-number\">Figure \($0).</span> " } ?? ""
        let links = files.isEmpty ? "" : "\n<p class=\"figure-files\">" + files.map {
            "<a href=\"\(HTML.escape($0.href))\">\(HTML.escape($0.label))</a>"
        }.joined(separator: " · ") + "</p>"
        return """
        <figure id="\(HTML.escape(f.id))">
        <div class="\(svgClass(f))">\(InlineSVG.prepare(svg, figureID: f.id, label: f.altText))</div>
        <figcaption>\(label)\(HTML.escape(f.caption))\(links)</figcaption>
        </figure>

        """
    }

    /// The class of a figure's SVG box: `svg`, and `across-N` when N panels (2–4) sit side by side. On a narrow
    /// screen (≤ 40rem) such a figure keeps about 21rem per panel (the scale of a one-panel figure on a 420 px phone)
    /// and scrolls sideways inside its box, instead of shrinking every panel to an unreadable N-th of the width.
    static func svgClass(_ f: Figure) -> String {
        let across = min(max(1, f.columns), f.panels.count)
        return across >= 2 ? "svg across-\(min(across, 4))" : "svg"
    }

    /// The parameters of a `{run}` directive as written in the report, in a collapsed block under its output.
    static func parameters(analysis: String, body: [String]) -> String {
        let lines = body.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard !lines.isEmpty else { return "" }
        return "<details class=\"parameters\"><summary>Parameters of <code>\(HTML.escape(analysis))</code></summary>"
            + "<pre><code>\(lines.map(HTML.escape).joined(separator: "\n"))</code></pre></details>\n"
    }

    static func error(_ d: ReportDiagnostic) -> String {
        "<div class=\"error\" role=\"alert\"><strong>\(HTML.escape(d.file)):\(d.line)</strong>: \(HTML.escape(d.message))</div>\n"
    }
}
