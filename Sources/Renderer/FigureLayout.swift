import AnalysisKit
import Foundation

/// The layout decisions of the gnuplot writer that need the data: padded axis ranges, log-axis ticks, categorical
/// ticks, shared or symmetric colour ranges, and where a key fits without covering data.
enum FigureLayout {
    /// Approximate metrics of the SVG terminal at font size 12 (pixels), used to estimate a key's size and the plot
    /// area; deliberately generous, so that an estimate never places a key over data.
    static let charWidth = 7.2, lineHeight = 15.5

    /// A closed interval of finite values (on a log axis only positive ones are kept).
    struct Interval: Equatable {
        var low = Double.infinity, high = -Double.infinity
        var isEmpty: Bool { !(low <= high) }
        mutating func add(_ v: Double, log: Bool = false) {
            guard v.isFinite, !log || v > 0 else { return }
            low = Swift.min(low, v); high = Swift.max(high, v)
        }
        mutating func add(_ other: Interval) { if !other.isEmpty { low = Swift.min(low, other.low); high = Swift.max(high, other.high) } }
    }

    /// The x and y extent of a panel's series: points, error bars, arrow heads, box widths (boxes rest on y = 0).
    static func dataExtent(_ panel: Panel, boxes: Bool = true) -> (x: Interval, y: Interval) {
        var x = Interval(), y = Interval()
        for s in panel.series where boxes || s.style != .boxes {
            let n = Swift.min(s.x.count, s.y.count)
            let half = s.style == .boxes ? boxHalfWidth(s) : 0
            for i in 0..<n {
                let xi = s.x[i], yi = s.y[i]
                guard xi.isFinite, yi.isFinite else { continue }
                x.add(xi - half, log: panel.logX); x.add(xi + half, log: panel.logX); y.add(yi, log: panel.logY)
                if let e = s.yError, i < e.count, e[i].isFinite, s.style == .errorBars || s.style == .errorLines {
                    y.add(yi - abs(e[i]), log: panel.logY); y.add(yi + abs(e[i]), log: panel.logY)
                }
                if s.style == .vectors, let dx = s.dx, let dy = s.dy, i < dx.count, i < dy.count {
                    x.add(xi + dx[i], log: panel.logX); y.add(yi + dy[i], log: panel.logY)
                }
            }
            if s.style == .boxes && !panel.logY && n > 0 { y.add(0) }
        }
        return (x, y)
    }

    /// Half the width gnuplot gives a box: half the smallest spacing of distinct x values (0.5 for a single box).
    static func boxHalfWidth(_ s: Series) -> Double {
        let xs = Array(Set(s.x.filter(\.isFinite))).sorted()
        guard xs.count > 1 else { return 0.5 }
        var d = Double.infinity
        for i in 1..<xs.count { d = Swift.min(d, xs[i] - xs[i - 1]) }
        return d / 2
    }

    /// An interval widened by `fraction` of its span on each side (of its decades on a log axis); a single value gets
    /// ±10 % (±0.5 at zero; half a decade on a log axis).
    static func padded(_ r: Interval, log: Bool, fraction: Double = 0.04) -> (Double, Double) {
        if log {
            var a = Foundation.log10(r.low), b = Foundation.log10(r.high)
            if b - a < 1e-12 { a -= 0.5; b += 0.5 } else { let d = (b - a) * fraction; a -= d; b += d }
            return (pow(10, a), pow(10, b))
        }
        if r.high - r.low <= 1e-12 * Swift.max(abs(r.low), abs(r.high)) {
            let d = r.low == 0 ? 0.5 : abs(r.low) * 0.1
            return (r.low - d, r.high + d)
        }
        let d = (r.high - r.low) * fraction
        return (r.low - d, r.high + d)
    }

    /// The ranges a series panel is drawn with: the panel's own, else the padded data extent; nil when there is no data.
    static func ranges(_ panel: Panel) -> (x: (Double, Double), y: (Double, Double))? {
        let (dx, dy) = dataExtent(panel)
        func fixed(_ r: [Double]?) -> (Double, Double)? {
            guard let r, r.count == 2, r[0].isFinite, r[1].isFinite, r[0] != r[1] else { return nil }
            return (r[0], r[1])
        }
        // A fixed range that the data reaches is widened on that side, so that no point or line lies on the frame.
        let (ex, ey) = dataExtent(panel, boxes: false)
        let x = fixed(panel.xRange).map { widened($0, toReach: ex, log: panel.logX) } ?? (dx.isEmpty ? nil : padded(dx, log: panel.logX))
        let y = fixed(panel.yRange).map { widened($0, toReach: ey, log: panel.logY) } ?? (dy.isEmpty ? nil : padded(dy, log: panel.logY))
        guard let x, let y else { return nil }
        return (x, y)
    }

    /// A panel's fixed range (`low`, `high`; either order) with each side that the data `extent` reaches (within 0.5 % of
    /// the span inside it, or up to 10 % beyond it) moved out by 4 % of the span past the data, in decades on a log
    /// axis: an analysis that fixes [0, 1] for a fraction that is 0 somewhere, or [−π, π] for points at ±π, gets no
    /// data on the frame. Data further beyond a side is a deliberate zoom and stays clipped; a range the data does not
    /// reach is kept exactly. Box series are left out (bars rest on their axis).
    static func widened(_ range: (Double, Double), toReach extent: Interval, log: Bool) -> (Double, Double) {
        guard !extent.isEmpty, !log || (range.0 > 0 && range.1 > 0) else { return range }
        let f: (Double) -> Double = log ? { Foundation.log10($0) } : { $0 }
        let g: (Double) -> Double = log ? { pow(10, $0) } : { $0 }
        let lo = f(Swift.min(range.0, range.1)), hi = f(Swift.max(range.0, range.1)), span = hi - lo
        let dlo = f(extent.low), dhi = f(extent.high)
        guard span > 0, dlo.isFinite, dhi.isFinite else { return range }
        var newLo = lo, newHi = hi
        if dlo <= lo + 0.005 * span && dlo >= lo - 0.1 * span { newLo = Swift.min(lo, dlo) - 0.04 * span }
        if dhi >= hi - 0.005 * span && dhi <= hi + 0.1 * span { newHi = Swift.max(hi, dhi) + 0.04 * span }
        if newLo == lo && newHi == hi { return range }
        let a = newLo == lo ? Swift.min(range.0, range.1) : g(newLo), b = newHi == hi ? Swift.max(range.0, range.1) : g(newHi)
        return range.0 <= range.1 ? (a, b) : (b, a)
    }

    /// Plot-area size in pixels of a panel, estimated from gnuplot's margins (tick labels, axis labels, title, key).
    static func plotSize(_ panel: Panel, width: Int, height: Int, keyBelowRows: Int = 0, colorBox: Bool = false) -> (w: Double, h: Double) {
        let left = 9 * charWidth + (panel.yLabel.isEmpty ? 0 : 2.5 * charWidth)
        let right = 3 * charWidth + (colorBox ? 11 * charWidth : 0)
        let top = lineHeight * (panel.title.isEmpty ? 1 : 2.5)
        let bottom = lineHeight * (2 + (panel.xLabel.isEmpty ? 0 : 1.5) + Double(keyBelowRows) * 1.1)
        return (Swift.max(40, Double(width) - left - right), Swift.max(40, Double(height) - top - bottom))
    }

    // MARK: ticks

    /// Tick positions of a linear axis (`axis` is "x", "y" or "cb") over [low, high]: multiples of the smallest step
    /// 1, 2 or 5 × 10^k that writes at most `maxTicks` labels, as an explicit list (so a later panel of a multiplot
    /// cannot inherit them unnoticed: every heat-map panel sets its own). Empty for an empty or non-finite range.
    static func linearTicks(axis: String, low: Double, high: Double, maxTicks: Int) -> String {
        let lo = Swift.min(low, high), hi = Swift.max(low, high)
        guard lo.isFinite, hi.isFinite, hi > lo else { return "" }
        let limit = Swift.max(2, maxTicks)
        var exponent = Int(Foundation.log10((hi - lo) / Double(limit)).rounded(.down)) - 1
        while true {
            for m in [1.0, 2, 5] {
                let step = m * pow(10, Double(exponent))
                let first = (lo / step - 1e-9).rounded(.up), last = (hi / step + 1e-9).rounded(.down)
                if last - first + 1 <= Double(limit) {
                    let ticks = stride(from: first, through: last, by: 1).map { k -> String in
                        let v = k * step
                        return String(format: "%.10g", abs(v) < step * 1e-9 ? 0 : v)
                    }
                    return "set \(axis)tics (" + ticks.joined(separator: ", ") + ")\n"
                }
            }
            exponent += 1
        }
    }

    /// Tick settings of a log axis (`axis` is "x" or "y") over [low, high]: powers of ten labelled 10^k, every
    /// `step` decades so that at most `maxTicks` labels are written, with minor ticks at 2…9 × 10^k when every decade is
    /// labelled; within less than a decade, 1–2–5 (or 1…9) × 10^k labelled with %g.
    static func logTicks(axis: String, low: Double, high: Double, maxTicks: Int) -> String {
        let lo = Swift.min(low, high), hi = Swift.max(low, high)
        guard lo > 0, hi.isFinite else { return "" }
        let a = Foundation.log10(lo), b = Foundation.log10(hi)
        let first = Int((a - 1e-9).rounded(.up)), last = Int((b + 1e-9).rounded(.down))
        if last - first + 1 >= 2 {
            let count = last - first + 1
            let step = Swift.max(1, Int((Double(count) / Double(Swift.max(2, maxTicks))).rounded(.up)))
            var start = first
            while start % step != 0 { start += 1 }
            let majors = Array(stride(from: start, through: last, by: step))
            var s = "set format \(axis) '10^{%L}'\n"
            s += "set \(axis)tics (" + majors.map { "'10^{\($0)}' 1e\($0)" }.joined(separator: ", ") + ")\n"
            if step == 1 && count <= 8 {
                var minors = [String]()
                for k in (first - 1)...last {
                    for m in 2...9 {
                        let v = Double(m) * pow(10, Double(k))
                        if v > lo && v < hi { minors.append("'' \(m)e\(k) 1") }
                    }
                }
                if !minors.isEmpty { s += "set \(axis)tics add (" + minors.joined(separator: ", ") + ")\n" }
            }
            return s
        }
        for mantissas in [[1.0, 2, 5], [1.0, 2, 3, 4, 5, 6, 7, 8, 9]] {
            var ticks = [Double]()
            for k in (Int(a.rounded(.down)) - 1)...(Int(b.rounded(.up)) + 1) {
                for m in mantissas {
                    let v = m * pow(10, Double(k))
                    if v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12) { ticks.append(v) }
                }
            }
            if ticks.count >= 3 || mantissas.count > 3 {
                if ticks.count > maxTicks {
                    let every = Int((Double(ticks.count) / Double(Swift.max(2, maxTicks))).rounded(.up))
                    ticks = ticks.enumerated().filter { $0.offset % every == 0 }.map(\.element)
                }
                guard !ticks.isEmpty else { return "" }
                return "set format \(axis) '%g'\nset \(axis)tics (" + ticks.map { GnuplotFigure.number($0) }.joined(separator: ", ") + ")\n"
            }
        }
        return ""
    }

    /// Categorical tick labels at 0, 1, …; turned by 45° when they would not fit side by side, and only every k-th
    /// written when even so they would overlap (`room`: the axis length in pixels).
    static func categoryTicks(axis: String, labels: [String], room: Double, rotateIfNeeded: Bool = true) -> String {
        guard !labels.isEmpty else { return "" }
        let longest = labels.map(\.count).max() ?? 0
        let rotate = axis == "x" && rotateIfNeeded && Double(labels.count * (longest + 1)) * charWidth > room
        // Room one label needs along the axis: a line of text across it (y, or x turned), its width along it (x).
        let need = axis == "y" || rotate ? 1.1 * lineHeight : Double(longest + 1) * charWidth
        let step = Swift.max(1, Int((need / (room / Double(labels.count))).rounded(.up)))
        let shown = labels.enumerated().filter { $0.offset % step == 0 }
        var s = "set \(axis)tics (" + shown.map { "\(GnuplotFigure.quote($0.element)) \($0.offset)" }.joined(separator: ", ") + ")"
        if rotate { s += " rotate by -45" }
        return s + "\nset \(axis)tics noenhanced\n"
    }

    /// The `set title` line: the font shrunk (down to 7 pt) when the title would be wider than its panel.
    static func title(_ title: String, panelWidth: Int) -> String {
        let width = Double(title.count) * charWidth, room = Double(panelWidth) - 2 * charWidth
        guard width > room else { return "set title \(GnuplotFigure.quote(title))\n" }
        let size = Swift.max(7, Int((12 * room / width).rounded(.down)))
        return "set title \(GnuplotFigure.quote(title)) font ',\(size)'\n"
    }

    // MARK: colour ranges

    /// The finite value range of a heat map.
    static func valueRange(_ h: Heatmap) -> Interval {
        var r = Interval()
        for row in h.values { for v in row { r.add(v) } }
        return r
    }

    /// A heat map's own colour range (before sharing), and whether it is symmetric; nil without finite values.
    static func ownColorRange(_ h: Heatmap) -> (low: Double, high: Double, symmetric: Bool)? {
        switch h.colorRange ?? .data {
        case .fixed(let low, let high) where low.isFinite && high.isFinite && low < high: return (low, high, false)
        case .symmetric:
            let r = valueRange(h)
            guard !r.isEmpty else { return nil }
            let m = Swift.max(abs(r.low), abs(r.high))
            return (-m, m, true)
        default:
            let r = valueRange(h)
            return r.isEmpty ? nil : (r.low, r.high, false)
        }
    }

    /// The colour range of every heat map of a figure (by panel index): its own, or its group's union.
    static func colorRanges(_ fig: Figure) -> [Int: (low: Double, high: Double, symmetric: Bool)] {
        var own = [Int: (low: Double, high: Double, symmetric: Bool)]()
        var groups = [String: (low: Double, high: Double, symmetric: Bool, fixed: (Double, Double)?)]()
        for (p, panel) in fig.panels.enumerated() {
            guard let h = panel.heatmap, let r = ownColorRange(h) else { continue }
            own[p] = r
            guard let g = h.colorGroup else { continue }
            var u = groups[g] ?? (r.low, r.high, false, nil)
            u.low = Swift.min(u.low, r.low); u.high = Swift.max(u.high, r.high); u.symmetric = u.symmetric || r.symmetric
            if case .fixed(let lo, let hi)? = h.colorRange, lo < hi { u.fixed = (lo, hi) }
            groups[g] = u
        }
        var out = [Int: (low: Double, high: Double, symmetric: Bool)]()
        for (p, r) in own {
            var range = r
            if let g = fig.panels[p].heatmap?.colorGroup, let u = groups[g] {
                if let f = u.fixed { range = (f.0, f.1, u.symmetric) }
                else if u.symmetric { let m = Swift.max(abs(u.low), abs(u.high)); range = (-m, m, true) }
                else { range = (u.low, u.high, false) }
            }
            if !(range.low < range.high) {
                let d = range.low == 0 ? 0.5 : abs(range.low) * 0.1
                range = (range.low - d, range.high + d, range.symmetric)
            }
            out[p] = range
        }
        return out
    }

    // MARK: keys

    /// The key entries of a panel: its series with a label.
    static func keyEntries(_ panel: Panel) -> [String] { panel.series.map(\.label).filter { !$0.isEmpty } }

    /// Where the key goes: nil (no key), an inside corner, or outside below the plot (`.outside`).
    static func resolveLegend(_ panel: Panel, width: Int, height: Int,
                              ranges: (x: (Double, Double), y: (Double, Double))?) -> LegendPlacement {
        let entries = keyEntries(panel)
        guard !entries.isEmpty else { return .none }
        let wanted = panel.legend ?? .automatic
        guard wanted == .automatic else { return wanted }
        // Over a heat map every corner covers data.
        guard panel.heatmap == nil, let ranges else { return .outside }
        let plot = plotSize(panel, width: width, height: height)
        let longest = Double(entries.map(\.count).max() ?? 0)
        // gnuplot's key: the longest title, a 4-character sample and spacing (measured: 15 characters beyond the
        // title), about 18 px per entry at font size 12.
        let keyW = (longest + 15) * charWidth, keyH = (Double(entries.count) + 1.2) * 16.5
        let kw = (keyW + charWidth) / plot.w, kh = (keyH + 0.5 * lineHeight) / plot.h
        guard kw < 0.7, kh < 0.7 else { return .outside }
        // Room around drawn points and line widths, in plot fractions.
        let mx = 6 / plot.w, my = 6 / plot.h
        let corners: [(LegendPlacement.Corner, Rect)] = [
            (.topRight, Rect(u0: 1 - kw - mx, u1: 1, v0: 1 - kh - my, v1: 1)),
            (.topLeft, Rect(u0: 0, u1: kw + mx, v0: 1 - kh - my, v1: 1)),
            (.bottomRight, Rect(u0: 1 - kw - mx, u1: 1, v0: 0, v1: kh + my)),
            (.bottomLeft, Rect(u0: 0, u1: kw + mx, v0: 0, v1: kh + my)),
        ]
        let shapes = normalizedShapes(panel, ranges: ranges)
        for (corner, rect) in corners where !shapes.contains(where: { $0.hits(rect) }) { return .corner(corner) }
        return .outside
    }

    /// A rectangle in plot fractions (0…1 across the plot area, v upwards).
    struct Rect { var u0, u1, v0, v1: Double }

    /// What a series draws, in plot fractions: points, segments and filled boxes.
    enum Shape {
        case point(Double, Double)
        case segment(Double, Double, Double, Double)
        case box(Rect)

        func hits(_ r: Rect) -> Bool {
            switch self {
            case .point(let u, let v): return u >= r.u0 && u <= r.u1 && v >= r.v0 && v <= r.v1
            case .box(let b): return b.u1 >= r.u0 && b.u0 <= r.u1 && b.v1 >= r.v0 && b.v0 <= r.v1
            case .segment(let u0, let v0, let u1, let v1):
                // Liang–Barsky clip of the segment against the rectangle.
                var t0 = 0.0, t1 = 1.0
                let du = u1 - u0, dv = v1 - v0
                for (p, q) in [(-du, u0 - r.u0), (du, r.u1 - u0), (-dv, v0 - r.v0), (dv, r.v1 - v0)] {
                    if p == 0 { if q < 0 { return false }; continue }
                    let t = q / p
                    if p < 0 { if t > t1 { return false }; if t > t0 { t0 = t } } else { if t < t0 { return false }; if t < t1 { t1 = t } }
                }
                return true
            }
        }
    }

    static func normalizedShapes(_ panel: Panel, ranges: (x: (Double, Double), y: (Double, Double))) -> [Shape] {
        func scale(_ v: Double, _ r: (Double, Double), _ log: Bool) -> Double? {
            guard v.isFinite, !log || v > 0 else { return nil }
            if log { return (Foundation.log10(v) - Foundation.log10(r.0)) / (Foundation.log10(r.1) - Foundation.log10(r.0)) }
            return (v - r.0) / (r.1 - r.0)
        }
        func u(_ x: Double) -> Double? { scale(x, ranges.x, panel.logX) }
        func v(_ y: Double) -> Double? { scale(y, ranges.y, panel.logY) }
        var out = [Shape]()
        for s in panel.series {
            let n = Swift.min(s.x.count, s.y.count)
            var previous: (Double, Double)? = nil
            let half = s.style == .boxes ? boxHalfWidth(s) : 0
            for i in 0..<n {
                guard let pu = u(s.x[i]), let pv = v(s.y[i]) else { continue }
                switch s.style {
                case .points, .errorBars: out.append(.point(pu, pv))
                case .lines, .linesPoints, .errorLines:
                    out.append(.point(pu, pv))
                    if let (qu, qv) = previous { out.append(.segment(qu, qv, pu, pv)) }
                case .steps:
                    if let (qu, qv) = previous { out.append(.segment(qu, qv, pu, qv)); out.append(.segment(pu, qv, pu, pv)) }
                    else { out.append(.point(pu, pv)) }
                case .boxes:
                    if let a = u(s.x[i] - half), let b = u(s.x[i] + half), let base = v(panel.logY ? ranges.y.0 : 0) {
                        out.append(.box(Rect(u0: Swift.min(a, b), u1: Swift.max(a, b), v0: Swift.min(base, pv), v1: Swift.max(base, pv))))
                    }
                case .vectors:
                    if let dx = s.dx, let dy = s.dy, i < dx.count, i < dy.count, let eu = u(s.x[i] + dx[i]), let ev = v(s.y[i] + dy[i]) {
                        out.append(.segment(pu, pv, eu, ev))
                    }
                }
                if (s.style == .errorBars || s.style == .errorLines), let e = s.yError, i < e.count, e[i].isFinite,
                   let lo = v(s.y[i] - abs(e[i])) ?? Optional(0), let hi = v(s.y[i] + abs(e[i])) {
                    out.append(.segment(pu, lo, pu, hi))
                }
                previous = (pu, pv)
            }
        }
        return out
    }

    /// The gnuplot `set key` line of a placement.
    static func keyCommand(_ placement: LegendPlacement) -> String {
        switch placement {
        case .none: return "set key off\n"
        case .automatic, .outside: return "set key below center horizontal noenhanced box\n"
        case .corner(let c):
            let where_: String
            switch c {
            case .topLeft: where_ = "top left"
            case .topRight: where_ = "top right"
            case .bottomLeft: where_ = "bottom left"
            case .bottomRight: where_ = "bottom right"
            }
            return "set key inside \(where_) noenhanced box opaque\n"
        }
    }
}
