import AnalysisKit
import DataFiles
import Foundation
import Numerics
import StatisticalTolerances

/// Report analyses for RINE (seed 003).
enum RINEAnalyses {
    /// Paper values (Table 1 / A5): β = 0, 5, 15 for UNQ, AND, RDNXOR, IMPERFECTRDN.
    static let paper: [String: [Double]] = ["UNQ": [0.981, 0.809, 0.006], "AND": [0.318, 0.008, 0.007],
                                            "RDNXOR": [0.981, 0.983, 0.977], "IMPERFECTRDN": [0.983, 0.978, 0.984]]

    static func canonicalConfig(_ p: Parameters) throws -> RINEConfig {
        var c = RINEConfig()
        c.epochs = try p.int("epochs", default: 30, range: 1...1000)
        c.batchSize = try p.int("batch", default: 128, range: 2...100_000)
        c.learningRate = Float(try p.double("learning_rate", default: 0.01, range: 1e-6...10))
        c.weightDecay = Float(try p.double("weight_decay", default: 0.005, range: 0...1))
        c.momentum = Float(try p.double("momentum", default: 0.9, range: 0...0.999))
        c.hidden = try RINEParameterChecks.hidden(p, default: [25, 15])
        return c
    }

    /// One canonical run: the trained result and the entropy of its test labels.
    static func runCanonical(_ task: DiscreteTask, config: RINEConfig, samples: Int, rng: inout Xoshiro256) -> (result: RINEResult, testEntropy: Double) {
        let data = task.sample(samples, rng: &rng)
        let split = trainTestSplit([data.x1, data.x2], data.y, trainFraction: 0.8, rng: &rng)
        let hTest = RINEReadout.labelEntropy(split.test.y)
        let r = RINETrainer(config: config).run(train: split.train, test: split.test, classes: task.ySymbols,
                                                entropyY: hTest, rng: &rng)
        return (r, hTest)
    }

    /// The paper's ± in Table 1 is numpy's population sd over 5 initialisations (print_redundancy_toy_mean.py); this is
    /// the t-corrected standard error of the mean it implies.
    static func paperError(_ sd0: Double) -> Double { ReplicateMean.coverageError(populationSD: sd0, count: 5) }

    static let canonical = AnalysisDescriptor(
        name: "rine.canonical",
        summary: "Table 1 / A5: RINE on UNQ, AND, RDNXOR, IMPERFECTRDN for several β, two readouts, beside exact PID measures",
        run: { ctx in
            let p = ctx.parameters
            let betas = try RINEParameterChecks.doubles(p, "betas", default: [0, 5, 15, 50, 200, 1000], each: 0...1e5, maxCount: 20, what: "β")
            let seeds = try p.int("seeds", default: 5, range: 2...100)
            let samples = try p.int("samples", default: 10_000, range: 100...10_000_000)
            let seed = try p.int("seed", default: 1)
            var config = try canonicalConfig(p)
            guard config.epochs >= 5 else { throw RINEParameterChecks.error(p, "epochs", "must be ≥ 5 for the authors' last-5 readout, got \(config.epochs)") }
            try p.rejectUnused()
            let tasks = DiscreteTask.canonical
            let jobs = tasks.indices.flatMap { t in betas.indices.flatMap { b in (0..<seeds).map { (t, b, $0) } } }
            let root = Xoshiro256(seed: UInt64(seed))
            let done = Counter()
            // Per job: (ours: final epoch − H_test, final epoch − exact H, authors' readout, test D).
            let results = Parallel.map(jobs.count) { j -> [Double] in
                let (t, b, s) = jobs[j]
                var c = config
                c.beta = betas[b]
                var rng = root.child(t * 1000 + s) // same data and initialisation across β for a given task and seed
                let (r, hTest) = runCanonical(tasks[t], config: c, samples: samples, rng: &rng)
                let k = done.increment()
                if k % 10 == 0 { ctx.progress("\(k)/\(jobs.count) trainings") }
                return [RINEReadout.finalEpoch(r, entropyY: hTest),
                        RINEReadout.finalEpoch(r, entropyY: ExactRedundancy.entropyY(tasks[t])),
                        RINEReadout.authors(r, hardCodedEntropy: RINEReadout.authorsEntropy(tasks[t])), r.distance]
            }
            config.beta = betas.last ?? 0
            func cell(_ t: Int, _ b: Int, _ k: Int) -> (mean: Double, error: Double, sd: Double) {
                ReplicateMean.coverage((0..<seeds).map { s in results[jobs.firstIndex { $0 == (t, b, s) }!][k] })
            }
            func fmt(_ c: (mean: Double, error: Double, sd: Double)) -> String { String(format: "%.3f ± %.3f", c.mean, c.error) }
            let paperBetas: [Double] = [0, 5, 15]
            var t1 = [[String]](), a5 = [[String]](), exactRows = [[String]](), values = [Scalar]()
            var sweepSeries = [Series]()
            for (t, task) in tasks.enumerated() {
                let wedge = ExactRedundancy.iWedge(task), mmi = PartialInformation.mmi(task)
                let broja = PartialInformation.broja(task), ccs = PartialInformation.ccs(task)
                let gh = PartialInformation.griffithHo(task)
                let name = task.name.lowercased()
                for b in betas.indices {
                    let ours = cell(t, b, 0), exactH = cell(t, b, 1), authors = cell(t, b, 2), dist = cell(t, b, 3)
                    let pb = paperBetas.firstIndex(of: betas[b])
                    let paperV = pb.flatMap { paper[task.name]?[$0] }
                    a5.append([task.name, "\(Int(betas[b]))", fmt(ours), fmt(exactH), fmt(authors), String(format: "%.3f", dist.mean),
                               paperV.map { String(format: "%.3f", $0) } ?? "–"])
                    let tag = "rine.\(name)_beta\(Int(betas[b]))"
                    let lo = min(ours.mean, exactH.mean, authors.mean), hi = max(ours.mean, exactH.mean, authors.mean)
                    values.append(Scalar(tag, ours.mean, error: ours.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: ours.error, runs: seeds)))
                    values.append(Scalar(tag + "_authors", authors.mean, error: authors.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: authors.error, runs: seeds), systematic: SystematicSpread(low: lo, high: hi, over: "readout: final epoch vs last-5 mean, 1/ln 2 vs 1.44, H(Y) of test labels vs exact vs hard-coded")))
                    values.append(Scalar(tag + "_exacth", exactH.mean, error: exactH.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: exactH.error, runs: seeds)))
                }
                let i15 = betas.firstIndex(of: 15)
                let r15 = i15.map { cell(t, $0, 2) }, o15 = i15.map { cell(t, $0, 0) }
                t1.append([task.name, String(format: "%.3f", wedge.value), String(format: "%.3f", mmi), String(format: "%.3f", broja.redundancy),
                           String(format: "%.3f", ccs), String(format: "%.3f", gh.redundancy), r15.map(fmt) ?? "–", o15.map(fmt) ?? "–",
                           paper[task.name].map { String(format: "%.3f", $0[2]) } ?? "–"])
                let bx = betas.enumerated().filter { $0.element > 0 }
                sweepSeries.append(Series(label: task.name, style: .errorLines, x: bx.map(\.element), y: bx.map { cell(t, $0.offset, 0).mean },
                                          yError: bx.map { cell(t, $0.offset, 0).error }))
                exactRows.append([task.name, String(format: "%.3f", ExactRedundancy.entropyY(task)),
                                  String(format: "%.3f", ExactRedundancy.mutualInformationX1(task)),
                                  String(format: "%.3f", ExactRedundancy.mutualInformationX2(task)),
                                  String(format: "%.3f", ExactRedundancy.mutualInformationJoint(task)),
                                  String(format: "%.3f", wedge.value), "\(ExactRedundancy.commonComponents(task).max()! + 1)",
                                  String(format: "%.3f", mmi), String(format: "%.4f", broja.redundancy),
                                  String(format: "%.4f / %.4f / %.4f", broja.unique1, broja.unique2, broja.synergy),
                                  String(format: "%.1e", broja.gap), String(format: "%.4f", ccs)])
                values.append(Scalar("rine.\(name)_iwedge", wedge.value, significantFigures: 3, unit: "bits"))
                values.append(Scalar("rine.\(name)_mmi", mmi, significantFigures: 3, unit: "bits"))
                values.append(Scalar("rine.\(name)_broja", broja.redundancy, significantFigures: 3, unit: "bits", tolerance: .absolute(max(1e-6, broja.gap))))
                values.append(Scalar("rine.\(name)_ccs", ccs, significantFigures: 3, unit: "bits", tolerance: .absolute(1e-6)))
                values.append(Scalar("rine.\(name)_gh", gh.redundancy, significantFigures: 3, unit: "bits", tolerance: .absolute(1e-9)))
            }
            let setup = "Network \(config.hidden) + batch norm + ReLU, SGD momentum \(config.momentum), lr \(config.learningRate)·0.97^epoch, weight decay \(config.weightDecay), batch \(config.batchSize), \(config.epochs) epochs, β schedule β(1 − 0.97^e), \(samples) samples split 80/20, \(seeds) seeds; ± is the t-corrected standard error of the seed mean (ReplicateMean.coverage)."
            let table1 = Table(id: "table1", caption: "Table 1: redundancy (bits) of the canonical tasks. Exact measures computed by the project (I∧ = Gács–Körner common information of Griffith et al., I_MMI, I_BROJA, I_ccs, I_GH of Griffith and Ho (max I(Y;Q) with Y − Xᵢ − Q Markov, a linear program over the vertices of the constraint polytope); tested against dit 2.3) beside RINE at β = 15 with the authors' readout (mean test cross-entropy over the last 5 epochs × 1.44, hard-coded H(Y)) and ours (final epoch, 1/ln 2, H(Y) of the test labels), and the paper's β = 15 value. " + setup,
                               columns: ["task", "I∧", "I_MMI", "I_BROJA", "I_ccs", "I_GH", "RINE β=15, authors' readout", "RINE β=15, ours", "paper"], rows: t1)
            let tableA5 = Table(id: "tableA5", caption: "Table A5 and the β sweep, three readouts of the same trainings (bits). Ours: final-epoch test cross-entropy against the entropy of the 2000 test labels. Exact H: the same cross-entropy against the exact H(Y) of the distribution. Authors: mean over the last 5 epochs, nats × 1.44, H(Y) hard-coded (0.811 for AND, log₂|Y| otherwise). D: decoder distance on the test set (final epoch). " + setup,
                                columns: ["task", "β", "ours (H_test)", "final, exact H", "authors' readout", "D", "paper"], rows: a5)
            let t2 = Table(id: "exact", caption: "Exact quantities of the canonical distributions (bits). I∧: maximum of I(Q;Y) over common functions Q = f₁(X₁) = f₂(X₂); the finest one, the support graph's connected components C, attains it (every other is a coarsening of C), so I∧ = I(C;Y). I_BROJA: unique information optimisation over the distributions with p's source–target marginals, solved by alternating I-projections to the certified duality gap shown; U₁ / U₂ / S its other atoms. I_ccs: Ince's common change in surprisal on the maximum-entropy distribution with p's pairwise marginals.",
                           columns: ["task", "H(Y)", "I(X₁;Y)", "I(X₂;Y)", "I(X₁,X₂;Y)", "I∧", "common components", "I_MMI", "I_BROJA", "U₁ / U₂ / S (BROJA)", "gap", "I_ccs"], rows: exactRows)
            let sweep = Figure(id: "beta-sweep", caption: "RINE (our readout, mean ± t-corrected error over \(seeds) seeds) against the final β of the schedule. I∧ is 0 for UNQ, AND and IMPERFECTRDN and 1 for RDNXOR; I_BROJA = I_MMI = 0.990 for IMPERFECTRDN and 0.311 for AND.",
                               altText: "Redundancy against beta on a log axis for four canonical tasks.",
                               panels: [Panel(xLabel: "β", yLabel: "I∩ (bits)", logX: true, series: sweepSeries)], panelWidth: 620, panelHeight: 400)
            return AnalysisOutput(tables: [table1, tableA5, t2], figures: [sweep], values: values, notes: ["\(jobs.count) trainings, seed \(seed)"])
        })

    static let ablation = AnalysisDescriptor(
        name: "rine.ablation",
        summary: "Fig. A2: fixed β versus the increasing β schedule",
        run: { ctx in
            let p = ctx.parameters
            let beta = try p.double("beta", default: 15, range: 0...1000)
            let seeds = try p.int("seeds", default: 3, range: 1...50)
            let samples = try p.int("samples", default: 10_000, range: 100...1_000_000)
            let seed = try p.int("seed", default: 2)
            let config = try canonicalConfig(p)
            try p.rejectUnused()
            let tasks = DiscreteTask.canonical
            let jobs = tasks.indices.flatMap { t in [true, false].flatMap { sch in (0..<seeds).map { (t, sch, $0) } } }
            let root = Xoshiro256(seed: UInt64(seed))
            let results = Parallel.map(jobs.count) { j -> RINEResult? in
                let (t, sch, s) = jobs[j]
                var c = config
                c.beta = beta; c.scheduleBeta = sch
                var rng = root.child(t * 1000 + s)
                return runCanonical(tasks[t], config: c, samples: samples, rng: &rng).result
            }
            let epochs = (1...config.epochs).map(Double.init)
            var panels = [Panel](), rows = [[String]](), values = [Scalar]()
            for (t, task) in tasks.enumerated() {
                var series = [Series]()
                var cells = [task.name]
                for sch in [true, false] {
                    let rs = jobs.indices.filter { jobs[$0].0 == t && jobs[$0].1 == sch }.map { results[$0]! }
                    let curve = (0..<config.epochs).map { e in Stats.mean(rs.map { $0.history[e].0 }) }
                    series.append(Series(label: sch ? "β schedule" : "fixed β", style: .lines, x: epochs, y: curve))
                    let fin = rs.map(\.redundancy), dist = rs.map(\.distance)
                    let finError: Double? = seeds > 1 ? ReplicateMean.coverage(fin).error : nil
                    cells.append(String(format: "%.3f (D = %.3f)", Stats.mean(fin), Stats.mean(dist)))
                    values.append(Scalar("rine.ablation_\(task.name.lowercased())_\(sch ? "schedule" : "fixed")", Stats.mean(fin),
                                         error: finError, significantFigures: 3, unit: "bits", tolerance: RedrawTolerance.tolerance(error: finError, runs: seeds)))
                }
                rows.append(cells)
                panels.append(Panel(title: task.name, xLabel: "epoch", yLabel: "I∩ on test (bits)", series: series))
            }
            let fig = Figure(id: "ablation", caption: "Fig. A2 analogue: test-set redundancy during training with β = \(Int(beta)) fixed from the start or increased as β(1 − 0.97^e); mean over \(seeds) seeds.",
                             altText: "Four panels of redundancy against epoch for the schedule and for fixed beta.", panels: panels,
                             columns: 2, panelWidth: 460, panelHeight: 320)
            let table = Table(id: "ablation-table", caption: "Final I∩ (bits) and decoder distance D on the test set.",
                              columns: ["task", "β schedule", "fixed β"], rows: rows)
            return AnalysisOutput(tables: [table], figures: [fig], values: values)
        })

    static let synthetic = AnalysisDescriptor(
        name: "rine.synthetic",
        summary: "Fig. 5: redundancy on the 8-class task versus appended noise inputs, and the cosine similarity of the inputs with noise or shared task-unrelated inputs, with the settings of the authors' code",
        run: { ctx in
            let p = ctx.parameters
            let ns = try RINEParameterChecks.ints(p, "classes", default: [4, 5, 6, 7, 8], each: 1...8, what: "n")
            // The authors' num_inputs 2, 3, 4, 11, 21 (scripts/generate_redundant_commands.py) less the task input.
            let ks = try RINEParameterChecks.ints(p, "noise_inputs", default: [1, 2, 3, 10, 20], each: 0...1000, count: 2...50, what: "count")
            // 0.01: the figure's runs (plot_redundant_demonstration.py); 0.005: the paper's text (Appendix C.5). Both were run.
            let lrs = try RINEParameterChecks.doubles(p, "learning_rates", default: [0.01, 0.005], each: 1e-6...1, maxCount: 10, what: "learning rate")
            let samples = try p.int("samples", default: 10_000, range: 100...1_000_000)
            let trainFraction = try p.double("train_fraction", default: 0.7, range: 0.1...0.95)
            let seed = try p.int("seed", default: 3)
            let commonNs = try RINEParameterChecks.ints(p, "common_classes", default: [4, 0], each: 0...8, what: "n")
            let commonKs = try RINEParameterChecks.ints(p, "common_inputs", default: [0, 1, 2, 3, 10, 20], each: 0...1000, what: "count")
            let cosineSamples = try p.int("cosine_samples", default: 2000, range: 10...1_000_000)
            var config = RINEConfig()
            config.batchNorm = try p.bool("batch_norm", default: true)
            config.useAdam = true
            config.learningRateDecay = 1 // the synthetic runs do not pass --slow: constant learning rate
            config.weightDecay = Float(try p.double("weight_decay", default: 0.0005, range: 0...1))
            config.batchSize = try p.int("batch", default: 128, range: 2...100_000)
            config.epochs = try p.int("epochs", default: 50, range: 5...1000)
            config.beta = try p.double("beta", default: 50, range: 0...1e5)
            // Each source holds 1 + k (noise or shared) inputs per sample; the ranges alone allow 10⁹ numbers.
            try RINEParameterChecks.checkSize(p, "samples", entries: 2 * samples * (1 + ks.max()!), what: "the data with \(ks.max()!) noise inputs")
            try RINEParameterChecks.checkSize(p, "cosine_samples", entries: 2 * cosineSamples * (1 + max(ks.max()!, commonKs.max()!)),
                                              what: "the cosine-similarity sample")
            try p.rejectUnused()
            let jobs = lrs.indices.flatMap { l in ns.flatMap { n in ks.map { (l, n, $0) } } }
            let root = Xoshiro256(seed: UInt64(seed))
            let done = Counter()
            // Per job: ours (final epoch − H of the test labels), the authors' readout (last 5 epochs, 1.44, H = 3), D.
            let results = Parallel.map(jobs.count) { j -> [Double] in
                let (l, n, k) = jobs[j]
                var rng = root.child(n * 1000 + k) // the same data and initialisation for every learning rate
                let data = EightClassTask.sample(samples, n: n, noise: k, balancedLabels: true, rng: &rng)
                let split = trainTestSplit(data.x, data.y, trainFraction: trainFraction, rng: &rng)
                var c = config
                c.learningRate = Float(lrs[l])
                let hTest = RINEReadout.labelEntropy(split.test.y)
                let r = RINETrainer(config: c).run(train: split.train, test: split.test, classes: 8, entropyY: hTest, rng: &rng)
                let m = done.increment()
                if m % 10 == 0 { ctx.progress("\(m)/\(jobs.count) trainings") }
                return [RINEReadout.finalEpoch(r, entropyY: hTest), RINEReadout.authors(r, hardCodedEntropy: 3), r.distance]
            }
            func run(_ l: Int, _ n: Int, _ k: Int) -> [Double] { results[jobs.firstIndex { $0 == (l, n, k) }!] }
            func lrTag(_ lr: Double) -> String { String(format: "%g", lr).replacingOccurrences(of: ".", with: "p") }
            // Cosine similarity of the two sources' inputs (the authors' similarity.py): appended noise at n = 8, and appended
            // shared constant inputs (−2 on every trial, as in data_toy.py 'append_common') at each n of common_classes.
            let cosKs = Array(Set([0] + ks)).sorted()
            let cosNoise = cosKs.map { k -> Double in
                var rng = root.child(500_000 + k)
                return EightClassTask.cosineSimilarity(EightClassTask.sample(cosineSamples, n: 8, noise: k, balancedLabels: true, rng: &rng).x)
            }
            let cosCommon = commonNs.map { n in commonKs.map { k -> Double in
                var rng = root.child(600_000 + n * 1000 + k)
                return EightClassTask.cosineSimilarity(EightClassTask.sample(cosineSamples, n: n, common: k, balancedLabels: true, rng: &rng).x)
            } }
            let kx = ks.map(Double.init)
            let redSeries = ns.map { n in Series(label: "n = \(n)", style: .linesPoints, x: kx, y: ks.map { run(0, n, $0)[0] }) }
            var cosSeries = [Series(label: "noise inputs, n = 8", style: .linesPoints, x: cosKs.map(Double.init), y: cosNoise, color: "black")]
            for (i, n) in commonNs.enumerated() {
                cosSeries.append(Series(label: "shared inputs, n = \(n)", style: .linesPoints, x: commonKs.map(Double.init), y: cosCommon[i]))
            }
            let setup = "Decoders \(config.hidden)\(config.batchNorm ? " + batch norm" : "") + ReLU, Adam (β₁ = 0.9) with weight decay \(config.weightDecay), constant learning rate, batch \(config.batchSize), \(config.epochs) epochs, β = \(Int(config.beta)) scheduled as β(1 − 0.97^e); \(samples) samples with balanced labels, \(Int((trainFraction * 100).rounded())) % for training — the settings of the authors' scripts/generate_redundant_commands.py and data_toy.py."
            let fig = Figure(id: "synthetic", caption: "Fig. 5: (left) RINE redundancy (our readout, learning rate \(lrs[0])) on the 8-class task where each source encodes n classes, against the number k of appended N(0, 2²) noise inputs; (right) mean cosine similarity of the two sources' inputs (\(cosineSamples) samples) with k appended noise inputs (n = 8) or k appended shared inputs unrelated to the task (the constant −2 on both sources, as in the authors' code). " + setup,
                             altText: "Redundancy stays flat with added noise inputs; cosine similarity falls with noise inputs and rises with shared inputs.",
                             panels: [Panel(title: "redundant information", xLabel: "noise inputs k", yLabel: "I∩ (bits)", series: redSeries),
                                      Panel(title: "cosine similarity of inputs", xLabel: "appended inputs k", yLabel: "cosine similarity", series: cosSeries)],
                             columns: 2, panelWidth: 460, panelHeight: 340)
            var rows = [[String]](), values = [Scalar]()
            for n in ns {
                let task = EightClassTask.distribution(n)
                let wedge = ExactRedundancy.iWedge(task).value, broja = PartialInformation.broja(task)
                let mmi = PartialInformation.mmi(task), ccs = PartialInformation.ccs(task)
                // Mean over k (the k runs differ in data and initialisation; redundancy should not depend on k), t-corrected.
                let per = lrs.indices.map { l in (ours: ReplicateMean.coverage(ks.map { run(l, n, $0)[0] }), authors: ReplicateMean.coverage(ks.map { run(l, n, $0)[1] })) }
                let all = per.flatMap { [$0.ours.mean, $0.authors.mean] }
                let spread = SystematicSpread(low: all.min()!, high: all.max()!, over: "readout (final epoch vs last-5 mean × 1.44) × learning rate \(lrs.map { String(format: "%g", $0) }.joined(separator: " / "))")
                for (l, lr) in lrs.enumerated() {
                    rows.append(["\(n)", String(format: "%g", lr), String(format: "%.3f", wedge), String(format: "%.3f", broja.redundancy), String(format: "%.3f", mmi),
                                 String(format: "%.3f", ccs)] + ks.map { String(format: "%.3f", run(l, n, $0)[0]) }
                                + [String(format: "%.3f ± %.3f", per[l].ours.mean, per[l].ours.error), String(format: "%.3f ± %.3f", per[l].authors.mean, per[l].authors.error)])
                    let suffix = l == 0 ? "" : "_lr\(lrTag(lr))"
                    values.append(Scalar("rine.synthetic_n\(n)_mean\(suffix)", per[l].ours.mean, error: per[l].ours.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: per[l].ours.error, runs: ks.count)))
                    values.append(Scalar("rine.synthetic_n\(n)_authors\(suffix)", per[l].authors.mean, error: per[l].authors.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: per[l].authors.error, runs: ks.count), systematic: l == 0 ? spread : nil))
                }
                values.append(Scalar("rine.synthetic_n\(n)_iwedge", wedge, significantFigures: 3, unit: "bits"))
                values.append(Scalar("rine.synthetic_n\(n)_broja", broja.redundancy, significantFigures: 3, unit: "bits", tolerance: .absolute(max(1e-6, broja.gap))))
                values.append(Scalar("rine.synthetic_n\(n)_mmi", mmi, significantFigures: 3, unit: "bits"))
                values.append(Scalar("rine.synthetic_n\(n)_ccs", ccs, significantFigures: 3, unit: "bits", tolerance: .absolute(1e-6)))
            }
            for (k, c) in zip(cosKs, cosNoise) { values.append(Scalar("rine.synthetic_cos_noise_k\(k)", c, significantFigures: 3, tolerance: RedrawTolerance.untrained)) }
            for (i, n) in commonNs.enumerated() {
                for (k, c) in zip(commonKs, cosCommon[i]) { values.append(Scalar("rine.synthetic_cos_common_n\(n)_k\(k)", c, significantFigures: 3, tolerance: RedrawTolerance.untrained)) }
            }
            values.append(Scalar("rine.synthetic_cos_drop", cosNoise.first! - cosNoise.last!, significantFigures: 2, tolerance: RedrawTolerance.untrained))
            if let i = commonNs.firstIndex(of: 4) {
                values.append(Scalar("rine.synthetic_cos_rise", cosCommon[i].last! - cosCommon[i].first!, significantFigures: 2, tolerance: RedrawTolerance.untrained))
            }
            let table = Table(id: "synthetic-table", caption: "Redundancy (bits) per n and learning rate: the exact measures of the distribution of (X₁, X₂, Y) (noise inputs are independent and change none of them) — I∧, I_BROJA, I_MMI, I_ccs — beside RINE (our readout: final epoch against the entropy of the test labels) for each number of noise inputs k, its mean over k, and the mean over k of the authors' readout (last 5 epochs × 1.44 against H = 3 bits); ± t-corrected over the k values. " + setup,
                              columns: ["n", "lr", "I∧", "I_BROJA", "I_MMI", "I_ccs"] + ks.map { "RINE k = \($0)" } + ["RINE mean", "authors' readout, mean"], rows: rows)
            let cosTable = Table(id: "synthetic-cosine", caption: "Mean cosine similarity of the two sources' input vectors (\(cosineSamples) samples; samples with a zero vector are left out, as numpy's nanmean does in the authors' similarity.py) against the number k of appended inputs: independent N(0, 2²) noise per source (n = 8), or the same constant −2 on both sources (n = \(commonNs.map(String.init).joined(separator: ", ")); the paper's text uses n = 4, the authors' similarity.py n = 0).",
                                 columns: ["appended inputs"] + cosKs.map { "k = \($0)" }, rows:
                                    [["noise, n = 8"] + cosNoise.map { String(format: "%.3f", $0) }]
                                    + commonNs.indices.map { i in ["shared, n = \(commonNs[i])"] + cosKs.map { k in commonKs.firstIndex(of: k).map { String(format: "%.3f", cosCommon[i][$0]) } ?? "–" } })
            return AnalysisOutput(tables: [table, cosTable], figures: [fig], values: values, notes: ["\(jobs.count) trainings"])
        })

    /// Defaults of the neural-data analyses' decoders and optimiser (Doubles, so that `replicate describe` shows them as
    /// written); `momentum` nil means Adam, a value SGD with that momentum.
    struct DecoderDefaults {
        var learningRate: Double, lrDecay: Double, momentum: Double?, weightDecay: Double
        var epochs: Int, batch: Int, beta: Double, gamma: Double, hidden: [Int]
    }

    /// The decoder and optimiser settings of the neural-data analyses, each read from the directive with its default in
    /// `d`: learning rate, its decay per epoch, the momentum (SGD only), weight decay, epochs, batch, β, γ, hidden widths;
    /// batch normalisation after every hidden layer.
    static func decoderConfig(_ p: Parameters, defaults d: DecoderDefaults) throws -> RINEConfig {
        var c = RINEConfig()
        c.useAdam = d.momentum == nil; c.batchNorm = true
        c.learningRate = Float(try p.double("learning_rate", default: d.learningRate, range: 1e-6...10))
        c.learningRateDecay = Float(try p.double("lr_decay", default: d.lrDecay, range: 0.01...1))
        if let m = d.momentum { c.momentum = Float(try p.double("momentum", default: m, range: 0...0.999)) }
        c.weightDecay = Float(try p.double("weight_decay", default: d.weightDecay, range: 0...1))
        c.epochs = try p.int("epochs", default: d.epochs, range: 1...10_000)
        c.batchSize = try p.int("batch", default: d.batch, range: 2...10_000)
        c.beta = try p.double("beta", default: d.beta, range: 0...1e5)
        c.gamma = try p.double("gamma", default: d.gamma, range: 0...0.9999)
        c.hidden = try RINEParameterChecks.hidden(p, default: d.hidden)
        return c
    }

    /// The reach analysis' decoders: 25–15 with batch normalisation, Adam, learning rate 0.005 · 0.99^epoch, weight decay
    /// 0.005, batch 32, at most 150 epochs, β = 50 on the schedule.
    static func smallDataConfig(_ p: Parameters) throws -> RINEConfig {
        try decoderConfig(p, defaults: DecoderDefaults(learningRate: 0.005, lrDecay: 0.99, momentum: nil, weightDecay: 0.005,
                                                       epochs: 150, batch: 32, beta: 50, gamma: 0.97, hidden: [25, 15]))
    }

    static let fashion = AnalysisDescriptor(
        name: "rine.fashion",
        summary: "Fig. 2 analogue on Fashion-MNIST: redundancy between left/right crops of width w and between low/high-pass images",
        datasets: ["fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz",
                   "fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz"],
        run: { ctx in
            let p = ctx.parameters
            let widths = try RINEParameterChecks.ints(p, "widths", default: [4, 8, 14, 20, 28], each: 1...28, count: 1...28, what: "crop width")
            let betas = try RINEParameterChecks.doubles(p, "betas", default: [0, 50], each: 0...1e4, maxCount: 20, what: "β")
            let seeds = try p.int("seeds", default: 1, range: 1...20)
            let nTrain = try p.int("train", default: 10_000, range: 100...60_000)
            let nTest = try p.int("test", default: 2_000, range: 100...10_000)
            let sigma = try p.double("blur_sigma", default: 1.5, range: 0.3...10)
            let cutoff = try p.int("fft_cutoff", default: 4, range: 0...14)
            let seed = try p.int("seed", default: 7)
            var config = RINEConfig()
            config.useAdam = true
            config.learningRate = Float(try p.double("learning_rate", default: 0.002, range: 1e-6...10))
            config.learningRateDecay = 0.97; config.weightDecay = 0
            config.epochs = try p.int("epochs", default: 12, range: 1...500)
            config.hidden = try RINEParameterChecks.hidden(p, default: [64, 32])
            config.gamma = try p.double("gamma", default: 0.97, range: 0...0.9999)
            // Fig. A2 on the images: the crops again at the largest β, held fixed from the first epoch (the authors' '-nosched'
            // runs in scripts/generate_redundant_commands.py), on the same data and initialisations as the scheduled runs.
            let fixedBeta = try p.bool("fixed_beta", default: false)
            guard !fixedBeta || betas.max()! > 0 else { throw RINEParameterChecks.error(p, "fixed_beta", "needs a β > 0 in betas") }
            // The images: data / labels (training) and test_data / test_labels, each a path or a manifest id (FashionInput).
            let trainURLs = try FashionInput.urls(ctx, FashionInput.train), testURLs = try FashionInput.urls(ctx, FashionInput.test)
            try p.rejectUnused()
            let train = try FashionInput.load(p, images: trainURLs.images, labels: trainURLs.labels, keys: (FashionInput.train.images, FashionInput.train.labels), limit: nTrain)
            let test = try FashionInput.load(p, images: testURLs.images, labels: testURLs.labels, keys: (FashionInput.test.images, FashionInput.test.labels), limit: nTest)
            let hY = RINEReadout.labelEntropy(test.labels)
            let dataWord = p.raw(FashionInput.train.images) == nil ? "Fashion-MNIST" : trainURLs.images.lastPathComponent
            // Views: crops of each width, then the Gaussian-blur split, then the FFT-box split.
            let gTrain = ImageViews.frequencySplit(train.images, sigma: sigma), gTest = ImageViews.frequencySplit(test.images, sigma: sigma)
            let fTrain = ImageViews.fftBoxSplit(train.images, cutoff: cutoff), fTest = ImageViews.fftBoxSplit(test.images, cutoff: cutoff)
            let nViews = widths.count + 2
            func views(_ v: Int, _ imgs: [[Float]], _ g: (low: Matrix<Float>, high: Matrix<Float>), _ f: (low: Matrix<Float>, high: Matrix<Float>)) -> [Matrix<Float>] {
                if v < widths.count { return [ImageViews.crop(imgs, width: widths[v], left: true), ImageViews.crop(imgs, width: widths[v], left: false)] }
                return v == widths.count ? [g.low, g.high] : [f.low, f.high]
            }
            // b = betas.count marks the fixed-β runs (crops only).
            let bFixed = betas.count, betaFixed = betas.max()!
            let jobs = (0..<seeds).flatMap { s in betas.indices.flatMap { b in (0..<nViews).map { (s, b, $0) } } }
                + (fixedBeta ? (0..<seeds).flatMap { s in widths.indices.map { (s, bFixed, $0) } } : [])
            let root = Xoshiro256(seed: UInt64(seed))
            let done = Counter()
            let runs = Parallel.map(jobs.count) { j -> (Double, [Double], Double) in
                let (s, b, v) = jobs[j]
                var rng = root.child(s * 1000 + v)
                var c = config
                if b == bFixed { c.beta = betaFixed; c.scheduleBeta = false } else { c.beta = betas[b] }
                let r = RINETrainer(config: c).run(train: (views(v, train.images, gTrain, fTrain), train.labels),
                                                   test: (views(v, test.images, gTest, fTest), test.labels), classes: 10, entropyY: hY, rng: &rng)
                let perClass = (0..<10).map { cl -> Double in
                    Stats.mean(test.labels.indices.filter { test.labels[$0] == cl }.map { r.perSampleRedundancy[$0] })
                }
                let k = done.increment()
                ctx.progress("\(k)/\(jobs.count) trainings")
                return (r.redundancy, perClass, r.distance)
            }
            func cell(_ b: Int, _ v: Int) -> [(Double, [Double], Double)] { (0..<seeds).map { s in runs[jobs.firstIndex { $0 == (s, b, v) }!] } }
            func summary(_ x: [Double]) -> (mean: Double, error: Double?) {
                x.count >= 2 ? { let s = ReplicateMean.coverage(x); return (s.mean, s.error) }() : (x[0], nil)
            }
            var series = [Series](), values = [Scalar](), tableRows = [[String]]()
            for (b, beta) in betas.enumerated() {
                let sums = widths.indices.map { summary(cell(b, $0).map(\.0)) }
                series.append(Series(label: "crops, β = \(Int(beta))", style: seeds >= 2 ? .errorLines : .linesPoints, x: widths.map(Double.init),
                                     y: sums.map(\.mean), yError: seeds >= 2 ? sums.map { $0.error! } : nil))
                for (w, sm) in zip(widths, sums) {
                    values.append(Scalar("rine.fashion_crop_w\(w)_beta\(Int(beta))", sm.mean, error: sm.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: sm.error, runs: seeds)))
                }
                let g = summary(cell(b, widths.count).map(\.0)), f = summary(cell(b, widths.count + 1).map(\.0))
                values.append(Scalar("rine.fashion_blur_beta\(Int(beta))", g.mean, error: g.error, significantFigures: 3, unit: "bits", tolerance: RedrawTolerance.tolerance(error: g.error, runs: seeds)))
                values.append(Scalar("rine.fashion_fft_beta\(Int(beta))", f.mean, error: f.error, significantFigures: 3, unit: "bits", tolerance: RedrawTolerance.tolerance(error: f.error, runs: seeds)))
                tableRows.append(["β = \(Int(beta))"] + sums.map { String(format: "%.3f", $0.mean) + ($0.error.map { String(format: " ± %.3f", $0) } ?? "") }
                                 + [g, f].map { String(format: "%.3f", $0.mean) + ($0.error.map { String(format: " ± %.3f", $0) } ?? "") })
            }
            // Per class at the largest β: the half crops (w = 14 if run) and the FFT split.
            let bLast = betas.count - 1
            let wHalf = widths.firstIndex(of: 14) ?? widths.count / 2
            // Crops against frequencies at the last β, paired by seed (same seed stream per view index).
            let cropMinusFFT = summary(zip(cell(bLast, wHalf).map(\.0), cell(bLast, widths.count + 1).map(\.0)).map { $0 - $1 })
            values.append(Scalar("rine.fashion_crop_minus_fft_beta\(Int(betas[bLast]))", cropMinusFFT.mean, error: cropMinusFFT.error, significantFigures: 2, unit: "bits",
                                 tolerance: RedrawTolerance.tolerance(error: cropMinusFFT.error, runs: seeds)))
            var tables = [Table]()
            func fmtE(_ x: (mean: Double, error: Double?)) -> String { String(format: "%.3f", x.mean) + (x.error.map { String(format: " ± %.3f", $0) } ?? "") }
            if fixedBeta {
                let fixedSums = widths.indices.map { summary(cell(bFixed, $0).map(\.0)) }
                series.append(Series(label: "crops, β = \(Int(betaFixed)) fixed", style: seeds >= 2 ? .errorLines : .linesPoints, x: widths.map(Double.init),
                                     y: fixedSums.map(\.mean), yError: seeds >= 2 ? fixedSums.map { $0.error! } : nil))
                let bSched = betas.firstIndex(of: betaFixed)!
                func meanD(_ b: Int, _ v: Int) -> Double { Stats.mean(cell(b, v).map(\.2)) }
                var rowsA = [[String]]()
                for (v, w) in widths.enumerated() {
                    let sc = summary(cell(bSched, v).map(\.0)), fx = fixedSums[v]
                    let d = summary(zip(cell(bSched, v).map(\.0), cell(bFixed, v).map(\.0)).map { $0 - $1 })
                    values.append(Scalar("rine.fashion_crop_w\(w)_beta\(Int(betaFixed))_fixed", fx.mean, error: fx.error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: fx.error, runs: seeds)))
                    values.append(Scalar("rine.fashion_crop_w\(w)_schedule_minus_fixed", d.mean, error: d.error, significantFigures: 2, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: d.error, runs: seeds)))
                    rowsA.append(["\(w)", fmtE(sc), fmtE(fx), fmtE(d), String(format: "%.3f / %.3f", meanD(bSched, v), meanD(bFixed, v))])
                }
                tables.append(Table(id: "fashion-ablation", caption: "Fig. A2 on the images: redundancy (bits) between left/right crops of width w at β = \(Int(betaFixed)), with the β schedule β(1 − \(config.gamma)^e) or β fixed from the first epoch, on the same data and initialisations; the per-seed difference; the final test decoder distance D (schedule / fixed).",
                                    columns: ["w", "schedule", "fixed β", "schedule − fixed", "D"], rows: rowsA))
            }
            let pcCrop = (0..<10).map { cl in summary(cell(bLast, wHalf).map { $0.1[cl] }) }
            let pcBlur = (0..<10).map { cl in summary(cell(bLast, widths.count).map { $0.1[cl] }) }
            let pcFFT = (0..<10).map { cl in summary(cell(bLast, widths.count + 1).map { $0.1[cl] }) }
            func f(_ x: (mean: Double, error: Double?)) -> String { String(format: "%.3f", x.mean) + (x.error.map { String(format: " ± %.3f", $0) } ?? "") }
            let cls = (0..<10).map(Double.init)
            let fig = Figure(id: "fashion", caption: "Fig. 2 analogue on \(dataWord) (\(train.images.count) training / \(test.images.count) test images, \(seeds) seed\(seeds > 1 ? "s" : "")): (left) redundant information about the class between the left and right crops of width w (overlapping for w > 14; w = 28 is the whole image twice) for each β; (right) per-class redundancy at β = \(Int(betas[bLast])) between the w = \(widths[wHalf]) crops and between the FFT-box low/high-pass images (|k| ≤ \(cutoff) cycles per image). MLP \(config.hidden), Adam, \(config.epochs) epochs, schedule γ = \(config.gamma).",
                             altText: "Redundancy against crop width for each beta; per-class bars for crops and frequencies.",
                             panels: [Panel(title: "left vs right crops", xLabel: "crop width w (pixels)", yLabel: "I∩ (bits)", series: series),
                                      Panel(title: "per class, β = \(Int(betas[bLast]))", xLabel: "class", yLabel: "I∩ contribution (bits)", xRange: [-0.5, 9.5],
                                            series: [Series(label: "crops w = \(widths[wHalf])", style: .linesPoints, x: cls, y: pcCrop.map(\.mean)),
                                                     Series(label: "FFT box", style: .linesPoints, x: cls, y: pcFFT.map(\.mean)),
                                                     Series(label: "Gaussian blur", style: .linesPoints, x: cls, y: pcBlur.map(\.mean))],
                                            xTickLabels: ["T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Boot"])],
                             columns: 2, panelWidth: 480, panelHeight: 360)
            let totals = Table(id: "fashion-totals", caption: "Redundancy (bits) between left/right crops of width w, and between low- and high-pass images (Gaussian blur σ = \(sigma) px; FFT box |k| ≤ \(cutoff)), for each final β\(seeds > 1 ? ", mean ± t-corrected error over \(seeds) seeds" : ", one seed"). H(Y) of the test labels = \(String(format: "%.3f", hY)) bits.",
                               columns: ["β"] + widths.map { "w = \($0)" } + ["blur split", "FFT split"], rows: tableRows)
            let table = Table(id: "fashion-classes", caption: "Per-class redundancy at β = \(Int(betas[bLast])): mean over the test images of the class of H(Y) − ½(CE₁ + CE₂), bits\(seeds > 1 ? ", mean ± t-corrected error over \(seeds) seeds" : ", one seed").",
                              columns: ["class", "crops w = \(widths[wHalf])", "FFT split", "blur split"],
                              rows: (0..<10).map { [FashionMNIST.classNames[$0], f(pcCrop[$0]), f(pcFFT[$0]), f(pcBlur[$0])] })
            if seeds >= 2 {
                for cl in 0..<10 {
                    values.append(Scalar("rine.fashion_class\(cl)_crop_w\(widths[wHalf])", pcCrop[cl].mean, error: pcCrop[cl].error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: pcCrop[cl].error, runs: seeds)))
                    values.append(Scalar("rine.fashion_class\(cl)_fft", pcFFT[cl].mean, error: pcFFT[cl].error, significantFigures: 3, unit: "bits",
                                         tolerance: RedrawTolerance.tolerance(error: pcFFT[cl].error, runs: seeds)))
                }
            }
            return AnalysisOutput(tables: [totals, table] + tables, figures: [fig], values: values, notes: ["\(jobs.count) trainings"])
        })
}

/// A thread-safe counter for progress reports from parallel loops.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
