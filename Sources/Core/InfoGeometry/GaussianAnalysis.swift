import Foundation
import Numerics
import AnalysisKit
import DataFiles

/// `geometry.gaussian`: exact oracle for a random linear-Gaussian population (item 1).
enum GaussianAnalysis {
    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let dParam = try p.int("dimension", default: 5, range: 1...64)
        let nParam = try p.int("neurons", default: 8, range: 1...256)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let intervals = try p.int("intervals", default: 1600, range: 10...100_000)
        // A user population: W (neurons × stimulus dimensions) from `tuning_file`, Σₓ from `covariance_file`
        // (default: identity) and Σₙ from `noise_covariance_file` (default: noise_variance · I), each .npy or CSV.
        let userFiles = ["tuning_file", "covariance_file", "noise_covariance_file"].filter { p.raw($0) != nil }
        var tuningURL: URL?, covURL: URL?, noiseURL: URL?
        var noiseVariance = 1.0
        if !userFiles.isEmpty {
            guard p.raw("tuning_file") != nil else {
                throw ParameterError(key: userFiles[0], line: p.entries[userFiles[0]]?.line, message: "a user population needs tuning_file (the n × d matrix W)")
            }
            tuningURL = try ctx.dataFile("tuning_file", default: "")
            if p.raw("covariance_file") != nil { covURL = try ctx.dataFile("covariance_file", default: "") }
            if p.raw("noise_covariance_file") != nil { noiseURL = try ctx.dataFile("noise_covariance_file", default: "") }
            else { noiseVariance = try p.double("noise_variance", default: 1, range: 1e-12...1e12) }
        }
        try p.rejectUnused()
        let pop: GaussianLinearPopulation
        if let tuningURL {
            let wt = try NumericTable(contentsOf: tuningURL)
            guard wt.rows <= 4096, wt.columns <= 1024 else { throw ParameterError(key: "tuning_file", line: p.entries["tuning_file"]?.line, message: "W is \(wt.rows) × \(wt.columns); at most 4096 neurons × 1024 dimensions") }
            let w = Matrix<Double>(rows: wt.rows, cols: wt.columns, data: wt.values)
            func square(_ url: URL?, _ key: String, _ size: Int, _ fallback: Matrix<Double>) throws -> Matrix<Double> {
                guard let url else { return fallback }
                let t = try NumericTable(contentsOf: url, expectedColumns: size)
                guard t.rows == size else { throw ParameterError(key: key, line: p.entries[key]?.line, message: "expected a \(size) × \(size) matrix, found \(t.rows) × \(t.columns)") }
                return Matrix(rows: size, cols: size, data: t.values)
            }
            let sx = try square(covURL, "covariance_file", w.cols, Matrix<Double>.identity(w.cols))
            let sn = try square(noiseURL, "noise_covariance_file", w.rows, noiseVariance * Matrix<Double>.identity(w.rows))
            do { pop = try GaussianLinearPopulation(priorCovariance: sx, weights: w, noiseCovariance: sn) }
            catch { throw AnalysisFailureMessage("user population: \(error) (both covariances must be symmetric positive definite)") }
        } else {
            var rng = Xoshiro256(seed: UInt64(seed))
            pop = try GaussianLinearPopulation.random(dimension: dParam, neurons: nParam, rng: &rng)
        }
        let d = pop.dimension, n = pop.neurons
        let mi = try pop.mutualInformation()
        let g = try pop.metric()
        let gq = try pop.metricByQuadrature(intervals: intervals)
        let coarse = abs(SymmetricMatrix.trace(try pop.metricByQuadrature(intervals: 40)) - mi)
        var defErr = 0.0
        for gamma in [1e-4, 1e-2, 1.0, 100.0] {
            defErr = max(defErr, SymmetricMatrix.maxAbsDifference(try pop.scaleFisher(gamma: gamma), try pop.scaleFisherFromDefinition(gamma: gamma)))
        }
        let fisherLimit = SymmetricMatrix.maxAbsDifference(try pop.scaleFisher(gamma: 0), try pop.fisher())
        let (gv, _) = try g.symmetricEigen(), (fv, _) = try pop.fisher().symmetricEigen()

        let gammas = (0...80).map { pow(10, -4 + 8 * Double($0) / 80) }
        let rate = try gammas.map { try 0.5 * $0 * SymmetricMatrix.trace(pop.scaleFisher(gamma: $0)) }
        let curve = try gammas.map { try pop.coarseGrainedInformation(gamma: $0) }
        let fig = Figure(id: "gaussian-integrand", caption: "Linear-Gaussian population (d = \(d), n = \(n)): the MI integrand ½ γ tr J_γ per unit ln γ (left) and the information left after coarse-graining, I(R; Y_γ) (right). The area under the left curve is I(R; X).",
                         altText: "Two curves against the coarse-graining variance gamma on a log axis: a bump-shaped MI integrand and a decreasing information curve.",
                         panels: [Panel(title: "MI integrand", xLabel: "γ", yLabel: "½ γ tr J_γ (nats per ln γ)", logX: true,
                                        series: [Series(label: "closed form", style: .lines, x: gammas, y: rate)]),
                                  Panel(title: "Information after coarse-graining", xLabel: "γ", yLabel: "I(R; Y_γ) (nats)", logX: true,
                                        series: [Series(label: "closed form", style: .lines, x: gammas, y: curve)])],
                         columns: 2, panelWidth: 460, panelHeight: 340)
        let table = Table(id: "gaussian-eigen", caption: "Eigenvalues (descending) of the multi-scale metric G and of the Fisher information F for the same population. G's eigenvalues sum to I(R; X).",
                          columns: ["k", "λ_k(G) (nats)", "λ_k(F)"],
                          rows: (0..<min(d, 16)).map { k in [String(k + 1), String(format: "%.6f", gv[d - 1 - k]), String(format: "%.4f", fv[d - 1 - k])] })
        return AnalysisOutput(tables: [table], figures: [fig], values: [
            Scalar("geometry.gauss_mi", mi, significantFigures: 7, unit: "nats"),
            Scalar("geometry.gauss_trG", SymmetricMatrix.trace(g), significantFigures: 7, unit: "nats"),
            Scalar("geometry.gauss_trG_quad", SymmetricMatrix.trace(gq), significantFigures: 7, unit: "nats", tolerance: .absolute(1e-6)),
            Scalar("geometry.gauss_identity_error", roundingFloor(abs(SymmetricMatrix.trace(gq) - mi)), significantFigures: 2, tolerance: .absolute(1e-6)),
            Scalar("geometry.gauss_identity_error_coarse", coarse, significantFigures: 2, tolerance: .relative(0.01)),
            Scalar("geometry.gauss_metric_error", roundingFloor(SymmetricMatrix.maxAbsDifference(g, gq)), significantFigures: 2, tolerance: .absolute(1e-6)),
            Scalar("geometry.gauss_definition_error", roundingFloor(defErr), significantFigures: 2, tolerance: .absolute(1e-8)),
            Scalar("geometry.gauss_fisher_limit_error", roundingFloor(fisherLimit), significantFigures: 2, tolerance: .absolute(1e-8)),
        ], notes: ["geometry.gaussian: \(tuningURL == nil ? "random population, seed \(seed)" : "user population from \(tuningURL!.lastPathComponent)"), d = \(d), n = \(n), Simpson in ln γ with \(intervals) intervals on [1e-8, 1e8]"])
    }
}
