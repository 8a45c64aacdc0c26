import AnalysisKit
import DataFiles
import Foundation

/// A figure that gnuplot failed to draw.
struct GnuplotError: Error, CustomStringConvertible { let description: String }

/// Turns an AnalysisKit `Figure` into a gnuplot script plus data file, and runs gnuplot to make an SVG.
enum GnuplotFigure {
    /// A gnuplot single-quoted string; line breaks become spaces, since a newline would end the command.
    static func quote(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\r\n", with: " ")
            .replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ") + "'"
    }

    static func number(_ x: Double) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "1e308" : "-1e308" }
        // vsnprintf into a stack buffer: the same "%.10g" text as String(format:), without Foundation's format parser
        // and NSString bridging (a quarter of a warm render before, perf 2026-12-03).
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 32) { buf in
            let n = withVaList([x]) { vsnprintf(buf.baseAddress!, 32, "%.10g", $0) }
            return String(decoding: UnsafeRawBufferPointer(start: buf.baseAddress!, count: Int(n)), as: UTF8.self)
        }
    }

    /// The data file: one gnuplot index block per series or heatmap, in panel order.
    static func data(_ fig: Figure) -> String {
        var out = "# data for figure \(fileName(fig.id))\n"
        for (p, panel) in fig.panels.enumerated() {
            if let h = panel.heatmap {
                out += "# panel \(p + 1) heatmap\n"
                let rows = h.values.count, cols = h.values.first?.count ?? 0
                for r in 0..<rows {
                    for c in 0..<cols {
                        let (x, y) = coordinates(h, row: r, col: c, rows: rows, cols: cols)
                        out += "\(number(x)) \(number(y)) \(number(h.values[r][c]))\n"
                    }
                    out += "\n"
                }
                out += "\n"
            }
            for s in panel.series {
                out += "# panel \(p + 1) series \(s.label)\n"
                for i in 0..<min(s.x.count, s.y.count) {
                    out += "\(number(s.x[i])) \(number(s.y[i]))"
                    if s.style == .vectors {
                        // Columns 3 and 4: the arrow's components (a missing one draws no arrow).
                        let dx = s.dx.flatMap { i < $0.count ? $0[i] : nil } ?? .nan
                        let dy = s.dy.flatMap { i < $0.count ? $0[i] : nil } ?? .nan
                        out += " \(number(dx)) \(number(dy))"
                    } else if let e = s.yError, i < e.count { out += " \(number(e[i]))" }
                    out += "\n"
                }
                out += "\n\n"
            }
        }
        return out
    }

    /// Cell centre of heatmap cell (row, col); with no extent, columns are x = col and rows y = row (drawn top-down).
    static func coordinates(_ h: Heatmap, row: Int, col: Int, rows: Int, cols: Int) -> (Double, Double) {
        if let e = h.extent, e.count == 4 {
            let x = cols > 1 ? e[0] + (e[1] - e[0]) * Double(col) / Double(cols - 1) : e[0]
            let y = rows > 1 ? e[2] + (e[3] - e[2]) * Double(row) / Double(rows - 1) : e[2]
            return (x, y)
        }
        return (Double(col), Double(row))
    }

    /// Point types given in palette order (filled circle, square, triangle, diamond, inverted triangle, pentagon), so
    /// that series differ by shape as well as colour.
    static let pointTypes = [7, 5, 9, 13, 11, 15]

    /// The drawing style of a series; `slot` is its position among the panel's series without a fixed colour, which
    /// picks its palette colour and point type.
    static func style(_ s: Series, slot: Int = 0) -> String {
        let pt = pointTypes[slot % pointTypes.count]
        let base: String
        switch s.style {
        case .lines: base = "with lines lw 2"
        case .points: base = "with points pt \(pt) ps 0.6"
        case .linesPoints: base = "with linespoints lw 2 pt \(pt) ps 0.6"
        case .errorBars: base = "using 1:2:3 with yerrorbars pt \(pt) ps 0.6"
        case .errorLines: base = "using 1:2:3 with yerrorlines lw 2 pt \(pt) ps 0.6"
        case .steps: base = "with steps lw 2"
        case .boxes: base = "with boxes fs solid 0.5"
        case .vectors: base = "using 1:2:3:4 with vectors head filled size screen 0.008,20 lw 1.5"
        }
        return base + " lc rgb \(quote(s.color ?? Palette.categorical[slot % Palette.categorical.count]))"
    }

    /// The gnuplot script; `dataName` and `svgName` are relative to the figure folder (gnuplot runs there).
    static func script(_ fig: Figure, dataName: String, svgName: String) -> String {
        let cols = max(1, fig.columns), rows = (fig.panels.count + cols - 1) / cols
        var s = """
        # figure \(fileName(fig.id)): \(fig.caption.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))
        set terminal svg size \(fig.panelWidth * cols),\(fig.panelHeight * max(rows, 1)) enhanced font 'DejaVu Sans,12' background rgb 'white'
        set output \(quote(svgName))
        set datafile missing 'NaN'
        set encoding utf8
        set multiplot layout \(max(rows, 1)),\(cols)

        """
        let colorRanges = FigureLayout.colorRanges(fig)
        var index = 0
        for (p, panel) in fig.panels.enumerated() {
            s += "reset\nset grid lc rgb '#dddddd'\n"
            if !panel.title.isEmpty { s += FigureLayout.title(panel.title, panelWidth: fig.panelWidth) }
            if !panel.xLabel.isEmpty { s += "set xlabel \(quote(panel.xLabel))\n" }
            if !panel.yLabel.isEmpty { s += "set ylabel \(quote(panel.yLabel))\n" }
            if panel.logX { s += "set logscale x\n" }
            if panel.logY { s += "set logscale y\n" }
            // Series panels: the panel's ranges or the padded data extent; heat maps fit their image below.
            let ranges = panel.heatmap == nil ? FigureLayout.ranges(panel) : nil
            if panel.heatmap == nil, let r = ranges {
                s += "set xrange [\(number(r.x.0)):\(number(r.x.1))]\nset yrange [\(number(r.y.0)):\(number(r.y.1))]\n"
            } else {
                if let r = panel.xRange, r.count == 2 { s += "set xrange [\(number(r[0])):\(number(r[1]))]\n" }
                if let r = panel.yRange, r.count == 2 { s += "set yrange [\(number(r[0])):\(number(r[1]))]\n" }
            }
            let legend = FigureLayout.resolveLegend(panel, width: fig.panelWidth, height: fig.panelHeight, ranges: ranges)
            s += FigureLayout.keyCommand(legend)
            let plot = FigureLayout.plotSize(panel, width: fig.panelWidth, height: fig.panelHeight, colorBox: panel.heatmap != nil)
            if let r = ranges {
                if panel.logX { s += FigureLayout.logTicks(axis: "x", low: r.x.0, high: r.x.1, maxTicks: max(2, Int(plot.w / 50))) }
                if panel.logY { s += FigureLayout.logTicks(axis: "y", low: r.y.0, high: r.y.1, maxTicks: max(2, Int(plot.h / 24))) }
            }
            if let labels = panel.xTickLabels { s += FigureLayout.categoryTicks(axis: "x", labels: labels, room: plot.w) }
            if let labels = panel.yTickLabels { s += FigureLayout.categoryTicks(axis: "y", labels: labels, room: plot.h) }
            var plots = [String]()
            var slot = 0
            func seriesPlot(_ series: Series) -> String {
                let title = series.label.isEmpty ? "notitle" : "title \(quote(series.label))"
                let st = style(series, slot: slot)
                if series.color == nil { slot += 1 }
                let using = st.hasPrefix("using") ? "" : "using 1:2 "
                return "\(quote(dataName)) index \(index) \(using)\(st) \(title)"
            }
            if let h = panel.heatmap {
                let rowsH = h.values.count, colsH = h.values.first?.count ?? 0
                let range = colorRanges[p]
                let diverging = range?.symmetric ?? false
                s += "set palette \(h.palette ?? (diverging ? Palette.diverging : Palette.sequential))\n"
                if let r = range {
                    s += "set cbrange [\(number(r.low)):\(number(r.high))]\n"
                    // Colour-box labels thinned to the box's height (gnuplot's own choice overlapped in short boxes).
                    s += FigureLayout.linearTicks(axis: "cb", low: r.low, high: r.high, maxTicks: max(2, Int(plot.h / 24)))
                } else {
                    s += "set cbtics autofreq\n"
                }
                if let label = h.colorLabel, !label.isEmpty { s += "set cblabel \(quote(label))\n" }
                if let e = h.extent, e.count == 4 {
                    // Fit the axes to the image (half a cell beyond the outer cell centres) unless the panel sets ranges.
                    let dx = colsH > 1 ? (e[1] - e[0]) / Double(colsH - 1) / 2 : 0.5
                    let dy = rowsH > 1 ? (e[3] - e[2]) / Double(rowsH - 1) / 2 : 0.5
                    if panel.xRange == nil { s += "set xrange [\(number(e[0] - dx)):\(number(e[1] + dx))]\n" }
                    if panel.yRange == nil { s += "set yrange [\(number(e[2] - dy)):\(number(e[3] + dy))]\n" }
                } else {
                    s += "set xrange [-0.5:\(Double(colsH) - 0.5)]\nset yrange [\(Double(rowsH) - 0.5):-0.5]\n"
                    // Cell labels, thinned to every k-th when they would overlap.
                    if let labels = h.columnLabels, labels.count == colsH {
                        s += FigureLayout.categoryTicks(axis: "x", labels: labels, room: plot.w)
                    }
                    if let labels = h.rowLabels, labels.count == rowsH {
                        s += FigureLayout.categoryTicks(axis: "y", labels: labels, room: plot.h)
                    }
                }
                if h.contours {
                    // Contour lines are computed into a datablock, then drawn over the image.
                    s += "set contour base\nset cntrparam levels 10\nunset surface\nset view map\n"
                    s += "set table $contours\(index)\nsplot \(quote(dataName)) index \(index) using 1:2:3 with lines notitle\nunset table\n"
                    s += "unset contour\n"
                    plots.append("\(quote(dataName)) index \(index) using 1:2:3 with image notitle")
                    plots.append("$contours\(index) using 1:2 with lines lc rgb 'black' lw 1 notitle")
                    index += 1
                    for series in panel.series {
                        plots.append(seriesPlot(series))
                        index += 1
                    }
                    s += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
                    continue
                }
                // Every heat map is one embedded bitmap (gnuplot's PNG inside the SVG), drawn with crisp cells; one
                // SVG polygon per cell made small maps heavier than the rest of their figure.
                plots.append("\(quote(dataName)) index \(index) using 1:2:3 with image notitle")
                if h.showNumbers, let r = range {
                    // White numbers on the dark part of the colour scale (both ends of a diverging one), black elsewhere.
                    let test: String
                    if diverging { test = "abs($3) > \(number(max(abs(r.low), abs(r.high)) / 2))" }
                    else { test = "$3 > \(number((r.low + r.high) / 2))" }
                    plots.append("'' index \(index) using 1:2:(sprintf(\(quote(h.numberFormat)), $3)):(\(test) ? 0xffffff : 0x000000) "
                                 + "with labels font ',9' tc rgb variable notitle")
                }
                index += 1
            }
            for series in panel.series {
                plots.append(seriesPlot(series))
                index += 1
            }
            s += plots.isEmpty ? "set key off\nset xrange [0:1]\nset yrange [0:1]\nset label 'no data' at 0.5,0.5 center\nplot 1/0 notitle\n" : "plot " + plots.joined(separator: ", \\\n     ") + "\n"
        }
        s += "unset multiplot\nset output\n"
        return s
    }

    /// A figure id as a file name: letters, digits, `-`, `_` and `.` only (anything else becomes `_`), never starting
    /// with a dot, so a free-text id cannot write outside the figure folder.
    static func fileName(_ id: String) -> String {
        var name = String(id.map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") ? c : "_"
        }.prefix(120))
        while name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name.isEmpty ? "figure" : name
    }

    /// The line after the XML prolog of every SVG the renderer keeps: the sha256 of the script and data that drew it.
    /// An SVG whose key does not match the current script and data is never used (it is redrawn, or the figure is an
    /// error). It follows the prolog because an XML document may have nothing before `<?xml …?>`: with the key first,
    /// the kept `.svg` files were not well-formed XML on their own.
    static func keyLine(_ key: String) -> String { "<!-- replicate figure key \(key) -->\n" }

    /// `svg` with the key line inserted after its XML prolog (or first, when it has none).
    static func keyed(_ svg: String, key: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.range(of: "?>") else { return keyLine(key) + svg }
        var rest = svg[end.upperBound...]
        if rest.hasPrefix("\n") { rest = rest.dropFirst() }
        return String(svg[..<end.upperBound]) + "\n" + keyLine(key) + rest
    }

    /// Whether a kept SVG carries `key` in its key line (an SVG of the old layout, key before the prolog, does not:
    /// it is redrawn once).
    static func carriesKey(_ svg: Data, key: String) -> Bool {
        let head = String(decoding: svg.prefix(1024), as: UTF8.self), line = keyLine(key)
        if head.hasPrefix("<?xml") {
            guard let end = head.range(of: "?>\n") else { return false }
            return head[end.upperBound...].hasPrefix(line)
        }
        // No prolog: the key comes first, and no prolog may follow it.
        return head.hasPrefix(line) && !head.dropFirst(line.count).hasPrefix("<?xml")
    }

    private static let tempCounter = NSLock()
    nonisolated(unsafe) private static var tempSerial = 0
    /// A temp-file stem unique to this process and call, so concurrent renders never share a temp file.
    static func uniqueStem(_ base: String) -> String {
        tempCounter.lock(); defer { tempCounter.unlock() }
        tempSerial += 1
        return ".\(base).\(ProcessInfo.processInfo.processIdentifier).\(tempSerial)"
    }

    /// Writes `<id>.dat` and `<id>.gp` into `folder` and draws `<id>.svg` with gnuplot unless the SVG there was drawn
    /// from exactly this script and data (its key line says so). gnuplot writes a unique temp file that is moved into
    /// place only after it succeeds. Returns the SVG bytes.
    static func render(_ fig: Figure, in folder: URL) throws -> Data {
        let base = fileName(fig.id)
        let dat = folder.appendingPathComponent("\(base).dat"), gp = folder.appendingPathComponent("\(base).gp")
        let svg = folder.appendingPathComponent("\(base).svg")
        let dataText = data(fig)
        let scriptText = script(fig, dataName: dat.lastPathComponent, svgName: svg.lastPathComponent)
        let key = sha256Hex(Data((scriptText + "\u{0}" + dataText + "\u{0}" + postProcessing).utf8))
        try AtomicFile.writeIfChanged(Data(dataText.utf8), to: dat)
        try AtomicFile.writeIfChanged(Data(scriptText.utf8), to: gp)
        if let old = try? Data(contentsOf: svg), carriesKey(old, key: key) { return old }

        let stem = uniqueStem(base)
        let tmpSVG = folder.appendingPathComponent("\(stem).svg.tmp"), tmpGP = folder.appendingPathComponent("\(stem).gp")
        defer { try? FileManager.default.removeItem(at: tmpGP); try? FileManager.default.removeItem(at: tmpSVG) }
        try Data(script(fig, dataName: dat.lastPathComponent, svgName: tmpSVG.lastPathComponent).utf8).write(to: tmpGP)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gnuplot", tmpGP.lastPathComponent]
        p.currentDirectoryURL = folder
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        do { try p.run() } catch { throw GnuplotError(description: "cannot run gnuplot (install gnuplot-nox): \(error)") }
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0, let drawnData = try? Data(contentsOf: tmpSVG),
              String(decoding: drawnData, as: UTF8.self).contains("</svg>") else {
            throw GnuplotError(description: "gnuplot failed on \(gp.path): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        // Heatmaps are embedded bitmaps; browsers would smooth them into blurs, so ask for crisp cells.
        let classPrefix = "gp-" + String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
        let drawn = keyed(classifyingGroups(compactingMarkup(compactColorBoxes(removingEmptyGroups(String(decoding: drawnData, as: UTF8.self)))), prefix: classPrefix)
            .replacingOccurrences(of: "<image x=", with: "<image style='image-rendering:pixelated' x="), key: key)
        let bytes = Data(drawn.utf8)
        try AtomicFile.write(bytes, to: svg)
        return bytes
    }

    /// The version of what `render` does to gnuplot's SVG after drawing (part of the figure key, so that a kept SVG
    /// is redrawn when it changes): empty groups dropped, colour boxes as gradients, style groups as classes, long
    /// lines decimated per pixel column (5).
    static let postProcessing = "svg-postprocessing 5"

    /// Shorter markup for the same drawing (issue 19's page weights; about 12–15 % of a figure): coordinates without
    /// trailing zeros ("164.00" → "164", "-0.00" → "0") in `d`, `points`, `transform`, `x`, `y`, `width` and `height`;
    /// `rgb(r, g, b)` colours as `#rrggbb`; a label's lone `<tspan font-family="DejaVu Sans">` (the font its group
    /// already sets) dropped; and runs of point markers of one colour wrapped in one `<g color>` instead of a `color`
    /// on each; long polylines without the vertices that lie within 0.1 px of their neighbours' segment, written
    /// relative (`simplifiedPath`). Text content is never touched. Deterministic: the same SVG in gives the same bytes out.
    static func compactingMarkup(_ svg: String) -> String {
        // Inside tags only (from `<name` to `>`), so that no label's text changes.
        var text = replacing(svg, pattern: #"(<[A-Za-z][^<>]*>)"#) { g in
            let tag = replacing(g[0], pattern: #"rgb\(\s*(\d{1,3}),\s*(\d{1,3}),\s*(\d{1,3})\)"#) { c in
                let v = c.compactMap { Int($0) }
                return v.count == 3 ? String(format: "#%02x%02x%02x", v[0], v[1], v[2]) : nil
            }
            return replacing(tag, pattern: #"(\s(?:d|points|transform|x|y|width|height) ?= ?)(['"])([^'"<>]*)\2"#) { a in
                var value = trimmedNumbers(a[2]).split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
                if a[0].hasSuffix("d=") && !tag.contains(" id=") {
                    // Column decimation only on stroked lines: a filled outline's area could change within a column.
                    value = simplifiedPath(value, decimatingColumns: tag.hasPrefix("<path") && !filled(tag))
                }
                return a[0] + a[1] + value + a[1]
            }
        }
        text = replacing(text, pattern: #"<text><tspan font-family="DejaVu Sans" >([^<]*)</tspan></text>"#) { g in "<text>" + g[0] + "</text>" }
        return groupingMarkers(text)
    }

    /// Whether a tag sets a `fill` other than `none` (its path outlines an area).
    static func filled(_ tag: String) -> Bool {
        guard let r = tag.range(of: " fill") else { return false }
        let rest = tag[r.upperBound...].drop(while: { $0 == " " || $0 == "=" || $0 == "'" || $0 == "\"" })
        return !rest.hasPrefix("none")
    }

    /// A polyline (coordinates in hundredths of a pixel) reduced, per pixel column, to what a rasteriser draws there
    /// (the M4 aggregation of Jugel et al., VLDB 2014): each maximal run of consecutive vertices that fall in one column
    /// `[c, c + 1)` px keeps only its first vertex, the one with the least y, the one with the greatest y and its last
    /// one, in their original order (fewer when they coincide). The line inside a column is connected, so it covers
    /// exactly the rows between its least and greatest y; the kept vertices cover the same rows, and the segments that
    /// join one column to the next (last vertex to next first vertex) are unchanged. Visually lossless at the SVG's own
    /// size, one unit per CSS pixel (the page shows figures at most at that size); a 2000-step noisy training curve
    /// across 330 px keeps at most 4 vertices per column instead of about 6. For an x-ordered series every column is one
    /// run, so it keeps at most 4 vertices per column; a path that returns to a column makes a new run there.
    /// Deterministic (ties keep the earliest vertex).
    static func decimatedByColumn(_ points: [(Int, Int)]) -> [(Int, Int)] {
        guard points.count > 4 else { return points }
        func column(_ x: Int) -> Int { x >= 0 ? x / 100 : -((-x + 99) / 100) }
        var out = [(Int, Int)]()
        out.reserveCapacity(points.count)
        var start = 0
        while start < points.count {
            let c = column(points[start].0)
            var end = start + 1, low = start, high = start
            while end < points.count && column(points[end].0) == c {
                if points[end].1 < points[low].1 { low = end }
                if points[end].1 > points[high].1 { high = end }
                end += 1
            }
            var last = -1
            for k in [start, min(low, high), max(low, high), end - 1] where k > last { out.append(points[k]); last = k }
            start = end
        }
        return out
    }

    /// Path data `M x,y L x,y …` (absolute moves and lines only) with each subpath reduced to at most 4 vertices per
    /// pixel column (`decimatedByColumn`, when `decimatingColumns`; gnuplot writes a vertex per data point, e.g. 2000
    /// training steps across 330 px), then without the vertices that lie within 0.1 px of the segment between the kept
    /// vertices around them, and the remaining lines written relative (`l dx,dy …`, exact in the 0.01 px that gnuplot
    /// writes). Paths with fewer than 8 vertices, or any other command, are returned unchanged, so that frames, boxes
    /// and markers keep their absolute form. The figure's `.dat` file keeps every point.
    static func simplifiedPath(_ d: String, decimatingColumns: Bool = true) -> String {
        var subpaths = [[(Int, Int)]]()
        var tokens = d.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" })[...]
        var count = 0
        while let t = tokens.first {
            tokens = tokens.dropFirst()
            guard let c = t.first, c == "M" || c == "L" else { return d }
            let pair = t.dropFirst().split(separator: ",")
            guard pair.count == 2, let x = hundredths(pair[0]), let y = hundredths(pair[1]) else { return d }
            if c == "M" { subpaths.append([(x, y)]) } else if subpaths.isEmpty { return d } else { subpaths[subpaths.count - 1].append((x, y)) }
            count += 1
        }
        guard count >= 8 else { return d }
        func dist2(_ p: (Int, Int), _ a: (Int, Int), _ b: (Int, Int)) -> Double {
            let (px, py, ax, ay, bx, by) = (Double(p.0), Double(p.1), Double(a.0), Double(a.1), Double(b.0), Double(b.1))
            let dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy
            let t = l2 == 0 ? 0 : Swift.max(0, Swift.min(1, ((px - ax) * dx + (py - ay) * dy) / l2))
            let qx = ax + t * dx - px, qy = ay + t * dy - py
            return qx * qx + qy * qy
        }
        let tol2 = 10.0 * 10.0   // 0.1 px in hundredths, squared
        var out = ""
        for whole in subpaths {
            let sp = decimatingColumns ? decimatedByColumn(whole) : whole
            var kept = [sp[0]]
            var anchor = 0, i = 1
            while i < sp.count {
                // Extend the segment from the anchor as far as every skipped vertex stays within the tolerance.
                var j = i
                while j + 1 < sp.count && j + 1 - anchor <= 64
                        && (anchor + 1...j).allSatisfy({ dist2(sp[$0], sp[anchor], sp[j + 1]) <= tol2 }) { j += 1 }
                kept.append(sp[j]); anchor = j; i = j + 1
            }
            out += (out.isEmpty ? "" : " ") + "M" + text(kept[0].0) + "," + text(kept[0].1)
            if kept.count > 1 {
                out += " l" + (1..<kept.count).map { text(kept[$0].0 - kept[$0 - 1].0) + "," + text(kept[$0].1 - kept[$0 - 1].1) }.joined(separator: " ")
            }
        }
        return out
    }

    /// A coordinate with at most two decimals in hundredths ("12.5" → 1250); nil for anything else.
    static func hundredths(_ s: Substring) -> Int? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0].isEmpty || parts[0] == "-" ? parts[0] + "0" : parts[0]) else { return nil }
        var frac = 0
        if parts.count == 2 {
            guard parts[1].count <= 2, parts[1].allSatisfy(\.isASCII), let f = Int(parts[1]) else { return nil }
            frac = parts[1].count == 1 ? f * 10 : f
        }
        let negative = s.hasPrefix("-")
        return whole * 100 + (negative ? -frac : frac)
    }

    /// Hundredths as the shortest decimal ("1250" → "12.5", "-5" → "-0.05").
    static func text(_ v: Int) -> String {
        let a = abs(v), whole = a / 100, frac = a % 100
        var s = String(whole)
        if frac != 0 { s += frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac) }
        return v < 0 ? "-" + s : s
    }

    /// Numbers of an attribute value without trailing decimal zeros ("164.00" → "164", "54.10" → "54.1", "-0.00" → "0").
    static func trimmedNumbers(_ value: String) -> String {
        replacing(value, pattern: #"(-?\d+)\.(\d+)"#) { g in
            var frac = Substring(g[1])
            while frac.last == "0" { frac = frac.dropLast() }
            let s = frac.isEmpty ? g[0] : g[0] + "." + frac
            return s == "-0" ? "0" : s
        }
    }

    /// Runs of two or more consecutive marker lines `\t<use xlink:href='#gpPtN' transform='…' color='C'/>` of one colour
    /// as `\t<g color='C'>` around the same lines without their `color` (they inherit it: `currentColor`).
    static func groupingMarkers(_ svg: String) -> String {
        let lines = svg.split(separator: "\n", omittingEmptySubsequences: false)
        func color(_ l: Substring) -> (Substring, Substring)? {
            guard l.hasPrefix("\t<use xlink:href='#gpPt"), l.hasSuffix("'/>"), let r = l.range(of: "' color='") else { return nil }
            let c = l[r.upperBound..<l.index(l.endIndex, offsetBy: -3)]
            guard !c.isEmpty, !c.contains("'"), !l[..<r.lowerBound].contains(" color=") else { return nil }
            return (c, l[..<r.lowerBound] + "'/>")
        }
        var out = [Substring]()
        out.reserveCapacity(lines.count)
        var i = 0
        while i < lines.count {
            if let (c, _) = color(lines[i]) {
                var j = i, run = [Substring]()
                while j < lines.count, let (cj, bare) = color(lines[j]), cj == c { run.append(bare); j += 1 }
                if run.count >= 2 {
                    out.append("\t<g color='\(c)'>"); out += run; out.append("\t</g>")
                    i = j; continue
                }
            }
            out.append(lines[i]); i += 1
        }
        return out.joined(separator: "\n")
    }

    private static let regexLock = NSLock()
    nonisolated(unsafe) private static var regexes = [String: NSRegularExpression]()
    /// A compiled pattern, compiled once per process.
    static func regex(_ pattern: String) -> NSRegularExpression? {
        regexLock.lock(); defer { regexLock.unlock() }
        if let re = regexes[pattern] { return re }
        guard let re = try? NSRegularExpression(pattern: pattern) else { return nil }
        regexes[pattern] = re
        return re
    }

    /// `text` with every match of `pattern` replaced by `transform(capture groups)` (the match is kept when it returns nil).
    static func replacing(_ text: String, pattern: String, _ transform: ([String]) -> String?) -> String {
        guard let re = regex(pattern) else { return text }
        let ns = text as NSString
        var out = "", last = 0
        for m in re.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let groups = (1..<m.numberOfRanges).map { k -> String in
                let r = m.range(at: k)
                return r.location == NSNotFound ? "" : ns.substring(with: r)
            }
            guard let replacement = transform(groups) else { continue }
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last)) + replacement
            last = m.range.location + m.range.length
        }
        if last == 0 { return text }
        return out + ns.substring(from: last)
    }

    /// gnuplot's SVG terminal opens and closes a style group around every tick, grid line and key entry, most of them
    /// empty (a fifth of a figure's bytes). An empty group — a line `<g …>` without an id, directly followed by a line
    /// `</g>` — draws nothing and is dropped.
    static func removingEmptyGroups(_ svg: String) -> String {
        var out = [Substring]()
        let lines = svg.split(separator: "\n", omittingEmptySubsequences: false)
        out.reserveCapacity(lines.count)
        var i = 0
        while i < lines.count {
            let l = lines[i]
            if i + 1 < lines.count, lines[i + 1] == "</g>", l.hasPrefix("<g "), l.hasSuffix(">"), !l.contains(" id="), !l.contains("<", after: 1) {
                i += 2; continue
            }
            out.append(l); i += 1
        }
        return out.joined(separator: "\n")
    }

    /// Presentation attributes that a style group may carry as a CSS class instead (with the unit CSS needs).
    private static let classable: [String: String] = [
        "fill": "", "color": "", "stroke": "", "stroke-width": "px", "stroke-linecap": "", "stroke-linejoin": "",
        "font-family": "", "font-size": "px", "font-weight": "", "font-style": "",
    ]
    /// Attributes a classified group keeps as they are (`text-anchor` too: checkers read it from the markup).
    private static let kept: Set<String> = ["transform", "text-anchor"]

    /// gnuplot repeats the same presentation attributes on every style group (`<g fill="none" color="black"
    /// stroke="currentColor" stroke-width="1.00" stroke-linecap="butt" stroke-linejoin="miter">`, a hundred bytes, on
    /// every tick, grid line and label). Each distinct set becomes a class `<prefix>-<k>` defined once in a `<style>` at
    /// the top of the SVG (the properties are the same, so is the drawing; children still override them with their own
    /// attributes). A group with any other attribute than those, `transform` and `text-anchor` is left alone.
    static func classifyingGroups(_ svg: String, prefix: String) -> String {
        let bytes = Array(svg.utf8)
        let open = Array("<g ".utf8)
        var out = [UInt8](), classes = [String: Int](), order = [String]()
        out.reserveCapacity(bytes.count)
        var i = 0
        func parse(_ tag: ArraySlice<UInt8>) -> [(String, String)]? {
            // name="value" pairs separated by spaces.
            var attrs = [(String, String)](), k = tag.startIndex
            while k < tag.endIndex {
                while k < tag.endIndex && tag[k] == UInt8(ascii: " ") { k += 1 }
                if k == tag.endIndex { break }
                guard let eq = tag[k...].firstIndex(of: UInt8(ascii: "=")), eq + 1 < tag.endIndex, tag[eq + 1] == UInt8(ascii: "\"") else { return nil }
                guard let close = tag[(eq + 2)...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
                attrs.append((String(decoding: tag[k..<eq], as: UTF8.self), String(decoding: tag[(eq + 2)..<close], as: UTF8.self)))
                k = close + 1
            }
            return attrs
        }
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "<"), i + 3 <= bytes.count, bytes[i..<(i + 3)].elementsEqual(open),
               let gt = bytes[(i + 3)...].firstIndex(of: UInt8(ascii: ">")), bytes[gt - 1] != UInt8(ascii: "/"),
               let attrs = parse(bytes[(i + 3)..<gt]), !attrs.isEmpty,
               attrs.allSatisfy({ kept.contains($0.0) || (classable[$0.0] != nil && !$0.1.contains(where: { ";{}<>'\\".contains($0) })) }) {
                let styled = attrs.filter { !kept.contains($0.0) }
                if styled.count >= 2 {
                    let css = styled.map { name, value -> String in
                        let unit = classable[name]!
                        let v = name == "font-family" ? "\"\(value)\"" : value + (unit.isEmpty || Double(value) == nil ? "" : unit)
                        return "\(name):\(v)"
                    }.joined(separator: ";")
                    let k: Int
                    if let known = classes[css] { k = known } else { k = order.count + 1; classes[css] = k; order.append(css) }
                    out += Array("<g ".utf8)
                    for (name, value) in attrs where kept.contains(name) { out += Array("\(name)=\"\(value)\" ".utf8) }
                    out += Array("class=\"\(prefix)-\(k)\">".utf8)
                    i = gt + 1; continue
                }
            }
            out.append(bytes[i]); i += 1
        }
        guard !order.isEmpty else { return svg }
        var text = String(decoding: out, as: UTF8.self)
        let style = "<style>" + order.enumerated().map { ".\(prefix)-\($0.offset + 1){\($0.element)}" }.joined() + "</style>\n"
        if let desc = text.range(of: "</desc>\n") { text.insert(contentsOf: style, at: desc.upperBound) }
        else if let svgTag = text.range(of: "<svg"), let end = text[svgTag.upperBound...].firstIndex(of: ">") {
            text.insert(contentsOf: "\n" + style, at: text.index(after: end))
        } else { return svg }
        return text
    }

    /// gnuplot's SVG terminal draws a colour box as 128 filled rectangles (about 19 kB, more than a small heat map's
    /// own bitmap). Each such run — a `<g stroke='none' shape-rendering='crispEdges'>` group of rectangles stacked along
    /// one axis — becomes one rectangle filled with a linear gradient through every eighth of their colours (and the
    /// last), which looks the same for gnuplot's piecewise-linear palettes. Anything else is left alone.
    static func compactColorBoxes(_ svg: String) -> String {
        let open = "<g stroke='none' shape-rendering='crispEdges'>\n"
        guard svg.contains(open) else { return svg }
        var out = "", rest = Substring(svg), serial = 0
        while let r = rest.range(of: open) {
            out += rest[..<r.lowerBound]
            guard let end = rest[r.upperBound...].range(of: "\t</g>") else { out += rest[r.lowerBound...]; rest = ""; break }
            let body = rest[r.upperBound..<end.lowerBound]
            var cells = [(color: String, x0: Double, y0: Double, x1: Double, y1: Double)]()
            var ok = true
            for line in body.split(separator: "\n") {
                let t = line.trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("<polygon fill = 'rgb("), let close = t.range(of: ")' points = '"), t.hasSuffix(" '/>") else { ok = false; break }
                let rgb = t[t.index(t.startIndex, offsetBy: 21)..<close.lowerBound].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                let pts = t[close.upperBound..<t.index(t.endIndex, offsetBy: -4)].split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
                guard rgb.count == 3, pts.count == 4, pts.allSatisfy({ $0.count == 2 }) else { ok = false; break }
                let xs = pts.map { $0[0] }, ys = pts.map { $0[1] }
                cells.append((String(format: "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]), xs.min()!, ys.min()!, xs.max()!, ys.max()!))
            }
            let vertical = cells.count >= 8 && cells.allSatisfy { $0.x0 == cells[0].x0 && $0.x1 == cells[0].x1 }
            let horizontal = cells.count >= 8 && cells.allSatisfy { $0.y0 == cells[0].y0 && $0.y1 == cells[0].y1 }
            guard ok, vertical || horizontal else {
                out += rest[r.lowerBound..<end.upperBound]; rest = rest[end.upperBound...]; continue
            }
            serial += 1
            let x0 = cells.map(\.x0).min()!, x1 = cells.map(\.x1).max()!, y0 = cells.map(\.y0).min()!, y1 = cells.map(\.y1).max()!
            // The gradient runs from the first rectangle's side to the last one's.
            let first = cells[0], last = cells[cells.count - 1]
            let (gx1, gy1, gx2, gy2): (Int, Int, Int, Int) = vertical ? (0, first.y0 > last.y0 ? 1 : 0, 0, first.y0 > last.y0 ? 0 : 1)
                                                                        : (first.x0 > last.x0 ? 1 : 0, 0, first.x0 > last.x0 ? 0 : 1, 0)
            var stops = [String]()
            let n = cells.count
            for k in Array(Swift.stride(from: 0, to: n, by: 8)) + ((n - 1) % 8 == 0 ? [] : [n - 1]) {
                stops.append("<stop offset='\(String(format: "%.4f", (Double(k) + 0.5) / Double(n)))' stop-color='\(cells[k].color)'/>")
            }
            out += "<g stroke='none'><defs><linearGradient id='colorbox\(serial)' x1='\(gx1)' y1='\(gy1)' x2='\(gx2)' y2='\(gy2)'>"
                + stops.joined() + "</linearGradient></defs>"
                + "<rect x='\(String(format: "%.2f", x0))' y='\(String(format: "%.2f", y0))' width='\(String(format: "%.2f", x1 - x0))' "
                + "height='\(String(format: "%.2f", y1 - y0))' fill='url(#colorbox\(serial))'/>\n"
            rest = rest[end.lowerBound...]
        }
        return out + rest
    }

    /// Copies a figure's `.dat` and `.gp` (as written by `render` into `folder`) and its SVG into `siteFolder`, the
    /// folder its page links, so that a published `site/` carries every file it links (unchanged files are not
    /// rewritten).
    static func publish(_ fig: Figure, svg: Data, from folder: URL, to siteFolder: URL) throws {
        let base = fileName(fig.id)
        for ext in ["dat", "gp"] {
            let data = try Data(contentsOf: folder.appendingPathComponent("\(base).\(ext)"))
            try AtomicFile.writeIfChanged(data, to: siteFolder.appendingPathComponent("\(base).\(ext)"))
        }
        try AtomicFile.writeIfChanged(svg, to: siteFolder.appendingPathComponent("\(base).svg"))
    }

    static var version: String {
        let p = Process(), out = Pipe()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["gnuplot", "--version"]
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return "gnuplot not found" }
        let v = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return v.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

extension Substring {
    /// Whether `c` occurs at or after character offset `after`.
    fileprivate func contains(_ c: Character, after: Int) -> Bool { dropFirst(after).contains(c) }
}
