import Foundation
import Numerics
import AnalysisKit

/// `geometry.denoiser`: learned (denoising score matching) estimates of G and the MI on the ring versus training-set size (item 3).
enum DenoiserAnalysis {
    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let sizes = try p.ints("sizes", default: [250, 1000, 4000, 16000])
        let steps = try p.int("steps", default: 10000, range: 1...1_000_000)
        let batch = try p.int("batch", default: 256, range: 1...65536)
        let hidden = try p.int("hidden", default: 64, range: 2...4096)
        let lr = try p.double("learning_rate", default: 5e-3, range: 1e-6...1)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let replicates = try p.int("replicates", default: 2, range: 1...64)
        let oraclePatterns = try p.int("oracle_patterns", default: 4000, range: 10...1_000_000)
        try p.rejectUnused()
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else {
            throw ParameterError(key: "sizes", line: p.entries["sizes"]?.line, message: "need a non-empty list of positive training-set sizes")
        }
        var o = RingOracle(); o.patterns = oraclePatterns; o.seed = UInt64(seed) + 1000
        o.modes = 63; o.quadrature = LogGammaQuadrature(lowest: 1e-5, highest: 60, intervals: 120)
        let oracle = try o.run()
        let stride = 4
        let gridIdx = Array(Swift.stride(from: 0, to: oracle.grid.count, by: stride))
        let grid = gridIdx.map { oracle.grid[$0] }, gOracle = gridIdx.map { oracle.metric[$0] }

        // Every (size, replicate) pair trains its own networks from its own seed; results go to preallocated slots.
        let tasks = sizes.count * replicates
        var results = [RingDenoiserEstimator.Result?](repeating: nil, count: tasks)
        var failure: Error?
        let lock = NSLock()
        let root = Xoshiro256(seed: UInt64(seed))
        DispatchQueue.concurrentPerform(iterations: tasks) { task in
            var e = RingDenoiserEstimator()
            e.trainingSize = sizes[task / replicates]; e.steps = steps; e.batchSize = batch; e.hidden = hidden; e.learningRate = Float(lr)
            var c = root.child(task); e.seed = c.next()
            do {
                let r = try e.run(metricGrid: grid, progress: ctx.progress)
                lock.lock(); results[task] = r; lock.unlock()
            } catch { lock.lock(); failure = error; lock.unlock() }
        }
        if let failure { throw failure }
        let all = results.compactMap { $0 }
        let mi = oracle.miKL.mean
        func relRMS(_ g: [Double]) -> Double {
            (zip(g, gOracle).reduce(0) { $0 + pow(($1.0 - $1.1) / $1.1, 2) } / Double(g.count)).squareRoot()
        }
        /// Per size: mean over replicates, its error (Monte Carlo and training spread), replicate-averaged G and integrand.
        struct Summary { let size: Int; let mi: Double; let error: Double; let spread: Double; let values: [Double]; let metric: [Double]; let integrand: [Double]; let gammas: [Double]; let seconds: Double; let lossC: Double; let lossU: Double }
        var res = [Summary]()
        for (si, size) in sizes.enumerated() {
            let group = Array(all[(si * replicates)..<((si + 1) * replicates)])
            let vals = group.map(\.mi)
            let mean = vals.reduce(0, +) / Double(replicates)
            let sd = replicates > 1 ? (vals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(replicates - 1)).squareRoot() : 0
            let mc = (group.reduce(0) { $0 + $1.miError * $1.miError }).squareRoot() / Double(replicates)
            let err = (mc * mc + sd * sd / Double(replicates)).squareRoot()
            let avg: ([[Double]]) -> [Double] = { rows in (0..<rows[0].count).map { j in rows.reduce(0) { $0 + $1[j] } / Double(rows.count) } }
            res.append(Summary(size: size, mi: mean, error: err, spread: sd, values: vals, metric: avg(group.map(\.metric)),
                               integrand: avg(group.map(\.integrand)), gammas: group[0].gammas,
                               seconds: group.reduce(0) { $0 + $1.trainingSeconds } / Double(replicates),
                               lossC: group.reduce(0) { $0 + $1.finalLossConditional } / Double(replicates),
                               lossU: group.reduce(0) { $0 + $1.finalLossUnconditional } / Double(replicates)))
        }
        var values: [Scalar] = [Scalar("geometry.dsm_oracle_mi", mi, error: oracle.miKL.error, significantFigures: 4, unit: "nats")]
        var rows = [[String]]()
        for r in res {
            let err = relRMS(r.metric)
            rows.append([String(r.size), String(format: "%.3f ± %.3f", r.mi, r.error), r.values.map { String(format: "%.3f", $0) }.joined(separator: ", "),
                         String(format: "%+.1f %%", 100 * (r.mi - mi) / mi),
                         String(format: "%.1f %%", 100 * err), String(format: "%.3f", r.lossC),
                         String(format: "%.3f", r.lossU)])
            values.append(Scalar("geometry.dsm_mi_\(r.size)", r.mi, error: r.error, significantFigures: 3, unit: "nats", tolerance: .absolute(0.1)))
            values.append(Scalar("geometry.dsm_spread_\(r.size)", r.spread, significantFigures: 2, unit: "nats", tolerance: .absolute(0.1)))
            values.append(Scalar("geometry.dsm_Gerr_\(r.size)", 100 * err, significantFigures: 2, unit: "%", tolerance: .absolute(5)))
        }
        let table = Table(id: "dsm-vs-size", caption: "Learned estimator on the ring (\(steps) Adam steps of \(batch) samples, learning rate \(lr) with cosine decay, two tanh MLPs with \(hidden)-unit hidden layers) versus the number of (x, r) training pairs; \(replicates) independently seeded trainings per size, whose mean is reported with an error combining the Monte Carlo error of the γ integral and the spread between trainings. Oracle: I(R;X) = \(String(format: "%.3f", mi)) nats. G error: RMS relative deviation of the replicate-averaged learned tr G(x) from the oracle on \(grid.count) points.",
                          columns: ["training pairs", "MI (nats), mean", "replicates", "mean vs oracle", "G error", "final loss cond.", "final loss uncond."], rows: rows)
        let fig1 = Figure(id: "dsm-mi-vs-size", caption: "Mutual information from the learned denoisers versus training-set size (mean of the replicate trainings ± its error), with the exact value.",
                          altText: "Estimated MI against training-set size on a log axis, below the horizontal oracle line.",
                          panels: [Panel(title: "I(R;X) from denoisers", xLabel: "training pairs", yLabel: "nats", logX: true, series: [
                            Series(label: "denoisers", style: .errorBars, x: res.map { Double($0.size) }, y: res.map(\.mi), yError: res.map(\.error)),
                            Series(label: "oracle", style: .lines, x: [Double(sizes.min()!) / 1.5, Double(sizes.max()!) * 1.5], y: [mi, mi])])],
                          panelWidth: 520, panelHeight: 360)
        var gSeries = [Series(label: "oracle", style: .lines, x: oracle.grid, y: oracle.metric)]
        for r in res { gSeries.append(Series(label: "n = \(r.size)", style: .linesPoints, x: grid, y: r.metric)) }
        let perLog = zip(oracle.lossRate, oracle.gammas).map { $0 * $1 }
        var iSeries = [Series(label: "oracle", style: .lines, x: oracle.gammas, y: perLog)]
        for r in res { iSeries.append(Series(label: "n = \(r.size)", style: .linesPoints, x: r.gammas, y: r.integrand)) }
        let fig2 = Figure(id: "dsm-metric", caption: "Learned tr G(x) (left) and MI integrand per unit ln γ (right) for each training-set size, against the oracle.",
                          altText: "Learned metric curves scattered around the oracle metric curve, and learned MI integrands against the oracle integrand.",
                          panels: [Panel(title: "tr G(x)", xLabel: "x (rad)", yLabel: "tr G", xRange: [-Double.pi, Double.pi], series: gSeries),
                                   Panel(title: "MI integrand", xLabel: "γ", yLabel: "½ γ E J_γ", logX: true, xRange: [1e-4, 50], series: iSeries)],
                          columns: 2, panelWidth: 460, panelHeight: 340)
        return AnalysisOutput(tables: [table], figures: [fig1, fig2], values: values,
                              notes: ["geometry.denoiser: sizes \(sizes), \(steps) steps × \(batch), learning rate \(lr), hidden \(hidden), \(replicates) replicates, seed \(seed); oracle with \(oraclePatterns) patterns"])
    }
}
