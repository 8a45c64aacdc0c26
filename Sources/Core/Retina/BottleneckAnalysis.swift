import Foundation
import AnalysisKit
import Numerics

/// The paper's method as a general analysis on any spike raster (issue 13 §3): for one target cell σ0 and its K most
/// informative partners {σj} (ranked by pairwise I(σ0;σj)), the information I(σ0;σ̃) that a compression σ̃ of the 2^K
/// partner states into M states keeps, by the iterative hard bottleneck of Eqs (4)–(7) and by the exact optimum (interval
/// dynamic programme, SMAWK), beside the available I(σ0;{σj}). Plug-in values on the given data, without error bars.
public enum GeneralBottleneck {
    /// One target's compression curve.
    public struct Curve: Sendable {
        /// The partners used, best first.
        public let partners: [Int]
        /// I(σ0; {σj}) in bits: what any compression can keep at most.
        public let available: Double
        public let states: [Int]
        /// I(σ0; σ̃) in bits for each M in `states`: iterative hard bottleneck (best of the restarts, warm-started from
        /// M − 1) and exact optimum.
        public let iterative: [Double], exact: [Double]
    }

    /// The curve of cell `target` of `raster` over its `partners` best partners for the M values `states` (ascending).
    public static func curve(raster: SpikeRaster, mi: [[Double]], target: Int, partners k: Int, states: [Int],
                             restarts: Int, seed: UInt64) -> Curve {
        let group = Array(PartnerRanking.ranked(mi, target: target).prefix(k))
        let counts = RepeatCounts(codes: raster.codes(group), size: 1 << group.count, target: raster.spikes[target],
                                  repeats: raster.repeats, bins: raster.bins)
        let joint = counts.joint()
        var rng = Xoshiro256(seed: seed)
        var previous: [Int]? = nil
        let iterative = states.map { m -> Double in
            let c = HardBottleneck.cluster(joint, states: m, restarts: restarts, rng: &rng, warmStart: previous)
            previous = c.assignment
            return c.information
        }
        let exact = HardBottleneck.exactCurve(joint, ms: states).map(\.information)
        return Curve(partners: group, available: joint.mutualInformation, states: states, iterative: iterative, exact: exact)
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
        guard !states.isEmpty, states.allSatisfy({ (1...65_536).contains($0) }), states == states.sorted(), Set(states).count == states.count else {
            throw ParameterError(key: "states", line: p.entries["states"]?.line, message: "a non-empty ascending list of distinct M in 1…65536")
        }
        let restarts = try p.int("restarts", default: 3, range: 1...1000)
        let seed = try p.int("seed", default: 1, range: 0...Int.max)
        let (raster, mi) = try RetinaData.load(ctx)
        try p.rejectUnused()
        guard raster.neurons > k else { throw RetinaError("partners: \(k) partners need at least \(k + 1) cells; the raster has \(raster.neurons)") }
        let s0 = try RetinaData.exampleNeuron(requested, raster: raster, mi: mi)
        let c = GeneralBottleneck.curve(raster: raster, mi: mi, target: s0, partners: k, states: states, restarts: restarts, seed: UInt64(seed))
        let ms = states.map(Double.init)
        let table = Table(id: "bottleneck", caption: "Cell \(s0), partners \(c.partners.map(String.init).joined(separator: ", ")): information kept by M compressed states (bits; plug-in on the given data, no error bars); available I(σ0;{σj}) = \(Fmt.f(c.available, 4)) bits",
                          columns: ["M", "iterative hard IB", "exact optimum", "exact / available"],
                          rows: states.indices.map { i in [String(states[i]), Fmt.f(c.iterative[i], 5), Fmt.f(c.exact[i], 5),
                                                           Fmt.f(c.available > 0 ? c.exact[i] / c.available : .nan, 3)] })
        let fig = Figure(id: "bottleneck", caption: "Information about cell \(s0) kept by M states of its \(c.partners.count) best partners: iterative hard bottleneck (Eqs 4–7, \(restarts) restarts) and exact optimum; the line is the available information.",
                         altText: "Information kept rising with M towards the available information, iterative at or below exact",
                         panels: [Panel(title: "", xLabel: "compressed states M", yLabel: "I(σ0; σ̃) (bits)",
                                        series: [Series(label: "exact optimum", style: .linesPoints, x: ms, y: c.exact),
                                                 Series(label: "iterative hard IB", style: .points, x: ms, y: c.iterative),
                                                 Series(label: "available I(σ0;{σj})", style: .lines, x: [ms.first!, ms.last!], y: [c.available, c.available])])],
                         panelWidth: 560, panelHeight: 320)
        var values = [Scalar("retina.bottleneck_neuron", Double(s0), significantFigures: Fmt.intFigures(Double(s0)), tolerance: .absolute(0)),
                      Scalar("retina.bottleneck_available_bits", c.available, significantFigures: 4, tolerance: .relative(1e-6))]
        for (i, m) in states.enumerated() {
            values.append(Scalar("retina.bottleneck_exact_m\(m)", c.exact[i], significantFigures: 4, tolerance: .relative(1e-6)))
            values.append(Scalar("retina.bottleneck_iterative_m\(m)", c.iterative[i], significantFigures: 4, tolerance: .relative(1e-6)))
        }
        return AnalysisOutput(tables: [table], figures: [fig], values: values,
                              notes: ["retina.bottleneck: cell \(s0), \(c.partners.count) partners, M = \(states.first!)…\(states.last!), \(restarts) restarts, seed \(seed)"])
    }
}
