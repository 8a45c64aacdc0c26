import Foundation
import AnalysisKit
import Numerics

/// Fig 2: series expansion vs compression for the K = 8 most informative partners of every σ0.
enum Fig2Analysis {
    static let descriptor = AnalysisDescriptor(
        name: "retina.fig2",
        summary: "Coding cost of series truncations vs fraction of information captured by hard-IB compression, for all cells",
        datasets: [RetinaData.datasetID]) { ctx in try run(ctx) }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let requested = try p.int("neuron", default: -1, range: -1...100_000)
        let splits = try p.int("splits", default: 5, range: 2...1000)
        let trainFraction = try p.double("train_fraction", default: 0.6, range: 0.1...0.9)
        let fiSplits = try p.int("fi_splits", default: 2, range: 1...100)
        let restarts = try p.int("restarts", default: 5, range: 1...1000)
        let ridge = try p.double("ridge", default: 1.0, range: 0...1e6)
        let mMax = try p.int("m_max", default: 20, range: 2...255)
        let densityMs = try p.ints("density_m", default: [2, 4, 6, 8, 11, 15])
        let seed = try p.int("seed", default: 1, range: 0...Int.max)
        let cells = try p.int("cells", default: -1, range: -1...100_000)
        // No cells would leave every median over cells empty (Stats.quantile's precondition, unchecked in this build).
        guard cells != 0 else {
            throw ParameterError(key: "cells", line: p.entries["cells"]?.line, message: "-1 (all cells) or at least 1, got 0")
        }
        let (raster, mi) = try RetinaData.load(ctx) // reads `data:` before the check for unknown parameters
        try p.rejectUnused()
        let s0Example = try RetinaData.exampleNeuron(requested, raster: raster, mi: mi)
        let orders = [1, 2, 3, 4, 5]
        let grid = Array(1...mMax)
        guard densityMs.allSatisfy({ grid.contains($0) }) else {
            throw ParameterError(key: "density_m", line: nil, message: "values must lie in 1...\(mMax)")
        }
        let settings = SweepSettings(mGrid: grid, restarts: restarts, splits: fiSplits)
        let n = cells < 0 ? raster.neurons : min(cells, raster.neurons)
        let root = Xoshiro256(seed: UInt64(seed))
        let targets = Array(Set(Array(0..<n) + [s0Example])).sorted()
        let done = ProgressTally()
        let m11 = min(11, mMax)
        // One task per target cell, each with the child generator of its σ0; results come back in the order of `targets`.
        let perTarget = try Parallel.map(targets.count) { i -> (cost: CodingCostResult, exact: Double, comp: CompressionCase, halves: [Double]) in
            let s0 = targets[i]
            var rng = root.child(s0)
            let partners = Array(PartnerRanking.ranked(mi, target: s0).prefix(8))
            let codes = raster.codes(partners)
            let rc = RepeatCounts(codes: codes, size: 256, target: raster.spikes[s0], repeats: raster.repeats, bins: raster.bins)
            let cost = try CodingCostSweep.run(rc, partners: 8, orders: orders, splits: splits, trainFraction: trainFraction,
                                               ridge: ridge, rng: &rng)
            let exact = HardBottleneck.exactOptimum(rc.joint(), states: m11)
            let comp = CompressionSweep.run(codes: codes, alphabet: 256, target: raster.spikes[s0], raster: raster,
                                            settings: settings, rng: &rng)
            let d = done.increment()
            if d % 40 == 0 { ctx.progress("retina.fig2: \(d)/\(targets.count) cells") }
            // The error of the example cell's all-data C: random halves of the repeats (10 halvings), on its own stream.
            var halvesRNG = root.child(8_888_888)
            let halves = s0 == s0Example
                ? CodingCostSweep.fullCostHalvesError(rc, partners: 8, orders: orders, splits: 10, ridge: ridge, rng: &halvesRNG) : []
            return (cost, exact, comp, halves)
        }
        // Indexed by σ0 (nil / NaN for cells that were not targets).
        var costs = [CodingCostResult?](repeating: nil, count: raster.neurons)
        var comps = [CompressionCase?](repeating: nil, count: raster.neurons)
        var exact11 = [Double](repeating: .nan, count: raster.neurons)
        for (s0, r) in zip(targets, perTarget) { costs[s0] = r.cost; exact11[s0] = r.exact; comps[s0] = r.comp }
        let cellList = Array(0..<n)
        let ex = costs[s0Example]!, exF = comps[s0Example]!
        let exHalvesError = perTarget[targets.firstIndex(of: s0Example)!].halves
        // (a) example coding cost vs parameters, (b) example FI vs M
        let panelA = Panel(title: "(a) cell \(s0Example): series expansion", xLabel: "number of parameters", yLabel: "coding cost C",
                           logX: true, logY: true, series: [
                            Series(label: "all data (± random halves of the repeats)", style: .errorBars,
                                   x: ex.parameters.map(Double.init), y: ex.full, yError: exHalvesError),
                            Series(label: "test-set mean", style: .linesPoints, x: ex.parameters.map(Double.init), y: ex.testMean)])
        let panelB = Panel(title: "(b) cell \(s0Example): compression", xLabel: "number of states M", yLabel: "FI",
                           yRange: [0, 1.05], series: [
                            Series(label: "hard IB (± random halves)", style: .errorBars, x: grid.map(Double.init), y: exF.fraction,
                                   yError: exF.fractionError)])
        // (c) densities of C per order over σ0, (d) densities of FI per M over σ0
        let cGrid = Stats.linspace(-0.05, 0.4, 181)
        // Order 1 is the independent code itself (C = 1 for every cell) and is left out of the density plot.
        let panelC = Panel(title: "(c) coding cost over all σ0 (order 1: C = 1)", xLabel: "coding cost C", yLabel: "density",
                           series: orders.enumerated().dropFirst().map { k, o in
                            Series(label: "order \(o) (\(ex.parameters[k]) par.)", style: .lines, x: cGrid,
                                   y: Fmt.errorAwareDensity(cellList.map { costs[$0]!.full[k] }, errors: cellList.map { costs[$0]!.testSD[k] }, grid: cGrid))
                           })
        let fGrid = Stats.linspace(0.5, 1.02, 209)
        let panelD = Panel(title: "(d) fraction of information over all σ0", xLabel: "FI", yLabel: "density",
                           series: densityMs.map { m in
                            let k = m - 1
                            return Series(label: "M = \(m)", style: .lines, x: fGrid,
                                          y: Fmt.errorAwareDensity(cellList.map { comps[$0]!.fraction[k] },
                                                                   errors: cellList.map { comps[$0]!.fractionError[k] }, grid: fGrid))
                           })
        let fig = Figure(id: "fig2", caption: "Series expansion vs compression. (a) Coding cost, Eq (9), of the series of Eq (2) truncated at orders 1–5 for cell \(s0Example) (all data, error bars from 10 random halvings of the repeats; line: mean test-set cost over \(splits) random \(Int(trainFraction * 100))/\(100 - Int(trainFraction * 100)) splits). (b) Fraction of information captured by the hard information bottleneck into M states (\(restarts) restarts; errors from \(fiSplits) random half-splits). (c, d) Densities over \(n) choices of σ0, each point smoothed by its own error bar.",
                         altText: "Four panels: coding cost falling with parameters, FI rising to one with M, and their distributions over cells",
                         panels: [panelA, panelB, panelC, panelD], columns: 2, panelWidth: 520, panelHeight: 380)
        // Scalars
        var values = [Scalar]()
        var bs = root.child(9_999_999)
        func bootMedian(_ x: [Double]) -> Double { Resampling.medianError(x, replicates: 200, rng: &bs) }
        var rows = [[String]]()
        for (k, o) in orders.enumerated() {
            let c = cellList.map { costs[$0]!.full[k] }
            let ct = cellList.map { costs[$0]!.testMean[k] }
            let med = Stats.median(c)
            values.append(Scalar("retina.c_median_order\(o)", med, error: bootMedian(c), significantFigures: 2))
            values.append(Scalar("retina.c_test_median_order\(o)", Stats.median(ct), error: bootMedian(ct), significantFigures: 2))
            rows.append(["\(o)", "\(ex.parameters[k])", Fmt.f(med), Fmt.f(Stats.median(ct)),
                         Fmt.f(Double(c.filter { $0 <= 0.1 }.count) / Double(c.count), 2)])
        }
        // Held-out reference rows (issue 15 §5): the cross-validated lookup table over all 256 states and the expected
        // finite-sample floor of the held-out C (the lookup table, and the true model, on data drawn from the model).
        let lut = cellList.map { costs[$0]!.lookupTestMean }
        let floorL = cellList.map { costs[$0]!.floorLookup }, floorT = cellList.map { costs[$0]!.floorTrueModel }
        values.append(Scalar("retina.c_test_median_lookup", Stats.median(lut), error: bootMedian(lut), significantFigures: 2))
        values.append(Scalar("retina.c_floor_median_lookup", Stats.median(floorL), error: bootMedian(floorL), significantFigures: 2))
        values.append(Scalar("retina.c_floor_median_true", Stats.median(floorT), error: bootMedian(floorT), significantFigures: 2))
        let excess5 = cellList.map { costs[$0]!.testMean[4] - costs[$0]!.floorLookup }
        values.append(Scalar("retina.c_test_order5_above_floor_median", Stats.median(excess5), error: bootMedian(excess5), significantFigures: 2))
        rows.append(["lookup table", "256", "–", Fmt.f(Stats.median(lut)), "–"])
        rows.append(["expected floor, lookup table", "256", "–", Fmt.f(Stats.median(floorL)), "–"])
        rows.append(["expected floor, true model", "0", "–", Fmt.f(Stats.median(floorT)), "–"])
        let c5 = cellList.map { costs[$0]!.full[4] }
        // A binomial fraction over cells: Agresti–Coull error √(p̃(1 − p̃)/(n + 4)), p̃ = (k + 2)/(n + 4), which stays
        // positive at k = 0 or n (the old √(0.25/n) was the largest possible binomial error, whatever k).
        let within = c5.filter { $0 <= 0.1 }.count
        let pTilde = Double(within + 2) / Double(n + 4)
        values.append(Scalar("retina.c_order5_within10", Double(within) / Double(n),
                             error: (pTilde * (1 - pTilde) / Double(n + 4)).squareRoot(), significantFigures: 2))
        values.append(Scalar("retina.c_example_order5", ex.full[4], error: exHalvesError[4], significantFigures: 2))
        values.append(Scalar("retina.c_example_order5_test_sd", ex.testSD[4], significantFigures: 2, tolerance: .relative(0.3)))
        let fi11 = cellList.map { comps[$0]!.fraction[min(10, grid.count - 1)] }
        values.append(Scalar("retina.fi_median_m11", Stats.median(fi11), error: bootMedian(fi11), significantFigures: 3))
        if grid.count >= 15 {
            let fi15 = cellList.map { comps[$0]!.fraction[14] }
            // The worst cell's value with that cell's own random-halves error (a minimum over cells has no bootstrap
            // error over cells; the median of all cells' errors is not the error of this one value).
            let worst = cellList.min { comps[$0]!.fraction[14] < comps[$1]!.fraction[14] }!
            values.append(Scalar("retina.fi_min_m15", fi15.min()!, error: comps[worst]!.fractionError[14],
                                 significantFigures: 3))
        }
        // Shortfall of the iterative hard IB relative to the exact optimum of Eq (3) at M = 11 (all data).
        let gaps = cellList.map { 1 - comps[$0]!.captured[m11 - 1] / exact11[$0] }.filter(\.isFinite)
        guard !gaps.isEmpty else {
            throw RetinaError("retina.fig2: no cell of \(RetinaData.name(ctx)) keeps any information about its partners at M = \(m11) (I_exact = 0 for all \(n) cells: silent, saturated or independent cells), so the shortfall of the iterative bottleneck is undefined")
        }
        values.append(Scalar("retina.ib_gap_m11_median", Stats.median(gaps), error: bootMedian(gaps), significantFigures: 2))
        values.append(Scalar("retina.ib_gap_m11_max", gaps.max() ?? .nan, significantFigures: 2, tolerance: .relative(0.2)))
        // The M at which the median FI first matches the median (1 − C) of the fifth-order series.
        // Its error: the sd of the same M over 200 bootstrap resamples of the cells (the statistic is discrete, so the
        // sd is 0 when every resample gives the same M; the compare row's tolerance then decides).
        func mEquivalent(_ cells: [Int]) -> Int {
            let target = 1 - Stats.median(cells.map { c5[$0] })
            return grid.first { m in Stats.median(cells.map { comps[cellList[$0]]!.fraction[m - 1] }) >= target } ?? grid.last!
        }
        let mEquiv = mEquivalent(Array(0..<cellList.count))
        var bsM = root.child(9_999_998)
        let mEquivError = Resampling.bootstrapError(count: cellList.count, replicates: 200, rng: &bsM) { Double(mEquivalent($0)) }.error
        values.append(Scalar("retina.m_equiv_order5", Double(mEquiv), error: mEquivError, significantFigures: 2))
        // The example cell's own M: the first M where its FI reaches its own 1 − C of the fifth-order series.
        let exTarget = 1 - ex.full[4]
        let mEquivExample = grid.first { exF.fraction[$0 - 1] >= exTarget }
        values.append(Scalar("retina.m_equiv_order5_example", Double(mEquivExample ?? mMax + 1), significantFigures: 2,
                             tolerance: .absolute(1)))
        // Distribution over cells of each cell's own M matching its fifth-order series.
        let ownM = cellList.map { i -> Double in
            Double(grid.first { comps[i]!.fraction[$0 - 1] >= 1 - costs[i]!.full[4] } ?? mMax + 1)
        }
        values.append(Scalar("retina.m_equiv_order5_cells_median", Stats.median(ownM), error: bootMedian(ownM), significantFigures: 2))
        values.append(Scalar("retina.m_equiv_order5_cells_q10", Stats.quantile(ownM, 0.1), significantFigures: 2, tolerance: .absolute(1)))
        values.append(Scalar("retina.m_equiv_order5_cells_q90", Stats.quantile(ownM, 0.9), significantFigures: 2, tolerance: .absolute(1)))
        values.append(Scalar("retina.fig2_example_neuron", Double(s0Example), significantFigures: Fmt.intFigures(Double(s0Example)), tolerance: .absolute(0)))
        let table = Table(id: "fig2-costs", caption: "Coding cost over the \(n) choices of σ0 (K = 8 best partners): median on all data, median on test sets (\(splits) random \(Int(trainFraction * 100))/\(100 - Int(trainFraction * 100)) splits of the repeats), fraction of cells within 10% of the optimum (C ≤ 0.1). Reference rows: the cross-validated 256-state lookup table (pseudo-count 1 towards the mean rate), and the expected held-out C when the data are drawn from the all-data lookup table itself, for the lookup table refitted on the simulated train set and for the true model (the floor set by the test set's own plug-in L_min)",
                          columns: ["order", "parameters", "median C (all data)", "median C (test)", "fraction C ≤ 0.1"], rows: rows)
        return AnalysisOutput(tables: [table], figures: [fig], values: values,
                              notes: ["retina.fig2: \(n) cells, \(splits) train/test splits, \(fiSplits) half-splits, \(restarts) IB restarts, ridge \(ridge), seed \(seed)"])
    }
}
