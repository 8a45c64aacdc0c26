import Foundation
import Numerics

/// Integrated autocorrelation time of stationary series, pooled over several series of one process.
///
/// With ρ(t) the normalised autocovariance, τ_int = 1 + 2 Σ_{t=1}^{W} ρ(t) (in samples), the window W chosen by Sokal's
/// rule (smallest W with W ≥ c τ_int(W), c = 5). The effective sample size of T samples is T / τ_int. The
/// autocovariance is pooled over all series (replicates, columns) about a given mean — for velocity components of a
/// flock the mean is 0 by rotational symmetry, which avoids the strong downward bias of subtracting each short
/// series' own mean when τ_int is a sizeable fraction of T.
public struct IntegratedAutocorrelation: Sendable {
    /// τ_int in samples.
    public let tau: Double
    /// The window W reached (lags summed).
    public let window: Int
    /// True when Sokal's condition was not met before the largest lag (T/2): τ_int is then a lower bound.
    public let truncated: Bool

    /// `series`: equally long series of the same process; `mean`: their known mean (nil: the pooled sample mean).
    public init(series: [[Double]], mean: Double? = nil, c: Double = 5) {
        precondition(!series.isEmpty && series.allSatisfy { $0.count == series[0].count && $0.count >= 4 },
                     "need equally long series of at least 4 samples")
        let T = series[0].count
        let mu = mean ?? Stats.mean(series.flatMap { $0 })
        let xs = series.map { $0.map { $0 - mu } }
        func cov(_ t: Int) -> Double {
            var s = 0.0
            for x in xs { x.withUnsafeBufferPointer { p in for k in 0..<(T - t) { s += p[k] * p[k + t] } } }
            return s / Double(xs.count * (T - t))
        }
        let c0 = cov(0)
        var tau = 1.0, w = 0, done = false
        if c0 > 0 {
            for t in 1...(T / 2) {
                tau += 2 * cov(t) / c0
                w = t
                if Double(t) >= c * tau { done = true; break }
            }
        } else { done = true }
        self.tau = max(tau, 1e-9); self.window = w; self.truncated = !done
    }

    /// Effective number of independent samples in a series of `samples` samples.
    public func effectiveSamples(_ samples: Int) -> Double { Double(samples) / tau }
}

/// Mean of R independent replicate values with its one-σ error.
///
/// The error is the replicate spread s/√R, widened by √((R − 1)/(R − 3)) so that for normally distributed replicate
/// values the pull (mean − μ)/error, a Student t with R − 1 degrees of freedom rescaled, has unit standard deviation
/// (the plain s/√R gives sd √((R−1)/(R−3)), 1.13 at R = 10). Needs R ≥ 4.
public enum ReplicateSpread {
    public static func mean(_ values: [Double]) -> (mean: Double, error: Double) {
        precondition(values.count >= 4, "the replicate error needs at least 4 replicates, got \(values.count)")
        let r = Double(values.count)
        return (Stats.mean(values), Stats.standardError(values) * ((r - 1) / (r - 3)).squareRoot())
    }
}
