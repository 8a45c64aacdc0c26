import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A throwaway project folder with the given reports, using the demo analyses. Math is left to KaTeX in the browser
/// unless `buildTimeMath` (so that page assertions see the TeX spans; `SiteAssetsTests` covers build-time math).
func makeProject(_ reports: [String: String], buildTimeMath: Bool = false, file: StaticString = #filePath) throws -> (ReportProject, URL, () -> [String]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("reports"), withIntermediateDirectories: true)
    for (name, text) in reports { try text.write(to: dir.appendingPathComponent("reports/\(name).md"), atomically: true, encoding: .utf8) }
    var project = ReportProject(root: dir, registry: AnalysisRegistry(DemoCatalog.analyses))
    let box = LogBox()
    project.log = { box.lines.append($0) }
    project.buildTimeMath = buildTimeMath
    return (project, dir, { box.lines })
}

final class LogBox: @unchecked Sendable { var lines = [String]() }

final class EndToEndTests: XCTestCase {
    func testSmokeReportRendersChecksAndIsByteIdentical() throws {
        let smoke = try String(contentsOf: repoRoot.appendingPathComponent("reports/00-smoke.md"), encoding: .utf8)
        let (project, dir, logs) = try makeProject(["00-smoke": smoke])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let first = try renderer.render("00-smoke")
        XCTAssertEqual(first.diagnostics, [], "\(logs())")
        XCTAssertFalse(first.hasStoredValues)
        let htmlURL = dir.appendingPathComponent("site/00-smoke.html")
        let html = try String(contentsOf: htmlURL, encoding: .utf8)
        XCTAssertTrue(html.contains("<table id=\"compare\">"))
        XCTAssertTrue(html.contains("<table id=\"gaussian-mi-table\">"))
        XCTAssertTrue(html.contains("<svg role=\"img\" aria-label=\"Two panels: estimated mutual information"), "inline SVG with alt text")
        XCTAssertTrue(html.contains("id=\"fig-correlation-map-gnuplot_canvas\""), "SVG ids are prefixed per figure")
        XCTAssertFalse(html.contains("<?xml"), "XML prolog removed from inlined SVG")
        XCTAssertTrue(html.contains("<figcaption><span class=\"figure-number\">Figure 2.</span> Left: sample correlation matrix"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("figures/00-smoke/gaussian-mi.svg").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("figures/00-smoke/gaussian-mi.gp").path))
        XCTAssertTrue(html.contains("The closed form gives 0.736966 bits;"), "value substitution")
        XCTAssertTrue(html.contains("is 1.6096 bits."), "value at its significant figures")
        XCTAssertNotNil(html.range(of: "= 1\\.[0-9]{2,3} ± 0\\.[0-9]{2,3} bits \\(error from 10 batch means\\)", options: .regularExpression), "value ± error")
        XCTAssertTrue(html.contains("<td>0.736966</td><td>0.736966 bits</td><td>−4.1e−07</td><td>— (σ = 0)</td>"
                                    + "<td class=\"long\">0.0000005 (the value is quoted to six decimals: half a unit in the last place)</td>"
                                    + "<td class=\"agrees-tol\">agrees within tolerance</td>"), "compare row")
        XCTAssertEqual(first.tally, VerdictTally(agrees: 3, withinTolerance: 1, differs: 0))
        XCTAssertFalse(html.components(separatedBy: "<footer>")[0].contains("{{"), "no unsubstituted values")
        XCTAssertTrue(html.contains("<span class=\"math display\">"))
        XCTAssertTrue(html.contains("class=\"agrees\""))

        // A second render (from the cache) gives identical bytes.
        _ = try renderer.render("00-smoke")
        XCTAssertEqual(try Data(contentsOf: htmlURL), Data(html.utf8))
        XCTAssertTrue(logs().contains { $0.hasSuffix("... cached") })

        // Accept, then check passes; an edited stored value makes it fail.
        let computed = try renderer.compute("00-smoke")
        let changes = try ValueStore.accept(computed, at: project.valuesURL("00-smoke"), only: nil)
        XCTAssertEqual(changes.count, 5)
        XCTAssertTrue(try renderer.compute("00-smoke").passed)
        var stored = try XCTUnwrap(StoredValues.load(project.valuesURL("00-smoke")))
        stored.values["demo.mi_largest_n"]!.value += 0.5
        try stored.write(project.valuesURL("00-smoke"))
        let drifted = try renderer.compute("00-smoke")
        XCTAssertFalse(drifted.passed)
        XCTAssertEqual(drifted.checks.first { $0.name == "demo.mi_largest_n" }?.status, .drift)
        // Accepting records the replaced value in the history.
        _ = try ValueStore.accept(drifted, at: project.valuesURL("00-smoke"), only: nil)
        let after = try XCTUnwrap(StoredValues.load(project.valuesURL("00-smoke")))
        XCTAssertEqual(after.values["demo.mi_largest_n"]?.history.count, 1)
        XCTAssertTrue(try renderer.compute("00-smoke").passed)
    }

    func testCacheKeyChangesWithParameters() throws {
        let report = "# T\n\n```{run demo.gaussian_mi}\nrho: 0.5\nsamples: [50, 100]\nrepeats: 3\n```\n"
        let (project, dir, logs) = try makeProject(["t": report])
        defer { try? FileManager.default.removeItem(at: dir) }
        var explaining = project
        explaining.explain = true
        _ = try ReportRenderer(project: explaining).render("t")
        try report.replacingOccurrences(of: "rho: 0.5", with: "rho: 0.6")
            .write(to: project.sourceURL("t"), atomically: true, encoding: .utf8)
        _ = try ReportRenderer(project: explaining).render("t")
        XCTAssertTrue(logs().contains { $0.contains("re-running because parameters changed") }, "\(logs())")
    }
}

final class DiagnosticsTests: XCTestCase {
    func diagnostics(_ source: String) throws -> ([ReportDiagnostic], String) {
        let (project, dir, _) = try makeProject(["bad": source])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ReportRenderer(project: project).render("bad")
        return (r.diagnostics, try String(contentsOf: dir.appendingPathComponent("site/bad.html"), encoding: .utf8))
    }

    func testUnclosedFence() throws {
        let (d, html) = try diagnostics("# Bad\n\ntext\n\n```{run demo.gaussian_mi}\nrho: 0.5\n")
        XCTAssertEqual(d.map(\.line), [5])
        XCTAssertTrue(d[0].message.contains("unclosed code fence opened at line 5"), d[0].message)
        XCTAssertTrue(html.contains("class=\"error\""))
    }

    func testUnclosedPlainFenceBeforeDirective() throws {
        // A plain code block left open swallows the directive after it: that must be reported, not silently skipped.
        let (d, html) = try diagnostics("# Bad\n\n~~~python\nprint(1)\n\n```{run demo.gaussian_mi}\nrho: 0.5\n```\n")
        XCTAssertEqual(d.map(\.line), [3])
        XCTAssertTrue(d[0].message.contains("unclosed code fence opened at line 3"), d[0].message)
        XCTAssertTrue(html.contains("class=\"error\""))
    }

    func testUnknownAnalysis() throws {
        let (d, html) = try diagnostics("# Bad\n\n```{run demo.nope}\nx: 1\n```\n\nStill rendered.\n")
        XCTAssertEqual(d.map(\.line), [3])
        XCTAssertTrue(d[0].message.contains("unknown analysis 'demo.nope'"))
        XCTAssertTrue(d[0].description.hasPrefix("reports/bad.md:3:"), d[0].description)
        XCTAssertTrue(html.contains("Still rendered."), "the rest of the page is still written")
    }

    func testMalformedParameterLine() throws {
        let (d, _) = try diagnostics("# Bad\n\n```{run demo.gaussian_mi}\nrho: 0.5\nthis line has no colon\n```\n")
        XCTAssertEqual(d.map(\.line), [5])
        XCTAssertTrue(d[0].message.contains("malformed parameter line"), d[0].message)
    }

    func testNonNumericParameter() throws {
        let (d, _) = try diagnostics("# Bad\n\n```{run demo.gaussian_mi}\nrepeats: 5\nrho: lots\n```\n")
        XCTAssertEqual(d.map(\.line), [5])
        XCTAssertTrue(d[0].message.contains("parameter 'rho': expected a number, got 'lots'"), d[0].message)
    }

    func testUnknownParameterAndUnknownValue() throws {
        let (d, _) = try diagnostics("# Bad\n\n```{run demo.gaussian_mi}\nrho: 0.5\nrepeats: 3\nsamples: [10]\nsed: 3\n```\n\nSee {{demo.nothing}}.\n")
        XCTAssertEqual(Set(d.map(\.line)), [7, 10])
        XCTAssertTrue(d.contains { $0.message.contains("'sed': unknown parameter") }, "\(d)")
        XCTAssertTrue(d.contains { $0.message.contains("unknown value '{{demo.nothing}}'") }, "\(d)")
    }

    func testCompareRowErrors() throws {
        let (d, _) = try diagnostics("# Bad\n\n```{compare}\nclaim | abc | demo.mi_exact | 0.1\nclaim | 1 | demo.missing | 0.1\n```\n")
        XCTAssertEqual(d.map(\.line).sorted(), [4, 5])
    }

    func testMathIsProtectedFromEmphasis() throws {
        let (d, html) = try diagnostics("# M\n\nInline $a_1 * b_2 * c$ and `code $x$` stays.\n")
        XCTAssertEqual(d, [])
        XCTAssertTrue(html.contains("<span class=\"math inline\">a_1 * b_2 * c</span>"))
        XCTAssertTrue(html.contains("<code>code $x$</code>"))
    }
}

final class FormattingTests: XCTestCase {
    func testSignificantFigures() {
        XCTAssertEqual(ValueFormatting.format(0.7369655, figures: 3), "0.737")
        XCTAssertEqual(ValueFormatting.format(1234.5, figures: 2), "1234")
        XCTAssertEqual(ValueFormatting.format(-0.0001234, figures: 2), "−0.00012")
        XCTAssertEqual(ValueFormatting.format(0.737, error: 0.0021, figures: 3), "0.7370 ± 0.0021")
        XCTAssertEqual(ValueFormatting.format(12.0, error: 0.05, figures: 2), "12.00 ± 0.05")
        XCTAssertEqual(ValueFormatting.format(0.00369, error: 0.00172, figures: 3), "0.0037 ± 0.0017")
        XCTAssertEqual(ValueFormatting.format(-0.0153, error: 0.0052, figures: 3), "−0.015 ± 0.005")
        XCTAssertEqual(ValueFormatting.format(0.9738, error: 0.0008, figures: 3), "0.9738 ± 0.0008")
    }

    /// Issue 19 §5: a whole number without an error (a count) prints as an integer; measured values keep their digits.
    func testCountsPrintAsIntegers() {
        XCTAssertEqual(ValueFormatting.format(Scalar("n", 457, significantFigures: 4), withError: false), "457")
        XCTAssertEqual(ValueFormatting.format(Scalar("n", -3, significantFigures: 3), withError: true), "−3")
        XCTAssertEqual(ValueFormatting.format(Scalar("x", 12, error: 0.05, significantFigures: 2), withError: true), "12.00 ± 0.05")
        XCTAssertEqual(ValueFormatting.format(Scalar("x", 12, error: 0.05, significantFigures: 3), withError: false), "12.0")
        XCTAssertEqual(ValueFormatting.format(Scalar("x", 0.5, significantFigures: 2), withError: false), "0.50")
    }
}

final class AcceptTests: XCTestCase {
    func testAcceptRejectsUnknownOnlyNamesAndWritesEmptyReference() throws {
        let (project, dir, _) = try makeProject(["plain": "# No values\n\nJust prose.\n",
                                                 "demo": "# D\n\n```{run demo.gaussian_mi}\nrho: 0.5\nsamples: [50]\nrepeats: 3\n```\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let plain = try renderer.compute("plain")
        XCTAssertFalse(plain.passed, "no stored values yet")
        _ = try ValueStore.accept(plain, at: project.valuesURL("plain"), only: nil)
        XCTAssertTrue(try renderer.compute("plain").passed, "an empty reference lets a value-free report pass")
        let demo = try renderer.compute("demo")
        XCTAssertThrowsError(try ValueStore.accept(demo, at: project.valuesURL("demo"), only: ["demo.nope"])) { e in
            XCTAssertTrue("\(e)".contains("demo.nope"), "\(e)")
        }
    }
}
