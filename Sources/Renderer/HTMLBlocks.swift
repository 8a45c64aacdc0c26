import AnalysisKit
import Foundation

/// HTML for the pieces an analysis produces: tables, figures and error boxes.
enum HTMLBlocks {
    /// A table in a box that scrolls sideways on its own when the table is wider than the page; `number` prefixes the
    /// caption with "Table N.".
    static func table(_ t: Table, verdictColumn: Int?, number: Int? = nil) -> String {
        let label = number.map { "<span class=\"table-number\">Table \($0).</span> " } ?? ""
        var h = "<div class=\"table-wrap\">\n<table id=\"\(HTML.escape(t.id))\">\n<caption>\(label)\(HTML.escape(t.caption))</caption>\n<tr>"
        h += t.columns.map { "<th>\(HTML.escape($0))</th>" }.joined() + "</tr>\n"
        for row in t.rows {
            h += "<tr>"
            for (i, cell) in row.enumerated() {
                let verdict = i == verdictColumn ? Verdict(rawValue: cell) : nil
                let cls = verdict.map { " class=\"\($0.cssClass)\"" } ?? ""
                h += "<td\(cls)>\(HTML.escape(cell))</td>"
            }
            h += "</tr>\n"
        }
        return h + "</table>\n</div>\n"
    }

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
        <div class="svg">\(InlineSVG.prepare(svg, figureID: f.id, label: f.altText))</div>
        <figcaption>\(label)\(HTML.escape(f.caption))\(links)</figcaption>
        </figure>

        """
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
