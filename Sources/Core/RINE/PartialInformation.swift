import Foundation
import Numerics

/// A dense joint distribution p(x₁, x₂, y) over finite alphabets, indexed p[(a·n₂ + b)·n_y + y].
public struct JointDistribution: Sendable {
    public let n1: Int, n2: Int, ny: Int
    public let p: [Double]

    public init(_ t: DiscreteTask) {
        n1 = t.x1Symbols; n2 = t.x2Symbols; ny = t.ySymbols
        var p = [Double](repeating: 0, count: n1 * n2 * ny)
        for o in t.outcomes { p[(o.x1 * n2 + o.x2) * ny + o.y] += o.p }
        let s = p.reduce(0, +)
        self.p = p.map { $0 / s }
    }

    @inline(__always) func index(_ a: Int, _ b: Int, _ y: Int) -> Int { (a * n2 + b) * ny + y }

    /// Pairwise marginals p(x₁, y), p(x₂, y), p(x₁, x₂) and single marginals.
    var pAY: [[Double]] { (0..<n1).map { a in (0..<ny).map { y in (0..<n2).reduce(0.0) { $0 + p[index(a, $1, y)] } } } }
    var pBY: [[Double]] { (0..<n2).map { b in (0..<ny).map { y in (0..<n1).reduce(0.0) { $0 + p[index($1, b, y)] } } } }
    var pAB: [[Double]] { (0..<n1).map { a in (0..<n2).map { b in (0..<ny).reduce(0.0) { $0 + p[index(a, b, $1)] } } } }
    var pY: [Double] { (0..<ny).map { y in (0..<(n1 * n2)).reduce(0.0) { $0 + p[$1 * ny + y] } } }
}

/// Partial information decompositions of I(X₁, X₂; Y) for two discrete sources: the redundancy measures I_MMI
/// (minimum mutual information), I_BROJA (Bertschinger–Rauh–Olbrich–Jost–Ay, via the unique information optimisation)
/// and I_ccs (Ince's common change in surprisal). All values in bits.
public enum PartialInformation {
    static func h(_ xs: [Double]) -> Double { xs.reduce(0.0) { $1 > 0 ? $0 - $1 * log2($1) : $0 } }

    /// I_MMI = min(I(X₁;Y), I(X₂;Y)).
    public static func mmi(_ t: DiscreteTask) -> Double {
        min(ExactRedundancy.mutualInformationX1(t), ExactRedundancy.mutualInformationX2(t))
    }

    /// The BROJA decomposition: redundancy R, unique informations U₁, U₂, synergy S, and the certified duality gap of the
    /// optimisation (bits): the true R lies in [redundancy − gap, redundancy].
    public struct Broja: Sendable {
        public let redundancy: Double, unique1: Double, unique2: Double, synergy: Double
        public let gap: Double
        public let iterations: Int
    }

    /// I_BROJA. U₁ = min over q ∈ Δ_P of I_q(X₁;Y|X₂), with Δ_P the distributions sharing p's marginals p(x₁,y) and
    /// p(x₂,y); equivalently the maximum of the concave H_q(Y|X₁,X₂) over Δ_P. Solved by alternating I-projections
    /// (Csiszár–Tusnády): R(x₁,x₂) ← q(x₁,x₂), then q(·,·,y) ← the Sinkhorn scaling α_y(x₁) β_y(x₂) R(x₁,x₂) that meets the
    /// marginals. The stop is a certified duality gap: any conditional r(y|x₁,x₂) bounds
    /// H_q(Y|X₁,X₂) ≤ Σ_q q(−log r), whose maximum over the transport polytope is bounded above by the dual feasible point
    /// λ_y = −log α_y, μ_y(x₂) = max_{x₁} (−log r − λ_y). Iteration stops when that bound minus the current H_q is below
    /// `tolerance` (bits) or after `maxIterations`.
    public static func broja(_ t: DiscreteTask, tolerance: Double = 1e-7, maxIterations: Int = 20_000) -> Broja {
        precondition(tolerance > 0 && maxIterations > 0, "tolerance and maxIterations must be positive")
        let d = JointDistribution(t)
        let (n1, n2, ny) = (d.n1, d.n2, d.ny)
        let pay = d.pAY, pby = d.pBY, py = d.pY
        // Start from the conditional product p(x₁|y) p(x₂|y) p(y), interior of Δ_P on its support box.
        var q = [Double](repeating: 0, count: d.p.count)
        for a in 0..<n1 { for b in 0..<n2 { for y in 0..<ny where py[y] > 0 { q[d.index(a, b, y)] = pay[a][y] * pby[b][y] / py[y] } } }
        var alpha = [[Double]](repeating: [Double](repeating: 1, count: n1), count: ny)
        var beta = [[Double]](repeating: [Double](repeating: 1, count: n2), count: ny)
        func condEntropy(_ q: [Double]) -> Double { // H_q(Y|X₁,X₂) in bits
            var s = 0.0
            for ab in 0..<(n1 * n2) {
                let qab = (0..<ny).reduce(0.0) { $0 + q[ab * ny + $1] }
                guard qab > 0 else { continue }
                for y in 0..<ny { let v = q[ab * ny + y]; if v > 0 { s -= v * log2(v / qab) } }
            }
            return s
        }
        var gap = Double.infinity, iterations = 0, hq = condEntropy(q)
        while iterations < maxIterations {
            iterations += 1
            // R-step: R(a,b) = q(a,b). q-step: per y, Sinkhorn scaling of R onto p(a,y), p(b,y).
            var r = [Double](repeating: 0, count: n1 * n2)
            for ab in 0..<(n1 * n2) { r[ab] = (0..<ny).reduce(0.0) { $0 + q[ab * ny + $1] } }
            for y in 0..<ny where py[y] > 0 {
                for _ in 0..<500 {
                    var err = 0.0
                    for a in 0..<n1 where pay[a][y] > 0 {
                        var s = 0.0
                        for b in 0..<n2 where pby[b][y] > 0 { s += r[a * n2 + b] * beta[y][b] }
                        alpha[y][a] = s > 0 ? pay[a][y] / s : 1
                    }
                    for b in 0..<n2 where pby[b][y] > 0 {
                        var s = 0.0
                        for a in 0..<n1 where pay[a][y] > 0 { s += r[a * n2 + b] * alpha[y][a] }
                        let nb = s > 0 ? pby[b][y] / s : 1
                        err = max(err, abs(nb * s - pby[b][y]) + abs(beta[y][b] * s - pby[b][y]))
                        beta[y][b] = nb
                    }
                    if err < 1e-15 { break }
                }
                // Renormalise the scalings so that α and β share the scale (the product α·β is what matters).
                for a in 0..<n1 where pay[a][y] > 0 { for b in 0..<n2 where pby[b][y] > 0 {
                    q[d.index(a, b, y)] = alpha[y][a] * beta[y][b] * r[a * n2 + b]
                } }
            }
            hq = condEntropy(q)
            // Dual bound with r(y|a,b) = α_y(a) β_y(b) / Σ_y' α_y'(a) β_y'(b) (equal to q(y|a,b) where q(a,b) > 0).
            var z = [Double](repeating: 0, count: n1 * n2)
            for a in 0..<n1 { for b in 0..<n2 { for y in 0..<ny where pay[a][y] > 0 && pby[b][y] > 0 { z[a * n2 + b] += alpha[y][a] * beta[y][b] } } }
            var upper = 0.0
            for y in 0..<ny where py[y] > 0 {
                for a in 0..<n1 where pay[a][y] > 0 { upper -= pay[a][y] * log2(alpha[y][a]) }
                for b in 0..<n2 where pby[b][y] > 0 {
                    var m = -Double.infinity
                    for a in 0..<n1 where pay[a][y] > 0 { m = max(m, log2(z[a * n2 + b])) }
                    upper += pby[b][y] * (-log2(beta[y][b]) + m)
                }
            }
            gap = max(0, upper - hq)
            if gap < tolerance { break }
        }
        // H_p(Y|X₂) − H_q(Y|X₁,X₂) = U₁ (H(Y|X₂) is fixed on Δ_P).
        let hYgivenX2 = h(pby.flatMap { $0 }) - h(pby.map { $0.reduce(0, +) })
        let i1 = ExactRedundancy.mutualInformationX1(t), i2 = ExactRedundancy.mutualInformationX2(t)
        let joint = ExactRedundancy.mutualInformationJoint(t)
        let u1 = max(0, hYgivenX2 - hq)
        let red = i1 - u1, u2 = i2 - red
        return Broja(redundancy: red, unique1: u1, unique2: u2, synergy: joint - red - u1 - u2, gap: gap, iterations: iterations)
    }

    /// I_ccs (Ince 2017): with q̂ the maximum-entropy distribution sharing p(x₁,x₂), p(x₁,y) and p(x₂,y) (iterative
    /// proportional fitting from the uniform distribution until every marginal is met to `tolerance`), the local
    /// co-information c = i(x₁;y) + i(x₂;y) − i(x₁,x₂;y) is averaged under q̂ over the events where c, i(x₁;y), i(x₂;y)
    /// and i(x₁,x₂;y) have the same sign (values within 1e-8 of zero count as zero, as in dit).
    public static func ccs(_ t: DiscreteTask, tolerance: Double = 1e-9, maxIterations: Int = 100_000) -> Double {
        let d = JointDistribution(t)
        let (n1, n2, ny) = (d.n1, d.n2, d.ny)
        let pay = d.pAY, pby = d.pBY, pab = d.pAB, py = d.pY
        var q = [Double](repeating: 1 / Double(d.p.count), count: d.p.count)
        for _ in 0..<maxIterations {
            var err = 0.0
            for a in 0..<n1 { for b in 0..<n2 {
                let s = (0..<ny).reduce(0.0) { $0 + q[d.index(a, b, $1)] }
                err = max(err, abs(s - pab[a][b]))
                for y in 0..<ny { q[d.index(a, b, y)] = s > 0 ? q[d.index(a, b, y)] * pab[a][b] / s : 0 }
            } }
            for a in 0..<n1 { for y in 0..<ny {
                let s = (0..<n2).reduce(0.0) { $0 + q[d.index(a, $1, y)] }
                err = max(err, abs(s - pay[a][y]))
                for b in 0..<n2 { q[d.index(a, b, y)] = s > 0 ? q[d.index(a, b, y)] * pay[a][y] / s : 0 }
            } }
            for b in 0..<n2 { for y in 0..<ny {
                let s = (0..<n1).reduce(0.0) { $0 + q[d.index($1, b, y)] }
                err = max(err, abs(s - pby[b][y]))
                for a in 0..<n1 { q[d.index(a, b, y)] = s > 0 ? q[d.index(a, b, y)] * pby[b][y] / s : 0 }
            } }
            if err < tolerance { break }
        }
        let pa = pab.map { $0.reduce(0, +) }, pb = (0..<n2).map { b in (0..<n1).reduce(0.0) { $0 + pab[$1][b] } }
        func sgn(_ x: Double) -> Int { abs(x) <= 1e-8 ? 0 : (x > 0 ? 1 : -1) }
        var total = 0.0
        for a in 0..<n1 { for b in 0..<n2 { for y in 0..<ny {
            let v = q[d.index(a, b, y)]
            guard v > 0 else { continue }
            let i1 = log2(pay[a][y] / (pa[a] * py[y])), i2 = log2(pby[b][y] / (pb[b] * py[y]))
            let i12 = log2(v / (pab[a][b] * py[y]))
            let c = i1 + i2 - i12
            let s = sgn(c)
            if s == sgn(i1) && s == sgn(i2) && s == sgn(i12) { total += v * c }
        } } }
        return total
    }
}
