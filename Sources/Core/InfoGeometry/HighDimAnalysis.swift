import Foundation
import Numerics
import AnalysisKit

/// `geometry.highdim`: the learned estimator in 64 dimensions against an exact oracle (issue 20 §4). Stimuli are drawn from
/// N(0, Σ_patch) with Σ_patch the covariance of Fashion-MNIST 8×8 patches, the population is the Gabor bank of
/// `geometry.patches` with Gaussian noise, so G = ½(log Σₓ − log C) is known in closed form. G is learned from finite sets
/// of (x, r) pairs by `LinearDenoiserEstimator`, and the exact denoisers are evaluated on the same samples (the floor).
enum HighDimAnalysis {
    static func degrees(_ a: Double) -> Double { a * 180 / Double.pi }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let sizes = try p.ints("sizes", default: [2000, 8000, 32000])
        let evalSamples = try p.int("eval_samples", default: 2048, range: 2...1_000_000)
        let intervals = try p.int("intervals", default: 24, range: 2...400)
        let draws = try p.int("draws", default: 2, range: 1...64)
        let top = try p.int("top", default: 4, range: 1...16)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 200 && $0 <= 1_000_000 }) else {
            throw ParameterError(key: "sizes", line: p.entries["sizes"]?.line, message: "need a non-empty list of training-set sizes in 200...1000000")
        }
        let load = try PatchAnalysis.setup(ctx, seed: seed)
        try p.rejectUnused()
        let s = try load()
        let d = s.covariance.rows
        let pop = try GaussianLinearPopulation(priorCovariance: s.covariance, weights: s.filters,
                                               noiseCovariance: s.noise * Matrix<Double>.identity(s.filters.rows))
        let mi = try pop.mutualInformation()
        let gExact = try pop.metric()
        let (ev, eV) = try PatchGeometry.descending(gExact)
        let k = min(top, d)
        // γ range from the data alone: three decades beyond the smallest and largest variance of the training stimuli.
        let (sv, _) = try s.covariance.symmetricEigen()
        var est = LinearDenoiserEstimator(lowestGamma: 1e-3 * sv.first!, highestGamma: 1e3 * sv.last!)
        est.intervals = intervals; est.drawsPerPair = draws
        let gQuad = try est.metricByQuadrature(pop)
        let norm = frobenius(gExact)
        let quadRel = frobenius(gQuad - gExact) / norm
        let nodes = est.quadrature.gammas.count
        let root = Xoshiro256(seed: UInt64(seed) &+ 7)
        var evalRng = root.child(1000)
        let evalPairs = try pop.sample(nodes * evalSamples, rng: &evalRng)
        let exactPredictors = try est.quadrature.gammas.map { try pop.exactNoisePredictors(gamma: $0) }
        let exactPredictor: LinearDenoiserEstimator.Predictor = { node, _, y, r in exactPredictors[node](y, r) }

        var values = [Scalar("geometry.hd_mi", mi, significantFigures: 5, unit: "nats", tolerance: .relative(1e-4)),
                      Scalar("geometry.hd_dimension", Double(d), significantFigures: 3, tolerance: .absolute(0)),
                      Scalar("geometry.hd_neurons", Double(s.filters.rows), significantFigures: 2, tolerance: .absolute(0)),
                      Scalar("geometry.hd_nodes", Double(nodes), significantFigures: 2, tolerance: .absolute(0)),
                      Scalar("geometry.hd_quad_relerr", 100 * quadRel, significantFigures: 2, unit: "%", tolerance: .absolute(0.01)),
                      Scalar("geometry.hd_quad_mierr", abs(SymmetricMatrix.trace(gQuad) - mi), significantFigures: 2, unit: "nats", tolerance: .absolute(1e-4))]
        var rows = [[String]]()
        var spectra = [Series(label: "closed form", style: .lines, x: (1...d).map(Double.init), y: ev)]
        var last: (learned: LinearDenoiserEstimator.Evaluation, exact: LinearDenoiserEstimator.Evaluation)?
        for (si, n) in sizes.enumerated() {
            var rng = root.child(si)
            let train = try pop.sample(n, rng: &rng)
            let fit = try est.fit(stimuli: train.stimuli, responses: train.responses, rng: &rng)
            var er = evalRng.child(si)      // same evaluation pairs for every size, independent noise per size
            let res = try est.evaluate([LinearDenoiserEstimator.predictor(fit), exactPredictor],
                                       stimuli: evalPairs.stimuli, responses: evalPairs.responses, rng: &er)
            let (l, e) = (res[0], res[1])
            last = (l, e)
            ctx.progress("highdim: n = \(n), learned I = \(l.miDirect.value)")
            let gErr = frobenius(l.metric - gExact) / norm, gFloor = frobenius(e.metric - gExact) / norm
            let angle = degrees(try SubspaceComparison.largestAngle(l.eigenvectors, eV, k: k))
            let angleFloor = degrees(try SubspaceComparison.largestAngle(e.eigenvectors, eV, k: k))
            let lamErr = (0..<k).map { abs(l.eigenvalues[$0] - ev[$0]) / ev[$0] }.max()!
            let lamFloor = (0..<k).map { abs(e.eigenvalues[$0] - ev[$0]) / ev[$0] }.max()!
            values += [
                Scalar("geometry.hd_mi_\(n)", l.miDirect.value, error: l.miDirect.error, significantFigures: 4, unit: "nats"),
                Scalar("geometry.hd_mi_delta_\(n)", l.miDirect.value - mi, error: l.miDirect.error, significantFigures: 2, unit: "nats"),
                Scalar("geometry.hd_milossdiff_\(n)", l.miLossDifference.value, error: l.miLossDifference.error, significantFigures: 4, unit: "nats"),
                Scalar("geometry.hd_milossdiff_delta_\(n)", l.miLossDifference.value - mi, error: l.miLossDifference.error, significantFigures: 2, unit: "nats"),
                Scalar("geometry.hd_miexact_\(n)", e.miDirect.value, error: e.miDirect.error, significantFigures: 4, unit: "nats"),
                Scalar("geometry.hd_Gerr_\(n)", 100 * gErr, significantFigures: 2, unit: "%", tolerance: .absolute(max(0.5, 30 * gFloor))),
                Scalar("geometry.hd_Gfloor_\(n)", 100 * gFloor, significantFigures: 2, unit: "%", tolerance: .absolute(max(0.5, 30 * gFloor))),
                Scalar("geometry.hd_angle_\(n)", angle, significantFigures: 2, unit: "°", tolerance: .absolute(max(1, 0.3 * angle))),
                Scalar("geometry.hd_anglefloor_\(n)", angleFloor, significantFigures: 2, unit: "°", tolerance: .absolute(max(1, 0.3 * angleFloor))),
                Scalar("geometry.hd_lamerr_\(n)", 100 * lamErr, significantFigures: 2, unit: "%", tolerance: .absolute(max(0.5, 0.3 * 100 * lamErr))),
            ]
            rows.append([String(n),
                         String(format: "%.4f ± %.4f", l.miDirect.value, l.miDirect.error),
                         String(format: "%.4f ± %.4f", l.miLossDifference.value, l.miLossDifference.error),
                         String(format: "%.4f ± %.4f", e.miDirect.value, e.miDirect.error),
                         String(format: "%.2f %% (floor %.2f %%)", 100 * gErr, 100 * gFloor),
                         String(format: "%.2f %% (floor %.2f %%)", 100 * lamErr, 100 * lamFloor),
                         String(format: "%.1f° (floor %.1f°)", angle, angleFloor)])
            spectra.append(Series(label: "learned, \(n) pairs", style: .points, x: (1...d).map(Double.init), y: l.eigenvalues.map { max($0, 1e-8) }))
        }
        let (l, e) = last!
        let table = Table(id: "hd-vs-size", caption: "Learned G in \(d) dimensions (x ~ N(0, Σ_patch), \(s.filters.rows) Gabor neurons, noise variance \(s.noise)) versus the number of training pairs: linear denoisers fitted at each of \(nodes) ln γ nodes (\(draws) noise draws per pair), evaluated on \(evalSamples) fresh pairs per node. Closed form: I(R;X) = \(String(format: "%.4f", mi)) nats. MI: value ± Monte Carlo error of the evaluation. \"Exact denoisers\": the same evaluation, on the same samples, of the optimal denoisers (the floor). G error: ‖Ĝ − G‖_F / ‖G‖_F. Eigenvalues: largest relative error among the top \(k). Angle: largest principal angle between the top-\(k) eigenvector subspaces of Ĝ and G. The quadrature alone (closed-form J_γ at the same nodes) is \(String(format: "%.3f", 100 * quadRel)) % off in G.",
                          columns: ["pairs", "MI direct (nats)", "MI loss difference", "MI exact denoisers", "G error", "top-\(k) eigenvalues", "top-\(k) subspace angle"], rows: rows)
        let nShow = min(8, d)
        let eigRows = (0..<nShow).map { i -> [String] in
            [String(i + 1), String(format: "%.5f", ev[i]), String(format: "%.5f ± %.5f", l.eigenvalues[i], l.eigenvalueErrors[i]),
             String(format: "%.5f ± %.5f", e.eigenvalues[i], e.eigenvalueErrors[i]),
             String(format: "%.3f", abs(dot(l.eigenvectors.column(i), eV.column(i)))),
             degenerateNote(ev, i)]
        }
        let eigTable = Table(id: "hd-eigen", caption: "Leading eigenvalues of G (nats): closed form, learned from \(sizes.last!) pairs and exact denoisers on the same samples (± first-order Monte Carlo error, from the samples of (vₖᵀδ)²), and |cos| between the learned and the exact k-th eigenvector. Near-degenerate pairs (relative gap < 5 %) are flagged: their individual eigenvectors are not determined, only their joint subspace.",
                             columns: ["k", "closed form", "learned", "exact denoisers", "|cos|(v̂ₖ, vₖ)", "degeneracy"], rows: eigRows)
        let side = s.side
        func image(_ v: Matrix<Double>, _ j: Int) -> [[Double]] { (0..<side).map { i in (0..<side).map { c in v[i * side + c, j] } } }
        // Align the learned eigenvectors' signs with the exact ones for display.
        var panels = [Panel]()
        for j in 0..<k { panels.append(Panel(title: "closed form #\(j + 1)\(degenerateNote(ev, j).isEmpty ? "" : " (degenerate)")", heatmap: Heatmap(values: image(eV, j), colorRange: .symmetric, colorGroup: "eigenvectors", colorLabel: "component"))) }
        var aligned = l.eigenvectors
        for j in 0..<k where dot(aligned.column(j), eV.column(j)) < 0 { for i in 0..<d { aligned[i, j] = -aligned[i, j] } }
        for j in 0..<k { panels.append(Panel(title: "learned #\(j + 1)", heatmap: Heatmap(values: image(aligned, j), colorRange: .symmetric, colorGroup: "eigenvectors", colorLabel: "component"))) }
        let fig = Figure(id: "hd-eigenvectors", caption: "Top \(k) eigenvectors of G as \(side)×\(side) images: closed form (top row) and learned from \(sizes.last!) pairs (bottom row, signs aligned with the closed form). One colour scale for all panels, centred on zero (white), for the components of unit-norm eigenvectors.",
                         altText: "Two rows of small images; the learned eigenvectors reproduce the closed-form ones.",
                         panels: panels, columns: k, panelWidth: 220, panelHeight: 220)
        let specFig = Figure(id: "hd-spectrum", caption: "Eigenvalues of G (nats, descending, log scale): closed form and learned for each number of pairs. Learned eigenvalues below 10⁻⁸ are drawn at 10⁻⁸.",
                             altText: "Descending eigenvalue spectra; the learned spectra follow the closed form at the top and flatten into a noise floor in the tail.",
                             panels: [Panel(title: "spectrum of G", xLabel: "k", yLabel: "λ_k (nats)", logY: true, series: spectra)],
                             panelWidth: 560, panelHeight: 380)
        return AnalysisOutput(tables: [table, eigTable], figures: [fig, specFig], values: values,
                              notes: ["geometry.highdim: Σ_patch from \(s.count) patches of \(s.images) images (ridge \(s.ridge)), γ ∈ [\(est.lowestGamma), \(est.highestGamma)], sizes \(sizes), \(evalSamples) evaluation pairs per node, seed \(seed)"])
    }

    static func frobenius(_ a: Matrix<Double>) -> Double { a.data.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// "≈ #j" when eigenvalue i (descending) lies within 5 % of a neighbour: its eigenvector is then not determined.
    static func degenerateNote(_ v: [Double], _ i: Int) -> String {
        var near = [Int]()
        for j in [i - 1, i + 1] where j >= 0 && j < v.count && abs(v[i] - v[j]) < 0.05 * max(abs(v[i]), abs(v[j])) { near.append(j + 1) }
        return near.isEmpty ? "" : "≈ " + near.map { "#\($0)" }.joined(separator: ", ")
    }
}
