import AnalysisKit
import DataFiles
import Foundation
import Numerics
import StatisticalTolerances

/// The optional bias correction of `rine.estimate` (`bias_correction: true`). The readout of one partition,
/// Î = Ĥ_test(Y) − CE, has two biases that shrink with the sample size:
/// - Ĥ_test, the plug-in entropy of the N_test test labels, is low by (K − 1)/(2 N_test ln 2) + O(1/N_test²) bits
///   (Miller–Madow; K the classes present), while the test cross-entropy of fixed decoders is unbiased;
/// - CE, the decoders' test cross-entropy after training on n_train samples, exceeds its large-sample limit by a
///   learning bias whose leading term goes as 1/n_train (the excess log loss of a fitted model, d/(2 n_train) nats for a
///   regular model of d effective parameters). Training the same partition again on a random half of its training
///   samples gives CE(n_train/2), and 2 CE(n_train) − CE(n_train/2) cancels the 1/n_train term (Richardson).
/// So Î_c = Ĥ_test + (K̂ − 1)/(2 N_test ln 2) − [2 CE(n_train) − CE(n_train/2)] = 2 Î(n_train) − Î(n_train/2) + MM.
/// Its error is computed from the per-partition Î_c by the same rule as the plain estimate (ReplicateMean.coverage over splits,
/// HalfSampleSpread with halvings); calibrated against the known truth in `BiasCorrectionCalibrationTests`. It
/// assumes the 1/n law: a shortfall from under-training (runs stopped by the epoch cap) is not of that form.
public enum RINEBiasCorrection {
    /// The Miller–Madow term of the plug-in entropy of `labels` (bits): (K̂ − 1)/(2 N ln 2), K̂ the distinct labels.
    public static func millerMadow(_ labels: [Int]) -> Double {
        guard !labels.isEmpty else { return 0 }
        return Double(Set(labels).count - 1) / (2 * Double(labels.count) * M_LN2)
    }

    /// Î_c from a quantity of the form Ĥ_test − CE read after training on all (`full`) and on half (`halfTrain`) of the
    /// training samples of one partition, with the same test samples (`testLabels`).
    public static func corrected(full: Double, halfTrain: Double, testLabels: [Int]) -> Double {
        2 * full - halfTrain + millerMadow(testLabels)
    }
}

/// The generated example of `rine.estimate`, with a known answer: five independent fair bits R, U₁, U₂, A, B; source 1
/// holds (R, U₁, A) and source 2 holds (R, U₂, B), each bit as a ±1 feature, followed by `noise` independent N(0, 1)
/// features per source; the target is Y = 8R + 4U₁ + 2U₂ + (A ⊕ B), 16 classes. R is redundant (1 bit), U₁ and U₂ are
/// unique to their source (1 bit each) and A ⊕ B is synergistic (1 bit): I(X₁;Y) = I(X₂;Y) = 2 bits, I(X₁,X₂;Y) = 4
/// bits, and the redundancy is 1 bit by I∧ and I_BROJA alike (I_MMI says 2: it cannot tell equal unique informations
/// from redundancy). Decoders that must agree can agree on R alone, so RINE at large β should read 1 bit, and each
/// source's usable information (β = 0) 2 bits. The noise features change none of these numbers.
public enum RINEKnownAnswerExample {
    /// The exact distribution of (X₁, X₂, Y) with x₁ = 4R + 2U₁ + A, x₂ = 4R + 2U₂ + B (64 equally likely outcomes).
    public static let task: DiscreteTask = {
        var rows = [(Int, Int, Int, Double)]()
        for r in 0..<2 { for u1 in 0..<2 { for u2 in 0..<2 { for a in 0..<2 { for b in 0..<2 {
            rows.append((4 * r + 2 * u1 + a, 4 * r + 2 * u2 + b, 8 * r + 4 * u1 + 2 * u2 + (a ^ b), 1.0 / 32))
        } } } } }
        return DiscreteTask(name: "RUUS", rows)
    }()

    /// `count` samples: two sources of 3 + `noise` features each, and the labels.
    public static func sample(_ count: Int, noise: Int, rng: inout Xoshiro256) -> (sources: [Matrix<Float>], y: [Int]) {
        var s1 = Matrix<Float>(rows: count, cols: 3 + noise), s2 = Matrix<Float>(rows: count, cols: 3 + noise)
        var y = [Int](repeating: 0, count: count)
        for i in 0..<count {
            let bits = (0..<5).map { _ in rng.next() >> 63 == 1 ? 1 : 0 } // R, U₁, U₂, A, B
            for (k, v) in [bits[0], bits[1], bits[3]].enumerated() { s1[i, k] = v == 1 ? 1 : -1 }
            for (k, v) in [bits[0], bits[2], bits[4]].enumerated() { s2[i, k] = v == 1 ? 1 : -1 }
            for k in 0..<noise { s1[i, 3 + k] = Float(rng.normal()); s2[i, 3 + k] = Float(rng.normal()) }
            y[i] = 8 * bits[0] + 4 * bits[1] + 2 * bits[2] + (bits[3] ^ bits[4])
        }
        return ([s1, s2], y)
    }
}

/// Reading a user's sources and target for `rine.estimate`: every file through `AnalysisContext.dataFile` (its sha256
/// enters the cache key), shapes and labels checked with errors that name the parameter, the file and the shapes.
enum RINEUserData {
    static let maxSources = 8
    static let maxClasses = 1000

    /// Class labels from a one-column table of integers (any integers; class k is the k-th smallest value).
    static func labels(_ t: NumericTable, file: String, _ p: Parameters) throws -> (y: [Int], values: [Double]) {
        guard t.columns == 1 else {
            throw RINEParameterChecks.error(p, "target", "\(file): expected one column of class labels (shape (samples,) or (samples, 1)), found (\(t.rows), \(t.columns))")
        }
        if let i = t.values.firstIndex(where: { !$0.isFinite || $0 != $0.rounded() }) {
            throw RINEParameterChecks.error(p, "target", "\(file): row \(i + 1) holds \(t.values[i]), not an integer class label")
        }
        let distinct = Array(Set(t.values)).sorted()
        guard distinct.count >= 2 else { throw RINEParameterChecks.error(p, "target", "\(file): needs at least 2 classes, found \(distinct.count)") }
        guard distinct.count <= maxClasses else { throw RINEParameterChecks.error(p, "target", "\(file): at most \(maxClasses) classes, found \(distinct.count)") }
        var index = [Double: Int]()
        for (k, v) in distinct.enumerated() { index[v] = k }
        return (t.values.map { index[$0]! }, distinct)
    }

    /// A table as a Float matrix of one source; every value must be finite (RINE needs complete samples).
    static func matrix(_ t: NumericTable, columns: Range<Int>, key: String, file: String, _ p: Parameters) throws -> Matrix<Float> {
        var m = Matrix<Float>(rows: t.rows, cols: columns.count)
        for i in 0..<t.rows {
            for (k, c) in columns.enumerated() {
                let v = t[i, c]
                guard v.isFinite else {
                    throw RINEParameterChecks.error(p, key, "\(file): row \(i + 1), column \(c + 1) is \(v); RINE needs a finite value in every feature of every sample")
                }
                m[i, k] = Float(v)
            }
        }
        return m
    }

    /// Each column shifted and scaled to mean 0 and sd 1 over all samples (labels are not used; a constant column becomes 0).
    static func standardized(_ x: Matrix<Float>) -> Matrix<Float> {
        var out = x
        for j in 0..<x.cols {
            var s = 0.0, s2 = 0.0
            for i in 0..<x.rows { let v = Double(x[i, j]); s += v; s2 += v * v }
            let m = s / Double(x.rows), sd = max(0, s2 / Double(x.rows) - m * m).squareRoot()
            for i in 0..<x.rows { out[i, j] = sd > 1e-12 ? Float((Double(x[i, j]) - m) / sd) : 0 }
        }
        return out
    }
}

extension RINEAnalyses {
    /// Decoders of `rine.estimate`: 32–16 with batch normalisation and ReLU, Adam, learning rate 0.005 · 0.99^epoch,
    /// weight decay 0.0005, batch 64, at most 150 epochs, β = 50 on the schedule β(1 − 0.97^e). On the generated example
    /// weight decay 0.005 (the reach analysis' value) made the finite-sample shortfall of H(Y) − CE 2–3 times larger.
    static func estimateConfig(_ p: Parameters) throws -> RINEConfig {
        try decoderConfig(p, defaults: DecoderDefaults(learningRate: 0.005, lrDecay: 0.99, momentum: nil, weightDecay: 0.0005,
                                                       epochs: 150, batch: 64, beta: 50, gamma: 0.97, hidden: [32, 16]))
    }

    static let estimate = AnalysisDescriptor(
        name: "rine.estimate",
        summary: "RINE on your own data: the information about a discrete target that two or more sources (.npy or CSV, samples × features) share, each source's usable information, calibrated errors; a generated known-answer example without data",
        run: { ctx in
            let p = ctx.parameters
            let config = try estimateConfig(p)
            let splits = try p.int("splits", default: 5, range: 2...100)
            let testFraction = try p.double("test_fraction", default: 0.2, range: 0.05...0.5)
            let validationFraction = try p.double("validation_fraction", default: 0.2, range: 0.05...0.5)
            let patience = try p.int("patience", default: 20, range: 1...10_000)
            let halvings = try p.int("halvings", default: 4, range: 0...100)
            guard halvings != 1 else { throw RINEParameterChecks.error(p, "halvings", "must be 0 (no data-set error: split spread only, a lower bound) or at least 2") }
            let halfFolds = try p.int("half_folds", default: 3, range: 2...10)
            let halfPartitions = try p.int("half_partitions", default: 2, range: 2...10)
            let usable = try p.bool("usable_information", default: true)
            let standardize = try p.bool("standardize", default: true)
            let biasCorrection = try p.bool("bias_correction", default: false)
            let seed = try p.int("seed", default: 8)
            let prefix = try p.string("name", default: "rine.estimate")
            // The bar figure repeats the table; a sweep of several directives can leave it out (page weight, issue 19).
            let drawFigure = try p.bool("figure", default: true)
            guard !prefix.isEmpty, prefix.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.lowercaseLetters.contains($0) || CharacterSet.decimalDigits.contains($0) || "_.".unicodeScalars.contains($0)) }) else {
                throw RINEParameterChecks.error(p, "name", "expected lower-case letters, digits, _ and ., got '\(prefix)'")
            }

            // The input: a user's files, or (with none of them) the generated example.
            let sourceKeys = (1...RINEUserData.maxSources).map { "source\($0)" }
            let givenSources = sourceKeys.filter { p.raw($0) != nil }
            let hasData = p.raw("data") != nil, hasTarget = p.raw("target") != nil
            let hasColumns = p.entries["source_columns"] != nil
            let sourceColumns: [Int]? = hasColumns ? try RINEParameterChecks.ints(p, "source_columns", default: [], each: 1...1_000_000, count: 2...RINEUserData.maxSources, what: "source width") : nil
            let userData = hasData || hasTarget || !givenSources.isEmpty || hasColumns
            var exampleSamples = 0, exampleNoise = 0
            var files = [(key: String, url: URL)](), targetURL: URL? = nil
            if p.probe != nil {
                // `replicate describe`: list the file keys too (each dataFile call notes its key and stops).
                _ = try? p.string("source_columns", default: "one source per column of data")
                for k in ["data", "source1", "source2", "target"] { _ = try? ctx.dataFile(k, default: "") }
            }
            if userData {
                let first = ["data", "target", "source_columns"].first { p.entries[$0] != nil } ?? givenSources.first ?? "target"
                guard hasTarget else { throw RINEParameterChecks.error(p, first, "your own data needs target: (a file with one integer class label per sample)") }
                guard hasData || !givenSources.isEmpty else {
                    throw RINEParameterChecks.error(p, "target", "give the sources as data: (one table, cut into sources by source_columns) or as source1:, source2:, …")
                }
                guard !(hasData && !givenSources.isEmpty) else {
                    throw RINEParameterChecks.error(p, givenSources[0], "give the sources either as data: (one table cut by source_columns) or as source1:, source2:, …, not both")
                }
                guard !hasColumns || hasData else { throw RINEParameterChecks.error(p, "source_columns", "cuts the columns of data: into sources; set data: too") }
                if !hasData {
                    guard givenSources == Array(sourceKeys.prefix(givenSources.count)) else {
                        let missing = sourceKeys.first { !givenSources.contains($0) }!
                        throw RINEParameterChecks.error(p, givenSources.last!, "sources are numbered source1, source2, … without gaps; \(missing) is missing")
                    }
                    guard givenSources.count >= 2 else { throw RINEParameterChecks.error(p, "source1", "RINE needs at least two sources: set source2 too") }
                }
                files = try (hasData ? ["data"] : givenSources).map { ($0, try ctx.dataFile($0, default: "")) }
                targetURL = try ctx.dataFile("target", default: "")
            } else {
                exampleSamples = try p.int("samples", default: 4000, range: 100...1_000_000)
                exampleNoise = try p.int("noise_features", default: 2, range: 0...1000)
                try RINEParameterChecks.checkSize(p, "samples", entries: 2 * exampleSamples * (3 + exampleNoise), what: "the example's two sources")
            }
            try p.rejectUnused()

            // Load and check (after every parameter is read and checked).
            var xs = [Matrix<Float>](), y = [Int](), classValues = [Double](), sourceNames = [String](), origin: String
            if let targetURL {
                let tables = try files.map { f -> NumericTable in
                    do { return try NumericTable(contentsOf: f.url, maxValues: RINEParameterChecks.largestInput) }
                    catch let e as DataFileError { throw RINEParameterChecks.error(p, f.key, e.description) }
                }
                let target: NumericTable
                do { target = try NumericTable(contentsOf: targetURL, maxValues: RINEParameterChecks.largestInput) }
                catch let e as DataFileError { throw RINEParameterChecks.error(p, "target", e.description) }
                (y, classValues) = try RINEUserData.labels(target, file: targetURL.path, p)
                for (f, t) in zip(files, tables) where t.rows != y.count {
                    throw RINEParameterChecks.error(p, f.key, "\(f.url.path) has \(t.rows) rows (samples) but the target \(targetURL.path) has \(y.count) labels")
                }
                if hasData {
                    let t = tables[0], widths = sourceColumns ?? [Int](repeating: 1, count: t.columns)
                    guard widths.count >= 2 else { throw RINEParameterChecks.error(p, "data", "\(files[0].url.path) has \(t.columns) column; RINE needs at least two sources (set source_columns, or give source1:, source2:, …)") }
                    guard widths.count <= RINEUserData.maxSources else {
                        throw RINEParameterChecks.error(p, "data", "\(files[0].url.path): \(widths.count) columns would be \(widths.count) sources, at most \(RINEUserData.maxSources); set source_columns")
                    }
                    guard widths.reduce(0, +) == t.columns else {
                        throw RINEParameterChecks.error(p, "source_columns", "the widths \(widths) add up to \(widths.reduce(0, +)) columns, but \(files[0].url.path) has \(t.columns)")
                    }
                    var start = 0
                    for w in widths {
                        xs.append(try RINEUserData.matrix(t, columns: start..<(start + w), key: "data", file: files[0].url.path, p))
                        sourceNames.append("columns \(start + 1)–\(start + w)" + (t.columnNames.map { " (\($0[start]) …)" } ?? ""))
                        start += w
                    }
                } else {
                    for (f, t) in zip(files, tables) {
                        xs.append(try RINEUserData.matrix(t, columns: 0..<t.columns, key: f.key, file: f.url.path, p))
                        sourceNames.append(f.url.lastPathComponent)
                    }
                }
                origin = (hasData ? files[0].url.lastPathComponent : files.map(\.url.lastPathComponent).joined(separator: ", ")) + " with target " + targetURL.lastPathComponent
            } else {
                var rng = Xoshiro256(seed: UInt64(seed)).child(0)
                (xs, y) = RINEKnownAnswerExample.sample(exampleSamples, noise: exampleNoise, rng: &rng)
                classValues = (0..<16).map(Double.init)
                sourceNames = ["(R, U₁, A) + \(exampleNoise) noise", "(R, U₂, B) + \(exampleNoise) noise"]
                origin = "the generated example (\(exampleSamples) samples, \(exampleNoise) noise features per source)"
            }
            let n = y.count, nSources = xs.count, classes = classValues.count
            let minimum = halvings > 0 ? 2 * halfFolds * 10 : 20
            guard n >= minimum else {
                throw RINEParameterChecks.error(p, userData ? "target" : "samples", "\(n) samples are too few: at least \(minimum) (\(halvings > 0 ? "10 per fold of each half" : "for a split into train, validation and test"))")
            }
            if standardize { xs = xs.map(RINEUserData.standardized) }

            // Plans: `splits` random partitions of all samples into train / validation / test, then the units of the
            // data-set error (HalfSampleSpread: folds of independent partitions of both halves of random halvings).
            let root = Xoshiro256(seed: UInt64(seed))
            var plans: [TrialPartition] = (0..<splits).map { s in
                var rng = root.child(1 + s)
                return TrialPartition(count: n, testFraction: testFraction, validationFraction: validationFraction, rng: &rng)
            }
            if halvings > 0 {
                var designRng = root.child(3_000_000)
                for (i, u) in HalfSampleSpread.units(count: n, halvings: halvings, folds: halfFolds, partitions: halfPartitions, rng: &designRng).enumerated() {
                    var rng = root.child(3_100_000 + i)
                    plans.append(TrialPartition(test: u.test, rest: u.rest, validationFraction: validationFraction, rng: &rng))
                }
            }
            let units = plans.count - splits
            // bias_correction: every partition again with a random half of its training samples (same validation and
            // test samples, same initialisation), for the extrapolation in 1/n_train (see `RINEBiasCorrection`).
            let halfTrain: [TrialPartition] = biasCorrection ? plans.enumerated().map { i, pl in
                var rng = root.child(5_000_000 + i)
                let perm = rng.permutation(pl.train.count)
                return TrialPartition(train: perm.prefix(pl.train.count / 2).map { pl.train[$0] }, validation: pl.validation, test: pl.test)
            } : []
            let nPlans = plans.count, allPlans = plans + halfTrain
            let betas: [Double] = usable && config.beta > 0 ? [config.beta, 0] : [config.beta]
            let jobs: [(Int, Int)] = betas.indices.flatMap { b in allPlans.indices.map { (b, $0) } }
            let done = Counter()
            let inputs = xs, labels = y, partitions = allPlans
            // Per job, at the epoch of the lowest validation objective: I∩, D, each decoder's test cross-entropy (bits),
            // the entropy of the test labels, the epoch (1-based) and the epochs trained.
            let out = Parallel.map(jobs.count) { j -> [Double] in
                let b = jobs[j].0, pl = jobs[j].1, plan = partitions[pl]
                func set(_ idx: [Int]) -> (x: [Matrix<Float>], y: [Int]) { (inputs.map { $0.selectingRows(idx) }, idx.map { labels[$0] }) }
                let test = set(plan.test), hTest = RINEReadout.labelEntropy(test.y)
                var c = config
                c.beta = betas[b]
                // The same initialisation for every β and for the half-training run of a partition: paired.
                var rng: Xoshiro256 = root.child(1_000_000 + pl % nPlans)
                let r = RINETrainer(config: c).run(train: set(plan.train), test: test, classes: classes, entropyY: hTest,
                                                   validation: set(plan.validation), stopping: EarlyStopping(patience: patience), rng: &rng)
                let best = r.bestEpoch!, at = r.readout(atEpoch: best)
                let k = done.increment()
                if k % 10 == 0 { ctx.progress("\(k)/\(jobs.count) trainings") }
                return [at.redundancy, at.distance] + at.crossEntropies + [hTest, Double(best + 1), Double(r.history.count)]
            }
            func cell(_ b: Int, _ plan: Int) -> [Double] { out[b * allPlans.count + plan] }
            // A quantity q(β-run outputs of one plan, β = 0 outputs or nil) over the plans: mean over the splits with the
            // calibrated error (HalfSampleSpread over the units), and the plain split spread. `corrected`: q of the
            // form H_test − CE, bias-corrected per plan (RINEBiasCorrection) before the same summary.
            struct Estimate { let mean: Double, error: Double, plain: Double, dataSD: Double, dof: Double }
            func estimate(corrected: Bool = false, _ q: (_ main: [Double], _ zero: [Double]?) -> Double) -> Estimate {
                func raw(_ pl: Int) -> Double { q(cell(0, pl), betas.count > 1 ? cell(1, pl) : nil) }
                func at(_ pl: Int) -> Double {
                    guard corrected else { return raw(pl) }
                    return RINEBiasCorrection.corrected(full: raw(pl), halfTrain: raw(nPlans + pl), testLabels: allPlans[pl].test.map { labels[$0] })
                }
                let v = (0..<splits).map(at), plain = ReplicateMean.coverage(v)
                guard halvings > 0 else { return Estimate(mean: plain.mean, error: plain.error, plain: plain.error, dataSD: .nan, dof: Double(splits - 1)) }
                let h = HalfSampleSpread.summary(splitEstimates: v, unitEstimates: (0..<units).map { at(splits + $0) }, halvings: halvings,
                                                 folds: halfFolds, partitions: halfPartitions)
                return Estimate(mean: h.mean, error: h.error, plain: plain.error, dataSD: h.dataVariance.squareRoot(), dof: h.dof)
            }
            let ceIndex = 2, hIndex = 2 + nSources, epochIndex = 3 + nSources
            var named: [(label: String, tag: String, e: Estimate, known: Double?)] = []
            let exact: (redundancy: Double, usable: Double)? = userData ? nil : (PartialInformation.broja(RINEKnownAnswerExample.task).redundancy,
                                                                              ExactRedundancy.mutualInformationX1(RINEKnownAnswerExample.task))
            named.append(("I∩ at β = \(fmtNumber(config.beta)) (RINE)", "redundancy", estimate { m, _ in m[0] }, exact?.redundancy))
            if biasCorrection {
                named.append(("I∩ at β = \(fmtNumber(config.beta)), bias-corrected", "redundancy_corrected", estimate(corrected: true) { m, _ in m[0] }, exact?.redundancy))
            }
            named.append(("decoder distance D at β = \(fmtNumber(config.beta))", "distance", estimate { m, _ in m[1] }, nil))
            for i in 0..<nSources {
                named.append(("H(Y) − CE of source \(i + 1)'s decoder at β = \(fmtNumber(config.beta))", "agreed_s\(i + 1)", estimate { m, _ in m[hIndex] - m[ceIndex + i] }, nil))
            }
            if betas.count > 1 {
                for i in 0..<nSources {
                    named.append(("usable information of source \(i + 1) (β = 0: H(Y) − CE of its decoder alone)", "usable_s\(i + 1)",
                                  estimate { _, z in z![hIndex] - z![ceIndex + i] }, exact?.usable))
                }
                let minUsable: ([Double]) -> Double = { z in (0..<nSources).map { z[hIndex] - z[ceIndex + $0] }.min()! }
                if biasCorrection {
                    for i in 0..<nSources {
                        named.append(("usable information of source \(i + 1), bias-corrected", "usable_s\(i + 1)_corrected",
                                      estimate(corrected: true) { _, z in z![hIndex] - z![ceIndex + i] }, exact?.usable))
                    }
                }
                named.append(("smallest usable information of a source (β = 0)", "usable_min", estimate { _, z in minUsable(z!) }, exact?.usable))
                named.append(("smallest usable information − I∩ (≥ 0: a source's decoder alone knows at least what is shared)", "usable_min_minus_redundancy",
                              estimate { m, z in minUsable(z!) - m[0] }, exact.map { $0.usable - $0.redundancy }))
            }
            let hAll = RINEReadout.labelEntropy(y)
            let bestEpochs = (0..<splits).map { cell(0, $0)[epochIndex] }
            // Over the trainings on full partitions (the half-training runs of bias_correction are not counted).
            let fullJobs = jobs.indices.filter { jobs[$0].1 < nPlans }
            let cappedRuns = fullJobs.filter { out[$0][epochIndex + 1] >= Double(config.epochs) && out[$0][epochIndex] > Double(config.epochs - patience) }.count

            var values = [Scalar]()
            for x in named {
                values.append(Scalar("\(prefix)_\(x.tag)", x.e.mean, error: x.e.error, significantFigures: 3, unit: x.tag == "distance" ? nil : "bits",
                                     tolerance: RedrawTolerance.tolerance(error: x.e.error, dof: x.e.dof)))
            }
            values += [Scalar("\(prefix)_samples", Double(n), significantFigures: 6, tolerance: .absolute(0)),
                       Scalar("\(prefix)_classes", Double(classes), significantFigures: 4, tolerance: .absolute(0)),
                       Scalar("\(prefix)_label_entropy", hAll, significantFigures: 4, unit: "bits", tolerance: .absolute(1e-9)),
                       Scalar("\(prefix)_best_epoch_median", Stats.median(bestEpochs), significantFigures: 2, tolerance: RedrawTolerance.median(bestEpochs)),
                       Scalar("\(prefix)_capped_fraction", Double(cappedRuns) / Double(fullJobs.count), significantFigures: 2, tolerance: RedrawTolerance.fraction(cappedRuns, runs: fullJobs.count))]
            func pm(_ e: Estimate) -> String { String(format: "%.3f ± %.3f", e.mean, e.error) }
            let errorWord = halvings > 0
                ? "± is the calibrated error of HalfSampleSpread: the spread over the \(splits) splits plus Var_D, the variance from sampling the data set itself, from \(halvings) random halvings of the samples, each half analysed again by \(halfPartitions) partitions into \(halfFolds) folds (calibrated on synthetic data in SplitErrorCalibrationTests)"
                : "± is the t-corrected spread over the \(splits) splits only, a lower bound: it leaves out the sampling of the data set (halvings: 0)"
            let correctionWord = biasCorrection ? " Bias-corrected rows: per partition, the test-label entropy plus its Miller–Madow term (K̂ − 1)/(2 N_test ln 2), minus the decoders' cross-entropy extrapolated to infinite training size in 1/n_train, 2 CE(n_train) − CE(n_train/2), from a second training on a random half of the partition's training samples (same validation and test samples, same initialisation); then the same mean and error over the partitions." : ""
            let setup = "\(n) samples, \(classes) classes (H(Y) = \(String(format: "%.3f", hAll)) bits), \(nSources) sources (\(xs.map { "\($0.cols)" }.joined(separator: " + ")) features\(standardize ? ", each feature standardised over all samples" : "")); per split \(plans[0].train.count) train, \(plans[0].validation.count) validation, \(plans[0].test.count) test samples; decoders \(config.hidden) + batch norm + ReLU, Adam lr \(config.learningRate)·\(config.learningRateDecay)^epoch, weight decay \(config.weightDecay), batch \(config.batchSize), β scheduled as β(1 − \(config.gamma)^e), at most \(config.epochs) epochs, stopped when the validation objective (1/n) Σ CEᵢ + βD at the final β has not improved for \(patience) epochs; read at the best validation epoch, I∩ = H(Y of the test samples) − (1/n) Σ CEᵢ on the test samples. \(jobs.count) trainings (\(plans.count) partitions\(biasCorrection ? " × 2 training sizes" : "") × \(betas.count) β), median best epoch \(Int(Stats.median(bestEpochs))), \(cappedRuns) run\(cappedRuns == 1 ? "" : "s") at the epoch cap\(biasCorrection ? " (of \(fullJobs.count) on full partitions)" : "")."
            var columns = ["quantity", "estimate (bits)", "split spread alone", "√Var_D", "ν"]
            if exact != nil { columns += ["known", "Δ", "Δ/σ"] }
            let rows = named.map { x -> [String] in
                var r = [x.label, pm(x.e), String(format: "%.3f", x.e.plain), x.e.dataSD.isNaN ? "–" : String(format: "%.3f", x.e.dataSD), String(format: "%.1f", x.e.dof)]
                if exact != nil {
                    if let k = x.known {
                        let d = x.e.mean - k
                        r += [String(format: "%.3f", k), String(format: "%+.3f", d), String(format: "%+.1f", x.e.error > 0 ? d / x.e.error : .nan)]
                    } else { r += ["–", "–", "–"] }
                }
                return r
            }
            var tables = [Table(id: "\(prefix.replacingOccurrences(of: ".", with: "-"))", caption: "RINE on \(origin): mean over \(splits) random splits; \(errorWord). " + setup + correctionWord,
                                columns: columns, rows: rows)]
            if let exact {
                let t = RINEKnownAnswerExample.task, b = PartialInformation.broja(t)
                tables.append(Table(id: "\(prefix.replacingOccurrences(of: ".", with: "-"))-known", caption: "The known answer of the generated example: five fair bits R, U₁, U₂, A, B; source 1 = (R, U₁, A), source 2 = (R, U₂, B) as ±1 features plus \(exampleNoise) N(0, 1) noise features each; Y = 8R + 4U₁ + 2U₂ + (A ⊕ B). Exact quantities of the distribution (bits), computed by the module (noise features change none of them). The redundancy is R's bit by I∧ and I_BROJA alike; I_MMI = min I(Xᵢ;Y) counts the equal unique bits too.",
                                    columns: ["H(Y)", "I(X₁;Y)", "I(X₂;Y)", "I(X₁,X₂;Y)", "I∧", "I_BROJA", "U₁ / U₂ / S (BROJA)", "I_MMI"],
                                    rows: [[String(format: "%.3f", ExactRedundancy.entropyY(t)), String(format: "%.3f", exact.usable), String(format: "%.3f", ExactRedundancy.mutualInformationX2(t)),
                                            String(format: "%.3f", ExactRedundancy.mutualInformationJoint(t)), String(format: "%.3f", ExactRedundancy.iWedge(t).value),
                                            String(format: "%.3f", b.redundancy), String(format: "%.3f / %.3f / %.3f", b.unique1, b.unique2, b.synergy),
                                            String(format: "%.3f", PartialInformation.mmi(t))]]))
            }
            let figure = Figure(id: "\(prefix.replacingOccurrences(of: ".", with: "-"))-bars", caption: "RINE on \(origin): the shared information I∩ at β = \(fmtNumber(config.beta))\(betas.count > 1 ? " and each source's usable information (β = 0)" : ""), mean ± error as in the table" + (exact != nil ? "; the known values as lines (I∩ = 1 bit, usable 2 bits)." : "."),
                                altText: "Points with error bars for the shared information and each source's usable information.",
                                panels: [Panel(xLabel: "quantity", yLabel: "bits", xRange: [-0.5, Double(named.filter { $0.tag != "distance" }.count) - 0.5],
                                               series: barSeries(named.filter { $0.tag != "distance" }.map { ($0.e.mean, $0.e.error, $0.known) }),
                                               xTickLabels: named.filter { $0.tag != "distance" }.map { shortLabel($0.tag) })],
                                panelWidth: 620, panelHeight: 360)
            return AnalysisOutput(tables: tables, figures: drawFigure ? [figure] : [], values: values,
                                  notes: ["rine.estimate on \(origin): \(jobs.count) trainings, seed \(seed)"])
        })

    static func fmtNumber(_ x: Double) -> String { x == x.rounded() && abs(x) < 1e9 ? String(Int(x)) : String(format: "%g", x) }

    static func shortLabel(_ tag: String) -> String {
        switch tag {
        case "redundancy": return "I∩"
        case "usable_min": return "min usable"
        case "usable_min_minus_redundancy": return "min usable − I∩"
        default:
            if tag.hasPrefix("usable_s") { return "usable " + tag.dropFirst(7) }
            if tag.hasPrefix("agreed_s") { return "H − CE " + tag.dropFirst(7) }
            return tag
        }
    }

    /// The estimates as points with error bars at x = 0, 1, …, and the known values (when given) as short lines.
    static func barSeries(_ xs: [(mean: Double, error: Double, known: Double?)]) -> [Series] {
        var s = [Series(label: "estimate", style: .errorBars, x: xs.indices.map(Double.init), y: xs.map(\.mean), yError: xs.map(\.error))]
        let known = xs.enumerated().compactMap { i, x in x.known.map { (Double(i), $0) } }
        if !known.isEmpty {
            s.append(Series(label: "known", style: .points, x: known.map(\.0), y: known.map(\.1)))
        }
        return s
    }
}
