import Foundation

/// Differentiable histogram entropy of a 1-D variable (Appendix D of the paper): each sample's mass is shared between the
/// two nearest bin centres in proportion to its distance from them; the bins span [min, max] of the sample values.
public enum HistogramEntropy {
    /// Entropy (nats) of weighted samples and its gradient with respect to every sample value.
    ///
    /// Bin centres are `lo + kΔ`, k = 0…bins−1, with `lo`/`hi` the smallest/largest value, so Δ = (hi − lo)/(bins − 1).
    /// The density in bin k is m_k/Δ, giving H = −Σ m_k ln m_k + ln Δ. The gradient includes the dependence of the bin
    /// range on the extreme samples unless `rangeGradient` is false (the authors' code stops the gradient through the
    /// bin range). Weights are normalised to sum to one (uniform if nil).
    public static func entropy(_ y: [Double], weights: [Double]? = nil, bins: Int, rangeGradient: Bool = true) -> (value: Double, gradient: [Double]) {
        precondition(bins >= 3 && y.count >= 2, "need at least 3 bins and 2 samples")
        let n = y.count
        var w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        for i in 0..<n { w[i] /= total }
        var lo = y[0], hi = y[0], iLo = 0, iHi = 0
        for i in 1..<n {
            if y[i] < lo { lo = y[i]; iLo = i }
            if y[i] > hi { hi = y[i]; iHi = i }
        }
        guard hi > lo else { return (-.infinity, [Double](repeating: 0, count: n)) }
        let b1 = Double(bins - 1), delta = (hi - lo) / b1
        var mass = [Double](repeating: 0, count: bins)
        var cell = [Int](repeating: 0, count: n), frac = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let u = (y[i] - lo) / delta
            var k = Int(u.rounded(.down))
            if k >= bins - 1 { k = bins - 2 }
            if k < 0 { k = 0 }
            let t = u - Double(k)
            cell[i] = k; frac[i] = t
            mass[k] += w[i] * (1 - t); mass[k + 1] += w[i] * t
        }
        var h = log(delta)
        var logm = [Double](repeating: 0, count: bins)
        for k in 0..<bins where mass[k] > 0 { logm[k] = log(mass[k]); h -= mass[k] * logm[k] }
        // dH/du_i = w_i (ln m_k − ln m_{k+1}); u_i = (y_i − lo)/Δ.
        var grad = [Double](repeating: 0, count: n)
        var dLo = -1 / (b1 * delta) // d ln Δ / d lo
        var dHi = 1 / (b1 * delta)
        for i in 0..<n {
            let k = cell[i]
            let dHdu = w[i] * (logm[k] - logm[k + 1])
            grad[i] += dHdu / delta
            let u = (y[i] - lo) / delta
            dLo += dHdu * (-1 / delta + u / (b1 * delta))
            dHi += dHdu * (-u / (b1 * delta))
        }
        if rangeGradient { grad[iLo] += dLo; grad[iHi] += dHi }
        return (h, grad)
    }

    /// Entropy (nats) of 2-D samples from a plain 2-D histogram over their bounding box (no gradient), for checks.
    public static func entropy2D(_ a: [Double], _ b: [Double], weights: [Double]? = nil, bins: Int) -> Double {
        precondition(a.count == b.count && bins >= 2)
        let n = a.count
        var w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        for i in 0..<n { w[i] /= total }
        let (loA, hiA) = (a.min()!, a.max()!), (loB, hiB) = (b.min()!, b.max()!)
        let dA = (hiA - loA) / Double(bins), dB = (hiB - loB) / Double(bins)
        var mass = [Double](repeating: 0, count: bins * bins)
        for i in 0..<n {
            let ka = min(bins - 1, Int((a[i] - loA) / dA)), kb = min(bins - 1, Int((b[i] - loB) / dB))
            mass[ka * bins + kb] += w[i]
        }
        var h = log(dA * dB)
        for m in mass where m > 0 { h -= m * log(m) }
        return h
    }
}
