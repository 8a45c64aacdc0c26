import AnalysisKit
import Foundation
import Numerics

/// Demo: a Gaussian AR(1) vector; its sample correlation matrix as a heatmap with numbers, a pair density with contours,
/// and its total correlation, exact versus estimated (smoke test of heatmaps, contours and errors from batch means).
enum CorrelationMapDemo {
    static let descriptor = AnalysisDescriptor(
        name: "demo.correlation_map",
        summary: "Gaussian AR(1) vector: sample correlation heatmap, pair density contours, total correlation exact vs estimate",
        run: run)

    /// Exact total correlation in bits of d Gaussian variables with correlations rho^|i-j|.
    static func exactTotalCorrelation(rho: Double, d: Int) -> Double { -0.5 * Double(d - 1) * log2(1 - rho * rho) }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let d = try p.int("dimension", default: 6, range: 2...20)
        let rho = try p.double("rho", range: -0.95...0.95)
        let n = try p.int("samples", default: 2000, range: 100...1_000_000)
        let batches = try p.int("batches", default: 10, range: 2...100)
        let seed = try p.int("seed", default: 1)
        guard n / batches >= 5 * d else {
            throw ParameterError(key: "batches", line: p.entries["batches"]?.line,
                                 message: "each of the \(batches) batches needs at least \(5 * d) samples; use fewer batches or more samples")
        }
        var sigma = Matrix<Double>(rows: d, cols: d)
        for i in 0..<d { for j in 0..<d { sigma[i, j] = pow(rho, Double(abs(i - j))) } }
        let l = try sigma.cholesky()
        // Samples: rows z·Lᵀ, one independent stream per batch.
        let per = n / batches
        let root = Xoshiro256(seed: UInt64(seed))
        var batchTC = [Double](), all = [Double]()
        for b in 0..<batches {
            var rng = root.child(b)
            let z = Matrix<Double>(rows: per, cols: d, data: (0..<(per * d)).map { _ in rng.normal() })
            let x = Matrix.product(z, l, transB: true)
            all += x.data
            batchTC.append(try GaussianInformation.totalCorrelation(x.correlation(), unit: .bits))
        }
        let samples = Matrix<Double>(rows: per * batches, cols: d, data: all)
        let corr = samples.correlation()
        let tc = try GaussianInformation.totalCorrelation(corr, unit: .bits)
        let mean = batchTC.reduce(0, +) / Double(batches)
        let sd = (batchTC.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(batches - 1)).squareRoot()
        let tcError = sd / Double(batches).squareRoot()
        var maxDeviation = 0.0
        for i in 0..<d { for j in 0..<d { maxDeviation = max(maxDeviation, abs(corr[i, j] - sigma[i, j])) } }

        // Density of the first pair on a grid, for the contour panel.
        let grid = 41, half = 3.0
        let det = 1 - rho * rho
        let density: [[Double]] = (0..<grid).map { r in
            let y = -half + 2 * half * Double(r) / Double(grid - 1)
            return (0..<grid).map { c in
                let x = -half + 2 * half * Double(c) / Double(grid - 1)
                return exp(-(x * x - 2 * rho * x * y + y * y) / (2 * det)) / (2 * Double.pi * det.squareRoot())
            }
        }
        let names = (1...d).map { "X\($0)" }
        let fig = Figure(
            id: "correlation-map",
            caption: "Left: sample correlation matrix of \(n) draws of an AR(1) Gaussian vector with ρ = \(rho). Right: density of (X1, X2) with contour lines.",
            altText: "Two panels: a \(d) by \(d) correlation heatmap with values decaying away from the diagonal, and elliptical density contours.",
            panels: [
                Panel(title: "sample correlation", heatmap: Heatmap(values: corr.nested, rowLabels: names, columnLabels: names,
                                                                    showNumbers: true, numberFormat: "%.2f")),
                Panel(title: "density of (X1, X2)", xLabel: "x1", yLabel: "x2",
                      heatmap: Heatmap(values: density, contours: true, extent: [-half, half, -half, half])),
            ], columns: 2, panelWidth: 420, panelHeight: 380)
        return AnalysisOutput(
            figures: [fig],
            values: [Scalar("demo.tc_exact", exactTotalCorrelation(rho: rho, d: d), significantFigures: 5, unit: "bits"),
                     Scalar("demo.tc_sample", tc, error: tcError, significantFigures: 3, unit: "bits"),
                     Scalar("demo.corr_max_deviation", maxDeviation, significantFigures: 2, tolerance: .absolute(1e-9))],
            notes: ["\(batches) batches of \(per) samples, seed \(seed)"])
    }
}
