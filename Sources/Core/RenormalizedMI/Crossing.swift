import Foundation
import Numerics

/// The zero of a noisy difference curve d(s) (e.g. Ĩ of one feature minus another against the noise σ):
/// a weighted least-squares polynomial d(s) ≈ Σ c_p (s − s̄)^p of degree 1 or 2 over independent points with standard
/// errors eᵢ, its root s* inside the points' range, and the delta-method error of s* from the coefficients' covariance
/// (XᵀWX)⁻¹, W = diag(1/eᵢ²). `chi2` / `dof` says whether the polynomial describes the points within their errors.
public struct CurveCrossing: Sendable, Equatable {
    public var root: Double
    public var error: Double
    public var chi2: Double
    public var dof: Int

    public init?(s: [Double], d: [Double], errors: [Double], degree: Int = 2) {
        precondition(s.count == d.count && d.count == errors.count && (degree == 1 || degree == 2))
        let p = degree + 1
        guard s.count > p, errors.allSatisfy({ $0 > 0 }) else { return nil }
        let centre = Stats.mean(s)
        var xtwx = Matrix<Double>(rows: p, cols: p, repeating: 0), xtwy = [Double](repeating: 0, count: p)
        for i in s.indices {
            let u = s[i] - centre, w = 1 / (errors[i] * errors[i])
            let row = (0..<p).map { pow(u, Double($0)) }
            for a in 0..<p {
                xtwy[a] += w * row[a] * d[i]
                for b in 0..<p { xtwx[a, b] += w * row[a] * row[b] }
            }
        }
        guard let cov = try? xtwx.inverseSPD() else { return nil }
        let c = (0..<p).map { a in (0..<p).reduce(0) { $0 + cov[a, $1] * xtwy[$1] } }
        // Root: the one inside the data range (closest to the centre when two are).
        var roots = [Double]()
        if degree == 1 { if c[1] != 0 { roots = [-c[0] / c[1]] } }
        else {
            let disc = c[1] * c[1] - 4 * c[2] * c[0]
            if disc >= 0 {
                if abs(c[2]) < 1e-300 { roots = [-c[0] / c[1]] }
                else { roots = [(-c[1] + disc.squareRoot()) / (2 * c[2]), (-c[1] - disc.squareRoot()) / (2 * c[2])] }
            }
        }
        let lo = s.min()! - centre, hi = s.max()! - centre
        guard let u = roots.filter({ $0 >= lo && $0 <= hi }).min(by: { abs($0) < abs($1) }) else { return nil }
        // du/dc_p = −u^p / d′(u).
        let slope = (1..<p).reduce(0) { $0 + Double($1) * c[$1] * pow(u, Double($1 - 1)) }
        let g = (0..<p).map { -pow(u, Double($0)) / slope }
        var variance = 0.0
        for a in 0..<p { for b in 0..<p { variance += g[a] * cov[a, b] * g[b] } }
        var chi2 = 0.0
        for i in s.indices {
            let v = s[i] - centre
            let fit = (0..<p).reduce(0) { $0 + c[$1] * pow(v, Double($1)) }
            chi2 += pow((d[i] - fit) / errors[i], 2)
        }
        root = centre + u; error = variance.squareRoot(); self.chi2 = chi2; dof = s.count - p
    }

    /// The first sign change of `d` along `s`, by linear interpolation between the two bracketing points (no error).
    public static func linearInterpolation(s: [Double], d: [Double]) -> Double? {
        for i in 1..<s.count where (d[i - 1] > 0) != (d[i] > 0) {
            return s[i - 1] + (s[i] - s[i - 1]) * d[i - 1] / (d[i - 1] - d[i])
        }
        return nil
    }

    /// The same crossing with its delta-method error from the independent errors of the two bracketing points:
    /// s* = s₀ + h d₀/(d₀ − d₁), so ∂s*/∂d₀ = −h d₁/(d₀ − d₁)² and ∂s*/∂d₁ = h d₀/(d₀ − d₁)². Calibrated in
    /// `CalibrationTests.testLinearCrossingError` for bracketing differences many errors away from zero.
    public static func linearInterpolation(s: [Double], d: [Double], errors: [Double]) -> (root: Double, error: Double)? {
        precondition(s.count == d.count && d.count == errors.count)
        guard let root = linearInterpolation(s: s, d: d),
              let k = (1..<s.count).first(where: { (d[$0 - 1] > 0) != (d[$0] > 0) }) else { return nil }
        let d0 = d[k - 1], d1 = d[k], h = s[k] - s[k - 1]
        let g0 = h * (-d1) / ((d0 - d1) * (d0 - d1)), g1 = h * d0 / ((d0 - d1) * (d0 - d1))
        return (root, ((g0 * errors[k - 1]) * (g0 * errors[k - 1]) + (g1 * errors[k]) * (g1 * errors[k])).squareRoot())
    }
}

/// The mean difference Δ̄ = mean(oursᵢ − theirsᵢ) over L levels and its standard error, when each of their values is
/// one estimate with the same statistical error eᵢ as ours and the levels are independent:
/// var Δ̄ = Σ 2eᵢ²/L². (The page used mean(e)·√(2/L) before 2026-12-07, which is smaller when the eᵢ differ.)
public enum MeanDifference {
    public static func estimate(ours: [Double], theirs: [Double], errors: [Double]) -> (value: Double, error: Double) {
        precondition(ours.count == theirs.count && ours.count == errors.count && !ours.isEmpty)
        let l = Double(ours.count)
        return (Stats.mean(zip(theirs, ours).map { $1 - $0 }), (2 * errors.reduce(0) { $0 + $1 * $1 }).squareRoot() / l)
    }
}
