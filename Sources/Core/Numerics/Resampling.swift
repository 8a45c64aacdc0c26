import Foundation

/// Error bars by resampling: bootstrap and random halves, seeded and reproducible.
public enum Resampling {
    /// Bootstrap standard error of `statistic` over `n` items: resample indices with replacement `replicates` times.
    public static func bootstrapError(count n: Int, replicates: Int, rng: inout Xoshiro256,
                                      statistic: ([Int]) throws -> Double) rethrows -> (mean: Double, error: Double) {
        var values = [Double]()
        values.reserveCapacity(replicates)
        for _ in 0..<replicates {
            let idx = (0..<n).map { _ in rng.int(below: n) }
            values.append(try statistic(idx))
        }
        return (Stats.mean(values), Stats.standardDeviation(values))
    }

    /// Random-halves error: the statistic on random halves of the data; the full-data error is sd(halves)/√2.
    /// Returns the mean over halves, the error estimate and the per-half values.
    public static func randomHalves(count n: Int, splits: Int, rng: inout Xoshiro256,
                                    statistic: ([Int]) throws -> Double) rethrows -> (mean: Double, error: Double, values: [Double]) {
        var values = [Double]()
        for _ in 0..<splits {
            let perm = rng.permutation(n)
            values.append(try statistic(Array(perm[0..<(n / 2)])))
            values.append(try statistic(Array(perm[(n / 2)...])))
        }
        return (Stats.mean(values), Stats.standardDeviation(values) / 2.0.squareRoot(), values)
    }
}

/// Extrapolation of an information estimate to infinite data (Strong et al. 1998):
/// fit I(N) = I∞ + a/N + b/N² to estimates on subsamples of size N.
public enum SampleSizeExtrapolation {
    /// Result of the fit: the extrapolated value, its error (spread of the subsample fits) and the points used.
    public struct Result: Sendable {
        public let value: Double
        public let error: Double
        public let sizes: [Double]
        public let means: [Double]
    }

    /// `estimate(indices)` computes the quantity on the given subset of `n` items. Fractions default to 1, 1/2, …, 1/5;
    /// each fraction below 1 is drawn `repeats` times, and the fit is weighted by the number of items.
    ///
    /// The error combines two parts: the sampling noise of the data, estimated from the spread of the half-size
    /// estimates (var I_N ≈ var I_{N/2} / 2, the random-halves rule) and propagated through the fit's amplification of
    /// the full-size point, and the spread of the fit over re-drawn subsample averages.
    public static func extrapolate(count n: Int, fractions: [Double] = [1, 0.5, 1.0 / 3, 0.25, 0.2], repeats: Int = 10,
                                   quadratic: Bool = true, rng: inout Xoshiro256,
                                   estimate: ([Int]) throws -> Double) throws -> Result {
        precondition(fractions.count >= (quadratic ? 3 : 2), "need more fractions than fit parameters")
        var sizes = [Double](), perFraction = [[Double]]()
        for f in fractions {
            let m = max(2, Int((Double(n) * f).rounded()))
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
        var variance = 0.0
        if let half = fractions.firstIndex(where: { abs($0 - 0.5) < 1e-9 }), perFraction[half].count > 1 {
            let varFull = Stats.variance(perFraction[half]) / 2 // noise of an estimate on all n items
            // Every point shares the data's noise to first order; its effect on I∞ scales with the summed sensitivity.
            let total = sensitivity.reduce(0, +)
            variance += varFull * total * total
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
        let error = variance > 0 ? variance.squareRoot() : .nan
        return Result(value: value, error: error, sizes: sizes, means: means)
    }
}
