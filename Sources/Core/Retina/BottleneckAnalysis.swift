import Foundation
import AnalysisKit
import Numerics

/// The paper's method as a general analysis on any spike raster (issue 13 §3): for one target cell σ0 and its K most
/// informative partners {σj} (ranked by pairwise I(σ0;σj)), the information I(σ0;σ̃) that a compression σ̃ of the 2^K
/// partner states into M states keeps, by the iterative hard bottleneck of Eqs (4)–(7) and by the exact optimum (interval
/// dynamic programme, SMAWK), beside the available I(σ0;{σj}); and the coding cost C (Eq 9) of the series expansion of
/// Eq (2) truncated at each order. Both are thin callers of the paper analyses' own methods (`CompressionSweep.run`,
/// `CodingCostSweep.run`), so the errors are theirs: random halves of the repeats for I(σ0;{σj}) (χ² excess removed,
/// `BiasCorrection.halvesErrorOfInformation`) and for the fraction FI = I(σ0;σ̃)/I(σ0;{σj}) (each half refitted), and
/// the s.d. of the held-out C over random train/test splits.
public enum GeneralBottleneck {
    /// One target's compression curve and coding costs.
    public struct Curve: Sendable {
        /// The partners used, best first.
        public let partners: [Int]
        /// I(σ0; {σj}) in bits (plug-in, all data): what any compression can keep at most; and its standard error.
        public let available: Double, availableError: Double
        public let states: [Int]
        /// I(σ0; σ̃) in bits on all data for each M in `states`: the iterative hard bottleneck (best of the restarts,
        /// warm-started from M − 1, as the running best over M, so non-decreasing) and the exact optimum.
        public let iterative: [Double], exact: [Double]
        /// FI(M) = I(σ0;σ̃)/I(σ0;{σj}) with its random-halves standard error, for each optimiser.
        public let iterativeFraction: [Double], iterativeFractionError: [Double]
        public let exactFraction: [Double], exactFractionError: [Double]
        /// The series orders whose coding cost was computed, with their parameter counts.
        public let orders: [Int], parameters: [Int]
        /// Coding cost C (Eq 9) per order: fitted and evaluated on all data; held-out mean and s.d. over the splits.
        public let codingCost: [Double], codingCostTest: [Double], codingCostTestSD: [Double]
        /// Held-out C of the full 2^K lookup table and its expected finite-sample floor (`CodingCostSweep.expectedFloor`).
        public let lookupTest: Double, lookupFloor: Double
    }

    /// The curve of cell `target` of `raster` over its `partners` best partners for the M values `states` (ascending,
    /// each ≤ 255), with `splits` random half-splits for the FI errors and `costSplits` train/test splits (fit on
    /// `trainFraction` of the repeats) for the coding costs of the series `orders` (each ≤ K + 1: order o holds the
    /// interactions of σ0 with up to o − 1 partners, so order 1 is the independent code, C = 1; ridge penalty `ridge`).
    public static func curve(raster: SpikeRaster, mi: [[Double]], target: Int, partners k: Int, states: [Int],
                             restarts: Int, splits: Int, orders: [Int], costSplits: Int, trainFraction: Double,
                             ridge: Double, seed: UInt64) throws -> Curve {
        let group = Array(PartnerRanking.ranked(mi, target: target).prefix(k))
        let counts = RepeatCounts(codes: raster.codes(group), size: 1 << group.count, target: raster.spikes[target],
                                  repeats: raster.repeats, bins: raster.bins)
        let root = Xoshiro256(seed: seed)
        var ibRNG = root.child(1), exactRNG = root.child(2), costRNG = root.child(3)
        let ib = CompressionSweep.run(counts: counts, settings: SweepSettings(mGrid: states, restarts: restarts, splits: splits),
                                      rng: &ibRNG)
        let ex = CompressionSweep.run(counts: counts, settings: SweepSettings(mGrid: states, restarts: restarts, splits: splits,
                                                                            exact: true), rng: &exactRNG)
        let cost = try CodingCostSweep.run(counts, partners: group.count, orders: orders, splits: costSplits,
                                           trainFraction: trainFraction, ridge: ridge, rng: &costRNG)
        return Curve(partners: group, available: ib.available, availableError: ib.availableError, states: states,
                     iterative: ib.captured, exact: ex.captured,
                     iterativeFraction: ib.fraction, iterativeFractionError: ib.fractionError,
                     exactFraction: ex.fraction, exactFractionError: ex.fractionError,
                     orders: orders, parameters: cost.parameters, codingCost: cost.full, codingCostTest: cost.testMean,
                     codingCostTestSD: cost.testSD, lookupTest: cost.lookupTestMean, lookupFloor: cost.floorLookup)
    }
}

/// `retina.bottleneck`: `GeneralBottleneck.curve` on the raster given by `data:`, as a table, a figure and values.
enum BottleneckAnalysis {
    static let descriptor = AnalysisDescriptor(
        name: "retina.bottleneck",
        summary: "General method on any raster: I(σ0;σ̃) kept by M compressed states of a cell's K best partners, iterative hard IB and exact optimum",
        datasets: [RetinaData.datasetID]) { ctx in try run(ctx) }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let requested = try p.int("neuron", default: -1, range: -1...100_000)
        let k = try p.int("partners", default: 8, range: 1...16)
        let states = try p.ints("states", default: Array(1...16))
        guard !states.isEmpty, states.allSatisfy({ (1...255).contains($0) }), states == states.sorted(), Set(states).count == states.count else {
            throw ParameterError(key: "states", line: p.entries["states"]?.line, message: "a non-empty ascending list of distinct M in 1…255")
        }
        let restarts = try p.int("restarts", default: 3, range: 1...1000)
        let splits = try p.int("splits", default: 10, range: 1...1000)
        let orders = try p.ints("orders", default: Array(1...min(5, k + 1)))
        guard !orders.isEmpty, orders.allSatisfy({ (1...(k + 1)).contains($0) }), orders == orders.sorted(), Set(orders).count == orders.count else {
            throw ParameterError(key: "orders", line: p.entries["orders"]?.line, message: "a non-empty ascending list of distinct series orders in 1…\(k + 1) (order o holds the interactions of σ0 with up to o − 1 partners)")
        }
        let costSplits = try p.int("cost_splits", default: 5, range: 2...1000)
        let trainFraction = try p.double("train_fraction", default: 0.6, range: 0.1...0.9)
        let ridge = try p.double("ridge", default: 1.0, range: 0...1e6)
        let seed = try p.int("seed", default: 1, range: 0...Int.max)
        let (raster, mi) = try RetinaData.load(ctx)
        try p.rejectUnused()
        guard raster.neurons > k else { throw RetinaError("partners: \(k) partners need at least \(k + 1) cells; the raster has \(raster.neurons)") }
        guard raster.repeats >= 4 else { throw RetinaError("retina.bottleneck needs at least 4 repeats for its random halves and train/test splits; the raster has \(raster.repeats)") }
        let s0 = try RetinaData.exampleNeuron(requested, raster: raster, mi: mi)
        let c = try GeneralBottleneck.curve(raster: raster, mi: mi, target: s0, partners: k, states: states, restarts: restarts,
                                            splits: splits, orders: orders, costSplits: costSplits, trainFraction: trainFraction,
                                            ridge: ridge, seed: UInt64(seed))
        let ms = states.map(Double.init)
        func pm(_ x: Double, _ e: Double, _ d: Int) -> String { e.isFinite ? "\(Fmt.f(x, d)) ± \(Fmt.f(e, d))" : Fmt.f(x, d) }
        let table = Table(id: "bottleneck", caption: "Cell \(s0), partners \(c.partners.map(String.init).joined(separator: ", ")): information kept by M compressed states (bits, plug-in on all data) and the fraction FI = I(σ0;σ̃)/I(σ0;{σj}) with its random-halves standard error (\(splits) splits of the \(raster.repeats) repeats, each half refitted); available I(σ0;{σj}) = \(pm(c.available, c.availableError, 4)) bits",
                          columns: ["M", "iterative hard IB (bits)", "exact optimum (bits)", "FI, iterative", "FI, exact"],
                          rows: states.indices.map { i in [String(states[i]), Fmt.f(c.iterative[i], 5), Fmt.f(c.exact[i], 5),
                                                           pm(c.iterativeFraction[i], c.iterativeFractionError[i], 3),
                                                           pm(c.exactFraction[i], c.exactFractionError[i], 3)] })
        let costTable = Table(id: "bottleneck_cost", caption: "Cell \(s0): coding cost C (Eq 9) of the series expansion of Eq (2) truncated at each order, on all data and held out (mean ± s.d. over \(costSplits) random \(Int((trainFraction * 100).rounded()))/\(100 - Int((trainFraction * 100).rounded())) train/test splits of the repeats, ridge \(ridge)); the last row is the full 2^K lookup table and its expected finite-sample floor",
                              columns: ["order", "parameters", "C, all data", "C, held out"],
                              rows: c.orders.indices.map { i in [String(c.orders[i]), String(c.parameters[i]), Fmt.f(c.codingCost[i], 4),
                                                                 pm(c.codingCostTest[i], c.codingCostTestSD[i], 4)] }
                                + [["lookup table", String(1 << c.partners.count), "–", "\(Fmt.f(c.lookupTest, 4)) (floor \(Fmt.f(c.lookupFloor, 4)))"]])
        let fig = Figure(id: "bottleneck", caption: "Fraction of the information about cell \(s0) kept by M states of its \(c.partners.count) best partners: exact optimum (error bars: random halves of the repeats, \(splits) splits) and iterative hard bottleneck (Eqs 4–7, \(restarts) restarts, running best over M); FI = 1 is the available information.",
                         altText: "Fraction of information rising with M towards one, iterative at or below exact",
                         panels: [Panel(title: "", xLabel: "compressed states M", yLabel: "FI = I(σ0; σ̃) / I(σ0; {σj})",
                                        series: [Series(label: "exact optimum (± random halves)", style: .errorBars, x: ms, y: c.exactFraction, yError: c.exactFractionError),
                                                 Series(label: "iterative hard IB", style: .points, x: ms, y: c.iterativeFraction),
                                                 Series(label: "available information", style: .lines, x: [ms.first!, ms.last!], y: [1, 1])])],
                         panelWidth: 560, panelHeight: 320)
        var values = [Scalar("retina.bottleneck_neuron", Double(s0), significantFigures: Fmt.intFigures(Double(s0)), tolerance: .absolute(0)),
                      Scalar("retina.bottleneck_available_bits", c.available, error: c.availableError, significantFigures: 4, unit: "bits",
                             tolerance: .relative(1e-6))]
        for (i, m) in states.enumerated() {
            values.append(Scalar("retina.bottleneck_exact_m\(m)", c.exact[i], significantFigures: 4, unit: "bits", tolerance: .relative(1e-6)))
            values.append(Scalar("retina.bottleneck_iterative_m\(m)", c.iterative[i], significantFigures: 4, unit: "bits", tolerance: .relative(1e-6)))
            values.append(Scalar("retina.bottleneck_fi_exact_m\(m)", c.exactFraction[i], error: c.exactFractionError[i], significantFigures: 3,
                                 tolerance: .relative(1e-6)))
        }
        for (i, o) in c.orders.enumerated() {
            values.append(Scalar("retina.bottleneck_cost_order\(o)", c.codingCost[i], significantFigures: 3, tolerance: .relative(1e-6)))
            values.append(Scalar("retina.bottleneck_cost_test_order\(o)", c.codingCostTest[i], error: c.codingCostTestSD[i], significantFigures: 3,
                                 tolerance: .relative(1e-6)))
        }
        return AnalysisOutput(tables: [table, costTable], figures: [fig], values: values,
                              notes: ["retina.bottleneck: cell \(s0), \(c.partners.count) partners, M = \(states.first!)…\(states.last!), \(restarts) restarts, \(splits) half-splits, orders \(orders.map(String.init).joined(separator: ",")), seed \(seed)"])
    }
}
