import Foundation
import Numerics

/// Parameters of the Romanczuk-type social-force flocking model (Appendix B); values are this replication's choices.
public struct FlockingParameters: Sendable {
    public var speed = 1.0            // s0
    public var dt = 0.05
    public var boxSize = 50.0         // L (periodic L × L)
    public var noise = 0.2            // η: angular noise intensity, dφ = … + η dW
    /// Repulsion is summed over neighbours; alignment and attraction are averaged over the n − 1 others, which keeps the
    /// explicit Euler step stable for every group size.
    public var muRepulsion = 2.0
    public var muAlignment = 2.0
    public var muAttraction = 0.5
    public var rangeRepulsion = 1.0   // r_rep
    public var rangeAlignment = 4.0   // r_alg
    public var rangeAttraction = 100.0 // r_att > L: attraction acts across the whole box
    public var steepnessRepulsion = 5.0
    public var steepnessAlignment = 2.0
    public var steepnessAttraction = 0.5
    /// Transient discarded (t < transient).
    public var transient = 400.0
    /// Recorded duration after the transient and the sampling interval.
    public var duration = 6000.0
    public var sampleInterval = 6.0
    /// How alignment and attraction scale with group size: 0 (default) averages them over the n − 1 others; k ≥ 2 sums
    /// them over the others with μ_alg and μ_att divided by k − 1, so a group of k feels the averaged model's forces,
    /// larger groups stronger and smaller groups weaker ones. Repulsion is always summed.
    public var summedForcesReference = 0
    public init() {}

    /// Rows (name, symbol, value) for the report's parameter table.
    public var tableRows: [[String]] {
        [["speed", "s₀", "\(speed)"], ["time step", "Δt", "\(dt)"], ["box size (periodic)", "L", "\(boxSize)"],
         ["noise intensity", "η", "\(noise)"],
         ["repulsion strength (summed) / range / steepness", "μ_rep, r_rep, a_rep", "\(muRepulsion), \(rangeRepulsion), \(steepnessRepulsion)"],
         ["alignment strength (\(forceRule)) / range / steepness", "μ_alg, r_alg, a_alg", "\(muAlignment), \(rangeAlignment), \(steepnessAlignment)"],
         ["attraction strength (\(forceRule)) / range / steepness", "μ_att, r_att, a_att", "\(muAttraction), \(rangeAttraction), \(steepnessAttraction)"],
         ["discarded transient", "t <", "\(transient)"], ["recorded duration / sampling interval", "T, Δt_s", "\(duration), \(sampleInterval)"]]
    }

    /// "averaged" or "summed, ÷ (k − 1)".
    public var forceRule: String { summedForcesReference >= 2 ? "summed, ÷ \(summedForcesReference - 1)" : "averaged" }
}

/// Trajectories of one simulated group: samples × agents of position (unwrapped) and velocity.
public struct FlockTrajectory: Sendable {
    public let agents: Int
    public let samples: Int
    /// [sample][agent] → (x, y) unwrapped and (vx, vy).
    public var x: [Double], y: [Double], vx: [Double], vy: [Double]
}

/// The Romanczuk social-force model: constant speed, turning by the projected social force, Euler–Maruyama, periodic box.
public enum FlockingSimulation {
    /// Smooth switch σ(r) = ½ [tanh(−a (r − r_X)) + 1], from 1 (near) to 0 (far).
    @inline(__always) static func sigmoid(_ r: Double, _ range: Double, _ a: Double) -> Double {
        0.5 * (tanh(-a * (r - range)) + 1)
    }

    /// Largest minimum-image distance in the periodic L × L box: |dx|, |dy| ≤ L/2, so r ≤ L/√2.
    static func maximumDistance(_ q: FlockingParameters) -> Double { q.boxSize * (0.5).squareRoot() }

    /// True when the attraction switch σ_att(r) is exactly 1.0 in double precision for every distance that occurs
    /// (r ≤ L/√2), i.e. tanh(a_att (r_att − L/√2)) rounds to 1: then the attraction is the constant μ_att/(n − 1).
    /// tanh is monotone and rounds to exactly 1 above x ≈ 19.06, so one evaluation at the largest distance decides it.
    /// With the default r_att = 100, a_att = 0.5 and L = 50 the argument is 32.3.
    public static func attractionSaturated(_ q: FlockingParameters) -> Bool {
        sigmoid(maximumDistance(q), q.rangeAttraction, q.steepnessAttraction) == 1.0
    }

    /// The smallest distance r ≥ `range` from which the switch σ(r) = ½ [tanh(−a (r − range)) + 1] is exactly 0.0 in
    /// double precision (tanh rounds to exactly −1 there), or +∞ when there is none below range + 40/a (or a ≤ 0).
    /// σ is monotone non-increasing in r (each rounded step is monotone), so σ(r) = 0.0 for every r ≥ the cutoff; a
    /// bisection over doubles finds the first such r exactly.
    static func switchOffDistance(range: Double, steepness a: Double) -> Double {
        guard a > 0, range.isFinite else { return .infinity }
        var lo = range, hi = range + 40 / a
        guard sigmoid(hi, range, a) == 0.0, sigmoid(lo, range, a) != 0.0 else { return .infinity }
        while true {
            let mid = lo + (hi - lo) / 2
            if mid <= lo || mid >= hi { break }
            if sigmoid(mid, range, a) == 0.0 { hi = mid } else { lo = mid }
        }
        return hi
    }

    /// One run of the model. Each step: cos φ_j and sin φ_j once per agent (not per pair; the cos and sin of the new
    /// heading computed for the position update serve the next step), the pair loop visits each unordered pair once
    /// and adds the pair term to agent i and its exact negation to agent j (minimum-image displacements, unit vectors
    /// and heading differences are antisymmetric in IEEE arithmetic and the sigmoids depend only on r), so every agent
    /// still receives its terms in increasing partner order: the output is bit-identical to the plain double loop over
    /// ordered pairs. When `attractionSaturated`, the attraction switch is the constant 1.0 it would evaluate to; beyond
    /// `switchOffDistance` of repulsion or alignment that switch is the 0.0 it would evaluate to (μ · 0.0 is formed as
    /// before), so no tanh is evaluated for a term that is exactly zero.
    public static func simulate(agents n: Int, parameters q: FlockingParameters, rng: inout Xoshiro256) -> FlockTrajectory {
        var px = (0..<n).map { _ in rng.uniform() * q.boxSize }
        var py = (0..<n).map { _ in rng.uniform() * q.boxSize }
        var phi = (0..<n).map { _ in rng.uniform() * 2 * Double.pi }
        var ux = px, uy = py   // unwrapped positions
        let totalSteps = Int(((q.transient + q.duration) / q.dt).rounded())
        let firstRecord = Int((q.transient / q.dt).rounded())
        let every = max(1, Int((q.sampleInterval / q.dt).rounded()))
        let samples = (totalSteps - firstRecord) / every
        var out = FlockTrajectory(agents: n, samples: samples, x: [], y: [], vx: [], vy: [])
        out.x.reserveCapacity(samples * n); out.y.reserveCapacity(samples * n)
        out.vx.reserveCapacity(samples * n); out.vy.reserveCapacity(samples * n)
        let L = q.boxSize, sq = q.dt.squareRoot()
        let inv = q.summedForcesReference >= 2 ? 1.0 / Double(q.summedForcesReference - 1) : 1.0 / Double(max(n - 1, 1))
        let saturated = attractionSaturated(q)
        let muAtt = q.muAttraction * inv, muAlg = q.muAlignment * inv, speed = q.speed
        let rRep = q.rangeRepulsion, aRep = q.steepnessRepulsion, rAlg = q.rangeAlignment, aAlg = q.steepnessAlignment
        let rAtt = q.rangeAttraction, aAtt = q.steepnessAttraction, muRep = q.muRepulsion
        let repOff = switchOffDistance(range: rRep, steepness: aRep), algOff = switchOffDistance(range: rAlg, steepness: aAlg)
        let repZero = muRep * 0.0, algZero = muAlg * 0.0
        var cs = [Double](repeating: 0, count: n), sn = cs, fx = cs, fy = cs
        for i in 0..<n { cs[i] = cos(phi[i]); sn[i] = sin(phi[i]) }
        for step in 1...totalSteps {
            for i in 0..<n { fx[i] = 0; fy[i] = 0 }
            for i in 0..<n {
                let pxi = px[i], pyi = py[i], ci = cs[i], si = sn[i]
                var fxi = fx[i], fyi = fy[i]
                var j = i + 1
                while j < n {
                    var dx = px[j] - pxi, dy = py[j] - pyi
                    dx -= L * (dx / L).rounded(); dy -= L * (dy / L).rounded()
                    let r = max((dx * dx + dy * dy).squareRoot(), 1e-9)
                    let ex = dx / r, ey = dy / r
                    let rep = r >= repOff ? repZero : muRep * sigmoid(r, rRep, aRep)
                    let att = saturated ? muAtt : muAtt * sigmoid(r, rAtt, aAtt)
                    let alg = r >= algOff ? algZero : muAlg * sigmoid(r, rAlg, aAlg)
                    let tx = (att - rep) * ex + alg * (cs[j] - ci) * speed
                    let ty = (att - rep) * ey + alg * (sn[j] - si) * speed
                    fxi += tx; fyi += ty
                    fx[j] -= tx; fy[j] -= ty
                    j += 1
                }
                fx[i] = fxi; fy[i] = fyi
            }
            for i in 0..<n {
                // projection on the unit vector perpendicular to the heading
                let fphi = -fx[i] * sn[i] + fy[i] * cs[i]
                phi[i] += fphi / speed * q.dt + q.noise * sq * rng.normal()
                let c = cos(phi[i]), s = sin(phi[i])
                let dx = speed * c * q.dt, dy = speed * s * q.dt
                px[i] += dx; py[i] += dy; ux[i] += dx; uy[i] += dy
                px[i] -= L * (px[i] / L).rounded(.down); py[i] -= L * (py[i] / L).rounded(.down)
                cs[i] = c; sn[i] = s
            }
            if step > firstRecord && (step - firstRecord) % every == 0 && out.x.count < samples * n {
                for i in 0..<n {
                    out.x.append(ux[i]); out.y.append(uy[i])
                    out.vx.append(speed * cs[i]); out.vy.append(speed * sn[i])
                }
            }
        }
        return out
    }

    /// Simulates independent (non-interacting) groups and concatenates them as columns of one data matrix.
    /// Elements are ordered group by group; `positions` adds the unwrapped position (4-D elements: x, y, vx, vy).
    /// Group g uses the generator `Xoshiro256(seed:).child(g)`.
    public static func dataMatrix(groups: [Int], parameters: FlockingParameters, positions: Bool, seed: UInt64)
        -> (data: Matrix<Double>, trajectories: [FlockTrajectory]) {
        dataMatrices(systems: [(groups, seed)], parameters: parameters, positions: positions)[0]
    }

    /// Several independent systems at once: every group of every system is one task of a single parallel loop (better
    /// load balance than system by system); system s, group g uses `Xoshiro256(seed: systems[s].seed).child(g)`, so
    /// each result equals `dataMatrix(groups:seed:)` of that system.
    public static func dataMatrices(systems: [(groups: [Int], seed: UInt64)], parameters: FlockingParameters, positions: Bool)
        -> [(data: Matrix<Double>, trajectories: [FlockTrajectory])] {
        var jobs: [(system: Int, group: Int, agents: Int)] = []
        for (s, sys) in systems.enumerated() { for (g, n) in sys.groups.enumerated() { jobs.append((s, g, n)) } }
        // largest groups first: the pair loop costs ∝ n², so they dominate the wall time
        let order = jobs.indices.sorted { jobs[$0].agents > jobs[$1].agents || (jobs[$0].agents == jobs[$1].agents && $0 < $1) }
        let done = Parallel.map(order.count) { k -> FlockTrajectory in
            let job = jobs[order[k]]
            var rng = Xoshiro256(seed: systems[job.system].seed).child(job.group)
            return simulate(agents: job.agents, parameters: parameters, rng: &rng)
        }
        var bySystem = systems.map { [FlockTrajectory?](repeating: nil, count: $0.groups.count) }
        for (k, idx) in order.enumerated() { bySystem[jobs[idx].system][jobs[idx].group] = done[k] }
        return bySystem.map { assemble($0.map { $0! }, positions: positions) }
    }

    /// Concatenates the velocity (and optionally position) columns of independent groups.
    static func assemble(_ ts: [FlockTrajectory], positions: Bool) -> (data: Matrix<Double>, trajectories: [FlockTrajectory]) {
        let d = positions ? 4 : 2
        let n = ts.reduce(0) { $0 + $1.agents }, T = ts[0].samples
        var m = Matrix<Double>(rows: T, cols: n * d)
        var e = 0
        for t in ts {
            for a in 0..<t.agents {
                for s in 0..<T {
                    let k = s * t.agents + a
                    var c = e * d
                    if positions { m[s, c] = t.x[k]; m[s, c + 1] = t.y[k]; c += 2 }
                    m[s, c] = t.vx[k]; m[s, c + 1] = t.vy[k]
                }
                e += 1
            }
        }
        return (m, ts)
    }
}

/// The flock simulation before the issue-21 rewrite (trigonometry per pair, attraction tanh evaluated, ordered-pair
/// loop), kept verbatim as the reference that `simulate` must reproduce bit for bit (tests) and as the "before" of
/// `bench collective`. Not for use in analyses.
extension FlockingSimulation {
    public static func referenceSimulate(agents n: Int, parameters q: FlockingParameters, rng: inout Xoshiro256) -> FlockTrajectory {
        var px = (0..<n).map { _ in rng.uniform() * q.boxSize }
        var py = (0..<n).map { _ in rng.uniform() * q.boxSize }
        var phi = (0..<n).map { _ in rng.uniform() * 2 * Double.pi }
        var ux = px, uy = py   // unwrapped positions
        let totalSteps = Int(((q.transient + q.duration) / q.dt).rounded())
        let firstRecord = Int((q.transient / q.dt).rounded())
        let every = max(1, Int((q.sampleInterval / q.dt).rounded()))
        let samples = (totalSteps - firstRecord) / every
        var out = FlockTrajectory(agents: n, samples: samples, x: [], y: [], vx: [], vy: [])
        out.x.reserveCapacity(samples * n); out.y.reserveCapacity(samples * n)
        out.vx.reserveCapacity(samples * n); out.vy.reserveCapacity(samples * n)
        let L = q.boxSize, sq = q.dt.squareRoot(), inv = 1.0 / Double(max(n - 1, 1))
        var fphi = [Double](repeating: 0, count: n)
        for step in 1...totalSteps {
            for i in 0..<n {
                let vxi = cos(phi[i]), vyi = sin(phi[i])
                var fx = 0.0, fy = 0.0
                for j in 0..<n where j != i {
                    var dx = px[j] - px[i], dy = py[j] - py[i]
                    dx -= L * (dx / L).rounded(); dy -= L * (dy / L).rounded()
                    let r = max((dx * dx + dy * dy).squareRoot(), 1e-9)
                    let ex = dx / r, ey = dy / r
                    let rep = q.muRepulsion * sigmoid(r, q.rangeRepulsion, q.steepnessRepulsion)
                    let att = q.muAttraction * inv * sigmoid(r, q.rangeAttraction, q.steepnessAttraction)
                    let alg = q.muAlignment * inv * sigmoid(r, q.rangeAlignment, q.steepnessAlignment)
                    fx += (att - rep) * ex + alg * (cos(phi[j]) - vxi) * q.speed
                    fy += (att - rep) * ey + alg * (sin(phi[j]) - vyi) * q.speed
                }
                // projection on the unit vector perpendicular to the heading
                fphi[i] = -fx * vyi + fy * vxi
            }
            for i in 0..<n {
                phi[i] += fphi[i] / q.speed * q.dt + q.noise * sq * rng.normal()
                let dx = q.speed * cos(phi[i]) * q.dt, dy = q.speed * sin(phi[i]) * q.dt
                px[i] += dx; py[i] += dy; ux[i] += dx; uy[i] += dy
                px[i] -= L * (px[i] / L).rounded(.down); py[i] -= L * (py[i] / L).rounded(.down)
            }
            if step > firstRecord && (step - firstRecord) % every == 0 && out.x.count < samples * n {
                for i in 0..<n {
                    out.x.append(ux[i]); out.y.append(uy[i])
                    out.vx.append(q.speed * cos(phi[i])); out.vy.append(q.speed * sin(phi[i]))
                }
            }
        }
        return out
    }
}

