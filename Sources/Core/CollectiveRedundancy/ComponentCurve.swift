import Foundation
import Numerics

/// Best average component redundancy versus the number of components m = 1 … maxComponents.
public struct ComponentCurve: Sendable {
    public var components: [Int]
    public var best: [Double]
    /// Best runs per m (labels, assignment).
    public var results: [CompressionResult]
    /// Values of m whose best run ended with a dead component (weight below 1/(10 n)) despite the reinitialisation.
    public var mWithDeadComponents: Int { results.filter { $0.deadComponents > 0 }.count }
    /// m with the highest best r̄ (smallest m on ties).
    public var peak: Int {
        var k = 0
        for i in best.indices where best[i] > best[k] + 1e-12 { k = i }
        return components[k]
    }

    /// Runs `initialisations` random starts per m; Δd exact when `exact`, else Monte Carlo with `samples` draws.
    public static func compute(model: GaussianRedundancy, maxComponents: Int, initialisations: Int, exact: Bool,
                               samples: Int, seed: UInt64, beta: Double = 200, alpha: Double? = 0.1,
                               iterations: Int = 200, progress: (String) -> Void = { _ in }) -> ComponentCurve {
        let comp = RedundancyCompressor(model: model, tabulate: exact)
        var out = ComponentCurve(components: [], best: [], results: [])
        let root = Xoshiro256(seed: seed)
        for m in 1...maxComponents {
            var s = CompressionSettings(components: m)
            s.beta = beta; s.alpha = alpha; s.iterations = iterations
            s.method = exact ? .exact : .monteCarlo(samples: samples)
            var child = root.child(m)
            let r = comp.best(s, initialisations: initialisations, seed: child.next())
            out.components.append(m); out.best.append(r.best.hardAverageRedundancy); out.results.append(r.best)
            progress("n=\(model.n) m=\(m): best r̄ = \(String(format: "%.4f", r.best.hardAverageRedundancy))")
        }
        return out
    }
}

/// Fraction of elements whose hard label agrees with the true group under the best one-to-one matching of labels to
/// groups (exhaustive over matchings when there are at most 7 groups, otherwise greedy on the contingency table).
public func labelAgreement(labels: [Int], groups: [Int]) -> Double {
    let lset = Array(Set(labels)).sorted(), gset = Array(Set(groups)).sorted()
    var table = [[Int]](repeating: [Int](repeating: 0, count: gset.count), count: lset.count)
    for (l, g) in zip(labels, groups) { table[lset.firstIndex(of: l)!][gset.firstIndex(of: g)!] += 1 }
    if gset.count <= 7 {
        // best assignment of each group to a distinct label (or to none)
        var best = 0
        func search(_ g: Int, _ used: Set<Int>, _ total: Int) {
            if g == gset.count { best = max(best, total); return }
            search(g + 1, used, total)
            for a in lset.indices where !used.contains(a) { search(g + 1, used.union([a]), total + table[a][g]) }
        }
        search(0, [], 0)
        return Double(best) / Double(labels.count)
    }
    var usedL = Set<Int>(), usedG = Set<Int>(), agree = 0
    while true {
        var best = (-1, -1, 0)
        for a in lset.indices where !usedL.contains(a) {
            for b in gset.indices where !usedG.contains(b) && table[a][b] > best.2 { best = (a, b, table[a][b]) }
        }
        if best.0 < 0 { break }
        agree += best.2; usedL.insert(best.0); usedG.insert(best.1)
    }
    return Double(agree) / Double(labels.count)
}
