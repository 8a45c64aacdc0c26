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

extension PartialInformation {
    /// The Griffith–Ho redundancy and how it was found.
    public struct GriffithHo: Sendable {
        /// I_∩^GH in bits.
        public let redundancy: Double
        /// The maximising Q: its probabilities p(q) and its conditionals π_q = p(x₁, x₂, y | q), each over the task's
        /// outcomes in the order of `DiscreteTask.outcomes` (zero-probability outcomes dropped, duplicates merged:
        /// `support` lists the (x₁, x₂, y) of each coordinate).
        public let weights: [Double]
        public let conditionals: [[Double]]
        public let support: [(x1: Int, x2: Int, y: Int)]
        /// Extreme points of the constraint polytope C that were enumerated (the columns of the linear program).
        public let vertices: Int
        /// Largest violation of the linear program's dual feasibility, yᵀv − H(v_Y) over every vertex v (bits; ≤ 0 up to
        /// rounding at an optimum). With the primal value equal to yᵀp, it certifies the minimum to within this amount.
        public let dualViolation: Double
    }

    /// I_GH (Griffith & Ho 2015; the paper's eq. 3):
    ///
    ///     I_∩^GH(X₁; X₂ → Y) := max_Q I(Y; Q)  s.t.  ∀i  I(Y; Q | Xᵢ) = 0,
    ///
    /// i.e. the most information about Y carried by a variable Q for which Y − Xᵢ − Q is a Markov chain for every source
    /// (I∧ is the same maximum with Q = fᵢ(Xᵢ) deterministic, so I∧ ≤ I_GH ≤ min_i I(Xᵢ; Y)). Q may depend on
    /// (X₁, X₂, Y) jointly and have any number of values.
    ///
    /// Computed exactly. Write p(x₁, x₂, y) = Σ_q p(q) π_q(x₁, x₂, y) with π_q = p(· | Q = q). The constraint
    /// I(Y; Q | Xᵢ) = 0 says π_q(y | xᵢ) = p(y | xᵢ) wherever π_q(xᵢ) > 0, i.e. π_q lies in the polytope
    /// C = {π ∈ Δ(supp p) : π(xᵢ, y) = p(y | xᵢ) π(xᵢ) for all i, xᵢ, y}, which is linear in π; and
    /// I(Y; Q) = H(Y) − Σ_q p(q) H(π_q(Y)). Since H(π(Y)) is concave in π, splitting a π_q into extreme points of C never
    /// raises the sum, so
    ///
    ///     I_∩^GH = H(Y) − min { Σ_v w_v H(v_Y) : w ≥ 0, Σ_v w_v v = p }  over the vertices v of C,
    ///
    /// a linear program (no cardinality bound on Q to choose, no local optimum). The vertices are the basic feasible
    /// solutions of C's equalities: supports whose constraint columns are linearly independent and whose unique
    /// solution is positive, enumerated depth-first (the family of independent supports is closed under subsets, so a
    /// dependent set is not extended). The cost grows like 2^|supp p|: at most 20 outcomes are accepted. The program is
    /// solved by the two-phase simplex method with Bland's rule (`LinearProgram`); `dualViolation` is its certificate.
    public static func griffithHo(_ t: DiscreteTask) -> GriffithHo {
        // Support: distinct (x₁, x₂, y) with positive probability, in order of first appearance.
        var support = [(x1: Int, x2: Int, y: Int)](), p = [Double]()
        for o in t.outcomes where o.p > 0 {
            if let k = support.firstIndex(where: { $0 == (o.x1, o.x2, o.y) }) { p[k] += o.p } else { support.append((o.x1, o.x2, o.y)); p.append(o.p) }
        }
        let total = p.reduce(0, +)
        p = p.map { $0 / total }
        let m = p.count
        precondition(m <= 20, "griffithHo: \(m) outcomes in the support; the vertex enumeration is exponential (at most 20)")
        // Constraint rows: Σ π = 1, and for each source i, symbol x of Xᵢ and label y: π(xᵢ = x, y) − p(y | x) π(xᵢ = x) = 0.
        let ys = Array(Set(support.map(\.y))).sorted()
        var rows = [[Double]]()
        rows.append([Double](repeating: 1, count: m))
        for source in 0..<2 {
            let symbol: (Int) -> Int = { source == 0 ? support[$0].x1 : support[$0].x2 }
            for x in Array(Set((0..<m).map(symbol))).sorted() {
                let px = (0..<m).filter { symbol($0) == x }.reduce(0.0) { $0 + p[$1] }
                for y in ys {
                    let pxy = (0..<m).filter { symbol($0) == x && support[$0].y == y }.reduce(0.0) { $0 + p[$1] }
                    let row = (0..<m).map { s -> Double in
                        guard symbol(s) == x else { return 0 }
                        return (support[s].y == y ? 1 : 0) - pxy / px
                    }
                    if row.contains(where: { abs($0) > 1e-15 }) { rows.append(row) }
                }
            }
        }
        let columns = (0..<m).map { s in rows.map { $0[s] } }
        let vertices = Self.polytopeVertices(columns: columns)
        func hY(_ v: [Double]) -> Double {
            h(ys.map { y in (0..<m).filter { support[$0].y == y }.reduce(0.0) { $0 + v[$1] } })
        }
        let costs = vertices.map(hY)
        guard let lp = LinearProgram.minimize(cost: costs, columns: vertices, rhs: p) else {
            preconditionFailure("griffithHo: p is not a mixture of the vertices of C (it always is: p ∈ C)")
        }
        let used = (0..<vertices.count).filter { lp.x[$0] > 1e-12 }
        let violation = zip(vertices, costs).map { v, c in zip(lp.dual, v).reduce(0.0) { $0 + $1.0 * $1.1 } - c }.max() ?? 0
        return GriffithHo(redundancy: max(0, hY(p) - lp.value), weights: used.map { lp.x[$0] }, conditionals: used.map { vertices[$0] },
                          support: support, vertices: vertices.count, dualViolation: violation)
    }

    /// Vertices of {π ≥ 0 : Σ_s π_s a_s = e₀} for constraint columns a_s (row 0 the normalisation Σ π = 1, the other
    /// rows homogeneous): the positive solutions on supports with linearly independent columns.
    static func polytopeVertices(columns: [[Double]]) -> [[Double]] {
        let m = columns.count, r = columns.first?.count ?? 0
        var out = [[Double]]()
        // Depth-first over supports in increasing order, carrying an orthonormal basis of the chosen columns (modified
        // Gram–Schmidt) and the triangular factor R (columns = basis · R), so each step costs O(r·k).
        func extend(_ chosen: [Int], _ basis: [[Double]], _ rFactor: [[Double]], from start: Int) {
            for s in start..<m {
                var v = columns[s]
                let norm0 = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm0 > 0 else { continue }
                var coeffs = [Double]()
                for q in basis {
                    let c = zip(q, v).reduce(0.0) { $0 + $1.0 * $1.1 }
                    coeffs.append(c)
                    for i in 0..<r { v[i] -= c * q[i] }
                }
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-9 * norm0 else { continue } // dependent: no superset is independent either
                let q = v.map { $0 / norm }
                let nb = basis + [q]
                var nr = rFactor.map { $0 + [0] } // R grows by a column (and a row)
                nr.append([Double](repeating: 0, count: nb.count))
                for (k, c) in coeffs.enumerated() { nr[k][nb.count - 1] = c }
                nr[nb.count - 1][nb.count - 1] = norm
                let nc = chosen + [s]
                // Solve columns_S π = e₀ by least squares: R π = Qᵀ e₀; a solution exists iff e₀'s residual vanishes.
                let rhs = nb.map { $0[0] }
                let inRange = 1 - rhs.reduce(0) { $0 + $1 * $1 }
                if inRange < 1e-10 {
                    var pi = [Double](repeating: 0, count: nb.count)
                    for k in stride(from: nb.count - 1, through: 0, by: -1) {
                        var acc = rhs[k]
                        for l in (k + 1)..<nb.count { acc -= nr[k][l] * pi[l] }
                        pi[k] = acc / nr[k][k]
                    }
                    if pi.allSatisfy({ $0 > 1e-12 }) {
                        var vertex = [Double](repeating: 0, count: m)
                        for (k, outcome) in nc.enumerated() { vertex[outcome] = pi[k] }
                        let sum = vertex.reduce(0, +)
                        out.append(vertex.map { $0 / sum })
                    }
                }
                extend(nc, nb, nr, from: s + 1)
            }
        }
        extend([], [], [], from: 0)
        return out
    }
}

/// min cᵀx subject to A x = b, x ≥ 0, with b ≥ 0 and A given by its columns: the two-phase tableau simplex method with
/// Bland's rule (smallest eligible index enters and leaves, so it cannot cycle). Phase 1 starts from an artificial basis
/// and minimises the artificials' sum; artificials left in the basis at zero are pivoted out, and a row where none can be
/// is a redundant equality and is dropped. Returns nil when the constraints are infeasible or the minimum is unbounded.
/// `dual` is y = c_Bᵀ B⁻¹ (zero on dropped rows): at the optimum c_j − yᵀA_j ≥ 0 for every column and yᵀb = cᵀx.
enum LinearProgram {
    struct Solution { let x: [Double]; let value: Double; let dual: [Double] }

    static func minimize(cost c: [Double], columns: [[Double]], rhs b: [Double], tolerance eps: Double = 1e-11) -> Solution? {
        let m = b.count, n = c.count, width = n + m + 1, rhsColumn = n + m
        precondition(b.allSatisfy { $0 >= 0 } && columns.count == n && columns.allSatisfy { $0.count == m })
        var t = [[Double]](repeating: [Double](repeating: 0, count: width), count: m)
        for i in 0..<m {
            for j in 0..<n { t[i][j] = columns[j][i] }
            t[i][n + i] = 1
            t[i][rhsColumn] = b[i]
        }
        var basis = (0..<m).map { n + $0 }, active = [Bool](repeating: true, count: m)
        func pivot(_ r: Int, _ col: Int) {
            let pv = t[r][col]
            for j in 0..<width { t[r][j] /= pv }
            for i in 0..<m where i != r && active[i] && t[i][col] != 0 {
                let f = t[i][col]
                for j in 0..<width { t[i][j] -= f * t[r][j] }
            }
            basis[r] = col
        }
        func optimise(_ cost: [Double]) -> Bool {
            while true {
                var enter = -1
                for j in 0..<n where !basis.contains(j) {
                    var d = cost[j]
                    for i in 0..<m where active[i] { d -= cost[basis[i]] * t[i][j] }
                    if d < -eps { enter = j; break }
                }
                if enter < 0 { return true }
                var row = -1, best = Double.infinity
                for i in 0..<m where active[i] && t[i][enter] > eps {
                    let ratio = t[i][rhsColumn] / t[i][enter]
                    if ratio < best - 1e-14 || (ratio <= best + 1e-14 && row >= 0 && basis[i] < basis[row]) { best = ratio; row = i }
                }
                if row < 0 { return false }
                pivot(row, enter)
            }
        }
        var phase1 = [Double](repeating: 0, count: n + m)
        for k in 0..<m { phase1[n + k] = 1 }
        _ = optimise(phase1)
        let infeasibility = (0..<m).filter { basis[$0] >= n }.reduce(0.0) { $0 + t[$1][rhsColumn] }
        guard infeasibility <= 1e-9 * max(1, b.reduce(0, +)) else { return nil }
        for i in 0..<m where basis[i] >= n {
            if let j = (0..<n).first(where: { !basis.contains($0) && abs(t[i][$0]) > 1e-9 }) { pivot(i, j) } else { active[i] = false }
        }
        let phase2 = c + [Double](repeating: 0, count: m)
        guard optimise(phase2) else { return nil }
        var x = [Double](repeating: 0, count: n)
        for i in 0..<m where active[i] && basis[i] < n { x[basis[i]] = max(0, t[i][rhsColumn]) }
        var dual = [Double](repeating: 0, count: m)
        for k in 0..<m { for i in 0..<m where active[i] { dual[k] += phase2[basis[i]] * t[i][n + k] } }
        return Solution(x: x, value: zip(c, x).reduce(0.0) { $0 + $1.0 * $1.1 }, dual: dual)
    }
}
