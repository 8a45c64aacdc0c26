import Foundation
import Numerics

/// An elementwise activation σ with first and second derivatives (the second is needed by tangent backprop).
public final class Activation: Layer {
    /// The available nonlinearities.
    public enum Kind: String, Sendable { case relu, tanh, softplus, sigmoid, identity }
    public let kind: Kind
    private var z = Matrix<Float>(rows: 0, cols: 0)
    private var lastTangents = [Matrix<Float>]()

    public init(_ kind: Kind) { self.kind = kind }
    public var parameters: [Parameter] { [] }

    @inline(__always) func value(_ x: Float) -> Float {
        switch kind {
        case .relu: return x > 0 ? x : 0
        case .tanh: return Foundation.tanh(x)
        case .softplus: return x > 20 ? x : log1p(exp(x))
        case .sigmoid: return 1 / (1 + exp(-x))
        case .identity: return x
        }
    }
    @inline(__always) func d1(_ x: Float) -> Float {
        switch kind {
        case .relu: return x > 0 ? 1 : 0
        case .tanh: let t = Foundation.tanh(x); return 1 - t * t
        case .softplus: return 1 / (1 + exp(-x))
        case .sigmoid: let s = 1 / (1 + exp(-x)); return s * (1 - s)
        case .identity: return 1
        }
    }
    @inline(__always) func d2(_ x: Float) -> Float {
        switch kind {
        case .relu, .identity: return 0
        case .tanh: let t = Foundation.tanh(x); return -2 * t * (1 - t * t)
        case .softplus: let s = 1 / (1 + exp(-x)); return s * (1 - s)
        case .sigmoid: let s = 1 / (1 + exp(-x)); return s * (1 - s) * (1 - 2 * s)
        }
    }

    public func forward(_ x: Matrix<Float>, training: Bool) -> Matrix<Float> {
        z = x
        if kind == .relu { return x.map { $0 > 0 ? $0 : 0 } }
        return x.map(value)
    }

    public func backward(_ g: Matrix<Float>) -> Matrix<Float> {
        if kind == .relu { return g.zipMap(z) { $1 > 0 ? $0 : 0 } }
        return g.zipMap(z) { $0 * self.d1($1) }
    }

    public func forwardTangent(_ x: Matrix<Float>, _ tangents: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        z = x; lastTangents = tangents
        let slope = x.map(d1)
        return (x.map(value), tangents.map { $0.zipMap(slope, *) })
    }

    public func backwardTangent(_ g: Matrix<Float>, _ gt: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        let slope = z.map(d1), curve = z.map(d2)
        var gz = g.zipMap(slope, *)
        for (t, gtk) in zip(lastTangents, gt) {
            let extra = gtk.zipMap(t, *).zipMap(curve, *)
            gz = gz.zipMap(extra, +)
        }
        return (gz, gt.map { $0.zipMap(slope, *) })
    }
}
