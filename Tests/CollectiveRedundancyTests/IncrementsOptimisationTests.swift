import XCTest
import Numerics
@testable import CollectiveRedundancy

/// The allocation-free, column-blocked Monte Carlo increments and the flock simulation's switch-off cutoffs are
/// bit-identical to the code they replace (issue 17, cost of report 004).
final class IncrementsOptimisationTests: XCTestCase {
    /// Correlated data with elements of dimension d: a shared factor for the first half of the elements.
    func model(n: Int, d: Int, seed: UInt64) throws -> GaussianRedundancy {
        var rng = Xoshiro256(seed: seed)
        let T = 60 + 4 * n * d
        var x = Matrix<Double>(rows: T, cols: n * d)
        for t in 0..<T {
            let z = rng.normal(), w = rng.normal()
            for c in 0..<(n * d) { x[t, c] = (c < n * d / 2 ? z : 0.4 * w) + rng.normal() }
        }
        return try GaussianRedundancy(samples: x, elementDimension: d)
    }

    func testIncrementsAreBitIdenticalToReference() throws {
        for (n, d) in [(1, 2), (5, 1), (7, 2), (12, 2), (35, 2), (9, 4), (6, 3)] {
            let g = try model(n: n, d: d, seed: UInt64(100 * n + d))
            let mc = MonteCarloDeltaD(g)
            var rng = Xoshiro256(seed: UInt64(n * d))
            let full = n == 64 ? UInt64.max : (UInt64(1) << UInt64(n)) - 1
            var masks: [UInt64] = [0, full, 1, UInt64(1) << UInt64(n - 1)]
            for _ in 0..<60 { masks.append(rng.next() & full) }
            // sparse and dense sets, and the same buffers reused after a larger set
            for _ in 0..<20 { masks.append(rng.next() & rng.next() & rng.next() & full); masks.append((rng.next() | rng.next()) & full) }
            for mask in masks {
                let fast = mc.increments(mask), ref = mc.referenceIncrements(mask)
                XCTAssertEqual(fast.map(\.bitPattern), ref.map(\.bitPattern), "n = \(n), d = \(d), mask \(String(mask, radix: 2))")
            }
        }
    }

    func testExactDeltaDIsBitIdenticalToReference() throws {
        for (n, d, m) in [(1, 2, 1), (3, 1, 2), (5, 2, 3), (8, 2, 1), (10, 2, 4), (10, 2, 10), (6, 3, 7)] {
            let g = try model(n: n, d: d, seed: UInt64(7 * n + m))
            let table = SubsetRedundancyTable(g)
            var rng = Xoshiro256(seed: UInt64(n * 31 + m))
            for trial in 0..<5 {
                var a = RedundancyCompressor.randomAssignment(n: n, m: m, rng: &rng)
                if trial == 4 { a = RedundancyCompressor.assignment(labels: (0..<n).map { $0 % m }, m: m) }
                XCTAssertEqual(exactDeltaD(table: table, assign: a, m: m).map(\.bitPattern),
                               referenceExactDeltaD(table: table, assign: a, m: m).map(\.bitPattern), "n = \(n), m = \(m)")
            }
        }
    }

    func testSwitchOffDistanceIsWhereTheSwitchBecomesExactlyZero() {
        let q = FlockingParameters()
        for (range, a) in [(q.rangeRepulsion, q.steepnessRepulsion), (q.rangeAlignment, q.steepnessAlignment), (2.5, 0.7)] {
            let cut = FlockingSimulation.switchOffDistance(range: range, steepness: a)
            XCTAssertTrue(cut.isFinite)
            XCTAssertNotEqual(FlockingSimulation.sigmoid(cut.nextDown, range, a), 0.0)
            XCTAssertEqual(FlockingSimulation.sigmoid(cut, range, a), 0.0)
            // zero at every distance beyond it that occurs in the box (dense scan up to L/√2 and beyond)
            let top = max(FlockingSimulation.maximumDistance(q), cut + 1)
            for k in 0...20000 {
                let r = cut + (top - cut) * Double(k) / 20000
                XCTAssertEqual(FlockingSimulation.sigmoid(r, range, a), 0.0, "r = \(r)")
            }
            var r = cut
            for _ in 0..<2000 { r = r.nextUp; XCTAssertEqual(FlockingSimulation.sigmoid(r, range, a), 0.0) }
        }
        XCTAssertEqual(FlockingSimulation.switchOffDistance(range: 1, steepness: 0), .infinity)
    }

    /// Loose, noisy groups keep many pairs beyond both cutoffs; the run still equals the reference bit for bit.
    func testSimulationWithFarPairsIsBitIdentical() {
        var q = FlockingParameters()
        q.noise = 1.5; q.transient = 20; q.duration = 100; q.sampleInterval = 1
        var r1 = Xoshiro256(seed: 21), r2 = Xoshiro256(seed: 21)
        let a = FlockingSimulation.simulate(agents: 20, parameters: q, rng: &r1)
        let b = FlockingSimulation.referenceSimulate(agents: 20, parameters: q, rng: &r2)
        XCTAssertEqual(a.vx.map(\.bitPattern), b.vx.map(\.bitPattern)); XCTAssertEqual(a.vy.map(\.bitPattern), b.vy.map(\.bitPattern))
        XCTAssertEqual(a.x.map(\.bitPattern), b.x.map(\.bitPattern)); XCTAssertEqual(a.y.map(\.bitPattern), b.y.map(\.bitPattern))
    }
}
