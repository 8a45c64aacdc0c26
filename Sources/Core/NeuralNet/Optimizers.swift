import Foundation
import Numerics

/// Something that updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
    var learningRate: Float { get set }
    /// Applies one update and zeroes the gradients.
    func step(_ parameters: [Parameter])
}

/// SGD with momentum and L2 weight decay added to the gradient (PyTorch's `torch.optim.SGD` convention:
/// v ← μv + (g + λw); w ← w − ηv).
public final class SGD: Optimizer {
    public var learningRate: Float
    public let momentum: Float, weightDecay: Float
    private var velocity = [ObjectIdentifier: [Float]]()

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.momentum = momentum; self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        for p in parameters {
            let id = ObjectIdentifier(p)
            var v = velocity[id] ?? [Float](repeating: 0, count: p.value.count)
            let first = velocity[id] == nil
            let wd = p.decays ? weightDecay : 0, mu = momentum, lr = learningRate
            p.value.withUnsafeMutableBufferPointer { w in p.grad.withUnsafeMutableBufferPointer { g in v.withUnsafeMutableBufferPointer { vv in
                for i in 0..<w.count {
                    let d = g[i] + wd * w[i]
                    vv[i] = (mu > 0 && !first) ? mu * vv[i] + d : d
                    w[i] -= lr * vv[i]
                    g[i] = 0
                }
            } } }
            velocity[id] = v
        }
    }
}

/// Adam (Kingma & Ba) with optional L2 weight decay added to the gradient.
public final class Adam: Optimizer {
    public var learningRate: Float
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    private var m = [ObjectIdentifier: [Float]](), v = [ObjectIdentifier: [Float]]()
    private var t = 0

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        t += 1
        let c1 = 1 - pow(beta1, Float(t)), c2 = 1 - pow(beta2, Float(t))
        for p in parameters {
            let id = ObjectIdentifier(p)
            var mm = m[id] ?? [Float](repeating: 0, count: p.value.count)
            var vv = v[id] ?? [Float](repeating: 0, count: p.value.count)
            let wd = p.decays ? weightDecay : 0
            for i in 0..<p.value.count {
                let g = p.grad[i] + wd * p.value[i]
                mm[i] = beta1 * mm[i] + (1 - beta1) * g
                vv[i] = beta2 * vv[i] + (1 - beta2) * g * g
                p.value[i] -= learningRate * (mm[i] / c1) / ((vv[i] / c2).squareRoot() + epsilon)
                p.grad[i] = 0
            }
            m[id] = mm; v[id] = vv
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
