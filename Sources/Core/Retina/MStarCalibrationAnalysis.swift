import Foundation
import AnalysisKit
import Numerics

/// Issue 12 for M*: coverage of the true M* by the error rules, on synthetic populations with a known M*
/// (`MStarCalibration`). No data file; the parametric bootstrap of the real steps runs inside `retina.coarse`
/// (`calibration_replicates`).
enum MStarCalibrationAnalysis {
    static let descriptor = AnalysisDescriptor(
        name: "retina.mstar_calibration",
        summary: "Calibration of the error of M*: coverage of a known M* on synthetic populations, per error rule",
        datasets: []) { ctx in try run(ctx) }

    /// (τ median, τ log-sd, within-cell correlation) of the synthetic scenarios.
    static let scenarios: [(name: String, tau: Double, spread: Double, rho: Double)] = [
        ("clear crossing", 1.6, 0.40, 0.5), ("near tie", 1.75, 0.40, 0.5), ("wide spread", 1.3, 0.70, 0.5), ("independent cases", 1.6, 0.40, 0.0)]

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let replicates = try p.int("replicates", default: 500, range: 2...100_000)
        let bootstrap = try p.int("bootstrap", default: 200, range: 2...10_000)
        let cells = try p.int("cells", default: 160, range: 2...10_000)
        let populationCells = try p.int("population_cells", default: 2000, range: 10...1_000_000)
        let seed = try p.int("seed", default: 1, range: 0...Int.max)
        try p.rejectUnused()
        let grid = CoarseAnalysis.defaultGrid
        var rows = [[String]](), values = [Scalar]()
        for (i, sc) in scenarios.enumerated() {
            let pop = MStarCalibration.syntheticPopulation(cells: populationCells, grid: grid, tauMedian: sc.tau, tauSpread: sc.spread,
                                                           seed: UInt64(seed) &+ UInt64(100 + i))
            let r = MStarCalibration.run(pop, grid: grid, cells: cells, measurement: .init(degrees: 3, withinCell: sc.rho),
                                         replicates: replicates, bootstrap: bootstrap, seed: UInt64(seed) &+ UInt64(200 + i))
            ctx.progress("\(sc.name): \(r)")
            let se1 = (0.683 * 0.317 / Double(replicates)).squareRoot(), se2 = (0.954 * 0.046 / Double(replicates)).squareRoot()
            for c in r.rules {
                rows.append([sc.name, Fmt.f(r.truth, 0), Fmt.f(r.dfiBelow, 3) + " / " + Fmt.f(r.dfiAtTruth, 3),
                             Fmt.f(r.sd, 2), Fmt.f(100 * r.exact, 1), c.rule, Fmt.f(c.meanError, 2),
                             Fmt.f(100 * c.within1, 1), Fmt.f(100 * c.within2, 1)])
            }
            let tag = "retina.mstar_cal.s\(i + 1)"
            let cal = r.coverage("calibrated"), boot = r.coverage("bootstrap sd")
            values += [Scalar("\(tag).truth", r.truth, significantFigures: 2, tolerance: .absolute(0)),
                       Scalar("\(tag).sd", r.sd, significantFigures: 2, tolerance: .absolute(0.1)),
                       Scalar("\(tag).boot_cover1", boot.within1, error: se1, significantFigures: 2),
                       Scalar("\(tag).boot_cover2", boot.within2, error: se2, significantFigures: 2),
                       Scalar("\(tag).cal_cover1", cal.within1, error: se1, significantFigures: 2),
                       Scalar("\(tag).cal_cover2", cal.within2, error: se2, significantFigures: 2),
                       Scalar("\(tag).cal_mean_error", cal.meanError, significantFigures: 2, tolerance: .relative(0.1))]
        }
        let table = Table(id: "retina-mstar-calibration",
                          caption: "Coverage of the true M* on synthetic populations (\(populationCells) cells of 8 groups, FI(M) = 1 − exp(−(M − 1)/τ), τ log-normal; \(replicates) experiments of \(cells) cells, \(bootstrap) bootstrap resamples each): the population's M*, its D_FI one grid step below and at M*, the sd of M̂* over experiments, how often M̂* equals the truth, and per error rule the mean error and the fraction of experiments with |M̂* − M*| ≤ 1σ and ≤ 2σ (nominal 68.3 % and 95.4 %; binomial error \(Fmt.f(100 * (0.683 * 0.317 / Double(replicates)).squareRoot(), 1)) and \(Fmt.f(100 * (0.954 * 0.046 / Double(replicates)).squareRoot(), 1)) points)",
                          columns: ["scenario", "true M*", "D_FI below / at M*", "sd of M̂*", "M̂* = M* (%)", "error rule", "mean σ", "±1σ (%)", "±2σ (%)"],
                          rows: rows)
        return AnalysisOutput(tables: [table], values: values,
                              notes: ["retina.mstar_calibration: \(replicates) replicates × \(bootstrap) bootstrap resamples, seed \(seed)"])
    }
}
