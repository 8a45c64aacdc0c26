import Foundation
import Numerics

/// Renormalized mutual information Ĩ(x, y) = H(y) − ⟨ln √det(∇f Σ ∇fᵀ)⟩ between data x and a deterministic feature y = f(x)
/// (Sarra, Aiello & Marquardt 2020, Eq. 1 and A1), in nats.
public enum RenormalizedMI {
    /// Ĩ for a 1-D feature: `values[i]` = f(xᵢ), `gradients[i]` = ∇f(xᵢ). `metric` is the noise covariance Σ(x)
    /// (identity if nil). Weights are sample probabilities (uniform if nil).
    public static func oneDimensional(values: [Double], gradients: [[Double]], weights: [Double]? = nil, bins: Int = 200,
                                      metric: ((Int) -> Matrix<Double>)? = nil) -> Double {
        precondition(values.count == gradients.count)
        let h = HistogramEntropy.entropy(values, weights: weights, bins: bins).value
        return h - meanLogGradientNorm(gradients, weights: weights, metric: metric)
    }

    /// ⟨ln √(gᵀ Σ g)⟩ over samples.
    public static func meanLogGradientNorm(_ gradients: [[Double]], weights: [Double]? = nil,
                                           metric: ((Int) -> Matrix<Double>)? = nil) -> Double {
        var s = 0.0, total = 0.0
        for (i, g) in gradients.enumerated() {
            let w = weights?[i] ?? 1
            var q = 0.0
            if let metric {
                let sigma = metric(i)
                for a in 0..<g.count { for b in 0..<g.count { q += g[a] * sigma[a, b] * g[b] } }
            } else {
                q = g.reduce(0) { $0 + $1 * $1 }
            }
            s += w * 0.5 * log(q); total += w
        }
        return s / total
    }

    /// Ĩ for a 2-D feature (y₁, y₂): 2-D histogram entropy minus ⟨ln √det(J Jᵀ)⟩ with J the 2 × N Jacobian; `rule`
    /// `.hard` is a plain histogram, `.linear` the bilinear two-bin assignment (differentiable, `entropy2DLinear`).
    public static func twoDimensional(_ y1: [Double], _ y2: [Double], gradients1: [[Double]], gradients2: [[Double]],
                                      weights: [Double]? = nil, bins: Int = 60, rule: HistogramRule = .hard) -> Double {
        let h = rule == .linear ? HistogramEntropy.entropy2DLinear(y1, y2, weights: weights, bins: bins).value
                                : HistogramEntropy.entropy2D(y1, y2, weights: weights, bins: bins)
        var s = 0.0, total = 0.0
        for i in 0..<y1.count {
            let w = weights?[i] ?? 1
            let a = gradients1[i], b = gradients2[i]
            var aa = 0.0, bb = 0.0, ab = 0.0
            for k in 0..<a.count { aa += a[k] * a[k]; bb += b[k] * b[k]; ab += a[k] * b[k] }
            s += w * 0.5 * log(aa * bb - ab * ab); total += w
        }
        return h - s / total
    }

    /// Plain mutual information I(y₁; y₂) of two scalar features from histograms (nats).
    public static func mutualInformation(_ y1: [Double], _ y2: [Double], weights: [Double]? = nil, bins: Int = 60) -> Double {
        return plainEntropy(y1, weights: weights, bins: bins) + plainEntropy(y2, weights: weights, bins: bins)
            - HistogramEntropy.entropy2D(y1, y2, weights: weights, bins: bins)
    }

    /// Entropy of a 1-D variable from a plain (hard-assignment) histogram with the same binning as `entropy2D`.
    static func plainEntropy(_ y: [Double], weights: [Double]?, bins: Int) -> Double {
        let lo = y.min()!, hi = y.max()!, d = (hi - lo) / Double(bins)
        var mass = [Double](repeating: 0, count: bins)
        let total = weights?.reduce(0, +) ?? Double(y.count)
        for (i, v) in y.enumerated() { mass[min(bins - 1, Int((v - lo) / d))] += (weights?[i] ?? 1) / total }
        var h = log(d)
        for m in mass where m > 0 { h -= m * log(m) }
        return h
    }
}
