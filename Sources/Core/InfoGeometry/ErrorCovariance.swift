import Foundation
import Numerics

/// Pulls of correlated estimates against a reference, given their full error covariance Σ.
///
/// * `whitened`: z = L⁻¹(θ̂ − θ) with L Lᵀ = Σ; for a correct Σ the components are independent with unit variance, so their
///   rms has the sampling sd of a sample sd over N independent pulls, ≈ 1/√(2N).
/// * `plainSpread`: the sampling sd of the rms of the *plain* pulls (θ̂ᵢ − θᵢ)/√Σᵢᵢ, which are correlated: with
///   R = D^{-1/2} Σ D^{-1/2} (D = diag Σ), Σᵢ zᵢ² has mean tr R = N and variance 2 tr R² for Gaussian errors, so
///   sd(rms) ≈ √(2 tr R²) / (2N). It equals 1/√(2N) only when the pulls are uncorrelated.
public enum CorrelatedPulls {
    public static func whitened(residual: [Double], covariance: [[Double]]) throws -> [Double] {
        let n = residual.count
        precondition(covariance.count == n && covariance.allSatisfy { $0.count == n }, "covariance shape")
        let l = try Matrix(rows: n, cols: n, data: covariance.flatMap { $0 }).cholesky()
        var z = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = residual[i]
            for j in 0..<i { s -= l[i, j] * z[j] }
            z[i] = s / l[i, i]
        }
        return z
    }

    public static func rms(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 } / Double(v.count)).squareRoot() }

    /// Expected sampling sd of the rms of the plain pulls (see the type's comment).
    public static func plainSpread(covariance: [[Double]]) -> Double {
        let n = covariance.count
        var tr2 = 0.0
        for i in 0..<n { for j in 0..<n {
            let r = covariance[i][j] / (covariance[i][i] * covariance[j][j]).squareRoot(); tr2 += r * r
        } }
        return (2 * tr2).squareRoot() / (2 * Double(n))
    }

    /// Mean correlation of neighbouring entries (i, i + 1), cyclically when `cyclic`.
    public static func neighbourCorrelation(covariance: [[Double]], cyclic: Bool) -> Double {
        let n = covariance.count
        let pairs = cyclic ? n : n - 1
        guard pairs > 0 else { return .nan }
        var s = 0.0
        for i in 0..<pairs {
            let j = (i + 1) % n
            s += covariance[i][j] / (covariance[i][i] * covariance[j][j]).squareRoot()
        }
        return s / Double(pairs)
    }
}
