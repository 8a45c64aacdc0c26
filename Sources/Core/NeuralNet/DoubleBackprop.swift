import Numerics

/// Reverse-over-reverse differentiation for scalar-output networks of `Dense` and `Activation` layers: f(x) and ∇ₓf
/// from one forward and one reverse pass, then parameter gradients of a loss L(f, ∇ₓf). For low-dimensional inputs it
/// needs about two thirds of the matrix products of the tangent (forward-over-reverse) mode.
extension Sequential {
    /// Intermediate results of `forwardWithInputGradient` needed by `backwardWithInputGradient`.
    public struct InputGradientTape {
        /// Upstream gradient at each layer's output during the reverse pass (indexed by layer).
        var upstream: [Matrix<Float>?]
    }

    /// f(x) (B × 1) and ∇ₓf (B × d), recording what the backward pass needs.
    public func forwardWithInputGradient(_ x: Matrix<Float>) -> (output: Matrix<Float>, gradient: Matrix<Float>, tape: InputGradientTape) {
        precondition(layers.allSatisfy { $0 is Dense || $0 is Activation }, "double backprop supports Dense and Activation layers")
        var h = x
        for l in layers {
            // Activations record σ′ and σ″ on the way (a tangent pass without tangents).
            if let a = l as? Activation { h = a.forwardTangent(h, []).0 } else { h = l.forward(h, training: false) }
        }
        precondition(h.cols == 1, "forwardWithInputGradient needs a scalar output")
        var upstream = [Matrix<Float>?](repeating: nil, count: layers.count)
        var g = Matrix<Float>(rows: x.rows, cols: 1, repeating: 1)
        for (i, l) in layers.enumerated().reversed() {
            upstream[i] = g
            if let d = l as? Dense { g = Matrix.product(g, d.w, transB: true) }
            else if let a = l as? Activation { g = a.multiplyBySlope(g) }
        }
        return (h, g, InputGradientTape(upstream: upstream))
    }

    /// Accumulates parameter gradients of a loss with ∂L/∂f = `gradOutput` (B × 1) and ∂L/∂(∇ₓf) = `gradGradient` (B × d).
    public func backwardWithInputGradient(_ gradOutput: Matrix<Float>, _ gradGradient: Matrix<Float>, tape: InputGradientTape) {
        // Adjoint of the reverse pass, walking the layers forwards.
        var adj = gradGradient
        var injected = [Matrix<Float>?](repeating: nil, count: layers.count)
        for (i, l) in layers.enumerated() {
            let up = tape.upstream[i]!
            if let d = l as? Dense {
                var gw = Matrix<Float>(rows: d.inputs, cols: d.outputs, data: d.weight.grad)
                d.weight.grad = []
                Matrix.gemm(adj, transA: true, up, beta: 1, into: &gw) // W̄ += ḡ_inᵀ · g_out
                d.weight.grad = gw.data
                if i < layers.count - 1 { adj = adj * d.w }           // ḡ_out = ḡ_in · W
            } else if let a = l as? Activation {
                // z̄ += ḡ_in ⊙ g_out ⊙ σ″(z) and ḡ_out = ḡ_in ⊙ σ′(z), in one pass.
                let (second, next) = a.adjointOfSlope(adjoint: adj, upstream: up)
                injected[i] = second; adj = next
            }
        }
        // Ordinary backward pass with the second-order terms injected at each activation.
        var delta = gradOutput
        for (i, l) in layers.enumerated().reversed() {
            if let extra = injected[i], let a = l as? Activation { delta = a.backward(delta, adding: extra) }
            else { delta = l.backward(delta) }
        }
    }
}

extension Activation {
    /// g ⊙ σ′(z) for the last forward input z.
    func multiplyBySlope(_ g: Matrix<Float>) -> Matrix<Float> { backward(g) }

    /// (ḡ ⊙ u ⊙ σ″(z), ḡ ⊙ σ′(z)) for the last derivative-recording forward pass.
    func adjointOfSlope(adjoint: Matrix<Float>, upstream: Matrix<Float>) -> (Matrix<Float>, Matrix<Float>) {
        precondition(curve.count == adjoint.data.count, "needs a derivative-recording forward pass")
        var second = Matrix<Float>(rows: adjoint.rows, cols: adjoint.cols, uninitialized: ())
        var next = Matrix<Float>(rows: adjoint.rows, cols: adjoint.cols, uninitialized: ())
        adjoint.data.withUnsafeBufferPointer { a in upstream.data.withUnsafeBufferPointer { u in
            slope.withUnsafeBufferPointer { s1 in curve.withUnsafeBufferPointer { c in
                second.data.withUnsafeMutableBufferPointer { o in next.data.withUnsafeMutableBufferPointer { n in
                    for k in 0..<o.count { o[k] = a[k] * u[k] * c[k]; n[k] = a[k] * s1[k] }
                } }
            } }
        } }
        return (second, next)
    }

    /// g ⊙ σ′(z) + extra, fused (backward pass with an injected term).
    func backward(_ g: Matrix<Float>, adding extra: Matrix<Float>) -> Matrix<Float> {
        precondition(slope.count == g.data.count, "needs a derivative-recording forward pass")
        var out = Matrix<Float>(rows: g.rows, cols: g.cols, uninitialized: ())
        g.data.withUnsafeBufferPointer { gg in slope.withUnsafeBufferPointer { s1 in extra.data.withUnsafeBufferPointer { e in
            out.data.withUnsafeMutableBufferPointer { o in for k in 0..<o.count { o[k] = gg[k] * s1[k] + e[k] } }
        } } }
        return out
    }
}
