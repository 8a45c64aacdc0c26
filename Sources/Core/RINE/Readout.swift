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

/// Mean over J random train/test splits of one data set, with an error that includes the sampling of the data set.
/// The J split estimates share the data set, so their spread σ̂ (t-corrected, as `SeedSpread`) measures only how the
/// estimate moves with the choice of split and the training noise: σ̂/√J alone is too small (pull sd 1.5–1.8 in the
/// unit test). Var(mean) = Var_D(m(D)) + E[Var(mean | D)], with m(D) the mean over all possible splits of the data set D:
/// the second term is σ̂²/J; the first is, to leading order, v/n, the variance of one trial's contribution divided by
/// the n trials of D. A trial's contribution to a split's I∩ = H_test(Y) − mean CE is rₛ = −log₂ f(yₛ) − (1/k) Σᵢ CEᵢ(s)
/// (f: the label frequencies of the test set, so that the mean of rₛ over the test set is the estimate exactly), and v
/// is the mean over splits of its variance over the test trials. Error = √((t_{J−1}(0.8413) σ̂)²/J + v/n).
/// Not yet calibrated: in the unit test this error is conservative (pull sd 0.74–0.88, coverage 75–83 %), so v/n
/// overstates the data set's share, and no analysis uses it yet. The Nadeau–Bengio correction σ̂²(1/J + n_test/n_rest),
/// which treats all of σ̂² as shared between splits, was as conservative (pull sd 0.88): the initialisation and
/// batch-order noise is not shared between splits.
public enum SplitSpread {
    /// `v`: one estimate per split; `perSampleVariances`: per split, the variance of rₛ over its test trials;
    /// `dataSize`: the trials of the data set (test and the rest).
    public static func summary(_ v: [Double], perSampleVariances: [Double], dataSize n: Int) -> (mean: Double, error: Double, sd: Double) {
        precondition(v.count >= 2 && perSampleVariances.count == v.count, "one per-sample variance per split, at least two splits")
        precondition(n >= 2, "a data set of at least two trials")
        let sd = Stats.standardDeviation(v), j = Double(v.count)
        let t = StudentT.oneSigmaQuantile(dof: v.count - 1) * sd
        return (Stats.mean(v), (t * t / j + Stats.mean(perSampleVariances) / Double(n)).squareRoot(), sd)
    }

    /// The variance over the test trials of rₛ = −log₂ f(yₛ) − (1/k) Σᵢ CEᵢ(s), from a run's per-sample redundancy
    /// H − (1/k) Σᵢ CEᵢ(s) against the baseline `entropyY` it used.
    public static func perSampleVariance(perSampleRedundancy r: [Double], labels y: [Int], entropyY: Double) -> Double {
        precondition(r.count == y.count && y.count >= 2)
        var counts = [Int: Int]()
        for c in y { counts[c, default: 0] += 1 }
        let m = Double(y.count)
        return Stats.variance(zip(r, y).map { $0 - entropyY - log2(Double(counts[$1]!) / m) })
    }
}
