import Foundation
import Numerics
import CollectiveRedundancy

/// Benchmarks for redundancy compression: the n = 35, m = 10, 100-initialisation case and the scaling in n.
func runCollectiveRedundancyBenchmarks() throws {
    var q = FlockingParameters()
    q.noise = 0.2
    let args = ProcessInfo.processInfo.environment
    let inits = Int(args["COLLECTIVE_INITS"] ?? "100") ?? 100
    func timeIt(_ body: () throws -> Void) rethrows -> Double {
        let t0 = Date(); try body(); return Date().timeIntervalSince(t0)
    }
    // 0. the flock simulation (issue 21 §4): one group of 20 for the report's default duration, reference vs optimised,
    //    and the seven Fig. 3 systems (12 groups) system by system vs in one parallel loop
    var r1 = Xoshiro256(seed: 3), r2 = Xoshiro256(seed: 3)
    var a: FlockTrajectory?, b: FlockTrajectory?
    let tRef = timeIt { b = FlockingSimulation.referenceSimulate(agents: 20, parameters: q, rng: &r2) }
    let tNew = timeIt { a = FlockingSimulation.simulate(agents: 20, parameters: q, rng: &r1) }
    print(String(format: "flock n=20, %.0f time units: reference %.2f s, optimised %.2f s (%.2f×), bit-identical: %@",
                 q.transient + q.duration, tRef, tNew, tRef / tNew, a!.vx == b!.vx && a!.x == b!.x ? "yes" : "NO"))
    let fig3: [[Int]] = [[5], [10], [20], [5, 5], [10, 10], [20, 20], [5, 10, 20]]
    let tOne = timeIt { for (k, g) in fig3.enumerated() { _ = FlockingSimulation.dataMatrix(groups: g, parameters: q, positions: false, seed: 1000 + UInt64(k)) } }
    let tAll = timeIt { _ = FlockingSimulation.dataMatrices(systems: fig3.enumerated().map { ($0.element, 1000 + UInt64($0.offset)) }, parameters: q, positions: false) }
    print(String(format: "Fig. 3 systems (12 groups): system by system %.2f s, one parallel loop %.2f s", tOne, tAll))
    // 1. the headline case: three groups 5/10/20 (n = 35), m = 10, Monte Carlo Δd
    let (data35, _) = FlockingSimulation.dataMatrix(groups: [5, 10, 20], parameters: q, positions: false, seed: 4)
    let model = try GaussianRedundancy(samples: data35, elementDimension: 2)
    let comp = RedundancyCompressor(model: model)
    var s = CompressionSettings(components: 10)
    s.method = .monteCarlo(samples: 20)
    var best = 0.0
    let t35 = timeIt { let b = comp.best(s, initialisations: inits, seed: 1).best; best = b.hardAverageRedundancy
        print("  best start: \(b.iterationsRun) iterations, \(b.evaluations) distinct sets evaluated") }
    print(String(format: "n=35 m=10 inits=%d: %.2f s (best r̄ = %.4f)", inits, t35, best))
    // 1b. the authors' hard-assignment search on the same system, same number of starts
    var hardBest = 0.0
    let tHard = timeIt {
        var rng = Xoshiro256(seed: 7)
        for _ in 0..<inits {
            let labels = (0..<model.n).map { _ in Int(rng.next() % 10) }
            hardBest = max(hardBest, comp.hardSearch(labels: labels, m: 10).score)
        }
    }
    print(String(format: "n=35 m=10 hard-assignment search, %d starts (one thread): %.2f s (best r̄ = %.4f)", inits, tHard, hardBest))
    // 2. scaling in n (groups of 5..20 concatenated), m = 10, 20 initialisations
    var points: [(Double, Double)] = []
    for groups in [[5, 5], [10, 10], [10, 10, 10], [20, 20], [20, 20, 20]] {
        let (d, _) = FlockingSimulation.dataMatrix(groups: groups, parameters: q, positions: false, seed: 5)
        let mdl = try GaussianRedundancy(samples: d, elementDimension: 2)
        let c = RedundancyCompressor(model: mdl, tabulate: false)
        let t = timeIt { _ = c.best(s, initialisations: 20, seed: 2) }
        let n = groups.reduce(0, +)
        points.append((log(Double(n)), log(t)))
        print(String(format: "n=%d m=10 inits=20: %.3f s", n, t))
    }
    let mx = points.map(\.0).reduce(0, +) / Double(points.count), my = points.map(\.1).reduce(0, +) / Double(points.count)
    let slope = points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +) / points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
    print(String(format: "time ∝ n^%.2f (log–log fit)", slope))
    // 3. exact subset table and exact Δd at n = 15
    let (d15, _) = FlockingSimulation.dataMatrix(groups: [5, 10], parameters: q, positions: false, seed: 6)
    let m15 = try GaussianRedundancy(samples: d15, elementDimension: 2)
    var tab: SubsetRedundancyTable?
    let tt = timeIt { tab = SubsetRedundancyTable(m15) }
    print(String(format: "subset table n=15 (32768 subsets): %.3f s", tt))
    _ = tab
}
