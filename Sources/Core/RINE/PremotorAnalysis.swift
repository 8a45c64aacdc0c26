import AnalysisKit
import Foundation
import Numerics
import StatisticalTolerances

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
            // The ρ sweep and the weaker-window variant can use more replicates than the main runs: the first `replicates` are
            // paired with the main runs, the rest are new populations and trials drawn the same way (root.child(r)).
            let rhoReplicates = try p.int("rho_replicates", default: replicates, range: 2...100)
            guard rhoReplicates >= replicates else {
                throw RINEParameterChecks.error(p, "rho_replicates", "must be at least replicates (\(replicates)), got \(rhoReplicates)")
            }
            let controls = try p.bool("controls", default: true)
            let seed = try p.int("seed", default: 6)
            let config = try premotorConfig(p)
            let readoutEpoch = try p.int("readout_epoch", default: 50, range: 1...10_000)
            guard readoutEpoch <= config.epochs else {
                throw RINEParameterChecks.error(p, "readout_epoch", "must not exceed epochs (\(config.epochs)), got \(readoutEpoch)")
            }
            let rhoSweep = try RINEParameterChecks.doubles(p, "rho_sweep", default: [sim.planCorrelation], each: 0...0.99, maxCount: 20, what: "plan correlation ρ")
            let weakLast = try p.bool("weak_last_window", default: false)
            guard !weakLast || sim.windows == 4 else { throw RINEParameterChecks.error(p, "weak_last_window", "is fitted to the paper's four-window Fig. 3: needs windows: 4") }
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
                ReplicateMean.coverage((0..<replicates).map { lagMean(c, $0, lag: lag, epoch: e) })
            }
            // The decline with distance: adjacent windows (lag 1) minus the most distant pair (lag W − 1), paired per replicate.
            func decline(_ c: PremotorCondition, _ r: Int, epoch e: Int) -> Double { lagMean(c, r, lag: 1, epoch: e) - lagMean(c, r, lag: W - 1, epoch: e) }
            func declineSummary(_ c: PremotorCondition, epoch e: Int) -> (mean: Double, error: Double, sd: Double) {
                ReplicateMean.coverage((0..<replicates).map { decline(c, $0, epoch: e) })
            }
            func fmt(_ s: (mean: Double, error: Double, sd: Double)) -> String { String(format: "%.2f ± %.2f", s.mean, s.error) }
            // Check tolerances: a redraw of the replicates' trainings (RedrawTolerance), on the replicates of the value's row.
            func tol(_ e: Double, runs: Int = replicates) -> Tolerance { RedrawTolerance.tolerance(error: e, runs: runs) }

            // The simulation's Shannon information per window (true-model Bayes decoder on the test trials), per replicate.
            let perWindow = Parallel.map(replicates * W) { k -> Double in
                let rep = reps[k / W]
                return sim.bayesInformation(counts: rep.sets[0][1].x[k % W], y: rep.sets[0][1].y, tuning: rep.tuning)
            }
            let bayes = ReplicateMean.coverage((0..<replicates).map { r in Stats.mean(Array(perWindow[(r * W)..<((r + 1) * W)])) })
            var values = [Scalar("rine.premotor_bayes", bayes.mean, error: bayes.error, significantFigures: 3, unit: "bits", tolerance: RedrawTolerance.untrained)]
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
                    let d = ReplicateMean.coverage((0..<replicates).map { lagMean(.shared, $0, lag: lag, epoch: readoutEpoch) - lagMean(.shuffled, $0, lag: lag, epoch: readoutEpoch) })
                    values.append(Scalar("rine.premotor_\(lagName[lag])_minus_shuffle", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
                }
                let d = ReplicateMean.coverage((0..<replicates).map { lagMean(.independent, $0, lag: 1, epoch: readoutEpoch) - lagMean(.shuffled, $0, lag: 1, epoch: readoutEpoch) })
                values.append(Scalar("rine.premotor_indep_minus_shuffle_lag1", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
            }
            // The decline among the first W − 1 windows (adjacent minus W − 2 apart), which leaves out the last window: in the
            // paper's Fig. 3 that window carries less information than the others (diagonal 2.20 against 2.55–2.63), and every
            // pair three apart contains it. `cell(a, b)` is I∩ of the ordered pair at the readout epoch.
            func innerDecline(_ cell: (Int, Int) -> Double) -> Double {
                func lag(_ k: Int) -> Double { Stats.mean((0..<(W - 1 - k)).map { cell($0, $0 + k) }) }
                return lag(1) - lag(W - 2)
            }
            let paperInner: Double? = W == 4 ? innerDecline { (paperFig3[$0][$1] + paperFig3[$1][$0]) / 2 } : nil
            if W >= 3 {
                let d = ReplicateMean.coverage((0..<replicates).map { r in innerDecline { out[job(.shared, r, $0, $1)].curve[readoutEpoch - 1] } })
                values.append(Scalar("rine.premotor_inner_decline", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d.error)))
                if let paperInner { values.append(Scalar("rine.premotor_paper_inner_decline", paperInner, significantFigures: 3, unit: "bits", tolerance: .absolute(1e-9))) }
            }

            // Variants of the shared-plan simulation on the same neurons, the same trial seeds and the same initialisations
            // (paired with the main runs): the ρ sweep, and a weaker last window (tuning depth × g, g fitted so that the
            // last window's true-model information relative to the others is the paper's diagonal ratio).
            // Each variant runs on replicates `range` with trial draws rr.child(draws.0) and rr.child(draws.1), rr = root.child(r).
            // With rho_replicates > replicates, the main simulation and the ρ = 0 control are extended to the extra replicates
            // the same way (the main runs' draws 1, 2 and the control's 3, 4), so every row of the sweep has rho_replicates.
            struct Variant { let label: String; let tag: String; let sim: PremotorSimulation; var draws = (1, 2); var range: Range<Int> }
            func rhoTag(_ rho: Double) -> String { String(format: "_rho%02d", Int((rho * 100).rounded())) }
            var variants = rhoSweep.filter { $0 != sim.planCorrelation }.sorted().map { rho -> Variant in
                var v = sim; v.planCorrelation = rho
                return Variant(label: "ρ = \(rho)", tag: rhoTag(rho), sim: v, range: 0..<rhoReplicates)
            }
            if rhoReplicates > replicates && (!variants.isEmpty || weakLast) {
                variants.append(Variant(label: "ρ = \(sim.planCorrelation), extra replicates", tag: "_main_extra", sim: sim, range: replicates..<rhoReplicates))
                if controls { variants.append(Variant(label: "ρ = 0, extra replicates", tag: "_indep_extra", sim: indepSim, draws: (3, 4), range: replicates..<rhoReplicates)) }
            }
            var weakFit: (g: Double, target: Double, reached: Double)? = nil
            if weakLast {
                let ratio = paperFig3[3][3] / Stats.mean((0..<3).map { paperFig3[$0][$0] })
                let others = Stats.mean(Array(perWindow[0..<(W - 1)]))
                let target = ratio * others
                func lastInfo(_ g: Double) -> Double {
                    var v = sim; v.lastWindowDepth = g
                    var rng = root.child(0).child(2)
                    let d = v.simulate(trialsPerTarget: trialsPerTarget, tuning: reps[0].tuning, rng: &rng)
                    return v.bayesInformation(counts: d.x[W - 1], y: d.y, tuning: reps[0].tuning, nodes: 41, depthScale: g)
                }
                var lo = 0.02, hi = 1.0
                for _ in 0..<12 { let mid = (lo + hi) / 2; if lastInfo(mid) < target { lo = mid } else { hi = mid } }
                let g = (lo + hi) / 2
                weakFit = (g, target, lastInfo(g))
                var v = sim; v.lastWindowDepth = g
                variants.append(Variant(label: String(format: "last window's depth × %.2f", g), tag: "_weak", sim: v, range: 0..<rhoReplicates))
            }
            // The populations of the extra replicates, drawn as the main replicates' (root.child(r).child(0)).
            let tunings: [PremotorSimulation.Tuning] = (0..<rhoReplicates).map { r in
                if r < replicates { return reps[r].tuning }
                var g = root.child(r).child(0)
                return sim.tuning(rng: &g)
            }
            // One data set (training, test) per variant and replicate, in the order of `variantSets`.
            let variantSets: [(v: Int, r: Int)] = variants.indices.flatMap { v in variants[v].range.map { (v: v, r: $0) } }
            var setIndex = [Int: Int]()
            for (i, vr) in variantSets.enumerated() { setIndex[vr.v * 1000 + vr.r] = i }
            let variantData: [[(x: [Matrix<Float>], y: [Int])]] = variantSets.map { vr -> [(x: [Matrix<Float>], y: [Int])] in
                let rr = root.child(vr.r), v = variants[vr.v]
                return [v.draws.0, v.draws.1].map { k in var rng = rr.child(k); return v.sim.simulate(trialsPerTarget: trialsPerTarget, tuning: tunings[vr.r], rng: &rng) }
            }
            let variantJobs = variantSets.indices.flatMap { i in cells.map { (set: i, r: variantSets[i].r, a: $0.0, b: $0.1) } }
            let variantOut = Parallel.map(variantJobs.count) { j -> Double in
                let job = variantJobs[j], d = variantData[job.set]
                let test = ([d[1].x[job.a], d[1].x[job.b]], d[1].y)
                var rng = root.child(1_000_000 + job.r * 10_000 + job.a * 100 + job.b)
                let r = RINETrainer(config: config).run(train: ([d[0].x[job.a], d[0].x[job.b]], d[0].y), test: test, classes: 8,
                                                        entropyY: RINEReadout.labelEntropy(test.1), rng: &rng)
                return r.history[readoutEpoch - 1].0
            }
            func variantCell(_ v: Int, _ r: Int, _ a: Int, _ b: Int) -> Double {
                variantOut[setIndex[v * 1000 + r]! * cells.count + cells.firstIndex { $0 == (min(a, b), max(a, b)) }!]
            }
            var variantRows = [[String]]()
            var rhoPoints = [(rho: Double, decline: (mean: Double, error: Double, sd: Double), inner: (mean: Double, error: Double, sd: Double))]()
            // A row of the sweep over `rhoReplicates` replicates.
            func addRow(_ label: String, _ cell: @escaping (Int, Int, Int) -> Double, tag: String?, rho: Double?) {
                let rs = 0..<rhoReplicates
                func lagS(_ lag: Int) -> (mean: Double, error: Double, sd: Double) { ReplicateMean.coverage(rs.map { r in Stats.mean((0..<(W - lag)).map { cell(r, $0, $0 + lag) }) }) }
                let dec = ReplicateMean.coverage(rs.map { r in Stats.mean((0..<(W - 1)).map { cell(r, $0, $0 + 1) }) - cell(r, 0, W - 1) })
                let inner = ReplicateMean.coverage(rs.map { r in innerDecline { cell(r, $0, $1) } })
                let last = ReplicateMean.coverage(rs.map { r in cell(r, W - 1, W - 1) })
                variantRows.append([label] + (0...(W - 1)).map { fmt(lagS($0)) } + [fmt(dec), fmt(inner), fmt(last)])
                if let rho { rhoPoints.append((rho, dec, inner)) }
                if let tag {
                    for lag in 0...(W - 1) {
                        let x = lagS(lag)
                        values.append(Scalar("rine.premotor\(tag)_\(lagName[lag])", x.mean, error: x.error, significantFigures: 3, unit: "bits", tolerance: tol(x.error, runs: rhoReplicates)))
                    }
                    values.append(Scalar("rine.premotor\(tag)_decline", dec.mean, error: dec.error, significantFigures: 2, unit: "bits", tolerance: tol(dec.error, runs: rhoReplicates)))
                    values.append(Scalar("rine.premotor\(tag)_inner_decline", inner.mean, error: inner.error, significantFigures: 2, unit: "bits", tolerance: tol(inner.error, runs: rhoReplicates)))
                    values.append(Scalar("rine.premotor\(tag)_last_diag", last.mean, error: last.error, significantFigures: 3, unit: "bits", tolerance: tol(last.error, runs: rhoReplicates)))
                }
            }
            if !variants.isEmpty {
                if W == 4 {
                    let pl = (0...3).map { lag in String(format: "%.3f", Stats.mean((0..<4).flatMap { a in (0..<4).filter { abs($0 - a) == lag }.map { paperFig3[a][$0] } })) }
                    variantRows.append(["paper Fig. 3"] + pl + [String(format: "%.3f", Double(pl[1])! - Double(pl[3])!), String(format: "%.3f", paperInner!), String(format: "%.2f", paperFig3[3][3])])
                }
                var rows = [(rho: Double, label: String, cell: (Int, Int, Int) -> Double, tag: String?)]()
                // The main runs and the control on their replicates, extended by the extra-replicate variants beyond them.
                let mainExtra = variants.firstIndex { $0.tag == "_main_extra" }, indepExtra = variants.firstIndex { $0.tag == "_indep_extra" }
                if controls {
                    rows.append((0, "ρ = 0 (control: own draws)", { r, a, b in r < replicates ? out[job(.independent, r, a, b)].curve[readoutEpoch - 1] : variantCell(indepExtra!, r, a, b) },
                                 rhoReplicates > replicates ? rhoTag(0) : nil))
                }
                rows.append((sim.planCorrelation, "ρ = \(sim.planCorrelation) (the simulation as it is)",
                             { r, a, b in r < replicates ? out[job(.shared, r, a, b)].curve[readoutEpoch - 1] : variantCell(mainExtra!, r, a, b) },
                             rhoReplicates > replicates ? rhoTag(sim.planCorrelation) : nil))
                for (v, variant) in variants.enumerated() where !["_weak", "_main_extra", "_indep_extra"].contains(variant.tag) {
                    rows.append((variant.sim.planCorrelation, variant.label, { r, a, b in variantCell(v, r, a, b) }, variant.tag))
                }
                for row in rows.sorted(by: { $0.rho < $1.rho }) { addRow(row.label, row.cell, tag: row.tag, rho: row.rho) }
                if let v = variants.firstIndex(where: { $0.tag == "_weak" }) {
                    addRow("ρ = \(sim.planCorrelation), " + variants[v].label, { r, a, b in variantCell(v, r, a, b) }, tag: "_weak", rho: nil)
                }
            }
            if let weakFit {
                values.append(Scalar("rine.premotor_weak_depth", weakFit.g, significantFigures: 2, tolerance: RedrawTolerance.untrained))
                values.append(Scalar("rine.premotor_weak_bayes_last", weakFit.reached, significantFigures: 3, unit: "bits", tolerance: RedrawTolerance.untrained))
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
                    let v = ReplicateMean.coverage((0..<replicates).map { out[job(c, $0, a, b)].curve[readoutEpoch - 1] })
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
            var tables = [lagTable, cellTable, epochTable], figures = [fig, curves]
            if !variants.isEmpty {
                let apart = (1...(W - 1)).map { "\($0) apart" }
                let weakWord = weakFit.map { String(format: " Weaker last window: every neuron's tuning depth × g = %.2f in window %d only, g fitted (bisection on the true-model information of replicate 1) so that window %d's Shannon information is the paper's diagonal ratio %.2f/%.3f of the other windows' (%.3f bits reached, target %.3f); nothing else is fitted. It is a constant smaller modulation over the whole window, not a ramp within it and not a response to the go cue (at 500 ms, after the window ends): the simulation has no time course inside a window.", $0.g, W, W, paperFig3[3][3], Stats.mean((0..<3).map { paperFig3[$0][$0] }), $0.reached, $0.target) } ?? ""
                tables.append(Table(id: "premotor-rho", caption: "How the decline depends on the plan correlation ρ between consecutive windows, and on a weaker last window. Each row: the shared-plan simulation over \(rhoReplicates) replicates, the first \(replicates) on the same neurons, trial seeds and initialisations as the main runs (paired)\(rhoReplicates > replicates ? ", the other \(rhoReplicates - replicates) new populations and trials drawn the same way (the same ones in every row)" : ""), read at epoch \(readoutEpoch); I∩ (bits) by distance between windows, the decline adjacent − \(W - 1) apart, the decline among windows 1–\(W - 1) only (adjacent − \(W - 2) apart, which leaves out window \(W)), and window \(W) with itself; ± t-corrected over the \(rhoReplicates) replicates. The ρ = 0 row is the control (its own draws). Paper: the same means of its printed Fig. 3 values." + weakWord + " Cost: \(cells.count * rhoReplicates) trainings per row (\(cells.count * (rhoReplicates - replicates)) for the main and control rows, whose first \(replicates) replicates are the main runs).",
                                    columns: ["simulation", "same window"] + apart + ["adjacent − \(W - 1) apart", "windows 1–\(W - 1): adjacent − \(W - 2) apart", "window \(W) with itself"], rows: variantRows))
                let pts = rhoPoints.sorted { $0.rho < $1.rho }
                let rhoX: [Double] = pts.map { $0.rho }
                let decY: [Double] = pts.map { $0.decline.mean }, decE: [Double] = pts.map { $0.decline.error }
                let innY: [Double] = pts.map { $0.inner.mean }, innE: [Double] = pts.map { $0.inner.error }
                let outerLabel = "adjacent − \(W - 1) apart", innerLabel = "windows 1–\(W - 1): adjacent − \(W - 2) apart"
                var series: [Series] = [Series(label: outerLabel, style: .errorLines, x: rhoX, y: decY, yError: decE)]
                series.append(Series(label: innerLabel, style: .errorLines, x: rhoX, y: innY, yError: innE))
                if W == 4, let lo = pts.first?.rho, let hi = pts.last?.rho {
                    let adjacentPaper: [Double] = (0..<3).flatMap { a -> [Double] in [paperFig3[a][a + 1], paperFig3[a + 1][a]] }
                    let p1: Double = Stats.mean(adjacentPaper) - Stats.mean([paperFig3[0][3], paperFig3[3][0]])
                    series.append(Series(label: "paper: adjacent − 3 apart", style: .lines, x: [lo, hi], y: [p1, p1]))
                    series.append(Series(label: "paper: windows 1–3, adjacent − 2 apart", style: .lines, x: [lo, hi], y: [paperInner!, paperInner!]))
                }
                figures.append(Figure(id: "premotor-rho", caption: "Decline of the redundancy with distance between windows against the plan correlation ρ of the simulation (mean ± t-corrected error over \(rhoReplicates) replicates, epoch \(readoutEpoch)), beside the paper's Fig. 3 values (horizontal lines). Every window has the same tuning; only the plan deviation's correlation changes between the points.",
                                      altText: "Decline of redundancy with window distance against the plan correlation, with the paper's values as horizontal lines.",
                                      panels: [Panel(title: "decline against ρ", xLabel: "plan correlation ρ between consecutive windows", yLabel: "Δ I∩ (bits)", series: series)],
                                      columns: 1, panelWidth: 560, panelHeight: 360))
            }
            return AnalysisOutput(tables: tables, figures: figures, values: values,
                                  notes: ["\(jobs.count + variantJobs.count) trainings of \(config.epochs) epochs, seed \(seed)"])
        })
}
