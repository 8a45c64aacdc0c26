import Foundation
import NeuralNet
import Numerics

/// Gradient ascent of Ĩ over the parameters of a neural 1-D feature f_θ(x) on a weighted grid of 2-D points
/// (Appendix D): the histogram entropy and ⟨ln|∇f|⟩ are both differentiated, the latter by reverse-over-reverse
/// differentiation of the network (`forwardWithInputGradient` / `backwardWithInputGradient`).
public struct FeatureOptimizer {
    public var hidden = [64, 64, 64]
    public var activation = Activation.Kind.tanh
    public var steps = 600
    public var learningRate: Float = 1e-3
    public var bins = 100
    /// Threads for one run: the grid is split into shards processed by network replicas whose gradients are summed
    /// (results equal the single-thread run up to float rounding). Reports keep 1 and run independent runs in parallel.
    public var threads = 1

    public init() {}

    /// One optimisation run: returns the final feature values on the evaluation grid and Ĩ after each step.
    /// `sampler` gives the weighted points used at each step (e.g. a jittered grid); the result is evaluated on
    /// `points`/`weights`.
    public func run(points: [[Double]], weights: [Double], rng: inout Xoshiro256,
                    sampler: ((inout Xoshiro256) -> (x: [[Double]], p: [Double]))? = nil,
                    progress: ((Int, Double) -> Void)? = nil) -> (feature: [Double], history: [Double]) {
        let n = points.count, d = points[0].count
        let net = Sequential.mlp(widths: [d] + hidden + [1], activation: activation, initialization: .glorot, rng: &rng)
        let opt = Adam(learningRate: learningRate)
        let workers = threads > 1 ? (0..<threads).map { _ in net.replica() } : [net]
        let grid = Matrix<Float>(rows: n, cols: d, data: points.flatMap { $0.map(Float.init) })
        var history = [Double]()
        for step in 0..<steps {
            var x = grid, weights = weights
            if let sampler {
                let s = sampler(&rng)
                x = Matrix<Float>(rows: s.x.count, cols: d, data: s.x.flatMap { $0.map(Float.init) }); weights = s.p
            }
            let rows = x.rows
            let bounds = (0...workers.count).map { $0 * rows / workers.count }
            let passes = Parallel.map(workers.count) { t in
                workers[t].forwardWithInputGradient(x.selectingRows(Array(bounds[t]..<bounds[t + 1])))
            }
            let values = passes.flatMap { $0.output.data.map(Double.init) }
            let gradData = passes.flatMap(\.gradient.data)
            let (h, dh) = HistogramEntropy.entropy(values, weights: weights, bins: bins)
            var logTerm = 0.0
            var gf = [Float](repeating: 0, count: rows), gg = [Float](repeating: 0, count: rows * d)
            for i in 0..<rows {
                var q = 0.0
                for k in 0..<d { let v = Double(gradData[i * d + k]); q += v * v }
                q = max(q, 1e-30)
                logTerm += weights[i] * 0.5 * log(q)
                gf[i] = Float(-dh[i]) // minimise −Ĩ
                for k in 0..<d { gg[i * d + k] = Float(weights[i] * Double(gradData[i * d + k]) / q) }
            }
            history.append(h - logTerm)
            _ = Parallel.map(workers.count) { t -> Bool in
                let lo = bounds[t], hi = bounds[t + 1]
                workers[t].backwardWithInputGradient(Matrix(rows: hi - lo, cols: 1, data: Array(gf[lo..<hi])),
                                                     Matrix(rows: hi - lo, cols: d, data: Array(gg[(lo * d)..<(hi * d)])),
                                                     tape: passes[t].tape)
                return true
            }
            if workers.count > 1 { for w in workers { w.addGradients(into: net) } }
            opt.step(net.parameters)
            if workers.count > 1 { for w in workers { w.loadParameters(from: net) } }
            if let progress, step % 100 == 0 { progress(step, h - logTerm) }
        }
        let x = grid
        let final = net.forward(x).data.map(Double.init)
        let (hf, _) = HistogramEntropy.entropy(final, weights: weights, bins: bins)
        let (_, gradFinal, _) = net.forwardWithInputGradient(x)
        var lt = 0.0
        for i in 0..<n {
            var q = 0.0
            for k in 0..<d { let v = Double(gradFinal.data[i * d + k]); q += v * v }
            lt += weights[i] * 0.5 * log(max(q, 1e-30))
        }
        history.append(hf - lt)
        return (final, history)
    }

    /// The CDF normalisation of the paper: ŷ(x) = P(f ≤ f(x)) under the grid weights, so ŷ is uniform on [0, 1].
    public static func cdfNormalised(_ f: [Double], weights: [Double]) -> [Double] {
        let order = f.indices.sorted { f[$0] < f[$1] }
        var out = [Double](repeating: 0, count: f.count)
        var acc = 0.0
        for i in order { acc += weights[i]; out[i] = acc }
        return out
    }
}
