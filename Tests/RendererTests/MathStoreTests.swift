import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 19: the committed math store. With Node it records each page's formulas; without Node a page whose
/// formulas are all stored is byte-identical to the Node page, a missing formula falls back to the browser with a
/// warning, and stale entries are reported (and removed by a render of every report with Node).
final class MathStoreTests: XCTestCase {
    override func tearDown() { PageMath.nodeOverride = nil }

    static let t = "# T\n\nInline $x^2 + y$ and $\\alpha$.\n\n$$\\sum_{i=1}^n a_i$$\n"
    static let u = "# U\n\nOnly $\\beta$.\n"

    func testStoreGivesTheNodePageWithoutNodeAndWarnsOnMissingFormulas() throws {
        guard PageMath.available else { throw XCTSkip("needs Node and KaTeX") }
        let (project, dir, logs) = try makeProject(["t": Self.t, "u": Self.u], buildTimeMath: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        let storeURL = MathStore.url(in: project.reportsFolder)
        let pageURL = project.siteFolder.appendingPathComponent("t.html")
        let renderer = ReportRenderer(project: project)

        // No store file: pages as before, and none is created.
        XCTAssertEqual(try renderer.render("t").diagnostics, [])
        XCTAssertFalse(fm.fileExists(atPath: storeURL.path))
        let nodePage = try Data(contentsOf: pageURL)
        XCTAssertFalse(String(decoding: nodePage, as: UTF8.self).contains("katex.min.js"))

        // A kept store (here from another KaTeX, so started afresh): a render of both reports fills it.
        var seed = MathStore(katex: "another katex")
        seed.inline["old"] = .init(html: "<math></math>", error: nil)
        try seed.encoded().write(to: storeURL)
        _ = renderer.renderAll(["t", "u"])
        let store = try XCTUnwrap(MathStore.load(storeURL))
        XCTAssertEqual(store.katex, PageMath.katexHash)
        XCTAssertEqual(Set(store.inline.keys), ["x^2 + y", "\\alpha", "\\beta"])
        XCTAssertEqual(Set(store.display.keys), ["\\sum_{i=1}^n a_i"])
        let stored = try Data(contentsOf: storeURL)
        _ = renderer.renderAll(["t", "u"])
        XCTAssertEqual(try Data(contentsOf: storeURL), stored, "deterministic: a second render leaves the store byte for byte")
        XCTAssertEqual(try Data(contentsOf: pageURL), nodePage)

        // Without Node: the same page, byte for byte, and `check` sees no math problem.
        PageMath.nodeOverride = false
        try fm.removeItem(at: pageURL)
        XCTAssertEqual(try renderer.render("t").diagnostics, [])
        XCTAssertEqual(try Data(contentsOf: pageURL), nodePage, "all formulas stored: the Node page")
        XCTAssertEqual(try renderer.compute("t").diagnostics, [])

        // A formula missing: the browser fallback, with a warning naming the count and the first TeX.
        var lacking = store
        let alpha = lacking.inline.removeValue(forKey: "\\alpha")
        try lacking.encoded().write(to: storeURL)
        _ = try renderer.render("t")
        let fallback = String(decoding: try Data(contentsOf: pageURL), as: UTF8.self)
        XCTAssertTrue(fallback.contains("assets/katex/katex.min.js"), "math left to the browser")
        XCTAssertTrue(logs().contains { $0.contains("1 of 3 formula(s) not in reports/math-store.json (first: '\\alpha')") }, "\(logs())")

        // A stale entry: reported after a render of every report without Node, and kept.
        var extra = store
        extra.inline["\\alpha"] = alpha
        extra.display["\\unused"] = .init(html: "<math></math>", error: nil)
        try extra.encoded().write(to: storeURL)
        _ = renderer.renderAll(["t", "u"])
        XCTAssertTrue(logs().contains { $0.contains("math store: 1 stale entry no page uses (first: '\\unused')") }, "\(logs())")
        XCTAssertNotNil(MathStore.load(storeURL)?.display["\\unused"])
        // A render of only some reports does not call anything stale.
        let before = logs().count
        _ = renderer.renderAll(["t"])
        XCTAssertFalse(logs().dropFirst(before).contains { $0.contains("stale") })

        // With Node, a render of every report removes it: the store is again exactly the site's formulas.
        PageMath.nodeOverride = nil
        _ = renderer.renderAll(["t", "u"])
        XCTAssertTrue(logs().contains { $0.contains("math store: removed 1 stale entry no page uses (first: '\\unused')") }, "\(logs())")
        XCTAssertEqual(try Data(contentsOf: storeURL), stored)
        XCTAssertEqual(try fm.contentsOfDirectory(atPath: project.reportsFolder.path).sorted(), ["math-store.json", "t.md", "u.md"])
    }

    func testStoreFileIsSortedAndReadable() throws {
        var s = MathStore(katex: "k")
        s.record([PageMath.Formula(tex: "b", display: false), PageMath.Formula(tex: "a", display: true)],
                 [("<math>b</math>", nil), ("<math>a</math>", "bad")])
        let text = String(decoding: try s.encoded(), as: UTF8.self)
        XCTAssertTrue(text.hasSuffix("}\n"))
        XCTAssertLessThan(text.range(of: "\"display\"")!.lowerBound, text.range(of: "\"inline\"")!.lowerBound)
        XCTAssertTrue(text.contains("\"<math>b</math>\""), "no escaped slashes")
        let (found, missing) = s.lookup([PageMath.Formula(tex: "a", display: true), PageMath.Formula(tex: "a", display: false)])
        XCTAssertNil(found); XCTAssertEqual(missing, [PageMath.Formula(tex: "a", display: false)])
        XCTAssertEqual(s.lookup([PageMath.Formula(tex: "a", display: true)]).typeset?.first?.error, "bad")
        XCTAssertEqual(s.stale(used: [MathStore.key(PageMath.Formula(tex: "b", display: false))]), [PageMath.Formula(tex: "a", display: true)])
    }
}
