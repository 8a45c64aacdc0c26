import XCTest
import Numerics

/// The two conventions of `ReplicateMean` on normal replicates with known mean, and the cached t quantile.
final class ReplicateMeanTests: XCTestCase {
    func testFormulas() {
        let v = [1.0, 2.5, 2.0, 4.0, 3.5]
        let s = Stats.standardDeviation(v), n = 5.0
        XCTAssertEqual(ReplicateMean.unitPull(v).mean, 2.6, accuracy: 1e-15)
        XCTAssertEqual(ReplicateMean.unitPull(v).error, s / n.squareRoot() * (4.0 / 2.0).squareRoot(), accuracy: 1e-15)
        XCTAssertNil(ReplicateMean.unitPullError([1, 2, 3]))
        XCTAssertEqual(ReplicateMean.singleRunError(others: v), s * 2.0.squareRoot(), accuracy: 1e-15)
        let c = ReplicateMean.coverage(v)
        XCTAssertEqual(c.sd, s)
        XCTAssertEqual(c.error, StudentT.oneSigmaQuantile(dof: 4) * s / n.squareRoot(), accuracy: 1e-15)
        // population sd (ddof = 0) × √(n/(n − 1)) is the sample sd
        let s0 = s * ((n - 1) / n).squareRoot()
        XCTAssertEqual(ReplicateMean.coverageError(populationSD: s0, count: 5), c.error, accuracy: 1e-14)
    }

    /// 4000 means of R normal replicates each: the unit-pull error has pull sd 1 (R = 8; sd of t₇ is √(7/5)), the
    /// coverage error covers 68.3 % (R = 3, where the plain s/√R covers 57.7 %). Under a second in debug.
    func testCalibrationOnNormalReplicates() {
        let root = Xoshiro256(seed: 4711)
        for r in [8, 3] {
            let runs = Parallel.map(4000) { i -> (m: Double, unit: Double?, cover: Double, plain: Double) in
                var rng = root.child(r * 10_000 + i)
                let v = (0..<r).map { _ in 0.5 + 2 * rng.normal() }
                return (Stats.mean(v), ReplicateMean.unitPullError(v), ReplicateMean.coverage(v).error, Stats.standardError(v))
            }
            let cover = Calibration.evaluate(estimates: runs.map(\.m), errors: runs.map(\.cover), truth: 0.5)
            XCTAssertTrue((0.655...0.71).contains(cover.coverage), "R = \(r), coverage rule: \(cover)")
            if r == 8 {
                let unit = Calibration.evaluate(estimates: runs.map(\.m), errors: runs.map { $0.unit! }, truth: 0.5)
                XCTAssertEqual(unit.pullSD, 1, accuracy: 0.05, "R = 8, unit-pull rule: \(unit)")
                let plain = Calibration.evaluate(estimates: runs.map(\.m), errors: runs.map(\.plain), truth: 0.5)
                XCTAssertGreaterThan(plain.pullSD, 1.1, "plain s/√R at R = 8: \(plain)")
            } else {
                let plain = Calibration.evaluate(estimates: runs.map(\.m), errors: runs.map(\.plain), truth: 0.5)
                XCTAssertLessThan(plain.coverage, 0.62, "plain s/√R at R = 3: \(plain)")
            }
        }
    }

    /// The cached quantile is the bisection's value, and repeated calls return the same bits.
    func testQuantileCache() {
        let a = StudentT.quantile(0.975, dof: 4), b = StudentT.quantile(0.975, dof: 4)
        XCTAssertEqual(a.bitPattern, b.bitPattern)
        XCTAssertEqual(a, 2.776445, accuracy: 1e-5)
        let p = 0.5 + 0.5 * erf(1 / 2.0.squareRoot())
        XCTAssertEqual(StudentT.quantile(p, dof: 4).bitPattern, StudentT.oneSigmaQuantile(dof: 4).bitPattern)
    }
}
