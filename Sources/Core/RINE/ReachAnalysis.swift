import AnalysisKit
import DataFiles
import Foundation
import Numerics
import StatisticalTolerances

/// Preferred directions of reach-tuned neurons and groups of neurons built from them (issue 22 §4).
///
/// Direction k of the teaching data set (0..<8) is the angle k·45°. A neuron's preferred direction is the angle of the
/// first circular harmonic of its tuning curve, the direction-wise mean rates r_k: PD = atan2(Σ r_k sin θ_k,
/// Σ r_k cos θ_k), which is the least-squares cosine fit r_k ≈ b₀ + b cos(θ_k − PD) on the balanced 8-direction design.
public enum PreferredDirection {
    public static func angle(ofDirection k: Int) -> Double { Double(k) * Double.pi / 4 }

    /// Tuning curve of every neuron over the trials `trials`: mean rate per direction (rows: neurons, 8 columns).
    /// A direction without trials gets the neuron's mean rate over the others, so it adds nothing to the harmonic.
    public static func tuningCurves(rates: Matrix<Double>, directions: [Int], trials: [Int]) -> [[Double]] {
        precondition(directions.count == rates.rows, "one direction per trial")
        var sums = [[Double]](repeating: [Double](repeating: 0, count: 8), count: rates.cols)
        var counts = [Int](repeating: 0, count: 8)
        for t in trials {
            counts[directions[t]] += 1
            for i in 0..<rates.cols { sums[i][directions[t]] += rates[t, i] }
        }
        return sums.map { s in
            let seen = (0..<8).filter { counts[$0] > 0 }
            let m = seen.map { s[$0] / Double(counts[$0]) }
            let fill = Stats.mean(m)
            return (0..<8).map { counts[$0] > 0 ? s[$0] / Double(counts[$0]) : fill }
        }
    }

    /// Preferred direction (radians in [0, 2π)) and the fraction of the tuning curve's variance over directions that the
    /// cosine explains (1 for a pure cosine, 0 for a flat or purely higher-harmonic curve).
    public static func fit(_ curve: [Double]) -> (angle: Double, cosineR2: Double) {
        precondition(curve.count == 8, "a tuning curve has 8 directions")
        var c = 0.0, s = 0.0
        for k in 0..<8 { c += curve[k] * cos(angle(ofDirection: k)); s += curve[k] * sin(angle(ofDirection: k)) }
        let mean = Stats.mean(curve)
        let total = curve.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        // The fitted cosine's sum of squares over the 8 directions: 8 · (b/√2)² with b = (2/8)·√(c² + s²).
        let explained = 8 * 0.5 * pow(2.0 / 8 * (c * c + s * s).squareRoot(), 2)
        var a = atan2(s, c)
        if a < 0 { a += 2 * Double.pi }
        return (a, total > 0 ? min(1, explained / total) : 0)
    }

    /// Neurons sorted by preferred direction, cut into `groups` contiguous groups of (nearly) equal size; group g holds
    /// the neurons of the g-th sector in angle order starting at 0°. Ties are broken by neuron index.
    public static func groups(_ angles: [Double], count groups: Int) -> [[Int]] {
        precondition(groups >= 1 && groups <= angles.count, "need 1 ≤ groups ≤ neurons")
        let order = angles.indices.sorted { angles[$0] != angles[$1] ? angles[$0] < angles[$1] : $0 < $1 }
        let n = angles.count
        return (0..<groups).map { g in Array(order[(g * n / groups)..<((g + 1) * n / groups)]).sorted() }
    }
}

/// The pseudo-session surrogate of the paper's cross-session analysis (§3.3; `align_data` in the authors'
/// `data_neural.py`): within each target the trials are shuffled and cut into two halves, and the k-th trial of the first
/// half is paired with the k-th trial of the second. The two members of a pair share the target and nothing else, so
/// the sources are conditionally independent given the target, as recordings from different sessions are.
public enum PseudoSession {
    /// Pairs (first-half trial, second-half trial) with equal direction among `trials` (default: all); an odd trial of a
    /// direction stays unpaired.
    public static func pairs(directions: [Int], among trials: [Int]? = nil, rng: inout Xoshiro256) -> [(Int, Int)] {
        var out = [(Int, Int)]()
        let pool = trials ?? Array(directions.indices)
        for d in 0..<8 {
            var idx = pool.filter { directions[$0] == d }
            rng.shuffle(&idx)
            let h = idx.count / 2
            for k in 0..<h { out.append((idx[k], idx[h + k])) }
        }
        return out
    }
}

/// Which trials of one split train, validate and test.
struct TrialPartition {
    let train: [Int], validation: [Int], test: [Int]

    /// A seeded permutation of `count` items: the first `testFraction` test, the next `validationFraction` of the rest
    /// validate, the remainder trains.
    init(count: Int, testFraction: Double, validationFraction: Double, rng: inout Xoshiro256) {
        let perm = rng.permutation(count)
        let nTest = Int((Double(count) * testFraction).rounded())
        let nVal = Int((Double(count - nTest) * validationFraction).rounded())
        test = Array(perm[0..<nTest]); validation = Array(perm[nTest..<(nTest + nVal)]); train = Array(perm[(nTest + nVal)...])
    }

    init(train: [Int], validation: [Int], test: [Int]) { self.train = train; self.validation = validation; self.test = test }

    /// Given test trials and the rest: a seeded permutation of the rest, its first `validationFraction` validate, the
    /// remainder trains (the units of `HalfSampleSpread`).
    init(test: [Int], rest: [Int], validationFraction: Double, rng: inout Xoshiro256) {
        let perm = rng.permutation(rest.count).map { rest[$0] }
        let nVal = Int((Double(rest.count) * validationFraction).rounded())
        self.test = test; validation = Array(perm[0..<nVal]); train = Array(perm[nVal...])
    }
}

extension RINEAnalyses {
    /// How the two sources of a reach cell are built from the trials of a split.
    enum ReachPairing: Int, CaseIterable {
        /// Both sources from the same trial.
        case simultaneous
        /// Pseudo-session pairs: source 1 from one trial and source 2 from its partner of the same target in the other
        /// half, both ways round (each trial once per source).
        case pseudo
        /// Both sources from the same trial, as `simultaneous`, but stopped on the validation cross-entropy alone: the
        /// cross-entropy stopping rule with its own trainings, not read within a run stopped on the objective.
        case simultaneousCE
        /// As `simultaneousCE`, with the longer epoch cap `ce_long_epochs`, off the diagonal only (how far the 150-epoch
        /// cap censors the cross-entropy rule). Identical to `simultaneousCE` up to its cap: the same initialisation, and
        /// the schedules depend on the epoch only.
        case simultaneousCELong

        /// Which trials the sources come from (an index into a split plan's samples).
        var dataIndex: Int { self == .pseudo ? 1 : 0 }
        var criterion: EarlyStopping.Criterion { self == .simultaneousCE || self == .simultaneousCELong ? .crossEntropy : .objective }
    }

    static let reach = AnalysisDescriptor(
        name: "rine.reach",
        summary: "Pairwise redundancy about reach direction between groups of motor-cortex neurons (real data): groups by cross-validated preferred direction, early stopping, pseudo-session surrogate",
        datasets: ["reach/ReachData.mat"],
        run: { ctx in
            let p = ctx.parameters
            let groups = try p.int("groups", default: 4, range: 2...20)
            let splits = try p.int("splits", default: 6, range: 2...100)
            let grouping = try p.string("grouping", default: "direction")
            guard ["direction", "index"].contains(grouping) else {
                throw RINEParameterChecks.error(p, "grouping", "must be 'direction' (cross-validated preferred direction) or 'index' (file order)")
            }
            let validationFraction = try p.double("validation_fraction", default: 0.2, range: 0.05...0.5)
            let patience = try p.int("patience", default: 30, range: 1...10_000)
            let surrogate = try p.bool("surrogate", default: true)
            let ceStopping = try p.bool("ce_stopping", default: true)
            let ceLongEpochs = try p.int("ce_long_epochs", default: 0, range: 0...10_000)
            let seed = try p.int("seed", default: 5)
            let halvings = try p.int("halvings", default: 6, range: 0...100)
            let halfFolds = try p.int("half_folds", default: 4, range: 2...10)
            let halfPartitions = try p.int("half_partitions", default: 2, range: 2...10)
            guard halvings != 1 else { throw RINEParameterChecks.error(p, "halvings", "must be 0 (no data-set error: split spread only) or at least 2") }
            let redraws = try p.int("redraws", default: 0, range: 0...20)
            guard redraws != 1 else { throw RINEParameterChecks.error(p, "redraws", "must be 0 (no measured spread: the diagnostics must reproduce) or at least 2") }
            let config = try smallDataConfig(p)
            guard ceLongEpochs == 0 || (ceStopping && ceLongEpochs > config.epochs) else {
                throw RINEParameterChecks.error(p, "ce_long_epochs", "must be 0 or exceed epochs (\(config.epochs)), with ce_stopping on")
            }
            var longConfig = config
            longConfig.epochs = max(config.epochs, ceLongEpochs)
            let dataURL = try ctx.dataFile("data", default: "reach/ReachData.mat")
            try p.rejectUnused()
            // Counts the design needs, checked on the file's dimensions before anything is allocated (issue 14 §4): the
            // data-set error cuts each half of a halving into `half_folds` test folds (HalfSampleSpread.units needs one
            // trial per fold; five per fold here), a split needs train, validation and test trials; every group a neuron.
            let minimumTrials = halvings > 0 ? 10 * halfFolds : 20
            let data = try ReachData(contentsOf: dataURL) { trials, neurons in
                guard trials >= minimumTrials else {
                    throw RINEParameterChecks.error(p, "data", "\(dataURL.path) has \(trials) trials, too few: at least \(minimumTrials) "
                        + (halvings > 0 ? "(5 per test fold of each half: 2 halves × half_folds \(halfFolds) × 5, with halvings \(halvings); halvings: 0 needs 20)" : "(for a split into train, validation and test trials)"))
                }
                guard neurons >= groups else {
                    throw RINEParameterChecks.error(p, "groups", "\(groups) groups but \(dataURL.path) has \(neurons) neurons (more groups than neurons)")
                }
            }
            let nTrials = data.direction.count, nNeurons = data.rates.cols
            let z = data.standardized(Array(0..<nNeurons))
            let root = Xoshiro256(seed: UInt64(seed))
            let pairings: [ReachPairing] = [.simultaneous] + (surrogate ? [.pseudo] : []) + (ceStopping ? [.simultaneousCE] : [])

            // Per split: a partition of the trials into train / validation / test (the same in every cell), the groups of
            // neurons from the preferred directions on the non-test trials (the grouping never sees a test trial), and within
            // each part the pseudo-session pairs (random halves within each target), used both ways round.
            // Plans 0..<splits are the splits of all trials; after them come the units of the data-set error (HalfSampleSpread:
            // the folds of `half_partitions` partitions of both halves of `halvings` random halvings, each analysed through
            // the same loop — grouping on its own non-test trials, its own validation trials — with simultaneous trials only).
            struct SplitPlan { let samples: [[[(Int, Int)]]]; let groups: [[Int]]; let r2: [Double] }
            func plan(_ part: TrialPartition, pseudoRng: inout Xoshiro256, pseudo withPseudo: Bool) -> SplitPlan {
                let parts = [part.train, part.validation, part.test]
                let simultaneous = parts.map { $0.map { ($0, $0) } }
                let pseudo = withPseudo ? parts.map { idx in PseudoSession.pairs(directions: data.direction, among: idx, rng: &pseudoRng).flatMap { [($0.0, $0.1), ($0.1, $0.0)] } } : []
                let fits = PreferredDirection.tuningCurves(rates: data.rates, directions: data.direction, trials: (part.train + part.validation).sorted())
                    .map(PreferredDirection.fit)
                let g = grouping == "direction" ? PreferredDirection.groups(fits.map(\.angle), count: groups)
                                                : (0..<groups).map { g in Array((g * nNeurons / groups)..<((g + 1) * nNeurons / groups)) }
                return SplitPlan(samples: withPseudo ? [simultaneous, pseudo] : [simultaneous], groups: g, r2: fits.map(\.cosineR2))
            }
            var plans: [SplitPlan] = (0..<splits).map { s in
                var rng = root.child(s)
                let part = TrialPartition(count: nTrials, testFraction: 0.2, validationFraction: validationFraction, rng: &rng)
                var pseudoRng = root.child(10_000 + s)
                return plan(part, pseudoRng: &pseudoRng, pseudo: true)
            }
            if halvings > 0 {
                var designRng = root.child(3_000_000)
                let units = HalfSampleSpread.units(count: nTrials, halvings: halvings, folds: halfFolds, partitions: halfPartitions, rng: &designRng)
                for (i, u) in units.enumerated() {
                    var rng = root.child(3_100_000 + i), pseudoRng = root.child(3_200_000 + i)
                    plans.append(plan(TrialPartition(test: u.test, rest: u.rest, validationFraction: validationFraction, rng: &rng), pseudoRng: &pseudoRng, pseudo: surrogate))
                }
            }
            let units = plans.count - splits
            // Few trials can leave a part of a split (or of a half's fold) without a trial, or without a pair of trials of
            // the same target for the pseudo-session surrogate: an error naming the file, before any training.
            for (i, plan) in plans.enumerated() {
                for (k, parts) in plan.samples.enumerated() {
                    if let e = parts.firstIndex(where: \.isEmpty) {
                        let what = i < splits ? "split \(i + 1)" : "data-set-error unit \(i - splits + 1)"
                        throw RINEParameterChecks.error(p, "data", "\(dataURL.path) (\(nTrials) trials): the \(["train", "validation", "test"][e]) part of \(what) has no \(k == 0 ? "trial" : "pair of trials of the same target (pseudo-session surrogate; surrogate: false skips it)")")
                    }
                }
            }

            let cellsList = (0..<groups).flatMap { a in (a..<groups).map { (a, $0) } }
            // Errors over splits of the one data set: the t-corrected spread over splits (it covers training noise and the
            // choice of test trials, not the sampling of the data set itself).
            func splitSummary(_ v: [Double]) -> (mean: Double, error: Double, sd: Double) {
                ReplicateMean.coverage(v)
            }
            struct Job { let pairing: ReachPairing; let a: Int; let b: Int; let split: Int }
            // Every pairing on the splits and on the units of the data-set error; the longer-capped CE rule on the splits only.
            let splitJobs: [Job] = pairings.flatMap { m in cellsList.flatMap { c in (0..<splits).map { Job(pairing: m, a: c.0, b: c.1, split: $0) } } }
            let unitJobs: [Job] = pairings.flatMap { m in cellsList.flatMap { c in (0..<units).map { Job(pairing: m, a: c.0, b: c.1, split: splits + $0) } } }
            let longJobs: [Job] = ceLongEpochs == 0 ? [] : cellsList.filter { $0.0 != $0.1 }.flatMap { c in (0..<splits).map { Job(pairing: .simultaneousCELong, a: c.0, b: c.1, split: $0) } }
            let jobs = splitJobs + unitJobs + longJobs
            let done = Counter()
            // Other stopping rules read from the same histories (issue 22 §4): the objective with a shorter patience (training
            // is identical up to the stop, so the shorter rule's pick lies in the history), and the validation cross-entropy alone.
            let shortStopping = EarlyStopping(patience: min(10, patience))
            // Per job: I∩ at the best validation epoch, D, CE of decoder a, CE of decoder b, I∩ at the last epoch, best epoch,
            // validation objective at the best and last epochs, D at the last epoch; I∩ and epoch (1-based) with the short
            // patience, I∩ and epoch at the lowest validation cross-entropy; epochs trained.
            let out = Parallel.map(jobs.count) { j -> [Double] in
                let job = jobs[j], plan = plans[job.split], k = job.pairing.dataIndex, g = plan.groups
                func set(_ part: Int) -> (x: [Matrix<Float>], y: [Int]) {
                    let smp = plan.samples[k][part]
                    return ([z.selectingRows(smp.map(\.0)).selectingColumns(g[job.a]), z.selectingRows(smp.map(\.1)).selectingColumns(g[job.b])],
                            smp.map { data.direction[$0.0] })
                }
                let test = set(2)
                // The same initialisation for both pairings of a cell and split.
                var rng = job.split < splits ? root.child(1_000_000 + job.split * 1_000 + job.a * 30 + job.b)
                                             : root.child(5_000_000 + (job.split - splits) * 1_000 + job.a * 30 + job.b)
                let r = RINETrainer(config: job.pairing == .simultaneousCELong ? longConfig : config).run(train: set(0), test: test, classes: 8, entropyY: RINEReadout.labelEntropy(test.y),
                                                        validation: set(1), stopping: EarlyStopping(patience: patience, criterion: job.pairing.criterion), rng: &rng)
                let best = r.bestEpoch!, sel = r.readout(atEpoch: best)
                let n = done.increment()
                if n % 20 == 0 { ctx.progress("\(n)/\(jobs.count) trainings") }
                let short = shortStopping.stoppingEpoch(r.validationObjective)!
                let valCE = r.validationCrossEntropiesPerEpoch.map { $0.reduce(0, +) / Double($0.count) }
                let lowestCE = valCE.indices.min { valCE[$0] < valCE[$1] || (valCE[$0] == valCE[$1] && $0 < $1) }!
                return [sel.redundancy, sel.distance, sel.crossEntropies[0], sel.crossEntropies[1], r.history.last!.0, Double(best + 1),
                        r.validationObjective[best], r.validationObjective.last!, r.history.last!.1,
                        r.history[short].0, Double(short + 1), r.history[lowestCE].0, Double(lowestCE + 1), Double(r.history.count)]
            }
            var jobIndex = [Int: Int]()
            func key(_ m: ReachPairing, _ a: Int, _ b: Int, _ split: Int) -> Int { ((split * 4 + m.rawValue) * 32 + min(a, b)) * 32 + max(a, b) }
            for (i, j) in jobs.enumerated() { jobIndex[key(j.pairing, j.a, j.b, j.split)] = i }
            /// Output k of cell (a, b) in plan `split` (a split of all trials, or a unit of the data-set error).
            func cell(_ m: ReachPairing, _ a: Int, _ b: Int, _ split: Int, _ k: Int) -> Double { out[jobIndex[key(m, a, b, split)]!][k] }
            func values(_ m: ReachPairing, _ a: Int, _ b: Int, _ k: Int) -> [Double] { (0..<splits).map { cell(m, a, b, $0, k) } }
            // A quantity of the simultaneous matrix (`q` reads output k of cell (a, b) within one plan): its mean over the
            // splits with the calibrated error (HalfSampleSpread, over the units after the splits), and the plain split spread.
            struct Estimate { let mean: Double, error: Double, plain: Double, dataVariance: Double, splitVariance: Double, dof: Double }
            // `estimateAny` reads any pairing with units (simultaneous, and pseudo with the surrogate).
            func summarise(_ v: [Double], _ u: [Double]) -> Estimate {
                let plain = ReplicateMean.coverage(v)
                guard halvings > 0 else { return Estimate(mean: plain.mean, error: plain.error, plain: plain.error, dataVariance: .nan, splitVariance: plain.sd * plain.sd / Double(splits), dof: Double(splits - 1)) }
                let h = HalfSampleSpread.summary(splitEstimates: v, unitEstimates: u, halvings: halvings, folds: halfFolds, partitions: halfPartitions)
                return Estimate(mean: h.mean, error: h.error, plain: plain.error, dataVariance: h.dataVariance, splitVariance: h.splitVariance, dof: h.dof)
            }
            func estimateAny(_ q: (_ cell: (ReachPairing, Int, Int, Int) -> Double) -> Double) -> Estimate {
                summarise((0..<splits).map { s in q { cell($0, $1, $2, s, $3) } }, (0..<units).map { i in q { cell($0, $1, $2, splits + i, $3) } })
            }
            func estimate(_ q: (_ cell: (Int, Int, Int) -> Double) -> Double) -> Estimate {
                summarise((0..<splits).map { s in q { cell(.simultaneous, $0, $1, s, $2) } }, (0..<units).map { i in q { cell(.simultaneous, $0, $1, splits + i, $2) } })
            }
            func est(_ q: (_ cell: (Int, Int, Int) -> Double) -> Double) -> Estimate { estimate(q) }
            func estAny(_ q: (_ cell: (ReachPairing, Int, Int, Int) -> Double) -> Double) -> Estimate { estimateAny(q) }
            // Check tolerance of an estimate: a redraw of all its trainings (RedrawTolerance) on the estimate's degrees of freedom.
            func tol(_ e: Estimate) -> Tolerance { RedrawTolerance.tolerance(error: e.error, dof: e.dof) }
            func tol(_ s: (mean: Double, error: Double, sd: Double)) -> Tolerance { RedrawTolerance.tolerance(error: s.error, runs: splits) }
            func cellsMean(_ cs: [(Int, Int)], _ k: Int) -> ((Int, Int, Int) -> Double) -> Double {
                { c in Stats.mean(cs.map { c($0.0, $0.1, k) }) }
            }
            let offCells = cellsList.filter { $0.0 != $0.1 }, diagCells = cellsList.filter { $0.0 == $0.1 }
            func matrix(_ m: ReachPairing, _ k: Int = 0) -> [[Double]] {
                (0..<groups).map { a in (0..<groups).map { b in Stats.mean(values(m, a, b, k)) } }
            }
            func fmt(_ s: (mean: Double, error: Double, sd: Double)) -> String { String(format: "%.2f ± %.2f", s.mean, s.error) }
            func fmt(_ s: Estimate) -> String { String(format: "%.2f ± %.2f", s.mean, s.error) }
            // Per split, the mean over the off-diagonal (or diagonal) cells; the error is t-corrected over splits.
            func perSplitMean(_ m: ReachPairing, diagonal: Bool, _ k: Int = 0) -> [Double] {
                let cs = cellsList.filter { ($0.0 == $0.1) == diagonal }
                return (0..<splits).map { s in Stats.mean(cs.map { values(m, $0.0, $0.1, k)[s] }) }
            }

            // The main matrix (simultaneous trials): per cell I∩, final-epoch I∩, best epoch, D, both CEs and the check
            // I∩(a, b) ≤ min(I∩(a, a), I∩(b, b)) on the per-split differences (the same partitions in every cell).
            let mean = matrix(.simultaneous), meanLast = matrix(.simultaneous, 4)
            var rows = [[String]](), violations = [0, 0], maxPull = [-Double.infinity, -Double.infinity]
            func check(_ a: Int, _ b: Int, _ k: Int, _ slot: Int) -> String {
                let m = k == 0 ? mean : meanLast
                let lower = m[a][a] <= m[b][b] ? a : b
                let d = est { c in c(a, b, k) - c(lower, lower, k) }
                let pull = d.error > 0 ? d.mean / d.error : (d.mean > 0 ? .infinity : 0)
                maxPull[slot] = max(maxPull[slot], pull)
                if pull > 2 { violations[slot] += 1 }
                return String(format: "%+.2f ± %.2f (%+.1fσ) %@", d.mean, d.error, pull, pull <= 2 ? "ok" : "exceeds")
            }
            for (a, b) in cellsList {
                func avg(_ k: Int, _ f: String) -> String { String(format: f, Stats.mean(values(.simultaneous, a, b, k))) }
                rows.append(["\(a + 1) × \(b + 1)", fmt(est { $0(a, b, 0) }),
                             String(format: "%.0f", Stats.median(values(.simultaneous, a, b, 5))), avg(1, "%.3f"), avg(2, "%.2f"), avg(3, "%.2f"),
                             avg(6, "%.2f"), a == b ? "–" : check(a, b, 0, 0),
                             fmt(est { $0(a, b, 4) }), avg(8, "%.3f"), avg(7, "%.2f"), a == b ? "–" : check(a, b, 4, 1)])
            }
            let groupWord = grouping == "direction" ? "neurons sorted by preferred direction (fitted on the non-test trials of each split) and cut into \(groups) groups of equal size, group 1 starting at 0°"
                                                    : "\(groups) blocks of neurons in file order"
            let nPart = plans[0].samples[0].map(\.count)
            let setup = "\(nTrials) trials ; per split \(nPart[0]) train, \(nPart[1]) validation, \(nPart[2]) test trials, the same partitions in every cell; decoders \(config.hidden) + batch norm, Adam lr \(config.learningRate)·\(config.learningRateDecay)^epoch, weight decay \(config.weightDecay), batch \(config.batchSize), β = \(Int(config.beta)) (scheduled, γ = \(config.gamma)); at most \(config.epochs) epochs, stopped when the validation objective at the final β has not improved for \(patience) epochs; the readout is the test I∩ of the best validation epoch, against the entropy of the test labels."
            let errorWord = halvings > 0
                ? "the data-set error of HalfSampleSpread: the split spread plus the variance over \(halvings) random halvings of the trials, each half analysed again by \(halfPartitions) partitions into \(halfFolds) folds; calibrated on synthetic data"
                : "t-corrected spread over the splits, a lower bound: it leaves out the sampling of the trials"
            let cells = Table(id: "reach-cells", caption: "Per cell of the reach matrix (\(groupWord); mean over \(splits) splits). At the best validation epoch: test I∩ ± its error (\(errorWord)), the median best epoch, the test decoder distance D, each decoder's test cross-entropy (bits), the validation objective (1/2)(CE₁ + CE₂) + βD (nats), and the check I∩(a, b) − min(I∩(a, a), I∩(b, b)) from the per-split differences (same error; 'exceeds' above 2σ). The same at the last epoch trained (no early stopping). " + setup,
                              columns: ["groups", "I∩ (bits)", "best epoch", "D", "CE first", "CE second", "val. objective", "off-diag. − smaller diag.",
                                        "I∩, last epoch", "D, last", "val. objective, last", "check, last epoch"], rows: rows)
            let labels: [String] = (0..<groups).map { g in
                grouping == "direction" ? "PD group \(g + 1)" : "\(g * nNeurons / groups + 1)–\((g + 1) * nNeurons / groups)"
            }
            var panels = [Panel(title: "simultaneous trials", xLabel: "neurons", yLabel: "neurons",
                                heatmap: Heatmap(values: mean, rowLabels: labels, columnLabels: labels, showNumbers: true))]
            var tables = [cells]
            let offE = estimate(cellsMean(offCells, 0)), diagE = estimate(cellsMean(diagCells, 0))
            let offS = offE, diagS = diagE
            let offLast = est(cellsMean(offCells, 4)), diagLast = est(cellsMean(diagCells, 4))
            let bestEpochs = jobs.indices.filter { jobs[$0].pairing == .simultaneous && jobs[$0].split < splits }.map { out[$0][5] }
            let r2 = plans[0].r2
            // Group stability: the fraction of neurons whose group in split s equals their group in split 0.
            func groupOf(_ g: [[Int]]) -> [Int] { var o = [Int](repeating: 0, count: nNeurons); for (k, m) in g.enumerated() { for i in m { o[i] = k } }; return o }
            let g0 = groupOf(plans[0].groups)
            let stability = Stats.mean((1..<splits).map { s in let gs = groupOf(plans[s].groups); return Double(zip(g0, gs).filter { $0 == $1 }.count) / Double(nNeurons) })
            // The estimate under each stopping rule: (label, value tag, output index of I∩, of the epoch).
            typealias Rule = (label: String, tag: String, run: ReachPairing, k: Int, epoch: Int)
            let readRules: [Rule] = [
                ("validation objective at the final β, patience \(patience) (the estimate)", "", .simultaneous, 0, 5),
                ("validation objective at the final β, patience \(shortStopping.patience)", "_p\(shortStopping.patience)", .simultaneous, 9, 10),
                ("validation cross-entropy ½(CE₁ + CE₂) alone, lowest over the epochs trained (censored: training stopped on the objective)", "_valce", .simultaneous, 11, 12),
            ]
            let ceRules: [Rule] = ceStopping ? [("validation cross-entropy ½(CE₁ + CE₂) alone, patience \(patience), its own trainings (uncensored)", "_cestop", .simultaneousCE, 0, 5)] : []
            let lastRule: [Rule] = [("last epoch trained", "_last", .simultaneous, 4, 13)]
            let rules: [Rule] = readRules + ceRules + lastRule
            // Every rule gets the calibrated error: the rules read from the simultaneous runs through their units, and the
            // uncensored cross-entropy rule through its own trainings on the same units (same initialisations).
            func ruleSummary(_ r: (label: String, tag: String, run: ReachPairing, k: Int, epoch: Int), diagonal: Bool) -> Estimate {
                let cs = diagonal ? diagCells : offCells
                return estAny { c in Stats.mean(cs.map { c(r.run, $0.0, $0.1, r.k) }) }
            }
            let ruleOff = rules.map { ruleSummary($0, diagonal: false) }
            let ruleDiag = rules.map { ruleSummary($0, diagonal: true) }
            let ruleWord = "stopping rule (" + rules.map(\.label).joined(separator: "; ") + ")"
            let offSpread = SystematicSpread(low: ruleOff.map(\.mean).min()!, high: ruleOff.map(\.mean).max()!, over: ruleWord)
            let diagSpread = SystematicSpread(low: ruleDiag.map(\.mean).min()!, high: ruleDiag.map(\.mean).max()!, over: ruleWord)
            func medianEpoch(_ run: ReachPairing, _ k: Int, diagonal: Bool) -> Double {
                Stats.median(jobs.indices.filter { jobs[$0].pairing == run && jobs[$0].split < splits && (jobs[$0].a == jobs[$0].b) == diagonal }.map { out[$0][k] })
            }
            tables.append(Table(id: "reach-stopping", caption: "The estimate under each stopping rule: mean over the off-diagonal (and diagonal) cells of the test I∩ (bits) ± its error over \(splits) splits (as in table reach-cells; the uncensored rule's own trainings are run on the halvings too, so it has the same calibrated error), and the median epoch picked (1-based). Training ran with patience \(patience) on the validation objective at the final β, (1/2)(CE₁ + CE₂) + βD; the shorter patience is read from the same histories (training is identical up to its stop), and the censored cross-entropy rule takes the epoch of lowest (1/2)(CE₁ + CE₂) on the validation trials among the epochs trained." + (ceStopping ? " The uncensored cross-entropy rule has its own trainings, with the same initialisations, stopped once (1/2)(CE₁ + CE₂) on the validation trials has not improved for \(patience) epochs (or at epoch \(config.epochs))." : "") + " The spread over the rules is the systematic range of the estimate.",
                                columns: ["stopping rule", "off-diagonal I∩", "median epoch, off-diag.", "diagonal I∩", "median epoch, diag."],
                                rows: rules.indices.map { i in [rules[i].label, fmt(ruleOff[i]), String(format: "%.0f", medianEpoch(rules[i].run, rules[i].epoch, diagonal: false)),
                                                                fmt(ruleDiag[i]), String(format: "%.0f", medianEpoch(rules[i].run, rules[i].epoch, diagonal: true))] }))
            if halvings > 0 {
                // How the data-set error compares with the plain split spread for the main quantities.
                let lastE = estimate(cellsMean(offCells, 4)), lastDiagE = estimate(cellsMean(diagCells, 4))
                let named: [(String, Estimate)] = [("off-diagonal mean, best epoch", offE), ("diagonal mean, best epoch", diagE),
                                                   ("off-diagonal mean, last epoch", lastE), ("diagonal mean, last epoch", lastDiagE)]
                tables.append(Table(id: "reach-errors", caption: "Errors of the reach estimates (bits): the plain t-corrected spread over the \(splits) splits of the one data set (training noise and the choice of test trials), and the calibrated error of HalfSampleSpread, t_ν(0.8413)·√(Var_D + W), which adds Var_D, the variance from sampling the \(nTrials) trials themselves: \(halvings) random halvings of the trials, each half run through the whole split loop again (grouping, validation, decoders fitted on its own trials) by \(halfPartitions) partitions into \(halfFolds) folds, \(units * cellsList.count * (surrogate ? 2 : 1)) more trainings on \(nTrials / 2)-trial halves (simultaneous\(surrogate ? " and pseudo-session" : "") pairings). W = σ̂²/J is the split part; ν the Welch–Satterthwaite degrees of freedom. The error is calibrated on synthetic data of known distribution in the unit tests (SplitErrorCalibrationTests).",
                                    columns: ["quantity", "estimate", "plain split spread", "calibrated error", "ratio", "√W", "√Var_D", "ν"],
                                    rows: named.map { n, e in [n, String(format: "%.3f", e.mean), String(format: "%.3f", e.plain), String(format: "%.3f", e.error),
                                                               String(format: "%.2f", e.error / e.plain), String(format: "%.3f", e.splitVariance.squareRoot()),
                                                               String(format: "%.3f", e.dataVariance.squareRoot()), String(format: "%.1f", e.dof)] }))
            }
            // Check tolerances of the consistency diagnostics (issues 12, 22): a count of violations, a largest pull and an
            // error ratio have no error of their own, so their spread is measured over `redraws` independent redraws of
            // the design — this analysis again with seed + 1 … seed + redraws (new splits, halvings and initialisations
            // on the same trials), surrogate and cross-entropy rules off, which leaves these values as they are (the
            // simultaneous trainings draw from their own streams) — together with this run. A redraw differs from the
            // stored value by √2 sd, sd estimated on draws − 1 degrees of freedom: RedrawTolerance.standardError(sd,
            // runs: draws). A count of violations also gets the binomial bound of its off-diagonal cells, from the
            // Laplace rate (k + 1)/(cells · draws + 2) of all draws, when larger (all draws at 0 violations have sd 0).
            var diagnostics = [(key: String, label: String, value: Double, cells: Int?)]()
            let offCount: Int? = offCells.count, noCells: Int? = nil
            diagnostics.append(("rine.reach_violations", "violations, best epoch", Double(violations[0]), offCount))
            diagnostics.append(("rine.reach_violations_last", "violations, last epoch", Double(violations[1]), offCount))
            diagnostics.append(("rine.reach_check_max_pull", "largest pull, best epoch", maxPull[0], noCells))
            diagnostics.append(("rine.reach_check_max_pull_last", "largest pull, last epoch", maxPull[1], noCells))
            if halvings > 0 {
                let offRatio: Double = offE.error / offE.plain, diagRatio: Double = diagE.error / diagE.plain
                diagnostics.append(("rine.reach_offdiag_error_ratio", "error ratio, off-diagonal", offRatio, noCells))
                diagnostics.append(("rine.reach_diag_error_ratio", "error ratio, diagonal", diagRatio, noCells))
            }
            let redrawn = try reachRedrawTolerances(diagnostics, redraws: redraws, seed: seed, parameters: p, context: ctx, data: dataURL)
            if let t = redrawn.table { tables.append(t) }
            let diagnosticTolerances = redrawn.tolerances
            func diagnostic(_ key: String) -> Scalar {
                let i = diagnostics.firstIndex { $0.key == key }!
                return Scalar(key, diagnostics[i].value, significantFigures: 2, tolerance: diagnosticTolerances[i])
            }
            var vals: [Scalar] = [
                diagnostic("rine.reach_violations"), diagnostic("rine.reach_violations_last"),
                diagnostic("rine.reach_check_max_pull"), diagnostic("rine.reach_check_max_pull_last"),
                Scalar("rine.reach_offdiag_mean", offS.mean, error: offS.error, significantFigures: 2, unit: "bits", tolerance: tol(offS), systematic: offSpread),
                Scalar("rine.reach_diag_mean", diagS.mean, error: diagS.error, significantFigures: 2, unit: "bits", tolerance: tol(diagS), systematic: diagSpread),
                Scalar("rine.reach_offdiag_mean_last", offLast.mean, error: offLast.error, significantFigures: 2, unit: "bits", tolerance: tol(offLast)),
                Scalar("rine.reach_diag_mean_last", diagLast.mean, error: diagLast.error, significantFigures: 2, unit: "bits", tolerance: tol(diagLast)),
                Scalar("rine.reach_best_epoch_median", Stats.median(bestEpochs), significantFigures: 2, tolerance: RedrawTolerance.median(bestEpochs)),
                Scalar("rine.reach_cosine_r2_median", Stats.median(r2), significantFigures: 2, tolerance: RedrawTolerance.untrained),
                Scalar("rine.reach_group_stability", stability, significantFigures: 2, tolerance: RedrawTolerance.untrained),
            ]
            if halvings > 0 {
                vals += [diagnostic("rine.reach_offdiag_error_ratio"), diagnostic("rine.reach_diag_error_ratio")]
            }
            if ceStopping {
                // How often the uncensored cross-entropy rule ran into the epoch cap instead of its patience (off the diagonal).
                let ce = jobs.indices.filter { jobs[$0].pairing == .simultaneousCE && jobs[$0].a != jobs[$0].b && jobs[$0].split < splits }
                let k = ce.filter { out[$0][13] >= Double(config.epochs) && out[$0][5] > Double(config.epochs - patience) }.count
                vals.append(Scalar("rine.reach_cestop_capped", Double(k) / Double(ce.count), significantFigures: 2, tolerance: RedrawTolerance.fraction(k, runs: ce.count)))
            }
            if ceLongEpochs > 0 {
                // The same rule with the longer cap, off the diagonal: the estimate, the fraction still capped, the paired change.
                let long = jobs.indices.filter { jobs[$0].pairing == .simultaneousCELong }
                let kLong = long.filter { out[$0][13] >= Double(ceLongEpochs) && out[$0][5] > Double(ceLongEpochs - patience) }.count
                let capped = Double(kLong) / Double(long.count)
                let l = splitSummary(perSplitMean(.simultaneousCELong, diagonal: false))
                let d = splitSummary(zip(perSplitMean(.simultaneousCELong, diagonal: false), perSplitMean(.simultaneousCE, diagonal: false)).map { $0 - $1 })
                let medianLong = Stats.median(long.map { out[$0][5] })
                vals += [Scalar("rine.reach_offdiag_mean_cestop_long", l.mean, error: l.error, significantFigures: 2, unit: "bits", tolerance: tol(l)),
                         Scalar("rine.reach_cestop_long_minus_cestop", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d)),
                         Scalar("rine.reach_cestop_long_capped", capped, significantFigures: 2, tolerance: RedrawTolerance.fraction(kLong, runs: long.count)),
                         Scalar("rine.reach_cestop_long_median_epoch", medianLong, significantFigures: 2, tolerance: RedrawTolerance.median(long.map { out[$0][5] }))]
                tables.append(Table(id: "reach-ce-cap", caption: "The uncensored cross-entropy rule (validation ½(CE₁ + CE₂) alone, patience \(patience)) with the epoch cap raised from \(config.epochs) to \(ceLongEpochs), off the diagonal (\(long.count) trainings with the same initialisations; identical to the capped runs up to epoch \(config.epochs)): mean off-diagonal test I∩ at the picked epoch ± t-corrected split spread (a lower bound), the paired change, the median picked epoch, and the fraction of runs that still reach the cap with the cross-entropy improving.",
                                    columns: ["cap (epochs)", "off-diagonal I∩", "median epoch", "capped"],
                                    rows: [["\(config.epochs)", fmt(splitSummary(perSplitMean(.simultaneousCE, diagonal: false))), String(format: "%.0f", medianEpoch(.simultaneousCE, 5, diagonal: false)),
                                            String(format: "%.0f %%", 100 * (vals.first { $0.name == "rine.reach_cestop_capped" }?.value ?? .nan))],
                                           ["\(ceLongEpochs)", fmt(l), String(format: "%.0f", medianLong), String(format: "%.0f %%", 100 * capped)],
                                           ["change", fmt(d), "", ""]]))
            }
            for i in rules.indices where !["", "_last"].contains(rules[i].tag) {
                vals.append(Scalar("rine.reach_offdiag_mean\(rules[i].tag)", ruleOff[i].mean, error: ruleOff[i].error, significantFigures: 2, unit: "bits",
                                   tolerance: tol(ruleOff[i])))
                vals.append(Scalar("rine.reach_diag_mean\(rules[i].tag)", ruleDiag[i].mean, error: ruleDiag[i].error, significantFigures: 2, unit: "bits",
                                   tolerance: tol(ruleDiag[i])))
            }
            if grouping == "direction" && groups == 4 {
                // Groups one sector apart (circularly) against groups two sectors apart (opposite preferred directions).
                let adjacent = [(0, 1), (1, 2), (2, 3), (0, 3)], opposite = [(0, 2), (1, 3)]
                for (k, tag) in [(0, ""), (4, "_last")] {
                    let sa = est(cellsMean(adjacent, k)), so = est(cellsMean(opposite, k))
                    let d = est { c in cellsMean(opposite, k)(c) - cellsMean(adjacent, k)(c) }
                    vals += [Scalar("rine.reach_adjacent_mean\(tag)", sa.mean, error: sa.error, significantFigures: 2, unit: "bits", tolerance: tol(sa)),
                             Scalar("rine.reach_opposite_mean\(tag)", so.mean, error: so.error, significantFigures: 2, unit: "bits", tolerance: tol(so)),
                             Scalar("rine.reach_opposite_minus_adjacent\(tag)", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d))]
                }
            }
            if surrogate {
                let pseudo = matrix(.pseudo)
                var sRows = [[String]]()
                for (a, b) in cellsList {
                    sRows.append(["\(a + 1) × \(b + 1)", fmt(est { $0(a, b, 0) }), fmt(estAny { $0(.pseudo, a, b, 0) }),
                                  fmt(estAny { $0(.pseudo, a, b, 0) - $0(.simultaneous, a, b, 0) }),
                                  String(format: "%.3f / %.3f", Stats.mean(values(.simultaneous, a, b, 1)), Stats.mean(values(.pseudo, a, b, 1))),
                                  fmt(estAny { $0(.pseudo, a, b, 4) })])
                }
                tables.append(Table(id: "reach-surrogate", caption: "Pseudo-session surrogate: within each part of a split (train, validation, test) and each target, the trials are cut into two random halves and paired; a pseudo-trial takes source 1 from one trial of a pair and source 2 from the other, both ways round, so the sources share the target and no trial (an odd trial of a target in a part is left out). Simultaneous: the main matrix, both sources from the same trial, on the same partitions. I∩ at the best validation epoch ± its error (as in table reach-cells: the halvings are run for both pairings), the per-split difference, D (simultaneous / pseudo), and the pseudo-session I∩ at the last epoch. Same training and early stopping as the main matrix.",
                                    columns: ["groups", "simultaneous", "pseudo-session", "pseudo − simultaneous", "D", "pseudo, last epoch"], rows: sRows))
                panels.append(Panel(title: "pseudo-session pairs", xLabel: "neurons", yLabel: "neurons",
                                    heatmap: Heatmap(values: pseudo, rowLabels: labels, columnLabels: labels, showNumbers: true)))
                for (k, tag) in [(0, ""), (4, "_last")] {
                    func pseudoMean(_ diagonal: Bool, _ c: (ReachPairing, Int, Int, Int) -> Double, _ m: ReachPairing) -> Double {
                        Stats.mean((diagonal ? diagCells : offCells).map { c(m, $0.0, $0.1, k) })
                    }
                    let o = estAny { pseudoMean(false, $0, .pseudo) }, d = estAny { pseudoMean(true, $0, .pseudo) }
                    vals.append(Scalar("rine.reach_pseudo_offdiag_mean\(tag)", o.mean, error: o.error, significantFigures: 2, unit: "bits", tolerance: tol(o)))
                    vals.append(Scalar("rine.reach_pseudo_diag_mean\(tag)", d.mean, error: d.error, significantFigures: 2, unit: "bits", tolerance: tol(d)))
                    for diagonal in [false, true] {
                        let x = estAny { pseudoMean(diagonal, $0, .pseudo) - pseudoMean(diagonal, $0, .simultaneous) }
                        vals.append(Scalar("rine.reach_pseudo_minus_sim_\(diagonal ? "diag" : "offdiag")\(tag)", x.mean, error: x.error, significantFigures: 2, unit: "bits",
                                           tolerance: tol(x)))
                    }
                }
            }
            let fig = Figure(id: "reach", caption: "Redundant information (bits) about the 8 reach directions between groups of motor-cortex neurons (\(groupWord)); diagonal: a group with itself, its usable information. Mean over \(splits) splits of the test I∩ at the best validation epoch." + (surrogate ? " Right: the pseudo-session surrogate on the same trials (the two sources from different trials of the same target)." : ""),
                             altText: "Heat maps of pairwise redundant information between neuron groups, numbers in the cells.",
                             panels: panels, columns: panels.count, panelWidth: 440, panelHeight: 400)
            return AnalysisOutput(tables: tables, figures: [fig], values: vals,
                                  notes: ["\(groups) groups by \(grouping), \(splits) splits, \(halvings) halvings × \(halfPartitions) partitions × \(halfFolds) folds, \(jobs.count) trainings, seed \(seed)"])
        })
}

extension RINEAnalyses {
    /// Check tolerances of rine.reach's consistency diagnostics (see the call): this run's values and those of
    /// `redraws` redraws (the analysis again with seed + 1 … seed + redraws, surrogate and cross-entropy rules off), and
    /// the table of all draws (nil without redraws).
    static func reachRedrawTolerances(_ diagnostics: [(key: String, label: String, value: Double, cells: Int?)], redraws: Int, seed: Int,
                                      parameters p: Parameters, context ctx: AnalysisContext, data dataURL: URL) throws -> (tolerances: [Tolerance], table: Table?) {
        var draws: [[Double]] = diagnostics.map { [$0.value] }
        if redraws > 0 {
            var entries = p.entries
            for (k, v) in [("surrogate", "false"), ("ce_stopping", "false"), ("ce_long_epochs", "0"), ("redraws", "0")] { entries[k] = .init(value: v, line: nil) }
            for r in 1...redraws {
                entries["seed"] = .init(value: "\(seed + r)", line: nil)
                var inner = AnalysisContext(parameters: Parameters(entries), dataset: ctx.dataset,
                                            progress: { ctx.progress("redraw \(r)/\(redraws) (seed \(seed + r)): \($0)") },
                                            resolveData: { spec, _ in DataInput(spec: spec, isManifestID: false, path: dataURL.path, sha256: "") })
                inner.budget = ctx.budget
                let o = try RINEAnalyses.reach.run(inner)
                for (i, d) in diagnostics.enumerated() { draws[i].append(o.values.first { $0.name == d.key }?.value ?? .nan) }
            }
        }
        func diagnosticTolerance(_ i: Int) -> Tolerance {
            let v = draws[i]
            guard v.count > 1, v.allSatisfy(\.isFinite), let spread = RedrawTolerance.standardError(Stats.standardDeviation(v), runs: v.count),
                  case .absolute(let bound) = spread else { return RedrawTolerance.tolerance(error: nil, dof: 0) }
            guard let cells = diagnostics[i].cells else { return spread }
            let rate = (v.reduce(0, +) + 1) / Double(cells * v.count + 2)
            return .absolute(max(bound, 3 * 2.0.squareRoot() * (Double(cells) * rate * (1 - rate)).squareRoot()))
        }
        let diagnosticTolerances = diagnostics.indices.map(diagnosticTolerance)
        var table: Table? = nil
        if redraws > 0 {
            func bound(_ t: Tolerance) -> String { if case .absolute(let b) = t { return String(format: "±%.2f", b) }; return "\(t)" }
            var rows = [[String]]()
            for i in diagnostics.indices {
                var row: [String] = [diagnostics[i].label]
                row += draws[i].map { String(format: "%.2f", $0) }
                row.append(String(format: "%.2f", Stats.standardDeviation(draws[i])))
                row.append(bound(diagnosticTolerances[i]))
                rows.append(row)
            }
            var columns: [String] = ["diagnostic"]
            columns += (0...redraws).map { "seed \(seed + $0)" }
            columns += ["sd", "tolerance"]
            table = Table(id: "reach-redraws", caption: "Check tolerances of the consistency diagnostics, measured: this run (seed \(seed)) and \(redraws) redraws of the simultaneous design (seeds \(seed + 1)–\(seed + redraws): new splits, halvings and initialisations on the same trials). Tolerance √2 · t_ν(99.865 %) · sd, ν = \(redraws); for the violation counts at least the binomial bound over the \(diagnostics[0].cells ?? 0) off-diagonal cells from the rate of all draws.",
                          columns: columns, rows: rows)
        }
        return (diagnosticTolerances, table)
    }
}
