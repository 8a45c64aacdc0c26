import Foundation
import Numerics
import AnalysisKit

/// collective.fig4: assignment matrix over iterations and a snapshot coloured by component (three groups, 5/10/20).
enum Fig4Analysis {
    static let descriptor = AnalysisDescriptor(name: "collective.fig4",
        summary: "Assignment matrix over iterations and a positions/velocities snapshot coloured by component") { ctx in
        let p = ctx.parameters
        let q = try Shared.flocking(p)
        let inits = try p.int("initialisations", default: 100, range: 1...10000)
        let m = try p.int("components", default: 3, range: 1...20)
        let samples = try p.int("samples", default: 20, range: 1...10000)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let snapshots = try p.ints("snapshots", default: [0, 5, 20, 200])
        let reps = try p.int("replicates", default: 8, range: 5...50)
        try p.rejectUnused()
        // Iteration indices into the recorded history: a negative one would index before its start (no bounds check in
        // the -Ounchecked build); indices past the last iteration are skipped below.
        if let bad = snapshots.first(where: { $0 < 0 }) {
            throw ParameterError(key: "snapshots", line: p.entries["snapshots"]?.line, message: "iterations must be ≥ 0, got \(bad)")
        }
        let groups = [5, 10, 20]
        let (model, trajs) = try Shared.model(groups: groups, q: q, positions: false, seed: seed * 1000 + 6)
        let comp = RedundancyCompressor(model: model, tabulate: false)
        var s = CompressionSettings(components: m)
        s.method = .monteCarlo(samples: samples)
        let best = comp.best(s, initialisations: inits, seed: seed)
        // rerun the winning start with its history recorded (same child stream → same run)
        let index = best.scores.firstIndex(of: best.best.hardAverageRedundancy)!
        var rng = Xoshiro256(seed: seed).child(index)
        let start = RedundancyCompressor.randomAssignment(n: model.n, m: m, rng: &rng)
        s.recordHistory = true; s.tolerance = 0
        let run = comp.run(s, initial: start, rng: &rng)
        var groupOf: [Int] = []
        for (g, sz) in groups.enumerated() { groupOf += Array(repeating: g, count: sz) }
        var out = AnalysisOutput()
        let agree = labelAgreement(labels: run.labels, groups: groupOf)
        // which local optimum wins is a discrete outcome of the random starts: wide tolerance
        out.values.append(Scalar("collective.fig4_agreement", agree, significantFigures: 2, tolerance: .absolute(0.3)))
        // error of one run: the winning partition scored on replicates of the three-group system (Fig. 3 system 6)
        let others = ReplicateRuns.data(systems: [(6, groups)], replicates: reps, seed: seed, parameters: q)
        let rbarErr = ReplicateMean.singleRunError(others: try others.map { Shared.score(try GaussianRedundancy(samples: $0[0], elementDimension: 2), labels: run.labels, m: m) })
        out.values.append(Scalar("collective.fig4_rbar", run.hardAverageRedundancy, error: rbarErr, significantFigures: 3))
        // first iteration after which the hard labels never change
        let labelsAt: ([Double]) -> [Int] = { a in (0..<model.n).map { i in (0..<m).max { a[i * m + $0] < a[i * m + $1] }! } }
        var stable = run.history.count - 1
        while stable > 0 && labelsAt(run.history[stable - 1]) == run.labels { stable -= 1 }
        out.values.append(Scalar("collective.fig4_stable_iteration", Double(stable), significantFigures: 2, tolerance: .absolute(20)))
        var panels: [Panel] = []
        // order components by their mean true group so colours read naturally
        for t in snapshots where t < run.history.count {
            let a = run.history[t]
            panels.append(Panel(title: "iteration \(t)", xLabel: "component j", yLabel: "element i",
                                heatmap: Heatmap(values: (0..<model.n).map { i in (0..<m).map { a[i * m + $0] } },
                                                 rowLabels: (0..<model.n).map { "\($0)" }, columnLabels: (0..<m).map { "\($0 + 1)" },
                                                 colorRange: .fixed(low: 0, high: 1), colorGroup: "assignment", colorLabel: "p(j|i)")))
        }
        out.figures.append(Figure(id: "fig4-assign", caption: "Assignment matrix p(j|i) of the best of \(inits) starts at selected iterations (elements 0–4, 5–14, 15–34 are the true groups of 5, 10, 20), on one colour scale from 0 to 1 shared by all panels.",
                                  altText: "Heatmaps of the assignment matrix at several iterations, hardening into three blocks.",
                                  panels: panels, columns: panels.count, panelWidth: 260, panelHeight: 420))
        // snapshot: positions (wrapped to the box, groups simulated in separate boxes) and velocities at one sample
        let sample = trajs[0].samples / 2
        let arrowLength = 2.5
        var posSeries: [Series] = [], velSeries: [Series] = []
        for j in 0..<m {
            var xs: [Double] = [], ys: [Double] = [], vxs: [Double] = [], vys: [Double] = []
            var e = 0
            for t in trajs {
                for a in 0..<t.agents {
                    if run.labels[e] == j {
                        let k = sample * t.agents + a
                        xs.append(t.x[k] - q.boxSize * (t.x[k] / q.boxSize).rounded(.down))
                        ys.append(t.y[k] - q.boxSize * (t.y[k] / q.boxSize).rounded(.down))
                        vxs.append(t.vx[k]); vys.append(t.vy[k])
                    }
                    e += 1
                }
            }
            if !xs.isEmpty {
                // one colour per component in both panels; arrows: the heading, drawn `arrowLength` box units long
                let color = Palette.categorical[j % Palette.categorical.count]
                posSeries.append(Series(label: "component \(j + 1)", style: .points, x: xs, y: ys, color: color))
                posSeries.append(.vectors(label: "", x: xs, y: ys, dx: vxs.map { $0 * arrowLength / q.speed },
                                          dy: vys.map { $0 * arrowLength / q.speed }, color: color))
                velSeries.append(.vectors(label: "component \(j + 1)", x: vxs.map { _ in 0 }, y: vys.map { _ in 0 }, dx: vxs, dy: vys, color: color))
            }
        }
        out.figures.append(Figure(id: "fig4-snapshot", caption: "One time point, coloured by assigned component: positions (each group in its own periodic box, overlaid) with arrows along each agent's velocity (\(Shared.fmt(arrowLength, 1)) box units per unit speed), and the velocity vectors themselves drawn from the origin.",
                                  altText: "Positions with velocity arrows, and velocity vectors from the origin, coloured by component.",
                                  panels: [Panel(title: "positions", xLabel: "x", yLabel: "y", xRange: [0, q.boxSize], yRange: [0, q.boxSize], series: posSeries),
                                           Panel(title: "velocities", xLabel: "v_x", yLabel: "v_y", xRange: [-1.1, 1.1], yRange: [-1.1, 1.1], series: velSeries)],
                                  columns: 2, panelWidth: 420, panelHeight: 400))
        out.notes.append("η = \(q.noise), m = \(m), \(inits) initialisations, winning start \(index), seed \(seed)")
        return out
    }
}

/// collective.fig5: real zebrafish trajectories (Savitzky–Golay velocities, gaps removed) — best r̄ vs m.
enum Fig5Analysis {
    static let files = ["fish/zebrafish_8_trajectories.npy", "fish/zebrafish_15_trajectories.npy", "fish/zebrafish_100_test_trajectories.npy"]
    /// Value-name keys of the three paper recordings.
    static let keys = ["n8", "n15", "n100"]
    static let descriptor = AnalysisDescriptor(name: "collective.fig5",
        summary: "Zebrafish groups (8, 15, 100 tracked): best r̄ vs number of components, and a 15-fish snapshot", datasets: files) { ctx in
        let p = ctx.parameters
        let inits = try p.int("initialisations", default: 100, range: 1...10000)
        let maxM = try p.int("max_components", default: 10, range: 1...20)
        let samples = try p.int("samples", default: 20, range: 1...10000)
        let maxFish = try p.int("max_fish", default: 40, range: 3...64)
        let exactLimit = try p.int("exact_up_to", default: 10, range: 0...15)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let recordings = try Shared.fishRecordings(ctx)
        try p.rejectUnused()
        let sg = try SavitzkyGolay(window: 7, order: 3)
        var out = AnalysisOutput()
        var series: [Series] = [], rows: [[String]] = []
        var snapshot: Figure?
        for (k, (key, id, url)) in recordings.enumerated() {
            let fish = try FishVelocities(url: url, filter: sg, minimumSamples: 150, maxAnimals: maxFish)
            let model = try GaussianRedundancy(samples: fish.data, elementDimension: 2)
            let curve = ComponentCurve.compute(model: model, maxComponents: maxM, initialisations: inits,
                                               exact: model.n <= exactLimit, samples: samples, seed: seed + UInt64(k), progress: ctx.progress)
            series.append(Shared.curveSeries("\(fish.totalAnimals) tracked (\(fish.animals.count) used)", curve))
            out.values.append(Scalar("collective.fig5_\(key)_samples", Double(fish.frames.count), significantFigures: 4, tolerance: .absolute(0)))
            out.values.append(Scalar("collective.fig5_\(key)_fish", Double(fish.animals.count), significantFigures: 3, tolerance: .absolute(0)))
            out.values.append(Scalar("collective.fig5_\(key)_peak", Double(curve.peak), significantFigures: 2, tolerance: .absolute(1)))
            // errors: delete-one-block jackknife over time, blocks ≥ 5 τ_int (velocity autocorrelation) long
            let T = fish.data.rows
            let tau = IntegratedAutocorrelation(columnsOf: fish.data)
            var r1Err: Double?, rmaxErr: Double?, blocks = 0
            if let K = BlockJackknife.blocks(samples: T, tau: tau.tau) {
                blocks = K
                let bestIndex = curve.best.indices.max { curve.best[$0] < curve.best[$1] || (curve.best[$0] == curve.best[$1] && $0 > $1) }!
                let bestLabels = curve.results[bestIndex].labels
                let both = try BlockJackknife.leaveOneBlockOut(count: T, blocks: K) { idx -> [Double] in
                    let g = try GaussianRedundancy(samples: fish.data.selectingRows(idx), elementDimension: 2)
                    return [g.relativeRedundancy(Array(0..<g.n)), Shared.score(g, labels: bestLabels, m: bestIndex + 1)]
                }
                r1Err = BlockJackknife.errorFrom(leaveOut: both.map { $0[0] })
                rmaxErr = BlockJackknife.errorFrom(leaveOut: both.map { $0[1] })
            }
            out.values.append(Scalar("collective.fig5_\(key)_tau", tau.tau, significantFigures: 2, tolerance: .relative(0.1)))
            // how many τ_int the kept samples span, and how many samples 4 blocks of 5 τ_int would need
            out.values.append(Scalar("collective.fig5_\(key)_spans", Double(T) / tau.tau, significantFigures: 2, tolerance: .relative(0.1)))
            out.values.append(Scalar("collective.fig5_\(key)_needed", Double(BlockJackknife.minimumSamples(tau: tau.tau)), significantFigures: 3, tolerance: .relative(0.1)))
            out.values.append(Scalar("collective.fig5_\(key)_frames", Double(fish.totalFrames), significantFigures: 4, tolerance: .absolute(0)))
            out.values.append(Scalar("collective.fig5_\(key)_blocks", Double(blocks), significantFigures: 2, tolerance: .absolute(0)))
            out.values.append(Scalar("collective.fig5_\(key)_r1", curve.best[0], error: r1Err, significantFigures: 3))
            out.values.append(Scalar("collective.fig5_\(key)_rmax", curve.best.max()!, error: rmaxErr, significantFigures: 3))
            rows.append([id, "\(fish.totalFrames)", String(format: "%.1f%%", 100 * fish.missingFraction), "\(fish.animals.count)/\(fish.totalAnimals)",
                         "\(fish.frames.count)", model.n <= exactLimit ? "exact" : "Monte Carlo", "\(curve.peak)"] + curve.best.map { Shared.fmt($0, 3) })
            if key == "n15" {
                let labels = curve.results[curve.peak - 1].labels
                let frameIdx = [fish.frames.count / 4, fish.frames.count / 2, 3 * fish.frames.count / 4]
                let arrowFrames = 10.0   // arrows: the displacement over this many frames at the current velocity
                var ps: [Series] = []
                for (c, j) in Set(labels).sorted().enumerated() {
                    var xs: [Double] = [], ys: [Double] = [], us: [Double] = [], ws: [Double] = []
                    for s in frameIdx {
                        for (e, l) in labels.enumerated() where l == j {
                            xs.append(fish.positions[s, 2 * e]); ys.append(fish.positions[s, 2 * e + 1])
                            us.append(fish.data[s, 2 * e] * arrowFrames); ws.append(fish.data[s, 2 * e + 1] * arrowFrames)
                        }
                    }
                    let color = Palette.categorical[c % Palette.categorical.count]
                    ps.append(Series(label: "component \(j + 1)", style: .points, x: xs, y: ys, color: color))
                    ps.append(.vectors(label: "", x: xs, y: ys, dx: us, dy: ws, color: color))
                }
                snapshot = Figure(id: "fig5-snapshot", caption: "15 zebrafish at three time points (frames \(frameIdx.map { fish.frames[$0] })), coloured by component at the peak m = \(curve.peak); arrows: velocity × \(Int(arrowFrames)) frames.",
                                  altText: "Positions of 15 fish at three times coloured by component.",
                                  panels: [Panel(title: "15 fish, m = \(curve.peak)", xLabel: "x (px)", yLabel: "y (px)", series: ps)],
                                  panelWidth: 480, panelHeight: 420)
            }
        }
        out.figures.append(Figure(id: "fig5", caption: "Best average component redundancy versus number of components for the zebrafish recordings (velocities from a Savitzky–Golay filter, order 3, window 7; only frames where every retained fish has a complete 7-frame window).",
                                  altText: "Best average redundancy against number of components for three fish groups.",
                                  panels: [Panel(title: "zebrafish", xLabel: "number of components m", yLabel: "best r̄", series: series)]))
        if let snapshot { out.figures.append(snapshot) }
        out.tables.append(Table(id: "fig5-table", caption: "Fish data after gap handling, and best r̄ per m",
                                columns: ["file", "frames", "NaN", "fish used", "complete samples", "Δd", "peak m"] + (1...maxM).map { "m=\($0)" }, rows: rows))
        out.notes.append("\(inits) initialisations per m, Monte Carlo samples \(samples), at most \(maxFish) fish, seed \(seed)")
        return out
    }
}
