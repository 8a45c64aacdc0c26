import Foundation

/// Descriptive statistics, least squares, kernel density estimates and histograms.
public enum Stats {
    public static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

    /// Unbiased sample variance (divisor n − 1).
    public static func variance(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    public static func standardDeviation(_ x: [Double]) -> Double { variance(x).squareRoot() }

    /// Standard error of the mean.
    public static func standardError(_ x: [Double]) -> Double { standardDeviation(x) / Double(x.count).squareRoot() }

    /// Quantile with linear interpolation between order statistics (numpy's default), q in [0, 1].
    public static func quantile(_ x: [Double], _ q: Double) -> Double {
        precondition(!x.isEmpty && q >= 0 && q <= 1)
        let s = x.sorted()
        let h = q * Double(s.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }

    public static func median(_ x: [Double]) -> Double { quantile(x, 0.5) }

    /// Least-squares coefficients β minimising ‖y − Xβ‖² (design matrix with samples in rows), optional weights.
    public static func leastSquares(design x: Matrix<Double>, _ y: [Double], weights: [Double]? = nil) throws -> [Double] {
        precondition(x.rows == y.count, "design has \(x.rows) rows but y has \(y.count) values")
        var xw = x, yw = y
        if let w = weights {
            for i in 0..<x.rows {
                let s = w[i].squareRoot()
                for j in 0..<x.cols { xw[i, j] *= s }
                yw[i] *= s
            }
        }
        let xtx = Matrix.product(xw, transA: true, xw)
        let xty = Matrix.product(xw, transA: true, Matrix(rows: yw.count, cols: 1, data: yw))
        return try xtx.solve(xty).data
    }

    /// Straight-line fit y = a + b x; returns (intercept, slope, standard error of the slope).
    public static func linearFit(_ x: [Double], _ y: [Double]) -> (intercept: Double, slope: Double, slopeError: Double) {
        precondition(x.count == y.count && x.count >= 2)
        let mx = mean(x), my = mean(y)
        var sxx = 0.0, sxy = 0.0
        for (a, b) in zip(x, y) { sxx += (a - mx) * (a - mx); sxy += (a - mx) * (b - my) }
        let slope = sxy / sxx, intercept = my - slope * mx
        guard x.count > 2 else { return (intercept, slope, .nan) }
        let rss = zip(x, y).reduce(0) { $0 + pow($1.1 - intercept - slope * $1.0, 2) }
        return (intercept, slope, (rss / Double(x.count - 2) / sxx).squareRoot())
    }

    /// Gaussian kernel density estimate on `grid`, with optional sample weights; bandwidth by Silverman's rule if nil.
    public static func kernelDensity(_ x: [Double], weights: [Double]? = nil, grid: [Double], bandwidth: Double? = nil) -> [Double] {
        let w = weights ?? [Double](repeating: 1, count: x.count)
        let total = w.reduce(0, +)
        guard total > 0 else { return grid.map { _ in 0 } }
        let m = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } / total
        let v = zip(x, w).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) } / total
        let neff = total * total / w.reduce(0) { $0 + $1 * $1 }
        let h = bandwidth ?? max(1.06 * v.squareRoot() * pow(neff, -0.2), 1e-12)
        let norm = 1 / (total * h * (2 * Double.pi).squareRoot())
        return grid.map { g in
            var s = 0.0
            for (xi, wi) in zip(x, w) { let z = (g - xi) / h; s += wi * exp(-0.5 * z * z) }
            return s * norm
        }
    }

    /// Counts of `x` in `bins` equal bins over [lo, hi] (values outside are clamped to the end bins).
    public static func histogram(_ x: [Double], bins: Int, lo: Double, hi: Double) -> [Int] {
        precondition(bins > 0 && hi > lo)
        var c = [Int](repeating: 0, count: bins)
        for v in x where v.isFinite {
            let k = Int(((v - lo) / (hi - lo) * Double(bins)).rounded(.down))
            c[min(max(k, 0), bins - 1)] += 1
        }
        return c
    }

    /// Evenly spaced values from a to b inclusive.
    public static func linspace(_ a: Double, _ b: Double, _ n: Int) -> [Double] {
        n == 1 ? [a] : (0..<n).map { a + (b - a) * Double($0) / Double(n - 1) }
    }
}
