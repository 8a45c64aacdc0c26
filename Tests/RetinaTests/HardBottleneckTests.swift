import XCTest
import Numerics
@testable import Retina

final class HardBottleneckTests: XCTestCase {
    func randomJoint(_ n: Int, rng: inout Xoshiro256) -> BinaryJoint {
        var n0 = [Double](), n1 = [Double]()
        for _ in 0..<n {
            let tot = Double(1 + rng.int(below: 200)), q = rng.uniform()
            let k = (tot * q).rounded()
            n0.append(tot - k); n1.append(k)
        }
        return BinaryJoint(n0: n0, n1: n1)
    }

    func testBinaryMutualInformationMatchesSharedEstimator() {
        var rng = Xoshiro256(seed: 3)
        let j = randomJoint(25, rng: &rng)
        let table = (0..<25).map { [Int(j.n0[$0]), Int(j.n1[$0])] }
        XCTAssertEqual(j.mutualInformation, DiscreteInformation.mutualInformation(joint: table), accuracy: 1e-12)
    }

    func testSweepFixedPointIsFixedPointOfLiteralKLReassignment() {
        var rng = Xoshiro256(seed: 7)
        for trial in 0..<20 {
            let j = randomJoint(60, rng: &rng)
            let q = (0..<60).map { j.n1[$0] / (j.n0[$0] + j.n1[$0]) }
            let order = (0..<60).sorted { q[$0] < q[$1] || (q[$0] == q[$1] && $0 < $1) }
            let m = 2 + trial % 6
            var a = (0..<60).map { _ in rng.int(below: m) }
            HardBottleneck.iterate(&a, n0: j.n0, n1: j.n1, q: q, order: order, m: m, maxIterations: 1000)
            let b = HardBottleneck.reassignBruteForce(a, n0: j.n0, n1: j.n1, m: m)
            let ia = HardBottleneck.information(a, n0: j.n0, n1: j.n1, m: m)
            let ib = HardBottleneck.information(b, n0: j.n0, n1: j.n1, m: m)
            XCTAssertEqual(ia, ib, accuracy: 1e-12, "trial \(trial): the Eq (7) step still changes the solution")
        }
    }

    func testRestartsReachTheExactOptimumAndNeverExceedIt() {
        var rng = Xoshiro256(seed: 11)
        for m in [2, 3, 5, 8] {
            let j = randomJoint(40, rng: &rng)
            let exact = HardBottleneck.exactOptimum(j, states: m)
            let c = HardBottleneck.cluster(j, states: m, restarts: 20, rng: &rng)
            XCTAssertLessThanOrEqual(c.information, exact + 1e-12)
            XCTAssertEqual(c.information, exact, accuracy: 1e-3 * exact, "M = \(m)")
            XCTAssertEqual(c.compressedInformation(j), c.information, accuracy: 1e-12)
        }
    }

    func testEnoughStatesKeepAllInformationAndOneStateKeepsNone() {
        var rng = Xoshiro256(seed: 5)
        let j = randomJoint(10, rng: &rng)
        XCTAssertEqual(HardBottleneck.cluster(j, states: 10, restarts: 1, rng: &rng).information, j.mutualInformation, accuracy: 1e-12)
        XCTAssertEqual(HardBottleneck.cluster(j, states: 1, restarts: 1, rng: &rng).information, 0, accuracy: 1e-12)
    }
}

extension HardClustering {
    func compressedInformation(_ j: BinaryJoint) -> Double { j.compressed(assignment, states: states).mutualInformation }
}

final class ExactCurveTests: XCTestCase {
    func testExactCurveMatchesSingleOptimaAndItsAssignments() {
        var rng = Xoshiro256(seed: 21)
        var n0 = [Double](), n1 = [Double]()
        for _ in 0..<30 { let t = Double(1 + rng.int(below: 100)); let k = (t * rng.uniform()).rounded(); n0.append(t - k); n1.append(k) }
        let j = BinaryJoint(n0: n0, n1: n1)
        let ms = [1, 2, 3, 5, 8, 40]
        let curve = HardBottleneck.exactCurve(j, ms: ms)
        for (m, c) in zip(ms, curve) {
            XCTAssertEqual(c.information, HardBottleneck.exactOptimum(j, states: m), accuracy: 1e-12, "M = \(m)")
            XCTAssertTrue(c.assignment.allSatisfy { $0 < m })
            XCTAssertEqual(j.compressed(c.assignment, states: m).mutualInformation, c.information, accuracy: 1e-12)
            let ib = HardBottleneck.cluster(j, states: m, restarts: 3, rng: &rng)
            XCTAssertLessThanOrEqual(ib.information, c.information + 1e-12)
        }
    }
}
