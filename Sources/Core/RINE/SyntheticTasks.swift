import DataFiles
import Foundation
import Numerics

/// The 8-class task of Fig. 5 (Appendix C.5): Y is uniform over 8 classes; each source is a scalar that equals the class
/// when it lies in the source's own set of `n` classes and is otherwise a uniformly random integer in [−4, 3]; `k`
/// N(0, 2²) noise inputs are appended to each source.
public enum EightClassTask {
    /// Classes source 1 and source 2 encode: the first `n` and the last `n` of 8 (overlap 2n − 8).
    public static func classSets(_ n: Int) -> (Set<Int>, Set<Int>) { (Set(0..<n), Set((8 - n)..<8)) }

    /// `count` samples with `k` independent N(0, 2²) noise inputs appended to each source. With `balancedLabels` the
    /// label of sample i is i mod 8 (the authors' `data_toy.py`) instead of a uniform draw.
    public static func sample(_ count: Int, n: Int, noise k: Int, balancedLabels: Bool = false, rng: inout Xoshiro256) -> (x: [Matrix<Float>], y: [Int]) {
        sample(count, n: n, noise: k, common: 0, balancedLabels: balancedLabels, rng: &rng)
    }

    /// `count` samples with `k` shared inputs unrelated to the task appended to both sources: the constant −2 on every
    /// sample, as the authors' `append_common` (they raise the inputs' cosine similarity and carry nothing about Y).
    /// n = 0 is allowed here: both scalars are then random.
    public static func sample(_ count: Int, n: Int, common k: Int, balancedLabels: Bool = false, rng: inout Xoshiro256) -> (x: [Matrix<Float>], y: [Int]) {
        sample(count, n: n, noise: 0, common: k, balancedLabels: balancedLabels, rng: &rng)
    }

    private static func sample(_ count: Int, n: Int, noise k: Int, common: Int, balancedLabels: Bool, rng: inout Xoshiro256) -> (x: [Matrix<Float>], y: [Int]) {
        precondition((0...8).contains(n) && k >= 0 && common >= 0, "n must be in 0…8, appended counts ≥ 0")
        let (s1, s2) = classSets(n)
        let width = 1 + k + common
        var a = Matrix<Float>(rows: count, cols: width), b = Matrix<Float>(rows: count, cols: width)
        var y = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let c = balancedLabels ? i % 8 : rng.int(below: 8)
            y[i] = c
            a[i, 0] = Float(s1.contains(c) ? c : rng.int(below: 8) - 4)
            b[i, 0] = Float(s2.contains(c) ? c : rng.int(below: 8) - 4)
            for j in 0..<k { a[i, 1 + j] = Float(2 * rng.normal()); b[i, 1 + j] = Float(2 * rng.normal()) }
            for j in 0..<common { a[i, 1 + k + j] = -2; b[i, 1 + k + j] = -2 }
        }
        return ([a, b], y)
    }

    /// The exact joint distribution of (X₁, X₂, Y) without the noise inputs (they are independent of everything and leave
    /// every PID measure unchanged), with symbols shifted by +4 so that x ∈ {0, …, 11} (x − 4 ∈ [−4, 7]).
    public static func distribution(_ n: Int) -> DiscreteTask {
        precondition((1...8).contains(n), "n must be in 1…8")
        let (s1, s2) = classSets(n)
        var acc = [Int: Double]()
        for c in 0..<8 {
            let o1 = s1.contains(c) ? [c] : Array(-4..<4), o2 = s2.contains(c) ? [c] : Array(-4..<4)
            for a in o1 { for b in o2 { acc[((a + 4) * 12 + (b + 4)) * 8 + c, default: 0] += 1.0 / 8 / Double(o1.count * o2.count) } }
        }
        let rows = acc.keys.sorted().map { k in (k / 96, (k / 8) % 12, k % 8, acc[k]!) }
        return DiscreteTask(name: "EIGHT\(n)", rows)
    }

    /// Mean cosine similarity between the two sources' input vectors. A sample where either vector is zero has no
    /// cosine and is left out (numpy's nanmean in the authors' `similarity.py`); NaN when every sample is left out.
    public static func cosineSimilarity(_ x: [Matrix<Float>]) -> Double {
        let a = x[0], b = x[1]
        var s = 0.0, used = 0
        for i in 0..<a.rows {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for j in 0..<a.cols { let u = Double(a[i, j]), v = Double(b[i, j]); ab += u * v; aa += u * u; bb += v * v }
            if aa > 0 && bb > 0 { s += ab / (aa * bb).squareRoot(); used += 1 }
        }
        return used > 0 ? s / Double(used) : .nan
    }
}

/// A simulated premotor population in the setting of the paper's fixed-delay task (§4.3, Fig. 3): N neurons with cosine
/// tuning, rate λᵢ(φ) = max(0.5, bᵢ + aᵢ cos(φ − φᵢ)) spikes/s (bᵢ, aᵢ uniform in 10…30 Hz, φᵢ uniform), whose spikes are
/// counted in W consecutive windows of Δt (Poisson counts, independent given the rates). All windows share the same tuning
/// (no ramp, no drift); what changes from window to window is the movement plan φ_w = θ_Y + δ_w, the target direction
/// θ_Y = Y · 45° plus a deviation δ_w ~ N(0, σ_plan²) in every window that follows an AR(1) process across windows,
/// corr(δ_w, δ_{w+k}) = ρᵏ ("shared plan variability"; ρ = 0 makes the windows conditionally independent given Y).
public struct PremotorSimulation: Sendable {
    public var neurons = 97
    public var windows = 4
    public var windowSeconds = 0.1
    /// σ_plan: standard deviation (radians) of the plan's deviation from the target direction in every window.
    public var planSD = 0.2
    /// ρ: correlation of the deviation between consecutive windows.
    public var planCorrelation = 0.7
    /// g: the tuning depth aᵢ of every neuron is multiplied by g in the last window only (1: the same tuning in every
    /// window). A stand-in for whatever lowers the last window's information in the paper's Fig. 3, not a mechanism.
    public var lastWindowDepth = 1.0
    public init() {}

    /// The population's tuning: baseline bᵢ and depth aᵢ (spikes/s) and preferred direction φᵢ (radians) of each neuron.
    public struct Tuning: Sendable {
        public let baseline: [Double], depth: [Double], preferred: [Double]
        public func rate(_ i: Int, plan: Double, depthScale g: Double = 1) -> Double { max(0.5, baseline[i] + g * depth[i] * cos(plan - preferred[i])) }
    }

    public func tuning(rng: inout Xoshiro256) -> Tuning {
        Tuning(baseline: (0..<neurons).map { _ in rng.uniform(10, 30) }, depth: (0..<neurons).map { _ in rng.uniform(10, 30) },
               preferred: (0..<neurons).map { _ in rng.uniform(0, 2 * Double.pi) })
    }

    /// `trialsPerTarget` trials to each of the 8 targets (trial t goes to target t / trialsPerTarget, as the authors'
    /// `NeuralData` orders them): spike counts per window (one trials × neurons matrix per window) and the targets.
    public func simulate(trialsPerTarget: Int, tuning: Tuning, rng: inout Xoshiro256) -> (x: [Matrix<Float>], y: [Int]) {
        precondition(tuning.baseline.count == neurons && abs(planCorrelation) < 1 && planSD > 0, "tuning of \(neurons) neurons, |ρ| < 1, σ_plan > 0")
        let trials = 8 * trialsPerTarget
        var y = [Int](repeating: 0, count: trials)
        var x = (0..<windows).map { _ in Matrix<Float>(rows: trials, cols: neurons) }
        let innovation = planSD * (1 - planCorrelation * planCorrelation).squareRoot()
        for t in 0..<trials {
            let target = t / trialsPerTarget
            y[t] = target
            var deviation = rng.normal(0, planSD)
            for w in 0..<windows {
                if w > 0 { deviation = planCorrelation * deviation + rng.normal(0, innovation) }
                let plan = Double(target) * Double.pi / 4 + deviation
                let g = w == windows - 1 ? lastWindowDepth : 1
                for i in 0..<neurons { x[w][t, i] = Float(rng.poisson(tuning.rate(i, plan: plan, depthScale: g) * windowSeconds)) }
            }
        }
        return (x, y)
    }

    /// The Shannon information I(Y; X_w) of one window's counts, estimated on the trials `counts`/`y` with the true model:
    /// H(Y) of the labels minus the mean of −log₂ p(y | x), where p(x | y) = ∫ Πᵢ Poisson(xᵢ; λᵢ(θ_y + δ)Δt) N(δ; 0, σ_plan²) dδ
    /// by the trapezoidal rule on `nodes` points over ±5σ_plan (the deviation of one window alone is N(0, σ_plan²)).
    /// The information a decoder of this window could reach at best, the ceiling of the diagonal of the RINE matrix.
    /// `depthScale`: the g of the window the counts come from (`lastWindowDepth` for the last one, else 1).
    public func bayesInformation(counts: Matrix<Float>, y: [Int], tuning: Tuning, nodes: Int = 81, depthScale: Double = 1) -> Double {
        precondition(counts.rows == y.count && counts.cols == neurons && nodes >= 3)
        let deltas = (0..<nodes).map { k in planSD * (-5 + 10 * Double(k) / Double(nodes - 1)) }
        let logPrior = deltas.map { -0.5 * ($0 / planSD) * ($0 / planSD) }
        // log λᵢ Δt and λᵢ Δt for every target and node.
        var logRate = [[Double]](), rate = [[Double]]()
        for c in 0..<8 { for d in deltas {
            let r = (0..<neurons).map { tuning.rate($0, plan: Double(c) * Double.pi / 4 + d, depthScale: depthScale) * windowSeconds }
            rate.append(r); logRate.append(r.map { log($0) })
        } }
        var loss = 0.0
        for t in 0..<counts.rows {
            var logLik = [Double](repeating: 0, count: 8)
            for c in 0..<8 {
                // log Σ_k exp(prior_k + Σᵢ (xᵢ log λ − λ)); the x! terms are common to every class and cancel.
                let terms = (0..<nodes).map { k -> Double in
                    let lr = logRate[c * nodes + k], r = rate[c * nodes + k]
                    var s = logPrior[k]
                    for i in 0..<neurons { s += Double(counts[t, i]) * lr[i] - r[i] }
                    return s
                }
                let m = terms.max()!
                logLik[c] = m + log(terms.reduce(0.0) { $0 + exp($1 - m) })
            }
            let m = logLik.max()!
            let logNorm = m + log(logLik.reduce(0.0) { $0 + exp($1 - m) })
            loss += (logNorm - logLik[y[t]]) / M_LN2
        }
        return RINEReadout.labelEntropy(y) - loss / Double(counts.rows)
    }
}

/// The target-conditioned shuffle of the paper's pseudo-session surrogate applied to one data set: a permutation π of
/// the trials with y[π(t)] = y[t] and π(t) ≠ t whenever the target has another trial (within each target, the trials in
/// a random order, each mapped to the next one cyclically). Taking source 2 from trial π(t) keeps each source's
/// distribution given the target and removes every trial-to-trial dependence between the sources beyond the target.
public enum TargetShuffle {
    public static func permutation(_ y: [Int], rng: inout Xoshiro256) -> [Int] {
        var pi = Array(y.indices)
        for c in Set(y).sorted() {
            var idx = y.indices.filter { y[$0] == c }
            rng.shuffle(&idx)
            for k in idx.indices { pi[idx[k]] = idx[(k + 1) % idx.count] }
        }
        return pi
    }
}

/// The motor-cortex reach data set (Hatsopoulos lab teaching set): rates of 143 neurons on 158 trials, 8 directions.
public struct ReachData {
    public let rates: Matrix<Double>   // trials × neurons
    public let direction: [Int]        // 0..<8

    /// `validate(trials, neurons)` runs once the dimensions are known, before the rates are copied or allocated (issue
    /// 14 §4: the analysis checks the counts it needs there, so a short file is an error naming it, not a precondition).
    public init(contentsOf url: URL, validate: ((_ trials: Int, _ neurons: Int) throws -> Void)? = nil) throws {
        let mat = try MATFile(contentsOf: url)
        let r = try mat.variable("R"), d = try mat.variable("direction")
        guard r.dimensions.count == 2, d.count == r.dimensions[1] else {
            throw DataFileError(file: url.path, message: "R is \(r.dimensions), direction has \(d.count) entries")
        }
        let neurons = r.dimensions[0], trials = r.dimensions[1]
        try validate?(trials, neurons)
        var m = Matrix<Double>(rows: trials, cols: neurons)
        let data = try r.finiteData()
        for t in 0..<trials { for i in 0..<neurons { m[t, i] = data[t * neurons + i] } } // column-major neurons × trials
        rates = m
        direction = try d.integerData(in: 1...8).map { $0 - 1 }
    }

    /// z-scored rates of the neurons `idx` as a Float matrix.
    public func standardized(_ idx: [Int]) -> Matrix<Float> {
        let sub = rates.selectingColumns(idx)
        var out = Matrix<Float>(rows: sub.rows, cols: sub.cols)
        for j in 0..<sub.cols {
            let col = sub.column(j)
            let m = Stats.mean(col), s = max(Stats.standardDeviation(col), 1e-9)
            for i in 0..<sub.rows { out[i, j] = Float((col[i] - m) / s) }
        }
        return out
    }
}
