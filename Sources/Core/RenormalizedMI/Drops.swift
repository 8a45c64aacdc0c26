import AnalysisKit
import Foundation
import Numerics

/// The "drops" of Fig. 2c–d: N particles thermalised with a generalised Lennard-Jones pair potential
/// V(r) = ε[(σ/r)^{2k} − 2(σ/r)^k] (minimum −ε at r = σ, k = 6) inside an elliptical hard wall of fixed area πR², with
/// semi-axes R + δr and R²/(R + δr) and orientation φ ~ U[0, π); δr ~ U[0, √3 s], so s = √⟨δr²⟩ is the deformation
/// spread of the paper's Fig. 2d. The shape law, N = 60 and σ = 1.1 × the hexagonal packing distance
/// R√(2π/(√3N)) follow the authors' `rmi/examples/lennardjones.py` and `scripts/run_lennard.py` (lsarra/rmi).
///
/// Each sample: a configuration from a Metropolis chain in the circle of radius R (decorrelated by `sweepsBetween`
/// sweeps), mapped affinely onto the sample's ellipse (area-preserving), then `sweepsInEllipse` Metropolis sweeps inside
/// the ellipse at temperature T. (The authors instead relax randomly placed particles under a soft wall; T and the
/// schedule are our choices.)
public struct DropSimulation: Sendable {
    public var particles = 60 { didSet { sigma = Self.packingSigma(particles, radius) } }
    public var radius = 1.0
    public var sigma = DropSimulation.packingSigma(60, 1), epsilon = 1.0, exponent = 6.0, temperature = 0.5

    /// 1.1 × the hexagonal packing distance R√(2π/(√3N)) (the authors' choice of the equilibrium distance).
    public static func packingSigma(_ n: Int, _ r: Double) -> Double { 1.1 * r * (2 * Double.pi / (3.0.squareRoot() * Double(n))).squareRoot() }
    public var step = 0.05
    public var sweepsBetween = 2, sweepsInEllipse = 10, burnIn = 300

    public init() {}

    func energy(of i: Int, at p: (Double, Double), _ x: [Double]) -> Double {
        var e = 0.0
        for j in 0..<particles where j != i {
            let dx = p.0 - x[2 * j], dy = p.1 - x[2 * j + 1]
            let s2 = sigma * sigma / max(dx * dx + dy * dy, 1e-12)
            let sk = pow(s2, exponent / 2)
            e += epsilon * (sk * sk - 2 * sk)
        }
        return e
    }

    /// One Metropolis sweep inside the ellipse (semi-axes a, b, rotated by φ); returns accepted moves.
    @discardableResult
    func sweep(_ x: inout [Double], a: Double, b: Double, angle: Double, rng: inout Xoshiro256) -> Int {
        let c = cos(angle), s = sin(angle)
        var accepted = 0
        for i in 0..<particles {
            let p = (x[2 * i] + step * (2 * rng.uniform() - 1), x[2 * i + 1] + step * (2 * rng.uniform() - 1))
            let u = c * p.0 + s * p.1, v = -s * p.0 + c * p.1
            guard (u * u) / (a * a) + (v * v) / (b * b) < 1 else { continue }
            let d = energy(of: i, at: p, x) - energy(of: i, at: (x[2 * i], x[2 * i + 1]), x)
            if d <= 0 || rng.uniform() < exp(-d / temperature) { x[2 * i] = p.0; x[2 * i + 1] = p.1; accepted += 1 }
        }
        return accepted
    }

    /// `count` samples (rows of 2N coordinates x₁, y₁, x₂, y₂, …) at deformation spread `spread`.
    public func samples(_ count: Int, spread: Double, rng: inout Xoshiro256) -> [[Double]] {
        // Random sequential placement in the circle (no two closer than dmin, relaxed if the disk fills up), then burn in.
        var x = [Double]()
        var dmin = 0.7 * sigma, attempts = 0
        while x.count < 2 * particles {
            let r = 0.95 * radius * rng.uniform().squareRoot(), t = 2 * Double.pi * rng.uniform()
            let p = (r * cos(t), r * sin(t))
            let free = stride(from: 0, to: x.count, by: 2).allSatisfy { j in
                let dx = x[j] - p.0, dy = x[j + 1] - p.1; return dx * dx + dy * dy >= dmin * dmin }
            if free { x += [p.0, p.1]; attempts = 0 } else { attempts += 1; if attempts > 1000 { dmin *= 0.9; attempts = 0 } }
        }
        for _ in 0..<burnIn { sweep(&x, a: radius, b: radius, angle: 0, rng: &rng) }
        var out = [[Double]]()
        out.reserveCapacity(count)
        for _ in 0..<count {
            for _ in 0..<sweepsBetween { sweep(&x, a: radius, b: radius, angle: 0, rng: &rng) }
            let dr = 3.0.squareRoot() * spread * rng.uniform(), phi = Double.pi * rng.uniform()
            let l1 = (radius + dr) / radius, l2 = radius / (radius + dr), c = cos(phi), s = sin(phi)
            var y = x
            for i in 0..<particles {
                let u = c * x[2 * i] + s * x[2 * i + 1], v = -s * x[2 * i] + c * x[2 * i + 1]
                y[2 * i] = c * l1 * u - s * l2 * v; y[2 * i + 1] = s * l1 * u + c * l2 * v
            }
            for _ in 0..<sweepsInEllipse { sweep(&y, a: radius * l1, b: radius * l2, angle: phi, rng: &rng) }
            out.append(y)
        }
        return out
    }
}

extension RMIAnalyses {
    // MARK: drops (Fig. 2c–d)

    static let drops = AnalysisDescriptor(
        name: "rmi.drops",
        summary: "Fig. 2c–d: Ĩ of 2-D features of thermalised particle drops of fluctuating elliptical shape against the deformation spread",
        run: { ctx in
            let p = ctx.parameters
            let spreads = try p.doubles("spread", default: [0.1, 0.2, 0.3, 0.4])
            guard spreads.allSatisfy({ $0 > 0 && $0 <= 0.55 }) else {
                throw ParameterError(key: "spread", line: nil, message: "deformation spreads √⟨δr²⟩ must lie in (0, 0.55]")
            }
            var sim = DropSimulation()
            sim.particles = try p.int("particles", default: 60, range: 4...200)
            sim.temperature = try p.double("temperature", default: 0.5, range: 0.01...100)
            sim.sweepsInEllipse = try p.int("sweeps", default: 10, range: 0...1000)
            let n = try p.int("samples", default: 4000, range: 200...200_000)
            let bins = try p.int("bins", default: 25, range: 3...400)
            let seed = try p.int("seed", default: 8)
            try p.rejectUnused() // an unknown or misspelt key fails here, before any sampling
            let root = Xoshiro256(seed: UInt64(seed))
            struct Level { var pca: RMIEstimate; var moments: RMIEstimate; var example: [Double]; var h: (Double, Double) }
            let levels = try Parallel.map(spreads.count) { li -> Level in
                var rng = root.child(li)
                let x = sim.samples(n, spread: spreads[li], rng: &rng)
                let m = Double(sim.particles)
                // Two leading principal components (orthonormal axes: ½ ln det JJᵀ = 0).
                let (_, vecs) = try Matrix(x).covariance().symmetricEigen()
                let d = 2 * sim.particles
                let u1 = (0..<d).map { vecs[$0, d - 1] }, u2 = (0..<d).map { vecs[$0, d - 2] }
                let p1 = x.map { r in zip(r, u1).reduce(0) { $0 + $1.0 * $1.1 } }, p2 = x.map { r in zip(r, u2).reduce(0) { $0 + $1.0 * $1.1 } }
                let pca = RenormalizedMI.estimate2D(p1, p2, logGradient: [Double](repeating: 0, count: n), bins: bins, rule: .linear)
                // f = (Σx²/N, Σy²/N): ∇f₁ = 2x/N on the x-coordinates, ∇f₂ = 2y/N on the y-coordinates (orthogonal),
                // so ½ ln det JJᵀ = ln(2|x|/N) + ln(2|y|/N).
                var f1 = [Double](), f2 = [Double](), lg = [Double]()
                for r in x {
                    var sx = 0.0, sy = 0.0
                    for i in 0..<sim.particles { sx += r[2 * i] * r[2 * i]; sy += r[2 * i + 1] * r[2 * i + 1] }
                    f1.append(sx / m); f2.append(sy / m); lg.append(log(2 * sx.squareRoot() / m) + log(2 * sy.squareRoot() / m))
                }
                let mom = RenormalizedMI.estimate2D(f1, f2, logGradient: lg, bins: bins, rule: .linear)
                return Level(pca: pca, moments: mom, example: x[0], h: (pca.entropy, mom.entropy))
            }
            ctx.progress("drops: \(spreads.count) deformation spreads done")
            let examples = levels.last!.example
            let fig = Figure(
                id: "drops",
                caption: "Fig. 2c–d analogue: (left) one sample of \(sim.particles) particles at deformation spread \(spreads.last!) (generalised Lennard-Jones, k = 6, T = \(sim.temperature), inside an elliptical wall of area π, semi-axes 1 + δr and 1/(1 + δr), δr ~ U[0, √3 s]); (middle) Ĩ of the two 2-D features against the deformation spread (\(n) samples per level, \(bins)×\(bins) bilinear bins, ± random-halves error); (right) their entropies H, which are not reparametrisation invariant.",
                altText: "A scatter of particles in an ellipse, and curves of renormalized MI for the moment feature and two PCA components against deformation spread.",
                panels: [Panel(title: "(c) one sample", xLabel: "x", yLabel: "y",
                               series: [Series(label: "particles", style: .points, x: (0..<sim.particles).map { examples[2 * $0] }, y: (0..<sim.particles).map { examples[2 * $0 + 1] })]),
                         Panel(title: "(d) Ĩ", xLabel: "deformation spread √⟨δr²⟩", yLabel: "Ĩ (nats)",
                               series: [Series(label: "(Σx²/N, Σy²/N)", style: .errorLines, x: spreads, y: levels.map(\.moments.value), yError: levels.map(\.moments.error)),
                                        Series(label: "PCA, 2 components", style: .errorLines, x: spreads, y: levels.map(\.pca.value), yError: levels.map(\.pca.error))]),
                         Panel(title: "H (not invariant)", xLabel: "deformation spread √⟨δr²⟩", yLabel: "H (nats)",
                               series: [Series(label: "(Σx²/N, Σy²/N)", style: .linesPoints, x: spreads, y: levels.map(\.h.1)),
                                        Series(label: "PCA, 2 components", style: .linesPoints, x: spreads, y: levels.map(\.h.0))])],
                columns: 3, panelWidth: 400, panelHeight: 380)
            let table = Table(id: "drops",
                              caption: "Ĩ (nats, ± random-halves error) of the two 2-D features of the drops against the deformation spread; difference on the same samples.",
                              columns: ["spread", "Ĩ moments", "Ĩ PCA", "H moments", "H PCA"],
                              rows: zip(spreads, levels).map { [String(format: "%.2f", $0), ValueText.pm($1.moments.value, $1.moments.error),
                                                                 ValueText.pm($1.pca.value, $1.pca.error), String(format: "%.3f", $1.h.1), String(format: "%.3f", $1.h.0)] })
            var values = [Scalar]()
            for (s, l) in zip(spreads, levels) {
                let key = Int((s * 100).rounded())
                values.append(Scalar("rmi.drops_moments_\(key)", l.moments.value, error: l.moments.error, significantFigures: 3, unit: "nats"))
                values.append(Scalar("rmi.drops_pca_\(key)", l.pca.value, error: l.pca.error, significantFigures: 3, unit: "nats"))
            }
            let better = zip(levels.map(\.moments.value), levels.map(\.pca.value)).filter { $0 > $1 }.count
            values.append(Scalar("rmi.drops_moments_better", Double(better), significantFigures: 2, tolerance: .absolute(0.5)))
            return AnalysisOutput(tables: [table], figures: [fig], values: values,
                                  notes: ["\(sim.particles) particles, T = \(sim.temperature), \(sim.sweepsInEllipse) sweeps in the ellipse, seed \(seed)"])
        })
}
