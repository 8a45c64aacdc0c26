import Foundation
import NeuralNet
import Numerics

/// Gradient ascent of Ĩ over the parameters of a neural 1-D feature f_θ(x) on a weighted grid of 2-D points
/// (Appendix D): the histogram entropy and ⟨ln|∇f|⟩ are both differentiated, the latter by reverse-over-reverse
/// differentiation of the network (`TiledInputGradient`).
public struct FeatureOptimizer {
    public var hidden = [64, 64, 64]
    public var activation = Activation.Kind.tanh
    public var steps = 600
    public var learningRate: Float = 1e-3
    public var bins = 100
    /// Threads for one run: row tiles of the grid are shared out and their gradients summed (results equal the
    /// single-thread run up to float rounding). Reports keep 1 and run independent runs in parallel.
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
        let engine = TiledInputGradient(network: net, threads: threads)
        let grid = points.flatMap { $0.map(Float.init) }
        var history = [Double]()
        for step in 0..<steps {
            var x = grid, weights = weights
            if let sampler {
                let s = sampler(&rng)
                x = s.x.flatMap { $0.map(Float.init) }; weights = s.p
            }
            let rows = weights.count
            let (values, gradData) = engine.evaluate(x)
            let (h, dh) = HistogramEntropy.entropy(values.map(Double.init), weights: weights, bins: bins)
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
            engine.accumulateGradients(gradOutput: gf, gradGradient: gg)
            opt.step(net.parameters)
            if let progress, step % 100 == 0 { progress(step, h - logTerm) }
        }
        let x = Matrix<Float>(rows: n, cols: d, data: grid)
        let (output, gradFinal, _) = net.forwardWithInputGradient(x)
        let final = output.data.map(Double.init)
        let (hf, _) = HistogramEntropy.entropy(final, weights: weights, bins: bins)
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
