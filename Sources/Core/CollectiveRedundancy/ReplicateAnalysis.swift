import Foundation
import Numerics
import AnalysisKit

/// The quantities of one multi-group system that decide whether its true partition can beat the whole system.
///
/// For groups G_g of S with Gaussian entropies H_g = Σ_{i∈G_g} H(X_i) and H_S = Σ_g H_g:
/// r(S) = Σ_g w_g r(G_g) + B with w_g = H_g/H_S and the between-group term B = I(G_1; …; G_k)/H_S ≥ 0, and the true
/// partition scores the unweighted mean r̄_true = (1/k) Σ_g r(G_g). So
/// r̄_true − r(S) = [(1/k) Σ_g r(G_g) − Σ_g w_g r(G_g)] − B  ("weighting" minus "between").
public struct PartitionGap: Sendable {
    public let whole: Double, trueMean: Double, weightedMean: Double
    public var between: Double { whole - weightedMean }
    public var weighting: Double { trueMean - weightedMean }
    /// r̄_true − r(S).
    public var difference: Double { trueMean - whole }

    public init(model: GaussianRedundancy, groups: [Int]) {
        var start = 0, rs: [Double] = [], hs: [Double] = []
        for g in groups {
            let members = Array(start ..< start + g)
            rs.append(model.relativeRedundancy(members))
            hs.append(members.reduce(0) { $0 + model.elementEntropy[$1] })
            start += g
        }
        let hS = hs.reduce(0, +)
        whole = model.relativeRedundancy(Array(0..<model.n))
        trueMean = rs.reduce(0, +) / Double(groups.count)
        weightedMean = zip(rs, hs).reduce(0) { $0 + $1.0 * $1.1 } / hS
    }
}

/// collective.replicates: R independent replicate runs of every multi-group system — integrated autocorrelation time,
/// effective sample size, r̄_true − r(S) with its error over replicates, and the same on the concatenated replicates.
enum ReplicateAnalysis {
    static let systems: [(String, [Int])] = [("5+5", [5, 5]), ("10+10", [10, 10]), ("20+20", [20, 20]), ("5+10+20", [5, 10, 20])]

    static let descriptor = AnalysisDescriptor(name: "collective.replicates",
        summary: "Independent replicate runs of the multi-group systems: τ_int, effective samples, true partition minus whole system ± error, and best r̄ vs m on the concatenated replicates") { ctx in
        let p = ctx.parameters
        let q = try Shared.flocking(p)
        let tag = try p.string("tag")
        let reps = try p.int("replicates", default: 20, range: 4...1000)
        let inits = try p.int("initialisations", default: 20, range: 1...10000)
        let maxM = try p.int("max_components", default: 5, range: 1...20)
        let samples = try p.int("samples", default: 10, range: 1...10000)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let authors = try Shared.authorsNormalisation(p)
        // one long run per system for a τ_int whose Sokal window closes (the replicates' halves are too short at low η)
        let tauDuration = try p.double("tau_duration", default: 0, range: 0...200_000)
        try p.rejectUnused()
        if tauDuration > 0 && tauDuration < 10 * q.sampleInterval {
            throw ParameterError(key: "tau_duration", line: p.entries["tau_duration"]?.line,
                                 message: "0 (off) or at least 10 sampling intervals (\(10 * q.sampleInterval)), got \(tauDuration)")
        }
        // every replicate of every system is held at once, and each system's replicates once more concatenated
        try Shared.requireFlockMemory(p, q, runs: reps, agents: systems.map { $0.1.reduce(0, +) }.reduce(0, +), copies: 1 + 16 / Shared.bytesPerAgentSample, keys: ["replicates"])
        // replicate k of system s: its own seed, disjoint from those of fig2–fig4 (seed·1000 + small offsets)
        var jobs: [(groups: [Int], seed: UInt64)] = []
        for (s, sys) in systems.enumerated() {
            for k in 0..<reps { jobs.append((sys.1, seed * 1_000_000 + 100_000 + UInt64(s) * 10_000 + UInt64(k))) }
        }
        let sims = FlockingSimulation.dataMatrices(systems: jobs, parameters: q, positions: false)
        var long = q
        long.duration = tauDuration
        let longRuns = tauDuration > 0
            ? FlockingSimulation.dataMatrices(systems: systems.enumerated().map { ($0.element.1, seed * 1_000_000 + 900_000 + UInt64($0.offset)) },
                                              parameters: long, positions: false).map(\.data) : []
        var out = AnalysisOutput()
        var rows: [[String]] = [], series: [Series] = [], longRows: [[String]] = []
        struct SystemResult { var gaps: [PartitionGap]; var concat: PartitionGap; var concatError: (difference: Double, between: Double); var tau: IntegratedAutocorrelation; var curve: ComponentCurve; var T: Int }
        var results: [SystemResult] = []
        for (s, sys) in systems.enumerated() {
            let block = Array(sims[(s * reps)..<((s + 1) * reps)])
            let T = block[0].data.rows, cols = block[0].data.cols
            let gaps = try Parallel.map(reps) { k in PartitionGap(model: try Shared.redundancy(block[k].data, elementDimension: 2, authors: authors).0, groups: sys.1) }
            // velocity columns of every agent and replicate, pooled about their symmetric mean 0
            var series0: [[Double]] = []
            for b in block { for c in 0..<cols { series0.append((0..<T).map { b.data[$0, c] }) } }
            let tau = IntegratedAutocorrelation(series: series0, mean: 0)
            var cat = Matrix<Double>(rows: T * reps, cols: cols)
            for (k, b) in block.enumerated() { for t in 0..<T { for c in 0..<cols { cat[k * T + t, c] = b.data[t, c] } } }
            let model = try Shared.redundancy(cat, elementDimension: 2, authors: authors).0
            let curve = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits, exact: model.n <= 10,
                                               samples: samples, seed: seed + 50 + UInt64(s), progress: ctx.progress)
            // errors of the concatenated values: delete-one-replicate jackknife (block b of the concatenation is replicate
            // b, and the replicates are independent)
            let left = try BlockJackknife.leaveOneBlockOut(count: T * reps, blocks: reps) { idx -> PartitionGap in
                PartitionGap(model: try Shared.redundancy(cat.selectingRows(idx), elementDimension: 2, authors: authors).0, groups: sys.1)
            }
            let catErr = (BlockJackknife.errorFrom(leaveOut: left.map(\.difference)), BlockJackknife.errorFrom(leaveOut: left.map(\.between)))
            results.append(SystemResult(gaps: gaps, concat: PartitionGap(model: model, groups: sys.1), concatError: catErr, tau: tau, curve: curve, T: T))
            series.append(Shared.curveSeries(sys.0, curve))
        }
        for (s, sys) in systems.enumerated() {
            let r = results[s], key = sys.0.replacingOccurrences(of: "+", with: "_")
            let diff = ReplicateMean.unitPull(r.gaps.map(\.difference))
            let between = ReplicateMean.unitPull(r.gaps.map(\.between))
            let weighting = ReplicateMean.unitPull(r.gaps.map(\.weighting))
            let whole = ReplicateMean.unitPull(r.gaps.map(\.whole))
            let ess = r.tau.effectiveSamples(r.T)
            let name = "collective.rep_\(tag)_"
            // tolerances: three stated errors, as accept would set them
            out.values.append(Scalar(name + "diff_\(key)", diff.mean, error: diff.error, significantFigures: 2, tolerance: .absolute(3 * diff.error)))
            out.values.append(Scalar(name + "between_\(key)", between.mean, error: between.error, significantFigures: 2, tolerance: .absolute(3 * between.error)))
            out.values.append(Scalar(name + "weighting_\(key)", weighting.mean, error: weighting.error, significantFigures: 2, tolerance: .absolute(3 * weighting.error)))
            out.values.append(Scalar(name + "diffcat_\(key)", r.concat.difference, error: r.concatError.difference, significantFigures: 2))
            out.values.append(Scalar(name + "betweencat_\(key)", r.concat.between, error: r.concatError.between, significantFigures: 2))
            out.values.append(Scalar(name + "tau_\(key)", r.tau.tau, significantFigures: 3, tolerance: .relative(0.3)))
            out.values.append(Scalar(name + "ess_\(key)", ess, significantFigures: 3, tolerance: .relative(0.3)))
            out.values.append(Scalar(name + "esstotal_\(key)", ess * Double(reps), significantFigures: 3, tolerance: .relative(0.3)))
            out.values.append(Scalar(name + "peakcat_\(key)", Double(r.curve.peak), significantFigures: 2, tolerance: .absolute(0)))
            if !longRuns.isEmpty {
                // velocity columns of the long run about their symmetric mean 0; the agents of a group move together, so
                // the error counts one series of T samples per group (the groups are simulated independently)
                let d = longRuns[s]
                let t = IntegratedAutocorrelation(series: (0..<d.cols).map { c in (0..<d.rows).map { d[$0, c] } }, mean: 0)
                let err = t.truncated ? nil : t.error(independentSamples: d.rows * sys.1.count)
                out.values.append(Scalar(name + "taulong_\(key)", t.tau, error: err, significantFigures: 3))
                out.values.append(Scalar(name + "taulong_closed_\(key)", t.truncated ? 0 : 1, significantFigures: 1, tolerance: .absolute(0)))
                out.values.append(Scalar(name + "esslong_\(key)", Double(r.T) / t.tau, error: err.map { Double(r.T) / t.tau * $0 / t.tau },
                                         significantFigures: 3))
                longRows.append([sys.0, "\(d.rows)", String(format: "%.0f ± %.0f%@", t.tau, err ?? .nan, t.truncated ? " (lower bound)" : ""),
                                 "\(t.window)", String(format: "%.1f", Double(r.T) / t.tau), String(format: "%.0f", Double(r.T * reps) / t.tau)])
            }
            let pm: ((mean: Double, error: Double)) -> String = { String(format: "%.4f ± %.4f", $0.mean, $0.error) }
            rows.append([sys.0, "\(reps) × \(r.T)", String(format: "%.0f%@", r.tau.tau, r.tau.truncated ? " (lower bound)" : ""),
                         String(format: "%.1f", ess), String(format: "%.0f", ess * Double(reps)), pm(whole), pm(weighting), pm(between), pm(diff),
                         String(format: "%+.4f ± %.4f", r.concat.difference, r.concatError.difference), String(format: "%.4f ± %.4f", r.concat.between, r.concatError.between), "\(r.curve.peak)"])
        }
        out.tables.append(Table(id: "replicates-\(tag)", caption: "η = \(q.noise): \(reps) independent replicate runs per system. τ_int in samples (Δt_s = \(q.sampleInterval)), pooled over the velocity components of all agents and replicates; ESS = T/τ_int per replicate. Per-replicate means ± error over replicates of r(S), the weighting term (1/k)Σr(G_g) − Σw_g r(G_g), the between-group term B, and r̄_true − r(S) = weighting − B; then r̄_true − r(S), B (± delete-one-replicate jackknife) and the peak of best r̄ vs m on the \(reps) replicates concatenated.",
                                columns: ["system", "replicates × samples", "τ_int", "ESS / replicate", "ESS total", "r(S)", "weighting", "between B", "r̄_true − r(S)", "concatenated: r̄_true − r(S)", "concatenated: B", "concatenated: peak m"], rows: rows))
        if !longRows.isEmpty {
            out.tables.append(Table(id: "tau-long-\(tag)", caption: "η = \(q.noise): τ_int (samples) from one run of \(Int(tauDuration)) time units per system (Sokal window W, c = 5, pooled over all velocity components about 0; ± Madras–Sokal error counting one series per group), and the effective samples it gives one replicate of \(results[0].T) samples and all \(reps).",
                                    columns: ["system", "samples", "τ_int", "W", "ESS / replicate", "ESS total"], rows: longRows))
        }
        out.figures.append(Figure(id: "replicates-\(tag)", caption: "Best r̄ versus m on \(reps) concatenated replicates (η = \(q.noise), \(inits) initialisations per m).",
                                  altText: "Best average redundancy against number of components for the four multi-group systems on concatenated replicate data.",
                                  panels: [Panel(title: "concatenated replicates, η = \(q.noise)", xLabel: "number of components m", yLabel: "best r̄", series: series)]))
        out.notes.append("η = \(q.noise), \(reps) replicates of \(Int(q.duration)) time units each, \(inits) initialisations per m, seed \(seed)")
        return out
    }
}
