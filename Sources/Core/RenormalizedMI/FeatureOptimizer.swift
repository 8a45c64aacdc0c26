import Foundation
import NeuralNet
import Numerics

/// Gradient ascent of Ĩ over the parameters of a neural 1-D feature f_θ(x) on a weighted grid of 2-D points
/// (Appendix D): the histogram entropy and ⟨ln|∇f|⟩ are both differentiated, the latter by reverse-over-reverse
/// differentiation of the network (`TiledInputGradient`).
public struct FeatureOptimizer {
    /// How the weights start.
    public enum Start: String, Sendable {
        /// Glorot-uniform weights, zero biases.
        case glorot
        /// The authors' `utils/rmi_extractor.py` (lsarra/rmi, commit f9527b3): first-layer weights and every bias
        /// N(0, 1), the other weights Glorot-normal (TensorFlow's truncated normal, sd √(2/(fan_in+fan_out))).
        case authors
    }
    /// How the parameters are updated.
    public enum Update: Sendable {
        /// Adam with a fixed step.
        case adam(learningRate: Float)
        /// Plain gradient ascent with the step η·r^(t/T) (TensorFlow's `exponential_decay`, as in the authors' code).
        case decayingSGD(learningRate: Float, rate: Float, every: Float)
    }

    public var hidden = [64, 64, 64]
    /// One activation per hidden layer (repeated if shorter).
    public var activations: [Activation.Kind] = [.tanh]
    public var start = Start.glorot
    public var update = Update.adam(learningRate: 1e-3)
    public var steps = 600
    public var bins = 100
    /// Whether ∂H/∂θ includes the motion of the bin range [min f, max f] (the authors' code stops that gradient).
    public var rangeGradient = true
    /// Threads for one run: row tiles of the grid are shared out and their gradients summed (results equal the
    /// single-thread run up to float rounding). Reports keep 1 and run independent runs in parallel.
    public var threads = 1
    /// Compatibility: the Adam step.
    public var learningRate: Float {
        get { if case .adam(let lr) = update { return lr }; if case .decayingSGD(let lr, _, _) = update { return lr }; return 0 }
        set { update = .adam(learningRate: newValue) }
    }

    public init() {}

    /// The network of this configuration, initialised from `rng`.
    public func makeNetwork(inputs d: Int, rng: inout Xoshiro256) -> Sequential {
        var layers = [Layer]()
        let widths = [d] + hidden + [1]
        for i in 0..<(widths.count - 1) {
            let dense = Dense(widths[i], widths[i + 1], initialization: .glorot, rng: &rng)
            if start == .authors {
                let fanIn = Double(widths[i]), fanOut = Double(widths[i + 1])
                let sd = i == 0 ? 1.0 : (2 / (fanIn + fanOut)).squareRoot() / 0.87962566103423978
                for k in dense.weight.value.indices {
                    var z = rng.normal()
                    if i > 0 { while abs(z) > 2 { z = rng.normal() } }
                    dense.weight.value[k] = Float(z * sd)
                }
                for k in dense.bias.value.indices { dense.bias.value[k] = Float(rng.normal()) }
            }
            layers.append(dense)
            if i < widths.count - 2 { layers.append(Activation(activations[i % activations.count])) }
        }
        return Sequential(layers)
    }

    /// One optimisation run: returns the final feature values on the evaluation grid, Ĩ after each step, and the
    /// network. `sampler` gives the weighted points used at each step (e.g. a jittered grid); the result is evaluated
    /// on `points`/`weights`. `checkpoint(step, engine)` is called every `checkpointEvery` steps (and after the last),
    /// before that step's update.
    public func run(points: [[Double]], weights: [Double], rng: inout Xoshiro256,
                    sampler: ((inout Xoshiro256) -> (x: [[Double]], p: [Double]))? = nil,
                    checkpointEvery: Int = 0, checkpoint: ((Int, TiledInputGradient) -> Void)? = nil,
                    progress: ((Int, Double) -> Void)? = nil) -> (feature: [Double], history: [Double]) {
        let d = points[0].count
        let net = makeNetwork(inputs: d, rng: &rng)
        let engine = TiledInputGradient(network: net, threads: threads)
        var adam: Adam? = nil, sgd: SGD? = nil
        switch update {
        case .adam(let lr): adam = Adam(learningRate: lr)
        case .decayingSGD(let lr, _, _): sgd = SGD(learningRate: lr)
        }
        let grid = points.flatMap { $0.map(Float.init) }
        var history = [Double]()
        for step in 0..<steps {
            if let checkpoint, checkpointEvery > 0, step % checkpointEvery == 0 { checkpoint(step, engine) }
            var x = grid, weights = weights
            if let sampler {
                let s = sampler(&rng)
                x = s.x.flatMap { $0.map(Float.init) }; weights = s.p
            }
            let rows = weights.count
            let (values, gradData) = engine.evaluate(x)
            let (h, dh) = HistogramEntropy.entropy(values.map(Double.init), weights: weights, bins: bins, rangeGradient: rangeGradient)
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
            if let adam { adam.step(net.parameters) }
            if let sgd, case .decayingSGD(let lr, let rate, let every) = update {
                sgd.learningRate = lr * pow(rate, Float(step) / every)
                sgd.step(net.parameters)
            }
            if let progress, step % 100 == 0 { progress(step, h - logTerm) }
        }
        if let checkpoint, checkpointEvery > 0 { checkpoint(steps, engine) }
        let (finalF, gradFinal) = engine.evaluate(grid)
        let final = finalF.map(Double.init)
        let (hf, _) = HistogramEntropy.entropy(final, weights: weights, bins: bins)
        var lt = 0.0
        for i in 0..<weights.count {
            var q = 0.0
            for k in 0..<d { let v = Double(gradFinal[i * d + k]); q += v * v }
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
