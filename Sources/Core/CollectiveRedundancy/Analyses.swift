import Foundation
import Numerics
import AnalysisKit

/// Shared parameter reading and dataset simulation for the collective.* analyses.
enum Shared {
    /// The flocking parameters of a directive, starting from `base`; `forces: false` leaves the force rule to the
    /// caller (no `social_forces` / `force_reference` parameters).
    /// Upper bound on duration / sample_interval: 10⁵ samples keep a 35-agent run with positions in 112 MB.
    static let maxRecordedSamples = 100_000

    static func flocking(_ p: Parameters, base: FlockingParameters = FlockingParameters(), forces: Bool = true) throws -> FlockingParameters {
        var q = base
        q.noise = try p.double("noise", default: q.noise, range: 0...5)
        q.duration = try p.double("duration", default: q.duration, range: 100...1e6)
        q.sampleInterval = try p.double("sample_interval", default: q.sampleInterval, range: 0.1...1000)
        // Each is in range on its own, but their ratio sets the recorded samples per run and so the memory of every data
        // matrix (samples × agents × 2–4 doubles, for every run and replicate): bound it before anything is allocated.
        let recorded = q.duration / q.sampleInterval
        guard recorded <= Double(maxRecordedSamples) else {
            throw ParameterError(key: p.entries["sample_interval"] != nil ? "sample_interval" : "duration",
                                 line: p.entries["sample_interval"]?.line ?? p.entries["duration"]?.line,
                                 message: "duration / sample_interval = \(Int(recorded)) recorded samples per run; at most \(maxRecordedSamples) (each run keeps samples × agents × up to 4 doubles in memory, for every replicate)")
        }
        q.muAlignment = try p.double("mu_alignment", default: q.muAlignment, range: 0...100)
        q.rangeAlignment = try p.double("range_alignment", default: q.rangeAlignment, range: 0...1000)
        q.muAttraction = try p.double("mu_attraction", default: q.muAttraction, range: 0...100)
        if !forces { return q }
        let forces = try p.string("social_forces", default: "averaged")
        let reference = try p.int("force_reference", default: 10, range: 2...1000)
        switch forces {
        case "averaged":
            if p.entries["force_reference"] != nil {
                throw ParameterError(key: "force_reference", line: p.entries["force_reference"]?.line, message: "only used with social_forces: summed")
            }
        case "summed": q.summedForcesReference = reference
        default: throw ParameterError(key: "social_forces", line: p.entries["social_forces"]?.line, message: "expected averaged or summed, got '\(forces)'")
        }
        return q
    }
    /// Bytes per agent and recorded sample of a simulated run while its data are analysed: positions and velocities
    /// of the trajectory (4 doubles) and the velocity data matrix (2 doubles).
    static let bytesPerAgentSample = 48.0
    /// Checks the memory of `runs` simulated runs of `agents` agents each (×`copies` data copies, e.g. concatenation)
    /// against the budget before any simulation (issue 14 §4).
    static func requireFlockMemory(_ p: Parameters, _ q: FlockingParameters, runs: Int, agents: Int, copies: Double = 1, keys: [String]) throws {
        let samples = (q.duration / q.sampleInterval).rounded(.up)
        let bytes = Double(runs) * Double(agents) * samples * bytesPerAgentSample * copies
        try p.requireMemory(bytes, for: "\(runs) runs of \(agents) agents × \(Int(samples)) samples", keys: keys + ["duration", "sample_interval"])
    }
    static func elementDimension(_ p: Parameters) throws -> Bool {
        let e = try p.string("elements", default: "velocity")
        switch e {
        case "velocity": return false
        case "position+velocity": return true
        default: throw ParameterError(key: "elements", line: p.entries["elements"]?.line, message: "expected velocity or position+velocity, got '\(e)'")
        }
    }
    /// `normalisation`: `copula` (H_i the Gaussian-copula entropy, this report's reading of the seed) or `authors`
    /// (raw-data Gaussian entropies plus the system-wide offset of crtwomey/sscs).
    static func authorsNormalisation(_ p: Parameters) throws -> Bool {
        let v = try p.string("normalisation", default: "copula")
        switch v {
        case "copula": return false
        case "authors": return true
        default: throw ParameterError(key: "normalisation", line: p.entries["normalisation"]?.line, message: "expected copula or authors, got '\(v)'")
        }
    }
    /// The redundancy model of a data matrix under the chosen normalisation (and the authors' offset q, 0 otherwise).
    static func redundancy(_ data: Matrix<Double>, elementDimension d: Int, authors: Bool) throws -> (GaussianRedundancy, Double) {
        let g = try GaussianRedundancy(samples: data, elementDimension: d)
        if !authors { return (g, 0) }
        let a = try g.normalisedLikeAuthors(raw: data)
        return (a.model, a.offset)
    }
    static func model(groups: [Int], q: FlockingParameters, positions: Bool, seed: UInt64) throws -> (GaussianRedundancy, [FlockTrajectory]) {
        let (data, trajs) = SimulationMemo.shared.runs([(groups, seed)], parameters: q, positions: positions)[0]
        return (try GaussianRedundancy(samples: data, elementDimension: positions ? 4 : 2), trajs)
    }
    /// The fish recordings of `collective.fig5` and `collective.fish_null`, each opened through `ctx.dataFile` so its
    /// sha256 enters the cache key. Without `data:` they are the paper module's three manifest files (value keys n8,
    /// n15, n100); with `data:` (a path relative to the report or a manifest id of a (frames, animals, 2) .npy array
    /// of positions, NaN where untracked) it is that one file, its values named by `tag:` (default `data`). Call it
    /// after every other parameter is read and before `rejectUnused()`.
    static func fishRecordings(_ ctx: AnalysisContext) throws -> [(key: String, spec: String, url: URL)] {
        let p = ctx.parameters
        let given = p.raw("data")
        let tag = try p.string("tag", default: "data")
        guard let given else {
            if p.entries["tag"] != nil {
                throw ParameterError(key: "tag", line: p.entries["tag"]?.line, message: "tag names the values of a data: file; set data: too")
            }
            return try Fig5Analysis.files.enumerated().map { (k, id) in (Fig5Analysis.keys[k], id, try ctx.dataFile("data", default: id)) }
        }
        try checkValueTag(tag, p, key: "tag")
        return [(tag, given.trimmingCharacters(in: .whitespaces), try ctx.dataFile("data", default: ""))]
    }
    /// A parameter that names an analysis's values (part of every value key): lower-case ASCII letters, digits and _.
    static func valueTag(_ p: Parameters, key: String, default d: String) throws -> String {
        let tag = try p.string(key, default: d)
        try checkValueTag(tag, p, key: key)
        return tag
    }
    static func checkValueTag(_ tag: String, _ p: Parameters, key: String) throws {
        guard !tag.isEmpty, tag.unicodeScalars.allSatisfy({ CharacterSet.lowercaseLetters.contains($0) || CharacterSet.decimalDigits.contains($0) || $0 == "_" }),
              tag.unicodeScalars.allSatisfy(\.isASCII) else {
            throw ParameterError(key: key, line: p.entries[key]?.line, message: "expected lower-case letters, digits and _, got '\(tag)'")
        }
    }
    static func fmt(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }
    static func curveSeries(_ label: String, _ c: ComponentCurve) -> Series {
        Series(label: label, style: .linesPoints, x: c.components.map(Double.init), y: c.best)
    }
}

/// collective.model: the simulation parameters and the group order (polarisation) they produce.
enum ModelAnalysis {
    static let descriptor = AnalysisDescriptor(name: "collective.model",
        summary: "Romanczuk social-force model: parameter table and polarisation at both noise levels") { ctx in
        let p = ctx.parameters
        let seed = UInt64(try p.int("seed", default: 1, range: 0...Int(Int32.max)))
        let noises = try p.doubles("noises", default: [0.2, 0.15])
        var q = try Shared.flocking(p)
        let sizes = try p.ints("sizes", default: [5, 10, 20])
        let reps = try p.int("replicates", default: 8, range: 5...50)
        try p.rejectUnused()
        for n in sizes where !(2...200).contains(n) {
            throw ParameterError(key: "sizes", line: p.entries["sizes"]?.line, message: "each group size must be in 2...200, got \(n)")
        }
        // the same range as `noise`; distinct entries, since each level and size names its own value and generator
        // child(a · 100 + b), which also bounds the list lengths
        for eta in noises where !(0...5).contains(eta) {
            throw ParameterError(key: "noises", line: p.entries["noises"]?.line, message: "each noise must be in 0...5, got \(eta)")
        }
        for (key, count, distinct) in [("noises", noises.count, Set(noises).count), ("sizes", sizes.count, Set(sizes).count)] {
            guard count <= 20 else {
                throw ParameterError(key: key, line: p.entries[key]?.line, message: "at most 20 entries, got \(count)")
            }
            guard distinct == count else {
                throw ParameterError(key: key, line: p.entries[key]?.line, message: "entries must be distinct (each names its own values)")
            }
        }
        var out = AnalysisOutput()
        out.tables.append(Table(id: "params", caption: "Simulation parameters (chosen for this replication; the paper's Table 1 is not in the seed text)",
                                columns: ["quantity", "symbol", "value"], rows: q.tableRows.map { r in r[0] == "noise intensity" ? [r[0], r[1], noises.map { "\($0)" }.joined(separator: " / ")] : r }))
        var rows: [[String]] = []
        // the table's own runs, every noise level and size in one parallel loop (largest groups first), each with the
        // generator child(a · 100 + b) of its noise level a and size b, as one by one
        let ownJobs = (0..<(noises.count * sizes.count)).map { ($0 / sizes.count, $0 % sizes.count) }
            .sorted { sizes[$0.1] > sizes[$1.1] || (sizes[$0.1] == sizes[$1.1] && ($0.0, $0.1) < ($1.0, $1.1)) }
        let ownRuns = Parallel.map(ownJobs.count) { k -> FlockTrajectory in
            let (a, b) = ownJobs[k]
            var qa = q
            qa.noise = noises[a]
            var rng = Xoshiro256(seed: seed).child(a * 100 + b)
            return FlockingSimulation.simulate(agents: sizes[b], parameters: qa, rng: &rng)
        }
        var own: [[Int]: FlockTrajectory] = [:]
        for (k, job) in ownJobs.enumerated() { own[[job.0, job.1]] = ownRuns[k] }
        for (a, eta) in noises.enumerated() {
            q.noise = eta
            // errors of one run: replicates of single groups (the Fig. 3 single systems 5, 10, 20; others after them)
            let index = sizes.enumerated().map { b, n in [5: 0, 10: 1, 20: 2][n] ?? 7 + min(b, 2) }
            let others = ReplicateRuns.data(systems: zip(index, sizes).map { ($0, [$1]) }, replicates: reps, seed: seed, parameters: q)
            for (b, n) in sizes.enumerated() {
                let t = own[[a, b]]!
                var pol = 0.0
                for s in 0..<t.samples {
                    var sx = 0.0, sy = 0.0
                    for i in 0..<n { sx += t.vx[s * n + i]; sy += t.vy[s * n + i] }
                    pol += (sx * sx + sy * sy).squareRoot() / (Double(n) * q.speed)
                }
                pol /= Double(t.samples)
                let polErr = ReplicateMean.singleRunError(others: others.map { Shared.polarisation($0[b], speed: q.speed) })
                rows.append(["\(eta)", "\(n)", "\(t.samples)", String(format: "%.4f ± %.4f", pol, polErr)])
                let tag = eta == 0.2 ? "high" : eta == 0.15 ? "low" : "eta\(a)"
                out.values.append(Scalar("collective.polarisation_\(tag)_n\(n)", pol, error: polErr, significantFigures: 3))
            }
        }
        out.tables.append(Table(id: "polarisation", caption: "Mean polarisation |Σ vᵢ|/(n s₀) after the transient, ± the error of one run (spread over \(reps - 1) further independent runs, t-corrected)",
                                columns: ["η", "n", "samples", "polarisation"], rows: rows))
        out.notes.append("seed \(seed); Euler–Maruyama with Δt = \(q.dt)")
        return out
    }
}
