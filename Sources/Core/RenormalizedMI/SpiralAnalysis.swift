import AnalysisKit
import Foundation
import Numerics

extension RMIAnalyses {
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
