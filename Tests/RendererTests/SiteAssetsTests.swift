import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Issue 19 §1–2: a site that can be published on its own (figure files and report sources inside `site/`, links to
/// the paper), shared assets written once under `site/assets/`, math typeset at build time, and self-contained pages.
final class SiteAssetsTests: XCTestCase {
    let report = "# T\n\nReplication of a paper (arXiv:2112.14334), with $x^2$ in prose.\n\n"
        + "```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n"

    func testPaperIdentifiersAreLinked() {
        XCTAssertEqual(PaperLinks.find(in: "# A\n\nOf *X* (arXiv:2005.01912). Also doi:10.3390/e23070922.\n\n## Later\narXiv:1111.11111"),
                       [PaperLinks.Link(label: "arXiv:2005.01912", url: "https://arxiv.org/abs/2005.01912"),
                        PaperLinks.Link(label: "doi:10.3390/e23070922", url: "https://doi.org/10.3390/e23070922")])
        XCTAssertEqual(PaperLinks.find(in: "# B\n\n(bioRxiv 362681 / Theory Biosci. 2021)\n"),
                       [PaperLinks.Link(label: "bioRxiv 362681", url: "https://doi.org/10.1101/362681")])
        XCTAssertEqual(PaperLinks.find(in: "# C\n<!-- paper: https://doi.org/10.1/x -->\nEntropy 2021, 23, 922\n").map(\.url), ["https://doi.org/10.1/x"])
        XCTAssertEqual(PaperLinks.find(in: "# D\n\nNo identifier.\n"), [])
    }

    func testSharedAssetsAndBuildTimeMath() throws {
        let (project, dir, _) = try makeProject(["r": report], buildTimeMath: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try ReportRenderer(project: project).render("r").diagnostics, [])
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<link rel=\"stylesheet\" href=\"assets/style.css\">"))
        XCTAssertFalse(html.contains("<style>" + PageTemplate.style.prefix(40)), "the stylesheet is shared, not inlined")
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("site/assets/style.css")), Data(PageTemplate.style.utf8))
        XCTAssertTrue(html.contains("Paper: <a href=\"https://arxiv.org/abs/2112.14334\">arXiv:2112.14334</a>"))
        if PageMath.available {
            XCTAssertTrue(html.contains("<span class=\"math inline\"><span class=\"katex\"><math xmlns=\"http://www.w3.org/1998/Math/MathML\">"))
            XCTAssertFalse(html.contains("katex.min"), "no KaTeX stylesheet or script")
            XCTAssertFalse(html.contains("<script"))
            // Warm: the typeset formulas come from .cache/math, and the page is byte-identical.
            let cached = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".cache/math").path)
            XCTAssertEqual(cached.count, 1)
            _ = try ReportRenderer(project: project).render("r")
            XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8), html)
        }
        // KaTeX in the browser, from the shared assets.
        var client = project
        client.buildTimeMath = false
        _ = try ReportRenderer(project: client).render("r")
        let clientHTML = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        if !PageTemplate.katexAssets.js.isEmpty {
            // KaTeX's scripts write MathML, like build-time math: no KaTeX stylesheet or fonts, linked or copied.
            XCTAssertFalse(clientHTML.contains("katex.min.css"))
            XCTAssertTrue(clientHTML.contains("<script src=\"assets/katex/katex.min.js\"></script>"))
            for f in ["katex/katex.min.js", "katex/auto-render.js", "math.js"] {
                XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/assets/" + f).path), f)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/assets/katex/fonts").path))
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/assets/katex/katex.min.css").path))
            let script = try String(contentsOf: dir.appendingPathComponent("site/assets/math.js"), encoding: .utf8)
            XCTAssertEqual(script.components(separatedBy: "output: 'mathml'").count, 3, "both KaTeX calls write MathML")
            XCTAssertLessThan(clientHTML.utf8.count, html.utf8.count + 2000, "KaTeX is referenced, not inlined")
        }
    }

    func testSelfContainedPagesInlineEverything() throws {
        var (project, dir, _) = try makeProject(["r": report])
        defer { try? FileManager.default.removeItem(at: dir) }
        project.selfContained = true
        project.buildTimeMath = false
        _ = try ReportRenderer(project: project).render("r")
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<style>" + PageTemplate.style + "</style>"))
        XCTAssertFalse(html.contains("<link rel=\"stylesheet\""))
        XCTAssertFalse(html.contains("src=\"assets/"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("site/assets").path), "no shared assets needed")
        if !PageTemplate.katexAssets.js.isEmpty {
            XCTAssertFalse(html.contains("data:font/woff2"), "MathML needs no KaTeX fonts")
            XCTAssertTrue(html.contains("<script>" + PageTemplate.katexAssets.js))
        }
        // With build-time math a self-contained page needs no KaTeX at all.
        if PageMath.available {
            project.buildTimeMath = true
            _ = try ReportRenderer(project: project).render("r")
            let typeset = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
            XCTAssertTrue(typeset.contains("<math"))
            XCTAssertFalse(typeset.contains("<script"))
            XCTAssertTrue(typeset.contains("<style>" + PageTemplate.style + "</style>"))
        }
    }

    func testFormulasInCaptionsAndCellsAreFound() {
        let html = "<p>a <span class=\"math inline\">x &lt; y</span> b $not$</p><table><caption>c $\\alpha$ d</caption>"
            + "<tr><th>$$\\beta$$</th><td class=\"agrees\">5 \\$ and $5</td><td><a href=\"#x\">$z$</a></td></tr></table>"
            + "<svg><text>$q$</text></svg><figure><figcaption>$w$ <code>$v$</code></figcaption></figure>"
        let (marked, formulas) = PageMath.extract(html)
        XCTAssertEqual(formulas, [PageMath.Formula(tex: "x < y", display: false), PageMath.Formula(tex: "\\alpha", display: false),
                                  PageMath.Formula(tex: "\\beta", display: true), PageMath.Formula(tex: "z", display: false),
                                  PageMath.Formula(tex: "w", display: false)])
        XCTAssertTrue(marked.contains("b $not$</p>"), "prose dollars are ProseTransform's business")
        XCTAssertTrue(marked.contains("<td class=\"agrees\">5 \\$ and $5</td>"), "an escaped dollar and an unclosed one stay text")
        XCTAssertTrue(marked.contains("<svg><text>$q$</text></svg>") && marked.contains("<code>$v$</code>"))
        let long = PageMath.extract("<p><span class=\"math inline\">\(String(repeating: "x+", count: 20))</span></p>").html
        XCTAssertTrue(long.hasPrefix("<p><span class=\"math inline wide\">"), "a long inline formula scrolls in its own box")
        XCTAssertTrue(PageTemplate.style.contains(".math.inline.wide { display: inline-block; max-width: 100%; overflow-x: auto;"))
        let restored = PageMath.restore(marked, formulas.map { "[\($0.tex)]" })
        XCTAssertTrue(restored.contains("<span class=\"math inline\">[x < y]</span>"))
        XCTAssertTrue(restored.contains("<caption>c [\\alpha] d</caption>"))
    }

    func testBadMathIsADiagnosticAtItsLine() throws {
        guard PageMath.available else { throw XCTSkip("Node.js or KaTeX not installed") }
        let (project, dir, _) = try makeProject(["r": "# T\n\nGood $x$.\n\nBad $\\frac{1}{$ here.\n"], buildTimeMath: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let d = try ReportRenderer(project: project).render("r").diagnostics
        XCTAssertEqual(d.map(\.line), [5], "\(d)")
        XCTAssertTrue(d.first?.message.hasPrefix("math: KaTeX cannot typeset '\\frac{1}{'") ?? false, "\(d)")
    }
}

/// Issue 19 §4 (screens): on a phone, multi-panel figures keep a readable scale and scroll in their own box, and
/// table columns keep a minimum width instead of wrapping numbers one token per line.
final class NarrowScreenTests: XCTestCase {
    func testMultiPanelFiguresScrollInsteadOfShrinking() {
        func fig(_ panels: Int, columns: Int) -> Figure {
            Figure(id: "f", caption: "c", altText: "a", panels: Array(repeating: Panel(series: []), count: panels), columns: columns)
        }
        XCTAssertEqual(HTMLBlocks.svgClass(fig(1, columns: 1)), "svg")
        XCTAssertEqual(HTMLBlocks.svgClass(fig(2, columns: 1)), "svg", "stacked panels are one wide")
        XCTAssertEqual(HTMLBlocks.svgClass(fig(2, columns: 2)), "svg across-2")
        XCTAssertEqual(HTMLBlocks.svgClass(fig(2, columns: 3)), "svg across-2", "as many across as there are panels")
        XCTAssertEqual(HTMLBlocks.svgClass(fig(6, columns: 6)), "svg across-4")
        let html = HTMLBlocks.figure(fig(2, columns: 2), svg: Data("<svg width=\"1120\" height=\"400\" viewBox=\"0 0 1120 400\"></svg>".utf8))
        XCTAssertTrue(html.contains("<div class=\"svg across-2\">"), html)
        let narrow = PageTemplate.style.components(separatedBy: "@media (max-width: 40rem) {")
        XCTAssertEqual(narrow.count, 2)
        XCTAssertTrue(narrow[1].contains("figure .svg.across-2 svg { min-width: 42rem; }"))
        XCTAssertTrue(narrow[1].contains(".table-wrap > table th, .table-wrap > table td { min-width: 5.5em; }"))
        let table = HTMLBlocks.table(Table(id: "t", caption: "c", columns: ["a", "b"],
                                           rows: [["1", String(repeating: "word ", count: 9)], ["2", "short"]]), verdictColumn: nil)
        XCTAssertTrue(table.contains("<td>1</td><td class=\"long\">word word"), table)
        XCTAssertTrue(table.contains("<td>2</td><td class=\"long\">short</td>"), "the whole column: \(table)")
    }
}
