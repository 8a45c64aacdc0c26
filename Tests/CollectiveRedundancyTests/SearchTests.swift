import XCTest
import Numerics
@testable import CollectiveRedundancy

final class SearchTests: XCTestCase {
    /// The hard search keeps the true partition of independent blocks (a fixed point) and ends every run at a labelling
    /// where no element's best component differs from its own.
    func testHardSearchFixedPointAndLocalOptimum() throws {
        let g = try blockModel([3, 4], rho: 0.6)
        let comp = RedundancyCompressor(model: g, tabulate: false)
        let truth = [0, 0, 0, 1, 1, 1, 1]
        let t = comp.hardSearch(labels: truth, m: 2)
        XCTAssertEqual(t.labels, truth)
        XCTAssertEqual(t.sweeps, 1)
        XCTAssertEqual(t.score, (g.relativeRedundancy([0, 1, 2]) + g.relativeRedundancy([3, 4, 5, 6])) / 2, accuracy: 1e-12)
        var rng = Xoshiro256(seed: 4)
        for _ in 0..<5 {
            let start = (0..<7).map { _ in Int(rng.next() % 3) }
            let r = comp.hardSearch(labels: start, m: 3)
            for i in 0..<7 {
                var best = 0, bv = -Double.infinity
                for j in 0..<3 {
                    let members = (0..<7).filter { r.labels[$0] == j || $0 == i }
                    let without = members.filter { $0 != i }
                    let v = g.relativeRedundancy(members) - g.relativeRedundancy(without)
                    if v > bv + 1e-12 { bv = v; best = j }
                }
                XCTAssertEqual(best, r.labels[i], "element \(i) would move")
            }
        }
    }

    /// Reinitialising dead components changes nothing when no component dies, and revives a component that starts dead.
    func testDeadComponentIsReinitialised() throws {
        let g = try blockModel([3, 3], rho: 0.7)
        let comp = RedundancyCompressor(model: g, tabulate: true)
        var s = CompressionSettings(components: 2)
        XCTAssertTrue(s.reinitialiseDead, "reinitialisation is the default (issue 17 §4)")
        s.reinitialiseDead = false
        s.recordHistory = true
        // component 2 starts (almost) empty: p(2|i) = 1e-300
        let start = (0..<6).flatMap { _ in [1 - 1e-300, 1e-300] }
        var r1 = Xoshiro256(seed: 1), r2 = Xoshiro256(seed: 1)
        let plain = comp.run(s, initial: start, rng: &r1)
        s.reinitialiseDead = true
        let revived = comp.run(s, initial: start, rng: &r2)
        XCTAssertEqual(Set(plain.labels).count, 1, "without reinitialisation the dead component stays dead")
        XCTAssertEqual(plain.deadComponents, 1)
        XCTAssertEqual(revived.deadComponents, 0)
        XCTAssertEqual(Set(revived.labels).count, 2, "the reinitialised component takes one block")
        XCTAssertGreaterThan(revived.hardAverageRedundancy, plain.hardAverageRedundancy - 1e-12)
        // no dead component: identical runs
        var r3 = Xoshiro256(seed: 2), r4 = Xoshiro256(seed: 2)
        var a = Xoshiro256(seed: 9)
        let rnd = RedundancyCompressor.randomAssignment(n: 6, m: 2, rng: &a)
        var s2 = CompressionSettings(components: 2)
        s2.reinitialiseDead = false
        let x = comp.run(s2, initial: rnd, rng: &r3)
        s2.reinitialiseDead = true
        let y = comp.run(s2, initial: rnd, rng: &r4)
        var weights = [0.0, 0.0]
        for i in 0..<6 { for j in 0..<2 { weights[j] += x.assignment[i * 2 + j] / 6 } }
        if weights.min()! >= 0.1 / 6 { XCTAssertEqual(x.assignment, y.assignment) }
    }

    /// The authors' normalisation: r(S) ≤ 1 with every H_i + q ≥ 1, and r(S) = 1 unless the second offset term acts.
    func testAuthorsNormalisation() throws {
        var rng = Xoshiro256(seed: 8)
        var x = Matrix<Double>(rows: 500, cols: 8)
        for t in 0..<500 { let z = rng.normal(); for c in 0..<8 { x[t, c] = 3 * (z + rng.normal()) } }
        let g = try GaussianRedundancy(samples: x, elementDimension: 2)
        let (a, q) = try g.normalisedLikeAuthors(raw: x)
        XCTAssertTrue(a.elementEntropy.allSatisfy { $0 >= 1 - 1e-12 })
        let rS = a.relativeRedundancy(Array(0..<4))
        XCTAssertLessThanOrEqual(rS, 1 + 1e-12)
        XCTAssertEqual(a.elementEntropy[0] - q, 0.5 * (2 * log(2 * Double.pi * M_E) + (try x.covariance().block([0, 1]).logDeterminantSPD())), accuracy: 1e-9)
        if a.elementEntropy.min()! > 1 + 1e-9 { XCTAssertEqual(rS, 1, accuracy: 1e-9) }
    }

    /// Under independence the time-shift null's sd is a calibrated error of r(S) − null (pull sd ≈ 1, coverage ≈ 68 %).
    /// About 15 s idle in debug (53 s at load 10); part of `make test` since 2026-12-07 (it was behind
    /// COLLECTIVE_SLOW_TESTS=1, so CI never ran the calibration of the fish-null ± it guards).
    func testShiftNullIsCalibratedUnderIndependence() throws {
        let report = try Calibration.run(replicates: 500, seed: 21, truth: 0) { rng in
            var x = Matrix<Double>(rows: 120, cols: 6)
            for c in 0..<6 {
                var v = rng.normal()
                for t in 0..<120 { x[t, c] = v; v = 0.7 * v + (1 - 0.49).squareRoot() * rng.normal() }
            }
            let s = try ShiftNull(data: x, elementDimension: 2, draws: 60, rng: &rng)
            return (s.excess, s.nullSD)
        }
        print("shift null under independence: \(report)")
        XCTAssertTrue(report.passes, report.description)
    }
}
