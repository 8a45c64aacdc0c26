import Foundation
import AnalysisKit
import Numerics

/// Fig 1: the effective field h_eff({σj}) of one σ0 over the states of its K = 8 most informative partners.
enum Fig1Analysis {
    static let descriptor = AnalysisDescriptor(
        name: "retina.fig1",
        summary: "Effective field h_eff over the ranked states of the 8 best partners of one cell, third-order series fit",
        datasets: [RetinaData.datasetID]) { ctx in try run(ctx) }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let requested = try p.int("neuron", default: -1, range: -1...100_000)
        let splits = try p.int("splits", default: 20, range: 2...1000)
        let seed = try p.int("seed", default: 1, range: 0...Int.max)
        let (raster, mi) = try RetinaData.load(ctx) // reads `data:` before the check for unknown parameters
        try p.rejectUnused()
        let s0 = try RetinaData.exampleNeuron(requested, raster: raster, mi: mi)
        let summary = RetinaData.firstGroupSummary(raster: raster, mi: mi)
        let partners = Array(PartnerRanking.ranked(mi, target: s0).prefix(8))
        let rc = RepeatCounts(codes: raster.codes(partners), size: 256, target: raster.spikes[s0],
                              repeats: raster.repeats, bins: raster.bins)
        let full = rc.joint()
        func heff(_ j: BinaryJoint) -> [Double] { (0..<256).map { j.n0[$0] > 0 && j.n1[$0] > 0 ? log(j.n1[$0] / j.n0[$0]) : .nan } }
        let h = heff(full)
        var rng = Xoshiro256(seed: UInt64(seed))
        // Random-halves error of every state's field (Numerics rule); a state whose field is infinite on some half
        // (one value of σ0 unseen there) has no finite error and is left out of χ².
        let halves = HalvesErrors.run(count: raster.repeats, splits: splits, rng: &rng) { heff(rc.joint(repeats: $0)) }
        let seen = full.statesSeen
        let finite = (0..<256).filter { h[$0].isFinite }
        let err = (0..<256).map { x -> Double in halves.perHalf.allSatisfy { $0[x].isFinite } ? halves.errors[x] : .nan }
        // Third-order truncation of Eq (2): h0 + Σ J2 σj + ½ Σ J3 σjσk (37 parameters), least squares on the finite h_eff.
        let series = SeriesExpansion(partners: 8, order: 3)
        let design = series.design()
        guard finite.count > series.parameterCount else {
            throw AnalysisFailure("only \(finite.count) states with both σ0 values; cannot fit \(series.parameterCount) parameters")
        }
        var dx = Matrix<Double>(rows: finite.count, cols: series.parameterCount)
        for (r, x) in finite.enumerated() { for c in 0..<series.parameterCount { dx[r, c] = design[x, c] } }
        let beta = try Stats.leastSquares(design: dx, finite.map { h[$0] })
        let fit = Matrix.product(design, Matrix(rows: beta.count, cols: 1, data: beta)).data
        let ranked = finite.sorted { h[$0] < h[$1] || (h[$0] == h[$1] && $0 < $1) }
        let xs = ranked.indices.map { Double($0 + 1) }
        let resid = ranked.map { h[$0] - fit[$0] }
        let mean = Stats.mean(ranked.map { h[$0] })
        let ssTot = ranked.reduce(0) { $0 + pow(h[$1] - mean, 2) }
        let ssRes = resid.reduce(0) { $0 + $1 * $1 }
        let r2 = 1 - ssRes / ssTot
        let chi2 = zip(ranked, resid).filter { err[$0.0] > 0 && err[$0.0].isFinite }.map { pow($0.1 / err[$0.0], 2) }
        let reducedChi2 = chi2.reduce(0, +) / Double(max(chi2.count - series.parameterCount, 1))
        let withErrors = chi2.count
        // Bootstrap-free error of the seen-state count: spread of the count in random halves is not its error; the
        // count is exact for this data set, so it carries no error bar.
        let unseenOneSided = seen - finite.count
        let panelA = Panel(title: "σ0 = cell \(s0); partners \(partners.map(String.init).joined(separator: ","))",
                           xLabel: "rank of the partner state", yLabel: "effective field h_eff",
                           series: [Series(label: "data (± error from random halves)", style: .errorBars, x: xs,
                                           y: ranked.map { h[$0] }, yError: ranked.map { err[$0].isFinite ? err[$0] : 0 }),
                                    Series(label: "least-squares fit, Eq (2) to third order", style: .points, x: xs,
                                           y: ranked.map { fit[$0] })])
        let pattern = (0..<8).map { j in ranked.map { Double(($0 >> j) & 1) } }
        let panelB = Panel(title: "ranked states (black: σj = 1)", xLabel: "rank of state", yLabel: "partner j",
                           heatmap: Heatmap(values: pattern, rowLabels: (1...8).map { "σ\($0)" }, palette: "defined (0 'white', 1 'black')"))
        let fig = Figure(id: "fig1", caption: "Effective field of cell \(s0) as a function of the states of its 8 most informative partners, in rank order (\(finite.count) states where both σ0 = 0 and 1 occur); error bars from \(splits) random half-splits of the \(raster.repeats) repeats; third-order least-squares fit. Below: the ranked states.",
                         altText: "Effective field rising over ranked states with a scattered third-order fit; pattern raster below",
                         panels: [panelA, panelB], columns: 1, panelWidth: 760, panelHeight: 340)
        let bins = Array(stride(from: 0, through: 256, by: 8))
        let histSeen = bins.map { b in Double(summary.statesSeen.filter { $0 >= b && $0 < b + 8 }.count) }
        let histFinite = bins.map { b in Double(summary.statesFinite.filter { $0 >= b && $0 < b + 8 }.count) }
        let figCounts = Figure(id: "fig1-state-counts", caption: "Over all \(raster.neurons) choices of σ0: how many of the 256 states of the 8 best partners occur in the data (seen) and how many occur with both values of σ0 (finite h_eff), in bins of 8 states; the paper's example has 218 visible states.",
                               altText: "Histograms of the number of seen and of finite-field partner states over cells",
                               panels: [Panel(title: "", xLabel: "number of partner states", yLabel: "cells", xRange: [0, 264],
                                              series: [Series(label: "seen", style: .steps, x: bins.map(Double.init), y: histSeen),
                                                       Series(label: "finite h_eff (both σ0 values)", style: .steps, x: bins.map(Double.init), y: histFinite),
                                                       Series(label: "paper: 218", style: .lines, x: [218, 218], y: [0, max(histSeen.max() ?? 1, histFinite.max() ?? 1)])])],
                               panelWidth: 560, panelHeight: 320)
        return AnalysisOutput(
            figures: [fig, figCounts],
            values: [Scalar("retina.fig1_neuron", Double(s0), significantFigures: Fmt.intFigures(Double(s0)), tolerance: .absolute(0)),
                     Scalar("retina.fig1_states_seen", Double(seen), significantFigures: Fmt.intFigures(Double(seen)), tolerance: .absolute(0)),
                     Scalar("retina.fig1_states_finite", Double(finite.count), significantFigures: Fmt.intFigures(Double(finite.count)), tolerance: .absolute(0)),
                     Scalar("retina.fig1_states_onesided", Double(unseenOneSided), significantFigures: Fmt.intFigures(Double(unseenOneSided)), tolerance: .absolute(0)),
                     Scalar("retina.states_seen_median", Stats.median(summary.statesSeen.map(Double.init)), significantFigures: 3, tolerance: .absolute(0.5)),
                     Scalar("retina.fig1_states_with_errors", Double(withErrors), significantFigures: Fmt.intFigures(Double(withErrors)), tolerance: .absolute(0)),
                     Scalar("retina.states_finite_median", Stats.median(summary.statesFinite.map(Double.init)), significantFigures: 3, tolerance: .absolute(0.5)),
                     Scalar("retina.states_finite_min", Double(summary.statesFinite.min()!), significantFigures: Fmt.intFigures(Double(summary.statesFinite.min()!)), tolerance: .absolute(0)),
                     Scalar("retina.states_finite_max", Double(summary.statesFinite.max()!), significantFigures: Fmt.intFigures(Double(summary.statesFinite.max()!)), tolerance: .absolute(0)),
                     Scalar("retina.states_finite_within10_of_218", Double(summary.statesFinite.filter { abs($0 - 218) <= 10 }.count), significantFigures: 2, tolerance: .absolute(0)),
                     Scalar("retina.states_seen_within10_of_218", Double(summary.statesSeen.filter { abs($0 - 218) <= 10 }.count), significantFigures: 2, tolerance: .absolute(0)),
                     Scalar("retina.states_seen_min", Double(summary.statesSeen.min()!), significantFigures: Fmt.intFigures(Double(summary.statesSeen.min()!)), tolerance: .absolute(0)),
                     Scalar("retina.fig1_fit_r2", r2, significantFigures: 3, tolerance: .absolute(0.01)),
                     Scalar("retina.fig1_fit_chi2", reducedChi2, significantFigures: 3, tolerance: .relative(0.1)),
                     Scalar("retina.fig1_available_bits", full.mutualInformation, significantFigures: 3, tolerance: .relative(1e-6))],
            notes: ["retina.fig1: \(splits) random half-splits, seed \(seed)"])
    }
}
