import Foundation
import AnalysisKit
import Numerics

/// Figs 3 and 4: iterated compression over one to four coarse-graining steps (`steps`), M* with the 90% criterion and
/// its calibrated error, and the shared information I(σ0;σ̃) compared with the stimulus information I(σ0;s).
enum CoarseAnalysis {
    static let descriptor = AnalysisDescriptor(
        name: "retina.coarse",
        summary: "Coarse-graining steps 1–4: D_FI(M), M* per step with calibrated errors and scaling fits, and I(σ0;σ̃) vs I(σ0;s)",
        datasets: [RetinaData.datasetID], itemized: true) { ctx in try run(ctx) }

    static let defaultGrid = Array(1...16) + Array(stride(from: 18, through: 48, by: 2))

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let stepsCount = try p.int("steps", default: 3, range: 1...4)
        let grid = try p.ints("m_grid", default: defaultGrid)
        let restarts = try p.int("restarts", default: 5, range: 1...1000)
        let splits = try p.int("splits", default: 2, range: 1...100)
        let bootstrap = try p.int("bootstrap", default: 200, range: 2...10_000)
        let criterion = try p.double("criterion", default: 0.9, range: 0.01...1)
        let seed = try p.int("seed", default: 1, range: 0...Int.max)
        let method = try p.string("method", default: "ib")
        guard method == "ib" || method == "exact" else {
            throw ParameterError(key: "method", line: p.entries["method"]?.line, message: "expected 'ib' or 'exact', got '\(method)'")
        }
        let prefix = try p.string("prefix", default: "retina")
        let compareExact = try p.bool("compare_exact", default: false)
        let biasVariants = try p.bool("bias_variants", default: false)
        let restartStudy = try p.ints("restart_study", default: [])
        let restartM = try p.int("restart_m", default: 11, range: 1...255)
        let resamples = try p.int("resamples", default: 0, range: 0...100)
        let infoGroups = try p.int("info_groups", default: 0, range: 0...19)
        let infoSplits = try p.int("info_splits", default: 10, range: 2...1000)
        let calibrationReplicates = try p.int("calibration_replicates", default: 0, range: 0...100_000)
        // MStarCalibration.run needs two experiments for a spread (its precondition is unchecked in this build).
        if calibrationReplicates == 1 {
            throw ParameterError(key: "calibration_replicates", line: p.entries["calibration_replicates"]?.line, message: "0 (off) or at least 2, got 1")
        }
        let decomposition = try p.bool("decomposition", default: false)
        let wordMax = try p.int("word_max", default: 0, range: 0...8)
        if wordMax != 0 && wordMax < 3 {
            throw ParameterError(key: "word_max", line: p.entries["word_max"]?.line, message: "0 (off) or 3...8")
        }
        let calibrationBootstrap = try p.int("calibration_bootstrap", default: 100, range: 2...10_000)
        guard restartStudy.allSatisfy({ (1...1000).contains($0) }) else {
            throw ParameterError(key: "restart_study", line: p.entries["restart_study"]?.line, message: "restarts must lie in 1...1000")
        }
        if compareExact && method != "ib" {
            throw ParameterError(key: "compare_exact", line: p.entries["compare_exact"]?.line, message: "needs method: ib")
        }
        let figPrefix = prefix.replacingOccurrences(of: ".", with: "-")
        guard !grid.isEmpty, grid == grid.sorted(), grid.allSatisfy({ (1...255).contains($0) }), Set(grid).count == grid.count else {
            throw ParameterError(key: "m_grid", line: nil, message: "must be distinct increasing integers in 1...255")
        }
        let (raster, mi) = try RetinaData.load(ctx) // reads `data:` before the check for unknown parameters
        try p.rejectUnused()
        // Limits set by the raster (issue 14 §4; the module is built with -Ounchecked): words of word_max bins need that
        // many bins (StimulusDecomposition.words), and info_groups groups of 8 ranked partners need more cells.
        if wordMax > raster.bins {
            throw ParameterError(key: "word_max", line: p.entries["word_max"]?.line,
                                 message: "words of \(wordMax) bins need at least \(wordMax) bins per repeat; \(RetinaData.name(ctx)) has \(raster.bins)")
        }
        if 8 * infoGroups >= raster.neurons {
            throw ParameterError(key: "info_groups", line: p.entries["info_groups"]?.line,
                                 message: "\(infoGroups) groups of 8 partners need more than \(8 * infoGroups) cells; \(RetinaData.name(ctx)) has \(raster.neurons)")
        }
        let ranking = (0..<raster.neurons).map { PartnerRanking.ranked(mi, target: $0) }
        var cg = try CoarseGraining(raster: raster, ranking: ranking, groupSize: 8, groups: 8,
                                    settings: SweepSettings(mGrid: grid, restarts: restarts, splits: splits, exact: method == "exact",
                                                            compareExact: compareExact, biasVariants: biasVariants), criterion: criterion)
        let root = Xoshiro256(seed: UInt64(seed))
        var restartRows = [[String]](), restartValues = [Scalar]()
        var decomp = [[[(value: Double, error: Double)]]]()
        var rawDecomp = [[(value: Double, error: Double)]]()
        for s in 0..<stepsCount {
            if !restartStudy.isEmpty {
                // Iterative vs exact on the inputs of this step, random restarts only (no warm start), all data.
                let sf = cg.restartShortfalls(m: restartM, restarts: restartStudy, rng: root.child(600 + s))
                for (r, gaps) in zip(restartStudy, sf) {
                    let g = CoarseStudies.summary(gaps)
                    restartRows.append(["\(s + 1)", "\(r)", Fmt.f(g.median, 4), Fmt.f(g.q90, 4), Fmt.f(g.max, 3),
                                        "\(gaps.filter { $0 > 1e-9 }.count) / \(gaps.count)"])
                    restartValues += [Scalar("\(prefix).restarts\(r).shortfall_median_step\(s + 1)", g.median, significantFigures: 2, tolerance: .absolute(max(0.5 * g.median, 1e-4))),
                                      Scalar("\(prefix).restarts\(r).shortfall_q90_step\(s + 1)", g.q90, significantFigures: 2, tolerance: .absolute(max(0.5 * g.q90, 1e-4))),
                                      Scalar("\(prefix).restarts\(r).shortfall_max_step\(s + 1)", g.max, significantFigures: 2, tolerance: .relative(0.5))]
                }
            }
            if decomposition && s == 0 {
                // Eq (15) with the raw eight partners {σj} of the first group (2⁸ states) as x, before any
                // compression: I(σ0;{σj}|s) from the repeats (issue 15 §4). σ̃ is a function of {σj}, so given s
                // I(σ0;σ̃|s) ≤ I(σ0;{σj}|s): the raw row bounds what any compression keeps.
                let me = cg, droot = root.child(8790)
                rawDecomp = try Parallel.map(raster.neurons) { i -> [(value: Double, error: Double)] in
                    var r = droot.child(i)
                    let raw = me.inputs(step: 0, sigma0: i)[0]
                    return try StimulusDecomposition.extrapolated(codes: raw.codes.map { UInt8(truncatingIfNeeded: $0) }, alphabet: raw.alphabet,
                                                                  target: raster.spikes[i], repeats: raster.repeats, bins: raster.bins, rng: &r)
                }
            }
            cg.runStep(rng: root.child(s), bootstrap: bootstrap, progress: ctx.progress)
            ctx.progress("step \(s + 1): M* = \(cg.mStar(s))")
            if decomposition {
                // Eqs (13)–(15) for the first group chain's σ̃ at M*, per σ0 (extrapolated in the number of repeats).
                let m = cg.mStar(s), me = cg, droot = root.child(8800 + s)
                decomp.append(try Parallel.map(raster.neurons) { i -> [(value: Double, error: Double)] in
                    var r = droot.child(i)
                    return try StimulusDecomposition.extrapolated(codes: me.outputs[i][0], alphabet: m, target: raster.spikes[i],
                                                                  repeats: raster.repeats, bins: raster.bins, rng: &r)
                })
            }
        }
        // The whole chain again on bootstrap resamples of the repeats (in place of the grey curves of Fig 3b).
        // Work items (stage "resamples"): each resample is an independent chain, seeded as before by its index
        // (root.child(9000 + r) for the repeats drawn, root.child(9100 + 10r + s) for step s), so a killed render keeps
        // the finished resamples and `replicate work --shard i/n` spreads them.
        let resampleMStars = try ctx.workItems("resamples", count: resamples, seed: UInt64(seed)) { item -> [Double] in
            let r = item.index
            var pick = root.child(9000 + r)
            let raster_r = raster.resampled(repeats: (0..<raster.repeats).map { _ in pick.int(below: raster.repeats) })
            var cr = try CoarseGraining(raster: raster_r, ranking: ranking, groupSize: 8, groups: 8,
                                        settings: SweepSettings(mGrid: grid, restarts: restarts, splits: splits, exact: method == "exact"),
                                        criterion: criterion)
            for s in 0..<stepsCount { cr.runStep(rng: root.child(9100 + 10 * r + s), bootstrap: 0) }
            let mStars = (0..<stepsCount).map { Double(cr.mStar($0)) }
            ctx.progress("resample \(r + 1)/\(resamples): M* = \(mStars.map { Int($0) })")
            return mStars
        }
        // Stimulus information per cell, direct method with extrapolation in the number of repeats.
        let sroot = root.child(777)
        let stim = try Parallel.map(raster.neurons) { i -> (value: Double, error: Double) in
            var r = sroot.child(i)
            return try StimulusInformation.extrapolated(raster, neuron: i, rng: &r)
        }
        // The Strong et al. information rate from words of L bins (second reading of I(σ0;s)).
        let wroot = root.child(778)
        let wordRates = wordMax >= 3 ? try Parallel.map(raster.neurons) { i -> (value: Double, error: Double) in
            var r = wroot.child(i)
            let w = try StimulusDecomposition.wordRate(raster, neuron: i, maxWord: wordMax, rng: &r)
            return (w.value, w.error)
        } : []

        var values = [Scalar]()
        var rows = [[String]]()
        let labels = ["first", "second", "third", "fourth"]
        // Fig 3a
        let panel3a = Panel(title: "(a) fraction of groups captured within errors", xLabel: "number of states M", yLabel: "D_FI (%)",
                            yRange: [0, 102], series: (0..<stepsCount).map { s in
                                Series(label: "\(labels[s]) CG step", style: .linesPoints, x: grid.map(Double.init),
                                       y: cg.steps[s].withinErrors.map { 100 * $0 })
                            } + [Series(label: "\(Int(criterion * 100))% criterion", style: .lines,
                                        x: [Double(grid.first!), Double(grid.last!)], y: [100 * criterion, 100 * criterion])])
        var mstars = [Double](), mstarErr = [Double](), bootSD = [Double]()
        for s in 0..<stepsCount {
            let st = cg.steps[s]
            let ms = Double(cg.mStar(s))
            let boots = st.mStarBootstrap.map { Double($0 ?? grid.last!) }
            let k = st.mStarIndex ?? grid.count - 1
            let spacing = k + 1 < grid.count ? Double(grid[k + 1] - grid[k]) : 1
            // Calibrated error of the discrete M* (68 % bootstrap percentile half-width plus half a grid step; see
            // `MStarCalibration.calibratedError`); the bootstrap sd alone undercovers.
            let err = MStarCalibration.calibratedError(bootstrap: boots, spacing: spacing)
            mstars.append(ms); mstarErr.append(err); bootSD.append(Stats.standardDeviation(boots))
            values.append(Scalar("\(prefix).mstar_boot_sd_step\(s + 1)", bootSD[s], significantFigures: 2, tolerance: .absolute(max(bootSD[s], 0.5))))
            values.append(Scalar("\(prefix).mstar_step\(s + 1)", ms, error: err, significantFigures: Fmt.intFigures(ms),
                                 tolerance: .absolute(max(3 * err, spacing))))
            let cases = st.cases.flatMap { $0 }
            values.append(Scalar("\(prefix).within_at_mstar_step\(s + 1)", st.withinErrors[k],
                                 error: (st.withinErrors[k] * (1 - st.withinErrors[k]) / Double(cases.count)).squareRoot(), significantFigures: 3))
            values.append(Scalar("\(prefix).delta_fi_step\(s + 1)", st.deltaFI[k], significantFigures: 2, tolerance: .relative(0.3)))
            if s == 0, let k11 = grid.firstIndex(of: 11) {
                values.append(Scalar("\(prefix).within_m11_step1", st.withinErrors[k11],
                                     error: (st.withinErrors[k11] * (1 - st.withinErrors[k11]) / Double(cases.count)).squareRoot(),
                                     significantFigures: 3))
            }
            let avail = cases.map(\.available)
            let significant = cases.filter { $0.available > 2 * $0.availableError }.count
            rows.append(["\(s + 1)", "\(8 << s)", "\(cases.count)", "\(cases.first!.assignments.first!.count)",
                         Fmt.f(Stats.median(avail), 4), "\(significant)", st.mStarIndex == nil ? "> \(grid.last!)" : "\(Int(ms))",
                         Fmt.f(err, 1), Fmt.f(100 * st.withinErrors[k], 1), Fmt.f(st.deltaFI[k], 4)])
        }
        // Fig 3b and the linear fit
        let stepsX = (1...stepsCount).map(Double.init)
        var series3b = [Series(label: "M* (± calibrated error over σ0)", style: .errorBars, x: stepsX, y: mstars, yError: mstarErr)]
        if stepsCount >= 2 {
            let fit = Stats.linearFit(stepsX, mstars)
            var bs = root.child(4242)
            var slopes = [Double]()
            for _ in 0..<bootstrap {
                let ys = (0..<stepsCount).map { s -> Double in
                    let b = cg.steps[s].mStarBootstrap
                    return Double(b[bs.int(below: b.count)] ?? grid.last!)
                }
                slopes.append(Stats.linearFit(stepsX, ys).slope)
            }
            let slopeErr = Stats.standardDeviation(slopes)
            values.append(Scalar("\(prefix).mstar_slope", fit.slope, error: slopeErr, significantFigures: 2,
                                 tolerance: .absolute(max(3 * slopeErr, 1))))
            values.append(Scalar("\(prefix).mstar_intercept", fit.intercept, significantFigures: 2, tolerance: .absolute(max(3 * slopeErr, 1))))
            series3b.append(Series(label: String(format: "linear fit: M* = %.1f + %.1f·step", fit.intercept, fit.slope), style: .lines,
                                   x: [0.8, Double(stepsCount) + 0.2], y: [fit.intercept + 0.8 * fit.slope, fit.intercept + (Double(stepsCount) + 0.2) * fit.slope]))
        }
        // Grey curves: the whole chain on bootstrap resamples of the repeats.
        for (r, ms) in resampleMStars.enumerated() {
            series3b.append(Series(label: r == 0 ? "chain on resampled repeats" : "", style: .lines, x: stepsX, y: ms, color: "#aaaaaa"))
        }
        var tables = [Table]()
        // Total error of M* per step (fits, compare table): the calibrated error over σ0 (which contains the grid
        // resolution) and the spread over resampled repeats, in quadrature.
        let resampleSD = (0..<stepsCount).map { s in resampleMStars.count >= 2 ? Stats.standardDeviation(resampleMStars.map { $0[s] }) : 0 }
        let sigmaFit: [Double] = (0..<stepsCount).map { (s: Int) -> Double in
            let b: Double = mstarErr[s], r: Double = resampleSD[s]
            return (b * b + r * r).squareRoot()
        }
        for s in 0..<stepsCount where resamples >= 2 {
            values.append(Scalar("\(prefix).mstar_resample_mean_step\(s + 1)", Stats.mean(resampleMStars.map { $0[s] }), significantFigures: 3, tolerance: .absolute(max(3 * resampleSD[s], 2))))
            values.append(Scalar("\(prefix).mstar_resample_sd_step\(s + 1)", resampleSD[s], significantFigures: 2, tolerance: .absolute(max(resampleSD[s], 1))))
        }
        for s in 0..<stepsCount {
            values.append(Scalar("\(prefix).mstar_fit_sigma_step\(s + 1)", sigmaFit[s], significantFigures: 2, tolerance: .absolute(max(sigmaFit[s], 1))))
        }
        if stepsCount >= 3 {
            // M* against the number of partners K: linear law M = a + bK and power law M = A K^α (fit in logs).
            let ks = (0..<stepsCount).map { Double(8 << $0) }
            let lin = CoarseStudies.weightedLine(ks, mstars, sigmaFit)
            let pow = CoarseStudies.weightedLine(ks.map { log($0) }, mstars.map { log($0) }, zip(sigmaFit, mstars).map { $0 / $1 })
            let step = CoarseStudies.weightedLine(stepsX, mstars, sigmaFit)
            let dof = Double(stepsCount - 2)
            values += [Scalar("\(prefix).fit_linear_k_slope", lin.b, error: lin.sb, significantFigures: 2),
                       Scalar("\(prefix).fit_linear_k_chi2", lin.chi2, significantFigures: 2, tolerance: .absolute(max(1, 0.5 * lin.chi2))),
                       Scalar("\(prefix).fit_power_alpha", pow.b, error: pow.sb, significantFigures: 2),
                       Scalar("\(prefix).fit_power_chi2", pow.chi2, significantFigures: 2, tolerance: .absolute(max(1, 0.5 * pow.chi2))),
                       Scalar("\(prefix).fit_step_slope", step.b, error: step.sb, significantFigures: 2),
                       Scalar("\(prefix).fit_step_chi2", step.chi2, significantFigures: 2, tolerance: .absolute(max(1, 0.5 * step.chi2))),
                       Scalar("\(prefix).fit_dof", dof, significantFigures: 1, tolerance: .absolute(0)),
                       Scalar("\(prefix).params_total_exponent", 1 + pow.b, error: pow.sb, significantFigures: 2),
                       Scalar("\(prefix).params_total_exponent_pull", (1 + pow.b - 2) / pow.sb, significantFigures: 2, tolerance: .absolute(1))]
            tables.append(Table(id: "\(figPrefix)-scaling", caption: "M* against the number of partners K (σ: calibrated error over σ0 and spread over resampled repeats, in quadrature); weighted least-squares fits with χ² on \(Int(dof)) degree(s) of freedom",
                                columns: ["law", "parameters", "χ²"],
                                rows: [["M* = a + b·K", String(format: "a = %.1f ± %.1f, b = %.2f ± %.2f", lin.a, lin.sa, lin.b, lin.sb), Fmt.f(lin.chi2, 2)],
                                       ["M* = A·K^α", String(format: "A = %.2f, α = %.2f ± %.2f", exp(pow.a), pow.b, pow.sb), Fmt.f(pow.chi2, 2)],
                                       ["M* = a + b·step (log₂ K)", String(format: "a = %.1f ± %.1f, b = %.1f ± %.1f", step.a, step.sa, step.b, step.sb), Fmt.f(step.chi2, 2)]]))
        }
        // Iterative vs exact optimum on identical inputs.
        if compareExact {
            let (v, r) = CoarseStudies.identicalInputs(cg, prefix: prefix, m: restartM)
            values += v
            tables.append(Table(id: "\(figPrefix)-same-inputs", caption: "Iterative bottleneck (Eqs 4–7, \(restarts) restarts plus a warm start from M − 1) against the exact optimum of Eq (3) on exactly the same inputs, all (σ0, group) cases of each step: shortfall 1 − I_IB/I_exact at M = \(restartM), cases that fail FI ≥ 1 − ΔFI with the iterative result but pass with the exact one, and M* with either optimiser on these inputs",
                                columns: ["step", "cases", "median shortfall", "90th percentile", "max", "fail IB, pass exact", "M* (IB)", "M* (exact, same inputs)"], rows: r))
        }
        if !restartRows.isEmpty {
            values += restartValues
            tables.append(Table(id: "\(figPrefix)-restarts", caption: "Shortfall 1 − I_IB/I_exact at M = \(restartM) with random restarts only (no warm start), on the inputs of each step, all cases",
                                columns: ["step", "restarts", "median", "90th percentile", "max", "cases short"], rows: restartRows))
        }
        // Systematic table: M* per step over optimiser × ΔFI × bias × criterion.
        if compareExact || biasVariants {
            let sys = CoarseStudies.systematic(cg, criteria: [0.8, 0.9])
            let show = { (m: Int?) in m.map(String.init) ?? "—" }
            tables.append(Table(id: "\(figPrefix)-systematic", caption: "M* per coarse-graining step for every combination of the choices the paper leaves open (— : D_FI never reaches the criterion on the grid up to \(grid.last!)). The inputs of steps 2–\(stepsCount) are the iterative chain's compressions at its default M* (relative error of I, plug-in, \(Int(criterion * 100))%); the choice changes the criterion, not the inputs",
                                columns: ["optimiser", "ΔFI", "bias", "criterion"] + (1...stepsCount).map { "M*\($0)" },
                                rows: sys.map { c, ms in [c.exact ? "exact (same inputs)" : "iterative", c.choice.error.rawValue, c.choice.bias.rawValue,
                                                          "\(Int((c.choice.criterion * 100).rounded()))%"] + ms.map(show) }))
            for s in 0..<stepsCount {
                let found = sys.compactMap { $0.1[s] }.map(Double.init)
                let nonLiteral = sys.filter { $0.0.choice.error != .medianFIError }.compactMap { $0.1[s] }.map(Double.init)
                values += [Scalar("\(prefix).sys_low_step\(s + 1)", found.min() ?? .nan, significantFigures: 2, tolerance: .absolute(2)),
                           Scalar("\(prefix).sys_high_step\(s + 1)", found.max() ?? .nan, significantFigures: 2, tolerance: .absolute(2)),
                           Scalar("\(prefix).sys_none_step\(s + 1)", Double(sys.count - found.count), significantFigures: 2, tolerance: .absolute(2)),
                           Scalar("\(prefix).sys_nonliteral_low_step\(s + 1)", nonLiteral.min() ?? .nan, significantFigures: 2, tolerance: .absolute(2)),
                           Scalar("\(prefix).sys_nonliteral_high_step\(s + 1)", nonLiteral.max() ?? .nan, significantFigures: 2, tolerance: .absolute(2))]
                // M* with its statistical error and the systematic spread over the choices with an M*.
                if let lo = nonLiteral.min(), let hi = nonLiteral.max() {
                    values.append(Scalar("\(prefix).mstar_sys_step\(s + 1)", mstars[s], error: sigmaFit[s], significantFigures: Fmt.intFigures(mstars[s]),
                                         tolerance: .absolute(max(3 * mstarErr[s], 2)),
                                         systematic: SystematicSpread(low: lo, high: hi, over: "optimiser × ΔFI (relative, 2× relative) × bias × criterion")))
                }
            }
            let literal = sys.filter { $0.0.choice.error == .medianFIError }
            values.append(Scalar("\(prefix).sys_literal_none", Double(literal.filter { $0.1[0] == nil }.count), significantFigures: 2, tolerance: .absolute(1)))
            values.append(Scalar("\(prefix).sys_literal_count", Double(literal.count), significantFigures: 2, tolerance: .absolute(0)))
            values.append(Scalar("\(prefix).sys_combinations", Double(sys.count), significantFigures: 2, tolerance: .absolute(0)))
        }
        // Parametric bootstrap of the measured steps (issue 12 for M*): each step's cases as the population of a
        // synthetic world with a known M*, the coverage of that M* by each error rule.
        if calibrationReplicates > 0 {
            var rowsC = [[String]]()
            let se1 = (0.683 * 0.317 / Double(calibrationReplicates)).squareRoot(), se2 = (0.954 * 0.046 / Double(calibrationReplicates)).squareRoot()
            for s in 0..<stepsCount {
                let pop = MStarCalibration.population(of: cg.steps[s].cases)
                let r = MStarCalibration.run(pop, grid: grid, cells: raster.neurons, criterion: criterion,
                                             measurement: .init(degrees: max(1, 2 * splits - 1), withinCell: 0.5),
                                             replicates: calibrationReplicates, bootstrap: calibrationBootstrap, seed: UInt64(seed) &+ UInt64(7000 + s))
                ctx.progress("M* calibration, step \(s + 1): \(r)")
                for c in r.rules {
                    rowsC.append(["\(s + 1)", Fmt.f(r.truth, 0), Fmt.f(r.dfiBelow, 3) + " / " + Fmt.f(r.dfiAtTruth, 3), Fmt.f(r.sd, 2),
                                  Fmt.f(100 * r.exact, 1), c.rule, Fmt.f(c.meanError, 2), Fmt.f(100 * c.within1, 1), Fmt.f(100 * c.within2, 1)])
                }
                let cal = r.coverage("calibrated"), boot = r.coverage("bootstrap sd")
                let tag = "\(prefix).mstar_cal_real.step\(s + 1)"
                values += [Scalar("\(tag).truth", r.truth, significantFigures: 2, tolerance: .absolute(2)),
                           Scalar("\(tag).sd", r.sd, significantFigures: 2, tolerance: .absolute(max(0.3, 0.5 * r.sd))),
                           Scalar("\(tag).boot_cover1", boot.within1, error: se1, significantFigures: 2),
                           Scalar("\(tag).boot_cover2", boot.within2, error: se2, significantFigures: 2),
                           Scalar("\(tag).cal_cover1", cal.within1, error: se1, significantFigures: 2),
                           Scalar("\(tag).cal_cover2", cal.within2, error: se2, significantFigures: 2)]
            }
            tables.append(Table(id: "\(figPrefix)-mstar-calibration", caption: "Parametric bootstrap of each measured step: its (σ0, group) cases as the population (FI curves as truth, their random-halves FI errors as noise with within-cell correlation 0.5, r̂ = r√(χ²_ν/ν) with ν = \(max(1, 2 * splits - 1))), \(calibrationReplicates) experiments of \(raster.neurons) cells with \(calibrationBootstrap) bootstrap resamples each: the population's M*, D_FI one step below and at it, the sd of M̂*, how often M̂* equals it, and per error rule the mean σ and the coverage of the truth at ±1σ and ±2σ (nominal 68.3 % and 95.4 %, binomial error \(Fmt.f(100 * se1, 1)) and \(Fmt.f(100 * se2, 1)) points)",
                                columns: ["step", "true M*", "D_FI below / at", "sd of M̂*", "M̂* = M* (%)", "error rule", "mean σ", "±1σ (%)", "±2σ (%)"], rows: rowsC))
        }
        // I(σ0;S_l) for groups beyond l = 8.
        if infoGroups > 0 {
            let gi = CoarseStudies.groupInformation(raster, ranking: ranking, groups: infoGroups, splits: infoSplits, rng: root.child(31337))
            var rowsL = [[String]](), medMM = [Double](), medErr = [Double]()
            for (l, cells) in gi.enumerated() {
                let mm = cells.map(\.mm), err = cells.map(\.error)
                let meanMM = Stats.mean(mm)
                // Error of the mean over cells from the per-cell errors (cells treated as independent).
                let meanErr = (err.map { $0 * $0 }.reduce(0, +)).squareRoot() / Double(cells.count)
                let sig = zip(mm, err).filter { $0.0 > 2 * $0.1 }.count
                medMM.append(Stats.median(mm)); medErr.append(Stats.median(err))
                rowsL.append(["\(l + 1)", Fmt.f(Stats.median(cells.map(\.plugIn)), 5), Fmt.f(Stats.median(mm), 5), Fmt.f(Stats.median(err), 5),
                              String(format: "%.5f ± %.5f", meanMM, meanErr), "\(sig) / \(cells.count)"])
                // The median over cells carries the bootstrap error over cells; the median per-cell error is its own value.
                var bsl = root.child(31400 + l)
                values += [Scalar("\(prefix).group_info_mm_median_l\(l + 1)", Stats.median(mm),
                                  error: Resampling.medianError(mm, replicates: bootstrap, rng: &bsl), significantFigures: 2),
                           Scalar("\(prefix).group_info_error_median_l\(l + 1)", Stats.median(err), significantFigures: 2, tolerance: .relative(0.3)),
                           Scalar("\(prefix).group_info_mm_mean_l\(l + 1)", meanMM, error: meanErr, significantFigures: 2),
                           Scalar("\(prefix).group_info_significant_l\(l + 1)", Double(sig), significantFigures: 3, tolerance: .absolute(max(5, 0.2 * Double(sig))))]
            }
            if infoGroups > 8 {
                let beyond = gi[8...].flatMap { $0 }
                let sig = beyond.filter { $0.mm > 2 * $0.error }.count
                values.append(Scalar("\(prefix).group_info_beyond8_significant_fraction", Double(sig) / Double(beyond.count), significantFigures: 2, tolerance: .absolute(0.03)))
            }
            tables.append(Table(id: "\(figPrefix)-groups", caption: "Information I(σ0;S_l) (bits) between σ0 and its l-th group of eight ranked partners, over the \(raster.neurons) cells: median plug-in, median Miller–Madow corrected, median error (random halves, \(infoSplits) splits, χ² excess removed), mean corrected value ± its error, and cells whose corrected value exceeds twice its error",
                                columns: ["l", "plug-in", "Miller–Madow", "error", "mean MM over cells", "cells > 2σ"], rows: rowsL))
        }
        let panel3b = Panel(title: "(b) M* per coarse-graining step", xLabel: "coarse-graining step", yLabel: "M*",
                            xRange: [0.5, Double(stepsCount) + 0.5], series: series3b)
        let fig3 = Figure(id: "\(figPrefix)-fig3", caption: "(a) Fraction D_FI of (σ0, group) cases whose compression into M states captures the available information within errors (FI ≥ 1 − ΔFI, ΔFI the median relative error of the available information), for each of the \(stepsCount) coarse-graining steps; all \(raster.neurons) cells, \((0..<stepsCount).map { "\(cg.groups >> $0)" }.joined(separator: ", ")) groups per cell. (b) M*, the smallest M with D_FI ≥ \(Int(criterion * 100))%, with a linear fit in the step; error bars: calibrated error over the choice of σ0 (68 % bootstrap interval plus half a grid step)\(resamples > 0 ? "; grey: the whole chain on \(resamples) resamples of the repeats" : "").",
                          altText: "D_FI curves rising with M for each step; M* per step with a linear fit",
                          panels: [panel3a, panel3b], columns: 2, panelWidth: 520, panelHeight: 380)
        // Fig 4: I(σ0;σ̃) of the first group chain at M* vs I(σ0;s)
        var series4 = [Series]()
        var ratioRows = [[String]]()
        let sx = stim.map(\.value)
        // The ratios below are over the cells with I(σ0;s) > 0; without any, their medians are undefined.
        guard sx.contains(where: { $0 > 0 }) else {
            throw RetinaError("retina.coarse: no cell of \(RetinaData.name(ctx)) carries positive information about the stimulus (I(σ0;s) ≤ 0 for all \(raster.neurons) cells, direct method extrapolated in the repeats), so the ratios I(σ0;σ̃)/I(σ0;s) of Fig 4 are undefined")
        }
        for s in 0..<stepsCount {
            let k = cg.steps[s].mStarIndex ?? grid.count - 1
            let shared = cg.steps[s].cases.map { $0[0].captured[k] }
            series4.append(Series(label: "step \(s + 1) (\(8 << s) neurons, M* = \(Int(mstars[s])))", style: .points, x: sx, y: shared))
            let ratio = zip(shared, sx).filter { $0.1 > 0 }.map { $0.0 / $0.1 }
            var bs = root.child(5000 + s)
            values.append(Scalar("\(prefix).info_ratio_step\(s + 1)", Stats.median(ratio),
                                 error: Resampling.medianError(ratio, replicates: bootstrap, rng: &bs), significantFigures: 3))
            // Per-cell spread of the ratio.
            values += [Scalar("\(prefix).info_ratio_q10_step\(s + 1)", Stats.quantile(ratio, 0.1), significantFigures: 2, tolerance: .absolute(0.03)),
                       Scalar("\(prefix).info_ratio_q90_step\(s + 1)", Stats.quantile(ratio, 0.9), significantFigures: 2, tolerance: .absolute(0.03)),
                       Scalar("\(prefix).info_ratio_above1_step\(s + 1)", Double(ratio.filter { $0 >= 1 }.count), significantFigures: 2, tolerance: .absolute(3))]
            ratioRows.append(["\(s + 1)", "\(8 << s)", Fmt.f(Stats.quantile(ratio, 0.1), 3), Fmt.f(Stats.quantile(ratio, 0.25), 3),
                              Fmt.f(Stats.median(ratio), 3), Fmt.f(Stats.quantile(ratio, 0.75), 3), Fmt.f(Stats.quantile(ratio, 0.9), 3),
                              "\(ratio.filter { $0 >= 1 }.count) / \(ratio.count)"])
            let avail = cg.steps[s].cases.map { $0[0].available }
            let ar = zip(avail, sx).filter { $0.1 > 0 }.map { $0.0 / $0.1 }
            values.append(Scalar("\(prefix).avail_ratio_step\(s + 1)", Stats.median(ar), significantFigures: 3, tolerance: .relative(0.05)))
        }
        let maxX = max(sx.max() ?? 0.1, 1e-3)
        series4.append(Series(label: "I(σ0;σ̃) = I(σ0;s)", style: .lines, x: [0, maxX], y: [0, maxX]))
        let stimErr = Stats.median(stim.map(\.error))
        var bsStim = root.child(8899)
        values.append(Scalar("\(prefix).istim_median", Stats.median(sx),
                             error: Resampling.medianError(sx, replicates: bootstrap, rng: &bsStim), significantFigures: 3))
        values.append(Scalar("\(prefix).istim_error_median", stimErr, significantFigures: 2, tolerance: .relative(0.3)))
        tables.append(Table(id: "\(figPrefix)-fig4-spread", caption: "Per-cell spread of I(σ0;σ̃)/I(σ0;s) over the \(raster.neurons) cells (first group chain at M*; I(σ0;s) single-bin direct method): quantiles and the cells at or above equality",
                            columns: ["step", "partners", "10 %", "25 %", "median", "75 %", "90 %", "ratio ≥ 1"], rows: ratioRows))
        var bsd = root.child(8900)
        func bootMedian(_ x: [Double]) -> Double { Resampling.medianError(x, replicates: bootstrap, rng: &bsd) }
        if !wordRates.isEmpty {
            let wr = wordRates.map(\.value), diff = zip(wr, sx).map { $0 - $1 }
            values += [Scalar("\(prefix).istim_word_median", Stats.median(wr), error: bootMedian(wr), significantFigures: 3),
                       Scalar("\(prefix).istim_word_error_median", Stats.median(wordRates.map(\.error)), significantFigures: 2, tolerance: .relative(0.3)),
                       Scalar("\(prefix).istim_word_minus_single_median", Stats.median(diff), error: bootMedian(diff), significantFigures: 2),
                       Scalar("\(prefix).istim_word_over_single_median", Stats.median(zip(wr, sx).filter { $0.1 > 0 }.map { $0.0 / $0.1 }), significantFigures: 3)]
        }
        if !decomp.isEmpty {
            var rowsD = [[String]]()
            var identity = 0.0
            /// The Eq (13)–(15) terms of one network variable x over the cells: its values (six, then `extra`, each a
            /// median with its bootstrap error) and its table row; the bootstrap draws stay in this order.
            func eq15Terms(_ cells: [[(value: Double, error: Double)]], tag: String, step: String, label: String, partners: String,
                           extra: (_ cond: [Double]) -> [(name: String, x: [Double])] = { _ in [] }) -> [String] {
                let iS = cells.map { $0[0].value }, iX = cells.map { $0[1].value }, cond = cells.map { $0[2].value }
                let dI = cells.map { $0[3].value }, res = cells.map { $0[4].value }
                for c in cells { identity = max(identity, abs(c[3].value - (c[0].value + c[2].value - c[1].value))) }
                let sig = cells.filter { abs($0[4].value) > 2 * $0[4].error }.count
                values += [Scalar("\(tag).delta_i_median_step\(step)", Stats.median(dI), error: bootMedian(dI), significantFigures: 2),
                           Scalar("\(tag).cond_info_median_step\(step)", Stats.median(cond), error: bootMedian(cond), significantFigures: 2),
                           Scalar("\(tag).shared_median_step\(step)", Stats.median(iX), error: bootMedian(iX), significantFigures: 3),
                           Scalar("\(tag).residual_median_step\(step)", Stats.median(res), error: bootMedian(res), significantFigures: 2),
                           Scalar("\(tag).residual_error_median_step\(step)", Stats.median(cells.map { $0[4].error }), significantFigures: 2, tolerance: .relative(0.3)),
                           Scalar("\(tag).residual_significant_step\(step)", Double(sig), significantFigures: 3, tolerance: .absolute(max(5, 0.1 * Double(sig))))]
                for e in extra(cond) {
                    values.append(Scalar("\(tag).\(e.name)_step\(step)", Stats.median(e.x), error: bootMedian(e.x), significantFigures: 2))
                }
                var row = [label, partners, Fmt.f(Stats.median(iS), 4), Fmt.f(Stats.median(iX), 4), Fmt.f(Stats.median(cond), 4),
                           Fmt.f(Stats.median(dI), 4), String(format: "%.4f ± %.4f", Stats.median(res), bootMedian(res)), "\(sig) / \(cells.count)"]
                if !wordRates.isEmpty {
                    // Eq (14) with the word rate in place of the single-bin I(σ0;s): its right side minus ΔI.
                    let mismatch = (0..<cells.count).map { wordRates[$0].value - iS[$0] }
                    row.append(String(format: "%.4f ± %.4f", Stats.median(mismatch), bootMedian(mismatch)))
                }
                return row
            }
            for (s, cells) in decomp.enumerated() {
                rowsD.append(eq15Terms(cells, tag: "\(prefix).eq15", step: "\(s + 1)", label: "\(s + 1)", partners: "\(8 << s)"))
            }
            if !rawDecomp.isEmpty {
                // The raw eight partners of step 1 as x (2⁸ states), the same terms; and, by data processing given s,
                // I(σ0;σ̃|s) ≤ I(σ0;{σj}|s) cell by cell (σ̃ a function of the raw group): the excess over the compressed σ̃.
                let compressedCond = decomp[0].map { $0[2].value }
                rowsD.insert(eq15Terms(rawDecomp, tag: "\(prefix).eq15raw", step: "1", label: "1, raw {σj}", partners: "8 (2⁸ states)") { cond in
                    [("cond_minus_compressed_median", zip(cond, compressedCond).map { $0 - $1 })]
                }, at: 1)
            }
            values.append(Scalar("\(prefix).eq14_identity_max", identity, significantFigures: 1, tolerance: .absolute(1e-9)))
            tables.append(Table(id: "\(figPrefix)-eq15", caption: "Eqs (13)–(15) per step for the first group chain's σ̃ at M* (row \"1, raw {σj}\": the eight raw partners of step 1 before compression, x = {σj}), s the time bin of the movie, every information extrapolated to infinitely many repeats on the same subsets (medians over the \(raster.neurons) cells, bits): I(σ0;s), I(σ0;σ̃), I(σ0;σ̃|s), ΔI(σ0;s) = I(σ̃,σ0;s) − I(σ̃;s), the Eq (15) residual ΔI − I(σ0;σ̃|s) = I(σ0;s) − I(σ0;σ̃) (± bootstrap over cells) and the cells whose residual exceeds twice its extrapolation error\(wordRates.isEmpty ? "" : "; last column: Eq (14) with the Strong et al. word rate as I(σ0;s), right side minus ΔI"). Eq (14) holds for the single-bin reading to \(String(format: "%.0e", max(identity, 1e-300))) bits (an identity of these entropies)",
                                columns: ["step", "partners", "I(σ0;s)", "I(σ0;σ̃)", "I(σ0;σ̃|s)", "ΔI(σ0;s)", "Eq 15 residual", "cells > 2σ"] + (wordRates.isEmpty ? [] : ["Eq 14, word reading"]),
                                rows: rowsD))
        }
        let fig4 = Figure(id: "\(figPrefix)-fig4", caption: "Information each cell σ0 shares with the compressed network variable σ̃ at M* (first group chain: \((0..<stepsCount).map { "\(8 << $0)" }.joined(separator: ", ")) partners) against the information it carries about the movie, I(σ0;s), by the direct method extrapolated in the number of repeats (median error \(Fmt.f(stimErr, 4)) bits).",
                          altText: "Scatter of shared information against stimulus information for each coarse-graining step, with the diagonal",
                          panels: [Panel(title: "", xLabel: "I(σ0; s) (bits)", yLabel: "I(σ0; σ̃) (bits)", series: series4)],
                          panelWidth: 560, panelHeight: 480)
        let table = Table(id: "\(figPrefix)-coarse-steps", caption: "Coarse-graining steps: cases (σ0 × groups), input alphabet, median available information I(σ0;{σj}) (bits), groups whose available information exceeds twice its error, M* and its calibrated error over σ0, D_FI at M*, and ΔFI at M*",
                          columns: ["step", "neurons", "cases", "input states", "median I (bits)", "I > 2σ", "M*", "± M*", "D_FI(M*) %", "ΔFI"],
                          rows: rows)
        return AnalysisOutput(tables: [table] + tables, figures: [fig3, fig4], values: values,
                              notes: ["retina.coarse (\(method)): M grid \(grid.first!)…\(grid.last!), \(restarts) IB restarts, \(splits) half-splits, \(bootstrap) bootstrap resamples, seed \(seed)"])
    }
}
