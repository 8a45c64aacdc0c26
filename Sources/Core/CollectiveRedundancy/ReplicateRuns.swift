import Foundation
import Numerics

/// Independent replicate simulations of the report's systems, for the one-σ errors of values computed on one
/// simulated recording (issue 12): the same quantity is computed on R − 1 further independent runs of the same system
/// (own initial conditions and noise, same parameters and length), and `ReplicateMean.singleRunError(others:)` turns their
/// spread into the error of the figure's run.
enum ReplicateRuns {
    /// The Fig. 3 systems in their order (system s of a Fig. 3 run uses seed·1000 + s).
    static let systems: [(kind: String, name: String, groups: [Int])] = [
        ("single", "5", [5]), ("single", "10", [10]), ("single", "20", [20]),
        ("pair", "5+5", [5, 5]), ("pair", "10+10", [10, 10]), ("pair", "20+20", [20, 20]),
        ("three", "5+10+20", [5, 10, 20])]

    /// Seed of replicate k ≥ 1 of system s (k = 0 is the figure's own run): seed·1000 + 200 + 10k + s, disjoint from
    /// the seeds of the figure runs (seed·1000 + 0…60) for k < 80, s < 10.
    static func seed(_ seed: UInt64, replicate k: Int, system s: Int) -> UInt64 {
        precondition(k >= 1 && k < 80 && s >= 0 && s < 10)
        return seed * 1000 + 200 + UInt64(10 * k + s)
    }

    /// Data matrices (velocity elements, or position+velocity) of replicates 1..<replicates of the listed systems,
    /// `[replicate − 1][system]`, through the per-process memo.
    static func data(systems: [(index: Int, groups: [Int])], replicates: Int, seed: UInt64, parameters q: FlockingParameters,
                     positions: Bool = false) -> [[Matrix<Double>]] {
        var jobs: [(groups: [Int], seed: UInt64)] = []
        for k in 1..<replicates { for s in systems { jobs.append((s.groups, self.seed(seed, replicate: k, system: s.index))) } }
        let flat = SimulationMemo.shared.data(jobs, parameters: q, positions: positions)
        return (1..<replicates).map { k in Array(flat[((k - 1) * systems.count)..<(k * systems.count)]) }
    }
}

/// A per-process store of simulated data matrices, keyed by groups, seed, parameters and element layout, so that the
/// directives of one render that need the same runs (model, Fig. 2, Fig. 3 and its replicate runs, Fig. 4, the search
/// comparison) simulate them once. Results are deterministic functions of the key, so the memo never changes a
/// number. `runs` also keeps the trajectories (for snapshots); `data` keeps only the data matrices.
final class SimulationMemo: @unchecked Sendable {
    static let shared = SimulationMemo()
    private let lock = NSLock()
    private var store: [String: Matrix<Double>] = [:]
    private var full: [String: (data: Matrix<Double>, trajectories: [FlockTrajectory])] = [:]

    private func key(_ s: (groups: [Int], seed: UInt64), _ q: FlockingParameters, _ positions: Bool) -> String {
        "\(s.groups)|\(s.seed)|\(positions)|\(q)"
    }

    func data(_ systems: [(groups: [Int], seed: UInt64)], parameters q: FlockingParameters, positions: Bool) -> [Matrix<Double>] {
        let keys = systems.map { key($0, q, positions) }
        lock.lock()
        let missing = keys.indices.filter { store[keys[$0]] == nil }
        lock.unlock()
        if !missing.isEmpty {
            let sims = FlockingSimulation.dataMatrices(systems: missing.map { systems[$0] }, parameters: q, positions: positions)
            lock.lock()
            for (i, s) in zip(missing, sims) { store[keys[i]] = s.data }
            lock.unlock()
        }
        lock.lock(); defer { lock.unlock() }
        return keys.map { store[$0]! }
    }

    /// `FlockingSimulation.dataMatrices` through the memo, trajectories included.
    func runs(_ systems: [(groups: [Int], seed: UInt64)], parameters q: FlockingParameters, positions: Bool)
        -> [(data: Matrix<Double>, trajectories: [FlockTrajectory])] {
        let keys = systems.map { key($0, q, positions) }
        lock.lock()
        let missing = keys.indices.filter { full[keys[$0]] == nil }
        lock.unlock()
        if !missing.isEmpty {
            let sims = FlockingSimulation.dataMatrices(systems: missing.map { systems[$0] }, parameters: q, positions: positions)
            lock.lock()
            for (i, s) in zip(missing, sims) { full[keys[i]] = s; store[keys[i]] = s.data }
            lock.unlock()
        }
        lock.lock(); defer { lock.unlock() }
        return keys.map { full[$0]! }
    }
}

extension Shared {
    /// r̄ of a hard partition on a model: (1/m) Σ_j r(A_j).
    static func score(_ model: GaussianRedundancy, labels: [Int], m: Int) -> Double {
        var total = 0.0
        for j in 0..<m { total += model.relativeRedundancy(labels.indices.filter { labels[$0] == j }) }
        return total / Double(m)
    }

    /// Mean polarisation |Σ_i v_i| / (n s₀) over the samples of a velocity data matrix (2 columns per element).
    static func polarisation(_ data: Matrix<Double>, speed: Double) -> Double {
        let n = data.cols / 2
        var pol = 0.0
        for s in 0..<data.rows {
            var sx = 0.0, sy = 0.0
            for i in 0..<n { sx += data[s, 2 * i]; sy += data[s, 2 * i + 1] }
            pol += (sx * sx + sy * sy).squareRoot() / (Double(n) * speed)
        }
        return pol / Double(data.rows)
    }

    /// The columns of elements `first ..< first + count` (2 columns per element).
    static func elements(_ data: Matrix<Double>, _ first: Int, _ count: Int, dimension d: Int = 2) -> Matrix<Double> {
        var m = Matrix<Double>(rows: data.rows, cols: count * d)
        for t in 0..<data.rows { for c in 0..<(count * d) { m[t, c] = data[t, first * d + c] } }
        return m
    }
}
