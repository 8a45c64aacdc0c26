import XCTest
import Numerics
@testable import CollectiveRedundancy

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
            let b = FlockingSimulation.referenceSimulate(agents: n, parameters: q, rng: &r2)
            XCTAssertEqual(a.vx, b.vx, "n = \(n)"); XCTAssertEqual(a.vy, b.vy)
            XCTAssertEqual(a.x, b.x); XCTAssertEqual(a.y, b.y)
            XCTAssertEqual(r1.next(), r2.next(), "same number of random draws")
        }
        // unsaturated attraction (short range) takes the tanh path and must match too
        var q = short(0.2); q.rangeAttraction = 10
        XCTAssertFalse(FlockingSimulation.attractionSaturated(q))
        var r1 = Xoshiro256(seed: 7), r2 = Xoshiro256(seed: 7)
        XCTAssertEqual(FlockingSimulation.simulate(agents: 6, parameters: q, rng: &r1).vx,
                       FlockingSimulation.referenceSimulate(agents: 6, parameters: q, rng: &r2).vx)
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
            let last = FlockingSimulation.referenceSimulate(agents: s.groups.last!, parameters: q, rng: &rng)
            XCTAssertEqual(all[k].trajectories.last!.vx, last.vx)
        }
    }
}
