import Foundation
import Numerics
import AnalysisKit

/// `geometry.gaussian`: exact oracle for a random linear-Gaussian population (item 1).
enum GaussianAnalysis {
    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let d = try p.int("dimension", default: 5, range: 1...64)
        let n = try p.int("neurons", default: 8, range: 1...256)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let intervals = try p.int("intervals", default: 1600, range: 10...100_000)
        try p.rejectUnused()
        var rng = Xoshiro256(seed: UInt64(seed))
        let pop = try GaussianLinearPopulation.random(dimension: d, neurons: n, rng: &rng)
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
                          rows: (0..<d).map { k in [String(k + 1), String(format: "%.6f", gv[d - 1 - k]), String(format: "%.4f", fv[d - 1 - k])] })
        return AnalysisOutput(tables: [table], figures: [fig], values: [
            Scalar("geometry.gauss_mi", mi, significantFigures: 7, unit: "nats"),
            Scalar("geometry.gauss_trG", SymmetricMatrix.trace(g), significantFigures: 7, unit: "nats"),
            Scalar("geometry.gauss_trG_quad", SymmetricMatrix.trace(gq), significantFigures: 7, unit: "nats", tolerance: .absolute(1e-6)),
            Scalar("geometry.gauss_identity_error", roundingFloor(abs(SymmetricMatrix.trace(gq) - mi)), significantFigures: 2, tolerance: .absolute(1e-6)),
            Scalar("geometry.gauss_identity_error_coarse", coarse, significantFigures: 2, tolerance: .relative(0.01)),
            Scalar("geometry.gauss_metric_error", roundingFloor(SymmetricMatrix.maxAbsDifference(g, gq)), significantFigures: 2, tolerance: .absolute(1e-6)),
            Scalar("geometry.gauss_definition_error", roundingFloor(defErr), significantFigures: 2, tolerance: .absolute(1e-8)),
            Scalar("geometry.gauss_fisher_limit_error", roundingFloor(fisherLimit), significantFigures: 2, tolerance: .absolute(1e-8)),
        ], notes: ["geometry.gaussian: seed \(seed), d = \(d), n = \(n), Simpson in ln γ with \(intervals) intervals on [1e-8, 1e8]"])
    }
}
