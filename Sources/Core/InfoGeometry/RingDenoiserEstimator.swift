import Foundation
import Numerics
import NeuralNet

/// Learned estimator of the multi-scale geometry of the ring population from a finite set of (x, r) pairs.
///
/// Two small MLPs are trained by denoising score matching with log-uniform noise levels γ ∈ [γ_lo, γ_hi]:
/// a conditional denoiser ε̂(y, γ, r) and an unconditional one ε̂(y, γ), both predicting the (unwrapped) noise ξ of
/// y = x + √γ ξ mod 2π. The implied denoisers are x̂ = y − √γ ε̂, so Tweedie's formula gives
/// u = (x̂(y,γ,r) − x̂(y,γ))/γ = −(ε̂_c − ε̂_u)/√γ and γ u² = (ε̂_c − ε̂_u)². Hence, with t = log γ,
/// I(R;X) = ½ ∫ dt E_{x,r,ξ}[(ε̂_c − ε̂_u)²] (the direct estimator) = ½ ∫ dt (L_u(t) − L_c(t)) (the I-MMSE loss-difference
/// estimator, L the denoising losses; the two agree for exact denoisers), and G(x) = ½ ∫ dt E_{y∼N(x,γ), r∼p(r|y)}[(ε̂_c − ε̂_u)²].
///
/// Training is validated: a fraction of the pairs is held out, the loss on it (fixed noise draws) is evaluated every
/// `validationInterval` steps and each network keeps its best-validation weights (early stopping). The losses on training
/// pairs, held-out pairs and fresh pairs are reported beside the optimal (exact-denoiser) losses, and every evaluation is
/// repeated with the exact denoisers on the same samples, which gives the evaluation's own Monte Carlo floor.
public struct RingDenoiserEstimator: Sendable {
    public var population = RingPopulation()
    public var trainingSize = 4000
    /// Share of the pairs held out for early stopping.
    public var validationFraction = 0.2
    public var validationInterval = 250
    /// Fixed (t, ξ) draws per pair when the training and held-out losses are evaluated.
    public var lossDraws = 4
    public var steps = 3000
    public var batchSize = 128
    public var hidden = 64
    public var learningRate: Float = 5e-3
    public var lowestGamma = 1e-4
    public var highestGamma = 50.0
    /// Log-γ nodes and samples per node for the MI and for each point of the metric grid.
    public var evaluationNodes = 25
    public var miSamples = 2048
    public var metricSamples = 256
    public var seed: UInt64 = 1

    public init() {}

    /// A Monte Carlo value and its standard error.
    public typealias Estimate = (value: Double, error: Double)

    /// What one trained pair of denoisers gives, next to the exact denoisers evaluated on the same samples.
    public struct Result: Sendable {
        public let trainingSize: Int
        /// I(R;X) from the learned denoisers: direct ½∫E(ε̂_c − ε̂_u)² and loss difference ½∫(L_u − L_c).
        public let miDirect: Estimate
        public let miLossDifference: Estimate
        /// Learned minus exact-denoiser direct MI on the same samples, with the standard error of the paired differences.
        public let miPairedDifference: Estimate
        /// The same two estimators with the exact denoisers on the same samples.
        public let exactMIDirect: Estimate
        public let exactMILossDifference: Estimate
        public let metricGrid: [Double]
        public let metric: [Double]
        public let exactMetric: [Double]
        /// Standard error of each point of `metric` (Monte Carlo over the evaluation samples).
        public let metricError: [Double]
        /// Learned versus exact tr G(x) on common samples (the mean of `metricRepeats`), with the paired difference and its
        /// floor; `metricRepeats` are the two independent evaluations it combines.
        public let metricComparison: MetricComparison
        public let metricRepeats: [MetricComparison]
        public let gammas: [Double]
        /// ½ E[(ε̂_c − ε̂_u)²] per unit log γ at the evaluation nodes (the MI integrand), learned and exact.
        public let integrand: [Double]
        public let exactIntegrand: [Double]
        /// Denoising losses averaged over t ∈ [log γ_lo, log γ_hi]: on training pairs, held-out pairs and fresh pairs
        /// (conditional, unconditional), and the exact denoisers' loss on the same fresh samples.
        public let trainLoss: (conditional: Double, unconditional: Double)
        public let validationLoss: (conditional: Double, unconditional: Double)
        /// The exact denoisers' losses on the same training and held-out draws.
        public let exactTrainLoss: (conditional: Double, unconditional: Double)
        public let exactValidationLoss: (conditional: Double, unconditional: Double)
        public let freshLoss: (conditional: Estimate, unconditional: Estimate)
        public let exactFreshLoss: (conditional: Estimate, unconditional: Estimate)
        /// The step whose weights were kept (best held-out loss) for each network.
        public let bestStep: (conditional: Int, unconditional: Int)
        public let trainingSeconds: Double
        /// Training samples processed per second (both networks together count once per sample).
        public let samplesPerSecond: Double
        /// The direct MI estimate (shorthand).
        public var mi: Double { miDirect.value }
    }

    var logRange: (Double, Double) { (log(lowestGamma), log(highestGamma)) }
    static let baseFeatures = 3

    func features(y: Double, t: Double, counts: [Int]?, into row: UnsafeMutableBufferPointer<Float>) {
        let (t0, t1) = logRange
        row[0] = Float(cos(y)); row[1] = Float(sin(y))
        row[2] = Float(2 * (t - t0) / (t1 - t0) - 1)
        if let c = counts { for i in 0..<c.count { row[3 + i] = Float(c[i]) / 10 } }
    }

    /// Inputs of both networks for a list of (y, t, r).
    func inputs(_ ys: [Double], _ ts: [Double], _ cs: [[Int]]) -> (Matrix<Float>, Matrix<Float>) {
        let n = ys.count, nb = Self.baseFeatures, nc = nb + population.neurons
        var ic = Matrix<Float>(rows: n, cols: nc), iu = Matrix<Float>(rows: n, cols: nb)
        ic.data.withUnsafeMutableBufferPointer { pc in iu.data.withUnsafeMutableBufferPointer { pu in
            for s in 0..<n {
                features(y: ys[s], t: ts[s], counts: cs[s], into: UnsafeMutableBufferPointer(rebasing: pc[(s * nc)..<((s + 1) * nc)]))
                features(y: ys[s], t: ts[s], counts: nil, into: UnsafeMutableBufferPointer(rebasing: pu[(s * nb)..<((s + 1) * nb)]))
            }
        } }
        return (ic, iu)
    }

    /// Samples r ∼ p(r | y) for the coarse-grained stimulus y: x′ ∼ p(x′ | y) ∝ p(x′) N(y; x′, γ) by rejection
    /// (x′ = y + √γ ξ′ accepted with probability p(x′)/max p), then r ∼ p(r | x′).
    static func sampleGivenCoarse(_ pop: RingPopulation, y: Double, gamma: Double, rng: inout Xoshiro256) -> [Int] {
        let sg = gamma.squareRoot()
        while true {
            let xp = y + sg * rng.normal()
            if pop.priorConcentration == 0 || rng.uniform() < pop.priorShape(xp) { return pop.sample(at: xp, rng: &rng) }
        }
    }

    public func run(metricGrid: [Double], progress: (String) -> Void = { _ in }) throws -> Result {
        guard trainingSize >= 10, steps >= 1, batchSize >= 1, validationFraction > 0, validationFraction < 1,
              validationInterval >= 1, lossDraws >= 1, evaluationNodes >= 3, miSamples >= 2, metricSamples >= 2 else {
            throw AnalysisFailureMessage("denoiser: ≥ 10 pairs, positive sizes, validation fraction in (0, 1)")
        }
        let pop = population, nn = pop.neurons, nb = Self.baseFeatures
        let exact = try RingExactDenoiser(population: pop)
        let rng = Xoshiro256(seed: seed)
        var data = rng.child(1), noise = rng.child(2), initRng = rng.child(3), evalRng = rng.child(4), lossRng = rng.child(5)
        // Pairs, split into training and held-out parts.
        let xs = (0..<trainingSize).map { _ in pop.samplePrior(rng: &data) }
        let rs = xs.map { pop.sample(at: $0, rng: &data) }
        let nVal = max(1, Int((Double(trainingSize) * validationFraction).rounded()))
        let nTrain = trainingSize - nVal
        let (t0, t1) = logRange

        // Fixed loss-evaluation sets: (pair, t, ξ) draws on held-out pairs and on (up to 4000) training pairs.
        func lossSet(_ pairs: Range<Int>) -> (Matrix<Float>, Matrix<Float>, [Float], exact: (Double, Double)) {
            var ys = [Double](), ts = [Double](), cs = [[Int]](), target = [Float]()
            for i in pairs { for _ in 0..<lossDraws {
                let t = lossRng.uniform(t0, t1), xi = lossRng.normal()
                ys.append(remainder(xs[i] + exp(t / 2) * xi, 2 * Double.pi)); ts.append(t); cs.append(rs[i]); target.append(Float(xi))
            } }
            let (ic, iu) = inputs(ys, ts, cs)
            let e = exact.predict(y: ys, gamma: ts.map { exp($0) }, counts: cs)
            var lc = 0.0, lu = 0.0
            for s in 0..<ys.count {
                let xi = Double(target[s])
                lc += (xi - e.conditional[s]) * (xi - e.conditional[s]); lu += (xi - e.unconditional[s]) * (xi - e.unconditional[s])
            }
            return (ic, iu, target, (lc / Double(ys.count), lu / Double(ys.count)))
        }
        let valSet = lossSet(nTrain..<trainingSize)
        let trainSet = lossSet(0..<min(nTrain, 4000))
        func mse(_ net: Sequential, _ x: Matrix<Float>, _ target: [Float]) -> Double {
            let o = net.forward(x)
            var s = 0.0
            for i in 0..<target.count { let d = Double(o.data[i] - target[i]); s += d * d }
            return s / Double(target.count)
        }

        let cond = Sequential.mlp(widths: [nb + nn, hidden, hidden, 1], activation: .tanh, initialization: .glorot, rng: &initRng)
        let uncond = Sequential.mlp(widths: [nb, hidden, hidden, 1], activation: .tanh, initialization: .glorot, rng: &initRng)
        let optC = Adam(learningRate: learningRate), optU = Adam(learningRate: learningRate)
        var xc = Matrix<Float>(rows: batchSize, cols: nb + nn), xu = Matrix<Float>(rows: batchSize, cols: nb)
        var target = Matrix<Float>(rows: batchSize, cols: 1)
        var bestC = (loss: Double.infinity, step: 0, weights: cond.parameters.map(\.value))
        var bestU = (loss: Double.infinity, step: 0, weights: uncond.parameters.map(\.value))
        func validate(_ step: Int) {
            let lc = mse(cond, valSet.0, valSet.2), lu = mse(uncond, valSet.1, valSet.2)
            if lc < bestC.loss { bestC = (lc, step, cond.parameters.map(\.value)) }
            if lu < bestU.loss { bestU = (lu, step, uncond.parameters.map(\.value)) }
        }
        let start = Date()
        for step in 0..<steps {
            // Cosine learning-rate decay to 5 % of the initial rate.
            let lr = learningRate * Float(0.05 + 0.95 * 0.5 * (1 + cos(Double.pi * Double(step) / Double(steps))))
            optC.learningRate = lr; optU.learningRate = lr
            xc.data.withUnsafeMutableBufferPointer { pc in xu.data.withUnsafeMutableBufferPointer { pu in
                for b in 0..<batchSize {
                    let i = noise.int(below: nTrain)
                    let t = noise.uniform(t0, t1), xi = noise.normal()
                    let y = remainder(xs[i] + exp(t / 2) * xi, 2 * Double.pi)
                    features(y: y, t: t, counts: rs[i], into: UnsafeMutableBufferPointer(rebasing: pc[(b * (nb + nn))..<((b + 1) * (nb + nn))]))
                    features(y: y, t: t, counts: nil, into: UnsafeMutableBufferPointer(rebasing: pu[(b * nb)..<((b + 1) * nb)]))
                    target.data[b] = Float(xi)
                }
            } }
            let oc = cond.forward(xc, training: true)
            let (_, gc) = Loss.meanSquaredError(oc, target)
            cond.backward(gc); optC.step(cond.parameters)
            let ou = uncond.forward(xu, training: true)
            let (_, gu) = Loss.meanSquaredError(ou, target)
            uncond.backward(gu); optU.step(uncond.parameters)
            if (step + 1) % validationInterval == 0 || step == steps - 1 { validate(step + 1) }
            if step % 2000 == 1999 { progress("denoisers (n=\(trainingSize)): step \(step + 1)/\(steps), held-out loss \(String(format: "%.4f", bestC.loss)) / \(String(format: "%.4f", bestU.loss))") }
        }
        for (p, w) in zip(cond.parameters, bestC.weights) { p.value = w }
        for (p, w) in zip(uncond.parameters, bestU.weights) { p.value = w }
        let seconds = Date().timeIntervalSince(start)
        let trainLoss = (mse(cond, trainSet.0, trainSet.2), mse(uncond, trainSet.1, trainSet.2))
        let valLoss = (mse(cond, valSet.0, valSet.2), mse(uncond, valSet.1, valSet.2))
        // ξ was stored as Float: the exact losses above use the same rounded targets as the learned ones.

        /// Learned and exact noise predictions for a list of (y, γ, r).
        func predictions(_ ys: [Double], _ gs: [Double], _ cs: [[Int]]) -> (lc: [Double], lu: [Double], ec: [Double], eu: [Double]) {
            let (ic, iu) = inputs(ys, gs.map { log($0) }, cs)
            let oc = cond.forward(ic).data.map(Double.init), ou = uncond.forward(iu).data.map(Double.init)
            let e = exact.predict(y: ys, gamma: gs, counts: cs)
            return (oc, ou, e.conditional, e.unconditional)
        }

        // Simpson weights in t over the evaluation nodes; below γ_lo the integrand per unit t is ≈ γ J_0, whose integral
        // from −∞ equals the first node's value.
        let q = LogGammaQuadrature(lowest: lowestGamma, highest: highestGamma, intervals: max(2, evaluationNodes - 1))
        let tw = zip(q.weights, q.gammas).map { $0 / $1 }
        let miW = tw.enumerated().map { 0.5 * $1 + ($0 == 0 ? 0.5 : 0) }
        let span = t1 - t0
        // MI and fresh losses: fresh (x, r, ξ) at every node, x ∼ p(x) independently.
        var perNode = [[[Double]]](repeating: [], count: 8)     // 8 estimators × nodes × samples
        var integrand = [Double](), exactIntegrand = [Double]()
        for gamma in q.gammas {
            var ys = [Double](), cs = [[Int]](), xi = [Double]()
            for _ in 0..<miSamples {
                let x = pop.samplePrior(rng: &evalRng)
                cs.append(pop.sample(at: x, rng: &evalRng))
                let e = evalRng.normal(); xi.append(e)
                ys.append(remainder(x + gamma.squareRoot() * e, 2 * Double.pi))
            }
            let p = predictions(ys, [Double](repeating: gamma, count: miSamples), cs)
            // Per-sample quantities: direct (learned, exact), loss difference (learned, exact), losses (4).
            var per = [[Double]](repeating: [], count: 8)
            for s in 0..<miSamples {
                let lc = (xi[s] - p.lc[s]) * (xi[s] - p.lc[s]), lu = (xi[s] - p.lu[s]) * (xi[s] - p.lu[s])
                let ec = (xi[s] - p.ec[s]) * (xi[s] - p.ec[s]), eu = (xi[s] - p.eu[s]) * (xi[s] - p.eu[s])
                per[0].append((p.lc[s] - p.lu[s]) * (p.lc[s] - p.lu[s])); per[1].append((p.ec[s] - p.eu[s]) * (p.ec[s] - p.eu[s]))
                per[2].append(lu - lc); per[3].append(eu - ec)
                per[4].append(lc); per[5].append(lu); per[6].append(ec); per[7].append(eu)
            }
            for k in 0..<8 { perNode[k].append(per[k]) }
            integrand.append(0.5 * Stats.mean(per[0])); exactIntegrand.append(0.5 * Stats.mean(per[1]))
        }
        let lossW = tw.map { $0 / span }
        let est = (0..<8).map { MonteCarloQuadrature.estimate(weights: $0 < 4 ? miW : lossW, samples: perNode[$0]) }
        // Learned minus exact direct MI on the same samples (common random numbers).
        let pairedMI = MonteCarloQuadrature.estimate(weights: miW, samples: zip(perNode[0], perNode[1]).map { zip($0, $1).map { $0 - $1 } })

        // G(x) on the grid, learned and exact on common samples, in two independent repeats (their disagreement checks
        // the claimed floor; their mean is the estimate).
        let learnedPredictor: MetricPredictor = { ys, gs, cs in
            let (ic, iu) = inputs(ys, gs.map { log($0) }, cs)
            return (cond.forward(ic).data.map(Double.init), uncond.forward(iu).data.map(Double.init))
        }
        let repeats = (0..<2).map { rep -> MetricComparison in
            var r = evalRng.child(100 + rep)
            return Self.compareMetric(population: pop, exact: exact, learned: learnedPredictor, grid: metricGrid,
                                      quadrature: q, samples: metricSamples, rng: &r)
        }
        let comparison = MetricComparison.combine(repeats[0], repeats[1])
        let metric = comparison.metric, exactMetric = comparison.exactMetric, metricErr = comparison.metricError
        return Result(trainingSize: trainingSize, miDirect: est[0], miLossDifference: est[2], miPairedDifference: pairedMI,
                      exactMIDirect: est[1], exactMILossDifference: est[3],
                      metricGrid: metricGrid, metric: metric, exactMetric: exactMetric, metricError: metricErr,
                      metricComparison: comparison, metricRepeats: repeats,
                      gammas: q.gammas, integrand: integrand, exactIntegrand: exactIntegrand,
                      trainLoss: trainLoss, validationLoss: valLoss,
                      exactTrainLoss: trainSet.exact, exactValidationLoss: valSet.exact,
                      freshLoss: (est[4], est[5]), exactFreshLoss: (est[6], est[7]),
                      bestStep: (bestC.step, bestU.step), trainingSeconds: seconds,
                      samplesPerSecond: Double(steps * batchSize) / seconds)
    }

    /// Noise predictions (conditional, unconditional) of a denoiser pair for a list of (y, γ, r).
    public typealias MetricPredictor = (_ y: [Double], _ gamma: [Double], _ counts: [[Int]]) -> ([Double], [Double])

    /// tr G(x) at stimuli `grid` from a pair of noise predictors and from the exact ones, on common random numbers.
    ///
    /// At each stimulus x and each ln γ node, `samples` draws y = x + √γ ξ (mod 2π), r ∼ p(r | y) feed both pairs of
    /// predictors; with δ = ε̂_c − ε̂_u, G(x) = ½ ∫ dt E[δ²] is estimated for each pair, and so is the paired difference
    /// D(x) = ½ ∫ dt E[δ_learned² − δ_exact²]. The exact denoisers make ½ ∫ dt E[δ_exact²] an unbiased estimate of the true
    /// G(x) at this quadrature, so D(x) estimates learned − true G(x) with the standard error of the per-sample differences,
    /// which is small when the two predictors are close (common random numbers): that error is the learned error's floor.
    public static func compareMetric(population pop: RingPopulation, exact: RingExactDenoiser, learned: MetricPredictor,
                                     grid: [Double], quadrature q: LogGammaQuadrature, samples: Int,
                                     rng: inout Xoshiro256) -> MetricComparison {
        let tw = zip(q.weights, q.gammas).map { $0 / $1 }
        let miW = tw.enumerated().map { 0.5 * $1 + ($0 == 0 ? 0.5 : 0) }
        var out = MetricComparison(metric: [], metricError: [], exactMetric: [], exactError: [], difference: [], differenceError: [])
        for x in grid {
            var ys = [Double](), gs = [Double](), cs = [[Int]]()
            for gamma in q.gammas {
                let sg = gamma.squareRoot()
                for _ in 0..<samples {
                    let y = remainder(x + sg * rng.normal(), 2 * Double.pi)
                    ys.append(y); gs.append(gamma); cs.append(sampleGivenCoarse(pop, y: y, gamma: gamma, rng: &rng))
                }
            }
            let (lc, lu) = learned(ys, gs, cs)
            let e = exact.predict(y: ys, gamma: gs, counts: cs)
            let ranges = (0..<q.gammas.count).map { ($0 * samples)..<(($0 + 1) * samples) }
            func sq(_ a: Double, _ b: Double) -> Double { (a - b) * (a - b) }
            let l = MonteCarloQuadrature.estimate(weights: miW, samples: ranges.map { $0.map { sq(lc[$0], lu[$0]) } })
            let ex = MonteCarloQuadrature.estimate(weights: miW, samples: ranges.map { $0.map { sq(e.conditional[$0], e.unconditional[$0]) } })
            let d = MonteCarloQuadrature.estimate(weights: miW, samples: ranges.map { $0.map { sq(lc[$0], lu[$0]) - sq(e.conditional[$0], e.unconditional[$0]) } })
            out.metric.append(l.value); out.metricError.append(l.error)
            out.exactMetric.append(ex.value); out.exactError.append(ex.error)
            out.difference.append(d.value); out.differenceError.append(d.error)
        }
        return out
    }
}

/// Learned and exact tr G(x) at a set of stimuli, evaluated on common samples: each value with its Monte Carlo standard
/// error, and the paired difference D(x) = Ĝ_learned(x) − Ĝ_exact(x) with its own (much smaller) error.
public struct MetricComparison: Sendable {
    public var metric: [Double], metricError: [Double]
    public var exactMetric: [Double], exactError: [Double]
    public var difference: [Double], differenceError: [Double]

    /// The mean of two independent evaluations (errors combined as for a mean of independent estimates).
    public static func combine(_ a: MetricComparison, _ b: MetricComparison) -> MetricComparison {
        func m(_ u: [Double], _ v: [Double]) -> [Double] { zip(u, v).map { ($0 + $1) / 2 } }
        func e(_ u: [Double], _ v: [Double]) -> [Double] { zip(u, v).map { ($0 * $0 + $1 * $1).squareRoot() / 2 } }
        return MetricComparison(metric: m(a.metric, b.metric), metricError: e(a.metricError, b.metricError),
                                exactMetric: m(a.exactMetric, b.exactMetric), exactError: e(a.exactError, b.exactError),
                                difference: m(a.difference, b.difference), differenceError: e(a.differenceError, b.differenceError))
    }

    /// Pulls (D_a − D_b)/√(σ_a² + σ_b²) of two independent evaluations: sd ≈ 1 when the claimed floor is right.
    public static func repeatPulls(_ a: MetricComparison, _ b: MetricComparison) -> [Double] {
        (0..<a.difference.count).map { i -> Double in
            let ea = a.differenceError[i], eb = b.differenceError[i]
            let s: Double = (ea * ea + eb * eb).squareRoot()
            return (a.difference[i] - b.difference[i]) / s
        }
    }
}
