import Foundation

/// Error bars by resampling: bootstrap and random halves, seeded and reproducible.
public enum Resampling {
    /// Bootstrap standard error of `statistic` over `n` items: resample indices with replacement `replicates` times.
    /// The error is sd(θ*_b), the ordinary bootstrap standard error (Efron & Tibshirani 1993, §6.2); for the mean it is
    /// √((n − 1)/n) · s/√n, slightly low for very small n.
    public static func bootstrapError(count n: Int, replicates: Int, rng: inout Xoshiro256,
                                      statistic: ([Int]) throws -> Double) rethrows -> (mean: Double, error: Double) {
        precondition(n > 0 && replicates >= 2, "bootstrap needs n > 0 and at least 2 replicates")
        var values = [Double]()
        values.reserveCapacity(replicates)
        var idx = [Int](repeating: 0, count: n)
        for _ in 0..<replicates {
            for i in 0..<n { idx[i] = rng.int(below: n) }
            values.append(try statistic(idx))
        }
        return (Stats.mean(values), Stats.standardDeviation(values))
    }

    /// Bootstrap standard error of the sample median of `x`: the sd of the median over `replicates` resamples of the n
    /// values with replacement. The values are treated as independent draws (e.g. cells); the one rule for every
    /// "median over cells ± error" in the core. Calibrated for continuous data at n ≥ 100 (NumericsTests).
    public static func medianError(_ x: [Double], replicates: Int = 200, rng: inout Xoshiro256) -> Double {
        precondition(!x.isEmpty && replicates >= 2, "the median's bootstrap needs values and at least 2 replicates")
        var buffer = [Double](repeating: 0, count: x.count)
        return bootstrapError(count: x.count, replicates: replicates, rng: &rng) { idx in
            for (k, i) in idx.enumerated() { buffer[k] = x[i] }
            return Stats.median(buffer)
        }.error
    }

    /// Random-halves error: the statistic θ̂_S on both halves S of `splits` random partitions of the n items into two
    /// halves (without replacement). Returns the mean over halves, the standard error of the full-data estimate θ̂ and
    /// the per-half values (two per split, the halves of one split adjacent).
    ///
    /// The error is sd(θ̂_S) itself, with no division by √2. This is the delete-d jackknife with d = n/2 items left
    /// out: v_J = (n − d)/(d · C(n, d)) Σ_S (θ̂_S − θ̄)², and the factor (n − d)/d equals 1 when d = n/2, so v_J is the
    /// variance of the half estimates. For the mean it is exact: a half of size m = n/2 drawn without replacement has
    /// Var(x̄_S | data) = (s²/m)(1 − m/n) = s²/n, the squared standard error of x̄. (The /√2 rule would instead treat the
    /// halves as independent new samples of size n/2, whose variance is twice the full-data one; they are not: they are
    /// drawn from the one data set, and the finite-population factor 1 − m/n = ½ cancels that factor 2.)
    /// Use `halvesError(_:)` when the half estimates are computed elsewhere (e.g. in parallel).
    public static func randomHalves(count n: Int, splits: Int, rng: inout Xoshiro256,
                                    statistic: ([Int]) throws -> Double) rethrows -> (mean: Double, error: Double, values: [Double]) {
        precondition(n >= 2 && splits >= 1, "random halves need n ≥ 2 and at least one split")
        var values = [Double]()
        values.reserveCapacity(2 * splits)
        for _ in 0..<splits {
            let perm = rng.permutation(n)
            values.append(try statistic(Array(perm[0..<(n / 2)])))
            values.append(try statistic(Array(perm[(n / 2)...])))
        }
        return (Stats.mean(values), halvesError(values), values)
    }

    /// The standard error of a full-data estimate from estimates on random halves drawn without replacement:
    /// sd(halves) (delete-d jackknife with d = n/2, see `randomHalves`). NaN for fewer than two values.
    /// Every module must use this rule (no private copies, no /√2).
    public static func halvesError(_ halfValues: [Double]) -> Double {
        halfValues.count > 1 ? Stats.standardDeviation(halfValues) : .nan
    }

    /// Delete-d jackknife variance factor for subsamples of m of n items drawn without replacement: the full-data
    /// variance is (m/(n − m)) · Var(θ̂_m | data), since d = n − m items are left out and v_J = ((n − d)/d) Var.
    /// Equals 1 for halves (m = n/2).
    public static func subsampleVarianceFactor(subsample m: Int, of n: Int) -> Double {
        precondition(m > 0 && m < n, "a subsample must leave out at least one of the n items")
        return Double(m) / Double(n - m)
    }
}

/// Extrapolation of an information estimate to infinite data (Strong et al. 1998):
/// fit I(N) = I∞ + a/N + b/N² to estimates on subsamples of size N.
public enum SampleSizeExtrapolation {
    /// Result of the fit: the extrapolated value, its standard error and the points used.
    public struct Result: Sendable {
        public let value: Double
        public let error: Double
        public let sizes: [Double]
        public let means: [Double]
    }

    /// `estimate(indices)` computes the quantity on the given subset of `n` items. Fractions default to 1, 1/2, …, 1/5;
    /// each fraction below 1 is drawn `repeats` times (without replacement), and the fit is weighted by the number of
    /// items. I∞ = Σ_k w_k Ī_k is linear in the fraction means Ī_k, with sensitivities w_k = ∂I∞/∂Ī_k and Σ_k w_k = 1
    /// (the fit has an intercept).
    ///
    /// Error. To first order every subsample estimate is I + bias(N_k) + δ + ε, where δ is the noise of the data set
    /// (shared by all points, Var δ = σ²_n, the variance of the full-data estimate) and ε the noise of which items
    /// the subsample picked (independent between draws, zero for the full set). Hence
    /// Var I∞ = σ²_n (Σ_k w_k)² + Σ_k w_k² Var(I_k | data)/r_k = σ²_n + Σ_k w_k² s²_k / r_k,
    /// with s²_k the variance of the r_k draws at fraction k. σ²_n comes from the same draws by the delete-d
    /// jackknife: a subsample of m of n items leaves out d = n − m, so σ²_n ≈ (m/(n − m)) s²_k (factor 1 for halves;
    /// the old code divided the half-size variance by 2, which is the rule for independent new samples, not for
    /// subsamples of one data set). The estimates of σ²_n from all fractions are pooled, weighted by their degrees of
    /// freedom r_k − 1. The error is NaN when no fraction has two or more draws.
    public static func extrapolate(count n: Int, fractions: [Double] = [1, 0.5, 1.0 / 3, 0.25, 0.2], repeats: Int = 10,
                                   quadratic: Bool = true, rng: inout Xoshiro256,
                                   estimate: ([Int]) throws -> Double) throws -> Result {
        try extrapolate(count: n, fractions: fractions, repeats: repeats, quadratic: quadratic, legacyHalfRule: false,
                        rng: &rng, estimate: estimate)
    }

    /// `legacyHalfRule` (tests only) reproduces the pre-fix error, var(half-size draws)/2 plus a 20-fold bootstrap of
    /// the fit, so the calibration tests can show that it fails.
    static func extrapolate(count n: Int, fractions: [Double] = [1, 0.5, 1.0 / 3, 0.25, 0.2], repeats: Int = 10,
                            quadratic: Bool = true, legacyHalfRule: Bool, rng: inout Xoshiro256,
                            estimate: ([Int]) throws -> Double) throws -> Result {
        precondition(fractions.count >= (quadratic ? 3 : 2), "need more fractions than fit parameters")
        precondition(n >= 2 && repeats >= 1 && fractions.allSatisfy { $0 > 0 && $0 <= 1 }, "need n ≥ 2, repeats ≥ 1, fractions in (0, 1]")
        var sizes = [Double](), perFraction = [[Double]]()
        for f in fractions {
            let m = min(n, max(2, Int((Double(n) * f).rounded())))
            let reps = f >= 1 ? 1 : repeats
            var vals = [Double]()
            for _ in 0..<reps {
                let idx = f >= 1 ? Array(0..<n) : Array(rng.permutation(n)[0..<m])
                vals.append(try estimate(idx))
            }
            sizes.append(Double(m)); perFraction.append(vals)
        }
        var design = Matrix<Double>(rows: sizes.count, cols: quadratic ? 3 : 2)
        for (i, s) in sizes.enumerated() {
            design[i, 0] = 1; design[i, 1] = 1 / s
            if quadratic { design[i, 2] = 1 / (s * s) }
        }
        let weights = sizes
        func fit(_ means: [Double]) throws -> Double { try Stats.leastSquares(design: design, means, weights: weights)[0] }
        let means = perFraction.map(Stats.mean)
        let value = try fit(means)
        // Sensitivity of I∞ to each point: the fit is linear in the means.
        let sensitivity = try (0..<sizes.count).map { k -> Double in
            var e = [Double](repeating: 0, count: sizes.count); e[k] = 1
            return try fit(e)
        }
        if legacyHalfRule {
            var variance = 0.0
            if let half = fractions.firstIndex(where: { abs($0 - 0.5) < 1e-9 }), perFraction[half].count > 1 {
                let total = sensitivity.reduce(0, +)
                variance += Stats.variance(perFraction[half]) / 2 * total * total
            }
            if repeats >= 2 {
                var spread = [Double]()
                for _ in 0..<20 {
                    let picks = perFraction.map { v -> Double in
                        v.count == 1 ? v[0] : Stats.mean((0..<v.count).map { _ in v[rng.int(below: v.count)] })
                    }
                    spread.append(try fit(picks))
                }
                variance += Stats.variance(spread)
            }
            return Result(value: value, error: variance > 0 ? variance.squareRoot() : .nan, sizes: sizes, means: means)
        }
        var pooled = 0.0, dof = 0.0, selection = 0.0
        for (k, v) in perFraction.enumerated() where v.count > 1 {
            let m = Int(sizes[k])
            let s2 = Stats.variance(v)
            selection += sensitivity[k] * sensitivity[k] * s2 / Double(v.count)
            guard m < n else { continue }
            pooled += Double(v.count - 1) * Resampling.subsampleVarianceFactor(subsample: m, of: n) * s2
            dof += Double(v.count - 1)
        }
        let total = sensitivity.reduce(0, +)
        let error = dof > 0 ? (pooled / dof * total * total + selection).squareRoot() : .nan
        return Result(value: value, error: error, sizes: sizes, means: means)
    }
}
