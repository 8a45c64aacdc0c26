import Foundation
import Numerics
import AnalysisKit

/// Order and cohesion of one simulated group: mean polarisation |Σ v_i|/(n s₀) and mean pairwise minimum-image distance
/// (periodic box), both averaged over the recorded samples.
public struct GroupOrder: Sendable {
    public let polarisation: Double, meanDistance: Double
    public init(_ t: FlockTrajectory, parameters q: FlockingParameters) {
        let n = t.agents, L = q.boxSize
        var pol = 0.0, dist = 0.0
        for s in 0..<t.samples {
            var sx = 0.0, sy = 0.0, ds = 0.0
            for i in 0..<n {
                let k = s * n + i
                sx += t.vx[k]; sy += t.vy[k]
                for j in (i + 1)..<max(i + 1, n) {
                    var dx = t.x[s * n + j] - t.x[k], dy = t.y[s * n + j] - t.y[k]
                    dx -= L * (dx / L).rounded(); dy -= L * (dy / L).rounded()
                    ds += (dx * dx + dy * dy).squareRoot()
                }
            }
            pol += (sx * sx + sy * sy).squareRoot() / (Double(n) * q.speed)
            dist += n > 1 ? ds / Double(n * (n - 1) / 2) : 0
        }
        polarisation = pol / Double(t.samples); meanDistance = dist / Double(t.samples)
    }
}

/// collective.cohesion: polarisation, cohesion and r(G) per group size over a range of noise levels, with the social
/// forces averaged over the n − 1 others (the report's model) or summed; for the three groups 5/10/20 the weighting
/// term and r̄_true − r(S), whose sign decides whether the true three-group partition can beat the whole system.
enum CohesionAnalysis {
    static let descriptor = AnalysisDescriptor(name: "collective.cohesion",
        summary: "Noise scan: polarisation, cohesion and r per group size (5, 10, 20) with averaged or summed social forces, and the three-group weighting term and true-partition-minus-whole-system, over independent replicate runs") { ctx in
        let p = ctx.parameters
        var base = FlockingParameters()
        base.duration = 2000
        var q = try Shared.flocking(p, base: base, forces: false)
        let noises = try p.doubles("noises", default: [0.2, 0.5, 1, 2])
        let reference = try p.int("force_reference", default: 10, range: 2...1000)
        let reps = try p.int("replicates", default: 5, range: 4...100)
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        try p.rejectUnused()
        for eta in noises where !(0...5).contains(eta) {
            throw ParameterError(key: "noises", line: p.entries["noises"]?.line, message: "each noise must be in 0...5, got \(eta)")
        }
        let groups = [5, 10, 20]
        // the runs of one noise level and force rule are held at once
        try Shared.requireFlockMemory(p, q, runs: reps, agents: groups.reduce(0, +), keys: ["replicates"])
        let modes: [(key: String, label: String, reference: Int)] = [("averaged", "averaged over n − 1", 0), ("summed", "summed, ÷ \(reference - 1)", reference)]
        var out = AnalysisOutput()
        var rows: [[String]] = [], grows: [[String]] = []
        var polSeries: [Series] = [], rSeries: [Series] = [], gapSeries: [Series] = []
        let pm: ((mean: Double, error: Double)) -> String = { String(format: "%.4f ± %.4f", $0.mean, $0.error) }
        for (f, mode) in modes.enumerated() {
            q.summedForcesReference = mode.reference
            var pol = [[Double]](repeating: [], count: groups.count), rr = pol, gapMean: [Double] = [], gapErr: [Double] = []
            for (a, eta) in noises.enumerated() {
                q.noise = eta
                let jobs = (0..<reps).map { k in (groups, seed * 1_000_000 + 500_000 + UInt64(f) * 100_000 + UInt64(a) * 1000 + UInt64(k)) }
                let sims = FlockingSimulation.dataMatrices(systems: jobs, parameters: q, positions: false)
                let etaKey = String(format: "%g", eta).replacingOccurrences(of: ".", with: "p")
                let name = "collective.cohesion_\(mode.key)_eta\(etaKey)_"
                var gaps: [PartitionGap] = []
                var perGroup = [[(GroupOrder, Double)]](repeating: [], count: groups.count)
                for sim in sims {
                    let model = try GaussianRedundancy(samples: sim.data, elementDimension: 2)
                    gaps.append(PartitionGap(model: model, groups: groups))
                    var start = 0
                    for (g, sz) in groups.enumerated() {
                        perGroup[g].append((GroupOrder(sim.trajectories[g], parameters: q), model.relativeRedundancy(Array(start..<(start + sz)))))
                        start += sz
                    }
                }
                var rText: [String] = []
                for (g, sz) in groups.enumerated() {
                    let po = ReplicateMean.unitPull(perGroup[g].map(\.0.polarisation))
                    let di = ReplicateMean.unitPull(perGroup[g].map(\.0.meanDistance))
                    let r = ReplicateMean.unitPull(perGroup[g].map(\.1))
                    out.values.append(Scalar(name + "pol_\(sz)", po.mean, error: po.error, significantFigures: 3, tolerance: .absolute(3 * po.error + 1e-4)))
                    out.values.append(Scalar(name + "dist_\(sz)", di.mean, error: di.error, significantFigures: 3, tolerance: .absolute(3 * di.error + 1e-3)))
                    out.values.append(Scalar(name + "r_\(sz)", r.mean, error: r.error, significantFigures: 3, tolerance: .absolute(3 * r.error + 1e-4)))
                    rows.append([mode.label, "\(eta)", "\(sz)", pm(po), pm(di), pm(r)])
                    pol[g].append(po.mean); rr[g].append(r.mean)
                    rText.append(String(format: "%.3f", r.mean))
                }
                let w = ReplicateMean.unitPull(gaps.map(\.weighting)), b = ReplicateMean.unitPull(gaps.map(\.between)), d = ReplicateMean.unitPull(gaps.map(\.difference))
                out.values.append(Scalar(name + "weighting", w.mean, error: w.error, significantFigures: 2, tolerance: .absolute(3 * w.error + 1e-4)))
                out.values.append(Scalar(name + "between", b.mean, error: b.error, significantFigures: 2, tolerance: .absolute(3 * b.error + 1e-4)))
                out.values.append(Scalar(name + "diff", d.mean, error: d.error, significantFigures: 2, tolerance: .absolute(3 * d.error + 1e-4)))
                let order = groups.indices.sorted { rr[$0][a] > rr[$1][a] }.map { "\(groups[$0])" }.joined(separator: " > ")
                grows.append([mode.label, "\(eta)", rText.joined(separator: " / "), order, pm(w), pm(b), pm(d), d.mean - 2 * d.error > 0 ? "yes" : "no"])
                gapMean.append(d.mean); gapErr.append(d.error)
            }
            for (g, sz) in groups.enumerated() {
                polSeries.append(Series(label: "n = \(sz), \(mode.key)", x: noises, y: pol[g]))
                rSeries.append(Series(label: "n = \(sz), \(mode.key)", x: noises, y: rr[g]))
            }
            gapSeries.append(Series(label: mode.key, style: .errorLines, x: noises, y: gapMean, yError: gapErr))
        }
        out.tables.append(Table(id: "cohesion", caption: "\(reps) independent runs per noise level and force rule (\(Int(q.duration)) time units after the transient, \(Int(q.duration / q.sampleInterval)) samples); mean ± error over runs of the polarisation |Σv|/(n s₀), the mean pairwise distance (minimum image, L = \(q.boxSize)) and r(G) of each group.",
                                columns: ["social forces", "η", "group size", "polarisation", "mean distance", "r(G)"], rows: rows))
        out.tables.append(Table(id: "cohesion-three", caption: "Three groups 5/10/20 (the same runs): r(G) per size, their order, the weighting term (1/3)Σr(G_g) − Σw_g r(G_g), the between-group term B and r̄_true − r(S) = weighting − B (mean ± error over runs). The true partition beats the whole system, so a peak at m = 3 becomes possible, only where r̄_true − r(S) > 0.",
                                columns: ["social forces", "η", "r(5) / r(10) / r(20)", "order of r", "weighting", "between B", "r̄_true − r(S)", "> 0 by 2σ"], rows: grows))
        out.figures.append(Figure(id: "cohesion", caption: "Noise scan with social forces averaged over the n − 1 others and summed (÷ \(reference - 1)): polarisation and r(G) per group size, and r̄_true − r(S) for the three groups 5/10/20 (error bars: error of the mean over \(reps) runs).",
                                  altText: "Polarisation, relative redundancy and the three-group difference against noise for averaged and summed social forces.",
                                  panels: [Panel(title: "polarisation", xLabel: "noise η", yLabel: "polarisation", logX: true, series: polSeries),
                                           Panel(title: "r(G) of one group", xLabel: "noise η", yLabel: "r(G)", logX: true, series: rSeries),
                                           Panel(title: "three groups: r̄_true − r(S)", xLabel: "noise η", yLabel: "r̄_true − r(S)", logX: true, series: gapSeries)],
                                  columns: 3, panelWidth: 420, panelHeight: 340))
        out.notes.append("noises \(noises), \(reps) runs each, summed forces ÷ \(reference - 1), seed \(seed)")
        return out
    }
}
