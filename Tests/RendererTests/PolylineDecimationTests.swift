import AnalysisKit
import Foundation
import XCTest
@testable import Renderer

/// Long lines in the inline SVG keep at most first/min/max/last per pixel column (`GnuplotFigure.decimatedByColumn`),
/// which draws the same pixels; the figure's `.dat` keeps every point.
final class PolylineDecimationTests: XCTestCase {
    /// A seeded noisy walk of `n` points across `width` px, in hundredths of a pixel (x increasing).
    static func noisy(_ n: Int, width: Int = 300, seed: UInt64 = 7) -> [(Int, Int)] {
        var state = seed, y = 20_000
        return (0..<n).map { i in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            y += Int((state >> 33) % 801) - 400
            y = min(max(y, 0), 40_000)
            return (1_000 + i * width * 100 / n, y)
        }
    }

    /// Per pixel column: (number of vertices, least y, greatest y).
    static func columns(_ points: [(Int, Int)]) -> [Int: (count: Int, low: Int, high: Int)] {
        var out = [Int: (count: Int, low: Int, high: Int)]()
        for (x, y) in points {
            let c = x >= 0 ? x / 100 : -((-x + 99) / 100)
            let old = out[c] ?? (0, .max, .min)
            out[c] = (old.count + 1, min(old.low, y), max(old.high, y))
        }
        return out
    }

    /// Per pixel column: the least and greatest y that the drawn line reaches over the column's x-interval [c, c + 1)
    /// px, segments crossing into or through the column included (what a rasteriser covers there, in hundredths).
    static func coverage(_ points: [(Int, Int)]) -> [Int: (low: Double, high: Double)] {
        var out = [Int: (low: Double, high: Double)]()
        func add(_ c: Int, _ y: Double) { let o = out[c] ?? (.infinity, -.infinity); out[c] = (min(o.low, y), max(o.high, y)) }
        func column(_ x: Double) -> Int { Int((x / 100).rounded(.down)) }
        for (x, y) in points { add(column(Double(x)), Double(y)) }
        for k in 1..<max(1, points.count) {
            let (x0, y0) = (Double(points[k - 1].0), Double(points[k - 1].1)), (x1, y1) = (Double(points[k].0), Double(points[k].1))
            guard column(x0) != column(x1) else { continue }
            // Where the segment crosses each column boundary between its ends: that y belongs to both columns.
            let (a, b) = x0 < x1 ? (column(x0) + 1, column(x1)) : (column(x1) + 1, column(x0))
            for c in a...b {
                let xb = Double(c * 100), y = y0 + (y1 - y0) * (xb - x0) / (x1 - x0)
                add(c - 1, y); add(c, y)
            }
        }
        return out
    }

    /// Absolute vertices of every subpath of `M x,y l dx,dy …` / `M x,y L x,y …` path data, in hundredths.
    static func vertices(_ d: String) -> [[(Int, Int)]] {
        var subpaths = [[(Int, Int)]](), relative = false
        for token in d.split(separator: " ") {
            var t = token
            if let c = t.first, c.isLetter {
                if c == "M" { subpaths.append([]) }
                relative = c == "l"
                t = t.dropFirst()
            }
            let pair = t.split(separator: ",").compactMap { GnuplotFigure.hundredths($0) }
            guard pair.count == 2 else { continue }
            if relative, let last = subpaths[subpaths.count - 1].last {
                subpaths[subpaths.count - 1].append((last.0 + pair[0], last.1 + pair[1]))
            } else {
                subpaths[subpaths.count - 1].append((pair[0], pair[1]))
            }
        }
        return subpaths
    }

    func testTenThousandNoisyPointsKeepAtMostFourPerColumnAndTheSameEnvelope() {
        let points = Self.noisy(10_000)
        let kept = GnuplotFigure.decimatedByColumn(points)
        let before = Self.columns(points), after = Self.columns(kept)
        XCTAssertEqual(before.count, 300)
        XCTAssertEqual(Set(after.keys), Set(before.keys), "every column keeps a vertex")
        for (c, col) in before {
            let k = after[c]!
            XCTAssertLessThanOrEqual(k.count, 4, "column \(c)")
            XCTAssertEqual(k.low, col.low, "column \(c) least y"); XCTAssertEqual(k.high, col.high, "column \(c) greatest y")
        }
        XCTAssertTrue(kept.first! == points.first!); XCTAssertTrue(kept.last! == points.last!)
        // What the line covers in each column, crossings included, is the same.
        let drawn = Self.coverage(points), drawnKept = Self.coverage(kept)
        XCTAssertEqual(Set(drawn.keys), Set(drawnKept.keys))
        for (c, col) in drawn { XCTAssertEqual(drawnKept[c]!.low, col.low, "column \(c)"); XCTAssertEqual(drawnKept[c]!.high, col.high, "column \(c)") }
        // The kept vertices are original vertices in their original order (x increases here, so indices follow x).
        var i = 0
        for p in kept {
            while i < points.count && !(points[i] == p) { i += 1 }
            XCTAssertLessThan(i, points.count, "kept vertex \(p) is an original one, in order")
            i += 1
        }
        XCTAssertLessThanOrEqual(kept.count, 4 * 300)
        XCTAssertGreaterThan(kept.count, 2 * 300, "noise: most columns need first, min, max and last")
        XCTAssertTrue(GnuplotFigure.decimatedByColumn(points).elementsEqual(kept, by: ==), "deterministic")
        XCTAssertTrue(GnuplotFigure.decimatedByColumn(kept).elementsEqual(kept, by: ==), "idempotent")
    }

    func testPathDataKeepsFourPerColumnAndDropsOnlyWithinATenthOfAPixel() {
        let points = Self.noisy(10_000)
        let d = "M" + points.map { GnuplotFigure.text($0.0) + "," + GnuplotFigure.text($0.1) }.joined(separator: " L")
        let out = GnuplotFigure.simplifiedPath(d)
        let subpaths = Self.vertices(out)
        XCTAssertEqual(subpaths.count, 1)
        let kept = subpaths[0]
        XCTAssertTrue(kept.first! == points.first!); XCTAssertTrue(kept.last! == points.last!)
        for (c, k) in Self.columns(kept) { XCTAssertLessThanOrEqual(k.count, 4, "column \(c)") }
        // The 0.1 px simplification that follows drops only vertices of the decimated line that lie within 0.1 px of
        // the segment replacing them (kept vertices are a subsequence of the decimated ones).
        let decimated = GnuplotFigure.decimatedByColumn(points)
        var k = 0, worst = 0.0
        for (i, p) in decimated.enumerated() {
            if k + 1 < kept.count && decimated[i] == kept[k + 1] { k += 1; continue }
            if p == kept[k] { continue }
            XCTAssertLessThan(k + 1, kept.count, "vertex \(i) after the last kept one"); if k + 1 >= kept.count { break }
            worst = max(worst, Self.distance(p, kept[k], kept[k + 1]))
        }
        XCTAssertLessThanOrEqual(worst, 10.0001, "largest distance of a dropped vertex from its segment, in hundredths of a px")
        XCTAssertLessThan(out.utf8.count * 5, d.utf8.count, "\(out.utf8.count) B of \(d.utf8.count)")
        // Without column decimation only the 0.1 px rule applies, which keeps several times as many vertices.
        let undecimated = Self.vertices(GnuplotFigure.simplifiedPath(d, decimatingColumns: false))[0]
        XCTAssertGreaterThan(undecimated.count, 3 * kept.count, "\(undecimated.count) vertices against \(kept.count)")
    }

    /// Distance of `p` from the segment a–b.
    static func distance(_ p: (Int, Int), _ a: (Int, Int), _ b: (Int, Int)) -> Double {
        let (px, py, ax, ay, bx, by) = (Double(p.0), Double(p.1), Double(a.0), Double(a.1), Double(b.0), Double(b.1))
        let dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy
        let t = l2 == 0 ? 0 : max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / l2))
        return ((ax + t * dx - px) * (ax + t * dx - px) + (ay + t * dy - py) * (ay + t * dy - py)).squareRoot()
    }

    func testAPathThatReturnsToAColumnKeepsEachVisit() {
        // Twice across the same three columns (a jump back between): each visit of a column is its own run and keeps
        // its ends, extremes and crossings.
        let first = (0..<30).map { (100 + $0 * 10, ($0 * 37) % 500) }, second = (0..<30).map { (100 + $0 * 10, ($0 * 53) % 500) }
        let path = first + second
        let kept = GnuplotFigure.decimatedByColumn(path)
        XCTAssertTrue(kept.first! == first.first!); XCTAssertTrue(kept.last! == second.last!)
        XCTAssertTrue(kept.contains { $0 == first.last! }, "end of the first visit"); XCTAssertTrue(kept.contains { $0 == second.first! })
        let before = Self.coverage(path), after = Self.coverage(kept)
        for (c, col) in before { XCTAssertEqual(after[c]!.low, col.low, "column \(c)"); XCTAssertEqual(after[c]!.high, col.high, "column \(c)") }
        for (c, k) in Self.columns(kept) { XCTAssertLessThanOrEqual(k.count, 8, "two visits of column \(c)") }
        XCTAssertLessThan(kept.count, path.count / 2)
        // Short runs are left alone.
        let four = [(0, 0), (10, 5), (20, -5), (30, 0)]
        XCTAssertTrue(GnuplotFigure.decimatedByColumn(four).elementsEqual(four, by: ==))
        XCTAssertTrue(GnuplotFigure.filled("<path fill='#ff0000' d='M0,0'/>"))
        XCTAssertFalse(GnuplotFigure.filled("<path fill = 'none' stroke='black' d='M0,0'/>"))
        XCTAssertFalse(GnuplotFigure.filled("<path stroke='black'  d='M0,0'/>"))
    }

    func testFigureKeepsEveryPointInItsDataAndFourPerColumnInItsSVG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replicate-decimate-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let walk = Self.noisy(10_000)
        let fig = Figure(id: "noisy", caption: "A noisy series", altText: "noise", panels: [
            Panel(title: "walk", xLabel: "step", yLabel: "value", series: [
                Series(label: "", style: .lines, x: walk.map { Double($0.0) }, y: walk.map { Double($0.1) }, color: "#123456"),
            ]),
        ], columns: 1, panelWidth: 480, panelHeight: 320)
        let svg = String(decoding: try GnuplotFigure.render(fig, in: dir), as: UTF8.self)
        let dat = try String(contentsOf: dir.appendingPathComponent("noisy.dat"), encoding: .utf8)
        XCTAssertEqual(dat.split(separator: "\n").filter { !$0.hasPrefix("#") }.count, 10_000, "the data file keeps every point")
        let paths = svg.components(separatedBy: "<path stroke='#123456'").dropFirst()
        XCTAssertEqual(paths.count, 1)
        guard let path = paths.first, let d0 = path.range(of: "d='"), let d1 = path[d0.upperBound...].firstIndex(of: "'") else {
            return XCTFail("no path for the series")
        }
        let vertices = Self.vertices(String(path[d0.upperBound..<d1])).flatMap { $0 }
        let columns = Self.columns(vertices)
        XCTAssertLessThanOrEqual(columns.values.map(\.count).max() ?? 0, 4)
        XCTAssertLessThanOrEqual(vertices.count, 4 * 480, "\(vertices.count) vertices for \(columns.count) columns")
        XCTAssertGreaterThan(columns.count, 300, "the line spans the plot")
    }
}
