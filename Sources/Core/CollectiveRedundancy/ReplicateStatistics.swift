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

extension ReplicateSpread {
    /// The one-σ error of a value computed on one run, from the same quantity on K ≥ 4 *other* independent runs of the
    /// same process (not including the run itself): sd(others) · √((K − 1)/(K − 3)). For normally distributed run
    /// values, (value − E value)/sd(others) is a Student t with K − 1 degrees of freedom; the factor gives it unit
    /// standard deviation. The error is about E value, the mean of the estimator over runs (finite-sample bias included).
    public static func single(others: [Double]) -> Double {
        precondition(others.count >= 4, "the single-run error needs at least 4 other runs, got \(others.count)")
        let k = Double(others.count)
        return Stats.standardDeviation(others) * ((k - 1) / (k - 3)).squareRoot()
    }
}

/// Delete-one-block jackknife error of a statistic of one autocorrelated recording (the fish data, where there are no
/// replicate runs).
///
/// The T samples are cut into K contiguous blocks of (nearly) equal length; θ̂_(k) is the statistic with block k left
/// out, and v = ((K − 1)/K) Σ_k (θ̂_(k) − θ̄_(·))². With blocks much longer than the integrated autocorrelation time the
/// block values are nearly independent and v has about K − 1 degrees of freedom, so (θ̂ − E θ̂)/√v is close to a Student
/// t with K − 1 degrees of freedom; the error is √v · √((K − 1)/(K − 3)), which gives it unit standard deviation.
/// K comes from `blocks(samples:tau:)`: blocks at least 5 τ_int long, at most 20 of them. (A general helper; it lives
/// here rather than in Numerics so that adding it does not change every module's code identity.)
public enum BlockJackknife {
    /// Number of blocks for `samples` samples with integrated autocorrelation time `tau` (samples): blocks ≥
    /// `blockInTau` · τ, at most `maximumBlocks`; nil when fewer than 4 blocks fit (too few independent stretches).
    public static func blocks(samples: Int, tau: Double, blockInTau: Double = 5, maximumBlocks: Int = 20) -> Int? {
        precondition(samples > 0 && tau > 0 && blockInTau > 0 && maximumBlocks >= 4)
        let k = min(maximumBlocks, Int(Double(samples) / (blockInTau * tau)))
        return k >= 4 ? k : nil
    }

    /// The statistic on all samples and its error; `statistic` gets the kept sample indices in increasing order.
    public static func error(count n: Int, blocks k: Int, statistic: ([Int]) throws -> Double) rethrows -> (estimate: Double, error: Double) {
        precondition(k >= 4 && n >= k, "the block jackknife needs at least 4 blocks and a sample per block (n = \(n), K = \(k))")
        let full = try statistic(Array(0..<n))
        var values = [Double]()
        values.reserveCapacity(k)
        for b in 0..<k {
            let lo = b * n / k, hi = (b + 1) * n / k
            values.append(try statistic(Array(0..<lo) + Array(hi..<n)))
        }
        return (full, errorFrom(leaveOut: values))
    }

    /// The error from the K leave-one-block-out values θ̂_(k) (see `error(count:blocks:statistic:)`).
    public static func errorFrom(leaveOut values: [Double]) -> Double {
        let k = values.count
        precondition(k >= 4, "the block jackknife needs at least 4 blocks")
        let m = values.reduce(0, +) / Double(k)
        let v = Double(k - 1) / Double(k) * values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (v * Double(k - 1) / Double(k - 3)).squareRoot()
    }

    /// τ_int of the columns of a samples × columns matrix, each centred on its own mean (pooled, Sokal window).
    public static func tau(_ data: Matrix<Double>) -> IntegratedAutocorrelation {
        let cols = (0..<data.cols).map { c -> [Double] in
            let x = (0..<data.rows).map { data[$0, c] }
            let mu = x.reduce(0, +) / Double(x.count)
            return x.map { $0 - mu }
        }
        return IntegratedAutocorrelation(series: cols, mean: 0)
    }

    /// The rows `rows` of a matrix.
    public static func rows(_ data: Matrix<Double>, _ rows: [Int]) -> Matrix<Double> {
        var m = Matrix<Double>(rows: rows.count, cols: data.cols)
        for (r, t) in rows.enumerated() { for c in 0..<data.cols { m[r, c] = data[t, c] } }
        return m
    }
}
