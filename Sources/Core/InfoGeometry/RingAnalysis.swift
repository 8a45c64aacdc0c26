import Foundation
import Numerics
import AnalysisKit

/// `geometry.ring`: exact oracle for the 4-neuron Poisson ring (item 2).
enum RingAnalysis {
    static func oracle(from p: Parameters) throws -> RingOracle {
        var o = RingOracle()
        o.patterns = try p.int("patterns", default: 8000, range: 10...1_000_000)
        o.gridSize = try p.int("grid", default: 128, range: 16...4096)
        o.modes = try p.int("modes", default: 63, range: 4...2047)
        let iv = try p.int("intervals", default: 120, range: 2...10_000)
        let gammaMin = try p.double("gamma_min", default: 1e-5, range: 1e-12...1)
        let gammaMax = try p.double("gamma_max", default: 60, range: 1...1e6)
        // The two ranges meet at 1. G and I are integrals over [γ_min, γ_max], so an empty interval is an error, not a
        // one-point sweep (issue 14, audit G1): report it before LogGammaQuadrature's precondition and before any allocation.
        guard gammaMax > gammaMin else {
            let key = p.entries["gamma_max"] != nil ? "gamma_max" : "gamma_min"
            throw ParameterError(key: key, line: p.entries[key]?.line,
                                 message: "gamma_min (\(gammaMin)) must be smaller than gamma_max (\(gammaMax)): G and I integrate over γ in [gamma_min, gamma_max], which must have positive length")
        }
        o.quadrature = LogGammaQuadrature(lowest: gammaMin, highest: gammaMax, intervals: iv)
        o.seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        o.population.priorConcentration = try p.double("prior_kappa", default: 0, range: 0...20)
        return o
    }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let o = try oracle(from: p)
        let convergencePatterns = try p.int("convergence_patterns", default: 300, range: 10...100_000)
        let enumGrid = try p.int("enumeration_grid", default: 64, range: 8...1024)
        try p.rejectUnused()
        let r = try o.run(progress: ctx.progress)
        var en = RingCountEnumeration(); en.population = o.population; en.gridSize = enumGrid
        let ex = try en.run()
        var en2 = en; en2.gridSize = 2 * enumGrid
        let exFine = try en2.run()
        ctx.progress("ring: exact MI by enumerating count patterns (C = \(ex.maxCount))")
        let j = r.grid.firstIndex { abs($0 + Double.pi) < 1e-12 } ?? 0
        let jp = r.grid.indices.min { abs(r.grid[$0] - Double.pi / 4) < abs(r.grid[$1] - Double.pi / 4) } ?? 0

        // Convergence of the per-pattern identity KL = ½∫ relative Fisher dγ with the resolution.
        var rows = [[String]]()
        var finest = 0.0
        for (n, m, iv) in [(64, 24, 40), (96, 44, 60), (128, 63, 120), (256, 127, 320)] {
            var c = o; c.patterns = convergencePatterns; c.gridSize = n; c.modes = m
            c.quadrature = LogGammaQuadrature(lowest: o.quadrature.gammas.first!, highest: o.quadrature.gammas.last!, intervals: iv)
            let cr = try c.run()
            finest = cr.identityMaxAbsDifference
            rows.append([String(n), String(m), String(iv), String(format: "%.2e", cr.identityMaxAbsDifference),
                         String(format: "%+.2e", cr.identityMeanDifference), String(format: "%.6f", cr.miKL.mean)])
            ctx.progress("ring identity convergence: N = \(n) done")
        }
        let conv = Table(id: "ring-identity-convergence",
                         caption: "Per-pattern check of KL(p(x|r) ‖ p(x)) = ½ ∫ dγ E_{y∼p_γ(y|r)}[u²] for \(convergencePatterns) response patterns as the grid (N points), Fourier modes (M) and Simpson intervals in ln γ grow. The difference is quadrature error and vanishes with resolution.",
                         columns: ["grid N", "modes M", "ln γ intervals", "max |KL − ½∫J|", "mean (KL − ½∫J)", "mean KL (nats)"], rows: rows)

        let xr = [-Double.pi, Double.pi]
        // Enumeration grid → oracle grid (both start at −π; the oracle grid is a subset or superset).
        func onGrid(_ v: [Double], _ g: [Double], at x: Double) -> Double {
            v[g.indices.min { abs(RingPopulation.wrap(g[$0] - x)) < abs(RingPopulation.wrap(g[$1] - x)) }!]
        }
        let fig1 = Figure(id: "ring-metric", caption: "Ring population: the multi-scale metric tr G(x) (its prior average is I(R; X)) beside the Fisher information J(x) (left: exact and as the γ → 0 limit of the Monte Carlo J_γ) and beside two other stimulus-specific decompositions of I(R; X) (right): the specific surprise i_sp(x) = KL(p(r|x) ‖ p(r)) and the stimulus-specific information SSI(x), both exact from enumerating count patterns. All three average to I(R;X) over the prior; Their swings around the ring differ: see the table.",
                          altText: "Left: Fisher information oscillating between about 14 and 28. Right: tr G nearly flat near 1.9 nats, specific surprise and SSI oscillating more strongly around the same mean.",
                          panels: [Panel(title: "Fisher information", xLabel: "x (rad)", yLabel: "J(x) (rad⁻²)", xRange: xr, series: [
                                    Series(label: "exact Σ f′²/f", style: .lines, x: r.grid, y: r.fisher),
                                    Series(label: "J_0(x), Monte Carlo", style: .lines, x: r.grid, y: r.fisherEstimate),
                                    Series(label: "J_0(x), Monte Carlo, symmetrised", style: .lines, x: r.grid, y: r.symmetrisedFisherEstimate)]),
                                   Panel(title: "Stimulus-specific information", xLabel: "x (rad)", yLabel: "nats", xRange: xr, series: [
                                    Series(label: "tr G(x), Monte Carlo", style: .lines, x: r.grid, y: r.metric),
                                    Series(label: "tr G(x) symmetrised", style: .lines, x: r.grid, y: r.symmetrisedMetric),
                                    Series(label: "specific surprise i_sp(x), exact", style: .lines, x: ex.grid, y: ex.specificSurprise),
                                    Series(label: "SSI(x), exact", style: .lines, x: ex.grid, y: ex.stimulusSpecificInformation),
                                    Series(label: "I(R;X), exact", style: .lines, x: xr, y: [ex.mutualInformation, ex.mutualInformation])])],
                          columns: 2, panelWidth: 460, panelHeight: 340)
        let perLog = zip(r.lossRate, r.gammas).map { $0 * $1 }
        let fig2 = Figure(id: "ring-integrand", caption: "Ring population: the MI integrand ½ γ E_y J_γ(y) per unit ln γ (left) and I(R; Y_γ) (right). Information is lost mostly at γ between about 10⁻² and 3 rad²; the integrand peaks near the squared tuning width (π/4)² ≈ 0.6 rad².",
                          altText: "A bump-shaped MI integrand against gamma on a log axis, and a decreasing information curve starting near 1.88 nats.",
                          panels: [Panel(title: "MI integrand", xLabel: "γ (rad²)", yLabel: "½ γ E J_γ (nats per ln γ)", logX: true,
                                         series: [Series(label: "oracle", style: .lines, x: r.gammas, y: perLog)]),
                                   Panel(title: "Information after coarse-graining", xLabel: "γ (rad²)", yLabel: "I(R; Y_γ) (nats)", logX: true,
                                         series: [Series(label: "oracle", style: .lines, x: r.gammas, y: r.coarseGrainedInformation)])],
                          columns: 2, panelWidth: 460, panelHeight: 340)
        let sym = r.symmetrisedMetric
        let gMin = sym.min() ?? 0, gMax = sym.max() ?? 0
        let gap = r.probeMetric[0], pref = r.probeMetric[1]
        let ispGap = onGrid(ex.specificSurprise, ex.grid, at: -Double.pi), ispPref = onGrid(ex.specificSurprise, ex.grid, at: Double.pi / 4)
        let ssiGap = onGrid(ex.stimulusSpecificInformation, ex.grid, at: -Double.pi), ssiPref = onGrid(ex.stimulusSpecificInformation, ex.grid, at: Double.pi / 4)
        let jGap = onGrid(r.fisher, r.grid, at: -Double.pi), jPref = onGrid(r.fisher, r.grid, at: Double.pi / 4)
        let mean = ex.mutualInformation
        func pct(_ a: Double, _ b: Double) -> String { String(format: "%.1f %%", 100 * abs(a - b) / mean) }
        let spec = Table(id: "ring-specific", caption: "Three stimulus-specific decompositions of I(R;X) = \(String(format: "%.5f", mean)) nats at the two distinguished stimuli of the ring: midway between two preferred angles (x = −π, where J is largest) and at a preferred angle (x = π/4). tr G is the Monte Carlo value symmetrised over the ring's 8 symmetry images, ± its standard error over \(o.patterns) patterns; i_sp and SSI are exact (count enumeration). The last row is the peak-to-peak swing relative to I(R;X). J is in rad⁻², the others in nats.",
                          columns: ["stimulus", "J(x)", "tr G(x)", "i_sp(x)", "SSI(x)"],
                          rows: [["x = −π (between preferred angles)", String(format: "%.3f", jGap), String(format: "%.4f ± %.4f", gap.mean, gap.error), String(format: "%.4f", ispGap), String(format: "%.4f", ssiGap)],
                                 ["x = π/4 (preferred angle)", String(format: "%.3f", jPref), String(format: "%.4f ± %.4f", pref.mean, pref.error), String(format: "%.4f", ispPref), String(format: "%.4f", ssiPref)],
                                 ["swing / I(R;X)", String(format: "%.0f %%", 100 * abs(jGap - jPref) / (0.5 * (jGap + jPref))), pct(gap.mean, pref.mean), pct(ispGap, ispPref), pct(ssiGap, ssiPref)]])
        let symNote = r.probeSymmetrised ? "symmetrised over 8 images" : "not symmetrised (prior breaks the symmetry)"
        let argMax = r.grid[sym.indices.max { sym[$0] < sym[$1] }!], argMin = r.grid[sym.indices.min { sym[$0] < sym[$1] }!]
        return AnalysisOutput(tables: [spec, conv], figures: [fig1, fig2], values: [
            Scalar("geometry.ring_mi_exact", ex.mutualInformation, significantFigures: 6, unit: "nats", tolerance: .absolute(1e-7)),
            Scalar("geometry.ring_mi_exact_griddiff", roundingFloor(abs(ex.mutualInformation - exFine.mutualInformation)), significantFigures: 2, tolerance: .absolute(1e-7)),
            Scalar("geometry.ring_enum_maxcount", Double(ex.maxCount), significantFigures: 3, tolerance: .absolute(0)),
            Scalar("geometry.ring_enum_tail", ex.truncatedMass, significantFigures: 2, tolerance: .absolute(1e-10)),
            Scalar("geometry.ring_HR", ex.responseEntropy, significantFigures: 6, unit: "nats", tolerance: .absolute(1e-6)),
            Scalar("geometry.ring_mi", r.miKL.mean, error: r.miKL.error, significantFigures: 4, unit: "nats"),
            Scalar("geometry.ring_mi_direct", r.miDirect.mean, error: r.miDirect.error, significantFigures: 4, unit: "nats"),
            Scalar("geometry.ring_mi_identity", r.miIdentity.mean, error: r.miIdentity.error, significantFigures: 4, unit: "nats"),
            Scalar("geometry.ring_int_G", r.integratedMetric, error: r.miIdentity.error, significantFigures: 4, unit: "nats"),
            Scalar("geometry.ring_identity_maxdiff", r.identityMaxAbsDifference, significantFigures: 2, unit: "nats", tolerance: .absolute(1e-3)),
            Scalar("geometry.ring_identity_meandiff", abs(r.identityMeanDifference), significantFigures: 2, unit: "nats", tolerance: .absolute(1e-4)),
            Scalar("geometry.ring_identity_finest", finest, significantFigures: 2, unit: "nats", tolerance: .absolute(1e-4)),
            Scalar("geometry.ring_fisher_minus_pi", r.fisher[j], significantFigures: 5, unit: "rad⁻²"),
            Scalar("geometry.ring_fisher_mc_minus_pi", r.fisherEstimate[j], error: r.fisherEstimateError[j], significantFigures: 4, unit: "rad⁻²"),
            // The same patterns' J_0 averaged over the 8 symmetry images of −π pattern by pattern (RingOracle,
            // `symmetrisedFisherEstimate`; calibrated in CalibrationTests.testRingOracleErrorsAreCalibrated).
            Scalar("geometry.ring_fisher_mc_sym_minus_pi", r.symmetrisedFisherEstimate[j], error: r.symmetrisedFisherEstimateError[j], significantFigures: 4, unit: "rad⁻²"),
            Scalar("geometry.ring_fisher_preferred", r.fisher[jp], significantFigures: 4, unit: "rad⁻²"),
            Scalar("geometry.ring_G_gap", gap.mean, error: gap.error, significantFigures: 4, unit: "nats"),
            Scalar("geometry.ring_G_pref", pref.mean, error: pref.error, significantFigures: 4, unit: "nats"),
            Scalar("geometry.ring_G_swing", pref.mean - gap.mean, error: (gap.error * gap.error + pref.error * pref.error).squareRoot(), significantFigures: 2, unit: "nats"),
            Scalar("geometry.ring_Gsym_min", gMin, significantFigures: 4, unit: "nats", tolerance: .absolute(0.02)),
            Scalar("geometry.ring_Gsym_max", gMax, significantFigures: 4, unit: "nats", tolerance: .absolute(0.02)),
            Scalar("geometry.ring_Gsym_argmin", argMin, significantFigures: 3, unit: "rad", tolerance: .absolute(0.3)),
            Scalar("geometry.ring_Gsym_argmax", argMax, significantFigures: 3, unit: "rad", tolerance: .absolute(0.3)),
            Scalar("geometry.ring_isp_gap", ispGap, significantFigures: 4, unit: "nats", tolerance: .absolute(1e-6)),
            Scalar("geometry.ring_isp_pref", ispPref, significantFigures: 4, unit: "nats", tolerance: .absolute(1e-6)),
            Scalar("geometry.ring_ssi_gap", ssiGap, significantFigures: 4, unit: "nats", tolerance: .absolute(1e-6)),
            Scalar("geometry.ring_ssi_pref", ssiPref, significantFigures: 4, unit: "nats", tolerance: .absolute(1e-6)),
        ], notes: ["geometry.ring: \(o.patterns) independent patterns, grid \(o.gridSize), \(o.modes) Fourier modes, \(o.quadrature.gammas.count) ln γ nodes on [\(o.quadrature.gammas.first!), \(o.quadrature.gammas.last!)], seed \(o.seed); G at probes \(symNote); J_0 \(r.fisherSymmetrised ? "also symmetrised over 8 images" : "not symmetrised"); enumeration: counts ≤ \(ex.maxCount) per neuron, grid \(enumGrid)"])
    }
}
