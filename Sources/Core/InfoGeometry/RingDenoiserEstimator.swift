import Foundation
import Numerics
import NeuralNet

/// Learned estimator of the multi-scale geometry of the ring population from a finite training set of (x, r) pairs.
///
/// Two small MLPs are trained by denoising score matching with log-uniform noise levels γ ∈ [γ_lo, γ_hi]:
/// a conditional denoiser ε̂(y, γ, r) and an unconditional one ε̂(y, γ), both predicting the noise ξ of y = x + √γ ξ
/// (wrapped onto the circle). The implied denoisers are x̂ = y − √γ ε̂, so Tweedie's formula gives
/// u = (x̂(y,γ,r) − x̂(y,γ))/γ = −(ε̂_c − ε̂_u)/√γ and γ u² = (ε̂_c − ε̂_u)². Hence, with t = log γ,
/// I(R;X) = ½ ∫ dt E_{x,r,ξ}[(ε̂_c − ε̂_u)²] and G(x) = ½ ∫ dt E_{y∼N(x,γ), r∼p(r|y)}[(ε̂_c − ε̂_u)²].
/// Because the prior is uniform on the circle, r | y is sampled exactly as x′ = y + √γ ξ′, r ∼ p(r | x′).
public struct RingDenoiserEstimator: Sendable {
    public var population = RingPopulation()
    public var trainingSize = 4000
    public var steps = 3000
    public var batchSize = 128
    public var hidden = 64
    /// The coarse-grained angle enters as cos(k y), sin(k y) for k = 1 … harmonics.
    public var harmonics = 1
    public var learningRate: Float = 5e-3
    public var lowestGamma = 1e-4
    public var highestGamma = 50.0
    /// Log-γ nodes and samples per node for the MI and for each point of the metric grid.
    public var evaluationNodes = 25
    public var miSamples = 2048
    public var metricSamples = 256
    public var seed: UInt64 = 1

    public init() {}

    /// What one trained pair of denoisers gives.
    public struct Result: Sendable {
        public let trainingSize: Int
        public let mi: Double
        public let miError: Double
        public let metricGrid: [Double]
        public let metric: [Double]
        /// ½ E[(ε̂_c − ε̂_u)²] per unit log γ at the evaluation nodes (the MI integrand).
        public let gammas: [Double]
        public let integrand: [Double]
        public let finalLossConditional: Double
        public let finalLossUnconditional: Double
        public let trainingSeconds: Double
        /// Training samples processed per second (both networks together count once per sample).
        public let samplesPerSecond: Double
    }

    var logRange: (Double, Double) { (log(lowestGamma), log(highestGamma)) }

    var baseFeatures: Int { 2 * harmonics + 1 }

    func features(y: Double, t: Double, counts: [Int]?, into row: UnsafeMutableBufferPointer<Float>) {
        let (t0, t1) = logRange
        for k in 1...harmonics { row[2 * k - 2] = Float(cos(Double(k) * y)); row[2 * k - 1] = Float(sin(Double(k) * y)) }
        let b = baseFeatures
        row[b - 1] = Float(2 * (t - t0) / (t1 - t0) - 1)
        if let c = counts { for i in 0..<c.count { row[b + i] = Float(c[i]) / 10 } }
    }

    public func run(metricGrid: [Double], progress: (String) -> Void = { _ in }) throws -> Result {
        guard trainingSize >= 1, steps >= 1, batchSize >= 1, harmonics >= 1 else { throw AnalysisFailureMessage("denoiser: sizes must be positive") }
        let pop = population, nn = pop.neurons, nb = baseFeatures
        var rng = Xoshiro256(seed: seed)
        var data = rng.child(1), noise = rng.child(2), initRng = rng.child(3), evalRng = rng.child(4)
        // Training set.
        let xs = (0..<trainingSize).map { _ in data.uniform(-Double.pi, Double.pi) }
        let rs = xs.map { pop.sample(at: $0, rng: &data) }

        let cond = Sequential.mlp(widths: [nb + nn, hidden, hidden, 1], activation: .tanh, initialization: .glorot, rng: &initRng)
        let uncond = Sequential.mlp(widths: [nb, hidden, hidden, 1], activation: .tanh, initialization: .glorot, rng: &initRng)
        let optC = Adam(learningRate: learningRate), optU = Adam(learningRate: learningRate)
        let (t0, t1) = logRange
        var xc = Matrix<Float>(rows: batchSize, cols: nb + nn), xu = Matrix<Float>(rows: batchSize, cols: nb)
        var target = Matrix<Float>(rows: batchSize, cols: 1)
        var lossC = 0.0, lossU = 0.0
        let start = Date()
        for step in 0..<steps {
            // Cosine learning-rate decay to 5 % of the initial rate.
            let lr = learningRate * Float(0.05 + 0.95 * 0.5 * (1 + cos(Double.pi * Double(step) / Double(steps))))
            optC.learningRate = lr; optU.learningRate = lr
            xc.data.withUnsafeMutableBufferPointer { pc in xu.data.withUnsafeMutableBufferPointer { pu in
                for b in 0..<batchSize {
                    let i = noise.int(below: trainingSize)
                    let t = noise.uniform(t0, t1), xi = noise.normal()
                    let y = remainder(xs[i] + exp(t / 2) * xi, 2 * Double.pi)
                    features(y: y, t: t, counts: rs[i], into: UnsafeMutableBufferPointer(rebasing: pc[(b * (nb + nn))..<((b + 1) * (nb + nn))]))
                    features(y: y, t: t, counts: nil, into: UnsafeMutableBufferPointer(rebasing: pu[(b * nb)..<((b + 1) * nb)]))
                    target.data[b] = Float(xi)
                }
            } }
            let oc = cond.forward(xc, training: true)
            let (lc, gc) = Loss.meanSquaredError(oc, target)
            cond.backward(gc); optC.step(cond.parameters)
            let ou = uncond.forward(xu, training: true)
            let (lu, gu) = Loss.meanSquaredError(ou, target)
            uncond.backward(gu); optU.step(uncond.parameters)
            // Exponential moving average of the losses, for the record.
            lossC = step == 0 ? Double(lc) : 0.99 * lossC + 0.01 * Double(lc)
            lossU = step == 0 ? Double(lu) : 0.99 * lossU + 0.01 * Double(lu)
            if step % 1000 == 999 { progress("denoisers (n=\(trainingSize)): step \(step + 1)/\(steps), loss \(String(format: "%.4f", lossC)) / \(String(format: "%.4f", lossU))") }
        }
        let seconds = Date().timeIntervalSince(start)

        // Squared denoiser differences (ε̂_c − ε̂_u)² for a list of (y, t, r).
        func squaredDifferences(_ ys: [Double], _ ts: [Double], _ cs: [[Int]]) -> [Double] {
            let n = ys.count
            var ic = Matrix<Float>(rows: n, cols: nb + nn), iu = Matrix<Float>(rows: n, cols: nb)
            ic.data.withUnsafeMutableBufferPointer { pc in iu.data.withUnsafeMutableBufferPointer { pu in
                for s in 0..<n {
                    features(y: ys[s], t: ts[s], counts: cs[s], into: UnsafeMutableBufferPointer(rebasing: pc[(s * (nb + nn))..<((s + 1) * (nb + nn))]))
                    features(y: ys[s], t: ts[s], counts: nil, into: UnsafeMutableBufferPointer(rebasing: pu[(s * nb)..<((s + 1) * nb)]))
                }
            } }
            let ec = cond.forward(ic), eu = uncond.forward(iu)
            return (0..<n).map { let d = Double(ec.data[$0] - eu.data[$0]); return d * d }
        }

        // Simpson weights in t over the evaluation nodes.
        let q = LogGammaQuadrature(lowest: lowestGamma, highest: highestGamma, intervals: max(2, evaluationNodes - 1))
        let tw = zip(q.weights, q.gammas).map { $0 / $1 }          // weights for dt
        // MI: fresh (x, r, ξ) at every node; stratified x.
        var integrand = [Double](), miVar = 0.0, mi = 0.0
        for (ni, gamma) in q.gammas.enumerated() {
            let t = log(gamma)
            var ys = [Double](), cs = [[Int]]()
            for s in 0..<miSamples {
                let x = -Double.pi + 2 * Double.pi * (Double(s) + evalRng.uniform()) / Double(miSamples)
                cs.append(pop.sample(at: x, rng: &evalRng))
                ys.append(remainder(x + gamma.squareRoot() * evalRng.normal(), 2 * Double.pi))
            }
            let d = squaredDifferences(ys, [Double](repeating: t, count: miSamples), cs)
            let mean = d.reduce(0, +) / Double(d.count)
            let v = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(d.count - 1)
            // Below γ_lo the integrand per unit t is ≈ γ J_0, whose integral from −∞ is γ_lo J_0 = E[(Δε)²] at the first node.
            let w = 0.5 * tw[ni] + (ni == 0 ? 0.5 : 0)
            mi += w * mean; miVar += w * w * v / Double(d.count)
            integrand.append(0.5 * mean)
        }
        // G(x) on the grid.
        var metric = [Double](repeating: 0, count: metricGrid.count)
        for (xi, x) in metricGrid.enumerated() {
            var ys = [Double](), ts = [Double](), cs = [[Int]]()
            for gamma in q.gammas {
                let sg = gamma.squareRoot()
                for _ in 0..<metricSamples {
                    let y = remainder(x + sg * evalRng.normal(), 2 * Double.pi)
                    let xp = y + sg * evalRng.normal()
                    ys.append(y); ts.append(log(gamma)); cs.append(pop.sample(at: xp, rng: &evalRng))
                }
            }
            let d = squaredDifferences(ys, ts, cs)
            var g = 0.0
            for ni in 0..<q.gammas.count {
                let chunk = d[(ni * metricSamples)..<((ni + 1) * metricSamples)]
                let mean = chunk.reduce(0, +) / Double(metricSamples)
                g += (0.5 * tw[ni] + (ni == 0 ? 0.5 : 0)) * mean
            }
            metric[xi] = g
        }
        return Result(trainingSize: trainingSize, mi: mi, miError: miVar.squareRoot(), metricGrid: metricGrid, metric: metric,
                      gammas: q.gammas, integrand: integrand, finalLossConditional: lossC, finalLossUnconditional: lossU,
                      trainingSeconds: seconds, samplesPerSecond: Double(steps * batchSize) / seconds)
    }
}
