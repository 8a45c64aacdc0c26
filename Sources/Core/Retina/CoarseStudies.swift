import Foundation
import AnalysisKit
import Numerics

/// Measurements on top of the coarse-graining chain of Eqs (10)–(12) that separate the data from the optimiser and
/// from the analysis choices the paper leaves open: the exact optimum of Eq (3) on the chain's own inputs, M* over
/// the choices of ΔFI, bias handling and criterion, scaling fits of M* against the number of partners K, and the
/// information I(σ0;S_l) of groups beyond l = 8.
enum CoarseStudies {
    /// Median, 90th percentile and maximum.
    static func summary(_ x: [Double]) -> (median: Double, q90: Double, max: Double) {
        (Stats.median(x), Stats.quantile(x, 0.9), x.max() ?? .nan)
    }

    /// All cases of one step with the exact optimum on the same inputs in place of the iterative result.
    static func exactCases(_ cases: [[CompressionCase]]) -> [[CompressionCase]] { cases.map { $0.map(\.withExactOptimum) } }

    /// M* (grid value) of a set of cases under a choice, nil when D_FI never reaches the criterion.
    static func mStar(_ cases: [[CompressionCase]], grid: [Int], choice: CriterionChoice) -> Int? {
        let (_, w) = CoarseGraining.criterionCurve(cases, sigma0s: Array(cases.indices), gridCount: grid.count, choice: choice)
        return w.firstIndex { $0 >= choice.criterion }.map { grid[$0] }
    }

    /// Iterative vs exact optimum on identical inputs at every step: shortfall 1 − I_IB(M)/I_exact(M) over all
    /// (σ0, group) cases at grid value `m`, the cases the criterion (default choice) fails with the iterative result
    /// but passes with the exact one, and M* with either optimiser.
    static func identicalInputs(_ cg: CoarseGraining, prefix: String, m: Int) -> (values: [Scalar], rows: [[String]]) {
        let grid = cg.settings.mGrid
        guard let k = grid.firstIndex(of: m) else { return ([], []) }
        var values = [Scalar](), rows = [[String]]()
        for (s, st) in cg.steps.enumerated() {
            let cases = st.cases.flatMap { $0 }
            guard cases.allSatisfy({ !$0.exactCaptured.isEmpty }) else { return ([], []) }
            let gaps = cases.map { c -> Double in c.exactCaptured[k] > 0 ? max(0, 1 - c.captured[k] / c.exactCaptured[k]) : 0 }
            let g = summary(gaps)
            let d = st.deltaFI[k]
            let failIBPassExact = cases.filter { $0.fraction[k] < 1 - d && $0.withExactOptimum.fraction[k] >= 1 - d }.count
            let mIB = mStar(st.cases, grid: grid, choice: CriterionChoice(criterion: cg.criterion))
            let mEx = mStar(exactCases(st.cases), grid: grid, choice: CriterionChoice(criterion: cg.criterion))
            let tag = "\(prefix).same_inputs"
            values += [Scalar("\(tag).shortfall_median_step\(s + 1)", g.median, significantFigures: 2, tolerance: .absolute(max(0.5 * g.median, 1e-4))),
                       Scalar("\(tag).shortfall_q90_step\(s + 1)", g.q90, significantFigures: 2, tolerance: .absolute(max(0.5 * g.q90, 1e-4))),
                       Scalar("\(tag).shortfall_max_step\(s + 1)", g.max, significantFigures: 2, tolerance: .relative(0.5)),
                       Scalar("\(tag).fail_ib_pass_exact_step\(s + 1)", Double(failIBPassExact), significantFigures: 3,
                              tolerance: .absolute(max(5, 0.3 * Double(failIBPassExact)))),
                       Scalar("\(tag).cases_step\(s + 1)", Double(cases.count), significantFigures: 4, tolerance: .absolute(0)),
                       Scalar("\(tag).mstar_exact_step\(s + 1)", Double(mEx ?? grid.last! + 1), significantFigures: 2, tolerance: .absolute(2))]
            rows.append(["\(s + 1)", "\(cases.count)", Fmt.f(g.median, 4), Fmt.f(g.q90, 4), Fmt.f(g.max, 3),
                         "\(failIBPassExact)", mIB.map(String.init) ?? "> \(grid.last!)", mEx.map(String.init) ?? "> \(grid.last!)"])
        }
        return (values, rows)
    }

    /// One row of the systematic table: a choice of optimiser, ΔFI, bias handling and criterion, with M* per step.
    struct Choice { var exact: Bool; var choice: CriterionChoice }

    /// M* per step for every combination of optimiser × ΔFI × bias × criterion available in the chain. The chain's
    /// inputs after step 1 are fixed by the default choice (the choice changes the criterion, not the inputs).
    static func systematic(_ cg: CoarseGraining, criteria: [Double]) -> [(Choice, [Int?])] {
        let grid = cg.settings.mGrid
        let haveExact = cg.steps.allSatisfy { $0.cases.allSatisfy { $0.allSatisfy { !$0.exactCaptured.isEmpty } } }
        let haveBias = cg.settings.biasVariants
        var out = [(Choice, [Int?])]()
        let exactSteps = haveExact ? cg.steps.map { exactCases($0.cases) } : []
        for exact in haveExact ? [false, true] : [false] {
            for e in CriterionChoice.ErrorDefinition.allCases {
                for b in haveBias ? CriterionChoice.Bias.allCases : [.plugIn] {
                    for c in criteria {
                        let ch = CriterionChoice(error: e, bias: b, criterion: c)
                        let ms = cg.steps.indices.map { s in mStar(exact ? exactSteps[s] : cg.steps[s].cases, grid: grid, choice: ch) }
                        out.append((Choice(exact: exact, choice: ch), ms))
                    }
                }
            }
        }
        return out
    }

    /// Weighted least squares y = a + b x with weights 1/σ²: parameters, their standard errors and χ².
    static func weightedLine(_ x: [Double], _ y: [Double], _ sigma: [Double]) -> (a: Double, b: Double, sa: Double, sb: Double, chi2: Double) {
        let w = sigma.map { 1 / ($0 * $0) }
        let sw = w.reduce(0, +)
        let sx = zip(w, x).map { $0 * $1 }.reduce(0, +), sy = zip(w, y).map { $0 * $1 }.reduce(0, +)
        let sxx = zip(w, x).map { $0 * $1 * $1 }.reduce(0, +)
        let sxy = (0..<x.count).map { w[$0] * x[$0] * y[$0] }.reduce(0, +)
        let det = sw * sxx - sx * sx
        let b = (sw * sxy - sx * sy) / det, a = (sxx * sy - sx * sxy) / det
        let chi2 = (0..<x.count).map { pow((y[$0] - a - b * x[$0]) / sigma[$0], 2) }.reduce(0, +)
        return (a, b, (sxx / det).squareRoot(), (sw / det).squareRoot(), chi2)
    }

    /// I(σ0;S_l) of the groups S_l of eight ranked partners, l = 1…L, for every σ0: plug-in, Miller–Madow corrected
    /// and the corrected random-halves error (`BiasCorrection.halvesErrorOfInformation`). `result[l][σ0]`.
    static func groupInformation(_ raster: SpikeRaster, ranking: [[Int]], groups: Int, splits: Int, rng: Xoshiro256)
        -> [[(plugIn: Double, mm: Double, error: Double)]] {
        let n = raster.neurons
        let out = Parallel.map(n) { s0 -> [(plugIn: Double, mm: Double, error: Double)] in
            var r = rng.child(s0)
            return (0..<groups).map { l in
                let g = Array(ranking[s0][(8 * l)..<(8 * l + 8)])
                let rc = RepeatCounts(codes: raster.codes(g), size: 256, target: raster.spikes[s0], repeats: raster.repeats, bins: raster.bins)
                let full = rc.joint()
                let h = HalvesErrors.run(count: raster.repeats, splits: splits, rng: &r) { [rc.joint(repeats: $0).mutualInformation] }
                return (full.mutualInformation, BiasCorrection.millerMadow(full),
                        BiasCorrection.halvesErrorOfInformation(halfValues: h.perHalf.map { $0[0] }, full: full))
            }
        }
        return (0..<groups).map { l in out.map { $0[l] } }
    }
}
