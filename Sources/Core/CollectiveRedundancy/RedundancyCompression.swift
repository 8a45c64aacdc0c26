import Foundation
import Numerics

/// Settings of the redundancy-compression algorithm (Twomey et al., Alg. A1 and its parallel variant).
public struct CompressionSettings: Sendable {
    /// Number of components m.
    public var components: Int
    /// Trade-off β between average redundancy and compression (absorbs 1/m); 200 gives hard assignments.
    public var beta: Double = 200
    /// Slowdown α of the parallel update; nil selects the sequential (element-by-element) update.
    public var alpha: Double? = 0.1
    /// Number of iterations (one iteration updates every element once).
    public var iterations: Int = 200
    /// Stop early when no p(j|i) moved by more than this in an iteration (0 runs all iterations).
    public var tolerance: Double = 1e-7
    public var method: DeltaDMethod = .exact
    /// Record the assignment matrix after every iteration.
    public var recordHistory = false
    /// Reinitialise a component whose weight p(j) fell below 1/(10 n) (less than a tenth of one element; its
    /// exp(β Δd / p(i)) factors underflowed): column j is redrawn as U(0, 1/m) and the rows renormalised. At most
    /// `maxReinitialisations` times per component, and only in the first half of the iterations so runs still converge.
    /// On by default (issue 17 §4); a component that dies again after that is counted in `deadComponents`.
    public var reinitialiseDead = true
    public var maxReinitialisations = 3
    public init(components: Int) { self.components = components }
}

/// The outcome of one run from one initial assignment.
public struct CompressionResult: Sendable {
    /// Final p(j|i), n × m row-major.
    public var assignment: [Double]
    public var components: Int
    /// Average quality r̄ of the final soft assignment (exact for tabulated systems, otherwise that of the hardened one).
    public var averageRedundancy: Double
    /// r̄ of the hardened assignment (each element to its most probable component), exact.
    public var hardAverageRedundancy: Double
    /// Hard labels argmax_j p(j|i).
    public var labels: [Int]
    public var iterationsRun: Int
    /// Distinct sets whose increments were computed (Monte Carlo only).
    public var evaluations: Int = 0
    /// Components whose final weight p(j) is below 1/(10 n): dead at the end, so the run used fewer than m components.
    public var deadComponents: Int = 0
    /// p(j|i) after each iteration when recorded.
    public var history: [[Double]]
}

/// Redundancy compression: alternates p(j|i) ∝ p(j) exp(β Δd(i,j) / p(i)) with p(j) = Σ_i p(i) p(j|i), p(i) = 1/n.
public struct RedundancyCompressor: Sendable {
    public let model: GaussianRedundancy
    /// Full subset table when the system is small enough for exact Δd.
    public let table: SubsetRedundancyTable?

    public init(model: GaussianRedundancy, tabulate: Bool? = nil) {
        self.model = model
        let wantTable = tabulate ?? (model.n <= 15)
        table = wantTable ? SubsetRedundancyTable(model) : nil
    }

    /// Random initial p(j|i): each row Dirichlet(1, …, 1).
    public static func randomAssignment(n: Int, m: Int, rng: inout Xoshiro256) -> [Double] {
        var a = [Double](repeating: 0, count: n * m)
        for i in 0..<n {
            var s = 0.0
            for j in 0..<m { let v = -log(1 - rng.uniform()); a[i * m + j] = v; s += v }
            for j in 0..<m { a[i * m + j] /= s }
        }
        return a
    }

    /// Runs the algorithm from `initial` (n × m). `rng` drives Monte Carlo sampling only.
    public func run(_ settings: CompressionSettings, initial: [Double], rng: inout Xoshiro256) -> CompressionResult {
        let n = model.n, m = settings.components
        precondition(initial.count == n * m)
        var p = initial
        let mc: MonteCarloDeltaD?
        switch settings.method {
        case .exact: precondition(table != nil, "exact Δd needs the subset table"); mc = nil
        case .monteCarlo: mc = MonteCarloDeltaD(model)
        }
        func deltaD(_ a: [Double]) -> [Double] {
            switch settings.method {
            case .exact: return exactDeltaD(table: table!, assign: a, m: m)
            case .monteCarlo(let k): return mc!.deltaD(assign: a, m: m, samples: k, rng: &rng)
            }
        }
        let scale = settings.beta * Double(n)   // β / p(i) with p(i) = 1/n
        var history: [[Double]] = []
        if settings.recordHistory { history.append(p) }
        var iterations = 0
        var row = [Double](repeating: 0, count: m)
        var reinitialised = [Int](repeating: 0, count: m)
        var reinitRNG = rng.child(0x5eed)
        for _ in 0..<settings.iterations {
            iterations += 1
            var change = 0.0
            if let alpha = settings.alpha {
                let pj = componentWeights(p, n: n, m: m)
                let dd = deltaD(p)
                for i in 0..<n {
                    target(dd, pj, i, m, scale, &row)
                    for j in 0..<m {
                        let v = (1 - alpha) * p[i * m + j] + alpha * row[j]
                        change = max(change, abs(v - p[i * m + j]))
                        p[i * m + j] = v
                    }
                }
            } else {
                for i in 0..<n {
                    let pj = componentWeights(p, n: n, m: m)
                    let dd = deltaD(p)
                    target(dd, pj, i, m, scale, &row)
                    for j in 0..<m {
                        change = max(change, abs(row[j] - p[i * m + j]))
                        p[i * m + j] = row[j]
                    }
                }
            }
            if settings.reinitialiseDead && 2 * iterations <= settings.iterations {
                let pj = componentWeights(p, n: n, m: m)
                for j in 0..<m where pj[j] < 0.1 / Double(n) && reinitialised[j] < settings.maxReinitialisations {
                    reinitialised[j] += 1
                    for i in 0..<n { p[i * m + j] = reinitRNG.uniform() / Double(m) }
                    for i in 0..<n {
                        var s = 0.0
                        for k in 0..<m { s += p[i * m + k] }
                        for k in 0..<m { p[i * m + k] /= s }
                    }
                    change = .infinity
                }
            }
            if settings.recordHistory { history.append(p) }
            if change <= settings.tolerance { break }
        }
        let labels = (0..<n).map { i in (0..<m).max { p[i * m + $0] < p[i * m + $1] }! }
        let hard = hardAverageRedundancy(labels: labels, m: m)
        let soft = table.map { exactAverageRedundancy(table: $0, assign: p, m: m) } ?? hard
        var result = CompressionResult(assignment: p, components: m, averageRedundancy: soft, hardAverageRedundancy: hard,
                                       labels: labels, iterationsRun: iterations, evaluations: mc?.evaluations ?? 0, history: history)
        result.deadComponents = componentWeights(p, n: n, m: m).filter { $0 < 0.1 / Double(n) }.count
        return result
    }

    /// The hard-assignment search of the authors' R package (crtwomey/sscs, R/sscs.R, `update_assignment` and
    /// `run_sequential`): elements in turn move to the component j with the largest
    /// Δ_j(i) = r(A_j ∪ {i}) − r(A_j ∖ {i}) (first on ties), sweeping until a full sweep changes no label or after
    /// `maxSweeps`. Unlike sscs, r = 0 for single elements (sscs scores a single 2-D element by its own within-element
    /// correlation). Δ_j(i) for all i comes from one factorisation of C_{A_j} (the Monte Carlo increments), recomputed
    /// only for components that changed.
    public func hardSearch(labels start: [Int], m: Int, maxSweeps: Int = 100) -> (labels: [Int], score: Double, sweeps: Int) {
        let n = model.n
        precondition(start.count == n && start.allSatisfy { (0..<m).contains($0) })
        let inc = MonteCarloDeltaD(model)
        var labels = start
        var masks = [UInt64](repeating: 0, count: m)
        for (i, l) in labels.enumerated() { masks[l] |= 1 << UInt64(i) }
        var sweeps = 0
        while sweeps < maxSweeps {
            sweeps += 1
            var moved = false
            for i in 0..<n {
                var best = 0, bestValue = -Double.infinity
                for j in 0..<m {
                    let v = inc.increments(masks[j])[i]
                    if v > bestValue { bestValue = v; best = j }
                }
                if best != labels[i] {
                    masks[labels[i]] &= ~(1 << UInt64(i)); masks[best] |= 1 << UInt64(i)
                    labels[i] = best; moved = true
                }
            }
            if !moved { break }
        }
        return (labels, hardAverageRedundancy(labels: labels, m: m), sweeps)
    }

    /// A soft start concentrated on a hard partition: p(j|i) = 1 − ε for j = labels[i], ε/(m − 1) elsewhere.
    public static func assignment(labels: [Int], m: Int, epsilon: Double = 0.01) -> [Double] {
        var a = [Double](repeating: m > 1 ? epsilon / Double(m - 1) : 0, count: labels.count * m)
        for (i, l) in labels.enumerated() { a[i * m + l] = m > 1 ? 1 - epsilon : 1 }
        return a
    }

    /// r̄ of a hard partition: (1/m) Σ_j r(A_j), empty and single-element components counting 0.
    public func hardAverageRedundancy(labels: [Int], m: Int) -> Double {
        var total = 0.0
        for j in 0..<m {
            let members = labels.indices.filter { labels[$0] == j }
            if let t = table {
                var mask = 0
                for i in members { mask |= 1 << i }
                total += t.r[mask]
            } else {
                total += model.relativeRedundancy(members)
            }
        }
        return total / Double(m)
    }

    private func componentWeights(_ p: [Double], n: Int, m: Int) -> [Double] {
        var pj = [Double](repeating: 0, count: m)
        for i in 0..<n { for j in 0..<m { pj[j] += p[i * m + j] } }
        for j in 0..<m { pj[j] /= Double(n) }
        return pj
    }

    /// Normalised p(j) exp(scale · Δd(i, j)) in log space.
    private func target(_ dd: [Double], _ pj: [Double], _ i: Int, _ m: Int, _ scale: Double, _ row: inout [Double]) {
        var mx = -Double.infinity
        for j in 0..<m {
            let v = pj[j] > 0 ? log(pj[j]) + scale * dd[i * m + j] : -Double.infinity
            row[j] = v; mx = max(mx, v)
        }
        var s = 0.0
        for j in 0..<m { row[j] = row[j] == -.infinity ? 0 : exp(row[j] - mx); s += row[j] }
        for j in 0..<m { row[j] /= s }
    }

    /// Best result over `initialisations` random starts (run in parallel, each with its own child RNG); ties keep the first.
    public func best(_ settings: CompressionSettings, initialisations: Int, seed: UInt64) -> (best: CompressionResult, scores: [Double]) {
        let root = Xoshiro256(seed: seed)
        let n = model.n
        let all = Parallel.map(initialisations) { k -> CompressionResult in
            var rng = root.child(k)
            let init0 = Self.randomAssignment(n: n, m: settings.components, rng: &rng)
            return run(settings, initial: init0, rng: &rng)
        }
        var bestIndex = 0
        for k in 1..<all.count where all[k].hardAverageRedundancy > all[bestIndex].hardAverageRedundancy { bestIndex = k }
        return (all[bestIndex], all.map(\.hardAverageRedundancy))
    }
}
