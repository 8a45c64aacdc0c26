import AnalysisKit
import Foundation
import Numerics

/// Report analyses for the renormalized-mutual-information paper (seed 002).
enum RMIAnalyses {
    static let sigma = Matrix<Double>([[1, 0.5], [0.5, 2]])

    // MARK: closed forms and reparametrisation invariance

    static let gaussian = AnalysisDescriptor(
        name: "rmi.gaussian",
        summary: "Ĩ of linear features of a bivariate normal vs closed forms; best linear feature; reparametrisation invariance",
        run: { ctx in
            let p = ctx.parameters
            let n = try p.int("samples", default: 100_000, range: 1000...10_000_000)
            let repeats = try p.int("repeats", default: 5, range: 2...100)
            let bins = try p.int("bins", default: 300, range: 10...10_000)
            let seed = try p.int("seed", default: 1)
            let root = Xoshiro256(seed: UInt64(seed))
            let angles = Stats.linspace(0, Double.pi, 181)
            var fx1 = [Double](), fx2 = [Double](), best = [Double](), bestAngle = [Double](), scans = [[Double]]()
            var cube = [Double](), four = [Double](), plain = [Double]()
            for r in 0..<repeats {
                var rng = root.child(r)
                let x = try GaussianChecks.samples(sigma, count: n, rng: &rng)
                fx1.append(GaussianChecks.estimate(x, angle: 0, bins: bins))
                fx2.append(GaussianChecks.estimate(x, angle: Double.pi / 2, bins: bins))
                let scan = angles.map { GaussianChecks.estimate(x, angle: $0, bins: bins) }
                scans.append(scan)
                let k = scan.indices.max { scan[$0] < scan[$1] }!
                // Parabolic refinement of the maximum on the angle grid.
                let km = (k + angles.count - 1) % angles.count, kp = (k + 1) % angles.count
                let denom = scan[km] - 2 * scan[k] + scan[kp]
                let shift = denom < 0 ? 0.5 * (scan[km] - scan[kp]) / denom : 0
                let step = angles[1] - angles[0]
                best.append(scan[k] - 0.25 * (scan[km] - scan[kp]) * shift)
                bestAngle.append(angles[k] + shift * step)
                plain.append(fx1.last!)
                four.append(GaussianChecks.estimate(x, angle: 0, bins: bins, g: { 4 * $0 }, dg: { _ in 4 }))
                cube.append(GaussianChecks.estimate(x, angle: 0, bins: bins, g: { $0 * $0 * $0 + 5 * $0 }, dg: { 3 * $0 * $0 + 5 }))
                ctx.progress("repeat \(r + 1)/\(repeats) done")
            }
            let (evals, evecs) = try sigma.symmetricEigen()
            let pcaAngle = atan2(evecs[1, 1], evecs[0, 1]).truncatingRemainder(dividingBy: Double.pi)
            let pcaAngleFolded = pcaAngle < 0 ? pcaAngle + Double.pi : pcaAngle
            let exactBest = 0.5 * log(2 * Double.pi * M_E * evals[1])
            func sc(_ name: String, _ v: [Double], figures: Int = 4) -> Scalar {
                Scalar(name, Stats.mean(v), error: Stats.standardError(v), significantFigures: figures, unit: "nats")
            }
            let diff4 = zip(four, plain).map { $0 - $1 }, diffCube = zip(cube, plain).map { $0 - $1 }
            let meanScan = (0..<angles.count).map { i in Stats.mean(scans.map { $0[i] }) }
            let figure = Figure(
                id: "gaussian-angle",
                caption: "Ĩ of the linear feature cos θ x₁ + sin θ x₂ for x ~ N(0, Σ), Σ = [[1, .5], [.5, 2]]: histogram estimate (\(n) samples, mean of \(repeats)) and closed form ½ln(2πe vᵀΣv). The maximum sits at the PCA angle.",
                altText: "Renormalized MI against feature angle: estimate and closed form overlap, peaking near 1.18 rad.",
                panels: [Panel(xLabel: "θ (rad)", yLabel: "Ĩ (nats)",
                               series: [Series(label: "estimate", style: .points, x: angles, y: meanScan),
                                        Series(label: "closed form", style: .lines, x: angles,
                                               y: angles.map { GaussianChecks.exactLinear(sigma, angle: $0) })])])
            let fmt = { (v: [Double]) in ValueText.pm(Stats.mean(v), Stats.standardError(v)) }
            let table = Table(
                id: "reparametrisation",
                caption: "Reparametrisation invariance for f = x₁ (\(repeats) repeats of \(n) samples, \(bins) bins): Ĩ(x, g(f)) should not depend on the bijection g.",
                columns: ["feature", "Ĩ (nats)", "Ĩ − Ĩ(f) (nats)", "closed form"],
                rows: [["f = x₁", fmt(plain), "0", String(format: "%.4f", GaussianChecks.exactLinear(sigma, angle: 0))],
                       ["4f", fmt(four), fmt(diff4), String(format: "%.4f", GaussianChecks.exactLinear(sigma, angle: 0))],
                       ["f³ + 5f", fmt(cube), fmt(diffCube), String(format: "%.4f", GaussianChecks.exactLinear(sigma, angle: 0))]])
            return AnalysisOutput(
                tables: [table], figures: [figure],
                values: [sc("rmi.gauss_x1", fx1), sc("rmi.gauss_x2", fx2), sc("rmi.gauss_best", best),
                         Scalar("rmi.gauss_best_angle", Stats.mean(bestAngle), error: Stats.standardError(bestAngle), significantFigures: 4, unit: "rad"),
                         Scalar("rmi.gauss_pca_angle", pcaAngleFolded, significantFigures: 5, unit: "rad"),
                         Scalar("rmi.gauss_best_exact", exactBest, significantFigures: 5, unit: "nats"),
                         Scalar("rmi.reparam_4f_shift", Stats.mean(diff4), error: Stats.standardError(diff4), significantFigures: 2, unit: "nats", tolerance: .absolute(1e-6)), sc("rmi.reparam_cubic_shift", diffCube, figures: 2)],
                notes: ["\(repeats) × \(n) samples, \(bins) bins, seed \(seed)"])
        })

    // MARK: wave packet (Fig. 2b)

    static let wavePacket = AnalysisDescriptor(
        name: "rmi.wavepacket",
        summary: "Fig. 2b: Ĩ of five features of a noisy 1-D wave packet versus noise strength",
        run: { ctx in
            let p = ctx.parameters
            let sigmas = try p.doubles("noise", default: Stats.linspace(0, 0.4, 9))
            let n = try p.int("samples", default: 20_000, range: 500...1_000_000)
            let repeats = try p.int("repeats", default: 3, range: 2...50)
            let bins = try p.int("bins", default: 200, range: 10...10_000)
            let seed = try p.int("seed", default: 2)
            let root = Xoshiro256(seed: UInt64(seed))
            let features = WavePacketFeature.allCases
            var mean = [[Double]](repeating: [], count: features.count), err = mean
            let perTask = try Parallel.map(sigmas.count * repeats) { task -> [Double] in
                let si = task / repeats
                var rng = root.child(task)
                let x = WavePacket(noise: sigmas[si]).samples(n, rng: &rng)
                let axis = try WavePacketFeature.principalAxis(Array(x.prefix(5000)))
                return features.map { feature -> Double in
                    var v = [Double](), g = [[Double]]()
                    v.reserveCapacity(n); g.reserveCapacity(n)
                    for s in x { let (a, b) = feature.evaluate(s, pcaAxis: axis); v.append(a); g.append(b) }
                    return RenormalizedMI.oneDimensional(values: v, gradients: g, bins: bins)
                }
            }
            let results = (0..<sigmas.count).map { si in (0..<repeats).map { perTask[si * repeats + $0] } }
            for si in 0..<sigmas.count {
                let rows = results[si]
                for f in 0..<features.count {
                    let v = rows.map { $0[f] }
                    mean[f].append(Stats.mean(v)); err[f].append(Stats.standardError(v))
                }
            }
            let bestAt = (0..<sigmas.count).map { si in (0..<features.count).max { mean[$0][si] < mean[$1][si] }! }
            // The crossing: the first noise level where the best feature differs from the best at σ = 0, linearly interpolated.
            var crossing = Double.nan
            if let k = bestAt.firstIndex(where: { $0 != bestAt[0] }), k > 0 {
                let a = bestAt[0], b = bestAt[k]
                let d0 = mean[a][k - 1] - mean[b][k - 1], d1 = mean[a][k] - mean[b][k]
                crossing = sigmas[k - 1] + (sigmas[k] - sigmas[k - 1]) * d0 / (d0 - d1)
            }
            let fig = Figure(
                id: "wavepacket",
                caption: "Fig. 2b analogue: Ĩ of five candidate features versus the field-noise strength σ (N = 100 sites, δj = 9, j̄ ~ U[30, 70]; \(n) samples, mean ± s.e. of \(repeats) repeats). The average field at σ = 0 lies off the scale (see the table).",
                altText: "Renormalized MI of five features against noise; the best feature changes as noise grows.",
                panels: [Panel(xLabel: "noise σ", yLabel: "Ĩ (nats)", yRange: [-2, 3.5],
                               series: features.enumerated().map { Series(label: $0.element.rawValue, style: .errorLines, x: sigmas, y: mean[$0.offset], yError: err[$0.offset]) })],
                panelWidth: 720, panelHeight: 460)
            var rows = [[String]]()
            for (si, s) in sigmas.enumerated() {
                rows.append([String(format: "%.2f", s)] + features.indices.map { ValueText.pm(mean[$0][si], err[$0][si]) } + [features[bestAt[si]].rawValue])
            }
            let table = Table(id: "wavepacket-table", caption: "Ĩ (nats) per feature and noise level; last column: the best feature.",
                              columns: ["σ"] + features.map(\.rawValue) + ["best"], rows: rows)
            let crossingError = sigmas.count > 1 ? (sigmas[1] - sigmas[0]) / 2 : 0
            var values = [Scalar("rmi.wave_crossing", crossing, error: crossingError, significantFigures: 2)]
            values.append(Scalar("rmi.wave_best_at_zero_index", Double(bestAt[0]), significantFigures: 1, tolerance: .absolute(0.5)))
            values.append(Scalar("rmi.wave_best_at_max_index", Double(bestAt.last!), significantFigures: 1, tolerance: .absolute(0.5)))
            for (f, feature) in features.enumerated() {
                values.append(Scalar("rmi.wave_\(feature.key)_at_\(Int(sigmas.last! * 100))", mean[f].last!, error: err[f].last!, significantFigures: 3, unit: "nats"))
            }
            return AnalysisOutput(tables: [table], figures: [fig], values: values,
                                  notes: ["best at σ=\(sigmas[0]): \(features[bestAt[0]].rawValue); at σ=\(sigmas.last!): \(features[bestAt.last!].rawValue)"])
        })

    // MARK: inequality (6)

    static let inequality = AnalysisDescriptor(
        name: "rmi.inequality",
        summary: "Inequality (6) and equality (7) checked numerically",
        run: { ctx in
            let p = ctx.parameters
            let n = try p.int("samples", default: 200_000, range: 1000...10_000_000)
            let bins = try p.int("bins", default: 80, range: 10...1000)
            let seed = try p.int("seed", default: 3)
            var rng = Xoshiro256(seed: UInt64(seed))
            let c3 = Matrix<Double>([[1, 0.6, 0.2], [0.6, 1.5, -0.3], [0.2, -0.3, 1]])
            let x = try GaussianChecks.samples(c3, count: n, rng: &rng)
            // y1 = x1 + x2 (linear), y2 = tanh(x2) + x3: a non-bijective 2-D feature of 3-D data.
            let y1 = x.map { $0[0] + $0[1] }, y2 = x.map { tanh($0[1]) + $0[2] }
            let g1 = x.map { _ in [1.0, 1.0, 0.0] }
            let g2 = x.map { s -> [Double] in let t = tanh(s[1]); return [0, 1 - t * t, 1] }
            let lhs = RenormalizedMI.twoDimensional(y1, y2, gradients1: g1, gradients2: g2, bins: bins)
            let i1 = RenormalizedMI.oneDimensional(values: y1, gradients: g1, bins: 4 * bins)
            let i2 = RenormalizedMI.oneDimensional(values: y2, gradients: g2, bins: 4 * bins)
            let mi = RenormalizedMI.mutualInformation(y1, y2, bins: bins)
            let rhs = i1 + i2 - mi
            // Equality (7): for 2-D x and the bijection (x1, x2 + x1³), Ĩ(x, y) = H(x).
            let c2 = Matrix<Double>([[1, 0.5], [0.5, 2]])
            let x2 = try GaussianChecks.samples(c2, count: n, rng: &rng)
            let b1 = x2.map { $0[0] }, b2 = x2.map { $0[1] + 0.5 * $0[0] * $0[0] }
            let eq7 = RenormalizedMI.twoDimensional(b1, b2, gradients1: x2.map { _ in [1.0, 0.0] },
                                                    gradients2: x2.map { [$0[0], 1.0] }, bins: bins)
            let hx = try GaussianInformation.entropy(covariance: c2)
            let table = Table(id: "inequality", caption: "Inequality (6) for x ~ N(0, C) in 3-D, y₁ = x₁ + x₂, y₂ = tanh(x₂) + x₃ (\(n) samples, \(bins)² bins for 2-D histograms); equality (7) for the bijection (x₁, x₂ + x₁²/2) of a 2-D Gaussian.",
                              columns: ["quantity", "nats"],
                              rows: [["Ĩ(x,(y₁,y₂))", String(format: "%.4f", lhs)],
                                     ["Ĩ(x,y₁) + Ĩ(x,y₂) − I(y₁;y₂)", String(format: "%.4f", rhs)],
                                     ["  Ĩ(x,y₁)", String(format: "%.4f", i1)], ["  Ĩ(x,y₂)", String(format: "%.4f", i2)],
                                     ["  I(y₁;y₂)", String(format: "%.4f", mi)],
                                     ["Ĩ(x, (x₁, x₂+x₁²/2))", String(format: "%.4f", eq7)], ["H(x) exact", String(format: "%.4f", hx)]])
            return AnalysisOutput(tables: [table], values: [
                Scalar("rmi.ineq_lhs", lhs, significantFigures: 3, unit: "nats", tolerance: .absolute(0.03)),
                Scalar("rmi.ineq_rhs", rhs, significantFigures: 3, unit: "nats", tolerance: .absolute(0.03)),
                Scalar("rmi.ineq_slack", lhs - rhs, significantFigures: 2, unit: "nats", tolerance: .absolute(0.04)),
                Scalar("rmi.eq7_estimate", eq7, significantFigures: 4, unit: "nats", tolerance: .absolute(0.03)),
                Scalar("rmi.eq7_exact", hx, significantFigures: 5, unit: "nats")])
        })

    // MARK: Fig. 3, neural feature optimisation

    static let spiral = AnalysisDescriptor(
        name: "rmi.spiral",
        summary: "Fig. 3: gradient ascent of Ĩ over a neural 1-D feature of the rotated-spiral distribution",
        run: { ctx in
            let p = ctx.parameters
            let gridN = try p.int("grid", default: 100, range: 10...400)
            let extent = try p.double("extent", default: 3.5, range: 0.5...20)
            let runs = try p.int("runs", default: 6, range: 1...64)
            var opt = FeatureOptimizer()
            opt.steps = try p.int("steps", default: 600, range: 1...100_000)
            let width = try p.int("width", default: 64, range: 2...1024)
            opt.hidden = [width, width, width]
            opt.learningRate = Float(try p.double("learning_rate", default: 1e-3, range: 1e-6...1))
            opt.bins = try p.int("bins", default: 100, range: 10...10_000)
            let seed = try p.int("seed", default: 4)
            let dist = SpiralDistribution(sigma1: try p.double("sigma1", default: 0.8), sigma2: try p.double("sigma2", default: 1.0),
                                          rho: try p.double("rho", default: -0.7), alpha: try p.double("alpha", default: 0.5))
            let (points, weights) = dist.grid(points: gridN, extent: extent)
            let root = Xoshiro256(seed: UInt64(seed))
            let log = ctx.progress
            let outcomes = Parallel.map(runs) { r -> (feature: [Double], history: [Double]) in
                var rng = root.child(r)
                let result = opt.run(points: points, weights: weights, rng: &rng,
                                     sampler: { dist.jitteredGrid(points: gridN, extent: extent, rng: &$0) }) { step, value in
                    if r == 0 { log("run 1: step \(step), Ĩ = \(String(format: "%.3f", value))") }
                }
                return (FeatureOptimizer.cdfNormalised(result.feature, weights: weights), result.history)
            }
            var features = outcomes.map(\.feature)
            let histories = outcomes.map(\.history)
            // Align signs (f and −f carry the same information): flip runs anti-correlated with run 1.
            for r in 1..<runs {
                let c = zip(features[0], features[r]).reduce(0.0) { $0 + ($1.0 - 0.5) * ($1.1 - 0.5) }
                if c < 0 { features[r] = features[r].map { 1 - $0 } }
            }
            let meanF = (0..<points.count).map { i in Stats.mean(features.map { $0[i] }) }
            let sdF = (0..<points.count).map { i in runs > 1 ? Stats.standardDeviation(features.map { $0[i] }) : 0 }
            func grid(_ v: [Double]) -> [[Double]] { (0..<gridN).map { i in Array(v[(i * gridN)..<((i + 1) * gridN)]) } }
            let ext = [-extent, extent, -extent, extent]
            let finals = histories.map { $0.last! }
            // Probability-weighted spread of the normalised feature across runs.
            let weightedSD = zip(sdF, weights).reduce(0) { $0 + $1.0 * $1.1 }
            let steps = (0...opt.steps).map(Double.init)
            let fig = Figure(
                id: "spiral",
                caption: "Fig. 3 analogue: (a) density of the rotated spiral (σ₁=\(dist.sigma1), σ₂=\(dist.sigma2), ρ=\(dist.rho), α=\(dist.alpha)); (b) mean CDF-normalised feature over \(runs) runs with contours; (c) standard deviation across runs; (d) Ĩ during optimisation. Network 2-\(width)-\(width)-\(width)-1 tanh, Adam lr \(opt.learningRate), \(opt.steps) steps on a \(gridN)×\(gridN) grid.",
                altText: "Four panels: spiral density, the learned feature's contour map, its run-to-run spread, and training curves rising to a plateau.",
                panels: [
                    Panel(title: "(a) density p(x)", xLabel: "x₁", yLabel: "x₂", heatmap: Heatmap(values: grid(weights), extent: ext)),
                    Panel(title: "(b) mean normalised feature", xLabel: "x₁", yLabel: "x₂", heatmap: Heatmap(values: grid(meanF), contours: true, extent: ext)),
                    Panel(title: "(c) s.d. across runs", xLabel: "x₁", yLabel: "x₂", heatmap: Heatmap(values: grid(sdF), extent: ext)),
                    Panel(title: "(d) Ĩ during optimisation", xLabel: "step", yLabel: "Ĩ (nats)",
                          series: histories.enumerated().map { Series(label: $0.offset == 0 ? "single runs" : "", style: .lines, x: steps, y: $0.element, color: "gray70") }
                            + [Series(label: "mean of \(runs) runs", style: .lines, x: steps,
                                      y: steps.indices.map { i in Stats.mean(histories.map { $0[i] }) }, color: "black")]),
                ], columns: 2, panelWidth: 480, panelHeight: 420)
            return AnalysisOutput(figures: [fig], values: [
                // Training is chaotic: a rounding-level change of the code redraws every run, so the check allows the
                // difference of two independent means (5 standard errors) rather than 3.
                Scalar("rmi.spiral_final", Stats.mean(finals), error: runs > 1 ? Stats.standardError(finals) : nil, significantFigures: 3,
                       unit: "nats", tolerance: runs > 1 ? .absolute(5 * Stats.standardError(finals)) : nil),
                Scalar("rmi.spiral_initial", Stats.mean(histories.map { $0[0] }), error: runs > 1 ? Stats.standardError(histories.map { $0[0] }) : nil, significantFigures: 3, unit: "nats"),
                Scalar("rmi.spiral_weighted_sd", weightedSD, significantFigures: 2, tolerance: .absolute(max(0.02, weightedSD))),
            ], notes: ["\(runs) runs, seed \(seed)"])
        })
}

extension WavePacketFeature {
    /// Short key used in value names.
    var key: String {
        switch self {
        case .averageField: return "avg"
        case .position: return "pos"
        case .intensityPosition: return "ipos"
        case .normalisedPosition: return "npos"
        case .pca: return "pca"
        }
    }
}

/// Small text helpers for table cells.
enum ValueText {
    static func pm(_ v: Double, _ e: Double) -> String { String(format: "%.3f ± %.3f", v, e) }
}
