import Foundation
import Numerics
import AnalysisKit

/// collective.search: how well the searches find the optimum of r̄ on the Fig. 4 system (three groups 5/10/20).
/// From the same random starts: the soft algorithm (Monte Carlo Δd), the soft algorithm with dead components
/// reinitialised, and the authors' hard-assignment search; each also from the true partition. Then exact versus
/// Monte Carlo Δd from identical starts on two groups of 5, and the hard search's best r̄ vs m on the Fig. 4 system.
enum SearchAnalysis {
    static let descriptor = AnalysisDescriptor(name: "collective.search",
        summary: "Search quality on the three-group system: soft vs soft+reinitialisation vs hard-assignment search from the same starts and from the truth; exact vs Monte Carlo Δd from the same starts") { ctx in
        let p = ctx.parameters
        let q = try Shared.flocking(p)
        let inits = try p.int("initialisations", default: 100, range: 4...10000)
        // At least the three groups of the Fig. 4 system: the searches also start from the true partition, whose labels
        // 0, 1, 2 must be valid components (RedundancyCompressor.hardSearch's precondition, unchecked in this build).
        let m = try p.int("components", default: 3, range: 3...20)
        let samples = try p.int("samples", default: 20, range: 1...10000)
        let maxM = try p.int("max_components", default: 6, range: 1...20)
        let exactMs = try p.ints("exact_components", default: [2, 3])
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        try p.rejectUnused()
        for e in exactMs where !(2...10).contains(e) {
            throw ParameterError(key: "exact_components", line: p.entries["exact_components"]?.line, message: "each value must be in 2...10, got \(e)")
        }
        let groups = [5, 10, 20]
        var groupOf: [Int] = []
        for (g, sz) in groups.enumerated() { groupOf += Array(repeating: g, count: sz) }
        // the Fig. 4 data set (same seed as collective.fig4)
        let (model, _) = try Shared.model(groups: groups, q: q, positions: false, seed: seed * 1000 + 6)
        let n = model.n
        let comp = RedundancyCompressor(model: model, tabulate: false)
        var soft = CompressionSettings(components: m)
        soft.method = .monteCarlo(samples: samples)
        soft.reinitialiseDead = false // the plain algorithm, without the (default) reinitialisation of dead components
        var reinit = soft
        reinit.reinitialiseDead = true
        let root = Xoshiro256(seed: seed + 70)
        struct Outcome { var score: Double; var labels: [Int] }
        let runs = Parallel.map(inits) { k -> [Outcome] in
            var rng = root.child(k)
            let start = RedundancyCompressor.randomAssignment(n: n, m: m, rng: &rng)
            var r1 = rng, r2 = rng
            let a = comp.run(soft, initial: start, rng: &r1)
            let b = comp.run(reinit, initial: start, rng: &r2)
            let startLabels = (0..<n).map { i in (0..<m).max { start[i * m + $0] < start[i * m + $1] }! }
            let c = comp.hardSearch(labels: startLabels, m: m)
            return [Outcome(score: a.hardAverageRedundancy, labels: a.labels), Outcome(score: b.hardAverageRedundancy, labels: b.labels),
                    Outcome(score: c.score, labels: c.labels)]
        }
        let truthLabels = groupOf
        let truthScore = comp.hardAverageRedundancy(labels: truthLabels, m: m)
        let whole = model.relativeRedundancy(Array(0..<n))
        var rt = root.child(1_000_000)
        let softTruth = comp.run(soft, initial: RedundancyCompressor.assignment(labels: truthLabels, m: m), rng: &rt)
        let hardTruth = comp.hardSearch(labels: truthLabels, m: m)
        let names = [("soft", "soft (Monte Carlo Δd, \(samples) samples)"), ("reinit", "soft + dead components reinitialised"),
                     ("hard", "hard-assignment search (sscs)")]
        let fromTruth = [softTruth.hardAverageRedundancy, softTruth.hardAverageRedundancy, hardTruth.score]
        let overall = max(runs.flatMap { $0.map(\.score) }.max()!, fromTruth.max()!)
        var rows: [[String]] = []
        var out = AnalysisOutput()
        for (a, (key, label)) in names.enumerated() {
            let scores = runs.map { $0[a].score }
            let best = scores.max()!, bestIdx = scores.firstIndex(of: best)!
            let reachBest = Double(scores.filter { $0 >= best - 1e-9 }.count) / Double(inits)
            let reachOverall = Double(scores.filter { $0 >= overall - 1e-9 }.count) / Double(inits)
            let reachTruth = Double(scores.filter { $0 >= truthScore - 1e-9 }.count) / Double(inits)
            let agree = labelAgreement(labels: runs[bestIdx][a].labels, groups: groupOf)
            out.values.append(Scalar("collective.search_\(key)_best", best, significantFigures: 3, tolerance: .absolute(0.03)))
            out.values.append(Scalar("collective.search_\(key)_reach", reachOverall, significantFigures: 2, tolerance: .absolute(0.15)))
            out.values.append(Scalar("collective.search_\(key)_reach_truth", reachTruth, significantFigures: 2, tolerance: .absolute(0.15)))
            out.values.append(Scalar("collective.search_\(key)_agree", agree, significantFigures: 2, tolerance: .absolute(0.3)))
            if a != 1 { out.values.append(Scalar("collective.search_\(key)_from_truth", fromTruth[a], significantFigures: 3, tolerance: .absolute(0.03))) }
            rows.append([label, "\(inits)", Shared.fmt(best), Shared.fmt(Stats.median(scores)), String(format: "%.0f %%", 100 * reachBest),
                         String(format: "%.0f %%", 100 * reachOverall), String(format: "%.0f %%", 100 * reachTruth), Shared.fmt(agree, 2),
                         a == 1 ? "—" : Shared.fmt(fromTruth[a])])
        }
        out.values.append(Scalar("collective.search_truth", truthScore, significantFigures: 3, tolerance: .absolute(0.03)))
        out.values.append(Scalar("collective.search_whole", whole, significantFigures: 3, tolerance: .absolute(0.03)))
        out.values.append(Scalar("collective.search_overall", overall, significantFigures: 3, tolerance: .absolute(0.03)))
        out.tables.append(Table(id: "search", caption: "m = \(m) on the Fig. 4 system (three groups 5/10/20, η = \(q.noise), n = \(n)); every algorithm from the same \(inits) random starts (the hard search from their argmax labels). r̄ of the true partition: \(Shared.fmt(truthScore)); whole system r(S): \(Shared.fmt(whole)); best of everything: \(Shared.fmt(overall)). “Reach” counts starts within 10⁻⁹ of the score named.",
                                columns: ["algorithm", "starts", "best r̄", "median r̄", "reach own best", "reach best of all", "reach ≥ true partition", "agreement of best", "from true partition"], rows: rows))
        // exact vs Monte Carlo Δd from identical starts, two groups of 5
        let (m10, _) = try Shared.model(groups: [5, 5], q: q, positions: false, seed: seed * 1000 + 60)
        let c10 = RedundancyCompressor(model: m10, tabulate: true)
        var erows: [[String]] = []
        for mm in exactMs {
            var se = CompressionSettings(components: mm); se.method = .exact
            var sm = se; sm.method = .monteCarlo(samples: samples)
            let r10 = Xoshiro256(seed: seed + 80).child(mm)
            let pairs = Parallel.map(inits) { k -> (Double, Double) in
                var rng = r10.child(k)
                let start = RedundancyCompressor.randomAssignment(n: m10.n, m: mm, rng: &rng)
                var r1 = rng
                return (c10.run(se, initial: start, rng: &r1).hardAverageRedundancy, c10.run(sm, initial: start, rng: &rng).hardAverageRedundancy)
            }
            let diffs = pairs.map { $0.1 - $0.0 }
            let d = ReplicateMean.unitPull(diffs)
            let same = Double(diffs.filter { abs($0) <= 1e-9 }.count) / Double(inits)
            out.values.append(Scalar("collective.search_mc_minus_exact_m\(mm)", d.mean, error: d.error, significantFigures: 2, tolerance: .absolute(3 * d.error + 1e-6)))
            out.values.append(Scalar("collective.search_same_end_m\(mm)", same, significantFigures: 2, tolerance: .absolute(0.15)))
            erows.append(["\(mm)", "\(inits)", String(format: "%.0f %%", 100 * same), String(format: "%+.4f ± %.4f", d.mean, d.error),
                          Shared.fmt(pairs.map(\.0).max()!), Shared.fmt(pairs.map(\.1).max()!),
                          "\(diffs.filter { $0 > 1e-9 }.count) / \(diffs.filter { $0 < -1e-9 }.count)"])
        }
        out.tables.append(Table(id: "search-exact-mc", caption: "Exact vs Monte Carlo (\(samples) samples) Δd from identical random starts, two non-interacting groups of 5 (η = \(q.noise)). Mean difference of final r̄ over starts ± its error over starts.",
                                columns: ["m", "starts", "same final r̄", "mean r̄(MC) − r̄(exact)", "best exact", "best MC", "MC better / exact better"], rows: erows))
        // the hard search's r̄ vs m on the Fig. 4 system
        var curve: [Double] = []
        for mm in 1...maxM {
            let rootM = Xoshiro256(seed: seed + 90).child(mm)
            let scores = Parallel.map(inits) { k -> Double in
                var rng = rootM.child(k)
                let labels = (0..<n).map { _ in Int(rng.next() % UInt64(mm)) }
                return comp.hardSearch(labels: labels, m: mm).score
            }
            curve.append(scores.max()!)
        }
        var peak = 1
        for k in curve.indices where curve[k] > curve[peak - 1] + 1e-12 { peak = k + 1 }
        out.values.append(Scalar("collective.search_hard_peak", Double(peak), significantFigures: 2, tolerance: .absolute(0)))
        out.figures.append(Figure(id: "search-hard-curve", caption: "Best r̄ vs m on the Fig. 4 system (three groups 5/10/20) with the authors' hard-assignment search, \(inits) uniform random hard starts per m.",
                                  altText: "Best average redundancy against number of components for the hard-assignment search.",
                                  panels: [Panel(title: "hard-assignment search", xLabel: "number of components m", yLabel: "best r̄",
                                                 series: [Series(label: "5+10+20", x: (1...maxM).map(Double.init), y: curve)])]))
        out.notes.append("η = \(q.noise), m = \(m), \(inits) starts, Monte Carlo samples \(samples), seed \(seed); hard search peak at m = \(peak)")
        return out
    }
}
