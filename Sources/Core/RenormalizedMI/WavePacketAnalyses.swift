import AnalysisKit
import Foundation
import Numerics

/// Estimates of Ĩ for the Fig. 2b features on `n` fresh samples of the wave packet at one noise level.
struct WavePacketLevel {
    var estimates: [RMIEstimate]
    /// Per-feature values and ln|∇f| (kept for differences between features on the same samples).
    var values: [[Double]], logGradients: [[Double]]
    var bins: Int, rule: HistogramRule
    /// Random halves behind every error (`HalvesErrors`).
    var splits: Int

    init(noise: Double, samples n: Int, bins: Int, rule: HistogramRule, origin: Int, pcaSamples: Int,
         splits: Int = HalvesErrors.defaultSplits, rng: inout Xoshiro256) throws {
        var packet = WavePacket(noise: noise)
        packet.origin = origin
        let x = packet.samples(n, rng: &rng)
        let axis = try WavePacketFeature.principalAxis(Array(x.prefix(pcaSamples)))
        var est = [RMIEstimate](), vals = [[Double]](), lgs = [[Double]]()
        for feature in WavePacketFeature.allCases {
            var v = [Double](), g = [Double]()
            v.reserveCapacity(n); g.reserveCapacity(n)
            for s in x {
                let (a, b) = feature.evaluate(s, pcaAxis: axis, origin: origin)
                v.append(a); g.append(0.5 * log(b.reduce(0) { $0 + $1 * $1 }))
            }
            vals.append(v); lgs.append(g)
            est.append(RenormalizedMI.estimate(values: v, logGradient: g, bins: bins, rule: rule, splits: splits))
        }
        estimates = est; values = vals; logGradients = lgs
        self.bins = bins; self.rule = rule; self.splits = splits
    }

    /// Ĩ_a − Ĩ_b on the same samples and its random-halves error.
    func difference(_ a: Int, _ b: Int) -> (value: Double, error: Double) {
        func tilde(_ f: Int, _ idx: [Int]) -> Double {
            EntropyInfluence.mean(values[f], indices: idx, bins: bins, rule: rule)
                - idx.reduce(0) { $0 + logGradients[f][$1] } / Double(idx.count)
        }
        let e = HalvesErrors.errors(count: values[a].count, splits: splits) { [tilde(a, $0) - tilde(b, $0)] }
        return (estimates[a].value - estimates[b].value, e[0])
    }
}

extension RMIAnalyses {
    // MARK: wave packet (Fig. 2b)

    static let wavePacket = AnalysisDescriptor(
        name: "rmi.wavepacket",
        summary: "Fig. 2b: Ĩ and H of five features of a noisy 1-D wave packet versus noise; the crossing of the best features on a fine σ grid",
        run: { ctx in
            let p = ctx.parameters
            let sigmas = try p.doubles("noise", default: Stats.linspace(0, 0.4, 9))
            let fine = try p.doubles("crossing_noise", default: Stats.linspace(0.12, 0.24, 13))
            let n = try p.int("samples", default: 20_000, range: 500...1_000_000)
            let bins = try p.int("bins", default: 200, range: 10...10_000)
            let origin = try p.int("origin", default: 1, range: 0...1)
            let seed = try p.int("seed", default: 2)
            let splits = try p.int("splits", default: HalvesErrors.defaultSplits, range: 2...500)
            guard sigmas.allSatisfy({ $0 >= 0 && $0 <= 10 }) else {
                throw ParameterError(key: "noise", line: p.entries["noise"]?.line, message: "noise levels must lie in [0, 10]")
            }
            guard fine.allSatisfy({ $0 >= 0 && $0 <= 10 }), fine.count >= 4 else {
                throw ParameterError(key: "crossing_noise", line: p.entries["crossing_noise"]?.line,
                                     message: "crossing_noise needs ≥ 4 levels in [0, 10]")
            }
            try p.rejectUnused() // an unknown or misspelt key fails here, before any sampling
            let root = Xoshiro256(seed: UInt64(seed))
            let features = WavePacketFeature.allCases
            let all = sigmas + fine
            let levels = try Parallel.map(all.count) { i -> WavePacketLevel in
                var rng = root.child(i)
                return try WavePacketLevel(noise: all[i], samples: n, bins: bins, rule: .linear, origin: origin,
                                           pcaSamples: min(n, 20_000), splits: splits, rng: &rng)
            }
            ctx.progress("wave packet: \(all.count) noise levels done")
            let coarse = Array(levels[0..<sigmas.count]), fineLevels = Array(levels[sigmas.count...])
            let bestAt = coarse.map { l in l.estimates.indices.max { l.estimates[$0].value < l.estimates[$1].value }! }
            // The crossing: the best feature at the lowest fine level against the best at the highest one.
            let fa = fineLevels.first!.estimates.indices.max { fineLevels.first!.estimates[$0].value < fineLevels.first!.estimates[$1].value }!
            let fb = fineLevels.last!.estimates.indices.max { fineLevels.last!.estimates[$0].value < fineLevels.last!.estimates[$1].value }!
            let diffs = fineLevels.map { $0.difference(fa, fb) }
            let crossing = fa != fb ? CurveCrossing(s: fine, d: diffs.map(\.value), errors: diffs.map(\.error), degree: 2) : nil
            let linearCrossing = fa != fb ? CurveCrossing.linearInterpolation(s: fine, d: diffs.map(\.value)) : nil

            // Panel 2a: single samples of the field at three noise levels (one packet centre, its own generator).
            var sampleRng = root.child(10_000)
            let shown = [0.0, 0.1, 0.3]
            let single = shown.map { sd -> [Double] in var w = WavePacket(noise: sd); w.origin = origin; return w.samples(1, rng: &sampleRng)[0] }
            let sites = (0..<single[0].count).map { Double($0 + origin) }
            let sampleFig = Figure(
                id: "wavepacket-samples",
                caption: "Fig. 2a analogue: single samples of the field x_j = ξ_j + exp(−(j − j̄)²/δj²) (δj = 9, j̄ ~ U[30, 70], white noise of sd σ) at σ = 0, 0.1 and 0.3.",
                altText: "Three noisy Gaussian bumps on a 100-site lattice; the noise grows from none to strong.",
                panels: [Panel(xLabel: "site j", yLabel: "x_j",
                               series: zip(shown, single).map { Series(label: String(format: "σ = %.1f", $0), style: .lines, x: sites, y: $1) })],
                panelWidth: 640, panelHeight: 320)
            // No fixed range on the Ĩ panel: the lowest point (at the smallest noise) sets the bottom of the scale.
            let lowestAt = features.indices.flatMap { f in coarse.indices.map { (f, $0) } }.min { coarse[$0.1].estimates[$0.0].value < coarse[$1.1].estimates[$1.0].value }
            let lowest = lowestAt.map { " The lowest point, \(features[$0.0].rawValue) at σ = " + String(format: "%.2f (Ĩ = %.1f nats)", sigmas[$0.1], coarse[$0.1].estimates[$0.0].value)
                + ", sets the bottom of the left scale." } ?? ""
            let fig = Figure(
                id: "wavepacket",
                caption: "Fig. 2b analogue: Ĩ of five candidate features versus the field-noise strength σ (N = 100 sites j = \(origin)…\(origin + 99), δj = 9, j̄ ~ U[30, 70]; \(n) samples per level, ± random-halves standard error). Right: the entropy H(y) of the same features (the paper's inset quantity), which depends on the features' scale." + lowest,
                altText: "Renormalized MI and entropy of five features against noise; the best feature changes as noise grows.",
                panels: [Panel(title: "Ĩ(x, y)", xLabel: "noise σ", yLabel: "Ĩ (nats)",
                               series: features.indices.map { f in Series(label: features[f].rawValue, style: .errorLines, x: sigmas,
                                                                          y: coarse.map { $0.estimates[f].value }, yError: coarse.map { $0.estimates[f].error }) }),
                         Panel(title: "H(y) (not invariant)", xLabel: "noise σ", yLabel: "H (nats)",
                               series: features.indices.map { f in Series(label: features[f].rawValue, style: .linesPoints, x: sigmas,
                                                                          y: coarse.map { $0.estimates[f].entropy }) })],
                columns: 2, panelWidth: 560, panelHeight: 440)
            let pm = { (e: RMIEstimate) in ValueText.pm(e.value, e.error) }
            var rows = [[String]]()
            for (si, s) in sigmas.enumerated() {
                rows.append([String(format: "%.2f", s)] + features.indices.map { pm(coarse[si].estimates[$0]) } + [features[bestAt[si]].rawValue])
            }
            let table = Table(id: "wavepacket-table", caption: "Ĩ (nats) per feature and noise level (± random-halves standard error, \(n) samples, \(bins) bins); last column: the best feature.",
                              columns: ["σ"] + features.map(\.rawValue) + ["best"], rows: rows)
            var crossRows = [[String]]()
            for (i, s) in fine.enumerated() {
                crossRows.append([String(format: "%.3f", s), pm(fineLevels[i].estimates[fa]), pm(fineLevels[i].estimates[fb]),
                                  ValueText.pm(diffs[i].value, diffs[i].error)])
            }
            let crossTable = Table(
                id: "wavepacket-crossing",
                caption: "The crossing on the fine grid: Ĩ of \(features[fa].rawValue) (a) and \(features[fb].rawValue) (b), and their difference on the same samples with its error. A weighted quadratic fit of the difference gives the crossing"
                    + (crossing.map { String(format: " σ* = %.4f ± %.4f (χ² = %.1f for %d degrees of freedom)", $0.root, $0.error, $0.chi2, $0.dof) } ?? " (none found)") + ".",
                columns: ["σ", "Ĩ(a)", "Ĩ(b)", "Ĩ(a) − Ĩ(b)"], rows: crossRows)
            var values = [Scalar("rmi.wave_crossing", crossing?.root ?? .nan, error: crossing?.error, significantFigures: 3),
                          Scalar("rmi.wave_crossing_linear", linearCrossing ?? .nan, significantFigures: 3),
                          // χ²/ν of a correct fit scatters by √(2/ν); a redraw of the samples moves it by √2 of that (3σ).
                          Scalar("rmi.wave_crossing_chi2_dof", crossing.map { $0.chi2 / Double($0.dof) } ?? .nan, significantFigures: 2,
                                 tolerance: .absolute(3 * 2.0.squareRoot() * (2 / Double(max(crossing?.dof ?? 1, 1))).squareRoot())),
                          Scalar("rmi.wave_best_at_zero_index", Double(bestAt[0]), significantFigures: 1, tolerance: .absolute(0.5)),
                          Scalar("rmi.wave_best_at_max_index", Double(bestAt.last!), significantFigures: 1, tolerance: .absolute(0.5))]
            for (f, feature) in features.enumerated() {
                let e = coarse.last!.estimates[f]
                values.append(Scalar("rmi.wave_\(feature.key)_at_\(Int((sigmas.last! * 100).rounded()))", e.value, error: e.error, significantFigures: 3, unit: "nats"))
            }
            return AnalysisOutput(tables: [table, crossTable], figures: [sampleFig, fig], values: values,
                                  notes: ["best at σ=\(sigmas[0]): \(features[bestAt[0]].rawValue); at σ=\(sigmas.last!): \(features[bestAt.last!].rawValue); sites from j = \(origin)"])
        })

    /// Fig. 2b against the authors' own curves, with their conventions.
    static let wavePacketAuthors = AnalysisDescriptor(
        name: "rmi.wavepacket_authors",
        summary: "Fig. 2b with the authors' conventions (sites 0…99, plain 180-bin histogram, 1e5 samples) against the curves of their vector figure file",
        run: { ctx in
            let p = ctx.parameters
            let n = try p.int("samples", default: 100_000, range: 1000...1_000_000)
            let bins = try p.int("bins", default: 180, range: 10...10_000)
            let seed = try p.int("seed", default: 5)
            let splits = try p.int("splits", default: HalvesErrors.defaultSplits, range: 2...500)
            try p.rejectUnused() // an unknown or misspelt key fails here, before any sampling
            let sigmas = AuthorsFigure2b.noise
            let root = Xoshiro256(seed: UInt64(seed))
            let levels = try Parallel.map(sigmas.count) { i -> WavePacketLevel in
                var rng = root.child(i)
                return try WavePacketLevel(noise: sigmas[i], samples: n, bins: bins, rule: .hard, origin: 0, pcaSamples: n,
                                           splits: splits, rng: &rng)
            }
            ctx.progress("authors' conventions: \(sigmas.count) noise levels done")
            // Our features in the file's order (the file's trained network and autoencoder have no counterpart here).
            let map: [(file: Int, ours: WavePacketFeature, key: String)] = [(0, .pca, "pca"), (1, .averageField, "avg"), (2, .position, "pos"),
                                                                            (4, .normalisedPosition, "npos"), (5, .intensityPosition, "ipos")]
            let idx = { (f: WavePacketFeature) in WavePacketFeature.allCases.firstIndex(of: f)! }
            var rows = [[String]](), values = [Scalar]()
            var series = [Series]()
            for m in map {
                let theirs = AuthorsFigure2b.renormalizedMI[m.file].values
                let ours = levels.map { $0.estimates[idx(m.ours)] }
                // The file's curves are single estimates on 1e5 samples: their statistical error equals ours at the same n.
                let pulls = zip(theirs, ours).map { ($1.value - $0) / ($1.error * 2.0.squareRoot()) }
                let chi2 = pulls.reduce(0) { $0 + $1 * $1 }
                let meanDelta = Stats.mean(zip(theirs, ours).map { $1.value - $0 })
                rows.append([m.ours.rawValue, String(format: "%.3f", theirs[0]), ValueText.pm(ours[0].value, ours[0].error),
                             String(format: "%.3f", theirs.last!), ValueText.pm(ours.last!.value, ours.last!.error),
                             String(format: "%+.4f", meanDelta), String(format: "%.3f", pulls.map(abs).max()!), String(format: "%.1f", chi2)])
                let delta = MeanDifference.estimate(ours: ours.map(\.value), theirs: theirs, errors: ours.map(\.error))
                values.append(Scalar("rmi.authors_\(m.key)_mean_delta", delta.value, error: delta.error, significantFigures: 2, unit: "nats"))
                values.append(Scalar("rmi.authors_\(m.key)_chi2", chi2, significantFigures: 3, tolerance: .absolute(3 * (2 * Double(sigmas.count)).squareRoot())))
                values.append(Scalar("rmi.authors_\(m.key)_at_10", ours[0].value, error: ours[0].error, significantFigures: 4, unit: "nats"))
                values.append(Scalar("rmi.authors_\(m.key)_at_100", ours.last!.value, error: ours.last!.error, significantFigures: 4, unit: "nats"))
                series.append(Series(label: "\(m.ours.rawValue) (authors' file)", style: .lines, x: sigmas, y: theirs))
                series.append(Series(label: "\(m.ours.rawValue) (ours)", style: .errorBars, x: sigmas, y: ours.map(\.value), yError: ours.map(\.error)))
            }
            // The crossing of the normalised position and PCA, read off both sets of curves the same way.
            let q = AuthorsFigure2b.renormalizedMI[4].values, pc = AuthorsFigure2b.renormalizedMI[0].values
            let theirsCross = CurveCrossing.linearInterpolation(s: sigmas, d: zip(q, pc).map { $0 - $1 }) ?? .nan
            let diffs = levels.map { $0.difference(idx(.normalisedPosition), idx(.pca)) }
            // Its error: the linear interpolation is a smooth function of the two bracketing differences (delta method).
            let cross = CurveCrossing.linearInterpolation(s: sigmas, d: diffs.map(\.value), errors: diffs.map(\.error))
            let oursCross = cross?.root ?? .nan, crossError = cross?.error ?? .nan
            values.append(Scalar("rmi.authors_crossing_file", theirsCross, significantFigures: 4))
            values.append(Scalar("rmi.authors_crossing_ours", oursCross, error: crossError, significantFigures: 4))
            let table = Table(
                id: "authors-fig2b",
                caption: "Our Ĩ with the authors' conventions (sites j = 0…99, plain \(bins)-bin histogram, \(n) samples per σ, σ = linspace(0.1, 1, 20)) against the curves of figures/wp_rmi_MI.pdf in github.com/lsarra/rmi (commit 837398d). Mean Δ = ours − theirs over the 20 levels; pulls use √2 × our error, since each of their points is one estimate on as many samples; χ² over 20 points.",
                columns: ["feature", "theirs σ=0.1", "ours σ=0.1", "theirs σ=1", "ours σ=1", "mean Δ", "max |pull|", "χ² (20 points)"], rows: rows)
            let fig = Figure(id: "authors-fig2b", caption: "Our Ĩ (points with errors) on the authors' curves (lines) read from their vector figure file, same conventions.",
                             altText: "Five feature curves from the authors' file with our estimates on top.",
                             panels: [Panel(xLabel: "noise σ", yLabel: "Ĩ (nats)", series: series)], panelWidth: 720, panelHeight: 460)
            return AnalysisOutput(tables: [table], figures: [fig], values: values, notes: ["\(n) samples per σ, seed \(seed)"])
        })
}
