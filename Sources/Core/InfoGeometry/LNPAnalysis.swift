import Foundation
import Numerics
import AnalysisKit

/// `geometry.lnp`: the learned estimator on a nonlinear Poisson (LNP) Gabor bank, x ~ N(0, Σ_patch) on Fashion-MNIST patch
/// statistics (issue 20 §4, second half). No closed form of G exists; G is learned from linear denoisers in (y, φ(r)) as in
/// `geometry.highdim`, its error is the spread over independent training sets, and its convergence is checked against the
/// estimator's own exact limit (`PoissonGaborPopulation.linearLimit`). Its eigenvectors are shown beside the prior-averaged
/// Fisher information's and PCA's.
enum LNPAnalysis {
    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let sizes = try p.ints("sizes", default: [4000, 16000])
        let evalSamples = try p.int("eval_samples", default: 1024, range: 2...1_000_000)
        let intervals = try p.int("intervals", default: 24, range: 2...400)
        let draws = try p.int("draws", default: 2, range: 1...64)
        let replicates = try p.int("replicates", default: 3, range: 2...64)
        let top = try p.int("top", default: 4, range: 1...16)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let nlName = try p.string("nonlinearity", default: "softplus")
        let featName = try p.string("features", default: "counts")
        let gain = try p.double("gain", default: 1.5, range: 1e-3...20)
        let bias = try p.double("bias", default: 0, range: -20...20)
        let rateScale = try p.double("rate_scale", default: 5, range: 1e-3...1e4)
        let exactSamples = try p.int("exact_samples", default: 0, range: 0...1_000_000)
        let exactDraws = try p.int("exact_draws", default: 16, range: 4...4096)
        let exactRepeats = try p.int("exact_repeats", default: 2, range: 2...16)
        guard exactSamples == 0 || exactSamples >= 8 else {
            throw ParameterError(key: "exact_samples", line: p.entries["exact_samples"]?.line, message: "must be 0 (no exact denoisers) or ≥ 8")
        }
        guard exactDraws % 4 == 0 else {
            throw ParameterError(key: "exact_draws", line: p.entries["exact_draws"]?.line, message: "must be a multiple of 4 (two halves of antithetic pairs)")
        }
        guard let nl = PoissonGaborPopulation.Nonlinearity(rawValue: nlName), nl != .linear else {
            throw ParameterError(key: "nonlinearity", line: p.entries["nonlinearity"]?.line, message: "must be softplus or exp")
        }
        guard let feat = PoissonGaborPopulation.Features(rawValue: featName) else {
            throw ParameterError(key: "features", line: p.entries["features"]?.line, message: "must be counts or anscombe")
        }
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 200 && $0 <= 1_000_000 }) else {
            throw ParameterError(key: "sizes", line: p.entries["sizes"]?.line, message: "need a non-empty list of training-set sizes in 200...1000000")
        }
        let load = try PatchAnalysis.setup(ctx, seed: seed)
        try p.rejectUnused()
        let s = try load()
        let d = s.covariance.rows, n = s.filters.rows, k = min(top, d)
        let pop = try PoissonGaborPopulation(priorCovariance: s.covariance, filters: s.filters, nonlinearity: nl,
                                             gain: gain, bias: bias, rateScale: rateScale)
        // The estimator's exact limit for both feature maps (lower bounds on I(R;X)), and the Fisher-based approximation.
        let limits = try PoissonGaborPopulation.Features.allCases.map { try pop.linearLimit(features: $0) }
        let limitMI = try limits.map { try $0.population.mutualInformation() }
        let (lim, limMean) = limits[PoissonGaborPopulation.Features.allCases.firstIndex(of: feat)!]
        let gLimit = try lim.metric()
        let (lv, lV) = try PatchGeometry.descending(gLimit)
        let fisher = try pop.meanFisher()
        let (fv, fV) = try PatchGeometry.descending(fisher)
        let (pv, pV) = try PatchGeometry.descending(s.covariance)
        // ½ log det(I + Σₓ E F) = ½ log det(I + Lᵀ (E F) L), Σₓ = L Lᵀ (symmetric positive definite).
        let lchol = try s.covariance.cholesky()
        let fisherApprox = 0.5 * (try SymmetricMatrix.symmetrized(Matrix<Double>.identity(d) + Matrix.product(lchol, transA: true, Matrix.product(fisher, lchol))).logDeterminantSPD())
        let (ghz, ghw) = try GaussHermite.rule(80)
        let meanRate = zip(ghz, ghw).reduce(0.0) { $0 + $1.1 * pop.rate($1.0) }
        ctx.progress("lnp: \(n) neurons, limit I = \(limitMI), mean rate \(meanRate)")

        let (sv, _) = try s.covariance.symmetricEigen()
        var est = LinearDenoiserEstimator(lowestGamma: 1e-3 * sv.first!, highestGamma: 1e3 * sv.last!)
        est.intervals = intervals; est.drawsPerPair = draws
        let nodes = est.quadrature.gammas.count
        let root = Xoshiro256(seed: UInt64(seed) &+ 11)
        let limitPredictors = try est.quadrature.gammas.map { try lim.exactNoisePredictors(gamma: $0) }
        // The surrogate's exact predictors take zero-mean responses: φ − E φ.
        let limitPredictor: LinearDenoiserEstimator.Predictor = { node, _, y, r in
            var rc = r
            for i in 0..<rc.rows { for j in 0..<n { rc.data[i * n + j] -= limMean[j] } }
            return limitPredictors[node](y, rc)
        }
        let norm = HighDimAnalysis.frobenius(gLimit)
        struct Run: Sendable { let learned: LinearDenoiserEstimator.Evaluation; let limit: LinearDenoiserEstimator.Evaluation }
        let tasks = sizes.count * replicates
        // Every (size, replicate) task draws its own training and evaluation pairs, so the spread over replicates contains
        // every source of randomness (training set, fitting noise, evaluation) and sd/√n is the error of their mean.
        let runs = try Parallel.map(tasks) { t -> Run in
            var rng = root.child(t)
            let train = try pop.sample(sizes[t / replicates], features: feat, rng: &rng)
            let fit = try est.fit(stimuli: train.stimuli, responses: train.responses, rng: &rng)
            var er = root.child(1000 + t)
            let evalPairs = try pop.sample(nodes * evalSamples, features: feat, rng: &er)
            let res = try est.evaluate([LinearDenoiserEstimator.predictor(fit), limitPredictor],
                                       stimuli: evalPairs.stimuli, responses: evalPairs.responses, rng: &er)
            return Run(learned: res[0], limit: res[1])
        }
        func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }
        // t-corrected error of a mean over the replicates (calibrated in LNPTests).
        func spreadError(_ v: [Double]) -> Double { ReplicateMean.coverage(v).error }
        let tFactor = StudentT.oneSigmaQuantile(dof: replicates - 1)
        let limitTrace = SymmetricMatrix.trace(gLimit)
        var values = [Scalar("geometry.lnp_neurons", Double(n), significantFigures: 2, tolerance: .absolute(0)),
                      Scalar("geometry.lnp_replicates", Double(replicates), significantFigures: 2, tolerance: .absolute(0)),
                      Scalar("geometry.lnp_mean_rate", meanRate, significantFigures: 4, unit: "spikes per window", tolerance: .relative(1e-6)),
                      Scalar("geometry.lnp_limit_mi", limitTrace, significantFigures: 4, unit: "nats", tolerance: .relative(1e-5)),
                      Scalar("geometry.lnp_limit_mi_counts", limitMI[0], significantFigures: 4, unit: "nats", tolerance: .relative(1e-5)),
                      Scalar("geometry.lnp_limit_mi_anscombe", limitMI[1], significantFigures: 4, unit: "nats", tolerance: .relative(1e-5)),
                      Scalar("geometry.lnp_fisher_approx", fisherApprox, significantFigures: 4, unit: "nats", tolerance: .relative(1e-5))]
        var rows = [[String]]()
        for (si, size) in sizes.enumerated() {
            let g = Array(runs[(si * replicates)..<((si + 1) * replicates)])
            let mi = g.map(\.learned.miDirect.value), ld = g.map(\.learned.miLossDifference.value)
            let mcErr = mean(g.map(\.learned.miDirect.error))
            let gErr = g.map { HighDimAnalysis.frobenius($0.learned.metric - gLimit) / norm }
            let gFloor = g.map { HighDimAnalysis.frobenius($0.limit.metric - gLimit) / norm }
            let angles = try g.map { HighDimAnalysis.degrees(try SubspaceComparison.largestAngle($0.learned.eigenvectors, lV, k: k)) }
            let angleFloor = try g.map { HighDimAnalysis.degrees(try SubspaceComparison.largestAngle($0.limit.eigenvectors, lV, k: k)) }
            let between = try (1..<g.count).map { HighDimAnalysis.degrees(try SubspaceComparison.largestAngle(g[$0].learned.eigenvectors, g[0].learned.eigenvectors, k: k)) }
            values += [
                Scalar("geometry.lnp_mi_\(size)", mean(mi), error: spreadError(mi), significantFigures: 4, unit: "nats"),
                Scalar("geometry.lnp_mi_delta_\(size)", mean(mi) - limitTrace, error: spreadError(mi), significantFigures: 2, unit: "nats"),
                Scalar("geometry.lnp_mi_mcerr_\(size)", mcErr, significantFigures: 2, unit: "nats", tolerance: .relative(0.3)),
                Scalar("geometry.lnp_milossdiff_\(size)", mean(ld), error: spreadError(ld), significantFigures: 4, unit: "nats"),
                Scalar("geometry.lnp_Gerr_\(size)", 100 * mean(gErr), error: 100 * spreadError(gErr), significantFigures: 2, unit: "%"),
                Scalar("geometry.lnp_Gfloor_\(size)", 100 * mean(gFloor), significantFigures: 2, unit: "%", tolerance: .absolute(max(0.5, 30 * mean(gFloor)))),
                Scalar("geometry.lnp_angle_\(size)", mean(angles), error: spreadError(angles), significantFigures: 2, unit: "°"),
                Scalar("geometry.lnp_anglefloor_\(size)", mean(angleFloor), significantFigures: 2, unit: "°", tolerance: .absolute(max(1, 0.3 * mean(angleFloor)))),
                Scalar("geometry.lnp_angle_between_\(size)", mean(between), significantFigures: 2, unit: "°", tolerance: .absolute(max(1, 0.3 * mean(between)))),
            ]
            rows.append([String(size),
                         String(format: "%.4f ± %.4f (MC %.4f)", mean(mi), spreadError(mi), mcErr),
                         String(format: "%.4f ± %.4f", mean(ld), spreadError(ld)),
                         String(format: "%.4f", limitTrace),
                         String(format: "%.2f ± %.2f %% (floor %.2f %%)", 100 * mean(gErr), 100 * spreadError(gErr), 100 * mean(gFloor)),
                         String(format: "%.1f ± %.1f° (floor %.1f°)", mean(angles), spreadError(angles), mean(angleFloor)),
                         String(format: "%.1f°", mean(between))])
        }
        let last = runs[(sizes.count - 1) * replicates].learned
        var exactRows = [[String]](), trueVectors: (Matrix<Double>, [Double])? = nil
        if exactSamples > 0 {
            // The true G of the LNP population from its exact denoisers (importance sampling in the n-dimensional drive
            // space), evaluated on the same samples as the linear limit's exact predictors: G_true = G_lim + (Ĝ_exact − Ĝ_lim),
            // a control variate whose error is that of the paired difference. `exactRepeats` independent evaluations.
            let exactDen = try LNPExactDenoiser(population: pop, draws: exactDraws)
            struct ExactRun: Sendable { let diff: PairedMetricDifference; var ess: Double { diff.meanEffectiveFraction } }
            let exactRuns = try Parallel.map(exactRepeats) { e -> ExactRun in
                var er = root.child(5000 + e)
                let pairs = try pop.sample(nodes * exactSamples, features: feat, rng: &er)
                return ExactRun(diff: try exactDen.pairedMetric(estimator: est, reference: limitPredictor, stimuli: pairs.stimuli,
                                                                 responses: pairs.responses, features: feat, rng: &er))
            }
            // Self-normalised bias of the draw count: the same exact denoisers with 4× the draws as reference, on a quarter of
            // the pairs of one repeat (both through their two halves).
            var sr = root.child(6000)
            let snisPairs = try pop.sample(nodes * max(2, exactSamples / 4), features: feat, rng: &sr)
            let snis = try exactDen.pairedMetric(estimator: est, reference: limitPredictor, stimuli: snisPairs.stimuli, responses: snisPairs.responses,
                                                 features: feat, referenceExact: try LNPExactDenoiser(population: pop, draws: 4 * exactDraws), rng: &sr)
            let r = Double(exactRepeats)
            var dG = Matrix<Double>(rows: d, cols: d)
            for e in exactRuns { dG = dG + (1 / r) * e.diff.metric }
            let dTr = exactRuns.reduce(0) { $0 + $1.diff.trace.value } / r
            let dTrErr = (exactRuns.reduce(0) { $0 + $1.diff.trace.error * $1.diff.trace.error }).squareRoot() / r
            let noise = (exactRuns.reduce(0) { $0 + $1.diff.frobeniusNoise * $1.diff.frobeniusNoise }).squareRoot() / r
            let gTrue = SymmetricMatrix.symmetrized(gLimit + dG)
            let (tv, tV) = try PatchGeometry.descending(gTrue)
            trueVectors = (tV, tv)
            let perRepeat = try exactRuns.map { try PatchGeometry.descending(SymmetricMatrix.symmetrized(gLimit + $0.diff.metric)).1 }
            let angleTrue = HighDimAnalysis.degrees(try SubspaceComparison.largestAngle(tV, lV, k: k))
            let angleRepeats = HighDimAnalysis.degrees(try SubspaceComparison.largestAngle(perRepeat[0], perRepeat[1], k: k))
            let dNorm = HighDimAnalysis.frobenius(dG)
            let trueNorm = HighDimAnalysis.frobenius(gTrue)
            let lastSize = sizes.count - 1
            var learnedMean = Matrix<Double>(rows: d, cols: d)
            for t in 0..<replicates { learnedMean = learnedMean + (1 / Double(replicates)) * runs[lastSize * replicates + t].learned.metric }
            let learnedVsTrue = HighDimAnalysis.frobenius(learnedMean - gTrue) / trueNorm
            let learnedVsLimit = HighDimAnalysis.frobenius(learnedMean - gLimit) / norm
            let ess = exactRuns.reduce(0) { $0 + $1.ess } / r
            // Pull of the two first repeats' trace differences against each other (a single check, not a calibration).
            values += [
                Scalar("geometry.lnp_true_mi", limitTrace + dTr, error: dTrErr, significantFigures: 4, unit: "nats"),
                Scalar("geometry.lnp_true_gap", dTr, error: dTrErr, significantFigures: 2, unit: "nats"),
                Scalar("geometry.lnp_true_Gdiff", 100 * dNorm / norm, significantFigures: 2, unit: "%", tolerance: .absolute(max(0.5, 3 * 100 * noise / norm))),
                Scalar("geometry.lnp_true_Gdiff_floor", 100 * noise / norm, significantFigures: 2, unit: "%", tolerance: .relative(0.3)),
                Scalar("geometry.lnp_true_angle", angleTrue, significantFigures: 2, unit: "°", tolerance: .absolute(max(1, angleRepeats))),
                Scalar("geometry.lnp_true_angle_repeats", angleRepeats, significantFigures: 2, unit: "°", tolerance: .absolute(max(1, 0.5 * angleRepeats))),
                Scalar("geometry.lnp_true_learned_Gerr", 100 * learnedVsTrue, significantFigures: 2, unit: "%", tolerance: .absolute(max(0.5, 3 * 100 * noise / norm))),
                Scalar("geometry.lnp_true_learned_Gerr_limit", 100 * learnedVsLimit, significantFigures: 2, unit: "%", tolerance: .absolute(1)),
                Scalar("geometry.lnp_true_ess", ess, significantFigures: 2, tolerance: .absolute(0.05)),
                Scalar("geometry.lnp_true_snis", snis.trace.value, error: snis.trace.error, significantFigures: 2, unit: "nats"),
            ]
            exactRows = [
                ["tr G_true = I(R;X) (exact denoisers)", String(format: "%.4f ± %.4f nats", limitTrace + dTr, dTrErr)],
                ["tr G_true − tr G_lim (what the linear class misses)", String(format: "%+.4f ± %.4f nats", dTr, dTrErr)],
                ["‖G_true − G_lim‖_F / ‖G_lim‖_F", String(format: "%.2f %% (Monte Carlo noise %.2f %%)", 100 * dNorm / norm, 100 * noise / norm)],
                ["top-\(k) angle, G_true vs G_lim", String(format: "%.1f° (between the %d independent evaluations: %.1f°)", angleTrue, exactRepeats, angleRepeats)],
                ["learned Ĝ (\(sizes.last!) pairs, mean of \(replicates)) vs G_true / vs G_lim", String(format: "%.2f %% / %.2f %%", 100 * learnedVsTrue, 100 * learnedVsLimit)],
                ["importance sampling: mean effective sample size / draws", String(format: "%.3f (%d draws)", ess, exactDraws)],
                ["tr G_true with \(exactDraws) minus \(4 * exactDraws) draws (self-normalised bias; \(max(2, exactSamples / 4)) pairs per node)", String(format: "%+.4f ± %.4f nats", snis.trace.value, snis.trace.error)],
            ]
        }
        // Overlaps (mean squared cosine of the top-k subspaces) of the learned G with the Fisher information and PCA.
        func overlap(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
            let m = Matrix.product(a.selectingColumns(Array(0..<k)), transA: true, b.selectingColumns(Array(0..<k)))
            return m.data.reduce(0) { $0 + $1 * $1 } / Double(k)
        }
        values += [Scalar("geometry.lnp_overlap_GF", overlap(last.eigenvectors, fV), significantFigures: 2, tolerance: .absolute(0.05)),
                   Scalar("geometry.lnp_overlap_GP", overlap(last.eigenvectors, pV), significantFigures: 2, tolerance: .absolute(0.05)),
                   Scalar("geometry.lnp_overlap_limitF", overlap(lV, fV), significantFigures: 3, tolerance: .absolute(1e-4)),
                   Scalar("geometry.lnp_overlap_limitP", overlap(lV, pV), significantFigures: 3, tolerance: .absolute(1e-4))]
        let table = Table(id: "lnp-vs-size", caption: "Learned G for the LNP Gabor bank (\(n) neurons, rate \(rateScale)·\(nl.rawValue)(\(gain) z + \(bias)), z the unit-variance filter drive; x ~ N(0, Σ_patch), d = \(d)) versus the number of training pairs: linear denoisers in (y, φ(r)), φ = \(feat.rawValue), at \(nodes) ln γ nodes, evaluated on \(evalSamples) fresh pairs per node; \(replicates) independent replicates per size, each with its own training and evaluation pairs. ± is the spread over the replicates, t-corrected (t₀.₈₄ with \(replicates - 1) degrees of freedom = \(String(format: "%.3f", tFactor)), times sd/√\(replicates)); MC is the mean Monte Carlo error of a single evaluation. Limit: the closed-form G of the Gaussian surrogate with the same second moments of (x, φ(r)), which is what the estimator converges to; its trace is a lower bound on I(R;X). G error: ‖Ĝ − G_lim‖_F/‖G_lim‖_F, with the limit's own denoisers through the same evaluation as floor. Angle: largest principal angle between the top-\(k) subspaces of Ĝ and G_lim (floor: the limit's denoisers through the same evaluation), and between the first replicate and the others.",
                          columns: ["pairs", "MI direct tr Ĝ (nats)", "MI loss difference", "limit tr G_lim", "G error vs limit", "top-\(k) angle to limit", "angle between training sets"], rows: rows)
        var boundRows = [
            ["linear-denoiser limit, φ(r) = r", String(format: "%.4f", limitMI[0]), "lower bound (x Gaussian)"],
            ["linear-denoiser limit, φ(r) = 2√(r + 3/8)", String(format: "%.4f", limitMI[1]), "lower bound (x Gaussian)"],
            ["½ log det(I + Σₓ E F)", String(format: "%.4f", fisherApprox), "Fisher (large-population) approximation, not a bound"],
        ]
        if let v = values.first(where: { $0.name == "geometry.lnp_true_mi" }) {
            boundRows.append(["exact denoisers (importance sampling in drive space)", String(format: "%.4f ± %.4f", v.value, v.error ?? 0), "I(R;X) itself, up to Monte Carlo error"])
        }
        let boundTable = Table(id: "lnp-bounds", caption: "What is known about I(R;X) for this LNP population without an oracle (nats). Mean rate \(String(format: "%.3f", meanRate)) spikes per window per neuron.",
                               columns: ["quantity", "value (nats)", "status"], rows: boundRows)
        let side = s.side
        func image(_ v: Matrix<Double>, _ j: Int) -> [[Double]] { (0..<side).map { i in (0..<side).map { c in v[i * side + c, j] } } }
        var panels = [Panel]()
        var aligned = last.eigenvectors
        for j in 0..<k where HighDimAnalysis.dot(aligned.column(j), lV.column(j)) < 0 { for i in 0..<d { aligned[i, j] = -aligned[i, j] } }
        var rowsOfPanels = [("learned G", aligned, last.eigenvalues), ("limit G", lV, lv)]
        if let tvv = trueVectors {
            let (tV, tv) = tvv
            var al = tV
            for j in 0..<k where HighDimAnalysis.dot(al.column(j), lV.column(j)) < 0 { for i in 0..<d { al[i, j] = -al[i, j] } }
            rowsOfPanels.append(("true G", al, tv))
        }
        rowsOfPanels += [("mean Fisher", fV, fv), ("PCA", pV, pv)]
        for (name, vecs, vals) in rowsOfPanels {
            for j in 0..<k {
                let deg = HighDimAnalysis.degenerateNote(vals, j)
                panels.append(Panel(title: "\(name) #\(j + 1)\(deg.isEmpty ? "" : " " + deg + ": basis arbitrary")", heatmap: Heatmap(values: image(vecs, j), colorRange: .symmetric, colorGroup: "eigenvectors", colorLabel: "component")))
            }
        }
        let fig = Figure(id: "lnp-eigenvectors", caption: "Top \(k) eigenvectors, as \(side)×\(side) images, for the LNP Gabor bank: G learned from \(sizes.last!) pairs (first row, one training set, signs aligned with the limit), the estimator's limit G_lim (second row), \(trueVectors == nil ? "" : "the true G from the exact denoisers (third, signs aligned with the limit), ")the prior-averaged Fisher information E_x F(x) and the patch covariance (PCA, bottom). One colour scale for all panels, centred on zero (white), for the components of unit-norm eigenvectors.",
                         altText: "Four rows of small images: learned and limit G eigenvectors agree; Fisher eigenvectors are Gabor-like, PCA eigenvectors smooth.",
                         panels: panels, columns: k, panelWidth: 200, panelHeight: 200)
        var tables = [table, boundTable]
        if !exactRows.isEmpty {
            tables.append(Table(id: "lnp-true", caption: "The LNP population's true G from its exact denoisers E[x | y, r] (self-normalised importance sampling from the Laplace approximation in the \(n)-dimensional drive space, \(exactDraws) antithetic draws per sample), evaluated on \(exactSamples) fresh pairs per ln γ node in \(exactRepeats) independent repeats, on the same samples as the linear limit's exact predictors: G_true = G_lim + (Ĝ_exact − Ĝ_lim), with the Monte Carlo error of the paired difference.",
                                columns: ["quantity", "value"], rows: exactRows))
        }
        return AnalysisOutput(tables: tables, figures: [fig], values: values,
                              notes: ["geometry.lnp: \(nl.rawValue) rate, gain \(gain), bias \(bias), rate scale \(rateScale), features \(feat.rawValue), sizes \(sizes), \(replicates) replicates, \(evalSamples) evaluation pairs per node, seed \(seed)"])
    }
}
