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

/// Student's t distribution with ν degrees of freedom: CDF by Simpson integration of the density, quantile by bisection.
public enum StudentT {
    public static func density(_ t: Double, dof: Int) -> Double {
        let v = Double(dof)
        return exp(lgamma((v + 1) / 2) - lgamma(v / 2)) / (v * Double.pi).squareRoot() * pow(1 + t * t / v, -(v + 1) / 2)
    }

    public static func cdf(_ x: Double, dof: Int) -> Double {
        precondition(dof >= 1, "degrees of freedom must be ≥ 1")
        let a = abs(x), m = 2000, h = a / Double(m)
        var s = density(0, dof: dof) + density(a, dof: dof)
        for i in 1..<m { s += (i % 2 == 1 ? 4 : 2) * density(Double(i) * h, dof: dof) }
        let half = s * h / 3
        return x >= 0 ? 0.5 + half : 0.5 - half
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache = [Int: Double]()

    /// The quantile at Φ(1) ≈ 0.8413 (the one-σ point of a normal), cached per ν.
    public static func oneSigmaQuantile(dof: Int) -> Double {
        cacheLock.lock(); defer { cacheLock.unlock() }
        if let q = cache[dof] { return q }
        let q = quantile(0.5 + 0.5 * erf(1 / 2.0.squareRoot()), dof: dof)
        cache[dof] = q
        return q
    }

    /// The p-quantile for 0.5 ≤ p < 1 (to 1e-10).
    public static func quantile(_ p: Double, dof: Int) -> Double {
        precondition(p >= 0.5 && p < 1 && dof >= 1, "quantile needs 0.5 ≤ p < 1 and dof ≥ 1")
        var lo = 0.0, hi = 1.0
        while cdf(hi, dof: dof) < p { hi *= 2 }
        while hi - lo > 1e-10 { let mid = (lo + hi) / 2; if cdf(mid, dof: dof) < p { lo = mid } else { hi = mid } }
        return (lo + hi) / 2
    }
}

/// Mean over J random train/test splits of one data set, with the corrected resampled-t error of Nadeau & Bengio (2003,
/// Machine Learning 52, 239). The J split estimates share the data set, so their spread σ̂ measures only how the estimate
/// moves with the choice of split and the training noise, not how it would move with another data set of the same size:
/// the plain error σ̂/√J is too small. If two splits' estimates correlate as ρ = n₂/n (the overlap of two random test
/// sets of n₂ out of n samples; n₁ = n − n₂), then E σ̂² = σ²(1 − ρ) and Var(mean) = σ²(1/J + ρ(1 − 1/J)), so
/// Var(mean) = E σ̂² · (1/J + n₂/n₁). The error is t_{J−1}(0.8413) · σ̂ · √(1/J + n₂/n₁), the same Student-t one-σ
/// half-width as `SeedSpread` (calibrated in the unit tests on a synthetic task: pulls about the mean over data sets).
public enum SplitSpread {
    /// `v`: one estimate per split; `testCount`/`restCount`: the test samples and the other (training and validation)
    /// samples of one split.
    public static func summary(_ v: [Double], testCount: Int, restCount: Int) -> (mean: Double, error: Double, sd: Double) {
        precondition(v.count >= 2, "need at least two splits for a spread")
        precondition(testCount >= 1 && restCount >= 1, "a split needs test and training samples")
        let sd = Stats.standardDeviation(v), j = Double(v.count)
        let factor = (1 / j + Double(testCount) / Double(restCount)).squareRoot()
        return (Stats.mean(v), StudentT.oneSigmaQuantile(dof: v.count - 1) * sd * factor, sd)
    }
}
