/// A table produced by an analysis: a caption, column headers and pre-formatted cells.
public struct Table: Codable, Equatable, Sendable {
    public var id: String
    public var caption: String
    public var columns: [String]
    public var rows: [[String]]
    public init(id: String, caption: String, columns: [String], rows: [[String]]) {
        self.id = id; self.caption = caption; self.columns = columns; self.rows = rows
    }
}

/// How a stored value may drift before `check` fails.
public enum Tolerance: Codable, Equatable, Sendable {
    case absolute(Double)
    case relative(Double)

    /// Whether `value` is within tolerance of `stored`.
    public func accepts(_ value: Double, stored: Double) -> Bool {
        if value.isNaN || stored.isNaN { return value.isNaN && stored.isNaN }
        switch self {
        case .absolute(let t): return abs(value - stored) <= t
        case .relative(let t): return abs(value - stored) <= t * max(abs(stored), .leastNormalMagnitude)
        }
    }
}

/// A named number produced by an analysis, substituted into prose as `{{name}}` and checked against stored values.
public struct Scalar: Codable, Equatable, Sendable {
    public var name: String
    public var value: Double
    /// One standard error (or the half-width the analysis states), if known.
    public var error: Double?
    /// Significant figures used when the value is written into prose.
    public var significantFigures: Int
    public var unit: String?
    /// The tolerance suggested for the regression check, usually derived from `error`. The default rule (no
    /// `tolerance:` given): with a finite error σ > 0, absolute max(3σ, 10⁻⁹ · max(1, |value|)); the floor keeps a σ
    /// at rounding level (e.g. a redundancy that is 1 in every replicate, σ ≈ 10⁻¹⁶) from making the last bit of a
    /// reduction a drift, and is far below any statistical error the reports state. Without an error (or σ = 0):
    /// relative 10⁻⁶.
    public var tolerance: Tolerance
    /// Systematic spread: the range of the value over the analysis choices the paper leaves open (optimiser, error
    /// definition, bias correction, …), shown beside the statistical error. Nil when no such choice was varied.
    public var systematic: SystematicSpread?
    public init(_ name: String, _ value: Double, error: Double? = nil, significantFigures: Int = 3,
                unit: String? = nil, tolerance: Tolerance? = nil, systematic: SystematicSpread? = nil) {
        self.name = name; self.value = value; self.error = error; self.systematic = systematic
        self.significantFigures = significantFigures; self.unit = unit
        if let tolerance { self.tolerance = tolerance }
        else if let e = error, e > 0, e.isFinite { self.tolerance = .absolute(Scalar.statisticalTolerance(value, error: e)) }
        else { self.tolerance = .relative(1e-6) }
    }
}

extension Scalar {
    /// The default rule's absolute tolerance for a value with error σ: max(3σ, 10⁻⁹ · max(1, |value|)) (no floor for
    /// a non-finite value).
    public static func statisticalTolerance(_ value: Double, error: Double) -> Double {
        max(3 * error, value.isFinite ? 1e-9 * max(1, abs(value)) : 0)
    }
}

/// The range [low, high] of a value over the reasonable analysis choices, and what was varied to get it.
public struct SystematicSpread: Codable, Equatable, Sendable {
    public var low: Double
    public var high: Double
    /// What was varied, e.g. "optimiser × ΔFI definition × bias correction × criterion".
    public var over: String
    public init(low: Double, high: Double, over: String) { self.low = low; self.high = high; self.over = over }
}

/// One line or point set in an x–y plot.
public struct Series: Codable, Equatable, Sendable {
    public enum Style: String, Codable, Sendable {
        case lines, points, linesPoints, errorBars, errorLines, steps, boxes
        /// Arrows from (x, y) to (x + dx, y + dy): a vector field (`dx` and `dy` required, in data units).
        case vectors
    }
    public var label: String
    public var style: Style
    public var x: [Double]
    public var y: [Double]
    /// Symmetric y error bars (required for `.errorBars` and `.errorLines`).
    public var yError: [Double]?
    /// A fixed colour (a gnuplot colour name or "#rrggbb"), e.g. grey for many background curves; nil takes the next
    /// colour of the palette (`Palette.categorical`).
    public var color: String?
    /// Arrow components of a `.vectors` series: the arrow at (x[i], y[i]) ends at (x[i] + dx[i], y[i] + dy[i]).
    public var dx: [Double]?
    public var dy: [Double]?
    public init(label: String, style: Style = .linesPoints, x: [Double], y: [Double], yError: [Double]? = nil, color: String? = nil,
                dx: [Double]? = nil, dy: [Double]? = nil) {
        self.label = label; self.style = style; self.x = x; self.y = y; self.yError = yError; self.color = color
        self.dx = dx; self.dy = dy
    }

    /// A vector (arrow) series: one arrow from (x[i], y[i]) to (x[i] + dx[i], y[i] + dy[i]) per element, in data units
    /// (scale them before, e.g. velocity × Δt, so that arrows have a readable length).
    public static func vectors(label: String, x: [Double], y: [Double], dx: [Double], dy: [Double], color: String? = nil) -> Series {
        Series(label: label, style: .vectors, x: x, y: y, color: color, dx: dx, dy: dy)
    }
}

/// The colours given to series without a fixed colour, in order: Okabe & Ito's colour-blind-safe set (blue,
/// vermillion, bluish green, reddish purple, black) with its orange darkened and a grey, every one at least 3:1 in
/// contrast against the white figure background (WCAG 2 relative luminance; `FigureModelTests` checks it).
public enum Palette {
    public static let categorical = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000", "#9A6200", "#5F5F5F"]
    /// Diverging map for values centred on zero (blue – near-white – red, ColorBrewer RdBu ends; safe for the common
    /// colour-vision deficiencies).
    public static let diverging = "defined (0 '#2166ac', 0.25 '#67a9cf', 0.5 '#f7f7f7', 0.75 '#ef8a62', 1 '#b2182b')"
    /// Sequential map (light to dark blue), the default of a heat map.
    public static let sequential = "defined (0 '#f7fbff', 0.5 '#6baed6', 1 '#08306b')"
}

/// How a heat map's values are mapped onto its colour scale.
public enum ColorRange: Codable, Equatable, Sendable {
    /// From the smallest to the largest finite value.
    case data
    /// Centred on zero, [−m, m] with m the largest finite |value|, on a diverging palette (unless one is given).
    case symmetric
    /// A fixed range: give several heat maps the same range to make them comparable across figures.
    case fixed(low: Double, high: Double)
}

/// A matrix drawn as a colour map, optionally with numbers in the cells or contour lines.
public struct Heatmap: Codable, Equatable, Sendable {
    /// `values[row][column]`; row 0 is drawn at the top.
    public var values: [[Double]]
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var showNumbers: Bool
    public var numberFormat: String
    public var contours: Bool
    /// Optional physical extent `(xmin, xmax, ymin, ymax)` for grids such as densities; labels are ignored then.
    public var extent: [Double]?
    /// A gnuplot palette (`defined (...)`); nil: `Palette.sequential`, or `Palette.diverging` for a symmetric range.
    public var palette: String?
    /// The colour scale's range; nil is `.data`.
    public var colorRange: ColorRange?
    /// Heat maps of one figure with the same group share one colour scale: the union of their ranges (symmetric when
    /// any of them asks for `.symmetric`, a `.fixed` range when one is given), so panels meant to be compared are.
    public var colorGroup: String?
    /// Label of the colour bar (the quantity and its unit).
    public var colorLabel: String?
    public init(values: [[Double]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                showNumbers: Bool = false, numberFormat: String = "%.2f", contours: Bool = false,
                extent: [Double]? = nil, palette: String? = nil, colorRange: ColorRange? = nil, colorGroup: String? = nil,
                colorLabel: String? = nil) {
        self.values = values; self.rowLabels = rowLabels; self.columnLabels = columnLabels
        self.showNumbers = showNumbers; self.numberFormat = numberFormat; self.contours = contours
        self.extent = extent; self.palette = palette
        self.colorRange = colorRange; self.colorGroup = colorGroup; self.colorLabel = colorLabel
    }
}

/// Where a panel's key (legend) goes.
public enum LegendPlacement: Codable, Equatable, Sendable {
    public enum Corner: String, Codable, Sendable { case topLeft, topRight, bottomLeft, bottomRight }
    /// The first inside corner (top right, top left, bottom right, bottom left) where the key, at its estimated size,
    /// covers no data; outside, below the plot, when every corner would.
    case automatic
    /// Outside the plot, below it (entries side by side).
    case outside
    /// Inside the plot, in this corner, whatever it covers.
    case corner(Corner)
    /// No key.
    case none
}

/// One panel of a figure: either x–y series or a heatmap, with axis settings.
public struct Panel: Codable, Equatable, Sendable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    /// Logarithmic axes get ticks at powers of ten labelled 10^k (every few decades when they would crowd).
    public var logX: Bool
    public var logY: Bool
    /// Fixed axis ranges; without one, the range is the data's (error bars and arrows included) padded by 4 % on each
    /// side (in decades on a log axis), so that no line lies on the frame.
    public var xRange: [Double]?
    public var yRange: [Double]?
    public var series: [Series]
    public var heatmap: Heatmap?
    /// Key placement; nil is `.automatic`.
    public var legend: LegendPlacement?
    /// Categorical x axis: `xTickLabels[k]` is written at x = k (e.g. class names instead of class numbers).
    public var xTickLabels: [String]?
    /// Categorical y axis: `yTickLabels[k]` is written at y = k.
    public var yTickLabels: [String]?
    public init(title: String = "", xLabel: String = "", yLabel: String = "", logX: Bool = false, logY: Bool = false,
                xRange: [Double]? = nil, yRange: [Double]? = nil, series: [Series] = [], heatmap: Heatmap? = nil,
                legend: LegendPlacement? = nil, xTickLabels: [String]? = nil, yTickLabels: [String]? = nil) {
        self.title = title; self.xLabel = xLabel; self.yLabel = yLabel; self.logX = logX; self.logY = logY
        self.xRange = xRange; self.yRange = yRange; self.series = series; self.heatmap = heatmap
        self.legend = legend; self.xTickLabels = xTickLabels; self.yTickLabels = yTickLabels
    }
}

/// A figure: one or more panels laid out in a grid, with a caption and alt text for the page.
public struct Figure: Codable, Equatable, Sendable {
    /// File-name-safe identifier, unique within a report (e.g. `fig2a`).
    public var id: String
    public var caption: String
    public var altText: String
    public var panels: [Panel]
    public var columns: Int
    /// Size of one panel in pixels.
    public var panelWidth: Int
    public var panelHeight: Int
    public init(id: String, caption: String, altText: String, panels: [Panel], columns: Int = 1,
                panelWidth: Int = 560, panelHeight: Int = 400) {
        self.id = id; self.caption = caption; self.altText = altText; self.panels = panels
        self.columns = columns; self.panelWidth = panelWidth; self.panelHeight = panelHeight
    }
}

/// Everything one analysis run produces. Knows nothing of how it is rendered.
public struct AnalysisOutput: Codable, Equatable, Sendable {
    public var tables: [Table] = []
    public var figures: [Figure] = []
    public var values: [Scalar] = []
    /// Free-form provenance notes (seeds, sample sizes) shown in the page footer.
    public var notes: [String] = []
    public init(tables: [Table] = [], figures: [Figure] = [], values: [Scalar] = [], notes: [String] = []) {
        self.tables = tables; self.figures = figures; self.values = values; self.notes = notes
    }
}
