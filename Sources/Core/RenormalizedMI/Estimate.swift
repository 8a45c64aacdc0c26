import Foundation
import Numerics

/// How the density of a 1-D feature is estimated for H(y).
public enum HistogramRule: String, Sendable, CaseIterable {
    /// Appendix D: each sample is shared between the two nearest bin centres (differentiable), centres span [min, max].
    case linear
    /// A plain histogram of `bins` equal cells over [min, max] (numpy's `histogram(..., density=True)`, as in the
    /// authors' `rmi/estimation.py`).
    case hard
}

/// Per-sample influence values of a plug-in histogram entropy: φᵢ = −ln p̂(yᵢ), with p̂ the (linearly interpolated
/// for `.linear`) histogram density. Their mean is the entropy estimate H, and, for i.i.d. samples, sd(φ)/√n is its
/// delta-method standard error (Basharin 1959); the range's dependence on the extreme samples is a higher-order term.
public enum EntropyInfluence {
    public static func oneDimensional(_ y: [Double], bins: Int, rule: HistogramRule = .linear) -> [Double] {
        precondition(bins >= 3 && y.count >= 2, "need at least 3 bins and 2 samples")
        let n = y.count
        var lo = y[0], hi = y[0]
        for v in y { lo = min(lo, v); hi = max(hi, v) }
        guard hi > lo else { return [Double](repeating: -.infinity, count: n) }
        switch rule {
        case .linear:
            let delta = (hi - lo) / Double(bins - 1)
            var mass = [Double](repeating: 0, count: bins)
            var cell = [Int](repeating: 0, count: n), frac = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let u = (y[i] - lo) / delta
                let k = min(bins - 2, max(0, Int(u.rounded(.down))))
                let t = u - Double(k)
                cell[i] = k; frac[i] = t
                mass[k] += 1 - t; mass[k + 1] += t
            }
            let norm = Double(n) * delta
            let logDensity = mass.map { (m: Double) -> Double in m > 0 ? log(m / norm) : 0 }
            var out = [Double](repeating: 0, count: n)
            for i in 0..<n {
                let k = cell[i], t = frac[i]
                out[i] = -((1 - t) * logDensity[k] + t * logDensity[k + 1])
            }
            return out
        case .hard:
            let delta = (hi - lo) / Double(bins)
            var count = [Double](repeating: 0, count: bins)
            var cell = [Int](repeating: 0, count: n)
            for i in 0..<n { let k = min(bins - 1, Int((y[i] - lo) / delta)); cell[i] = k; count[k] += 1 }
            let norm = Double(n) * delta
            let logDensity = count.map { (c: Double) -> Double in c > 0 ? log(c / norm) : 0 }
            return cell.map { -logDensity[$0] }
        }
    }

    /// The mean of `oneDimensional(y[indices], …)` (the histogram entropy of the subset) without building the subset:
    /// the fast path of the random-halves errors.
    public static func mean(_ y: [Double], indices: [Int], bins: Int, rule: HistogramRule = .linear) -> Double {
        precondition(bins >= 3 && indices.count >= 2, "need at least 3 bins and 2 samples")
        return y.withUnsafeBufferPointer { yb in
            indices.withUnsafeBufferPointer { ib in
                var lo = yb[ib[0]], hi = lo
                for i in ib { let v = yb[i]; if v < lo { lo = v }; if v > hi { hi = v } }
                guard hi > lo else { return -.infinity }
                let n = Double(ib.count)
                switch rule {
                case .linear:
                    let delta = (hi - lo) / Double(bins - 1)
                    var mass = [Double](repeating: 0, count: bins)
                    for i in ib {
                        let u = (yb[i] - lo) / delta
                        let k = min(bins - 2, max(0, Int(u.rounded(.down))))
                        let t = u - Double(k)
                        mass[k] += 1 - t; mass[k + 1] += t
                    }
                    let norm = n * delta
                    let ld = mass.map { (m: Double) -> Double in m > 0 ? log(m / norm) : 0 }
                    var total = 0.0
                    for i in ib {
                        let u = (yb[i] - lo) / delta
                        let k = min(bins - 2, max(0, Int(u.rounded(.down))))
                        let t = u - Double(k)
                        total -= (1 - t) * ld[k] + t * ld[k + 1]
                    }
                    return total / n
                case .hard:
                    let delta = (hi - lo) / Double(bins)
                    var count = [Double](repeating: 0, count: bins)
                    for i in ib { count[min(bins - 1, Int((yb[i] - lo) / delta))] += 1 }
                    // Σᵢ −ln p̂(yᵢ) = −Σ_k c_k ln(c_k/(nΔ)).
                    var total = 0.0
                    for c in count where c > 0 { total -= c * log(c / (n * delta)) }
                    return total / n
                }
            }
        }
    }

    /// The same for a 2-D histogram: `.hard`, a plain histogram of `bins × bins` cells over the bounding box (as
    /// `HistogramEntropy.entropy2D`); `.linear`, the bilinear two-bin assignment with `bins × bins` centres (as
    /// `HistogramEntropy.entropy2DLinear`), φᵢ the bilinear interpolation of −ln p̂ at the sample.
    public static func twoDimensional(_ a: [Double], _ b: [Double], bins: Int, rule: HistogramRule = .hard) -> [Double] {
        precondition(a.count == b.count && bins >= 2)
        if rule == .linear { return twoDimensionalLinear(a, b, bins: bins) }
        let n = a.count
        let (loA, hiA) = (a.min()!, a.max()!), (loB, hiB) = (b.min()!, b.max()!)
        let dA = (hiA - loA) / Double(bins), dB = (hiB - loB) / Double(bins)
        var count = [Double](repeating: 0, count: bins * bins), cell = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let ka = min(bins - 1, Int((a[i] - loA) / dA)), kb = min(bins - 1, Int((b[i] - loB) / dB))
            cell[i] = ka * bins + kb; count[cell[i]] += 1
        }
        let norm = Double(n) * dA * dB
        return cell.map { -log(count[$0] / norm) }
    }

    static func twoDimensionalLinear(_ a: [Double], _ b: [Double], bins: Int) -> [Double] {
        precondition(bins >= 3, "the linear 2-D histogram needs at least 3 centres per coordinate")
        let n = a.count
        let ga = LinearGrid(a, bins: bins), gb = LinearGrid(b, bins: bins)
        guard ga.delta > 0 && gb.delta > 0 else { return [Double](repeating: -.infinity, count: n) }
        var mass = [Double](repeating: 0, count: bins * bins)
        for i in 0..<n {
            let k = ga.cell[i], l = gb.cell[i], t = ga.frac[i], u = gb.frac[i]
            mass[k * bins + l] += (1 - t) * (1 - u); mass[(k + 1) * bins + l] += t * (1 - u)
            mass[k * bins + l + 1] += (1 - t) * u; mass[(k + 1) * bins + l + 1] += t * u
        }
        let norm = Double(n) * ga.delta * gb.delta
        let ld = mass.map { (m: Double) -> Double in m > 0 ? log(m / norm) : 0 }
        return (0..<n).map { i in
            let k = ga.cell[i], l = gb.cell[i], t = ga.frac[i], u = gb.frac[i]
            return -((1 - t) * (1 - u) * ld[k * bins + l] + t * (1 - u) * ld[(k + 1) * bins + l]
                     + (1 - t) * u * ld[k * bins + l + 1] + t * u * ld[(k + 1) * bins + l + 1])
        }
    }

    /// Number of occupied cells of the plain 2-D histogram (for the Miller–Madow term (B − 1)/2n).
    public static func occupiedCells(_ a: [Double], _ b: [Double], bins: Int) -> Int {
        let (loA, hiA) = (a.min()!, a.max()!), (loB, hiB) = (b.min()!, b.max()!)
        let dA = (hiA - loA) / Double(bins), dB = (hiB - loB) / Double(bins)
        var seen = Set<Int>()
        for i in a.indices {
            seen.insert(min(bins - 1, Int((a[i] - loA) / dA)) * bins + min(bins - 1, Int((b[i] - loB) / dB)))
        }
        return seen.count
    }
}

/// One estimate of Ĩ(x, y) from samples: the value, its standard error and the two parts of Eq. (1).
public struct RMIEstimate: Sendable, Equatable, Codable {
    /// Ĩ = H(y) − ⟨ln √det(∇f·∇f)⟩ (nats).
    public var value: Double
    /// Standard error of Ĩ: random halves of the whole estimator (`HalvesErrors`), calibrated; equal to `deltaError`
    /// when no halves were computed.
    public var error: Double
    /// The entropy term H(y) and its own standard error (H alone is not reparametrisation invariant).
    public var entropy: Double
    public var entropyError: Double
    /// ⟨ln √det(∇f·∇f)⟩.
    public var logGradient: Double
    /// Delta-method error sd(φ)/√n of the per-sample influence φᵢ = −ln p̂(yᵢ) − ln √det(∇f·∇f)(xᵢ): it omits the
    /// variance of the bin range and the smoothing of p̂ by coarse bins, so it is too small for heavy tails.
    public var deltaError: Double
    public init(value: Double, error: Double, entropy: Double, entropyError: Double, logGradient: Double, deltaError: Double? = nil) {
        self.value = value; self.error = error; self.entropy = entropy; self.entropyError = entropyError
        self.logGradient = logGradient; self.deltaError = deltaError ?? error
    }
}

extension RenormalizedMI {
    /// Ĩ of a feature from i.i.d. samples, with its delta-method error: `values[i]` = f(xᵢ) (1-D) and
    /// `logGradient[i]` = ln √det(∇f·∇f) at xᵢ (for 1-D features ln|∇f(xᵢ)|).
    /// `splits` partitions into random halves give the error (0: the delta-method error only).
    public static func estimate(values: [Double], logGradient: [Double], bins: Int, rule: HistogramRule = .linear,
                                splits: Int = HalvesErrors.defaultSplits) -> RMIEstimate {
        precondition(values.count == logGradient.count && values.count >= 2)
        let h = EntropyInfluence.oneDimensional(values, bins: bins, rule: rule)
        let e = combine(entropyInfluence: h, logGradient: logGradient)
        guard splits > 0 && values.count >= 8 else { return e }
        return withHalves(e, count: values.count, splits: splits) { idx in
            let mh = EntropyInfluence.mean(values, indices: idx, bins: bins, rule: rule)
            return [mh - idx.reduce(0) { $0 + logGradient[$1] } / Double(idx.count), mh]
        }
    }

    /// Replaces the errors of `e` by the halves errors of the statistic (Ĩ, H) on index subsets.
    static func withHalves(_ e: RMIEstimate, count n: Int, splits: Int, _ statistic: ([Int]) -> [Double]) -> RMIEstimate {
        let err = HalvesErrors.errors(count: n, splits: splits, statistic: statistic)
        var out = e
        out.deltaError = e.error
        out.error = err[0]; out.entropyError = err[1]
        return out
    }

    /// Ĩ of a 1-D feature from its values and gradients (∇f(xᵢ) as rows).
    public static func estimate(values: [Double], gradients: [[Double]], bins: Int, rule: HistogramRule = .linear,
                                splits: Int = HalvesErrors.defaultSplits) -> RMIEstimate {
        estimate(values: values, logGradient: gradients.map { 0.5 * log($0.reduce(0) { $0 + $1 * $1 }) }, bins: bins, rule: rule,
                 splits: splits)
    }

    /// Ĩ of a 2-D feature with its halves error; `logGradient[i]` = ½ ln det(J Jᵀ)(xᵢ). `rule`: plain `bins × bins`
    /// histogram (`.hard`, default) or the bilinear two-bin assignment (`.linear`).
    public static func estimate2D(_ y1: [Double], _ y2: [Double], logGradient: [Double], bins: Int, rule: HistogramRule = .hard,
                                  splits: Int = HalvesErrors.defaultSplits) -> RMIEstimate {
        precondition(y1.count == y2.count && y1.count == logGradient.count && y1.count >= 2)
        let e = combine(entropyInfluence: EntropyInfluence.twoDimensional(y1, y2, bins: bins, rule: rule), logGradient: logGradient)
        guard splits > 0 && y1.count >= 8 else { return e }
        return withHalves(e, count: y1.count, splits: splits) { idx in
            let mh = Stats.mean(EntropyInfluence.twoDimensional(HalvesErrors.pick(y1, idx), HalvesErrors.pick(y2, idx), bins: bins, rule: rule))
            return [mh - idx.reduce(0) { $0 + logGradient[$1] } / Double(idx.count), mh]
        }
    }

    /// ½ ln det(J Jᵀ) for the 2 × N Jacobian with rows a, b.
    public static func logGramRoot(_ a: [Double], _ b: [Double]) -> Double {
        var aa = 0.0, bb = 0.0, ab = 0.0
        for k in a.indices { aa += a[k] * a[k]; bb += b[k] * b[k]; ab += a[k] * b[k] }
        return 0.5 * log(aa * bb - ab * ab)
    }

    static func combine(entropyInfluence h: [Double], logGradient g: [Double]) -> RMIEstimate {
        let phi = zip(h, g).map { $0 - $1 }
        return RMIEstimate(value: Stats.mean(phi), error: influenceError(phi), entropy: Stats.mean(h),
                           entropyError: influenceError(h), logGradient: Stats.mean(g))
    }

    /// Standard error of the mean of per-sample influence values, sd/√n.
    public static func influenceError(_ phi: [Double]) -> Double { Stats.standardError(phi) }
}
