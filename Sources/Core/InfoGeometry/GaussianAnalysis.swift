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
        // A user population: W (neurons × stimulus dimensions) from `data:`, Σₓ from `covariance:` (default: identity)
        // and Σₙ from `noise_covariance:` (default: noise_variance · I), each .npy or CSV. The old names `tuning_file`,
        // `covariance_file` and `noise_covariance_file` are accepted as aliases.
        GeometryData.noteFiles(ctx, [("data", "none (a random population from seed)"), ("covariance", "none (the identity)"),
                                     ("noise_covariance", "none (noise_variance · I)")])
        let wKey = try GeometryData.key(p, "data", alias: "tuning_file")
        let sxKey = try GeometryData.key(p, "covariance", alias: "covariance_file")
        let snKey = try GeometryData.key(p, "noise_covariance", alias: "noise_covariance_file")
        var tuningURL: URL?, covURL: URL?, noiseURL: URL?
        var noiseVariance = 1.0
        if wKey != nil || sxKey != nil || snKey != nil {
            guard let wKey else {
                let k = sxKey ?? snKey!
                throw ParameterError(key: k, line: p.entries[k]?.line, message: "a user population needs data: (the n × d tuning matrix W, .npy or CSV)")
            }
            tuningURL = try ctx.dataFile(wKey, default: "")
            if let sxKey { covURL = try ctx.dataFile(sxKey, default: "") }
            if let snKey { noiseURL = try ctx.dataFile(snKey, default: "") }
            else { noiseVariance = try p.double("noise_variance", default: 1, range: 1e-12...1e12) }
        }
        try p.rejectUnused()
        let pop: GaussianLinearPopulation
        if let tuningURL {
            let w = try GeometryData.matrix(tuningURL, rows: nil, columns: nil, what: "tuning matrix W (neurons × stimulus dimensions)")
            guard w.rows <= 4096, w.cols <= 1024 else {
                throw DataFileError(file: tuningURL.path, message: "W is \(w.rows) × \(w.cols); at most 4096 neurons × 1024 dimensions")
            }
            let sx = try covURL.map { try GeometryData.matrix($0, rows: w.cols, columns: w.cols, what: "stimulus covariance Σₓ (d × d, d = columns of W)") }
                ?? Matrix<Double>.identity(w.cols)
            let sn = try noiseURL.map { try GeometryData.matrix($0, rows: w.rows, columns: w.rows, what: "noise covariance Σₙ (n × n, n = rows of W)") }
                ?? noiseVariance * Matrix<Double>.identity(w.rows)
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
