import AnalysisKit
import Foundation
import Numerics

extension RINEAnalyses {
    /// The paper's Fig. 3 (β = 50): redundancy (bits) between the 100 ms windows starting 50, 150, 250 and 350 ms after
    /// target onset, row = first source, as printed (the matrix is not symmetric: each ordered pair was trained once).
    static let paperFig3: [[Double]] = [[2.58, 2.30, 2.10, 1.89], [2.29, 2.63, 2.24, 2.05], [2.16, 2.26, 2.55, 1.97], [1.83, 2.07, 1.99, 2.20]]

    /// How the two sources of a premotor cell are built.
    enum PremotorCondition: Int, CaseIterable {
        /// The simulation as it is: the plan deviation is shared across windows (AR(1), correlation ρ per window).
        case shared
        /// Control 1: the same neurons, the deviation drawn afresh in every window (ρ = 0).
        case independent
        /// Control 2: the shared-plan data, source 2 taken from another trial of the same target (`TargetShuffle`).
        case shuffled

        var tag: String { ["", "_indep", "_shuffle"][rawValue] }
        var label: String { ["shared plan variability (ρ per window)", "no shared plan variability (ρ = 0)", "target-conditioned shuffle of source 2"][rawValue] }
    }

    /// The decoders and optimiser of the authors' time-window runs (`scripts/generate_redundant_commands.py`, neural time
    /// analysis; `SimpleNet` of `models.py`: one hidden layer of 8 units with batch normalisation): SGD with momentum 0.9,
    /// learning rate 0.01 · 0.97^epoch (`--slow`), weight decay 0.0005, batch 10, β = 50 on the schedule β(1 − 0.97^e).
    static func premotorConfig(_ p: Parameters) throws -> RINEConfig {
        try decoderConfig(p, defaults: DecoderDefaults(learningRate: 0.01, lrDecay: 0.97, momentum: 0.9, weightDecay: 0.0005,
                                                       epochs: 100, batch: 10, beta: 50, gamma: 0.97, hidden: [8]))
    }

    static let premotor = AnalysisDescriptor(
        name: "rine.premotor",
        summary: "Fig. 3: redundancy between time windows of a simulated premotor population in the paper's setting (97 neurons, 4 windows, 91 + 91 trials per target), two controls, and its dependence on training length",
        run: { ctx in
            let p = ctx.parameters
            var sim = PremotorSimulation()
            sim.windows = try p.int("windows", default: 4, range: 2...20)
            sim.neurons = try p.int("neurons", default: 97, range: 2...1000)
            sim.planSD = try p.double("plan_sd", default: 0.2, range: 0.01...3)
            sim.planCorrelation = try p.double("plan_correlation", default: 0.7, range: 0...0.99)
            let trialsPerTarget = try p.int("trials_per_target", default: 91, range: 5...10_000)
            let replicates = try p.int("replicates", default: 3, range: 2...100)
            let controls = try p.bool("controls", default: true)
            let seed = try p.int("seed", default: 6)
            let config = try premotorConfig(p)
            let readoutEpoch = try p.int("readout_epoch", default: 50, range: 1...10_000)
            guard readoutEpoch <= config.epochs else {
                throw RINEParameterChecks.error(p, "readout_epoch", "must not exceed epochs (\(config.epochs)), got \(readoutEpoch)")
            }
            let conditions: [PremotorCondition] = controls ? PremotorCondition.allCases : [.shared]
            // Per replicate: training and test sets of both simulations, each windows × neurons × 8 × trials per target.
            try RINEParameterChecks.checkSize(p, "trials_per_target", entries: sim.windows * sim.neurons * 8 * trialsPerTarget * 2 * (controls ? 2 : 1),
                                              what: "one replicate's simulated counts (windows × neurons × 8 targets × trials per target, training and test\(controls ? ", both simulations" : ""))")
            try p.rejectUnused()

            // Per replicate: one population (tuning), independent training and test sets of 8 × trials_per_target trials
            // each (the paper's 91 + 91 per target), the ρ = 0 control on the same neurons, and the shuffles of source 2.
            let root = Xoshiro256(seed: UInt64(seed))
            var indepSim = sim
            indepSim.planCorrelation = 0
            struct Replicate { let tuning: PremotorSimulation.Tuning; let sets: [[(x: [Matrix<Float>], y: [Int])]]; let shuffle: [[Int]] }
            let reps: [Replicate] = (0..<replicates).map { r in
                let rr = root.child(r)
                var g = rr.child(0)
                let tuning = sim.tuning(rng: &g)
                func draw(_ s: PremotorSimulation, _ k: Int) -> (x: [Matrix<Float>], y: [Int]) {
                    var rng = rr.child(k)
                    return s.simulate(trialsPerTarget: trialsPerTarget, tuning: tuning, rng: &rng)
                }
                let shared = [draw(sim, 1), draw(sim, 2)]
                let indep = controls ? [draw(indepSim, 3), draw(indepSim, 4)] : []
                let shuffle = controls ? (0..<2).map { k -> [Int] in var rng = rr.child(5 + k); return TargetShuffle.permutation(shared[k].y, rng: &rng) } : []
                return Replicate(tuning: tuning, sets: [shared, indep], shuffle: shuffle)
            }
            let W = sim.windows
            let cells = (0..<W).flatMap { a in (a..<W).map { (a, $0) } }
            struct Job { let condition: PremotorCondition; let replicate: Int; let a: Int; let b: Int }
            let jobs = conditions.flatMap { c in (0..<replicates).flatMap { r in cells.map { Job(condition: c, replicate: r, a: $0.0, b: $0.1) } } }
            let done = Counter()
            // Per job: the test I∩ after every epoch, then D and both decoders' cross-entropies at the readout epoch.
            let out = Parallel.map(jobs.count) { j -> (curve: [Double], distance: Double, ce: [Double]) in
                let job = jobs[j], rep = reps[job.replicate]
                func set(_ part: Int) -> (x: [Matrix<Float>], y: [Int]) {
                    let d = rep.sets[job.condition == .independent ? 1 : 0][part]
                    let second = job.condition == .shuffled ? d.x[job.b].selectingRows(rep.shuffle[part]) : d.x[job.b]
                    return ([d.x[job.a], second], d.y)
                }
                let test = set(1)
                // The same initialisation and batch order in every condition: the conditions are paired.
                var rng = root.child(1_000_000 + job.replicate * 10_000 + job.a * 100 + job.b)
                let r = RINETrainer(config: config).run(train: set(0), test: test, classes: 8, entropyY: RINEReadout.labelEntropy(test.y), rng: &rng)
                let k = done.increment()
                if k % 10 == 0 { ctx.progress("\(k)/\(jobs.count) trainings") }
                let at = r.readout(atEpoch: readoutEpoch - 1)
                return (r.history.map(\.0), at.distance, at.crossEntropies)
            }
            func job(_ c: PremotorCondition, _ r: Int, _ a: Int, _ b: Int) -> Int {
                jobs.firstIndex { $0.condition == c && $0.replicate == r && $0.a == min(a, b) && $0.b == max(a, b) }!
            }
            // Per replicate, the mean over the cells |a − b| = lag of I∩ at epoch e (1-based).
            func lagMean(_ c: PremotorCondition, _ r: Int, lag: Int, epoch e: Int) -> Double {
                Stats.mean((0..<(W - lag)).map { a in out[job(c, r, a, a + lag)].curve[e - 1] })
            }
            func lagSummary(_ c: PremotorCondition, lag: Int, epoch e: Int) -> (mean: Double, error: Double, sd: Double) {
                SeedSpread.summary((0..<replicates).map { lagMean(c, $0, lag: lag, epoch: e) })
            }
            // The decline with distance: adjacent windows (lag 1) minus the most distant pair (lag W − 1), paired per replicate.
            func decline(_ c: PremotorCondition, _ r: Int, epoch e: Int) -> Double { lagMean(c, r, lag: 1, epoch: e) - lagMean(c, r, lag: W - 1, epoch: e) }
            func declineSummary(_ c: PremotorCondition, epoch e: Int) -> (mean: Double, error: Double, sd: Double) {
                SeedSpread.summary((0..<replicates).map { decline(c, $0, epoch: e) })
            }
            func fmt(_ s: (mean: Double, error: Double, sd: Double)) -> String { String(format: "%.2f ± %.2f", s.mean, s.error) }
            func tol(_ e: Double) -> Tolerance { .absolute(max(0.1, 3 * e)) }

            // The simulation's Shannon information per window (true-model Bayes decoder on the test trials), per replicate.
            let perWindow = Parallel.map(replicates * W) { k -> Double in
                let rep = reps[k / W]
                return sim.bayesInformation(counts: rep.sets[0][1].x[k % W], y: rep.sets[0][1].y, tuning: rep.tuning)
            }
            let bayes = SeedSpread.summary((0..<replicates).map { r in Stats.mean(Array(perWindow[(r * W)..<((r + 1) * W)])) })
            var values = [Scalar("rine.premotor_bayes", bayes.mean, error: bayes.error, significantFigures: 3, unit: "bits", tolerance: .absolute(max(0.02, 3 * bayes.error)))]
            let maxLag = W - 1
            let lagName = ["diag"] + (1...maxLag).map { "lag\($0)" }
            for c in conditions {
                for lag in 0...maxLag {
                    let s = lagSummary(c, lag: lag, epoch: readoutEpoch)
                    values.append(Scalar("rine.premotor\(c.tag)_\(lagName[lag])", s.mean, error: s.error, significantFigures: 3, unit: "bits", tolerance: tol(s.error)))
                }
                let d = declineSummary(c, epoch: readoutEpoch)
                values.append(Scalar("rine.premotor\(c.tag)_decline", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
            }
            if controls {
                // What the shared trial-to-trial variability adds to adjacent windows: shared − shuffled, paired per replicate.
                for lag in [0, 1] {
                    let d = SeedSpread.summary((0..<replicates).map { lagMean(.shared, $0, lag: lag, epoch: readoutEpoch) - lagMean(.shuffled, $0, lag: lag, epoch: readoutEpoch) })
                    values.append(Scalar("rine.premotor_\(lagName[lag])_minus_shuffle", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
                }
                let d = SeedSpread.summary((0..<replicates).map { lagMean(.independent, $0, lag: 1, epoch: readoutEpoch) - lagMean(.shuffled, $0, lag: 1, epoch: readoutEpoch) })
                values.append(Scalar("rine.premotor_indep_minus_shuffle_lag1", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
            }
            // Training length: the same trainings read after every epoch (the learning rate and β schedules depend on the epoch
            // only, so a run of E epochs is the first E epochs of a longer one).
            let checkpoints = Array(Set([5, 10, 20, 30, 50, 75, 100, 150, 200, 300, readoutEpoch, config.epochs].filter { $0 <= config.epochs })).sorted()
            for e in checkpoints where e != readoutEpoch {
                let d = declineSummary(.shared, epoch: e), g = lagSummary(.shared, lag: 0, epoch: e), a = lagSummary(.shared, lag: 1, epoch: e)
                values.append(Scalar("rine.premotor_decline_e\(e)", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
                values.append(Scalar("rine.premotor_diag_e\(e)", g.mean, error: g.error, significantFigures: 3, unit: "bits", tolerance: tol(g.error)))
                values.append(Scalar("rine.premotor_lag1_e\(e)", a.mean, error: a.error, significantFigures: 3, unit: "bits", tolerance: tol(a.error)))
            }

            // Tables: lags against the paper's, per cell, and against training length.
            func paperLag(_ lag: Int) -> Double? {
                guard W == 4 else { return nil }
                return Stats.mean((0..<4).flatMap { a in (0..<4).filter { abs($0 - a) == lag }.map { paperFig3[a][$0] } })
            }
            let lagRows = (0...maxLag).map { lag in
                [lag == 0 ? "same window (diagonal)" : "\(lag) window\(lag > 1 ? "s" : "") apart", paperLag(lag).map { String(format: "%.3f", $0) } ?? "–"]
                    + conditions.map { fmt(lagSummary($0, lag: lag, epoch: readoutEpoch)) }
            } + [["adjacent − \(maxLag) apart", paperLag(1).flatMap { p1 in paperLag(maxLag).map { String(format: "%.3f", p1 - $0) } } ?? "–"]
                 + conditions.map { fmt(declineSummary($0, epoch: readoutEpoch)) }]
            let setup = "\(sim.neurons) cosine-tuned Poisson neurons (rates 10–30 Hz baseline, 10–30 Hz depth), \(W) windows of 100 ms with the same tuning, plan deviation sd σ_plan = \(sim.planSD) rad, correlation ρ = \(sim.planCorrelation) between consecutive windows; \(8 * trialsPerTarget) training and \(8 * trialsPerTarget) test trials (\(trialsPerTarget) per target each), a new population and new trials in each of \(replicates) replicates; decoders \(config.hidden) + batch norm + ReLU (the authors' SimpleNet), SGD momentum \(config.momentum), lr \(config.learningRate)·\(config.learningRateDecay)^epoch, weight decay \(config.weightDecay), batch \(config.batchSize), β = \(Int(config.beta)) scheduled as β(1 − \(config.gamma)^e), read at epoch \(readoutEpoch) of \(config.epochs); I∩ = H(Y) of the test labels − mean test cross-entropy; ± t-corrected over the replicates."
            let lagTable = Table(id: "premotor-lags", caption: "Redundancy (bits) between time windows by their distance: mean over the cells of the matrix with that distance, at epoch \(readoutEpoch). Paper: the same means of the printed Fig. 3 values (β = 50, one run on the recordings). The simulation as it is, and its two controls: no shared plan variability (ρ = 0, the same neurons), and the target-conditioned shuffle (source 2 from another trial of the same target, in training and test). " + setup,
                                 columns: ["windows", "paper Fig. 3"] + conditions.map(\.label), rows: lagRows)
            var cellRows = [[String]]()
            for (a, b) in cells {
                var row = ["\(a + 1) × \(b + 1)", W == 4 ? String(format: "%.2f / %.2f", paperFig3[a][b], paperFig3[b][a]) : "–"]
                for c in conditions {
                    let v = SeedSpread.summary((0..<replicates).map { out[job(c, $0, a, b)].curve[readoutEpoch - 1] })
                    let dist = Stats.mean((0..<replicates).map { out[job(c, $0, a, b)].distance })
                    row.append(fmt(v) + String(format: " (D %.3f)", dist))
                }
                cellRows.append(row)
            }
            let cellTable = Table(id: "premotor-cells", caption: "Per cell at epoch \(readoutEpoch): I∩ (bits) ± t-corrected error over \(replicates) replicates and the test decoder distance D; the paper's value for both orders of the pair. " + setup,
                                  columns: ["windows", "paper (a×b / b×a)"] + conditions.map(\.label), rows: cellRows)
            let epochRows = checkpoints.map { e -> [String] in
                ["\(e)\(e == readoutEpoch ? " (readout)" : "")", fmt(lagSummary(.shared, lag: 0, epoch: e)), fmt(lagSummary(.shared, lag: 1, epoch: e)),
                 fmt(lagSummary(.shared, lag: maxLag, epoch: e))] + conditions.map { fmt(declineSummary($0, epoch: e)) }
            }
            let epochTable = Table(id: "premotor-epochs", caption: "Training length: the same trainings read after e epochs (the schedules depend on the epoch only, so this is what a run of e epochs returns). Diagonal, adjacent and most distant windows of the simulation as it is, and the decline adjacent − \(maxLag) apart in each condition (bits, ± t-corrected over \(replicates) replicates).",
                                   columns: ["epochs", "diagonal", "adjacent", "\(maxLag) apart"] + conditions.map { "decline, " + $0.label }, rows: epochRows)

            // Figures: the matrices at the readout epoch; the curves against training length.
            let labels = (0..<W).map { "\(50 + 100 * $0)–\(150 + 100 * $0) ms" }
            let panels = conditions.map { c -> Panel in
                let m = (0..<W).map { a in (0..<W).map { b in Stats.mean((0..<replicates).map { out[job(c, $0, a, b)].curve[readoutEpoch - 1] }) } }
                return Panel(title: c.label, xLabel: "window", yLabel: "window", heatmap: Heatmap(values: m, rowLabels: labels, columnLabels: labels, showNumbers: true))
            }
            let fig = Figure(id: "premotor", caption: "Redundant information (bits) about the target between 100 ms windows (starting 50 ms after target onset) of a simulated premotor population: \(sim.neurons) cosine-tuned Poisson neurons with the same tuning in every window, driven by the target direction plus a plan deviation (sd \(sim.planSD) rad) shared across windows with correlation \(sim.planCorrelation) per window; \(8 * trialsPerTarget) training and \(8 * trialsPerTarget) test trials; mean over \(replicates) replicates at epoch \(readoutEpoch)." + (controls ? " Middle: the same neurons with the deviation drawn afresh in every window; right: source 2 from another trial of the same target." : ""),
                             altText: "Heat maps of redundancy between time windows for the simulation and its controls, numbers in the cells.",
                             panels: panels, columns: panels.count, panelWidth: 400, panelHeight: 380)
            let grid = Array(Set([1] + stride(from: 5, through: config.epochs, by: 5) + [config.epochs])).sorted()
            let gx = grid.map(Double.init)
            let lagSeries = (0...maxLag).map { lag in
                Series(label: lag == 0 ? "same window" : "\(lag) apart", style: .errorLines, x: gx,
                       y: grid.map { lagSummary(.shared, lag: lag, epoch: $0).mean }, yError: grid.map { lagSummary(.shared, lag: lag, epoch: $0).error })
            }
            let declineSeries = conditions.map { c in
                Series(label: c.label, style: .errorLines, x: gx, y: grid.map { declineSummary(c, epoch: $0).mean }, yError: grid.map { declineSummary(c, epoch: $0).error })
            }
            let curves = Figure(id: "premotor-epochs", caption: "Training length: (left) test I∩ of the simulation with shared plan variability after e epochs, by distance between the windows; (right) the decline adjacent − \(maxLag) apart in each condition. Mean ± t-corrected error over \(replicates) replicates; the matrices above are read at epoch \(readoutEpoch) (the authors' 50).",
                                altText: "Redundancy against training epochs for each distance between windows, and the decline with distance for the simulation and its controls.",
                                panels: [Panel(title: "by distance between windows", xLabel: "epochs", yLabel: "I∩ (bits)", series: lagSeries),
                                         Panel(title: "adjacent − \(maxLag) apart", xLabel: "epochs", yLabel: "Δ I∩ (bits)", series: declineSeries)],
                                columns: 2, panelWidth: 480, panelHeight: 360)
            return AnalysisOutput(tables: [lagTable, cellTable, epochTable], figures: [fig, curves], values: values,
                                  notes: ["\(jobs.count) trainings of \(config.epochs) epochs, seed \(seed)"])
        })
}
