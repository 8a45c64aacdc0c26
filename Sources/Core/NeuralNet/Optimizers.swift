import Foundation
import Numerics

/// Something that updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Applies one update and zeroes the gradients.
    func step(_ parameters: [Parameter])
}

/// Per-parameter optimiser state, held by reference so a step updates it in place (no copy through the dictionary,
/// no allocation after the first step).
final class MomentBuffers {
    var first: [Float], second: [Float]
    init(count: Int, second: Bool) {
        first = [Float](repeating: 0, count: count)
        self.second = second ? [Float](repeating: 0, count: count) : []
    }
}

/// SGD with momentum and L2 weight decay added to the gradient (PyTorch's `torch.optim.SGD` convention:
/// v ← μv + (g + λw); w ← w − ηv).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float, weightDecay: Float
    private var velocity = [ObjectIdentifier: MomentBuffers]()

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            let id = ObjectIdentifier(p)
            let first = velocity[id] == nil
            let state: MomentBuffers
            if let s = velocity[id] { state = s } else { state = MomentBuffers(count: p.value.count, second: false); velocity[id] = state }
            let wd = p.decays ? weightDecay : 0, mu = momentum, lr = learningRate
            p.value.withUnsafeMutableBufferPointer { w in p.grad.withUnsafeMutableBufferPointer { g in state.first.withUnsafeMutableBufferPointer { vv in
                for i in 0..<w.count {
                    let d = g[i] + wd * w[i]
                    vv[i] = (mu > 0 && !first) ? mu * vv[i] + d : d
                    w[i] -= lr * vv[i]
                    g[i] = 0
                }
            } } }
        }
    }
}

/// Adam (Kingma & Ba) with optional L2 weight decay added to the gradient.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    private var moments = [ObjectIdentifier: MomentBuffers]()
    private var t = 0

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        t += 1
        let c1 = 1 - pow(beta1, Float(t)), c2 = 1 - pow(beta2, Float(t))
        for p in parameters {
            let id = ObjectIdentifier(p)
            let state: MomentBuffers
            if let s = moments[id] { state = s } else { state = MomentBuffers(count: p.value.count, second: true); moments[id] = state }
            let wd = p.decays ? weightDecay : 0
            let b1 = beta1, b2 = beta2, lr = learningRate, eps = epsilon
            p.value.withUnsafeMutableBufferPointer { w in p.grad.withUnsafeMutableBufferPointer { gr in
                state.first.withUnsafeMutableBufferPointer { mm in state.second.withUnsafeMutableBufferPointer { vv in
                    for i in 0..<w.count {
                        let g = gr[i] + wd * w[i]
                        mm[i] = b1 * mm[i] + (1 - b1) * g
                        vv[i] = b2 * vv[i] + (1 - b2) * g * g
                        w[i] -= lr * (mm[i] / c1) / ((vv[i] / c2).squareRoot() + eps)
                        gr[i] = 0
                    }
                } }
            } }
        }
    }
}

/// Shuffled mini-batch index lists for one epoch (the last partial batch is kept unless `dropLast`).
public func miniBatches(count n: Int, batchSize: Int, rng: inout Xoshiro256, dropLast: Bool = false) -> [[Int]] {
    let perm = rng.permutation(n)
    var out = [[Int]]()
    var i = 0
    while i < n {
        let j = min(i + batchSize, n)
        if j - i < batchSize && dropLast { break }
        out.append(Array(perm[i..<j]))
        i = j
    }
    return out
}
