import AnalysisKit
import DataFiles
import Foundation
import Numerics

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
        c.hidden = try p.ints("hidden", default: [25, 15])
        return c
    }

    static func runCanonical(_ task: DiscreteTask, config: RINEConfig, samples: Int, rng: inout Xoshiro256) -> RINEResult {
        let data = task.sample(samples, rng: &rng)
        let split = trainTestSplit([data.x1, data.x2], data.y, trainFraction: 0.8, rng: &rng)
        return RINETrainer(config: config).run(train: split.train, test: split.test, classes: task.ySymbols,
                                               entropyY: ExactRedundancy.entropyY(task), rng: &rng)
    }

    static let canonical = AnalysisDescriptor(
        name: "rine.canonical",
        summary: "Table 1 / A5: RINE on UNQ, AND, RDNXOR, IMPERFECTRDN for several β, with exact PID quantities",
        run: { ctx in
            let p = ctx.parameters
            let betas = try p.doubles("betas", default: [0, 5, 15])
            let seeds = try p.int("seeds", default: 5, range: 2...100)
            let samples = try p.int("samples", default: 10_000, range: 100...10_000_000)
            let seed = try p.int("seed", default: 1)
            var config = try canonicalConfig(p)
            let tasks = DiscreteTask.canonical
            let jobs = tasks.indices.flatMap { t in betas.indices.flatMap { b in (0..<seeds).map { (t, b, $0) } } }
            let root = Xoshiro256(seed: UInt64(seed))
            let done = Counter()
            let results = Parallel.map(jobs.count) { j -> Double in
                let (t, b, s) = jobs[j]
                var c = config
                c.beta = betas[b]
                var rng = root.child(t * 1000 + s) // same data and initialisation across β for a given task and seed
                let r = runCanonical(tasks[t], config: c, samples: samples, rng: &rng).redundancy
                let k = done.increment()
                if k % 10 == 0 { ctx.progress("\(k)/\(jobs.count) trainings") }
                return r
            }
            config.beta = betas.last ?? 0
            var rows = [[String]](), exactRows = [[String]](), values = [Scalar]()
            for (t, task) in tasks.enumerated() {
                var cells = [task.name]
                let wedge = ExactRedundancy.iWedge(task)
                for b in betas.indices {
                    let v = (0..<seeds).map { s in results[jobs.firstIndex { $0 == (t, b, s) }!] }
                    let m = Stats.mean(v), sd = Stats.standardDeviation(v)
                    let paperV = paper[task.name].flatMap { b < $0.count && [0, 5, 15].contains(betas[b]) ? $0[[0.0, 5, 15].firstIndex(of: betas[b])!] : nil }
                    cells.append(String(format: "%.3f (%.3f)", m, sd) + (paperV.map { String(format: " [paper %.3f]", $0) } ?? ""))
                    values.append(Scalar("rine.\(task.name.lowercased())_beta\(Int(betas[b]))", m, error: sd / Double(seeds).squareRoot(),
                                         significantFigures: 3, unit: "bits"))
                }
                cells.append(String(format: "%.3f", wedge.value))
                rows.append(cells)
                exactRows.append([task.name, String(format: "%.3f", ExactRedundancy.entropyY(task)),
                                  String(format: "%.3f", ExactRedundancy.mutualInformationX1(task)),
                                  String(format: "%.3f", ExactRedundancy.mutualInformationX2(task)),
                                  String(format: "%.3f", ExactRedundancy.mutualInformationJoint(task)),
                                  String(format: "%.3f", wedge.value), "\(wedge.functionsTried)"])
                values.append(Scalar("rine.\(task.name.lowercased())_iwedge", wedge.value, significantFigures: 3, unit: "bits"))
            }
            let t1 = Table(id: "table1", caption: "Table 1 / A5: RINE redundancy I∩ (bits, test set), mean (sd) over \(seeds) seeds, paper's value in brackets; last column the exact I∧. Network \(config.hidden) + batch norm + ReLU, SGD momentum \(config.momentum), lr \(config.learningRate)·0.97^epoch, weight decay \(config.weightDecay), batch \(config.batchSize), \(config.epochs) epochs, β schedule β(1 − 0.97^e), \(samples) samples split 80/20.",
                           columns: ["task"] + betas.map { "β = \(Int($0))" } + ["exact I∧"], rows: rows)
            let t2 = Table(id: "exact", caption: "Exact quantities of the canonical distributions (bits). I∧ is the maximum of I(Q;Y) over common deterministic functions Q = f₁(X₁) = f₂(X₂), enumerated as all coarsenings of the support graph's connected components.",
                           columns: ["task", "H(Y)", "I(X₁;Y)", "I(X₂;Y)", "I(X₁,X₂;Y)", "I∧", "functions tried"], rows: exactRows)
            return AnalysisOutput(tables: [t1, t2], values: values, notes: ["\(jobs.count) trainings, seed \(seed)"])
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
            let tasks = DiscreteTask.canonical
            let jobs = tasks.indices.flatMap { t in [true, false].flatMap { sch in (0..<seeds).map { (t, sch, $0) } } }
            let root = Xoshiro256(seed: UInt64(seed))
            let results = Parallel.map(jobs.count) { j -> RINEResult? in
                let (t, sch, s) = jobs[j]
                var c = config
                c.beta = beta; c.scheduleBeta = sch
                var rng = root.child(t * 1000 + s)
                return runCanonical(tasks[t], config: c, samples: samples, rng: &rng)
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
                    cells.append(String(format: "%.3f (D = %.3f)", Stats.mean(fin), Stats.mean(dist)))
                    values.append(Scalar("rine.ablation_\(task.name.lowercased())_\(sch ? "schedule" : "fixed")", Stats.mean(fin),
                                         error: seeds > 1 ? Stats.standardError(fin) : nil, significantFigures: 3, unit: "bits",
                                         tolerance: .absolute(max(0.05, 3 * (seeds > 1 ? Stats.standardError(fin) : 0)))))
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
        summary: "Fig. 5: redundancy and cosine similarity on the 8-class task versus appended noise inputs",
        run: { ctx in
            let p = ctx.parameters
            let ns = try p.ints("classes", default: [4, 5, 6, 7, 8])
            let ks = try p.ints("noise_inputs", default: [0, 1, 2, 9, 19])
            let samples = try p.int("samples", default: 10_000, range: 100...1_000_000)
            let seed = try p.int("seed", default: 3)
            var config = RINEConfig()
            config.batchNorm = false; config.useAdam = true
            config.learningRate = Float(try p.double("learning_rate", default: 0.005))
            config.learningRateDecay = 1; config.weightDecay = 0
            config.epochs = try p.int("epochs", default: 50, range: 1...1000)
            config.beta = try p.double("beta", default: 50)
            let jobs = ns.flatMap { n in ks.map { (n, $0) } }
            let root = Xoshiro256(seed: UInt64(seed))
            let pairs = Parallel.map(jobs.count) { j -> (Double, Double) in
                let (n, k) = jobs[j]
                var rng = root.child(j)
                let data = EightClassTask.sample(samples, n: n, noise: k, rng: &rng)
                let c = EightClassTask.cosineSimilarity(data.x)
                let split = trainTestSplit(data.x, data.y, trainFraction: 0.8, rng: &rng)
                return (RINETrainer(config: config).run(train: split.train, test: split.test, classes: 8, entropyY: 3, rng: &rng).redundancy, c)
            }
            let red = pairs.map(\.0), cos = pairs.map(\.1)
            let kx = ks.map(Double.init)
            func series(_ v: [Double]) -> [Series] {
                ns.map { n in Series(label: "n = \(n)", style: .linesPoints, x: kx, y: ks.map { k in v[jobs.firstIndex { $0 == (n, k) }!] }) }
            }
            let fig = Figure(id: "synthetic", caption: "Fig. 5 analogue: (left) RINE redundancy on the 8-class task where each source encodes n classes, versus the number k of appended N(0, 2²) noise inputs; (right) mean cosine similarity of the two sources' inputs. Adam lr \(config.learningRate), \(config.epochs) epochs, β = \(Int(config.beta)) (scheduled).",
                             altText: "Redundancy stays flat with added noise inputs while cosine similarity falls.",
                             panels: [Panel(title: "redundant information", xLabel: "noise inputs k", yLabel: "I∩ (bits)", series: series(red)),
                                      Panel(title: "cosine similarity of inputs", xLabel: "noise inputs k", yLabel: "cosine similarity", series: series(cos))],
                             columns: 2, panelWidth: 460, panelHeight: 340)
            var rows = [[String]](), values = [Scalar]()
            for n in ns {
                let v = ks.map { k in red[jobs.firstIndex { $0 == (n, k) }!] }
                rows.append(["\(n)", String(format: "%.3f", EightClassTask.exactRedundancy(n))] + v.map { String(format: "%.3f", $0) })
                values.append(Scalar("rine.synthetic_n\(n)_mean", Stats.mean(v), error: Stats.standardError(v), significantFigures: 3, unit: "bits",
                                     tolerance: .absolute(max(0.05, 3 * Stats.standardError(v)))))
                values.append(Scalar("rine.synthetic_n\(n)_ideal", EightClassTask.exactRedundancy(n), significantFigures: 3, unit: "bits"))
            }
            let c0 = cos[jobs.firstIndex { $0 == (ns.last!, ks.first!) }!], c1 = cos[jobs.firstIndex { $0 == (ns.last!, ks.last!) }!]
            values.append(Scalar("rine.synthetic_cos_drop", c0 - c1, significantFigures: 2, tolerance: .absolute(0.05)))
            let table = Table(id: "synthetic-table", caption: "Redundancy (bits) per n and number of noise inputs k, beside the idealised value H(Q) for sources that reveal every shared class (random values that coincide with labels make the true value lower for 4 < n < 8).",
                              columns: ["n", "idealised"] + ks.map { "k = \($0)" }, rows: rows)
            return AnalysisOutput(tables: [table], figures: [fig], values: values)
        })

    /// Pairwise redundancy matrix between sources (diagonal: a source with itself = its usable information).
    static func pairwiseMatrix(_ sources: [Matrix<Float>], _ y: [Int], config: RINEConfig, splits: Int, trainFraction: Double,
                               root: Xoshiro256, progress: @escaping (String) -> Void) -> (mean: [[Double]], sd: [[Double]]) {
        let m = sources.count
        let hY = DiscreteInformation.entropy(samples: y)
        let pairs = (0..<m).flatMap { i in (i..<m).map { (i, $0) } }
        let jobs = pairs.flatMap { pr in (0..<splits).map { (pr, $0) } }
        let done = Counter()
        let vals = Parallel.map(jobs.count) { j -> Double in
            let ((a, b), s) = jobs[j]
            var rng = root.child(s * 10_000 + a * 100 + b)
            let split = trainTestSplit([sources[a], sources[b]], y, trainFraction: trainFraction, rng: &rng)
            let v = RINETrainer(config: config).run(train: split.train, test: split.test, classes: 8, entropyY: hY, rng: &rng).redundancy
            let k = done.increment()
            if k % 20 == 0 { progress("\(k)/\(jobs.count) trainings") }
            return v
        }
        var mean = [[Double]](repeating: [Double](repeating: 0, count: m), count: m), sd = mean
        for (a, b) in pairs {
            let v = jobs.indices.filter { jobs[$0].0 == (a, b) }.map { vals[$0] }
            mean[a][b] = Stats.mean(v); mean[b][a] = mean[a][b]
            sd[a][b] = splits > 1 ? Stats.standardDeviation(v) : 0; sd[b][a] = sd[a][b]
        }
        return (mean, sd)
    }

    static func smallDataConfig(_ p: Parameters) throws -> RINEConfig {
        var c = RINEConfig()
        c.useAdam = true; c.batchNorm = true
        c.learningRate = Float(try p.double("learning_rate", default: 0.005))
        c.learningRateDecay = Float(try p.double("lr_decay", default: 0.99))
        c.weightDecay = Float(try p.double("weight_decay", default: 0.005))
        c.epochs = try p.int("epochs", default: 150, range: 1...10_000)
        c.batchSize = try p.int("batch", default: 32, range: 2...10_000)
        c.beta = try p.double("beta", default: 50)
        c.gamma = try p.double("gamma", default: 0.97)
        c.hidden = try p.ints("hidden", default: [25, 15])
        return c
    }

    static let reach = AnalysisDescriptor(
        name: "rine.reach",
        summary: "Pairwise redundancy about reach direction between sub-populations of motor-cortex neurons (real data)",
        datasets: ["reach/ReachData.mat"],
        run: { ctx in
            let p = ctx.parameters
            let groups = try p.int("groups", default: 4, range: 2...20)
            let splits = try p.int("splits", default: 4, range: 1...100)
            let seed = try p.int("seed", default: 5)
            let config = try smallDataConfig(p)
            let data = try ReachData(contentsOf: try ctx.dataFile("data", default: "reach/ReachData.mat"))
            let nNeurons = data.rates.cols
            let blocks = (0..<groups).map { g in Array((g * nNeurons / groups)..<((g + 1) * nNeurons / groups)) }
            let sources = blocks.map { data.standardized($0) }
            let (mean, sd) = pairwiseMatrix(sources, data.direction, config: config, splits: splits, trainFraction: 0.8,
                                            root: Xoshiro256(seed: UInt64(seed)), progress: ctx.progress)
            let labels = blocks.map { "\($0.first! + 1)–\($0.last! + 1)" }
            let fig = Figure(id: "reach", caption: "Redundant information (bits) about the 8 reach directions between blocks of motor-cortex neurons (by index); diagonal: each block's own usable information. \(data.direction.count) trials, mean over \(splits) random 80/20 splits.",
                             altText: "Heat map of pairwise redundant information between neuron groups, numbers in the cells.",
                             panels: [Panel(xLabel: "neurons", yLabel: "neurons", heatmap: Heatmap(values: mean, rowLabels: labels, columnLabels: labels, showNumbers: true))],
                             panelWidth: 560, panelHeight: 480)
            var off = [Double](), diag = [Double]()
            for a in 0..<groups { diag.append(mean[a][a]); for b in (a + 1)..<groups { off.append(mean[a][b]) } }
            let sdOff = Stats.mean((0..<groups).flatMap { a in ((a + 1)..<groups).map { sd[a][$0] } })
            return AnalysisOutput(figures: [fig], values: [
                Scalar("rine.reach_offdiag_mean", Stats.mean(off), error: sdOff / Double(max(splits, 1)).squareRoot(), significantFigures: 2, unit: "bits",
                       tolerance: .absolute(max(0.15, 3 * sdOff / Double(max(splits, 1)).squareRoot()))),
                Scalar("rine.reach_diag_mean", Stats.mean(diag), significantFigures: 2, unit: "bits", tolerance: .absolute(0.15)),
            ], notes: ["\(groups) groups, \(splits) splits, seed \(seed)"])
        })

    static let premotor = AnalysisDescriptor(
        name: "rine.premotor",
        summary: "Pairwise redundancy between time windows of a simulated premotor population",
        run: { ctx in
            let p = ctx.parameters
            var sim = PremotorSimulation()
            sim.windows = try p.int("windows", default: 6, range: 2...20)
            sim.neurons = try p.int("neurons", default: 30, range: 2...1000)
            sim.trialsPerTarget = try p.int("trials_per_target", default: 60, range: 5...10_000)
            let splits = try p.int("splits", default: 2, range: 1...100)
            let seed = try p.int("seed", default: 6)
            let config = try smallDataConfig(p)
            var rng = Xoshiro256(seed: UInt64(seed))
            let (x, y) = sim.simulate(rng: &rng)
            let sources = x.map { m -> Matrix<Float> in
                var out = m
                for j in 0..<m.cols {
                    let col = m.column(j).map(Double.init)
                    let mu = Stats.mean(col), s = max(Stats.standardDeviation(col), 1e-9)
                    for i in 0..<m.rows { out[i, j] = Float((col[i] - mu) / s) }
                }
                return out
            }
            let (mean, _) = pairwiseMatrix(sources, y, config: config, splits: splits, trainFraction: 0.8,
                                           root: rng.child(1), progress: ctx.progress)
            let labels = (0..<sim.windows).map { "\($0 * 100)–\(($0 + 1) * 100) ms" }
            var adjacent = [Double](), distant = [Double]()
            for a in 0..<sim.windows { for b in (a + 1)..<sim.windows { if b == a + 1 { adjacent.append(mean[a][b]) } else { distant.append(mean[a][b]) } } }
            let fig = Figure(id: "premotor", caption: "Redundant information (bits) about target between time windows of a simulated premotor population (\(sim.neurons) cosine-tuned Poisson neurons whose tuning ramps up and whose preferred directions drift; \(8 * sim.trialsPerTarget) trials).",
                             altText: "Heat map of redundancy between time windows; values are highest next to the diagonal.",
                             panels: [Panel(xLabel: "window", yLabel: "window", heatmap: Heatmap(values: mean, rowLabels: labels, columnLabels: labels, showNumbers: true))],
                             panelWidth: 620, panelHeight: 520)
            return AnalysisOutput(figures: [fig], values: [
                Scalar("rine.premotor_adjacent", Stats.mean(adjacent), error: Stats.standardError(adjacent), significantFigures: 2, unit: "bits"),
                Scalar("rine.premotor_distant", Stats.mean(distant), error: Stats.standardError(distant), significantFigures: 2, unit: "bits"),
            ])
        })

    static let fashion = AnalysisDescriptor(
        name: "rine.fashion",
        summary: "Fig. 2 analogue on Fashion-MNIST: redundancy between left/right crops of width w and between low/high-pass images",
        datasets: ["fashion-mnist/train-images-idx3-ubyte.gz", "fashion-mnist/train-labels-idx1-ubyte.gz",
                   "fashion-mnist/t10k-images-idx3-ubyte.gz", "fashion-mnist/t10k-labels-idx1-ubyte.gz"],
        run: { ctx in
            let p = ctx.parameters
            let widths = try p.ints("widths", default: [2, 4, 6, 8, 10, 12, 14])
            let nTrain = try p.int("train", default: 10_000, range: 100...60_000)
            let nTest = try p.int("test", default: 2_000, range: 100...10_000)
            let sigma = try p.double("blur_sigma", default: 1.5, range: 0.3...10)
            let seed = try p.int("seed", default: 7)
            var config = RINEConfig()
            config.useAdam = true
            config.learningRate = Float(try p.double("learning_rate", default: 0.002))
            config.learningRateDecay = 0.97; config.weightDecay = 0
            config.epochs = try p.int("epochs", default: 12, range: 1...500)
            config.hidden = try p.ints("hidden", default: [64, 32])
            config.beta = try p.double("beta", default: 50)
            config.gamma = 0.8
            let train = try FashionMNIST(images: try ctx.dataset("fashion-mnist/train-images-idx3-ubyte.gz"),
                                         labels: try ctx.dataset("fashion-mnist/train-labels-idx1-ubyte.gz"), limit: nTrain)
            let test = try FashionMNIST(images: try ctx.dataset("fashion-mnist/t10k-images-idx3-ubyte.gz"),
                                        labels: try ctx.dataset("fashion-mnist/t10k-labels-idx1-ubyte.gz"), limit: nTest)
            let hY = DiscreteInformation.entropy(samples: test.labels)
            let root = Xoshiro256(seed: UInt64(seed))
            let runs = Parallel.map(widths.count + 1) { j -> RINEResult in
                var rng = root.child(j)
                if j < widths.count {
                    let w = widths[j]
                    let tr = [ImageViews.crop(train.images, width: w, left: true), ImageViews.crop(train.images, width: w, left: false)]
                    let te = [ImageViews.crop(test.images, width: w, left: true), ImageViews.crop(test.images, width: w, left: false)]
                    return RINETrainer(config: config).run(train: (tr, train.labels), test: (te, test.labels), classes: 10, entropyY: hY, rng: &rng)
                }
                let a = ImageViews.frequencySplit(train.images, sigma: sigma), b = ImageViews.frequencySplit(test.images, sigma: sigma)
                return RINETrainer(config: config).run(train: ([a.low, a.high], train.labels), test: ([b.low, b.high], test.labels), classes: 10, entropyY: hY, rng: &rng)
            }
            let cropRed = runs.prefix(widths.count).map(\.redundancy)
            let freq: RINEResult? = runs.last
            let perClass = (0..<10).map { c -> Double in
                let idx = test.labels.indices.filter { test.labels[$0] == c }
                return Stats.mean(idx.map { freq!.perSampleRedundancy[$0] })
            }
            let fig = Figure(id: "fashion", caption: "Fig. 2 analogue on Fashion-MNIST (\(nTrain) training / \(nTest) test images): (left) redundant information about the class between the left and right crops of width w; (right) per-class redundancy between the low-pass (Gaussian blur σ = \(sigma) px) and high-pass images, total \(String(format: "%.2f", freq!.redundancy)) bits. MLP \(config.hidden), Adam, \(config.epochs) epochs, β = \(Int(config.beta)).",
                             altText: "Redundancy grows with crop width; per-class bars for the frequency split.",
                             panels: [Panel(title: "left vs right crops", xLabel: "crop width w (pixels)", yLabel: "I∩ (bits)",
                                            series: [Series(label: "RINE", style: .linesPoints, x: widths.map(Double.init), y: cropRed)]),
                                      Panel(title: "low-pass vs high-pass, per class", xLabel: "class", yLabel: "I∩ contribution (bits)", xRange: [-0.5, 9.5],
                                            series: [Series(label: "per class", style: .boxes, x: (0..<10).map(Double.init), y: perClass)])],
                             columns: 2, panelWidth: 480, panelHeight: 360)
            let table = Table(id: "fashion-classes", caption: "Per-class redundancy between low- and high-pass images: mean over the test images of the class of H(Y) − ½(CE_low + CE_high), bits.",
                              columns: ["class", "I∩ (bits)"], rows: (0..<10).map { [FashionMNIST.classNames[$0], String(format: "%.3f", perClass[$0])] })
            var values = [Scalar("rine.fashion_freq", freq!.redundancy, significantFigures: 3, unit: "bits", tolerance: .absolute(0.1))]
            for (w, v) in zip(widths, cropRed) { values.append(Scalar("rine.fashion_crop_w\(w)", v, significantFigures: 3, unit: "bits", tolerance: .absolute(0.1))) }
            return AnalysisOutput(tables: [table], figures: [fig], values: values)
        })
}

/// A thread-safe counter for progress reports from parallel loops.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
