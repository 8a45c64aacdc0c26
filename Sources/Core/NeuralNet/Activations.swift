import Foundation
import Numerics

/// tanh by a clamped rational approximation (as in Eigen): max. relative error ~1e-6, vectorisable, far faster than libm.
@inline(__always) public func fastTanh(_ x: Float) -> Float {
    let c = min(max(x, -7.90531110763549805), 7.90531110763549805)
    let x2 = c * c
    var p: Float = -2.76076847742355e-16
    p = p * x2 + 2.00018790482477e-13
    p = p * x2 - 8.60467152213735e-11
    p = p * x2 + 5.12229709037114e-08
    p = p * x2 + 1.48572235717979e-05
    p = p * x2 + 6.37261928875436e-04
    p = p * x2 + 4.89352455891786e-03
    p = p * c
    var q: Float = 1.19825839466702e-06
    q = q * x2 + 1.18534705686654e-04
    q = q * x2 + 2.26843463243900e-03
    q = q * x2 + 4.89352518554385e-03
    return p / q
}

/// o[i] = a[i] > 0 ? g[i] : 0, eight lanes at a time with a select: the scalar form compiles to a branch per element,
/// which mispredicts on random signs and took a quarter of MLP training (perf, `bench nn`). Same values bit for bit.
@inline(__always) func reluBackward(_ o: UnsafeMutableBufferPointer<Float>, _ g: UnsafeBufferPointer<Float>,
                                    _ a: UnsafeBufferPointer<Float>) {
    let n = o.count, zero = SIMD8<Float>(repeating: 0)
    var i = 0
    while i + 8 <= n {
        let av = SIMD8<Float>(a[i..<(i + 8)]), gv = SIMD8<Float>(g[i..<(i + 8)])
        let r = zero.replacing(with: gv, where: av .> zero)
        for l in 0..<8 { o[i + l] = r[l] }
        i += 8
    }
    while i < n { o[i] = a[i] > 0 ? g[i] : 0; i += 1 }
}

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
        case .tanh: return fastTanh(x)
        case .softplus: return x > 20 ? x : log1p(exp(x))
        case .sigmoid: return 1 / (1 + exp(-x))
        case .identity: return x
        }
    }
    @inline(__always) func d1(_ x: Float) -> Float {
        switch kind {
        case .relu: return x > 0 ? 1 : 0
        case .tanh: let t = fastTanh(x); return 1 - t * t
        case .softplus: return 1 / (1 + exp(-x))
        case .sigmoid: let s = 1 / (1 + exp(-x)); return s * (1 - s)
        case .identity: return 1
        }
    }
    @inline(__always) func d2(_ x: Float) -> Float {
        switch kind {
        case .relu, .identity: return 0
        case .tanh: let t = fastTanh(x); return -2 * t * (1 - t * t)
        case .softplus: let s = 1 / (1 + exp(-x)); return s * (1 - s)
        case .sigmoid: let s = 1 / (1 + exp(-x)); return s * (1 - s) * (1 - 2 * s)
        }
    }

    public func forward(_ x: Matrix<Float>, training: Bool) -> Matrix<Float> {
        z = x
        slope = []; curve = []
        var out = Matrix<Float>(rows: x.rows, cols: x.cols, uninitialized: ())
        let k = kind
        x.data.withUnsafeBufferPointer { a in out.data.withUnsafeMutableBufferPointer { o in
            switch k {
            case .relu: for i in 0..<o.count { o[i] = a[i] > 0 ? a[i] : 0 }
            case .tanh: for i in 0..<o.count { o[i] = fastTanh(a[i]) }
            default: for i in 0..<o.count { o[i] = value(a[i]) }
            }
        } }
        output = k == .tanh ? out.data : []
        return out
    }

    /// tanh(z) of the last plain forward pass (tanh layers only): backward multiplies by 1 − h² instead of evaluating
    /// tanh again (the same rational function of the same z, so bit-identical, and one division per element fewer).
    private var output = [Float]()

    public func backward(_ g: Matrix<Float>) -> Matrix<Float> {
        var out = Matrix<Float>(rows: g.rows, cols: g.cols, uninitialized: ())
        if slope.count == g.data.count { // σ′ cached by the last derivative-recording forward pass
            g.data.withUnsafeBufferPointer { gg in slope.withUnsafeBufferPointer { s1 in out.data.withUnsafeMutableBufferPointer { o in
                for i in 0..<o.count { o[i] = gg[i] * s1[i] }
            } } }
            return out
        }
        let k = kind
        if k == .tanh && output.count == g.data.count {
            g.data.withUnsafeBufferPointer { gg in output.withUnsafeBufferPointer { h in out.data.withUnsafeMutableBufferPointer { o in
                for i in 0..<o.count { o[i] = gg[i] * (1 - h[i] * h[i]) }
            } } }
            return out
        }
        g.data.withUnsafeBufferPointer { gg in z.data.withUnsafeBufferPointer { a in out.data.withUnsafeMutableBufferPointer { o in
            switch k {
            case .relu: reluBackward(o, gg, a)
            case .tanh: for i in 0..<o.count { let t = fastTanh(a[i]); o[i] = gg[i] * (1 - t * t) }
            default: for i in 0..<o.count { o[i] = gg[i] * d1(a[i]) }
            }
        } } }
        return out
    }

    /// σ′(z) and σ″(z) from the last tangent (or derivative-recording) forward pass; empty after a plain forward.
    var slope = [Float](), curve = [Float]()

    public func forwardTangent(_ x: Matrix<Float>, _ tangents: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        z = x; lastTangents = tangents; output = []
        let n = x.data.count
        var out = Matrix<Float>(rows: x.rows, cols: x.cols, uninitialized: ())
        slope = [Float](unsafeUninitializedCapacity: n) { $1 = n }; curve = [Float](unsafeUninitializedCapacity: n) { $1 = n }
        x.data.withUnsafeBufferPointer { a in out.data.withUnsafeMutableBufferPointer { o in
            slope.withUnsafeMutableBufferPointer { s1 in curve.withUnsafeMutableBufferPointer { s2 in
                if kind == .tanh {
                    for i in 0..<n { let t = fastTanh(a[i]); o[i] = t; s1[i] = 1 - t * t; s2[i] = -2 * t * (1 - t * t) }
                } else {
                    for i in 0..<n { o[i] = value(a[i]); s1[i] = d1(a[i]); s2[i] = d2(a[i]) }
                }
            } }
        } }
        let pushed = tangents.map { t -> Matrix<Float> in
            var r = Matrix<Float>(rows: t.rows, cols: t.cols, uninitialized: ())
            t.data.withUnsafeBufferPointer { tt in slope.withUnsafeBufferPointer { s1 in r.data.withUnsafeMutableBufferPointer { o in
                for i in 0..<n { o[i] = tt[i] * s1[i] }
            } } }
            return r
        }
        return (out, pushed)
    }

    public func backwardTangent(_ g: Matrix<Float>, _ gt: [Matrix<Float>]) -> (Matrix<Float>, [Matrix<Float>]) {
        let n = g.data.count
        var gz = Matrix<Float>(rows: g.rows, cols: g.cols, uninitialized: ())
        g.data.withUnsafeBufferPointer { gg in slope.withUnsafeBufferPointer { s1 in gz.data.withUnsafeMutableBufferPointer { o in
            for i in 0..<n { o[i] = gg[i] * s1[i] }
        } } }
        var gtOut = [Matrix<Float>]()
        for (t, gtk) in zip(lastTangents, gt) {
            var r = Matrix<Float>(rows: g.rows, cols: g.cols, uninitialized: ())
            t.data.withUnsafeBufferPointer { tt in gtk.data.withUnsafeBufferPointer { gk in
                slope.withUnsafeBufferPointer { s1 in curve.withUnsafeBufferPointer { s2 in
                    gz.data.withUnsafeMutableBufferPointer { o in r.data.withUnsafeMutableBufferPointer { ro in
                        for i in 0..<n { o[i] += gk[i] * tt[i] * s2[i]; ro[i] = gk[i] * s1[i] }
                    } }
                } }
            } }
            gtOut.append(r)
        }
        return (gz, gtOut)
    }
}
