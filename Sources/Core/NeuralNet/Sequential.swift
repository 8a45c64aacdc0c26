import Numerics

/// A feed-forward network: layers applied in order.
public final class Sequential {
    public let layers: [Layer]
    public init(_ layers: [Layer]) { self.layers = layers }

    /// A multilayer perceptron: Dense → [BatchNorm] → activation for each hidden width, then a Dense output layer.
    public static func mlp(widths: [Int], activation: Activation.Kind = .relu, batchNorm: Bool = false,
                           initialization: Initialization = .he, rng: inout Xoshiro256) -> Sequential {
        precondition(widths.count >= 2, "an MLP needs input and output widths")
        var layers = [Layer]()
        for i in 0..<(widths.count - 1) {
            layers.append(Dense(widths[i], widths[i + 1], initialization: initialization, rng: &rng))
            if i < widths.count - 2 {
                if batchNorm { layers.append(BatchNorm(widths[i + 1])) }
                layers.append(Activation(activation))
            }
        }
        return Sequential(layers)
    }

    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    public func forward(_ x: Matrix<Float>, training: Bool = false) -> Matrix<Float> {
        var h = x
        for l in layers { h = l.forward(h, training: training) }
        return h
    }

    /// Backpropagates ∂L/∂output through the last forward call; returns ∂L/∂input.
    @discardableResult
    public func backward(_ gradOutput: Matrix<Float>) -> Matrix<Float> {
        var g = gradOutput
        for l in layers.reversed() { g = l.backward(g) }
        return g
    }

    /// Gradient of Σ_samples w·f(x) with respect to the inputs (B × d), for upstream weights `w` (B × outputs; ones if nil).
    /// Parameter gradients are left untouched.
    public func inputGradient(_ x: Matrix<Float>, upstream: Matrix<Float>? = nil) -> Matrix<Float> {
        let saved = parameters.map(\.grad)
        let y = forward(x, training: false)
        let g = backward(upstream ?? Matrix(rows: y.rows, cols: y.cols, repeating: 1))
        for (p, s) in zip(parameters, saved) { p.grad = s }
        return g
    }

    /// Output f(x) and its input Jacobian: `jacobian[k]` is ∂f/∂x_k (B × outputs) for each input dimension k.
    public func forwardWithJacobian(_ x: Matrix<Float>) -> (output: Matrix<Float>, jacobian: [Matrix<Float>]) {
        let d = x.cols
        var tangents = [Matrix<Float>]()
        for k in 0..<d {
            var t = Matrix<Float>(rows: x.rows, cols: d)
            for i in 0..<x.rows { t[i, k] = 1 }
            tangents.append(t)
        }
        var h = x, ts = tangents
        for l in layers { (h, ts) = l.forwardTangent(h, ts) }
        return (h, ts)
    }

    /// Backward through `forwardWithJacobian`: accumulates parameter gradients of a loss that depends on f and ∂f/∂x.
    @discardableResult
    public func backwardWithJacobian(_ gradOutput: Matrix<Float>, _ gradJacobian: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        var g = gradOutput, gt = gradJacobian
        for l in layers.reversed() { (g, gt) = l.backwardTangent(g, gt) }
        return (g, gt)
    }
}
