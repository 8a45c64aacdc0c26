import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Every figure feature goes through gnuplot, and the SVG is byte-identical across runs and folders.
final class FigureTests: XCTestCase {
    static let everything = Figure(
        id: "all-styles", caption: "All styles", altText: "A test figure",
        panels: [
            Panel(title: "series", xLabel: "x", yLabel: "y", logY: true, series: [
                Series(label: "lines", style: .lines, x: [1, 2, 3], y: [1, 10, 100]),
                Series(label: "points", style: .points, x: [1, 2, 3], y: [2, 20, 200]),
                Series(label: "linesPoints", style: .linesPoints, x: [1, 2, 3], y: [3, 30, 300]),
                Series(label: "errorBars", style: .errorBars, x: [1, 2, 3], y: [4, 40, 400], yError: [1, 5, 50]),
                Series(label: "errorLines", style: .errorLines, x: [1, 2, 3], y: [5, 50, 500], yError: [1, 5, 50]),
                Series(label: "steps", style: .steps, x: [1, 2, 3], y: [6, 60, 600]),
                Series(label: "it's boxes", style: .boxes, x: [1, 2, 3], y: [7, 70, 700]),
                Series(label: "", style: .lines, x: [1, 2, 3], y: [8, 80, 800], color: "gray70"),
            ]),
            Panel(title: "matrix", heatmap: Heatmap(values: [[1, 0.5], [0.5, 1]], rowLabels: ["a", "b"], columnLabels: ["a", "b"],
                                                    showNumbers: true)),
            Panel(title: "density", xLabel: "u", yLabel: "v", series: [Series(label: "ridge", style: .lines, x: [0, 1], y: [0, 1])],
                  heatmap: Heatmap(values: (0..<9).map { r in (0..<9).map { c in Double(r * c) } }, contours: true, extent: [0, 1, 0, 1])),
            Panel(title: "empty"),
        ], columns: 2, panelWidth: 300, panelHeight: 240)

    func render(in dir: URL) throws -> Data {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try GnuplotFigure.render(Self.everything, in: dir)
    }

    func testAllFeaturesRenderDeterministically() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-fig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let a = try render(in: base.appendingPathComponent("a"))
        let b = try render(in: base.appendingPathComponent("b"))
        XCTAssertEqual(a, b, "same figure, same SVG bytes")
        let svg = String(decoding: a, as: UTF8.self)
        XCTAssertTrue(svg.contains("<svg"))
        XCTAssertTrue(svg.contains("width=\"600\" height=\"480\""), "size = panel size × layout")
        XCTAssertFalse(svg.contains("Date") || svg.contains("2026"), "no timestamps")
        XCTAssertTrue(svg.contains("<image style='image-rendering:pixelated'"), "heatmap cells stay crisp")
        let script = try String(contentsOf: base.appendingPathComponent("a/all-styles.gp"), encoding: .utf8)
        XCTAssertTrue(script.contains("set multiplot layout 2,2"))
        XCTAssertTrue(script.contains("set logscale y"))
        XCTAssertTrue(script.contains("with image"))
        XCTAssertTrue(script.contains("with labels"))
        XCTAssertTrue(script.contains("set contour base"))
        XCTAssertTrue(script.contains("'it''s boxes'"), "quotes in titles are escaped")
        XCTAssertTrue(script.contains("with lines lw 2 lc rgb 'gray70' notitle"), "fixed colour, no key entry for an empty label")
    }

    func testGnuplotNotRerunWhenInputsUnchanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-fig-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try render(in: dir)
        let svgURL = dir.appendingPathComponent("all-styles.svg")
        // Mark the SVG; an unchanged figure must reuse it instead of re-running gnuplot.
        var marked = try Data(contentsOf: svgURL)
        marked.append(contentsOf: Array("<!-- marker -->".utf8))
        try marked.write(to: svgURL)
        XCTAssertEqual(try render(in: dir), marked)
    }

    func testInlineSVGPrefixesAndDeduplicatesIds() {
        let svg = Data("""
        <?xml version="1.0"?>
        <svg width="1">
        <title>Gnuplot</title>
        <defs><path id='gpPt0'/><use xlink:href='#gpPt0' id='gpPt1'/></defs>
        <g id="plot_1"></g><g id="plot_1"></g>
        </svg>

        """.utf8)
        let out = InlineSVG.prepare(svg, figureID: "fig 2", label: "a <b> chart")
        XCTAssertTrue(out.hasPrefix("<svg role=\"img\" aria-label=\"a &lt;b&gt; chart\" width=\"1\">"), out)
        XCTAssertTrue(out.contains("<title>a &lt;b&gt; chart</title>"))
        XCTAssertTrue(out.contains("id='fig-fig-2-gpPt0'") && out.contains("xlink:href='#fig-fig-2-gpPt0'"))
        XCTAssertTrue(out.contains("id=\"fig-fig-2-plot_1\"") && out.contains("id=\"fig-fig-2-plot_1-2\""))
        XCTAssertTrue(out.hasSuffix("</svg>"))
    }
}

/// The kept `.svg` files start with their XML prolog, as XML requires (the figure key used to precede the XML prolog, so a browser
/// refused the file when it was opened directly), and a kept SVG with the right key is reused without gnuplot.
final class FigureFileTests: XCTestCase {
    func testKeptSVGIsWellFormedXMLAndItsKeyIsHonoured() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-svgxml-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fig = Figure(id: "f", caption: "c", altText: "a",
                         panels: [Panel(title: "p", xLabel: "x", yLabel: "y",
                                        series: [Series(label: "s", style: .lines, x: [0, 1], y: [0, 1])])])
        let first = try GnuplotFigure.render(fig, in: dir)
        let text = String(decoding: first, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("<?xml"), "nothing may precede the XML prolog")
        XCTAssertTrue(text.split(separator: "\n", maxSplits: 2)[1].hasPrefix("<!-- replicate figure key "))
        XCTAssertEqual(text.components(separatedBy: "<?xml").count, 2, "one prolog, at the start")
        // Reused as kept (same bytes); an SVG in the old layout (key before the prolog) is redrawn.
        XCTAssertEqual(try GnuplotFigure.render(fig, in: dir), first)
        let svgURL = dir.appendingPathComponent("f.svg")
        let keyLine = String(text.split(separator: "\n", maxSplits: 2)[1]) + "\n"
        let prolog = String(text.split(separator: "\n", maxSplits: 1)[0]) + "\n"
        let oldLayout = keyLine + prolog + text.dropFirst(prolog.count + keyLine.count)
        try Data(oldLayout.utf8).write(to: svgURL)
        XCTAssertFalse(GnuplotFigure.carriesKey(Data(oldLayout.utf8), key: String(keyLine.dropFirst(26).prefix(64))))
        XCTAssertEqual(try GnuplotFigure.render(fig, in: dir), first, "redrawn in the new layout")
    }
}
