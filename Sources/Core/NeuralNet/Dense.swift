import Foundation
import Numerics

/// Fully connected layer y = x W + b, with W of shape in × out; products through BLAS sgemm.
public final class Dense: Layer {
    public let inputs: Int, outputs: Int
    public let weight: Parameter, bias: Parameter
    private var lastInput = Matrix<Float>(rows: 0, cols: 0)
    private var lastTangents = [Matrix<Float>]()

    public init(_ inputs: Int, _ outputs: Int, initialization: Initialization = .he, rng: inout Xoshiro256) {
        self.inputs = inputs; self.outputs = outputs
        var w = [Float](repeating: 0, count: inputs * outputs), b = [Float](repeating: 0, count: outputs)
        switch initialization {
        case .he:
            let s = (2.0 / Double(inputs)).squareRoot()
            for i in w.indices { w[i] = Float(rng.normal() * s) }
        case .glorot:
            let a = (6.0 / Double(inputs + outputs)).squareRoot()
            for i in w.indices { w[i] = Float(rng.uniform(-a, a)) }
        case .pytorch:
            let a = 1 / Double(inputs).squareRoot()
            for i in w.indices { w[i] = Float(rng.uniform(-a, a)) }
            for i in b.indices { b[i] = Float(rng.uniform(-a, a)) }
        }
        weight = Parameter(w); bias = Parameter(b)
    }

    public var parameters: [Parameter] { [weight, bias] }
    var w: Matrix<Float> { Matrix(rows: inputs, cols: outputs, data: weight.value) }

    private func affine(_ x: Matrix<Float>) -> Matrix<Float> {
        precondition(x.cols == inputs, "Dense expects \(inputs) inputs, got \(x.cols)")
        var y = Matrix<Float>(rows: x.rows, cols: outputs, uninitialized: ())
        bias.value.withUnsafeBufferPointer { b in y.data.withUnsafeMutableBufferPointer { o in
            for i in 0..<x.rows { for j in 0..<outputs { o[i * outputs + j] = b[j] } }
        } }
        Matrix.gemm(x, w, beta: 1, into: &y)
        return y
    }

    public func forward(_ x: Matrix<Float>, training: Bool) -> Matrix<Float> {
        lastInput = x
        return affine(x)
    }

    private func accumulate(_ x: Matrix<Float>, _ g: Matrix<Float>) {
        var gw = Matrix<Float>(rows: inputs, cols: outputs, data: weight.grad)
        weight.grad = [] // keep the buffer uniquely referenced so gemm writes in place
        Matrix.gemm(x, transA: true, g, beta: 1, into: &gw)
        weight.grad = gw.data
    }

    public func backward(_ g: Matrix<Float>) -> Matrix<Float> {
        accumulate(lastInput, g)
        let cs = g.columnSums()
        for j in 0..<outputs { bias.grad[j] += cs[j] }
        return Matrix.product(g, w, transB: true)
    }

    public func forwardTangent(_ x: Matrix<Float>, _ tangents: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        lastInput = x; lastTangents = tangents
        let wm = w
        return (affine(x), tangents.map { $0 * wm })
    }

    public func backwardTangent(_ g: Matrix<Float>, _ gt: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        accumulate(lastInput, g)
        for (t, gtk) in zip(lastTangents, gt) { accumulate(t, gtk) }
        let cs = g.columnSums()
        for j in 0..<outputs { bias.grad[j] += cs[j] }
        let wm = w
        return (Matrix.product(g, wm, transB: true), gt.map { Matrix.product($0, wm, transB: true) })
    }
}
