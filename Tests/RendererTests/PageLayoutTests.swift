import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Issue 19: pages that fit narrow screens (tables in their own scrolling box, scaled figures, a viewport), navigation
/// (heading anchors, table of contents, index/previous/next links), numbered tables and figures with links to their
/// files, dark-mode and print styles.
final class PageLayoutTests: XCTestCase {
    let directive = "```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n"

    func testTablesScrollInTheirOwnBoxAndThePageHasAViewport() throws {
        let (project, dir, _) = try makeProject(["r": "# T\n\nSome text with $x$.\n\n" + directive])
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ReportRenderer(project: project).render("r")
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        XCTAssertTrue(html.contains("<div class=\"table-wrap\">\n<table id=\"gaussian-mi-table\">"), "the analysis table is wrapped")
        XCTAssertTrue(html.contains("<div class=\"table-wrap\"><table><caption>Directives"), "the footer table is wrapped")
        // Every <table> opens inside a wrapper.
        XCTAssertEqual(html.components(separatedBy: "<table").count, html.components(separatedBy: "<div class=\"table-wrap\">").count)
        let style = PageTemplate.style
        XCTAssertTrue(style.contains(".table-wrap { max-width: 100%; overflow-x: auto;"))
        XCTAssertTrue(style.contains("figure .svg svg { display: block; max-width: 100%; height: auto;"))
        XCTAssertTrue(style.contains(".math.display { display: block; max-width: 100%; overflow-x: auto;"))
        XCTAssertTrue(style.contains("@media (prefers-color-scheme: dark)"))
        XCTAssertTrue(style.contains("@media print"))
        XCTAssertTrue(style.contains("break-after: avoid"), "print keeps a heading with what follows it")
        if !PageTemplate.katexAssets.js.isEmpty {
            XCTAssertTrue(html.contains("<script src=\"assets/katex/katex.min.js\"></script>"), "a page with math links KaTeX")
        }
    }

    func testIndexTableIsWrapped() throws {
        let (project, dir, _) = try makeProject(["a": "# A\n", "b": "# B\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = ReportRenderer(project: project).renderAll(["a", "b"])
        let index = try String(contentsOf: dir.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("<div class=\"table-wrap\"><table><caption>Reports"))
        XCTAssertTrue(index.contains("<a href=\"a.html\">A</a>") && index.contains("<a href=\"b.html\">B</a>"), "the index links every report")
        XCTAssertFalse(index.contains("<script>"), "a page without math carries no KaTeX")
        XCTAssertLessThan(index.utf8.count, 50_000)
    }

    func testNavigationLinksHeadingsAndContents() throws {
        let b = "# Report B\n\nIntro.\n\n## Methods\n\nText.\n\n### Data $x$\n\n## Methods\n\n## Results & more\n\n" + directive
        let (project, dir, _) = try makeProject(["a": "# Report A\n", "b": b, "c": "# Report C\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let results = renderer.renderAll(["a", "b", "c"]).results
        XCTAssertEqual(results.map(\.diagnostics), [[], [], []])
        let html = try String(contentsOf: dir.appendingPathComponent("site/b.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<a href=\"index.html\">All reports</a>"))
        XCTAssertTrue(html.contains("<a rel=\"prev\" href=\"a.html\">← Report A</a>"))
        XCTAssertTrue(html.contains("<a rel=\"next\" href=\"c.html\">Report C →</a>"))
        XCTAssertTrue(html.contains("<h1 id=\"sec-report-b\">Report B<a class=\"heading-anchor\" href=\"#sec-report-b\""))
        XCTAssertTrue(html.contains("<h2 id=\"sec-methods\">"))
        XCTAssertTrue(html.contains("<h2 id=\"sec-methods-2\">"), "a repeated heading gets a unique id")
        XCTAssertTrue(html.contains("<h3 id=\"sec-data-x\">Data <span class=\"math inline\">x</span>"))
        XCTAssertTrue(html.contains("<h2 id=\"sec-results-more\">"))
        XCTAssertTrue(html.contains("<nav class=\"toc\" aria-label=\"Contents\">"))
        XCTAssertTrue(html.contains("<li><a href=\"#sec-methods\">Methods</a>\n<ul>\n<li><a href=\"#sec-data-x\">Data <span class=\"math inline\">x</span></a></li>\n</ul>\n</li>"))
        // The contents follow the title.
        let h1End = try XCTUnwrap(html.range(of: "</h1>")), toc = try XCTUnwrap(html.range(of: "<nav class=\"toc\""))
        XCTAssertLessThan(h1End.lowerBound, toc.lowerBound)
        // Every same-page link has its target.
        let ids = PageNavigation.existingIDs(html)
        let fragments = try NSRegularExpression(pattern: "href=\"#([^\"]+)\"").matches(in: html, range: NSRange(html.startIndex..., in: html))
            .map { String(html[Range($0.range(at: 1), in: html)!]) }
        XCTAssertEqual(fragments.count, 9, "5 heading self-links, 4 contents entries")
        for f in fragments { XCTAssertTrue(ids.contains(f), "#\(f) has no target") }
        // The first and last reports have no previous / next link.
        let a = try String(contentsOf: dir.appendingPathComponent("site/a.html"), encoding: .utf8)
        XCTAssertFalse(a.contains("rel=\"prev\"")); XCTAssertTrue(a.contains("<a rel=\"next\" href=\"b.html\">Report B →</a>"))
        let c = try String(contentsOf: dir.appendingPathComponent("site/c.html"), encoding: .utf8)
        XCTAssertFalse(c.contains("rel=\"next\"")); XCTAssertFalse(a.contains("<nav class=\"toc\""), "no contents without sections")
        // Re-rendering gives the same bytes.
        _ = renderer.renderAll(["a", "b", "c"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("site/b.html"), encoding: .utf8), html)
    }

    func testTablesAndFiguresAreNumberedAndLinkTheirFiles() throws {
        let (project, dir, _) = try makeProject(["r": "# T\n\n" + directive])
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertEqual(try ReportRenderer(project: project).render("r").diagnostics, [])
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<caption><span class=\"table-number\">Table 1.</span> "))
        XCTAssertTrue(html.contains("<figcaption><span class=\"figure-number\">Figure 1.</span> "))
        for ext in ["dat", "gp", "svg"] {
            XCTAssertTrue(html.contains("href=\"figures/r/gaussian-mi.\(ext)\""), ext)
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("figures/r/gaussian-mi.\(ext)").path), ext)
            // The linked copy inside site/, identical to the figure folder's (site/ is published on its own).
            let published = dir.appendingPathComponent("site/figures/r/gaussian-mi.\(ext)")
            XCTAssertEqual(try Data(contentsOf: published), try Data(contentsOf: dir.appendingPathComponent("figures/r/gaussian-mi.\(ext)")), ext)
        }
        XCTAssertTrue(html.contains("<p class=\"report-links\">Report source: <a href=\"source/r.md\">r.md</a></p>"))
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("site/source/r.md"), encoding: .utf8), "# T\n\n" + directive)
        XCTAssertTrue(html.contains("<details class=\"parameters\"><summary>Parameters of <code>demo.gaussian_mi</code></summary>"
                                    + "<pre><code>rho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1</code></pre></details>"))
    }

    func testHeadingAnchorsOnOddInput() {
        // An unclosed heading is left alone, the scan stays linear, existing ids are never reused.
        let many = String(repeating: "<h2>x ", count: 20_000)
        let began = Date()
        let (out, hs) = PageNavigation.anchorHeadings(many + "<h3>y</h3>")
        XCTAssertLessThan(Date().timeIntervalSince(began), 2)
        XCTAssertEqual(hs.map(\.id), ["sec-y"])
        XCTAssertTrue(out.hasPrefix("<h2>x <h2>x "))
        let (out2, hs2) = PageNavigation.anchorHeadings("<p id=\"sec-a\"></p><h2>A</h2><h2 class=\"k\">B</h2><h2></h2>")
        XCTAssertEqual(hs2.map(\.id), ["sec-a-2", "sec-section"])
        XCTAssertTrue(out2.contains("<h2 class=\"k\">B</h2>"), "headings with attributes are not cmark's: untouched")
        XCTAssertEqual(PageNavigation.slug("Fig. 2 — über ρ & σ!"), "fig-2-über-ρ-σ")
        XCTAssertEqual(ReportRenderer.relativePath(from: URL(fileURLWithPath: "/p/site/paper"), to: URL(fileURLWithPath: "/p/figures/paper/r")),
                       "../../figures/paper/r")
    }

    func testCrossReferencesLinkNumberedFiguresAndTables() throws {
        let text = "# T\n\nSee @fig:gaussian-mi and @tbl:gaussian-mi-table. Not `@fig:gaussian-mi` in code; @fig:nope.\n\n" + directive
        let (project, dir, _) = try makeProject(["r": text])
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try ReportRenderer(project: project).render("r")
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("See <a class=\"xref\" href=\"#gaussian-mi\">Figure 1</a> and <a class=\"xref\" href=\"#gaussian-mi-table\">Table 1</a>. "))
        XCTAssertTrue(html.contains("<code>@fig:gaussian-mi</code>"), "code is left alone")
        XCTAssertTrue(html.contains("<span class=\"xref-missing\">@fig:nope (no such figure)</span>."))
        XCTAssertEqual(PageNavigation.crossReferences("<a href=\"@fig:x\">@fig:x</a> <pre>@tbl:y</pre>", labels: ["fig:x": "Figure 3"]),
                       "<a href=\"@fig:x\">@fig:x</a> <pre>@tbl:y</pre>", "no link inside a link")
        let long = String(repeating: "<b @fig:", count: 20_000)
        let began = Date()
        _ = PageNavigation.crossReferences(long, labels: [:])
        XCTAssertLessThan(Date().timeIntervalSince(began), 2, "linear on unclosed tags")
    }

    /// An unknown `@fig:` / `@tbl:` reference is bad input: an error at its file and line, in `render` and in
    /// `check`, and an error box on the page (the reference itself stays visible, marked missing).
    func testUnknownCrossReferenceIsADiagnosticAtItsLine() throws {
        let text = "# T\n\nSee @fig:gaussian-mi.\nAnd @fig:gaussian-mj, `@fig:in-code`,\n$@tbl:in-math$ and @tbl:compare-x.\n\n" + directive
        let (project, dir, _) = try makeProject(["r": text])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let rendered = try renderer.render("r").diagnostics
        XCTAssertEqual(rendered.map(\.line), [4, 5])
        XCTAssertEqual(rendered.map(\.file), ["reports/r.md", "reports/r.md"])
        XCTAssertTrue(rendered[0].message.hasPrefix("unknown cross-reference '@fig:gaussian-mj': no figure with id 'gaussian-mj' in this report "
                                                   + "(did you mean '@fig:gaussian-mi'?); it has gaussian-mi"), rendered[0].message)
        XCTAssertTrue(rendered[1].message.contains("no table with id 'compare-x'"), rendered[1].message)
        XCTAssertEqual(try renderer.compute("r").diagnostics, rendered, "check fails on exactly what render fails on")
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<div class=\"error\" role=\"alert\"><strong>reports/r.md:4</strong>: unknown cross-reference"))
        XCTAssertTrue(html.contains("<span class=\"xref-missing\">@fig:gaussian-mj (no such figure)</span>"))
        XCTAssertTrue(html.contains("<a class=\"xref\" href=\"#gaussian-mi\">Figure 1</a>."))
    }
}
