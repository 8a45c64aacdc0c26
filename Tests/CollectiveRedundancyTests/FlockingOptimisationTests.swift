import XCTest
import Numerics
@testable import CollectiveRedundancy

/// The flock simulation before the issue-21 rewrite (trigonometry per pair, attraction tanh evaluated, ordered-pair
/// loop), kept verbatim as the reference the optimised simulation must reproduce bit for bit.
enum ReferenceFlock {
    @inline(__always) static func refSigmoid(_ r: Double, _ range: Double, _ a: Double) -> Double {
        0.5 * (tanh(-a * (r - range)) + 1)
    }
    static func referenceSimulate(agents n: Int, parameters q: FlockingParameters, rng: inout Xoshiro256) -> FlockTrajectory {
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
                    let rep = q.muRepulsion * refSigmoid(r, q.rangeRepulsion, q.steepnessRepulsion)
                    let att = q.muAttraction * inv * refSigmoid(r, q.rangeAttraction, q.steepnessAttraction)
                    let alg = q.muAlignment * inv * refSigmoid(r, q.rangeAlignment, q.steepnessAlignment)
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

final class FlockingOptimisationTests: XCTestCase {
    func short(_ noise: Double) -> FlockingParameters {
        var q = FlockingParameters()
        q.noise = noise; q.transient = 20; q.duration = 60; q.sampleInterval = 1
        return q
    }

    func testOptimisedSimulationIsBitIdenticalToReference() {
        for (n, noise, seed) in [(1, 0.2, UInt64(1)), (2, 0.2, 2), (5, 0.2, 3), (10, 0.15, 4), (20, 0.2, 5)] {
            let q = short(noise)
            var r1 = Xoshiro256(seed: seed), r2 = Xoshiro256(seed: seed)
            let a = FlockingSimulation.simulate(agents: n, parameters: q, rng: &r1)
            let b = ReferenceFlock.referenceSimulate(agents: n, parameters: q, rng: &r2)
            XCTAssertEqual(a.vx, b.vx, "n = \(n)"); XCTAssertEqual(a.vy, b.vy)
            XCTAssertEqual(a.x, b.x); XCTAssertEqual(a.y, b.y)
            XCTAssertEqual(r1.next(), r2.next(), "same number of random draws")
        }
        // unsaturated attraction (short range) takes the tanh path and must match too
        var q = short(0.2); q.rangeAttraction = 10
        XCTAssertFalse(FlockingSimulation.attractionSaturated(q))
        var r1 = Xoshiro256(seed: 7), r2 = Xoshiro256(seed: 7)
        XCTAssertEqual(FlockingSimulation.simulate(agents: 6, parameters: q, rng: &r1).vx,
                       ReferenceFlock.referenceSimulate(agents: 6, parameters: q, rng: &r2).vx)
    }

    func testAttractionSwitchIsExactlyOneAtEveryReachableDistance() {
        let q = FlockingParameters()
        XCTAssertTrue(FlockingSimulation.attractionSaturated(q))
        // the minimum-image distance never exceeds L/√2; sample the whole range densely
        let rMax = FlockingSimulation.maximumDistance(q)
        for k in 0...20000 {
            let r = max(rMax * Double(k) / 20000, 1e-9)
            XCTAssertEqual(FlockingSimulation.sigmoid(r, q.rangeAttraction, q.steepnessAttraction), 1.0)
        }
    }

    func testParallelSystemsEqualOneByOne() {
        let q = short(0.2)
        let systems: [(groups: [Int], seed: UInt64)] = [([5], 11), ([3, 4], 12), ([6, 2, 3], 13)]
        let all = FlockingSimulation.dataMatrices(systems: systems, parameters: q, positions: true)
        for (k, s) in systems.enumerated() {
            let one = FlockingSimulation.dataMatrix(groups: s.groups, parameters: q, positions: true, seed: s.seed)
            XCTAssertEqual(all[k].data.data, one.data.data)
            // and group g of a system is the plain run with child(g)
            var rng = Xoshiro256(seed: s.seed).child(s.groups.count - 1)
            let last = ReferenceFlock.referenceSimulate(agents: s.groups.last!, parameters: q, rng: &rng)
            XCTAssertEqual(all[k].trajectories.last!.vx, last.vx)
        }
    }
}
