import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Issue 14, section 3: no silently dropped output from stray `$`, unclosed fences or bad compare rows; section 9: a
/// prose transform linear in its input.
final class ProseReliabilityTests: XCTestCase {
    let directive = "```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n"

    func render(_ text: String) throws -> (ReportResult, String) {
        let (project, dir, _) = try makeProject(["r": text])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ReportRenderer(project: project).render("r")
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        return (r, html.components(separatedBy: "<footer>")[0])
    }

    func assertDirectiveRendered(_ html: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(html.contains("<table id=\"gaussian-mi-table\">"), "the directive's table is on the page", file: file, line: line)
        XCTAssertFalse(html.contains("{run demo"), "the directive fence is not shown as text", file: file, line: line)
    }

    func testDirectiveBetweenDollarAmountsIsRendered() throws {
        let (r, html) = try render("# T\n\nIt costs $5 per run.\n\n" + directive + "\nor $10 for two; exact {{demo.mi_exact}} bits.\n")
        assertDirectiveRendered(html)
        XCTAssertEqual(r.diagnostics.map(\.line), [3, 12], "\(r.diagnostics)")
        XCTAssertTrue(r.diagnostics.allSatisfy { $0.message.contains("unclosed math") })
        XCTAssertTrue(html.contains("It costs $5 per run."), "the unclosed '$' stays text")
        XCTAssertTrue(html.contains(String(format: "%.3f", -0.5 * log2(1 - 0.09))), "the value after it is substituted")
    }

    func testStrayDollarDoesNotLoseLaterDirectives() throws {
        let (r, html) = try render("# T\n\nA stray $ sign and $x.\n\n" + directive + "\nThen $a$ and {{demo.mi_exact}}.\n\n" + directive)
        XCTAssertEqual(html.components(separatedBy: "<table id=\"gaussian-mi-table\">").count, 3, "both directives rendered")
        XCTAssertEqual(r.diagnostics.filter { $0.message.contains("unclosed math") }.map(\.line), [3])
        XCTAssertTrue(html.contains("<span class=\"math inline\">a</span>"), "later math still recognised")
    }

    func testFenceEndsAnOpenMathSpan() throws {
        let (r, html) = try render("# T\n\n$$\nx = 1\n" + directive + "$$\n")
        assertDirectiveRendered(html)
        XCTAssertEqual(r.diagnostics.map(\.line), [3, 11], "\(r.diagnostics)")
        // Display math that spans lines within its paragraph is still math.
        let (ok, okHTML) = try render("# T\n\n$$\nx = 1\n$$\n\n" + directive)
        XCTAssertEqual(ok.diagnostics, [])
        XCTAssertTrue(okHTML.contains("<span class=\"math display\">\nx = 1\n</span>"))
    }

    func testUnclosedCodeFenceSwallowingADirectiveIsReported() throws {
        let (r, _) = try render("# T\n\n```python\nprint(1)\n\n" + directive + "\nText.\n")
        XCTAssertEqual(r.diagnostics.map(\.line), [3], "\(r.diagnostics)")
        XCTAssertTrue(r.diagnostics.first?.message.contains("swallows") ?? false)
        XCTAssertTrue(MarkdownDocument.looksLikeDirectiveFence("~~~ {compare}"))
        XCTAssertFalse(MarkdownDocument.looksLikeDirectiveFence("    ```{run x}"), "indented code is not a fence")
    }

    func testInfiniteToleranceAndNaNPaperValueAreErrorsAtTheirRow() throws {
        let report = "# T\n\n```{compare}\nexact | nan | demo.mi_exact | 0\nexact | 0.047 | demo.mi_exact | inf | any\n"
            + "exact | 0.047 ± nan | demo.mi_exact | 0\nexact | 1e999 | demo.mi_exact | 0\nfine | 0.047 | demo.mi_exact | 0.01 | two decimals\n```\n\n" + directive
        let (r, html) = try render(report)
        XCTAssertEqual(r.diagnostics.map(\.line), [4, 5, 6, 7], "\(r.diagnostics)")
        assertDirectiveRendered(html)
        XCTAssertEqual(r.tally.total, 1, "the good row still gets its verdict")
    }

    func testRealReportsTransformWithoutProblems() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: repoRoot.appendingPathComponent("reports").path).filter { $0.hasSuffix(".md") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let text = try String(contentsOf: repoRoot.appendingPathComponent("reports/\(name)"), encoding: .utf8)
            var t = ProseTransform()
            let out = t.apply(text, file: name) { _ in "1.0" }
            XCTAssertEqual(t.problems, [], name)
            var u = ProseTransform()
            let parsed = u.apply(text, file: name, codeLines: MarkdownDocument.codeBlockLines(in: text)) { _ in "1.0" }
            XCTAssertEqual(parsed, out, "\(name): code blocks found by cmark give the same transform as top-level fences")
            XCTAssertEqual(out.split(separator: "\n", omittingEmptySubsequences: false).count,
                           text.split(separator: "\n", omittingEmptySubsequences: false).count, "\(name) keeps its lines")
        }
    }

    /// Linear, structurally: the transform's character visits stay within a fixed multiple of the input size for inputs
    /// that made the old one quadratic (many math spans, many unclosed `{{` and unmatched backticks on one line, many
    /// unclosable `$`), at two sizes four times apart.
    func testProseTransformIsLinear() {
        func visits(_ s: String) -> Int {
            var t = ProseTransform()
            _ = t.apply(s, file: "f") { _ in "v" }
            return t.steps
        }
        let builders: [(Int) -> String] = [
            { n in (0..<n).map { "$a_{\($0)}$" }.joined(separator: " ") },
            { n in String(repeating: "{{x ", count: n) },
            { n in (0..<n).map { String(repeating: "`", count: 1 + $0 % 7) + "a" }.joined() },
            { n in (0..<n).map { "$\($0) " }.joined() },
            { n in String(repeating: "$$ x ", count: n) },
            { n in (0..<n).map { _ in "{{v}} `c` $m$\n" }.joined() },
        ]
        for (k, build) in builders.enumerated() {
            for n in [2_000, 8_000] {
                let s = build(n)
                XCTAssertLessThanOrEqual(visits(s), 6 * s.utf8.count, "case \(k), n = \(n)")
            }
        }
    }
}
