import Foundation
import Numerics

/// Poisson neurons on a ring: rate fᵢ(x) = b + a·exp(−dᵢ(x)²/(2w²)), dᵢ the wrapped angular distance to the preferred angle.
/// The default is the population: b = 5, a = 20, w = π/4, preferred angles ±π/4 and ±3π/4, x ~ U(−π, π).
/// The stimulus prior is a von Mises density p(x) = exp(κ cos(x − μ)) / (2π I₀(κ)); κ = 0 (the default) is uniform.
public struct RingPopulation: Sendable {
    public var baseline: Double = 5
    public var gain: Double = 20
    public var width: Double = .pi / 4
    public var preferred: [Double] = [-3 * Double.pi / 4, -Double.pi / 4, Double.pi / 4, 3 * Double.pi / 4]
    /// Concentration κ ≥ 0 and mean μ of the von Mises stimulus prior.
    public var priorConcentration: Double = 0
    public var priorMean: Double = 0

    public init() {}
    public var neurons: Int { preferred.count }

    /// Angular difference wrapped to [−π, π].
    @inlinable static func wrap(_ d: Double) -> Double { remainder(d, 2 * .pi) }

    public func rate(_ i: Int, at x: Double) -> Double {
        let d = Self.wrap(x - preferred[i])
        return baseline + gain * exp(-d * d / (2 * width * width))
    }

    public func rateDerivative(_ i: Int, at x: Double) -> Double {
        let d = Self.wrap(x - preferred[i])
        return -gain * exp(-d * d / (2 * width * width)) * d / (width * width)
    }

    /// Fisher information J(x) = Σᵢ fᵢ′(x)² / fᵢ(x) of independent Poisson neurons.
    public func fisher(at x: Double) -> Double {
        (0..<neurons).reduce(0) { s, i in let d = rateDerivative(i, at: x); return s + d * d / rate(i, at: x) }
    }

    /// log p(r | x) including −log rᵢ!.
    public func logLikelihood(_ counts: [Int], at x: Double) -> Double {
        var s = 0.0
        for i in 0..<neurons {
            let f = rate(i, at: x)
            s += Double(counts[i]) * log(f) - f - lgamma(Double(counts[i]) + 1)
        }
        return s
    }

    /// ∂ₓ log p(r | x) = Σᵢ (rᵢ/fᵢ − 1) fᵢ′.
    public func score(_ counts: [Int], at x: Double) -> Double {
        (0..<neurons).reduce(0) { s, i in s + (Double(counts[i]) / rate(i, at: x) - 1) * rateDerivative(i, at: x) }
    }

    public func sample(at x: Double, rng: inout Xoshiro256) -> [Int] {
        (0..<neurons).map { rng.poisson(rate($0, at: x)) }
    }

    /// Unnormalised prior density exp(κ (cos(x − μ) − 1)) (its maximum is 1).
    public func priorShape(_ x: Double) -> Double { exp(priorConcentration * (cos(x - priorMean) - 1)) }

    /// Prior weights on the periodic grid x_j = −π + 2πj/N, normalised to sum to 1 (the periodic trapezoid rule,
    /// spectrally accurate for the smooth von Mises density).
    public func priorWeights(on grid: [Double]) -> [Double] {
        let w = grid.map(priorShape)
        let s = w.reduce(0, +)
        return w.map { $0 / s }
    }

    /// A stimulus x ~ p(x): uniform for κ = 0, otherwise by rejection from the uniform (acceptance ≥ e^{−2κ}).
    public func samplePrior(rng: inout Xoshiro256) -> Double {
        while true {
            let x = rng.uniform(-Double.pi, Double.pi)
            if priorConcentration == 0 || rng.uniform() < priorShape(x) { return x }
        }
    }
}
