import Foundation
import Numerics

/// Composite Simpson quadrature over t = log γ: nodes and weights such that ∫ f(γ) dγ ≈ Σ wᵢ f(γᵢ) on [γ_lo, γ_hi].
/// The weights include the Jacobian dγ = γ dt, so integrands that live on many decades of γ are resolved evenly.
public struct LogGammaQuadrature: Sendable {
    public let gammas: [Double]
    public let weights: [Double]
    public let logGammaStep: Double

    /// `intervals` is rounded up to an even number.
    public init(lowest: Double, highest: Double, intervals: Int) {
        precondition(lowest > 0 && highest > lowest && intervals >= 2)
        let n = intervals + (intervals % 2)
        let t0 = log(lowest), t1 = log(highest), h = (t1 - t0) / Double(n)
        var g = [Double](), w = [Double]()
        for i in 0...n {
            let gamma = exp(t0 + Double(i) * h)
            let c: Double = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2)
            g.append(gamma); w.append(c * h / 3 * gamma)
        }
        gammas = g; weights = w; logGammaStep = h
    }
}

/// A quadrature Σᵢ wᵢ E[fᵢ] whose node expectations are Monte Carlo means of independent samples: the estimate
/// Σᵢ wᵢ mean(fᵢ) and its standard error (Σᵢ wᵢ² var(fᵢ)/nᵢ)^½ (nodes independent, samples independent within a node).
public enum MonteCarloQuadrature {
    public static func estimate(weights: [Double], samples: [[Double]]) -> (value: Double, error: Double) {
        precondition(weights.count == samples.count && samples.allSatisfy { $0.count >= 2 })
        var v = 0.0, e2 = 0.0
        for (w, s) in zip(weights, samples) {
            let m = s.reduce(0, +) / Double(s.count)
            let s2 = s.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(s.count - 1)
            v += w * m; e2 += w * w * s2 / Double(s.count)
        }
        return (v, e2.squareRoot())
    }
}
