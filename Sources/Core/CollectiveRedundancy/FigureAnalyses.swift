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
        let reps = try p.int("replicates", default: 8, range: 5...50)
        try p.rejectUnused()
        try Shared.requireFlockMemory(p, q, runs: reps, agents: 20, keys: ["replicates"])
        var out = AnalysisOutput()
        // errors of one run: the same quantity on replicates 1..<reps of the Fig. 3 systems 5, 10 and 5+5 (same
        // parameters, independent runs; shared with collective.fig3 through the simulation memo)
        let others = ReplicateRuns.data(systems: [(0, [5]), (1, [10]), (3, [5, 5])], replicates: reps, seed: seed, parameters: q, positions: positions)
        let d = positions ? 4 : 2
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
            let r1Err = ReplicateMean.singleRunError(others: try others.map { try GaussianRedundancy(samples: $0[k], elementDimension: d).relativeRedundancy(Array(0..<n)) })
            out.values.append(Scalar("collective.fig2_exact_r1_n\(n)", ex.best[0], error: r1Err, significantFigures: 3))
            out.values.append(Scalar("collective.fig2_mc_wins_n\(n)", Double(diffs.filter { $0 > 1e-9 }.count), significantFigures: 2, tolerance: .absolute(3)))
            out.values.append(Scalar("collective.fig2_exact_wins_n\(n)", Double(diffs.filter { $0 < -1e-9 }.count), significantFigures: 2, tolerance: .absolute(3)))
            for i in 0..<maxM { rows.append(["\(n)", "\(i + 1)", Shared.fmt(ex.best[i]), Shared.fmt(mc.best[i])]) }
        }
        // β sweep: two non-interacting groups of 5, exact Δd, soft r̄ of the best of the initialisations at each β.
        let (model2, _) = try Shared.model(groups: [5, 5], q: q, positions: positions, seed: seed + 5)
        let comp = RedundancyCompressor(model: model2, tabulate: true)
        var soft: [Double] = [], hardness: [Double] = [], bestLabels: [[Int]] = []
        // every (β, start) run in one parallel loop, start k of β_b from child(b).child(k); the best per β is then taken
        // over k in order (first on ties), as in a serial loop
        let starts = min(inits, 20)
        let sweep = Parallel.map(betas.count * starts) { t -> CompressionResult in
            let (b, k) = (t / starts, t % starts)
            var s = CompressionSettings(components: betaComponents)
            s.beta = betas[b]
            var rng = Xoshiro256(seed: seed + 30).child(b).child(k)
            return comp.run(s, initial: RedundancyCompressor.randomAssignment(n: model2.n, m: betaComponents, rng: &rng), rng: &rng)
        }
        for b in betas.indices {
            var best: CompressionResult?
            for k in 0..<starts {
                let r = sweep[b * starts + k]
                if best == nil || r.averageRedundancy > best!.averageRedundancy { best = r }
            }
            soft.append(best!.averageRedundancy); bestLabels.append(best!.labels)
            let n = model2.n, m = betaComponents
            hardness.append((0..<n).map { i in (0..<m).map { best!.assignment[i * m + $0] }.max()! }.reduce(0, +) / Double(n))
        }
        let refIndex = betas.firstIndex(where: { $0 >= 200 }) ?? (betas.count - 1)
        let ref = soft[refIndex]
        // its error: the hard labels of that solution scored on the replicate runs of 5+5 (at β = 200 the assignment is
        // hard, so the soft and hard r̄ agree to the hardness shown)
        let refErr = ReplicateMean.singleRunError(others: try others.map { Shared.score(try GaussianRedundancy(samples: $0[2], elementDimension: d), labels: bestLabels[refIndex], m: betaComponents) })
        let stableAt = betas[soft.firstIndex(where: { $0 >= 0.95 * ref }) ?? (betas.count - 1)]
        out.values.append(Scalar("collective.fig2_beta_stable", stableAt, significantFigures: 2, tolerance: .relative(0.5)))
        // the paper's one-sided claim as a yes/no: r̄ within 5 % of its β = 200 value at every swept β ≥ 5
        let stableFrom5 = betas.indices.filter { betas[$0] >= 5 }.allSatisfy { soft[$0] >= 0.95 * ref }
        out.values.append(Scalar("collective.fig2_stable_from_beta5", stableFrom5 ? 1 : 0, significantFigures: 1, tolerance: .absolute(0)))
        out.values.append(Scalar("collective.fig2_rbar_beta200", ref, error: refErr, significantFigures: 3))
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
/// Every continuous value carries the error of one run, from the same quantity on `replicates` − 1 further independent
/// runs of each system (`ReplicateMean.singleRunError`); r per group size is the mean over all runs and groups of that size.
///
/// Work items: one per system (stage "systems", 7 items). Item k simulates system k's own run and its replicates
/// (seeds seed·1000 + k and `ReplicateRuns.seed`, as before, so the data do not depend on which item or process runs
/// them) and computes its component curve; the reduce step assembles the panels, tables and values in system order.
/// A killed render resumes with the finished systems, and `replicate work --shard i/n` splits the seven systems.
enum Fig3Analysis {
    /// What one system contributes: its curve series, values, table rows, and r(G) / polarisation of each of its
    /// groups over all runs (`[group][run]`).
    struct SystemResult: Codable {
        var series: Series
        var values: [Scalar]
        var errorRow: [String]
        var curveRow: [String]
        var groupR: [[Double]]
        var groupPolarisation: [[Double]]
        var offset: Double
    }

    static let descriptor = AnalysisDescriptor(name: "collective.fig3",
        summary: "Best average component redundancy vs number of components for single, paired and three groups, with errors over independent replicate runs and r per group size",
        itemized: true) { ctx in
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
        let reps = try p.int("replicates", default: 8, range: 5...50)
        try p.rejectUnused()
        let systems = ReplicateRuns.systems
        // every system's own run and its replicates may be held at once (its work items run in parallel)
        try Shared.requireFlockMemory(p, q, runs: reps, agents: systems.map { $0.groups.reduce(0, +) }.reduce(0, +), keys: ["replicates"])
        var out = AnalysisOutput()
        var offsets: [String] = []
        let d = positions ? 4 : 2
        var panels: [String: [Series]] = [:]
        var rows: [[String]] = []
        let pm: (Double, Double) -> String = { String(format: "%.4f ± %.4f", $0, $1) }
        var erows: [[String]] = []
        let results = try ctx.workItems("systems", count: systems.count, seed: seed) { item -> SystemResult in
            let k = item.index
            let (_, name, groups) = systems[k]
            let own = SimulationMemo.shared.runs([(groups, seed * 1000 + UInt64(k))], parameters: q, positions: positions)[0]
            let others = ReplicateRuns.data(systems: [(k, groups)], replicates: reps, seed: seed, parameters: q, positions: positions).map { $0[0] }
            let (model, offset) = try Shared.redundancy(own.data, elementDimension: d, authors: authors)
            let repModels = try Parallel.map(reps - 1) { r in try Shared.redundancy(others[r], elementDimension: d, authors: authors).0 }
            let curve = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits,
                                               exact: model.n <= exactLimit, samples: samples, seed: seed + UInt64(k),
                                               progress: ctx.progress)
            var values: [Scalar] = []
            let key = name.replacingOccurrences(of: "+", with: "_")
            values.append(Scalar("collective.fig3_\(tag)_peak_\(key)", Double(curve.peak), significantFigures: 2, tolerance: .absolute(0)))
            values.append(Scalar("collective.fig3_\(tag)_dead_\(key)", Double(curve.mWithDeadComponents), significantFigures: 2, tolerance: .absolute(0)))
            // best r̄: the winning partition (at the best m) scored on every replicate run
            let bestIndex = curve.best.indices.max { curve.best[$0] < curve.best[$1] || (curve.best[$0] == curve.best[$1] && $0 > $1) }!
            let bestLabels = curve.results[bestIndex].labels
            let rmaxErr = ReplicateMean.singleRunError(others: repModels.map { Shared.score($0, labels: bestLabels, m: bestIndex + 1) })
            values.append(Scalar("collective.fig3_\(tag)_rmax_\(key)", curve.best.max()!, error: rmaxErr, significantFigures: 3))
            var groupOf: [Int] = []
            for (g, s) in groups.enumerated() { groupOf += Array(repeating: g, count: s) }
            var erow = [name, pm(curve.best.max()!, rmaxErr)]
            let allModels = [model] + repModels
            let allData = [own.data] + others
            var start = 0
            var groupR: [[Double]] = [], groupPol: [[Double]] = []
            for s in groups {
                let members = Array(start..<(start + s))
                groupR.append(allModels.map { $0.relativeRedundancy(members) })
                groupPol.append(positions ? [] : allData.map { Shared.polarisation(Shared.elements($0, start, s), speed: q.speed) })
                start += s
            }
            if groups.count > 1 && groups.count <= maxM {
                // labels at m = number of true groups, and r(S) minus the unweighted mean r of the true groups
                let res = curve.results[groups.count - 1]
                let agree = labelAgreement(labels: res.labels, groups: groupOf)
                values.append(Scalar("collective.fig3_\(tag)_agree_\(key)", agree, significantFigures: 3, tolerance: .absolute(0.1)))
                let gaps = allModels.map { PartitionGap(model: $0, groups: groups) }
                let truthErr = ReplicateMean.singleRunError(others: gaps.dropFirst().map(\.trueMean))
                let gapErr = ReplicateMean.singleRunError(others: gaps.dropFirst().map { -$0.difference })
                values.append(Scalar("collective.fig3_\(tag)_truth_\(key)", gaps[0].trueMean, error: truthErr, significantFigures: 3))
                values.append(Scalar("collective.fig3_\(tag)_gap_\(key)", -gaps[0].difference, error: gapErr,
                                     significantFigures: 2))
                erow += [pm(gaps[0].trueMean, truthErr), pm(-gaps[0].difference, gapErr)]
            } else { erow += ["—", "—"] }
            let row = [name, model.n <= exactLimit ? "exact" : "Monte Carlo", "\(curve.peak)"] + curve.best.map { Shared.fmt($0, 3) }
            return SystemResult(series: Shared.curveSeries(name, curve), values: values, errorRow: erow, curveRow: row,
                                groupR: groupR, groupPolarisation: groupPol, offset: offset)
        }
        // reduce, in system order: r(G) and polarisation of every group, by size, over all runs (the figure's own and
        // the replicates)
        var rBySize: [Int: [Double]] = [:], polBySize: [Int: [Double]] = [:]
        for (k, (kind, name, groups)) in systems.enumerated() {
            let r = results[k]
            if authors { offsets.append("\(name): q = \(Shared.fmt(r.offset, 3))") }
            panels[kind, default: []].append(r.series)
            out.values += r.values
            for (g, s) in groups.enumerated() {
                rBySize[s, default: []] += r.groupR[g]
                if !positions { polBySize[s, default: []] += r.groupPolarisation[g] }
            }
            erows.append(r.errorRow)
            rows.append(r.curveRow)
        }
        let titles = [("single", "single groups"), ("pair", "two non-interacting groups"), ("three", "three groups 5/10/20")]
        out.figures.append(Figure(id: "fig3-\(tag)", caption: "Best average component redundancy over \(inits) random initialisations versus number of components, η = \(q.noise)" + (authors ? ", under the authors' normalisation (raw-data Gaussian entropies plus a system-wide offset)." : "."),
            altText: "Three panels of best average redundancy against number of components for single, paired and three-group systems.",
            panels: titles.map { Panel(title: $0.1, xLabel: "number of components m", yLabel: "best r̄", series: panels[$0.0] ?? []) },
            columns: 3, panelWidth: 420, panelHeight: 340))
        out.tables.append(Table(id: "fig3-\(tag)-table", caption: "Best r̄ for m = 1 … \(maxM) (η = \(q.noise))",
                                columns: ["system", "Δd", "peak m"] + (1...maxM).map { "m=\($0)" }, rows: rows))
        out.tables.append(Table(id: "fig3-\(tag)-errors", caption: "η = \(q.noise): the values of this run ± the error of one run, from the same quantity on \(reps - 1) further independent runs of each system (sd × √((K − 1)/(K − 3)), K = \(reps - 1); the best r̄ is the winning partition scored on each run). The whole system minus the true partition is r(S) − r̄_true.",
                                columns: ["system", "best r̄", "true partition r̄", "r(S) − r̄_true"], rows: erows))
        var srows: [[String]] = []
        for size in rBySize.keys.sorted() {
            let r = ReplicateMean.unitPull(rBySize[size]!)
            out.values.append(Scalar("collective.fig3_\(tag)_rgroup_\(size)", r.mean, error: r.error, significantFigures: 3, tolerance: .absolute(3 * r.error)))
            var row = ["\(size)", "\(rBySize[size]!.count)", pm(r.mean, r.error), Shared.fmt(Stats.standardDeviation(rBySize[size]!))]
            if let pol = polBySize[size] {
                let pr = ReplicateMean.unitPull(pol)
                out.values.append(Scalar("collective.fig3_\(tag)_pol_\(size)", pr.mean, error: pr.error, significantFigures: 4, tolerance: .absolute(3 * pr.error)))
                row.append(String(format: "%.5f ± %.5f", pr.mean, pr.error))
            }
            srows.append(row)
        }
        out.tables.append(Table(id: "fig3-\(tag)-rsize", caption: "r(G) of a single group by group size, η = \(q.noise): every group of that size in the seven systems and all \(reps) runs (independent simulations), mean ± error of the mean; sd is the spread of one group's r; polarisation |Σv|/(n s₀) likewise.",
                                columns: ["group size", "groups", "r(G)", "sd of one group", "polarisation"], rows: srows))
        out.notes.append("η = \(q.noise), \(inits) initialisations per m, Monte Carlo samples \(samples) for n > \(exactLimit), \(reps) runs per system for the errors, seed \(seed)"
                         + (authors ? "; authors' normalisation (raw-data Gaussian entropies + offset: \(offsets.joined(separator: ", ")))" : ""))
        return out
    }
}
