import Foundation
import Numerics

/// How Δd(i, j) = E_{B∼p₋ᵢ(·|j)}[r(B ∪ {i}) − r(B)] is evaluated.
public enum DeltaDMethod: Sendable, Equatable {
    /// Sum over all subsets (needs the 2^n table; n ≤ 20).
    case exact
    /// Monte Carlo with `samples` subsets per component and iteration.
    case monteCarlo(samples: Int)
}

/// Δd(i,j) exactly: Σ_{A∌i} [p(A|j) + p(A∪{i}|j)] [r(A∪{i}) − r(A)], since p(A) + p(A∪{i}) = p₋ᵢ(A).
/// `assign` is n × m row-major p(j|i); returns n × m row-major.
///
/// All m components at once: the subset probabilities are laid out mask-major (p[A·m + j]), the difference
/// r(A∪{i}) − r(A) is formed once per (i, A) and shared by every j, and each Δd(i, j) is still summed over A ∌ i in
/// increasing mask order with the same operations, so the result is bit-identical to `referenceExactDeltaD`.
func exactDeltaD(table: SubsetRedundancyTable, assign: [Double], m: Int) -> [Double] {
    let n = table.n, size = 1 << n
    var out = [Double](repeating: 0, count: n * m)
    var p = [Double](repeating: 0, count: size * m)
    var s = [Double](repeating: 0, count: m)
    // p(A|j) for every A and j, each j built as in `subsetProbabilities`
    p.withUnsafeMutableBufferPointer { pp in
        for j in 0..<m { pp[j] = 1 }
        var filled = 1
        for k in 0..<n {
            let bit = 1 << k
            for mm in 0..<filled {
                let lo = pp.baseAddress! + mm * m, hi = pp.baseAddress! + (mm | bit) * m
                for j in 0..<m {
                    let qk = assign[k * m + j]
                    let v = lo[j]
                    hi[j] = v * qk
                    lo[j] = v * (1 - qk)
                }
            }
            filled <<= 1
        }
    }
    table.r.withUnsafeBufferPointer { r in
    p.withUnsafeBufferPointer { pp in
    s.withUnsafeMutableBufferPointer { acc in
        for i in 0..<n {
            let bit = 1 << i
            for j in 0..<m { acc[j] = 0.0 }
            let low = bit - 1
            var hi = 0
            while hi < size {
                for lo in 0...low {
                    let a = hi | lo
                    let b = a | bit
                    let diff = r[b] - r[a]
                    let pa = pp.baseAddress! + a * m, pb = pp.baseAddress! + b * m
                    for j in 0..<m { acc[j] += (pa[j] + pb[j]) * diff }
                }
                hi += bit << 1
            }
            for j in 0..<m { out[i * m + j] = acc[j] }
        }
    } } }
    return out
}

/// Exact Δd as first written (component by component, one sum at a time), kept as the reference that `exactDeltaD`
/// must reproduce bit for bit (`IncrementsOptimisationTests`). Not for use in analyses.
func referenceExactDeltaD(table: SubsetRedundancyTable, assign: [Double], m: Int) -> [Double] {
    let n = table.n
    var out = [Double](repeating: 0, count: n * m)
    table.r.withUnsafeBufferPointer { r in
        for j in 0..<m {
            let q = (0..<n).map { assign[$0 * m + j] }
            let p = subsetProbabilities(q)
            p.withUnsafeBufferPointer { pp in
                for i in 0..<n {
                    let bit = 1 << i
                    var s = 0.0
                    // enumerate masks without bit i: split into high and low parts
                    let low = bit - 1
                    var hi = 0
                    while hi < (1 << n) {
                        for lo in 0...low {
                            let a = hi | lo
                            let b = a | bit
                            s += (pp[a] + pp[b]) * (r[b] - r[a])
                        }
                        hi += bit << 1
                    }
                    out[i * m + j] = s
                }
            }
        }
    }
    return out
}

/// Exact average quality r̄ = (1/m) Σ_j Σ_A p(A|j) r(A).
func exactAverageRedundancy(table: SubsetRedundancyTable, assign: [Double], m: Int) -> Double {
    let n = table.n
    var total = 0.0
    for j in 0..<m {
        let p = subsetProbabilities((0..<n).map { assign[$0 * m + j] })
        var s = 0.0
        for a in 0..<p.count { s += p[a] * table.r[a] }
        total += s
    }
    return total / Double(m)
}

/// Monte Carlo Δd with a per-run cache of the increments g_i(A) = r(A ∪ {i}) − r(A \ {i}) keyed by the sampled set.
/// One sampled set A ∼ p(·|j) serves every element i: with i's own membership ignored it is a draw from p₋ᵢ(·|j).
final class MonteCarloDeltaD {
    let g: GaussianRedundancy
    private var cache: [UInt64: [Double]] = [:]
    private(set) var evaluations = 0
    static let cacheLimit = 200_000
    // work arrays of `computeIncrements`, reused between calls (an instance belongs to one run, hence one thread)
    private var memberBuffer: [Int], colBuffer: [Int], posBuffer: [Int]
    private var lBuffer: [Double] = [], mBuffer: [Double] = [], wBuffer: [Double] = []
    private var sBuffer: [Double], accBuffer: [Double]

    init(_ g: GaussianRedundancy) {
        precondition(g.n <= 64, "Monte Carlo Δd uses 64-bit masks: at most 64 elements")
        self.g = g
        memberBuffer = [Int](repeating: 0, count: g.n); colBuffer = [Int](repeating: 0, count: g.n * g.d)
        posBuffer = [Int](repeating: -1, count: g.n)
        sBuffer = [Double](repeating: 0, count: g.d * g.d); accBuffer = [Double](repeating: 0, count: g.n * g.d * g.d)
    }

    /// Δd estimate (n × m row-major) from `samples` draws per component.
    func deltaD(assign: [Double], m: Int, samples: Int, rng: inout Xoshiro256) -> [Double] {
        let n = g.n
        var out = [Double](repeating: 0, count: n * m)
        for j in 0..<m {
            for _ in 0..<samples {
                var mask: UInt64 = 0
                for i in 0..<n where rng.uniform() < assign[i * m + j] { mask |= 1 << UInt64(i) }
                let inc = increments(mask)
                for i in 0..<n { out[i * m + j] += inc[i] }
            }
        }
        let s = 1.0 / Double(samples)
        for k in 0..<out.count { out[k] *= s }
        return out
    }

    /// g_i(A) for all i, cached.
    func increments(_ mask: UInt64) -> [Double] {
        if let v = cache[mask] { return v }
        let v = computeIncrements(mask)
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[mask] = v
        evaluations += 1
        return v
    }

    /// Relative redundancy of a bitmask set (no cache).
    func redundancy(_ mask: UInt64) -> Double { g.relativeRedundancy(GaussianRedundancy.members(mask)) }

    /// One Cholesky factorisation C_AA = L Lᵀ and M = L⁻¹; r(A ∪ {i}) via the Schur complement
    /// C_ii − (M C_{A,i})ᵀ (M C_{A,i}) for i ∉ A and r(A \ {i}) via the i-block of C_AA⁻¹ = Mᵀ M for i ∈ A
    /// (det C_{A∖i} = det C_AA · det (C_AA⁻¹)_ii).
    ///
    /// Every number is formed by the same floating-point operations in the same order as `referenceIncrements`, so the
    /// result is bit-identical to it; only the loop nest differs: W = M C_{A,·} is accumulated for all n·d columns at
    /// once (row a of W gains M[a,t]·C[cols t, ·] for t = 0 … a, a contiguous, vectorisable update per t, which keeps
    /// each entry's sum in the order t = 0 … a), the Schur complements of all i ∉ A are accumulated over a in order
    /// likewise, and all work arrays are reused between calls (no allocation but the returned increments).
    private func computeIncrements(_ mask: UInt64) -> [Double] {
        let n = g.n, d = g.d, nc = n * d
        var k = 0
        var mm = mask
        while mm != 0 { let b = mm.trailingZeroBitCount; memberBuffer[k] = b; k += 1; mm &= mm - 1 }
        let K = k * d
        if lBuffer.count < K * K {
            lBuffer = [Double](repeating: 0, count: K * K); mBuffer = lBuffer
        }
        if wBuffer.count < max(K, 1) * nc { wBuffer = [Double](repeating: 0, count: max(K, 1) * nc) }
        var out = [Double](repeating: 0, count: n)
        g.correlation.withUnsafeBufferPointer { cp in
        g.elementLogDet.withUnsafeBufferPointer { eld in
        g.elementEntropy.withUnsafeBufferPointer { eh in
        memberBuffer.withUnsafeMutableBufferPointer { members in
        colBuffer.withUnsafeMutableBufferPointer { cols in
        posBuffer.withUnsafeMutableBufferPointer { pos in
        lBuffer.withUnsafeMutableBufferPointer { L in
        mBuffer.withUnsafeMutableBufferPointer { M in
        wBuffer.withUnsafeMutableBufferPointer { W in
        sBuffer.withUnsafeMutableBufferPointer { S in
        accBuffer.withUnsafeMutableBufferPointer { acc in
        out.withUnsafeMutableBufferPointer { o in
            var sumLD = 0.0, sumH = 0.0
            for p in 0..<k { let i = members[p]; sumLD += eld[i]; sumH += eh[i] }
            for p in 0..<k { for e in 0..<d { cols[p * d + e] = members[p] * d + e } }
            // Cholesky factor L of C_AA (row-major K × K), as in the reference
            var logDetA = 0.0
            for a in 0..<K {
                for b in 0...a {
                    var s = cp[cols[a] * nc + cols[b]]
                    for t in 0..<b { s -= L[a * K + t] * L[b * K + t] }
                    if a == b { let v = max(s, 1e-12).squareRoot(); L[a * K + a] = v; logDetA += 2 * log(v) }
                    else { L[a * K + b] = s / L[b * K + b] }
                }
            }
            // M = L⁻¹ (lower triangular), as in the reference
            for col in 0..<K {
                M[col * K + col] = 1 / L[col * K + col]
                if col + 1 < K {
                    for a in (col + 1)..<K {
                        var s = 0.0
                        for t in col..<a { s -= L[a * K + t] * M[t * K + col] }
                        M[a * K + col] = s / L[a * K + a]
                    }
                }
            }
            let rA = GaussianRedundancy.ratio(logDet: logDetA, sumLogDet: sumLD, sumEntropy: sumH, count: k)
            for i in 0..<n { pos[i] = -1 }
            for p in 0..<k { pos[members[p]] = p }
            // W[a, ·] = Σ_{t=0…a} M[a,t] C[cols t, ·] over all n·d columns (the reference's sum for each i ∉ A and e)
            if K > 0 && k < n {
                for a in 0..<K {
                    let w = W.baseAddress! + a * nc
                    for j in 0..<nc { w[j] = 0.0 }
                    for t in 0...a {
                        let mat = M[a * K + t]
                        let c = cp.baseAddress! + cols[t] * nc
                        for j in 0..<nc { w[j] += mat * c[j] }
                    }
                }
            }
            // Schur complements S_i = C_ii − Σ_a W[a, i·d + e] W[a, i·d + f] (lower triangle, f ≤ e), a in order
            let dd = d * d
            for i in 0..<n where pos[i] < 0 {
                for e in 0..<d { for f in 0...e { acc[i * dd + e * d + f] = cp[(i * d + e) * nc + i * d + f] } }
            }
            if d == 2 {
                for a in 0..<K {
                    let w = W.baseAddress! + a * nc
                    for i in 0..<n where pos[i] < 0 {
                        let w0 = w[2 * i], w1 = w[2 * i + 1]
                        acc[4 * i] -= w0 * w0
                        acc[4 * i + 2] -= w1 * w0
                        acc[4 * i + 3] -= w1 * w1
                    }
                }
            } else {
                for a in 0..<K {
                    let w = W.baseAddress! + a * nc
                    for i in 0..<n where pos[i] < 0 {
                        for e in 0..<d { for f in 0...e { acc[i * dd + e * d + f] -= w[i * d + e] * w[i * d + f] } }
                    }
                }
            }
            for i in 0..<n {
                if pos[i] < 0 {
                    for e in 0..<d { for f in 0...e { S[e * d + f] = acc[i * dd + e * d + f] } }
                    let ld = logDetA + smallLogDetInPlace(S.baseAddress!, d)
                    let rPlus = GaussianRedundancy.ratio(logDet: ld, sumLogDet: sumLD + eld[i],
                                                         sumEntropy: sumH + eh[i], count: k + 1)
                    o[i] = rPlus - rA
                } else {
                    // (C_AA⁻¹)_ii = (Mᵀ M)_ii block
                    let p0 = pos[i] * d
                    for e in 0..<d {
                        for f in 0...e {
                            var s = 0.0
                            for a in (p0 + max(e, f))..<K { s += M[a * K + p0 + e] * M[a * K + p0 + f] }
                            S[e * d + f] = s
                        }
                    }
                    let ld = logDetA + smallLogDetInPlace(S.baseAddress!, d)
                    let rMinus = GaussianRedundancy.ratio(logDet: ld, sumLogDet: sumLD - eld[i],
                                                          sumEntropy: sumH - eh[i], count: k - 1)
                    o[i] = rA - rMinus
                }
            }
        } } } } } } } } } } } }
        return out
    }

    /// The increments as first written (one element at a time, fresh arrays per call), kept as the reference that
    /// `computeIncrements` must reproduce bit for bit (`IncrementsOptimisationTests`). Not for use in analyses.
    func referenceIncrements(_ mask: UInt64) -> [Double] {
        let n = g.n, d = g.d, nc = n * d
        let members = GaussianRedundancy.members(mask)
        let k = members.count, K = k * d
        var sumLD = 0.0, sumH = 0.0
        for i in members { sumLD += g.elementLogDet[i]; sumH += g.elementEntropy[i] }
        let cols = g.columns(members)
        // Cholesky factor L of C_AA and its inverse M = L⁻¹ (lower triangular), row-major K × K.
        var L = [Double](repeating: 0, count: max(K * K, 1))
        var M = [Double](repeating: 0, count: max(K * K, 1))
        var logDetA = 0.0
        let c = g.correlation
        for a in 0..<K {
            for b in 0...a {
                var s = c[cols[a] * nc + cols[b]]
                for t in 0..<b { s -= L[a * K + t] * L[b * K + t] }
                if a == b { let v = max(s, 1e-12).squareRoot(); L[a * K + a] = v; logDetA += 2 * log(v) }
                else { L[a * K + b] = s / L[b * K + b] }
            }
        }
        for col in 0..<K {
            M[col * K + col] = 1 / L[col * K + col]
            if col + 1 < K {
                for a in (col + 1)..<K {
                    var s = 0.0
                    for t in col..<a { s -= L[a * K + t] * M[t * K + col] }
                    M[a * K + col] = s / L[a * K + a]
                }
            }
        }
        let rA = GaussianRedundancy.ratio(logDet: logDetA, sumLogDet: sumLD, sumEntropy: sumH, count: k)
        var out = [Double](repeating: 0, count: n)
        var pos = [Int](repeating: -1, count: n)
        for (p, i) in members.enumerated() { pos[i] = p }
        var S = [Double](repeating: 0, count: d * d)
        var W = [Double](repeating: 0, count: max(K, 1) * d)
        for i in 0..<n {
            if pos[i] < 0 {
                // W = M C_{A,i} (K × d); S = C_ii − Wᵀ W
                for a in 0..<K {
                    for e in 0..<d {
                        var s = 0.0
                        for t in 0...a { s += M[a * K + t] * c[cols[t] * nc + i * d + e] }
                        W[a * d + e] = s
                    }
                }
                for e in 0..<d {
                    for f in 0..<d {
                        var s = c[(i * d + e) * nc + i * d + f]
                        for a in 0..<K { s -= W[a * d + e] * W[a * d + f] }
                        S[e * d + f] = s
                    }
                }
                let ld = logDetA + smallLogDet(&S, d)
                let rPlus = GaussianRedundancy.ratio(logDet: ld, sumLogDet: sumLD + g.elementLogDet[i],
                                                     sumEntropy: sumH + g.elementEntropy[i], count: k + 1)
                out[i] = rPlus - rA
            } else {
                // (C_AA⁻¹)_ii = (Mᵀ M)_ii block
                let p0 = pos[i] * d
                for e in 0..<d {
                    for f in 0..<d {
                        var s = 0.0
                        for a in (p0 + max(e, f))..<K { s += M[a * K + p0 + e] * M[a * K + p0 + f] }
                        S[e * d + f] = s
                    }
                }
                let ld = logDetA + smallLogDet(&S, d)
                let rMinus = GaussianRedundancy.ratio(logDet: ld, sumLogDet: sumLD - g.elementLogDet[i],
                                                      sumEntropy: sumH - g.elementEntropy[i], count: k - 1)
                out[i] = rA - rMinus
            }
        }
        return out
    }
}

/// log det of a small SPD matrix (in place Cholesky of its lower triangle; the upper triangle is never read).
@inline(__always) func smallLogDetInPlace(_ a: UnsafeMutablePointer<Double>, _ d: Int) -> Double {
    var ld = 0.0
    for r in 0..<d {
        for c in 0...r {
            var s = a[r * d + c]
            for t in 0..<c { s -= a[r * d + t] * a[c * d + t] }
            if r == c { let v = max(s, 1e-12).squareRoot(); a[r * d + r] = v; ld += 2 * log(v) }
            else { a[r * d + c] = s / a[c * d + c] }
        }
    }
    return ld
}

/// log det of a small SPD matrix (in place Cholesky).
@inline(__always) func smallLogDet(_ a: inout [Double], _ d: Int) -> Double {
    var ld = 0.0
    for r in 0..<d {
        for c in 0...r {
            var s = a[r * d + c]
            for t in 0..<c { s -= a[r * d + t] * a[c * d + t] }
            if r == c { let v = max(s, 1e-12).squareRoot(); a[r * d + r] = v; ld += 2 * log(v) }
            else { a[r * d + c] = s / a[c * d + c] }
        }
    }
    return ld
}
