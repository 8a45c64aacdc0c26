import AnalysisKit
import Foundation
import Numerics
import StatisticalTolerances

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

/// Values of RINE computed without training (exact measures, cosine similarities of generated inputs, the Bayes
/// decoder, fits of tuning curves): identical under another BLAS kernel (measured: bit-identical under
/// OPENBLAS_CORETYPE Haswell and Cooperlake), so they are checked to rounding. Trained values use `RedrawTolerance`.
extension RedrawTolerance {
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
