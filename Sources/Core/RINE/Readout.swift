import AnalysisKit
import Foundation
import Numerics

/// How a trained RINE run is turned into a number of bits, I∩ = H(Y) − CE, with the two readouts the report compares:
/// ours (final epoch, CE converted with 1/ln 2, H(Y) the entropy of the test labels) and the authors' protocol
/// (`print_redundancy_toy_mean.py` in github.com/mjkleinman/RINE: CE averaged over the last 5 epochs, converted with the
/// constant 1.44, H(Y) hard-coded as log₂|Y| or 0.811 for AND).
public enum RINEReadout {
    /// Ours: H_test(Y) − final-epoch mean test cross-entropy (bits).
    public static func finalEpoch(_ r: RINEResult, entropyY: Double) -> Double {
        entropyY - r.testCrossEntropyNats.last! / M_LN2
    }

    /// The authors' readout: H_hard − 1.44 · mean over the last `lastEpochs` epochs of the mean test cross-entropy (nats).
    public static func authors(_ r: RINEResult, hardCodedEntropy: Double, lastEpochs: Int = 5, natsToBits: Double = 1.44) -> Double {
        precondition(lastEpochs >= 1 && lastEpochs <= r.testCrossEntropyNats.count, "lastEpochs must be in 1…epochs")
        return hardCodedEntropy - natsToBits * Stats.mean(Array(r.testCrossEntropyNats.suffix(lastEpochs)))
    }

    /// The H(Y) the authors hard-code: 0.811 bits for AND, log₂ of the number of classes otherwise.
    public static func authorsEntropy(_ t: DiscreteTask) -> Double { t.name == "AND" ? 0.811 : log2(Double(t.ySymbols)) }

    /// Plug-in entropy (bits) of a label sample, the baseline of our readout.
    public static func labelEntropy(_ y: [Int]) -> Double { DiscreteInformation.entropy(samples: y) }
}

/// Mean over independent seeds with a Student-t error: for s seeds with sample sd σ̂, the error is
/// t_{s−1}(0.8413) · σ̂/√s, the half-width of the central 68.3 % t interval, so that ± covers the truth as often as a
/// one-σ normal interval does when s is small.
public enum SeedSpread {
    public static func summary(_ v: [Double]) -> (mean: Double, error: Double, sd: Double) {
        precondition(v.count >= 2, "need at least two seeds for a spread")
        let sd = Stats.standardDeviation(v)
        return (Stats.mean(v), StudentT.oneSigmaQuantile(dof: v.count - 1) * sd / Double(v.count).squareRoot(), sd)
    }

    /// A standard error of the mean (t-corrected as above) from a population sd (ddof = 0, numpy's default) over `seeds`.
    public static func errorFromPopulationSD(_ sd0: Double, seeds: Int) -> Double {
        precondition(seeds >= 2)
        let s = Double(seeds)
        return StudentT.oneSigmaQuantile(dof: seeds - 1) * sd0 * (s / (s - 1)).squareRoot() / s.squareRoot()
    }
}

/// Check tolerance of a value that a rounding-level change of the code redraws (issue 12 §4). RINE's trainings are
/// chaotic: another BLAS kernel or a reordered sum sends every run elsewhere (measured in the report notes: a change of
/// OpenBLAS kernel moves the stored values by O(their error), not by O(rounding)), so a stored mean over runs is compared
/// with an independent redraw of all its runs. Stored and redrawn value differ by √2 σ, σ the value's standard error;
/// σ is estimated from the same runs with ν degrees of freedom, so the bound is √2 · t_ν(99.865 %) · σ̂, the two-sided
/// 99.73 % quantile of Student's t (the 3σ of a normal). The errors RINE states are t-corrected one-σ half-widths,
/// t_ν(84.13 %) · σ̂ (`SeedSpread`, `HalfSampleSpread`), so σ̂ = error / t_ν(84.13 %).
///
/// The same rule as `RedrawTolerance` in RenormalizedMI (internal there, with the plain σ̂ and runs − 1 degrees of
/// freedom); it belongs in Numerics for both modules (see the rine report).
public enum RINERedraw {
    /// One-sided 99.865 %: the two-sided 99.73 % of a normal 3σ.
    public static let coverage = 0.5 + 0.5 * erf(3 / 2.0.squareRoot())

    /// The factor that turns a t-corrected one-σ error with ν degrees of freedom into the redraw bound:
    /// √2 · t_ν(99.865 %) / t_ν(84.13 %). 8.2 for ν = 4 (5 seeds), 20.6 for ν = 2 (3 seeds), 5.3 for ν = 7.
    public static func factor(dof: Int) -> Double {
        precondition(dof >= 1, "need at least one degree of freedom")
        return 2.0.squareRoot() * StudentT.quantile(coverage, dof: dof) / StudentT.oneSigmaQuantile(dof: dof)
    }

    /// The bound for a value with t-corrected error `error` on `dof` degrees of freedom (fractional ν, e.g.
    /// Welch–Satterthwaite, rounded down as `HalfSampleSpread` does for its error). Without an error (one run) there is
    /// no spread to go by: the value must then reproduce to rounding (relative 1e-6), which a kernel change will break.
    public static func tolerance(error: Double?, dof: Double) -> Tolerance {
        guard let error, error.isFinite, error > 0, dof >= 1 else { return .relative(1e-6) }
        return .absolute(factor(dof: Int(dof.rounded(.down))) * error)
    }

    /// The same for a mean over `runs` independent runs (`SeedSpread`, ν = runs − 1).
    public static func tolerance(error: Double?, runs: Int) -> Tolerance { tolerance(error: error, dof: Double(runs - 1)) }

    /// A median over runs (e.g. the median best epoch): its standard error √(π/2) · sd/√n (normal approximation), the
    /// same redraw bound √2 · t_{n−1}(99.865 %) · se. One run or no spread: the value must reproduce exactly.
    public static func medianTolerance(_ v: [Double]) -> Tolerance {
        guard v.count > 1 else { return .absolute(0) }
        let se = (Double.pi / 2).squareRoot() * Stats.standardDeviation(v) / Double(v.count).squareRoot()
        guard se > 0 else { return .absolute(0) }
        return .absolute(2.0.squareRoot() * StudentT.quantile(coverage, dof: v.count - 1) * se)
    }

    /// A fraction k/runs of runs with some outcome (e.g. stopped at the epoch cap): binomial standard error from the
    /// Laplace estimate (k + 1)/(runs + 2), never zero, times 3√2.
    public static func fractionTolerance(_ k: Int, runs: Int) -> Tolerance {
        precondition(runs >= 1)
        let p = Double(k + 1) / Double(runs + 2)
        return .absolute(3 * 2.0.squareRoot() * (p * (1 - p) / Double(runs)).squareRoot())
    }

    /// Values computed without training (exact measures, cosine similarities of generated inputs, the Bayes decoder,
    /// fits of tuning curves): identical under another BLAS kernel (measured: bit-identical under OPENBLAS_CORETYPE
    /// Haswell and Cooperlake), so they are checked to rounding.
    public static let untrained = Tolerance.absolute(1e-9)
}

/// Error of a mean over J random train/test splits of one data set of n trials, θ̂ = (1/J) Σₛ θ̂ₛ, that includes the
/// sampling of the data set itself and the decoders being fitted on the same trials (issue 22 §4; calibrated in
/// `SplitErrorCalibrationTests`). The J split estimates share the data set, so their spread σ̂ measures only the
/// choice of split and the training noise: σ̂/√J alone is too small (pull sd 1.5–2 in the unit tests).
///
/// Var θ̂ = Var_D(m(D)) + W, with m(D) the mean over all splits and training noise of θ̂ₛ on the data set D, and
/// W = σ²/J the split and training noise of the J splits, estimated by σ̂²/J. The first term is estimated by the
/// delete-d jackknife with d = n/2 (`Resampling.randomHalves`: for halves drawn without replacement the
/// finite-population factor ½ makes the variance of m(S) over halves S equal to Var_D(m(D)) at size n), run through the
/// whole split loop: K random halvings of the trials, and each half S analysed again by P independent F-fold
/// partitions (every trial of S tested once per partition, the decoders fitted on the other folds of S only).
/// θ̂_{S,p} is the mean over the F folds of partition p, θ̂_S the mean over p. With V the sample variance of the 2K
/// half estimates θ̂_S and Π the mean over halves of the sample variance over p of θ̂_{S,p} (the noise of one
/// partition), Var_D ≈ max(0, V − Π/P). The error is t_ν(0.8413) √(Var_D + W), with ν from Welch–Satterthwaite
/// (K degrees of freedom for Var_D, J − 1 for W). A per-trial term v/n instead of the halves (the variance of one
/// trial's test contribution over the n trials) ignores that a trial also moves the decoders when it trains, and
/// overstated the data set's share (pull sd 0.74–0.88).
public enum HalfSampleSpread {
    /// One analysis of the design: fold `fold` of partition `partition` of half `half` (0 or 1) of halving `halving`;
    /// `test` its test trials, `rest` the other trials of the half (indices into 0..<n).
    public struct Unit: Sendable {
        public let halving: Int, half: Int, partition: Int, fold: Int
        public let test: [Int], rest: [Int]
    }

    /// The K × 2 × P × F units for n trials, in the order halving, half, partition, fold. Halving k is a random
    /// permutation cut into its first ⌊n/2⌋ trials and the rest; each partition a random permutation of the half cut
    /// into F folds of (nearly) equal size.
    public static func units(count n: Int, halvings: Int, folds: Int, partitions: Int, rng: inout Xoshiro256) -> [Unit] {
        precondition(halvings >= 2 && partitions >= 2 && folds >= 2, "need at least 2 halvings, 2 partitions and 2 folds")
        precondition(n >= 2 * folds, "each half needs at least one trial per fold")
        var out = [Unit]()
        for k in 0..<halvings {
            let perm = rng.permutation(n)
            for (h, half) in [Array(perm[0..<(n / 2)]), Array(perm[(n / 2)...])].enumerated() {
                for p in 0..<partitions {
                    var order = half
                    rng.shuffle(&order)
                    let m = order.count
                    for f in 0..<folds {
                        let test = Array(order[(f * m / folds)..<((f + 1) * m / folds)])
                        let rest = Array(order[0..<(f * m / folds)] + order[((f + 1) * m / folds)...])
                        out.append(Unit(halving: k, half: h, partition: p, fold: f, test: test, rest: rest))
                    }
                }
            }
        }
        return out
    }

    /// The estimate, its error and their parts (variances in squared units of the estimate).
    public struct Summary: Sendable {
        public let mean: Double, error: Double
        /// sd of the J split estimates, and W = σ̂²/J.
        public let splitSD: Double, splitVariance: Double
        /// Var_D(m(D)) = max(0, V − Π/P).
        public let dataVariance: Double
        /// Welch–Satterthwaite degrees of freedom of the error.
        public let dof: Double
    }

    /// `splitEstimates`: the J ≥ 2 estimates of the full-data analysis; `unitEstimates`: one estimate per unit of
    /// `units`, in their order, with `halvings`, `folds` and `partitions` as given to `units`.
    public static func summary(splitEstimates v: [Double], unitEstimates u: [Double], halvings: Int, folds: Int,
                               partitions: Int) -> Summary {
        precondition(v.count >= 2, "need at least two split estimates")
        precondition(u.count == halvings * 2 * partitions * folds && halvings >= 2 && partitions >= 2, "one estimate per unit of the design")
        let j = Double(v.count), sd = Stats.standardDeviation(v), w = sd * sd / j
        var halfMeans = [Double](), partitionNoise = [Double]()
        for s in 0..<(2 * halvings) {
            let means = (0..<partitions).map { p in Stats.mean(Array(u[((s * partitions + p) * folds)..<((s * partitions + p + 1) * folds)])) }
            halfMeans.append(Stats.mean(means))
            partitionNoise.append(Stats.variance(means))
        }
        // The random-halves rule of Numerics (the one rule: the spread of the half estimates is the full-data error), less
        // the noise of one half's P partitions, which the half means carry on top of the data-set variance.
        let halves = Resampling.halvesError(halfMeans)
        let dataVariance = max(0, halves * halves - Stats.mean(partitionNoise) / Double(partitions))
        let total = dataVariance + w
        let k = Double(halvings)
        let dof = total > 0 ? total * total / (dataVariance * dataVariance / k + w * w / (j - 1)) : j - 1
        let t = StudentT.oneSigmaQuantile(dof: max(1, Int(dof.rounded(.down))))
        return Summary(mean: Stats.mean(v), error: t * total.squareRoot(), splitSD: sd, splitVariance: w,
                       dataVariance: dataVariance, dof: dof)
    }
}
