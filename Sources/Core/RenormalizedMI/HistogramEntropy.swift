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

    /// Entropy (nats) of 2-D samples from the linear two-bin assignment of Appendix D in each coordinate (bilinear: each
    /// sample's mass is shared between the four nearest bin centres), with its gradient with respect to every sample.
    ///
    /// Centres are `lo + kΔ`, k = 0…bins−1, per coordinate over [min, max], so Δ = (hi − lo)/(bins − 1); the density in
    /// cell (k, l) is m_kl/(Δ_a Δ_b) and H = −Σ m_kl ln m_kl + ln Δ_a Δ_b. As in the 1-D case the gradient includes the
    /// dependence of the bin ranges on the extreme samples unless `rangeGradient` is false.
    public static func entropy2DLinear(_ a: [Double], _ b: [Double], weights: [Double]? = nil, bins: Int,
                                       rangeGradient: Bool = true) -> (value: Double, gradientA: [Double], gradientB: [Double]) {
        precondition(a.count == b.count && a.count >= 2 && bins >= 3, "need paired samples (≥ 2) and at least 3 bins")
        let n = a.count
        var w = weights ?? [Double](repeating: 1, count: n)
        let total = w.reduce(0, +)
        for i in 0..<n { w[i] /= total }
        let ga = LinearGrid(a, bins: bins), gb = LinearGrid(b, bins: bins)
        guard ga.delta > 0 && gb.delta > 0 else { return (-.infinity, [Double](repeating: 0, count: n), [Double](repeating: 0, count: n)) }
        var mass = [Double](repeating: 0, count: bins * bins)
        for i in 0..<n {
            let k = ga.cell[i], l = gb.cell[i], t = ga.frac[i], u = gb.frac[i]
            mass[k * bins + l] += w[i] * (1 - t) * (1 - u); mass[(k + 1) * bins + l] += w[i] * t * (1 - u)
            mass[k * bins + l + 1] += w[i] * (1 - t) * u; mass[(k + 1) * bins + l + 1] += w[i] * t * u
        }
        var h = log(ga.delta * gb.delta)
        var logm = [Double](repeating: 0, count: bins * bins)
        for c in mass.indices where mass[c] > 0 { logm[c] = log(mass[c]); h -= mass[c] * logm[c] }
        // dH/dt_i = w_i[(1 − u)(ln m_kl − ln m_k+1,l) + u(ln m_k,l+1 − ln m_k+1,l+1)], and likewise for u_i.
        var dT = [Double](repeating: 0, count: n), dU = dT
        for i in 0..<n {
            let k = ga.cell[i], l = gb.cell[i], t = ga.frac[i], u = gb.frac[i]
            let m00 = logm[k * bins + l], m10 = logm[(k + 1) * bins + l], m01 = logm[k * bins + l + 1], m11 = logm[(k + 1) * bins + l + 1]
            dT[i] = w[i] * ((1 - u) * (m00 - m10) + u * (m01 - m11))
            dU[i] = w[i] * ((1 - t) * (m00 - m01) + t * (m10 - m11))
        }
        return (h, ga.pullBack(dT, rangeGradient: rangeGradient), gb.pullBack(dU, rangeGradient: rangeGradient))
    }
}

/// Bin centres lo + kΔ (k = 0…bins−1) over [min, max] of one coordinate, each sample's cell k and fraction t ∈ [0, 1]
/// towards centre k + 1, and the chain rule from d/dt back to d/dy including the moving range.
struct LinearGrid {
    let bins: Int, lo: Double, delta: Double, iLo: Int, iHi: Int
    var cell: [Int], frac: [Double]

    init(_ y: [Double], bins: Int) {
        self.bins = bins
        var lo = y[0], hi = y[0], iLo = 0, iHi = 0
        for i in 1..<y.count {
            if y[i] < lo { lo = y[i]; iLo = i }
            if y[i] > hi { hi = y[i]; iHi = i }
        }
        self.lo = lo; self.iLo = iLo; self.iHi = iHi
        delta = (hi - lo) / Double(bins - 1)
        cell = [Int](repeating: 0, count: y.count); frac = [Double](repeating: 0, count: y.count)
        guard delta > 0 else { return }
        for i in y.indices {
            let u = (y[i] - lo) / delta
            let k = min(bins - 2, max(0, Int(u.rounded(.down))))
            cell[i] = k; frac[i] = u - Double(k)
        }
    }

    /// dH/dy from dH/dt (t = (y − lo)/Δ − k), adding the ln Δ term and the range's dependence on the extremes.
    func pullBack(_ dT: [Double], rangeGradient: Bool) -> [Double] {
        let b1 = Double(bins - 1)
        var grad = dT.map { $0 / delta }
        guard rangeGradient else { return grad }
        var dLo = -1 / (b1 * delta), dHi = 1 / (b1 * delta)
        for i in dT.indices {
            let u = Double(cell[i]) + frac[i]
            dLo += dT[i] * (-1 / delta + u / (b1 * delta))
            dHi += dT[i] * (-u / (b1 * delta))
        }
        grad[iLo] += dLo; grad[iHi] += dHi
        return grad
    }
}
