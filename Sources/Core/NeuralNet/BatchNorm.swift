import Foundation
import Numerics

/// Batch normalisation over the batch dimension with learnable scale γ and shift β, and running statistics for inference
/// (momentum 0.1, ε = 1e-5, as in PyTorch). Not supported in tangent mode.
public final class BatchNorm: Layer {
    public let features: Int
    public let gamma: Parameter, beta: Parameter
    public var runningMean: [Float], runningVar: [Float]
    public let momentum: Float, epsilon: Float
    private var xhat = Matrix<Float>(rows: 0, cols: 0)
    private var invStd = [Float]()
    private var lastWasTraining = true

    public init(_ features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        self.features = features; self.momentum = momentum; self.epsilon = epsilon
        gamma = Parameter([Float](repeating: 1, count: features))
        beta = Parameter([Float](repeating: 0, count: features))
        runningMean = [Float](repeating: 0, count: features); runningVar = [Float](repeating: 1, count: features)
    }
    public var parameters: [Parameter] { [gamma, beta] }

    public func forward(_ x: Matrix<Float>, training: Bool) -> Matrix<Float> {
        precondition(x.cols == features)
        let n = x.rows
        var mean = [Float](repeating: 0, count: features), variance = [Float](repeating: 0, count: features)
        if training {
            precondition(n > 1, "batch normalisation needs batches of at least 2 in training")
            mean = x.columnSums().map { $0 / Float(n) }
            x.data.withUnsafeBufferPointer { a in
                for i in 0..<n { for j in 0..<features { let d = a[i * features + j] - mean[j]; variance[j] += d * d } }
            }
            for j in 0..<features {
                variance[j] /= Float(n)
                runningMean[j] = (1 - momentum) * runningMean[j] + momentum * mean[j]
                runningVar[j] = (1 - momentum) * runningVar[j] + momentum * variance[j] * Float(n) / Float(n - 1)
            }
        } else { mean = runningMean; variance = runningVar }
        invStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
        lastWasTraining = training
        var xh = Matrix<Float>(rows: n, cols: features), y = Matrix<Float>(rows: n, cols: features)
        x.data.withUnsafeBufferPointer { a in xh.data.withUnsafeMutableBufferPointer { h in y.data.withUnsafeMutableBufferPointer { o in
            for i in 0..<n { for j in 0..<features {
                let k = i * features + j
                h[k] = (a[k] - mean[j]) * invStd[j]
                o[k] = gamma.value[j] * h[k] + beta.value[j]
            } }
        } } }
        xhat = xh
        return y
    }

    public func backward(_ g: Matrix<Float>) -> Matrix<Float> {
        let n = g.rows
        var sumG = [Float](repeating: 0, count: features), sumGX = [Float](repeating: 0, count: features)
        g.data.withUnsafeBufferPointer { gg in xhat.data.withUnsafeBufferPointer { h in
            for i in 0..<n { for j in 0..<features { let k = i * features + j; sumG[j] += gg[k]; sumGX[j] += gg[k] * h[k] } }
        } }
        for j in 0..<features { gamma.grad[j] += sumGX[j]; beta.grad[j] += sumG[j] }
        var dx = Matrix<Float>(rows: n, cols: features)
        if !lastWasTraining { // inference: a fixed affine map per feature
            for i in 0..<n { for j in 0..<features { dx.data[i * features + j] = g.data[i * features + j] * gamma.value[j] * invStd[j] } }
            return dx
        }
        let fn = Float(n)
        g.data.withUnsafeBufferPointer { gg in xhat.data.withUnsafeBufferPointer { h in dx.data.withUnsafeMutableBufferPointer { o in
            for i in 0..<n { for j in 0..<features {
                let k = i * features + j
                o[k] = gamma.value[j] * invStd[j] / fn * (fn * gg[k] - sumG[j] - h[k] * sumGX[j])
            } }
        } } }
        return dx
    }

    public func forwardTangent(_ x: Matrix<Float>, _ tangents: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        preconditionFailure("BatchNorm does not support tangent (Jacobian) mode")
    }
    public func backwardTangent(_ g: Matrix<Float>, _ gt: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        preconditionFailure("BatchNorm does not support tangent (Jacobian) mode")
    }
}
