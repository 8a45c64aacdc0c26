import AnalysisKit
import Foundation

/// HTML for the pieces an analysis produces: tables, figures and error boxes.
enum HTMLBlocks {
    static func table(_ t: Table, verdictColumn: Int?) -> String {
        var h = "<table id=\"\(HTML.escape(t.id))\">\n<caption>\(HTML.escape(t.caption))</caption>\n<tr>"
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
        return h + "</table>\n"
    }

    /// The figure's SVG inlined (ids made unique to the figure), with its caption; the SVG carries the alt text.
    static func figure(_ f: Figure, svg: Data) -> String {
        """
        <figure id="\(HTML.escape(f.id))">
        <div class="svg">\(InlineSVG.prepare(svg, figureID: f.id, label: f.altText))</div>
        <figcaption>\(HTML.escape(f.caption))</figcaption>
        </figure>

        """
    }

    static func error(_ d: ReportDiagnostic) -> String {
        "<div class=\"error\" role=\"alert\"><strong>\(HTML.escape(d.file)):\(d.line)</strong>: \(HTML.escape(d.message))</div>\n"
    }
}
