import Foundation
import Numerics

/// Exact information quantities of a ring population of four independent Poisson neurons, by enumerating every count
/// pattern r = (r₁, …, r₄) with rᵢ ≤ C (C chosen so that the Poisson tail beyond it is below `tail` at the largest rate).
///
/// With prior weights πⱼ on the periodic grid xⱼ and per-neuron pmfs aᵢ[j, c] = Poisson(c; fᵢ(xⱼ)),
/// p(r) = Σⱼ πⱼ Πᵢ aᵢ[j, rᵢ] is a product of two M×N factors (pairs (r₁, r₂) and (r₃, r₄), M = (C+1)²), so p(r) for all
/// M² patterns is one matrix product. From it:
/// * I(R;X) = H(R) − H(R|X);
/// * specific surprise i_sp(x) = KL(p(r|x) ‖ p(r)) (DeWeese & Meister 1999), whose prior average is I(R;X);
/// * stimulus-specific information SSI(x) = Σ_r p(r|x) [KL(p(x|r) ‖ p(x))] (Butts 2003), whose prior average is also I(R;X).
/// The only approximations are the grid (spectrally accurate for these smooth periodic integrands) and the tail cut.
public struct RingCountEnumeration: Sendable {
    public var population = RingPopulation()
    public var gridSize = 128
    /// Largest Poisson tail mass P(rᵢ > C) allowed at the largest rate.
    public var tail = 1e-10

    public init() {}

    public struct Result: Sendable {
        public let grid: [Double]
        public let mutualInformation: Double
        public let responseEntropy: Double
        public let noiseEntropy: Double
        /// i_sp(xⱼ) and SSI(xⱼ) on the grid (nats).
        public let specificSurprise: [Double]
        public let stimulusSpecificInformation: [Double]
        /// Largest count enumerated per neuron, and the largest probability mass lost to the cut at any grid point.
        public let maxCount: Int
        public let truncatedMass: Double
    }

    public func run() throws -> Result {
        let pop = population
        guard pop.neurons == 4 else { throw AnalysisFailureMessage("count enumeration is written for 4 neurons, got \(pop.neurons)") }
        guard gridSize >= 8, gridSize <= 4096, tail > 0, tail < 0.01 else { throw AnalysisFailureMessage("count enumeration: grid 8…4096, tail in (0, 0.01)") }
        let n = gridSize
        let grid = (0..<n).map { -Double.pi + 2 * Double.pi * Double($0) / Double(n) }
        let prior = pop.priorWeights(on: grid)
        let maxRate = (0..<4).flatMap { i in grid.map { pop.rate(i, at: $0) } }.max() ?? 1
        // C: smallest count with P(Poisson(maxRate) > C) < tail.
        var c = Int(maxRate.rounded(.up)), cdf = 0.0
        for k in 0...c { cdf += exp(Double(k) * log(maxRate) - maxRate - lgamma(Double(k) + 1)) }
        while 1 - cdf >= tail && c < 2000 { c += 1; cdf += exp(Double(c) * log(maxRate) - maxRate - lgamma(Double(c) + 1)) }
        let cc = c + 1, m = cc * cc
        guard m <= 40_000 else { throw AnalysisFailureMessage("count enumeration: rates too large (C = \(c))") }

        // pmf a_i[j, k], entropies H_i(j), truncated mass.
        var pmf = [[Double]](repeating: [Double](repeating: 0, count: n * cc), count: 4)
        var noiseEntropyAt = [Double](repeating: 0, count: n), lost = 0.0
        for i in 0..<4 { for j in 0..<n {
            let f = pop.rate(i, at: grid[j]), lf = log(f)
            var s = 0.0, h = 0.0
            for k in 0..<cc {
                let lp = Double(k) * lf - f - lgamma(Double(k) + 1), p = exp(lp)
                pmf[i][j * cc + k] = p; s += p; h -= p * lp
            }
            noiseEntropyAt[j] += h; lost = max(lost, 1 - s)
        } }
        // Pair factors A12[j, a], A34[j, b] (N × M), their log-weighted versions, and π-weighted copies.
        func pair(_ u: Int, _ v: Int) -> (Matrix<Double>, Matrix<Double>) {
            var a = Matrix<Double>(rows: n, cols: m), l = Matrix<Double>(rows: n, cols: m)
            for j in 0..<n { for k1 in 0..<cc { for k2 in 0..<cc {
                let p = pmf[u][j * cc + k1] * pmf[v][j * cc + k2]
                a[j, k1 * cc + k2] = p
                l[j, k1 * cc + k2] = p > 0 ? p * log(p) : 0
            } } }
            return (a, l)
        }
        let (a12, la12) = pair(0, 1), (a34, la34) = pair(2, 3)
        var wa12 = a12, wla12 = la12
        for j in 0..<n { for a in 0..<m { wa12[j, a] *= prior[j]; wla12[j, a] *= prior[j] } }

        // Blocks of rows a of the M × M pattern table.
        var hR = 0.0, klCheck = 0.0
        var isp = [Double](repeating: 0, count: n), ssi = isp
        let block = 512
        for a0 in Swift.stride(from: 0, to: m, by: block) {
            let idx = Array(a0..<min(m, a0 + block))
            let wa = wa12.selectingColumns(idx), wla = wla12.selectingColumns(idx), ab = a12.selectingColumns(idx)
            let p = Matrix.product(wa, transA: true, a34)                        // p(r)
            let num = Matrix.product(wla, transA: true, a34) + Matrix.product(wa, transA: true, la34)   // Σⱼ πⱼ p(r|j) log p(r|j)
            var logP = p, kl = p
            // Raw buffers: the same operations in the same order, but without the per-element checks that made the debug
            // build's tests slow.
            p.data.withUnsafeBufferPointer { pp in num.data.withUnsafeBufferPointer { nn in
                logP.data.withUnsafeMutableBufferPointer { lp in kl.data.withUnsafeMutableBufferPointer { kk in
                    for e in 0..<pp.count {
                        let pe = pp[e]
                        if pe > 1e-300 {
                            let l = log(pe)
                            lp[e] = l
                            kk[e] = nn[e] / pe - l                                   // KL(p(x|r) ‖ p(x))
                            hR -= pe * l; klCheck += pe * kk[e]
                        } else { lp[e] = 0; kk[e] = 0 }
                    }
                } }
            } }
            let cross = Matrix.product(ab, logP), spec = Matrix.product(ab, kl)   // N × M
            cross.data.withUnsafeBufferPointer { cr in spec.data.withUnsafeBufferPointer { sp in a34.data.withUnsafeBufferPointer { aa in
                for j in 0..<n {
                    var s1 = 0.0, s2 = 0.0
                    let o = j * m
                    for b in 0..<m { s1 += cr[o + b] * aa[o + b]; s2 += sp[o + b] * aa[o + b] }
                    isp[j] -= s1; ssi[j] += s2
                }
            } } }
        }
        for j in 0..<n { isp[j] -= noiseEntropyAt[j] }
        let hRX = zip(prior, noiseEntropyAt).reduce(0) { $0 + $1.0 * $1.1 }
        _ = klCheck
        return Result(grid: grid, mutualInformation: hR - hRX, responseEntropy: hR, noiseEntropy: hRX,
                      specificSurprise: isp, stimulusSpecificInformation: ssi, maxCount: c, truncatedMass: lost)
    }
}
