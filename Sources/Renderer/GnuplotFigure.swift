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
                    if let e = s.yError, i < e.count { out += " \(number(e[i]))" }
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

    static func style(_ s: Series) -> String {
        guard let color = s.color else { return paletteStyle(s) }
        return paletteStyle(s) + " lc rgb \(quote(color))"
    }

    static func paletteStyle(_ s: Series) -> String {
        switch s.style {
        case .lines: return "with lines lw 2"
        case .points: return "with points pt 7 ps 0.6"
        case .linesPoints: return "with linespoints lw 2 pt 7 ps 0.6"
        case .errorBars: return "using 1:2:3 with yerrorbars pt 7 ps 0.6"
        case .errorLines: return "using 1:2:3 with yerrorlines lw 2 pt 7 ps 0.6"
        case .steps: return "with steps lw 2"
        case .boxes: return "with boxes fs solid 0.5"
        }
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
        var index = 0
        for panel in fig.panels {
            s += "reset\nset key bottom right noenhanced box opaque\nset grid lc rgb '#dddddd'\n"
            if !panel.title.isEmpty { s += "set title \(quote(panel.title))\n" }
            if !panel.xLabel.isEmpty { s += "set xlabel \(quote(panel.xLabel))\n" }
            if !panel.yLabel.isEmpty { s += "set ylabel \(quote(panel.yLabel))\n" }
            if panel.logX { s += "set logscale x\n" }
            if panel.logY { s += "set logscale y\n" }
            if let r = panel.xRange, r.count == 2 { s += "set xrange [\(number(r[0])):\(number(r[1]))]\n" }
            if let r = panel.yRange, r.count == 2 { s += "set yrange [\(number(r[0])):\(number(r[1]))]\n" }
            var plots = [String]()
            if let h = panel.heatmap {
                let rowsH = h.values.count, colsH = h.values.first?.count ?? 0
                s += "set palette \(h.palette ?? "defined (0 '#f7fbff', 0.5 '#6baed6', 1 '#08306b')")\n"
                if let e = h.extent, e.count == 4 {
                    // Fit the axes to the image (half a cell beyond the outer cell centres) unless the panel sets ranges.
                    let dx = colsH > 1 ? (e[1] - e[0]) / Double(colsH - 1) / 2 : 0.5
                    let dy = rowsH > 1 ? (e[3] - e[2]) / Double(rowsH - 1) / 2 : 0.5
                    if panel.xRange == nil { s += "set xrange [\(number(e[0] - dx)):\(number(e[1] + dx))]\n" }
                    if panel.yRange == nil { s += "set yrange [\(number(e[2] - dy)):\(number(e[3] + dy))]\n" }
                } else {
                    s += "set xrange [-0.5:\(Double(colsH) - 0.5)]\nset yrange [\(Double(rowsH) - 0.5):-0.5]\n"
                    if let labels = h.columnLabels, labels.count == colsH {
                        s += "set xtics (" + labels.enumerated().map { "\(quote($0.element)) \($0.offset)" }.joined(separator: ", ") + ") rotate by -45\n"
                    }
                    if let labels = h.rowLabels, labels.count == rowsH {
                        s += "set ytics (" + labels.enumerated().map { "\(quote($0.element)) \($0.offset)" }.joined(separator: ", ") + ")\n"
                    }
                }
                if panel.series.isEmpty { s += "set key off\n" }
                if h.contours {
                    // Contour lines are computed into a datablock, then drawn over the image.
                    s += "set contour base\nset cntrparam levels 10\nunset surface\nset view map\n"
                    s += "set table $contours\(index)\nsplot \(quote(dataName)) index \(index) using 1:2:3 with lines notitle\nunset table\n"
                    s += "unset contour\n"
                    plots.append("\(quote(dataName)) index \(index) using 1:2:3 with image notitle")
                    plots.append("$contours\(index) using 1:2 with lines lc rgb 'black' lw 1 notitle")
                    index += 1
                    for series in panel.series {
                        let title = series.label.isEmpty ? "notitle" : "title \(quote(series.label))"
                        let st = style(series)
                        plots.append("\(quote(dataName)) index \(index) \(st.hasPrefix("using") ? "" : "using 1:2 ")\(st) \(title)")
                        index += 1
                    }
                    s += "plot " + plots.joined(separator: ", \\\n     ") + "\n"
                    continue
                }
                // Small matrices are drawn as one rectangle per cell (no smoothing by the viewer).
                let pixels = rowsH * colsH <= 2500 ? " pixels" : ""
                plots.append("\(quote(dataName)) index \(index) using 1:2:3 with image\(pixels) notitle")
                if h.showNumbers {
                    // White numbers on the dark upper half of the colour range, black elsewhere.
                    let finite = h.values.joined().filter { $0.isFinite }
                    let mid = ((finite.min() ?? 0) + (finite.max() ?? 0)) / 2
                    plots.append("'' index \(index) using 1:2:(sprintf(\(quote(h.numberFormat)), $3)):($3 > \(number(mid)) ? 0xffffff : 0x000000) "
                                 + "with labels font ',9' tc rgb variable notitle")
                }
                index += 1
            }
            for series in panel.series {
                let title = series.label.isEmpty ? "notitle" : "title \(quote(series.label))"
                let st = style(series)
                let using = st.hasPrefix("using") ? "" : "using 1:2 "
                plots.append("\(quote(dataName)) index \(index) \(using)\(st) \(title)")
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
        let key = sha256Hex(Data((scriptText + "\u{0}" + dataText).utf8))
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
        let drawn = keyed(String(decoding: drawnData, as: UTF8.self)
            .replacingOccurrences(of: "<image x=", with: "<image style='image-rendering:pixelated' x="), key: key)
        let bytes = Data(drawn.utf8)
        try AtomicFile.write(bytes, to: svg)
        return bytes
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
