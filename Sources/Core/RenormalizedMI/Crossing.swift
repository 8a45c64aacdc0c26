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
}
