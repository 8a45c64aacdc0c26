import AnalysisKit
import DemoAnalyses
import Foundation
import XCTest
@testable import Renderer

/// Issue 19 §5 and the math check: values in prose show their unit (unless the prose writes it), counts print as
/// integers, and a formula KaTeX cannot typeset fails `check` as well as `render`, at its file and line.
final class ProseValuesTests: XCTestCase {
    func testProseValuesCarryTheirUnitOnce() {
        let mi = Scalar("x.mi", 0.734, error: 0.012, significantFigures: 3, unit: "nats")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: true, following: "; the next"), "0.734 ± 0.012 nats")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: ""), "0.734 nats")
        // The prose writes the unit itself: not repeated.
        XCTAssertEqual(ValueFormatting.prose(mi, withError: true, following: " nats, as"), "0.734 ± 0.012")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: "\u{00A0}nats"), "0.734")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: " nats."), "0.734")
        // A longer word that starts with the unit is not the unit.
        let b = Scalar("x.b", 2, significantFigures: 3, unit: "bit")
        XCTAssertEqual(ValueFormatting.prose(b, withError: false, following: " bitstream"), "2 bit")
        // Ranges and pairs: the last value carries the unit.
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: "–{{x.high}} nats"), "0.734")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: " to {{x.high}}"), "0.734")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: "/{{x.other}}"), "0.734")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: true, following: ", {{x.b}} and {{x.c}} nats"), "0.734 ± 0.012")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: ", which"), "0.734 nats")
        XCTAssertEqual(ValueFormatting.prose(mi, withError: false, following: " and the rest"), "0.734 nats")
        // Percent after a space, degrees directly after the number; no unit, nothing added.
        XCTAssertEqual(ValueFormatting.prose(Scalar("p", 12.5, significantFigures: 3, unit: "%"), withError: false, following: ""), "12.5 %")
        XCTAssertEqual(ValueFormatting.prose(Scalar("p", 12.5, significantFigures: 3, unit: "%"), withError: false, following: "% of"), "12.5")
        XCTAssertEqual(ValueFormatting.prose(Scalar("a", 2.83, significantFigures: 3, unit: "°"), withError: false, following: " apart"), "2.83°")
        XCTAssertEqual(ValueFormatting.prose(Scalar("n", 0.5, significantFigures: 2), withError: false, following: " nats"), "0.50")
        // A count (whole number, no error) prints as an integer, with its unit.
        XCTAssertEqual(ValueFormatting.prose(Scalar("c", 457, significantFigures: 3, unit: "cells"), withError: false, following: ""), "457 cells")
        XCTAssertEqual(ValueFormatting.format(Scalar("c", 2, significantFigures: 2), withError: false), "2")
        XCTAssertEqual(ValueFormatting.format(Scalar("c", -3, significantFigures: 2), withError: true), "−3")
    }

    func testUnitsInARenderedPage() throws {
        // demo.mi_exact and demo.mi_largest_n are in bits.
        let report = "# T\n\nExact {{demo.mi_exact}}, estimated {{demo.mi_largest_n±}} bits; range {{demo.mi_exact}}–{{demo.mi_largest_n}}.\n\n"
            + "```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n"
        let (project, dir, _) = try makeProject(["r": report])
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        XCTAssertEqual(try renderer.render("r").diagnostics, [])
        let html = try String(contentsOf: dir.appendingPathComponent("site/r.html"), encoding: .utf8)
        let n = "[0-9.]+"
        XCTAssertTrue(html.contains(try Regex("Exact \(n) bits, estimated \(n) ± \(n) bits; ")), "unit added once where the prose leaves it out")
        XCTAssertFalse(html.contains("bits bits"), "never twice")
        XCTAssertTrue(html.contains(try Regex("range \(n)–\(n) bits\\.")), "a range's first value leaves the unit to the last")
    }

    func testBadMathFailsCheckAtItsLine() throws {
        guard PageMath.available else { throw XCTSkip("Node.js or KaTeX not installed") }
        let report = "# T\n\nGood $x^2$.\n\nBad $\\frac{1}{$ here.\n\n"
            + "```{run demo.gaussian_mi}\nrho: 0.3\nsamples: [200]\nrepeats: 2\nseed: 1\n```\n"
        let (project, dir, _) = try makeProject(["r": report], buildTimeMath: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let renderer = ReportRenderer(project: project)
        let checked = try renderer.compute("r").diagnostics
        XCTAssertEqual(checked.map(\.line), [5], "\(checked)")
        XCTAssertEqual(checked.first?.file, "reports/r.md")
        XCTAssertTrue(checked.first?.message.hasPrefix("math: KaTeX cannot typeset '\\frac{1}{'") ?? false, "\(checked)")
        // render reports the same error at the same line.
        let rendered = try renderer.render("r").diagnostics
        XCTAssertEqual(rendered, checked)
        // Good math alone: check passes.
        let (good, goodDir, _) = try makeProject(["r": "# T\n\nGood $x^2$ and $$\\sum_i x_i$$.\n"], buildTimeMath: true)
        defer { try? FileManager.default.removeItem(at: goodDir) }
        XCTAssertEqual(try ReportRenderer(project: good).compute("r").diagnostics, [])
    }
}

/// Issue 19 §2: the SVG compaction keeps the drawing and the text, and only shortens the markup.
final class SVGCompactionTests: XCTestCase {
    let sample = """
    <g id="gnuplot_plot_1" ><title>fit</title>
    <g fill="none" color="white" stroke="rgb(  0, 114, 178)" stroke-width="2.00" stroke-linecap="butt" stroke-linejoin="miter">
    \t<path stroke='rgb(  0, 114, 178)'  d='M37.75,88.00 L46.70,-0.00 M135.10,88.38
    \t\tL126.10,88.38  '/>
    \t<use xlink:href='#gpPt6' transform='translate(433.72,266.00) scale(2.70)' color='rgb(  0, 114, 178)'/>
    \t<use xlink:href='#gpPt6' transform='translate(89.65,201.35) scale(2.70)' color='rgb(  0, 114, 178)'/>
    \t<use xlink:href='#gpPt4' transform='translate(120.23,59.44) scale(2.70)' color='rgb(213,  94,   0)'/>
    \t<g transform="translate(29.36,92.28)" text-anchor="end" fill="black" font-family="DejaVu Sans" font-size="12.00">
    \t\t<text><tspan font-family="DejaVu Sans" > 2.50 x='1.00'</tspan></text>
    \t\t<text><tspan font-family="DejaVu Sans" >10</tspan><tspan font-family="DejaVu Sans"  font-size="9.6" dy="-6.00px">3</tspan></text>
    \t</g>
    </g>
    """

    func testCompactionShortensMarkupOnly() {
        let out = GnuplotFigure.compactingMarkup(sample)
        XCTAssertLessThan(out.utf8.count, sample.utf8.count)
        XCTAssertTrue(out.contains("stroke=\"#0072b2\""), out)
        XCTAssertTrue(out.contains("<path stroke='#0072b2'  d='M37.75,88 L46.7,0 M135.1,88.38 L126.1,88.38'/>"), out)
        XCTAssertTrue(out.contains("\t<g color='#0072b2'>\n\t<use xlink:href='#gpPt6' transform='translate(433.72,266) scale(2.7)'/>\n"
                                   + "\t<use xlink:href='#gpPt6' transform='translate(89.65,201.35) scale(2.7)'/>\n\t</g>\n"), out)
        XCTAssertTrue(out.contains("\t<use xlink:href='#gpPt4' transform='translate(120.23,59.44) scale(2.7)' color='#d55e00'/>"), "a lone marker keeps its colour")
        XCTAssertTrue(out.contains("<g transform=\"translate(29.36,92.28)\""))
        // Text content is untouched (numbers and quotes in a label), a lone tspan goes, an enhanced-text one stays.
        XCTAssertTrue(out.contains("<text> 2.50 x='1.00'</text>"), out)
        XCTAssertTrue(out.contains("<text><tspan font-family=\"DejaVu Sans\" >10</tspan><tspan font-family=\"DejaVu Sans\"  font-size=\"9.6\" dy=\"-6.00px\">3</tspan></text>"), out)
        XCTAssertTrue(out.contains("font-size=\"12.00\""), "presentation attributes other than coordinates are left to the class pass")
        // Deterministic and idempotent.
        XCTAssertEqual(GnuplotFigure.compactingMarkup(sample), out)
        XCTAssertEqual(GnuplotFigure.compactingMarkup(out), out)
        XCTAssertEqual(GnuplotFigure.trimmedNumbers("1.250 -0.00 10.0 3 0.05"), "1.25 0 10 3 0.05")
    }

    func testLongPolylinesAreSimplifiedWithinATenthOfAPixel() {
        // 21 collinear vertices and one corner: the line keeps its ends and the corner, written relative.
        let d = "M10,20 " + (1...20).map { "L\(10 + $0).5,20" }.joined(separator: " ") + " L30.5,40.25"
        XCTAssertEqual(GnuplotFigure.simplifiedPath(d), "M10,20 l20.5,0 0,20.25")
        // A wiggle above 0.1 px is kept; one of 0.05 px is not.
        let wiggle = "M0,0 L1,0 L2,0.3 L3,0 L4,0 L5,0.05 L6,0 L7,0 L8,0"
        XCTAssertEqual(GnuplotFigure.simplifiedPath(wiggle), "M0,0 l1,0 1,0.3 1,-0.3 5,0")
        // Short paths (frames, ticks), curves and other commands stay as they are.
        XCTAssertEqual(GnuplotFigure.simplifiedPath("M1,1 L5,1 L5,5 L1,5 L1,1 Z"), "M1,1 L5,1 L5,5 L1,5 L1,1 Z")
        XCTAssertEqual(GnuplotFigure.simplifiedPath("M1,1 L2,2 L3,3"), "M1,1 L2,2 L3,3")
        XCTAssertEqual(GnuplotFigure.hundredths("-0.05"), -5); XCTAssertEqual(GnuplotFigure.hundredths("12.5"), 1250)
        XCTAssertEqual(GnuplotFigure.text(-5), "-0.05"); XCTAssertEqual(GnuplotFigure.text(1250), "12.5"); XCTAssertEqual(GnuplotFigure.text(1203), "12.03")
    }

    func testCompactedFigureIsDrawnTheSame() throws {
        // A real gnuplot figure: the compacted SVG has the same plot groups, texts and marker count, and is smaller.
        let fig = Figure(id: "c", caption: "c", altText: "a", panels: [Panel(title: "t", xLabel: "x", yLabel: "y", series: [
            Series(label: "points", style: .points, x: [0, 1, 2, 3], y: [0.5, 1.5, 1, 2]),
            Series(label: "line", style: .lines, x: [0, 1, 2, 3], y: [1, 2, 0.25, 1.75])])])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("svgc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg: String
        do { svg = String(decoding: try GnuplotFigure.render(fig, in: dir), as: UTF8.self) } catch { throw XCTSkip("gnuplot: \(error)") }
        func count(_ s: String, _ needle: String) -> Int { s.components(separatedBy: needle).count - 1 }
        XCTAssertEqual(count(svg, "transform='translate("), 4 + 1, "four points and the key's sample (the markers' definitions aside)")
        XCTAssertEqual(count(svg, "<g id=\"gnuplot_plot_"), 2)
        XCTAssertFalse(svg.contains("rgb("))
        XCTAssertFalse(try Regex(#"d='[^']*\.\d*0[ ,']"#).firstMatch(in: svg) != nil, "no trailing zeros in path data")
    }
}

/// Issue 19 §3: no data on the frame, also when an analysis fixes the range.
final class FixedRangeFrameTests: XCTestCase {
    func testFixedRangesReachedByDataAreWidened() throws {
        func panel(_ x: [Double], _ y: [Double], xRange: [Double]? = nil, yRange: [Double]? = nil, logX: Bool = false,
                   style: Series.Style = .linesPoints) -> Panel {
            Panel(logX: logX, xRange: xRange, yRange: yRange, series: [Series(label: "s", style: style, x: x, y: y)])
        }
        // A fraction fixed to [0, 102] that is 0 somewhere: the bottom moves out by 4 %, the top stays.
        var r = try XCTUnwrap(FigureLayout.ranges(panel([1, 2, 3], [0, 50, 90], yRange: [0, 102])))
        XCTAssertEqual(r.y.0, -4.08, accuracy: 1e-9); XCTAssertEqual(r.y.1, 102)
        // Points at ±π on a fixed [−π, π]: both sides move.
        r = try XCTUnwrap(FigureLayout.ranges(panel([-Double.pi, 0, Double.pi], [1, 2, 1], xRange: [-Double.pi, Double.pi])))
        XCTAssertEqual(r.x.0, -Double.pi * 1.08, accuracy: 1e-9); XCTAssertEqual(r.x.1, Double.pi * 1.08, accuracy: 1e-9)
        // On a log axis, in decades: [1e-4, 50] with points at both ends.
        r = try XCTUnwrap(FigureLayout.ranges(panel([1e-4, 1, 50], [1, 2, 3], xRange: [1e-4, 50], logX: true)))
        let decades = log10(50.0) + 4
        XCTAssertEqual(log10(r.x.0), -4 - 0.04 * decades, accuracy: 1e-9); XCTAssertEqual(log10(r.x.1), log10(50.0) + 0.04 * decades, accuracy: 1e-9)
        // A range the data does not reach is kept exactly; data far beyond it is a zoom and stays clipped.
        r = try XCTUnwrap(FigureLayout.ranges(panel([1, 2, 3], [0.2, 0.5, 0.7], xRange: [0.5, 3.5], yRange: [0, 1.05])))
        XCTAssertEqual(r.x.0, 0.5); XCTAssertEqual(r.x.1, 3.5); XCTAssertEqual(r.y.0, 0); XCTAssertEqual(r.y.1, 1.05)
        r = try XCTUnwrap(FigureLayout.ranges(panel([1, 2, 3], [-9, 0.5, 3], yRange: [-2, 3.5])))
        XCTAssertEqual(r.y.0, -2); XCTAssertEqual(r.y.1, 3.5)
        // Data up to 10 % beyond a side (error bars past a fraction's 1) is brought inside.
        r = try XCTUnwrap(FigureLayout.ranges(panel([1, 2], [0.5, 1.05], yRange: [0, 1])))
        XCTAssertEqual(r.y.1, 1.05 + 0.04, accuracy: 1e-9)
        // Bars rest on their axis: a histogram fixed from 0 keeps it.
        r = try XCTUnwrap(FigureLayout.ranges(panel([0, 1, 2], [3, 5, 0], yRange: [0, 6], style: .boxes)))
        XCTAssertEqual(r.y.0, 0); XCTAssertEqual(r.y.1, 6)
        // A reversed range keeps its direction.
        XCTAssertEqual(FigureLayout.widened((10, 0), toReach: FigureLayout.Interval(low: 0, high: 5), log: false).1, -0.4, accuracy: 1e-9)
    }
}
