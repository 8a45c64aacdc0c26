import XCTest
import Numerics
@testable import CollectiveRedundancy

final class ReplicateStatisticsTests: XCTestCase {
    /// AR(1) series x_t = μ + φ (x_{t−1} − μ) + √(1 − φ²) ε_t started in its stationary law: τ_int = (1 + φ)/(1 − φ).
    func ar1(_ T: Int, phi: Double, mean: Double, rng: inout Xoshiro256) -> [Double] {
        var x = rng.normal(), out: [Double] = []
        for _ in 0..<T { out.append(mean + x); x = phi * x + (1 - phi * phi).squareRoot() * rng.normal() }
        return out
    }

    /// The replicate-spread error of a mean over R independent replicates (each the mean of an autocorrelated series of
    /// known mean μ) is calibrated for R = 10 and 20, and at R = 5 and 6 (collective.cohesion's R = 5) the pull has
    /// unit sd with the ±1σ coverage of a Student t with R − 1 degrees of freedom (heavy tails put 75–77 % inside
    /// ±1σ); the plain s/√R is too small at R = 6.
    func testReplicateSpreadErrorIsCalibrated() throws {
        let mu = 0.3
        for reps in [10, 20, 6, 5] {
            var plain: [(Double, Double)] = []
            let report = Calibration.run(replicates: 600, seed: UInt64(reps), truth: mu) { rng in
                let values = (0..<reps).map { _ in Stats.mean(ar1(200, phi: 0.9, mean: mu, rng: &rng)) }
                let r = ReplicateMean.unitPull(values)
                return (r.mean, r.error)
            }
            if reps >= 10 { XCTAssertTrue(report.passes, "R = \(reps): \(report)") }
            else {
                // few replicates (collective.cohesion runs R = 5): the t factor gives the pull unit sd, and its ±1σ
                // coverage is that of a Student t with R − 1 degrees of freedom scaled to unit sd (77 % at R = 5)
                let t = ErrorCalibrationTests.tCoverageWindow(dof: Double(reps - 1), replicates: 600)
                XCTAssertTrue(report.passes(pullWindow: ErrorCalibrationTests.window(600), coverageWindow: t.window),
                              "R = \(reps): \(report); t\(reps - 1) coverage \(t.expected)")
            }
            if reps == 6 {
                let old = Calibration.run(replicates: 600, seed: 6, truth: mu) { rng in
                    let values = (0..<reps).map { _ in Stats.mean(ar1(200, phi: 0.9, mean: mu, rng: &rng)) }
                    return (Stats.mean(values), Stats.standardError(values))
                }
                XCTAssertGreaterThan(old.pullSD, 1.1, "plain s/√R should be too small at R = 6: \(old)")
                plain.append((old.pullSD, old.coverage))
            }
        }
    }

    func testPartitionGapDecomposition() throws {
        var rng = Xoshiro256(seed: 11)
        var x = Matrix<Double>(rows: 600, cols: 10)
        for t in 0..<600 {
            let a = rng.normal(), b = rng.normal()
            for c in 0..<10 { x[t, c] = (c < 4 ? a : b) + 0.7 * rng.normal() }
        }
        let g = try GaussianRedundancy(samples: x, elementDimension: 2)
        let gap = PartitionGap(model: g, groups: [2, 3])
        XCTAssertEqual(gap.difference, gap.weighting - gap.between, accuracy: 1e-12)
        XCTAssertGreaterThanOrEqual(gap.between, -1e-12)
        XCTAssertEqual(gap.trueMean, (g.relativeRedundancy([0, 1]) + g.relativeRedundancy([2, 3, 4])) / 2, accuracy: 1e-12)
    }
}
