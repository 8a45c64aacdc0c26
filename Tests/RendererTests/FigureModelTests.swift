import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Issue 19 §3, the figure model: key placement (automatic outside the data, a corner, none), log-axis ticks at powers
/// of ten, padded ranges, a colour-blind-safe palette with ≥ 3:1 contrast, symmetric and shared heat-map colour ranges,
/// categorical ticks and vector (arrow) series.
final class FigureModelTests: XCTestCase {
    /// WCAG 2 contrast ratio of "#rrggbb" against white.
    func contrastAgainstWhite(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16)!
        func lin(_ c: Int) -> Double { let x = Double(c) / 255; return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4) }
        let l = 0.2126 * lin(v >> 16 & 255) + 0.7152 * lin(v >> 8 & 255) + 0.0722 * lin(v & 255)
        return 1.05 / (l + 0.05)
    }

    func testPaletteHasAtLeastThreeToOneContrast() {
        XCTAssertGreaterThanOrEqual(Palette.categorical.count, 6)
        for c in Palette.categorical { XCTAssertGreaterThanOrEqual(contrastAgainstWhite(c), 3, c) }
        XCTAssertEqual(Set(Palette.categorical).count, Palette.categorical.count)
        // Series without a colour take the palette in order, each with its own point type; a fixed colour takes no slot.
        let panel = Panel(series: [Series(label: "a", x: [0, 1], y: [0, 1]), Series(label: "g", x: [0, 1], y: [1, 0], color: "gray70"),
                                   Series(label: "b", x: [0, 1], y: [0.5, 0.5])])
        let script = GnuplotFigure.script(Figure(id: "p", caption: "", altText: "", panels: [panel]), dataName: "d", svgName: "s")
        XCTAssertTrue(script.contains("with linespoints lw 2 pt 7 ps 0.6 lc rgb '#0072B2' title 'a'"), script)
        XCTAssertTrue(script.contains("lc rgb 'gray70' title 'g'"))
        XCTAssertTrue(script.contains("with linespoints lw 2 pt 5 ps 0.6 lc rgb '#D55E00' title 'b'"))
    }

    func testRangesArePaddedSoThatNoLineLiesOnTheFrame() {
        let panel = Panel(series: [Series(label: "", style: .lines, x: [0, 1, 2], y: [0, 1, 0.5])])
        let r = FigureLayout.ranges(panel)!
        XCTAssertEqual(r.x.0, -0.08, accuracy: 1e-12); XCTAssertEqual(r.x.1, 2.08, accuracy: 1e-12)
        XCTAssertEqual(r.y.0, -0.04, accuracy: 1e-12); XCTAssertEqual(r.y.1, 1.04, accuracy: 1e-12)
        // Error bars and arrow heads are inside; a given range is kept; a log axis is padded in decades.
        let bars = Panel(series: [Series(label: "", style: .errorBars, x: [1, 2], y: [1, 1], yError: [0.5, 2])])
        XCTAssertEqual(FigureLayout.ranges(bars)!.y.1, 3 + 0.04 * 4, accuracy: 1e-12)
        let arrows = Panel(series: [.vectors(label: "v", x: [0], y: [0], dx: [2], dy: [-1])])
        XCTAssertEqual(FigureLayout.ranges(arrows)!.x.1, 2.08, accuracy: 1e-12)
        XCTAssertEqual(FigureLayout.ranges(arrows)!.y.0, -1.04, accuracy: 1e-12)
        let fixed = Panel(xRange: [0, 10], series: [Series(label: "", x: [1, 2], y: [1, 2])])
        XCTAssertEqual(FigureLayout.ranges(fixed)!.x.0, 0); XCTAssertEqual(FigureLayout.ranges(fixed)!.x.1, 10)
        let log = Panel(logY: true, series: [Series(label: "", x: [0, 1], y: [1, 1000])])
        XCTAssertEqual(log10(FigureLayout.ranges(log)!.y.0), -0.12, accuracy: 1e-9)
        XCTAssertEqual(log10(FigureLayout.ranges(log)!.y.1), 3.12, accuracy: 1e-9)
    }

    func testLinearColourBoxTicksDoNotCrowd() {
        // A short colour box over [−0.17, 0.18]: gnuplot's own 0.05 steps wrote 8 labels 11 px apart.
        XCTAssertEqual(FigureLayout.linearTicks(axis: "cb", low: -0.1736, high: 0.1820, maxTicks: 5), "set cbtics (-0.1, 0, 0.1)\n")
        XCTAssertEqual(FigureLayout.linearTicks(axis: "cb", low: 0, high: 1, maxTicks: 6), "set cbtics (0, 0.2, 0.4, 0.6, 0.8, 1)\n")
        XCTAssertEqual(FigureLayout.linearTicks(axis: "cb", low: 0.0895, high: 0.1453, maxTicks: 5), "set cbtics (0.1, 0.12, 0.14)\n")
        XCTAssertEqual(FigureLayout.linearTicks(axis: "cb", low: 1, high: 1, maxTicks: 5), "")
        XCTAssertEqual(FigureLayout.linearTicks(axis: "cb", low: 0, high: .nan, maxTicks: 5), "")
        for (lo, hi) in [(-3.7, 12.2), (1e-6, 3e-6), (-250.0, -10.0)] {
            let t = FigureLayout.linearTicks(axis: "cb", low: lo, high: hi, maxTicks: 4)
            let n = t.split(separator: ",").count
            XCTAssertTrue((2...4).contains(n), "\(lo)…\(hi): \(t)")
        }
    }

    func testLogTicksArePowersOfTenThatDoNotCrowd() {
        let t = FigureLayout.logTicks(axis: "x", low: 1e-3, high: 1e3, maxTicks: 10)
        XCTAssertTrue(t.contains("set format x '10^{%L}'"))
        XCTAssertTrue(t.contains("set xtics ('10^{-3}' 1e-3, '10^{-2}' 1e-2, '10^{-1}' 1e-1, '10^{0}' 1e0, '10^{1}' 1e1, '10^{2}' 1e2, '10^{3}' 1e3)"), t)
        XCTAssertTrue(t.contains("set xtics add ('' 2e-3 1"), "minor ticks when every decade is labelled")
        // Thirteen powers of ten in room for four labels: every fourth decade.
        let wide = FigureLayout.logTicks(axis: "y", low: 1e-9, high: 1e3, maxTicks: 4)
        XCTAssertTrue(wide.contains("set ytics ('10^{-8}' 1e-8, '10^{-4}' 1e-4, '10^{0}' 1e0)"), wide)
        XCTAssertFalse(wide.contains("add"))
        // Less than a decade: 1–2–5 steps.
        let narrow = FigureLayout.logTicks(axis: "x", low: 0.15, high: 0.9, maxTicks: 8)
        XCTAssertTrue(narrow.contains("set xtics (0.2, 0.5)") || narrow.contains("set xtics (0.2, 0.3"), narrow)
    }

    func testCrowdedLabelsAreThinnedAndLongTitlesShrunk() {
        // 35 row labels on a 340 px axis: every second one.
        let rows = FigureLayout.categoryTicks(axis: "y", labels: (0..<35).map(String.init), room: 340)
        XCTAssertTrue(rows.hasPrefix("set ytics ('0' 0, '2' 2, '4' 4,"), rows)
        XCTAssertFalse(rows.contains("'1' 1"))
        // Three short labels fit side by side; twenty long ones are turned.
        XCTAssertFalse(FigureLayout.categoryTicks(axis: "x", labels: ["a", "b", "c"], room: 300).contains("rotate"))
        XCTAssertTrue(FigureLayout.categoryTicks(axis: "x", labels: (0..<20).map { "class \($0)" }, room: 300).contains("rotate by -45"))
        XCTAssertEqual(FigureLayout.title("short", panelWidth: 260), "set title 'short'\n")
        XCTAssertEqual(FigureLayout.title("Fisher #2 (λ = 52) ≈ #3: basis arbitrary", panelWidth: 220), "set title 'Fisher #2 (λ = 52) ≈ #3: basis arbitrary' font ',8'\n")
    }

    func testKeyGoesWhereThereIsNoData() {
        // Data rising to the top right: the key goes to the top left.
        let rising = Panel(series: [Series(label: "rising", style: .lines, x: Array(stride(from: 0.0, through: 1, by: 0.01)),
                                           y: Array(stride(from: 0.0, through: 1, by: 0.01)).map { $0 * $0 * $0 })])
        let r = FigureLayout.ranges(rising)
        XCTAssertEqual(FigureLayout.resolveLegend(rising, width: 560, height: 400, ranges: r), .corner(.topLeft))
        // A falling curve: top right is free.
        var falling = rising
        falling.series[0].y = falling.series[0].y.reversed()
        XCTAssertEqual(FigureLayout.resolveLegend(falling, width: 560, height: 400, ranges: FigureLayout.ranges(falling)), .corner(.topRight))
        // Points everywhere: outside, below the plot.
        let grid = (0..<400).map { Double($0) }
        let cloud = Panel(series: [Series(label: "cloud", style: .points, x: grid.map { $0.truncatingRemainder(dividingBy: 20) }, y: grid.map { ($0 / 20).rounded(.down) })])
        XCTAssertEqual(FigureLayout.resolveLegend(cloud, width: 560, height: 400, ranges: FigureLayout.ranges(cloud)), .outside)
        XCTAssertEqual(FigureLayout.keyCommand(.outside), "set key below center horizontal noenhanced box\n")
        // Chosen placements are kept; no labelled series, no key.
        var chosen = cloud
        chosen.legend = .corner(.bottomLeft)
        XCTAssertEqual(FigureLayout.resolveLegend(chosen, width: 560, height: 400, ranges: nil), .corner(.bottomLeft))
        XCTAssertEqual(FigureLayout.keyCommand(.corner(.bottomLeft)), "set key inside bottom left noenhanced box opaque\n")
        chosen.legend = LegendPlacement.none
        XCTAssertEqual(FigureLayout.keyCommand(FigureLayout.resolveLegend(chosen, width: 560, height: 400, ranges: nil)), "set key off\n")
        let unlabelled = Panel(series: [Series(label: "", x: [0, 1], y: [0, 1])])
        XCTAssertEqual(FigureLayout.resolveLegend(unlabelled, width: 560, height: 400, ranges: FigureLayout.ranges(unlabelled)), LegendPlacement.none)
    }

    func testSymmetricAndSharedColourRanges() {
        let a = Heatmap(values: [[-1, 0.5], [2, 0]], colorRange: .symmetric)
        let b = Heatmap(values: [[0, 3], [1, 1]], colorGroup: "g")
        let c = Heatmap(values: [[-4, 0], [1, 1]], colorRange: .symmetric, colorGroup: "g")
        let d = Heatmap(values: [[5, 6], [7, 8]], colorRange: .fixed(low: 0, high: 10))
        let fig = Figure(id: "h", caption: "", altText: "", panels: [Panel(heatmap: a), Panel(heatmap: b), Panel(heatmap: c), Panel(heatmap: d)])
        let ranges = FigureLayout.colorRanges(fig)
        XCTAssertEqual(ranges[0]!.low, -2); XCTAssertEqual(ranges[0]!.high, 2); XCTAssertTrue(ranges[0]!.symmetric)
        // b and c share a scale, symmetric since c asks for it: [−4, 4].
        XCTAssertEqual(ranges[1]!.low, -4); XCTAssertEqual(ranges[1]!.high, 4)
        XCTAssertEqual(ranges[2]!.low, -4); XCTAssertEqual(ranges[2]!.high, 4)
        XCTAssertEqual(ranges[3]!.low, 0); XCTAssertEqual(ranges[3]!.high, 10)
        let script = GnuplotFigure.script(fig, dataName: "d", svgName: "s")
        XCTAssertTrue(script.contains("set cbrange [-2:2]"))
        XCTAssertEqual(script.components(separatedBy: "set cbrange [-4:4]").count, 3)
        XCTAssertTrue(script.contains("set cbrange [0:10]"))
        XCTAssertTrue(script.contains("set palette " + Palette.diverging), "a symmetric range gets the diverging palette")
        XCTAssertFalse(script.contains(" pixels"), "heat maps are embedded images, not one polygon per cell")
    }

    func testVectorSeriesAndCategoricalTicksThroughGnuplot() throws {
        let fig = Figure(id: "vec", caption: "Arrows", altText: "arrows and classes", panels: [
            Panel(title: "field", xLabel: "x", yLabel: "y",
                  series: [.vectors(label: "velocity", x: [0, 1, 2], y: [0, 1, 0], dx: [0.5, 0.5, -0.5], dy: [0.5, -0.5, 0.25]),
                           Series(label: "positions", style: .points, x: [0, 1, 2], y: [0, 1, 0])]),
            Panel(title: "classes", series: [Series(label: "", style: .boxes, x: [0, 1, 2], y: [3, 1, 2])],
                  xTickLabels: ["T-shirt", "Trouser", "Pullover"]),
            Panel(title: "log", logX: true, series: [Series(label: "power law", style: .lines, x: [1, 10, 100, 1000], y: [1, 2, 3, 4])]),
        ], columns: 3, panelWidth: 320, panelHeight: 260)
        let data = GnuplotFigure.data(fig)
        XCTAssertTrue(data.contains("# panel 1 series velocity\n0 0 0.5 0.5\n1 1 0.5 -0.5\n2 0 -0.5 0.25\n"), data)
        let script = GnuplotFigure.script(fig, dataName: "vec.dat", svgName: "vec.svg")
        XCTAssertTrue(script.contains("using 1:2:3:4 with vectors head filled"), script)
        XCTAssertTrue(script.contains("set xtics ('T-shirt' 0, 'Trouser' 1, 'Pullover' 2)"), script)
        XCTAssertTrue(script.contains("set format x '10^{%L}'"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-figmodel-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = String(decoding: try GnuplotFigure.render(fig, in: dir), as: UTF8.self)
        XCTAssertTrue(svg.contains("Trouser") && svg.contains("velocity"))
        // Deterministic: a second folder gives the same bytes.
        XCTAssertEqual(try GnuplotFigure.render(fig, in: dir.appendingPathComponent("again")), Data(svg.utf8))
    }

    func testHeatmapIsOneEmbeddedImage() throws {
        let values = (0..<30).map { r in (0..<30).map { c in sin(Double(r) / 4) * cos(Double(c) / 5) } }
        let fig = Figure(id: "map", caption: "", altText: "a map",
                         panels: [Panel(title: "m", heatmap: Heatmap(values: values, colorRange: .symmetric, colorLabel: "value"))])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-heat-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let svg = String(decoding: try GnuplotFigure.render(fig, in: dir), as: UTF8.self)
        XCTAssertTrue(svg.contains("<image style='image-rendering:pixelated'"), "one bitmap")
        XCTAssertTrue(svg.contains("data:image/png;base64,"))
        XCTAssertLessThan(svg.utf8.count, 30_000, "900 cells as a bitmap, not 900 polygons")
        // The colour box: one gradient-filled rectangle instead of gnuplot's 128 polygons.
        XCTAssertTrue(svg.contains("<linearGradient id='colorbox1' x1='0' y1='1' x2='0' y2='0'>"), svg)
        XCTAssertTrue(svg.contains("fill='url(#colorbox1)'"))
        XCTAssertFalse(svg.contains("<polygon fill = 'rgb("))
        let page = HTMLBlocks.figure(fig, svg: Data(svg.utf8))
        XCTAssertTrue(page.contains("id='fig-map-colorbox1'") && page.contains("url(#fig-map-colorbox1)"), "ids stay unique per figure")
    }

    /// gnuplot's SVG made lighter without changing the drawing: empty style groups dropped, repeated presentation
    /// attributes as classes defined once.
    func testSVGPostProcessingKeepsTheDrawing() throws {
        let svg = """
        <svg width="10">
        <desc>Produced by GNUPLOT</desc>
        <g fill="none" color="black" stroke="currentColor" stroke-width="1.00" stroke-linecap="butt" stroke-linejoin="miter">
        </g>
        <g id="gnuplot_plot_1"><title>a</title>
        </g>
        <g fill="none" color="black" stroke="currentColor" stroke-width="1.00" stroke-linecap="butt" stroke-linejoin="miter">
        \t<path stroke='black' d='M0,0 L1,1'/>\t<g transform="translate(1,2)" stroke="none" fill="black" font-family="DejaVu Sans" font-size="12.00"  text-anchor="end">
        \t\t<text>1</text>
        \t</g>
        </g>
        <g fill="none" color="black" stroke="currentColor" stroke-width="1.00" stroke-linecap="butt" stroke-linejoin="miter">
        \t<path d='M0,0'/></g>
        <g onclick="x()" fill="red" stroke="blue"><path/></g>
        </svg>
        """
        let empty = GnuplotFigure.removingEmptyGroups(svg)
        XCTAssertEqual(empty.components(separatedBy: "stroke-linejoin").count, 3, "one empty group dropped")
        XCTAssertTrue(empty.contains("<g id=\"gnuplot_plot_1\"><title>a</title>\n</g>"), "groups with an id stay")
        let out = GnuplotFigure.classifyingGroups(empty, prefix: "gp-f")
        XCTAssertTrue(out.contains("<desc>Produced by GNUPLOT</desc>\n<style>.gp-f-1{fill:none;color:black;stroke:currentColor;stroke-width:1.00px;"
                                   + "stroke-linecap:butt;stroke-linejoin:miter}.gp-f-2{stroke:none;fill:black;font-family:\"DejaVu Sans\";font-size:12.00px}</style>"), out)
        XCTAssertEqual(out.components(separatedBy: "<g class=\"gp-f-1\">").count, 3, "the same set, the same class")
        XCTAssertTrue(out.contains("<g transform=\"translate(1,2)\" text-anchor=\"end\" class=\"gp-f-2\">"))
        XCTAssertTrue(out.contains("<g onclick=\"x()\" fill=\"red\" stroke=\"blue\">"), "other attributes: left alone")
        XCTAssertEqual(GnuplotFigure.classifyingGroups("<svg><g id=\"a\"></g></svg>", prefix: "p"), "<svg><g id=\"a\"></g></svg>")
    }
}
