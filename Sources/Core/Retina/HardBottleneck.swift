import Foundation
import Numerics

/// A hard assignment of the states x of a variable to `states` clusters σ̃, and the information it keeps.
public struct HardClustering: Sendable {
    /// `assignment[x]` ∈ 0..<states for every x in the alphabet (unobserved x go to cluster 0).
    public let assignment: [Int]
    public let states: Int
    /// I(σ0; σ̃) in bits (plug-in, on the data the clustering was fitted to).
    public let information: Double
}

/// Zero-temperature (hard-clustering) information bottleneck for a binary target, Eqs (4)–(7) of the paper:
/// start from an assignment x → σ̃, compute P(σ0|σ̃), reassign every x to argmin_σ̃ D_KL(P(σ0|x) ‖ P(σ0|σ̃)), iterate
/// to a fixed point; keep the best of several restarts.
///
/// For a binary σ0 the divergence D_KL(q_x‖q_c) = −H(q_x) − q_x ln q_c − (1−q_x) ln(1−q_c) is, up to a term independent
/// of c, a line in q_x tangent to the convex function −H at q_c; so after sorting the states by q_x and the clusters by
/// q_c the argmin is found by a single monotone sweep (O(n + M) per iteration instead of O(nM)). `reassignBruteForce`
/// evaluates Eq (6)–(7) literally and is used to test the sweep.
public enum HardBottleneck {
    /// Best of `restarts` runs: restart 0 starts from the equal-mass contiguous split of the states sorted by
    /// P(σ0=1|x); the others from uniformly random assignments drawn from `rng`.
    /// `warmStart` (an assignment into fewer than `m` states, e.g. the solution for the previous M) adds one more start:
    /// that solution with its cluster of largest conditional-entropy mass split at its median P(σ0=1|x).
    public static func cluster(_ joint: BinaryJoint, states m: Int, restarts: Int, rng: inout Xoshiro256,
                               warmStart: [Int]? = nil, maxIterations: Int = 500) -> HardClustering {
        precondition(m >= 1 && restarts >= 1)
        let observed = (0..<joint.size).filter { joint.n0[$0] + joint.n1[$0] > 0 }
        var assignment = [Int](repeating: 0, count: joint.size)
        if observed.count <= m {
            for (k, x) in observed.enumerated() { assignment[x] = k }
            return HardClustering(assignment: assignment, states: m, information: joint.mutualInformation)
        }
        let n0 = observed.map { joint.n0[$0] }, n1 = observed.map { joint.n1[$0] }
        let n = observed.count
        let q = (0..<n).map { n1[$0] / (n0[$0] + n1[$0]) }
        let order = (0..<n).sorted { q[$0] < q[$1] || (q[$0] == q[$1] && $0 < $1) }
        var best: [Int] = [], bestI = -1.0
        let starts = restarts + (warmStart == nil ? 0 : 1)
        for r in 0..<starts {
            var a = [Int](repeating: 0, count: n)
            if r == restarts, let warm = warmStart {
                for (k, x) in observed.enumerated() { a[k] = min(warm[x], m - 1) }
                var c0 = [Double](repeating: 0, count: m), c1 = c0
                for i in 0..<n { c0[a[i]] += n0[i]; c1[a[i]] += n1[i] }
                let worst = (0..<m).max { BinaryInfo.nH(c1[$0], c0[$0] + c1[$0]) < BinaryInfo.nH(c1[$1], c0[$1] + c1[$1]) }!
                let members = order.filter { a[$0] == worst }
                let half = (c0[worst] + c1[worst]) / 2
                var acc = 0.0
                for i in members { acc += n0[i] + n1[i]; if acc > half { a[i] = m - 1 } }
            } else if r == 0 {
                let total = n0.reduce(0, +) + n1.reduce(0, +)
                var acc = 0.0
                for i in order {
                    let w = n0[i] + n1[i]
                    a[i] = min(m - 1, Int((acc + w / 2) / total * Double(m)))
                    acc += w
                }
            } else {
                for i in 0..<n { a[i] = rng.int(below: m) }
            }
            iterate(&a, n0: n0, n1: n1, q: q, order: order, m: m, maxIterations: maxIterations)
            let info = information(a, n0: n0, n1: n1, m: m)
            if info > bestI + 1e-13 { bestI = info; best = a }
        }
        for (k, x) in observed.enumerated() { assignment[x] = best[k] }
        return HardClustering(assignment: assignment, states: m, information: bestI)
    }

    /// I(σ0; σ̃) in bits for an assignment of the observed states.
    static func information(_ a: [Int], n0: [Double], n1: [Double], m: Int) -> Double {
        var c0 = [Double](repeating: 0, count: m), c1 = c0
        for i in 0..<a.count { c0[a[i]] += n0[i]; c1[a[i]] += n1[i] }
        return BinaryInfo.mutualInformation(n0: c0, n1: c1)
    }

    /// Iterates Eqs (4)–(7) until no state changes cluster. Every state is reassigned against the cluster statistics of
    /// the previous assignment (as in the paper); the statistics are then updated by the moves alone. The counts are
    /// integers held in doubles, so the incremental update is exact and gives the same fixed point as a full recount.
    static func iterate(_ a: inout [Int], n0: [Double], n1: [Double], q: [Double], order: [Int], m: Int, maxIterations: Int) {
        var c0 = [Double](repeating: 0, count: m), c1 = c0
        var la = [Double](repeating: 0, count: m), lb = la, ratio = la
        var active = [Int]()
        active.reserveCapacity(m)
        var moves = [(state: Int, from: Int, to: Int)]()
        for i in 0..<a.count { c0[a[i]] += n0[i]; c1[a[i]] += n1[i] }
        for _ in 0..<maxIterations {
            active.removeAll(keepingCapacity: true)
            for c in 0..<m where c0[c] + c1[c] > 0 {
                let t = c0[c] + c1[c]
                la[c] = log(max(c1[c], 1e-300) / t); lb[c] = log(max(c0[c], 1e-300) / t); ratio[c] = c1[c] / t
                active.append(c)
            }
            active.sort { ratio[$0] < ratio[$1] || (ratio[$0] == ratio[$1] && $0 < $1) }
            moves.removeAll(keepingCapacity: true)
            var p = 0
            for i in order {
                let qi = q[i]
                @inline(__always) func f(_ c: Int) -> Double { (qi > 0 ? qi * la[c] : 0) + (qi < 1 ? (1 - qi) * lb[c] : 0) }
                while p + 1 < active.count && f(active[p + 1]) >= f(active[p]) { p += 1 }
                if a[i] != active[p] && f(active[p]) > f(a[i]) { moves.append((i, a[i], active[p])); a[i] = active[p] }
            }
            if moves.isEmpty { return }
            for mv in moves {
                c0[mv.from] -= n0[mv.state]; c1[mv.from] -= n1[mv.state]
                c0[mv.to] += n0[mv.state]; c1[mv.to] += n1[mv.state]
            }
        }
    }

    /// One literal reassignment step, Eqs (4)–(7): D_KL of each state to each non-empty cluster, argmin (lowest index on ties).
    static func reassignBruteForce(_ a: [Int], n0: [Double], n1: [Double], m: Int) -> [Int] {
        var c0 = [Double](repeating: 0, count: m), c1 = c0
        for i in 0..<a.count { c0[a[i]] += n0[i]; c1[a[i]] += n1[i] }
        return (0..<a.count).map { i in
            let p1 = n1[i] / (n0[i] + n1[i])
            var bestC = a[i], bestD = Double.infinity
            for c in 0..<m where c0[c] + c1[c] > 0 {
                let r1 = c1[c] / (c0[c] + c1[c])
                var d = 0.0
                if p1 > 0 { d += p1 * log(p1 / r1) }
                if p1 < 1 { d += (1 - p1) * log((1 - p1) / (1 - r1)) }
                if d < bestD - 1e-12 { bestD = d; bestC = c }
            }
            return bestC
        }
    }

    /// The exact optimum of I(σ0; σ̃) over all hard clusterings into `m` states. For a binary target the optimal
    /// clusters are intervals of the states sorted by P(σ0=1|x); the interval dynamic programme of `exactCurve` (SMAWK,
    /// O(m n) time) finds it. Used to check how close the iterative algorithm comes.
    public static func exactOptimum(_ joint: BinaryJoint, states m: Int) -> Double {
        exactCurve(joint, ms: [m])[0].information
    }

    /// Exact optima for every M in `ms` (ascending) in O(M n) time and O(M n) memory. The states are sorted by
    /// P(σ0=1|x); `dp[k][j]`, the least conditional-entropy mass (nats × count) of the first j sorted states split into at
    /// most k + 1 intervals, obeys dp[k][j] = min_{i ≤ j} dp[k−1][i] + w(i, j) with w(i, j) = n_{ij} H(σ0 | [i, j)).
    /// For a binary target w satisfies the quadrangle inequality w(i, j) + w(i′, j′) ≤ w(i′, j) + w(i, j′)
    /// (i ≤ i′ ≤ j ≤ j′; Iwata & Ozawa, "Quantizer design for outputs of binary-input discrete memoryless channels
    /// using SMAWK algorithm", ISIT 2014), so the matrix A[j][i] = dp[k−1][i] + w(i, j) (+∞ for i > j) is totally
    /// monotone and the SMAWK algorithm finds all its row minima in O(n) evaluations of w per layer.
    public static func exactCurve(_ joint: BinaryJoint, ms: [Int]) -> [HardClustering] {
        let observed = (0..<joint.size).filter { joint.n0[$0] + joint.n1[$0] > 0 }
        let n = observed.count
        let q = observed.map { joint.n1[$0] / (joint.n0[$0] + joint.n1[$0]) }
        let order = (0..<n).sorted { q[$0] < q[$1] || (q[$0] == q[$1] && observed[$0] < observed[$1]) }
        let sorted = order.map { observed[$0] }
        var p0 = [Double](repeating: 0, count: n + 1), p1 = p0
        for (k, x) in sorted.enumerated() { p0[k + 1] = p0[k] + joint.n0[x]; p1[k + 1] = p1[k] + joint.n1[x] }
        let kmax = min(ms.max() ?? 1, max(n, 1))
        var dp = [[Double]](), arg = [[Int32]]()
        dp.append((0...n).map { BinaryInfo.nH(p1[$0], p0[$0] + p1[$0]) })
        arg.append([Int32](repeating: 0, count: n + 1))
        if n > 0 {
            var smawk = SMAWK(rows: n, p0: p0, p1: p1)
            for _ in 1..<max(kmax, 1) {
                let (row, a) = smawk.layer(previous: dp[dp.count - 1])
                dp.append(row); arg.append(a)
            }
        }
        let total = p0[n] + p1[n]
        return ms.map { m in
            var assignment = [Int](repeating: 0, count: joint.size)
            let k = min(m, kmax) - 1
            // Backtrack: arg[level][j] = i means the last interval is [i, j); i == j means it is empty.
            var j = n, level = k, label = 0
            while j > 0 {
                let i = level == 0 ? 0 : Int(arg[level][j])
                if i == j { level -= 1; continue }
                for t in i..<j { assignment[sorted[t]] = label }
                label += 1; j = i; level -= 1
            }
            let info = total > 0 ? max(0, (BinaryInfo.nH(p1[n], total) - dp[k][n]) / total) / log(2) : 0
            return HardClustering(assignment: assignment, states: m, information: info)
        }
    }

    /// The reference O(M n²) dynamic programme (and O(n²) memory) for `exactCurve`, kept to test the SMAWK version:
    /// `best[k][j]` is the least conditional-entropy mass of the first j sorted states split into k + 1 intervals.
    static func exactCurveQuadratic(_ joint: BinaryJoint, ms: [Int]) -> [HardClustering] {
        let observed = (0..<joint.size).filter { joint.n0[$0] + joint.n1[$0] > 0 }
        let n = observed.count
        let sorted = observed.sorted {
            let a = joint.n1[$0] / (joint.n0[$0] + joint.n1[$0]), b = joint.n1[$1] / (joint.n0[$1] + joint.n1[$1])
            return a < b || (a == b && $0 < $1)
        }
        var p0 = [Double](repeating: 0, count: n + 1), p1 = p0
        for (k, x) in sorted.enumerated() { p0[k + 1] = p0[k] + joint.n0[x]; p1[k + 1] = p1[k] + joint.n1[x] }
        let kmax = min(ms.max() ?? 1, max(n, 1))
        var cost = [Double](repeating: 0, count: (n + 1) * (n + 1))
        for i in 0...n { for j in i...n { cost[i * (n + 1) + j] = BinaryInfo.nH(p1[j] - p1[i], p1[j] - p1[i] + p0[j] - p0[i]) } }
        var dp = [[Double]](), arg = [[Int]]()
        dp.append((0...n).map { cost[$0] }); arg.append([Int](repeating: 0, count: n + 1))
        for k in 1..<max(kmax, 1) {
            var row = dp[k - 1], a = [Int](repeating: 0, count: n + 1)
            for j in 1...max(n, 1) where j <= n {
                var b = dp[k - 1][j], bi = j
                for i in 1..<j { let v = dp[k - 1][i] + cost[i * (n + 1) + j]; if v < b { b = v; bi = i } }
                row[j] = b; a[j] = bi
            }
            dp.append(row); arg.append(a)
        }
        let total = p0[n] + p1[n]
        return ms.map { m in
            var assignment = [Int](repeating: 0, count: joint.size)
            let k = min(m, kmax) - 1
            // Backtrack: arg[level][j] = i means the last interval is [i, j); i == j means it is empty.
            var j = n, level = k, label = 0
            while j > 0 {
                let i = level == 0 ? 0 : arg[level][j]
                if i == j { level -= 1; continue }
                for t in i..<j { assignment[sorted[t]] = label }
                label += 1; j = i; level -= 1
            }
            let info = total > 0 ? max(0, (BinaryInfo.nH(p1[n], total) - dp[k][n]) / total) / log(2) : 0
            return HardClustering(assignment: assignment, states: m, information: info)
        }
    }
}

/// Row minima of the totally monotone matrix A[j][i] = prev[i] + w(i, j) (i ≤ j; +∞ above the diagonal) of one layer of
/// the interval dynamic programme, by the SMAWK algorithm (Aggarwal, Klawe, Moran, Shor & Wilber 1987). Ties go to the
/// leftmost column; a column is discarded only when it is strictly worse, which keeps the +∞ staircase totally monotone.
struct SMAWK {
    let rows: Int
    let p0: [Double], p1: [Double]
    private var prev: [Double] = []
    private var result: [Int32]
    init(rows: Int, p0: [Double], p1: [Double]) {
        self.rows = rows; self.p0 = p0; self.p1 = p1
        result = [Int32](repeating: 0, count: rows + 1)
    }

    @inline(__always) func value(_ j: Int, _ i: Int) -> Double {
        if i > j { return .infinity }
        let a = p1[j] - p1[i], t = a + p0[j] - p0[i]
        return prev[i] + BinaryInfo.nH(a, t)
    }

    /// The next layer: min over i ≤ j of prev[i] + w(i, j) for every j in 0...rows, and the minimising i.
    mutating func layer(previous: [Double]) -> ([Double], [Int32]) {
        prev = previous
        solve(rows: Array(0...rows), cols: Array(0...rows))
        var out = [Double](repeating: 0, count: rows + 1)
        for j in 0...rows { out[j] = value(j, Int(result[j])) }
        return (out, result)
    }

    private mutating func solve(rows rs: [Int], cols cs: [Int]) {
        guard !rs.isEmpty else { return }
        // REDUCE: keep at most |rows| columns that can hold a row minimum.
        var stack = [Int]()
        stack.reserveCapacity(rs.count)
        for c in cs {
            while let top = stack.last {
                let r = rs[stack.count - 1]
                if value(r, top) > value(r, c) { stack.removeLast() } else { break }
            }
            if stack.count < rs.count { stack.append(c) }
        }
        // Recurse on the odd rows, then fill the even rows between their neighbours' minima.
        let odd = stride(from: 1, to: rs.count, by: 2).map { rs[$0] }
        solve(rows: odd, cols: stack)
        var c = 0
        for r in stride(from: 0, to: rs.count, by: 2) {
            let row = rs[r]
            let last = r + 1 < rs.count ? Int(result[rs[r + 1]]) : stack[stack.count - 1]
            var best = stack[c], bv = value(row, best)
            while stack[c] != last {
                c += 1
                let v = value(row, stack[c])
                if v < bv { bv = v; best = stack[c] }
            }
            result[row] = Int32(best)
        }
    }
}
