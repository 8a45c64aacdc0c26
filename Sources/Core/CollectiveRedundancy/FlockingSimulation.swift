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
    public init() {}

    /// Rows (name, symbol, value) for the report's parameter table.
    public var tableRows: [[String]] {
        [["speed", "s₀", "\(speed)"], ["time step", "Δt", "\(dt)"], ["box size (periodic)", "L", "\(boxSize)"],
         ["noise intensity", "η", "\(noise)"],
         ["repulsion strength (summed) / range / steepness", "μ_rep, r_rep, a_rep", "\(muRepulsion), \(rangeRepulsion), \(steepnessRepulsion)"],
         ["alignment strength (averaged) / range / steepness", "μ_alg, r_alg, a_alg", "\(muAlignment), \(rangeAlignment), \(steepnessAlignment)"],
         ["attraction strength (averaged) / range / steepness", "μ_att, r_att, a_att", "\(muAttraction), \(rangeAttraction), \(steepnessAttraction)"],
         ["discarded transient", "t <", "\(transient)"], ["recorded duration / sampling interval", "T, Δt_s", "\(duration), \(sampleInterval)"]]
    }
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

    /// Simulates independent (non-interacting) groups and concatenates them as columns of one data matrix.
    /// Elements are ordered group by group; `positions` adds the unwrapped position (4-D elements: x, y, vx, vy).
    public static func dataMatrix(groups: [Int], parameters: FlockingParameters, positions: Bool, seed: UInt64)
        -> (data: Matrix<Double>, trajectories: [FlockTrajectory]) {
        let root = Xoshiro256(seed: seed)
        var trajs = [FlockTrajectory?](repeating: nil, count: groups.count)
        trajs.withUnsafeMutableBufferPointer { slots in
            let base = slots.baseAddress!
            DispatchQueue.concurrentPerform(iterations: groups.count) { g in
                var rng = root.child(g)
                base[g] = simulate(agents: groups[g], parameters: parameters, rng: &rng)
            }
        }
        let ts = trajs.map { $0! }
        let d = positions ? 4 : 2
        let n = groups.reduce(0, +), T = ts[0].samples
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
