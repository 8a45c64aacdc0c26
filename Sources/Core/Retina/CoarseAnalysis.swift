import Foundation
import AnalysisKit
import Numerics

/// Figs 3 and 4: iterated compression over three coarse-graining steps, M* with the 90% criterion, and the shared
/// information I(σ0;σ̃) compared with the stimulus information I(σ0;s).
enum CoarseAnalysis {
    static let descriptor = AnalysisDescriptor(
        name: "retina.coarse",
        summary: "Coarse-graining steps 1–3: D_FI(M), M* per step with linear fit, and I(σ0;σ̃) vs I(σ0;s)",
        datasets: [RetinaData.datasetID]) { ctx in try run(ctx) }

    static let defaultGrid = Array(1...16) + Array(stride(from: 18, through: 48, by: 2))

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let stepsCount = try p.int("steps", default: 3, range: 1...3)
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
        let figPrefix = prefix.replacingOccurrences(of: ".", with: "-")
        guard !grid.isEmpty, grid == grid.sorted(), grid.allSatisfy({ (1...255).contains($0) }), Set(grid).count == grid.count else {
            throw ParameterError(key: "m_grid", line: nil, message: "must be distinct increasing integers in 1...255")
        }
        let (raster, mi) = try RetinaData.load(ctx) // reads `data:` before the check for unknown parameters
        try p.rejectUnused()
        let ranking = (0..<raster.neurons).map { PartnerRanking.ranked(mi, target: $0) }
        var cg = try CoarseGraining(raster: raster, ranking: ranking, groupSize: 8, groups: 8,
                                    settings: SweepSettings(mGrid: grid, restarts: restarts, splits: splits, exact: method == "exact"), criterion: criterion)
        let root = Xoshiro256(seed: UInt64(seed))
        for s in 0..<stepsCount {
            cg.runStep(rng: root.child(s), bootstrap: bootstrap, progress: ctx.progress)
            ctx.progress("step \(s + 1): M* = \(cg.mStar(s))")
        }
        // Stimulus information per cell, direct method with extrapolation in the number of repeats.
        var stim = [(value: Double, error: Double)](repeating: (0, 0), count: raster.neurons)
        var stimFailure: Error?
        let lock = NSLock()
        let sroot = root.child(777)
        stim.withUnsafeMutableBufferPointer { out in
            let o = out
            DispatchQueue.concurrentPerform(iterations: raster.neurons) { i in
                var r = sroot.child(i)
                do { o[i] = try StimulusInformation.extrapolated(raster, neuron: i, rng: &r) }
                catch { lock.lock(); stimFailure = error; lock.unlock() }
            }
        }
        if let stimFailure { throw stimFailure }

        var values = [Scalar]()
        var rows = [[String]]()
        let labels = ["first", "second", "third"]
        // Fig 3a
        let panel3a = Panel(title: "(a) fraction of groups captured within errors", xLabel: "number of states M", yLabel: "D_FI (%)",
                            yRange: [0, 102], series: (0..<stepsCount).map { s in
                                Series(label: "\(labels[s]) CG step", style: .linesPoints, x: grid.map(Double.init),
                                       y: cg.steps[s].withinErrors.map { 100 * $0 })
                            } + [Series(label: "\(Int(criterion * 100))% criterion", style: .lines,
                                        x: [Double(grid.first!), Double(grid.last!)], y: [100 * criterion, 100 * criterion])])
        var mstars = [Double](), mstarErr = [Double]()
        for s in 0..<stepsCount {
            let st = cg.steps[s]
            let ms = Double(cg.mStar(s))
            let boots = st.mStarBootstrap.map { Double($0 ?? grid.last!) }
            let err = Stats.standardDeviation(boots)
            mstars.append(ms); mstarErr.append(err)
            let k = st.mStarIndex ?? grid.count - 1
            let spacing = k + 1 < grid.count ? Double(grid[k + 1] - grid[k]) : 1
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
        var series3b = [Series(label: "M* (± bootstrap over σ0)", style: .errorBars, x: stepsX, y: mstars, yError: mstarErr)]
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
            if stepsCount == 3 {
                // Exponential growth would multiply M* by a constant factor per step; compare the ratios.
                values.append(Scalar("\(prefix).mstar_ratio_32", mstars[2] / mstars[1], significantFigures: 2, tolerance: .absolute(0.3)))
            }
        }
        let panel3b = Panel(title: "(b) M* per coarse-graining step", xLabel: "coarse-graining step", yLabel: "M*",
                            xRange: [0.5, Double(stepsCount) + 0.5], series: series3b)
        let fig3 = Figure(id: "\(figPrefix)-fig3", caption: "(a) Fraction D_FI of (σ0, group) cases whose compression into M states captures the available information within errors (FI ≥ 1 − ΔFI, ΔFI the median error), for each coarse-graining step; all \(raster.neurons) cells, \(cg.groups), \(cg.groups / 2), \(cg.groups / 4) groups per cell. (b) M*, the smallest M with D_FI ≥ \(Int(criterion * 100))%, with a linear fit; error bars: bootstrap over the choice of σ0.",
                          altText: "D_FI curves rising with M for three steps; M* growing roughly linearly with step",
                          panels: [panel3a, panel3b], columns: 2, panelWidth: 520, panelHeight: 380)
        // Fig 4: I(σ0;σ̃) of the first group chain at M* vs I(σ0;s)
        var series4 = [Series]()
        let sx = stim.map(\.value)
        for s in 0..<stepsCount {
            let k = cg.steps[s].mStarIndex ?? grid.count - 1
            let shared = cg.steps[s].cases.map { $0[0].captured[k] }
            series4.append(Series(label: "step \(s + 1) (\(8 << s) neurons, M* = \(Int(mstars[s])))", style: .points, x: sx, y: shared))
            let ratio = zip(shared, sx).filter { $0.1 > 0 }.map { $0.0 / $0.1 }
            var bs = root.child(5000 + s)
            let boots = (0..<bootstrap).map { _ in Stats.median((0..<ratio.count).map { _ in ratio[bs.int(below: ratio.count)] }) }
            values.append(Scalar("\(prefix).info_ratio_step\(s + 1)", Stats.median(ratio), error: Stats.standardDeviation(boots), significantFigures: 3))
            let avail = cg.steps[s].cases.map { $0[0].available }
            let ar = zip(avail, sx).filter { $0.1 > 0 }.map { $0.0 / $0.1 }
            values.append(Scalar("\(prefix).avail_ratio_step\(s + 1)", Stats.median(ar), significantFigures: 3, tolerance: .relative(0.05)))
        }
        let maxX = max(sx.max() ?? 0.1, 1e-3)
        series4.append(Series(label: "I(σ0;σ̃) = I(σ0;s)", style: .lines, x: [0, maxX], y: [0, maxX]))
        let stimErr = Stats.median(stim.map(\.error))
        values.append(Scalar("\(prefix).istim_median", Stats.median(sx), error: stimErr, significantFigures: 3))
        let fig4 = Figure(id: "\(figPrefix)-fig4", caption: "Information each cell σ0 shares with the compressed network variable σ̃ at M* (first group chain: 8, 16, 32 partners) against the information it carries about the movie, I(σ0;s), by the direct method extrapolated in the number of repeats (median error \(Fmt.f(stimErr, 4)) bits).",
                          altText: "Scatter of shared information against stimulus information for three coarse-graining steps, with the diagonal",
                          panels: [Panel(title: "", xLabel: "I(σ0; s) (bits)", yLabel: "I(σ0; σ̃) (bits)", series: series4)],
                          panelWidth: 560, panelHeight: 480)
        let table = Table(id: "\(figPrefix)-coarse-steps", caption: "Coarse-graining steps: cases (σ0 × groups), input alphabet, median available information I(σ0;{σj}) (bits), groups whose available information exceeds twice its error, M* and its bootstrap error, D_FI at M*, and ΔFI at M*",
                          columns: ["step", "neurons", "cases", "input states", "median I (bits)", "I > 2σ", "M*", "± M*", "D_FI(M*) %", "ΔFI"],
                          rows: rows)
        return AnalysisOutput(tables: [table], figures: [fig3, fig4], values: values,
                              notes: ["retina.coarse (\(method)): M grid \(grid.first!)…\(grid.last!), \(restarts) IB restarts, \(splits) half-splits, \(bootstrap) bootstrap resamples, seed \(seed)"])
    }
}
