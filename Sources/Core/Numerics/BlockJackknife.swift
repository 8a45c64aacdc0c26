import Foundation

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

    /// τ_int of the columns of a samples × columns matrix, each centred on its own mean (pooled, Sokal window).
    public init(columnsOf data: Matrix<Double>, c: Double = 5) {
        let cols = (0..<data.cols).map { col -> [Double] in
            let x = (0..<data.rows).map { data[$0, col] }
            let mu = x.reduce(0, +) / Double(x.count)
            return x.map { $0 - mu }
        }
        self.init(series: cols, mean: 0, c: c)
    }

    /// Effective number of independent samples in a series of `samples` samples.
    public func effectiveSamples(_ samples: Int) -> Double { Double(samples) / tau }

    /// Standard error of τ_int from Madras & Sokal (1988), σ_τ ≈ τ_int √(2(2W + 1)/N), where N counts the independent
    /// samples behind the pooled autocovariance: the length T of one series when the pooled series are strongly
    /// correlated with each other (the agents of one flock), up to T × (number of independent series). Calibrated for
    /// one series in `BlockJackknifeTests`. Meaningless when `truncated` (τ_int is then a lower bound).
    public func error(independentSamples n: Int) -> Double {
        tau * (2 * (2 * Double(window) + 1) / Double(max(n, 1))).squareRoot()
    }
}

/// Delete-one-block jackknife error of a statistic θ̂ of one autocorrelated recording of T samples (time series with
/// no independent replicates: the fish recordings of the collective-redundancy paper, where θ̂ = r(S)).
///
/// The T samples are cut into K contiguous blocks of (nearly) equal length, block b holding samples
/// ⌊bT/K⌋ ..< ⌊(b+1)T/K⌋; θ̂_(b) is the statistic with block b left out, θ̄_(·) their mean, and
/// v = ((K − 1)/K) Σ_b (θ̂_(b) − θ̄_(·))² (Künsch 1989). With blocks much longer than the integrated autocorrelation time
/// τ_int the leave-one-out values are nearly independent and v has about K − 1 degrees of freedom, so
/// (θ̂ − E θ̂)/√v is close to a Student t with K − 1 degrees of freedom; the error is √v · √((K − 1)/(K − 3)), which gives
/// it unit standard deviation. The error is about E θ̂, the estimator's mean (finite-sample bias is not removed).
/// K comes from `blocks(samples:tau:)`: blocks at least 5 τ_int long, at most 20 of them, and at least 4 (below that
/// no error is given). Calibrated in NumericsTests (`BlockJackknifeTests`) on autocorrelated Gaussian data.
public enum BlockJackknife {
    /// Number of blocks for `samples` samples with integrated autocorrelation time `tau` (samples): blocks ≥
    /// `blockInTau` · τ, at most `maximumBlocks` and at most `samples` (a block holds at least one sample, as
    /// `error` and `leaveOneBlockOut` require: an anti-correlated series has τ_int < 1, down to the 10⁻⁹ floor of
    /// `IntegratedAutocorrelation`, and would otherwise ask for more blocks than samples); nil when fewer than 4 blocks
    /// fit (too few independent stretches).
    public static func blocks(samples: Int, tau: Double, blockInTau: Double = 5, maximumBlocks: Int = 20) -> Int? {
        precondition(samples > 0 && tau > 0 && blockInTau > 0 && maximumBlocks >= 4)
        let k = min(maximumBlocks, samples, Int(min(Double(samples) / (blockInTau * tau), Double(maximumBlocks))))
        return k >= 4 ? k : nil
    }

    /// The fewest samples for which `blocks(samples:tau:blockInTau:)` gives the 4 blocks the error needs: 4 ·
    /// `blockInTau` · τ_int, rounded up.
    public static func minimumSamples(tau: Double, blockInTau: Double = 5) -> Int {
        precondition(tau > 0 && blockInTau > 0)
        var t = Int((4 * blockInTau * tau).rounded(.up))
        while blocks(samples: t, tau: tau, blockInTau: blockInTau) == nil { t += 1 }
        return t
    }

    /// The statistic on all samples and its error; `statistic` gets the kept sample indices in increasing order.
    public static func error(count n: Int, blocks k: Int, statistic: ([Int]) throws -> Double) rethrows -> (estimate: Double, error: Double) {
        precondition(k >= 4 && n >= k, "the block jackknife needs at least 4 blocks and a sample per block (n = \(n), K = \(k))")
        let full = try statistic(Array(0..<n))
        let values = try leaveOneBlockOut(count: n, blocks: k, statistic: statistic)
        return (full, errorFrom(leaveOut: values))
    }

    /// The K leave-one-block-out values θ̂_(b), in block order (for several statistics of the same fits, compute them
    /// together here and pass each list to `errorFrom(leaveOut:)`).
    public static func leaveOneBlockOut<T>(count n: Int, blocks k: Int, statistic: ([Int]) throws -> T) rethrows -> [T] {
        precondition(k >= 4 && n >= k, "the block jackknife needs at least 4 blocks and a sample per block (n = \(n), K = \(k))")
        var values = [T]()
        values.reserveCapacity(k)
        for b in 0..<k {
            let lo = b * n / k, hi = (b + 1) * n / k
            values.append(try statistic(Array(0..<lo) + Array(hi..<n)))
        }
        return values
    }

    /// The error from the K leave-one-block-out values θ̂_(b) (see `error(count:blocks:statistic:)`).
    public static func errorFrom(leaveOut values: [Double]) -> Double {
        let k = values.count
        precondition(k >= 4, "the block jackknife needs at least 4 blocks")
        let m = values.reduce(0, +) / Double(k)
        let v = Double(k - 1) / Double(k) * values.reduce(0) { $0 + ($1 - m) * ($1 - m) }
        return (v * Double(k - 1) / Double(k - 3)).squareRoot()
    }
}
