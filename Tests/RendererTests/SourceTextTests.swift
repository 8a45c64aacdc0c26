import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Reports with CRLF, CR-only and mixed line endings, invalid UTF-8, unclosed `{{`, and many math spans.
final class SourceTextTests: XCTestCase {
    /// A small report whose directive must run with `rho: 0.3` and whose prose names its value.
    let report = "# Endings\n\nText with $x$.\n\n```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n\nExact {{demo.mi_exact}} bits.\n\n```python\nrho: 0.9\n```\n"

    func renderBytes(_ bytes: [UInt8]) throws -> (ReportResult, String) {
        let (project, dir, _) = try makeProject([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(bytes).write(to: dir.appendingPathComponent("reports/r.md"))
        let r = try ReportRenderer(project: project).render("r")
        return (r, try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8))
    }

    func testCRLFCROnlyAndMixedEndingsRenderLikeLF() throws {
        let (lf, lfHTML) = try renderBytes(Array(report.utf8))
        XCTAssertEqual(lf.diagnostics, [])
        let exact = -0.5 * log2(1 - 0.3 * 0.3)
        XCTAssertTrue(lfHTML.contains(String(format: "%.3f", exact)), "directive ran with rho 0.3")
        let crlf = report.replacingOccurrences(of: "\n", with: "\r\n")
        let cr = report.replacingOccurrences(of: "\n", with: "\r")
        var mixed = "", k = 0
        for ch in report { if ch == "\n" { mixed += ["\n", "\r\n", "\r"][k % 3]; k += 1 } else { mixed.append(ch) } }
        for variant in [crlf, cr, mixed] {
            let (r, html) = try renderBytes(Array(variant.utf8))
            XCTAssertEqual(r.diagnostics, [], "\(variant.debugDescription)")
            XCTAssertEqual(r.scalars.first { $0.name == "demo.mi_exact" }?.value ?? .nan, exact, accuracy: 1e-12)
            XCTAssertEqual(html.components(separatedBy: "<footer").first, lfHTML.components(separatedBy: "<footer").first)
        }
    }

    func testInvalidUTF8IsAnErrorAtItsLineAndThePageIsStillWritten() throws {
        var bytes = Array("# Bad bytes\n\nfine line\n".utf8)
        bytes += [0x61, 0xFF, 0x62, 0x0A]           // line 4
        bytes += Array("\n```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n".utf8)
        let (r, html) = try renderBytes(bytes)
        XCTAssertEqual(r.diagnostics.map(\.line), [4], "\(r.diagnostics)")
        XCTAssertTrue(r.diagnostics[0].message.contains("invalid UTF-8"))
        XCTAssertTrue(html.contains("class=\"error\""))
        XCTAssertNotNil(r.scalars.first { $0.name == "demo.mi_exact" }, "the directive after the bad line still ran")
        XCTAssertEqual(ReportSource.firstInvalidUTF8(Array("é€𝄞".utf8)), nil)
        XCTAssertEqual(ReportSource.firstInvalidUTF8([0xC0, 0x80]), 0, "overlong")
        XCTAssertEqual(ReportSource.firstInvalidUTF8([0x41, 0xED, 0xA0, 0x80]), 1, "surrogate")
        XCTAssertEqual(ReportSource.firstInvalidUTF8([0x41, 0xE2, 0x82]), 1, "truncated")
    }

    func testUnclosedValueReferenceIsAnError() throws {
        let (r, _) = try renderBytes(Array("# T\n\nline\nsee {{demo.mi_exact and more\n".utf8))
        XCTAssertEqual(r.diagnostics.map(\.line), [4])
        XCTAssertTrue(r.diagnostics[0].message.contains("unclosed '{{'"))
    }

    func testManyMathSpansAreRestoredInOrder() {
        var t = ProseTransform()
        let n = 10_000
        let source = (0..<n).map { "$a_{\($0)}$" }.joined(separator: " ")
        let out = t.apply(source, file: "f", lookup: { _ in nil })
        XCTAssertEqual(t.math.count, n)
        let html = t.restoreMath(in: out)
        XCTAssertFalse(html.contains("KATEXMATHPLACEHOLDER"))
        XCTAssertTrue(html.hasPrefix("<span class=\"math inline\">a_{0}</span> <span class=\"math inline\">a_{1}</span>"))
        XCTAssertTrue(html.hasSuffix("a_{\(n - 1)}</span>"))
        XCTAssertEqual(t.restoreMath(in: "KATEXMATHPLACEHOLDER99999Z KATEXMATHPLACEHOLDER"), "KATEXMATHPLACEHOLDER99999Z KATEXMATHPLACEHOLDER",
                       "unknown or truncated placeholders are left as they are")
    }
}

/// Free text that reaches a gnuplot script cannot inject commands.
final class GnuplotQuotingTests: XCTestCase {
    func testLineBreaksCannotEndAGnuplotCommand() {
        XCTAssertFalse(GnuplotFigure.quote("a\nsystem('rm x')").contains("\n"))
        XCTAssertFalse(GnuplotFigure.quote("a\rb").contains("\r"))
        XCTAssertEqual(GnuplotFigure.quote("it's"), "'it''s'")
        var fig = FigureTests.everything
        fig.id = "x\nsystem('touch injected')"
        fig.caption = "line one\r\nset output 'elsewhere.svg'"
        let script = GnuplotFigure.script(fig, dataName: "d.dat", svgName: "s.svg")
        XCTAssertFalse(script.contains("\nsystem("))
        XCTAssertFalse(script.contains("\nset output 'elsewhere.svg'"))
    }
}
