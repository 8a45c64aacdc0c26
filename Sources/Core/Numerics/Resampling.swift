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
    /// each fraction below 1 is drawn `repeats` times. The error is the standard deviation of I∞ over fits to random
    /// halves of the repeated estimates (or the fit's residual error when only one repeat is made).
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
        func fit(_ means: [Double]) throws -> Double {
            var design = Matrix<Double>(rows: sizes.count, cols: quadratic ? 3 : 2)
            for (i, s) in sizes.enumerated() {
                design[i, 0] = 1; design[i, 1] = 1 / s
                if quadratic { design[i, 2] = 1 / (s * s) }
            }
            return try Stats.leastSquares(design: design, means)[0]
        }
        let means = perFraction.map(Stats.mean)
        let value = try fit(means)
        var spread = [Double]()
        if repeats >= 2 {
            for k in 0..<20 {
                _ = k
                let picks = perFraction.map { v -> Double in
                    v.count == 1 ? v[0] : Stats.mean((0..<max(1, v.count / 2)).map { _ in v[rng.int(below: v.count)] })
                }
                spread.append(try fit(picks))
            }
        }
        let error = spread.isEmpty ? .nan : Stats.standardDeviation(spread) / 2.0.squareRoot()
        return Result(value: value, error: error, sizes: sizes, means: means)
    }
}
