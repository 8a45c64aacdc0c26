import Foundation
import Numerics
import AnalysisKit

/// collective.fig2: exact versus Monte Carlo Δd (n = 5, 10) and average component redundancy versus β.
enum Fig2Analysis {
    static let descriptor = AnalysisDescriptor(name: "collective.fig2",
        summary: "Exact vs Monte Carlo Δd (best r̄ vs m for single groups of 5 and 10) and r̄ vs β") { ctx in
        let p = ctx.parameters
        let q = try Shared.flocking(p)
        let positions = try Shared.elementDimension(p)
        let inits = try p.int("initialisations", default: 100, range: 1...10000)
        let maxM = try p.int("max_components", default: 10, range: 1...20)
        let samples = try p.int("samples", default: 20, range: 1...10000)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let betas = try p.doubles("betas", default: [0.1, 0.3, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500])
        let betaComponents = try p.int("beta_components", default: 2, range: 1...20)
        try p.rejectUnused()
        var out = AnalysisOutput()
        var left: [Series] = []
        var rows: [[String]] = []
        for (k, n) in [5, 10].enumerated() {
            let (model, _) = try Shared.model(groups: [n], q: q, positions: positions, seed: seed + UInt64(k))
            let ex = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits, exact: true,
                                            samples: samples, seed: seed + 10, progress: ctx.progress)
            let mc = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits, exact: false,
                                            samples: samples, seed: seed + 20, progress: ctx.progress)
            left.append(Shared.curveSeries("n=\(n) exact", ex))
            left.append(Shared.curveSeries("n=\(n) Monte Carlo", mc))
            let diffs = zip(mc.best, ex.best).map { $0 - $1 }
            let maxAbs = diffs.map(abs).max()!
            out.values.append(Scalar("collective.fig2_maxdiff_n\(n)", maxAbs, significantFigures: 2, tolerance: .absolute(0.02)))
            out.values.append(Scalar("collective.fig2_exact_r1_n\(n)", ex.best[0], significantFigures: 3, tolerance: .absolute(0.03)))
            out.values.append(Scalar("collective.fig2_mc_wins_n\(n)", Double(diffs.filter { $0 > 1e-9 }.count), significantFigures: 2, tolerance: .absolute(3)))
            out.values.append(Scalar("collective.fig2_exact_wins_n\(n)", Double(diffs.filter { $0 < -1e-9 }.count), significantFigures: 2, tolerance: .absolute(3)))
            for i in 0..<maxM { rows.append(["\(n)", "\(i + 1)", Shared.fmt(ex.best[i]), Shared.fmt(mc.best[i])]) }
        }
        // β sweep: two non-interacting groups of 5, exact Δd, soft r̄ of the best of the initialisations at each β.
        let (model2, _) = try Shared.model(groups: [5, 5], q: q, positions: positions, seed: seed + 5)
        let comp = RedundancyCompressor(model: model2, tabulate: true)
        var soft: [Double] = [], hardness: [Double] = []
        for (b, beta) in betas.enumerated() {
            var s = CompressionSettings(components: betaComponents)
            s.beta = beta
            let root = Xoshiro256(seed: seed + 30).child(b)
            var best: CompressionResult?
            for k in 0..<min(inits, 20) {
                var rng = root.child(k)
                let r = comp.run(s, initial: RedundancyCompressor.randomAssignment(n: model2.n, m: betaComponents, rng: &rng), rng: &rng)
                if best == nil || r.averageRedundancy > best!.averageRedundancy { best = r }
            }
            soft.append(best!.averageRedundancy)
            let n = model2.n, m = betaComponents
            hardness.append((0..<n).map { i in (0..<m).map { best!.assignment[i * m + $0] }.max()! }.reduce(0, +) / Double(n))
        }
        let ref = soft[betas.firstIndex(where: { $0 >= 200 }) ?? (betas.count - 1)]
        let stableAt = betas[soft.firstIndex(where: { $0 >= 0.95 * ref }) ?? (betas.count - 1)]
        out.values.append(Scalar("collective.fig2_beta_stable", stableAt, significantFigures: 2, tolerance: .relative(0.5)))
        out.values.append(Scalar("collective.fig2_rbar_beta200", ref, significantFigures: 3, tolerance: .absolute(0.03)))
        out.values.append(Scalar("collective.fig2_hardness_beta200",
                                 hardness[betas.firstIndex(where: { $0 >= 200 }) ?? (betas.count - 1)], significantFigures: 4, tolerance: .absolute(0.01)))
        out.figures.append(Figure(id: "fig2", caption: "Left: best average component redundancy over \(inits) initialisations with exact and Monte Carlo (\(samples) samples) Δd for single simulated groups of 5 and 10. Right: average component redundancy (soft assignment, exact) versus β for two non-interacting groups of 5 with m = \(betaComponents), and the mean largest assignment probability.",
            altText: "Two panels: best average redundancy versus number of components for exact and Monte Carlo Δd; average redundancy versus beta on a log axis.",
            panels: [Panel(title: "exact vs Monte Carlo Δd", xLabel: "number of components m", yLabel: "best average redundancy r̄", series: left),
                     Panel(title: "soft assignments vs β", xLabel: "β", yLabel: "r̄ / max_j p(j|i)", logX: true,
                           series: [Series(label: "r̄", x: betas, y: soft), Series(label: "mean max_j p(j|i)", x: betas, y: hardness)])],
            columns: 2))
        out.tables.append(Table(id: "fig2-table", caption: "Best r̄ per number of components, exact vs Monte Carlo Δd",
                                columns: ["n", "m", "exact", "Monte Carlo"], rows: rows))
        out.notes.append("η = \(q.noise), \(inits) initialisations, Monte Carlo samples \(samples), seed \(seed)")
        return out
    }
}

/// collective.fig3: best r̄ versus m for single groups, pairs of non-interacting groups and three groups 5/10/20.
enum Fig3Analysis {
    static let descriptor = AnalysisDescriptor(name: "collective.fig3",
        summary: "Best average component redundancy vs number of components for single, paired and three groups") { ctx in
        let p = ctx.parameters
        let q = try Shared.flocking(p)
        let positions = try Shared.elementDimension(p)
        let tag = try p.string("tag")
        let inits = try p.int("initialisations", default: 100, range: 1...10000)
        let maxM = try p.int("max_components", default: 10, range: 1...20)
        let samples = try p.int("samples", default: 20, range: 1...10000)
        let exactLimit = try p.int("exact_up_to", default: 10, range: 0...15)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let authors = try Shared.authorsNormalisation(p)
        try p.rejectUnused()
        var out = AnalysisOutput()
        var offsets: [String] = []
        let systems: [(String, String, [Int])] = [
            ("single", "5", [5]), ("single", "10", [10]), ("single", "20", [20]),
            ("pair", "5+5", [5, 5]), ("pair", "10+10", [10, 10]), ("pair", "20+20", [20, 20]),
            ("three", "5+10+20", [5, 10, 20])]
        var panels: [String: [Series]] = [:]
        var rows: [[String]] = []
        // all groups of all seven systems simulated in one parallel loop (same data as system by system)
        let simulated = FlockingSimulation.dataMatrices(systems: systems.enumerated().map { ($0.element.2, seed * 1000 + UInt64($0.offset)) },
                                                        parameters: q, positions: positions)
        for (k, (kind, name, groups)) in systems.enumerated() {
            let (model, offset) = try Shared.redundancy(simulated[k].data, elementDimension: positions ? 4 : 2, authors: authors)
            if authors { offsets.append("\(name): q = \(Shared.fmt(offset, 3))") }
            let curve = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits,
                                               exact: model.n <= exactLimit, samples: samples, seed: seed + UInt64(k),
                                               progress: ctx.progress)
            panels[kind, default: []].append(Shared.curveSeries(name, curve))
            let key = name.replacingOccurrences(of: "+", with: "_")
            out.values.append(Scalar("collective.fig3_\(tag)_peak_\(key)", Double(curve.peak), significantFigures: 2, tolerance: .absolute(0)))
            out.values.append(Scalar("collective.fig3_\(tag)_rmax_\(key)", curve.best.max()!, significantFigures: 3, tolerance: .absolute(0.03)))
            var groupOf: [Int] = []
            for (g, s) in groups.enumerated() { groupOf += Array(repeating: g, count: s) }
            if groups.count > 1 && groups.count <= maxM {
                // labels at m = number of true groups, and r(S) minus the unweighted mean r of the true groups
                let res = curve.results[groups.count - 1]
                let agree = labelAgreement(labels: res.labels, groups: groupOf)
                out.values.append(Scalar("collective.fig3_\(tag)_agree_\(key)", agree, significantFigures: 3, tolerance: .absolute(0.1)))
                var truth = 0.0
                for g in groups.indices { truth += model.relativeRedundancy(groupOf.indices.filter { groupOf[$0] == g }) }
                truth /= Double(groups.count)
                out.values.append(Scalar("collective.fig3_\(tag)_truth_\(key)", truth, significantFigures: 3, tolerance: .absolute(0.03)))
                out.values.append(Scalar("collective.fig3_\(tag)_gap_\(key)", model.relativeRedundancy(Array(0..<model.n)) - truth,
                                         significantFigures: 2, tolerance: .absolute(0.02)))
            }
            rows.append([name, model.n <= exactLimit ? "exact" : "Monte Carlo", "\(curve.peak)"] + curve.best.map { Shared.fmt($0, 3) })
        }
        let titles = [("single", "single groups"), ("pair", "two non-interacting groups"), ("three", "three groups 5/10/20")]
        out.figures.append(Figure(id: "fig3-\(tag)", caption: "Best average component redundancy over \(inits) random initialisations versus number of components, η = \(q.noise)" + (authors ? ", under the authors' normalisation (raw-data Gaussian entropies plus a system-wide offset)." : "."),
            altText: "Three panels of best average redundancy against number of components for single, paired and three-group systems.",
            panels: titles.map { Panel(title: $0.1, xLabel: "number of components m", yLabel: "best r̄", series: panels[$0.0] ?? []) },
            columns: 3, panelWidth: 420, panelHeight: 340))
        out.tables.append(Table(id: "fig3-\(tag)-table", caption: "Best r̄ for m = 1 … \(maxM) (η = \(q.noise))",
                                columns: ["system", "Δd", "peak m"] + (1...maxM).map { "m=\($0)" }, rows: rows))
        out.notes.append("η = \(q.noise), \(inits) initialisations per m, Monte Carlo samples \(samples) for n > \(exactLimit), seed \(seed)"
                         + (authors ? "; authors' normalisation (raw-data Gaussian entropies + offset: \(offsets.joined(separator: ", ")))" : ""))
        return out
    }
}
