import Foundation
import Numerics

/// Closed-form checks of Ĩ for linear features of a bivariate normal x ~ N(0, Σ).
public enum GaussianChecks {
    /// Exact Ĩ of f = cos θ x₁ + sin θ x₂ (unit gradient): the entropy ½ ln(2πe vᵀΣv).
    public static func exactLinear(_ sigma: Matrix<Double>, angle: Double) -> Double {
        let v = [cos(angle), sin(angle)]
        var q = 0.0
        for a in 0..<2 { for b in 0..<2 { q += v[a] * sigma[a, b] * v[b] } }
        return 0.5 * log(2 * Double.pi * M_E * q)
    }

    /// Samples of N(0, Σ) through the Cholesky factor.
    public static func samples(_ sigma: Matrix<Double>, count: Int, rng: inout Xoshiro256) throws -> [[Double]] {
        let l = try sigma.cholesky()
        return (0..<count).map { _ in
            let z = (0..<sigma.rows).map { _ in rng.normal() }
            return (0..<sigma.rows).map { i in (0...i).reduce(0) { $0 + l[i, $1] * z[$1] } }
        }
    }

    /// Ĩ of a reparametrised linear feature g(f(x)) from samples: histogram entropy of g(f) minus ⟨ln|g′(f)|·|∇f|⟩.
    public static func estimate(_ x: [[Double]], angle: Double, bins: Int,
                                g: (Double) -> Double = { $0 }, dg: (Double) -> Double = { _ in 1 }) -> Double {
        let v = [cos(angle), sin(angle)]
        let f = x.map { v[0] * $0[0] + v[1] * $0[1] }
        let y = f.map(g)
        let h = HistogramEntropy.entropy(y, bins: bins).value
        let logGrad = f.reduce(0) { $0 + log(abs(dg($1))) } / Double(f.count)
        return h - logGrad
    }
}
