import XCTest
import Numerics
@testable import RenormalizedMI

/// Calibration of every error bar the module reports, on synthetic data with a known answer: the pulls
/// (estimate − truth − bias)/error must have sd ≈ 1 and ±1σ must cover ≈ 68 %. The bias (the histogram's finite-sample
/// and binning bias) is the mean over the replicates, checked separately to be small.
///
/// By default each test runs 120 replicates of n = 500 samples (seconds in debug) and asserts the window that 120
/// replicates can resolve: pull sd in 0.85–1.15 (the sd of a pull-sd estimate is 1/√(2·120) ≈ 0.065) and coverage in
/// 59–78 % (binomial sd 4.2 %). `RMI_CALIBRATION=1` runs the issue-12 calibration: 500 replicates of n = 1000, pull sd
/// in 0.9–1.1, coverage in 62–74 % (about 10 min in debug on a loaded 2-core machine); its measured pulls are recorded
/// in reports/002-rmi.md. In release (the module is `@testable`, so the build needs `-enable-testing`):
///
///     RMI_CALIBRATION=1 swift test -c release -Xswiftc -enable-testing \
///         --filter 'RenormalizedMITests\.(CalibrationTests|RunCalibrationTests)'
///
/// Measured 2026-12-07 under load ≈ 18 on the 2-core machine: the six tests here 31 s, RunCalibrationTests 50 s, all
/// inside the issue-12 window (pull sd 0.92–1.04, coverage 67.0–72.6 % here).
final class CalibrationTests: XCTestCase {
    static let full = ProcessInfo.processInfo.environment["RMI_CALIBRATION"] == "1"
    let replicates = CalibrationTests.full ? 500 : 120
    let n = CalibrationTests.full ? 1000 : 500
    let pullWindow: ClosedRange<Double> = CalibrationTests.full ? 0.9...1.1 : 0.85...1.15
    let coverageWindow: ClosedRange<Double> = CalibrationTests.full ? 0.62...0.74 : 0.59...0.78

    @discardableResult
    func assertCalibrated(_ estimates: [Double], _ errors: [Double], truth: Double, maxBias: Double, label: String,
                          file: StaticString = #filePath, line: UInt = #line) -> Calibration.Report {
        let report = Calibration.evaluate(estimates: estimates, errors: errors, truth: truth, bias: .empirical)
        print("RMI calibration, \(label): \(report)")
        XCTAssertLessThan(abs(report.bias), maxBias, "bias", file: file, line: line)
        XCTAssertTrue(report.passes(pullWindow: pullWindow, coverageWindow: coverageWindow), "\(label): \(report)", file: file, line: line)
        return report
    }

    func pullSD(_ estimates: [Double], _ errors: [Double], truth: Double) -> Double {
        Calibration.evaluate(estimates: estimates, errors: errors, truth: truth, bias: .empirical).pullSD
    }

    /// (estimate, halves error, delta-method error) on `replicates` independent data sets.
    func replicate(seed: UInt64, _ trial: (inout Xoshiro256) throws -> RMIEstimate) rethrows -> (est: [Double], err: [Double], delta: [Double]) {
        let root = Xoshiro256(seed: seed)
        let r = try Parallel.map(replicates) { i -> RMIEstimate in var rng = root.child(i); return try trial(&rng) }
        return (r.map(\.value), r.map(\.error), r.map(\.deltaError))
    }

    /// Ĩ of a linear feature of a Gaussian; the older rule (s.e. over 3 repeats) fails.
    func testLinearFeatureError() throws {
        let sigma = Matrix<Double>([[1, 0.5], [0.5, 2]])
        let r = try replicate(seed: 11) { rng in
            let x = try GaussianChecks.samples(sigma, count: n, rng: &rng)
            return RenormalizedMI.estimate(values: x.map { $0[0] }, logGradient: [Double](repeating: 0, count: n), bins: 30)
        }
        let truth = GaussianChecks.exactLinear(sigma, angle: 0)
        assertCalibrated(r.est, r.err, truth: truth, maxBias: 0.02, label: "linear Gaussian, halves")
        // The rule before the delta method: the standard error over 3 repeats (t with 2 degrees of freedom).
        let triples = (0..<(replicates / 3)).map { Array(r.est[(3 * $0)..<(3 * $0 + 3)]) }
        XCTAssertGreaterThan(pullSD(triples.map(Stats.mean), triples.map(Stats.standardError), truth: truth), 1.3)
    }

    /// A heavy-tailed feature with known Ĩ: f = x₁ + 0.3x₁³ is a bijection of x₁, so Ĩ = H(x₁) = ½ ln 2πe.
    /// The delta-method error (the previous rule) is too small here: pull sd 1.29 at 500 replicates.
    func testHeavyTailedFeatureError() {
        let r = replicate(seed: 12) { rng in
            let x = (0..<n).map { _ in rng.normal() }
            return RenormalizedMI.estimate(values: x.map { $0 + 0.3 * $0 * $0 * $0 }, logGradient: x.map { log(1 + 0.9 * $0 * $0) }, bins: 60)
        }
        let truth = 0.5 * log(2 * Double.pi * M_E)
        assertCalibrated(r.est, r.err, truth: truth, maxBias: 0.05, label: "heavy-tailed, halves")
        XCTAssertGreaterThan(pullSD(r.est, r.delta, truth: truth), 1.15, "the delta-method error should fail here")
    }

    /// The plain histogram (authors' rule) and the 2-D estimator of equality (7).
    func testHardAndTwoDimensionalErrors() throws {
        let c2 = Matrix<Double>([[1, 0.5], [0.5, 2]])
        let hard = try replicate(seed: 13) { rng in
            let x = try GaussianChecks.samples(c2, count: n, rng: &rng)
            return RenormalizedMI.estimate(values: x.map { $0[1] }, logGradient: [Double](repeating: 0, count: n), bins: 25, rule: .hard)
        }
        // Always n = 1000 here: for 12 × 12 cells the halves (500 samples) are sparse, and at n = 500 the halves error
        // is conservative (pull sd 0.86, measured); at n = 1000 it is 0.95–1.0.
        let two = try replicate(seed: 14) { rng in
            let x = try GaussianChecks.samples(c2, count: 1000, rng: &rng)
            return RenormalizedMI.estimate2D(x.map { $0[0] }, x.map { $0[1] + 0.5 * $0[0] * $0[0] }, logGradient: [Double](repeating: 0, count: 1000), bins: 12)
        }
        assertCalibrated(hard.est, hard.err, truth: GaussianChecks.exactLinear(c2, angle: .pi / 2), maxBias: 0.03, label: "plain 1-D histogram, halves")
        let h = try GaussianInformation.entropy(covariance: c2)
        assertCalibrated(two.est, two.err, truth: h, maxBias: 0.15, label: "2-D histogram, halves")
        XCTAssertGreaterThan(pullSD(two.est, two.delta, truth: h), 1.12, "the delta-method error should fail here")
    }

    /// The linear two-bin 2-D histogram (bilinear assignment) of equality (7), 20 × 20 centres. (At 12 × 12 centres its
    /// smoothing bias, +0.08 nats, varies with the bin range and the halves error is about 7 % low, pull sd 1.07.)
    func testLinearTwoDimensionalError() throws {
        let c2 = Matrix<Double>([[1, 0.5], [0.5, 2]])
        let two = try replicate(seed: 16) { rng in
            let x = try GaussianChecks.samples(c2, count: n, rng: &rng)
            return RenormalizedMI.estimate2D(x.map { $0[0] }, x.map { $0[1] + 0.5 * $0[0] * $0[0] }, logGradient: [Double](repeating: 0, count: n),
                                             bins: 20, rule: .linear)
        }
        assertCalibrated(two.est, two.err, truth: try GaussianInformation.entropy(covariance: c2), maxBias: 0.15, label: "linear 2-D histogram, halves")
    }

    /// The best linear feature and its angle from a parabola fit, with random-halves errors of the whole procedure.
    func testBestAngleErrors() throws {
        let sigma = Matrix<Double>([[1, 0.5], [0.5, 2]])
        // Always n = 1000 and a window of ±0.3 rad: on halves of 250 samples the parabola's curvature is not resolved
        // and the vertex of some halves runs away (measured: mean error 8× the spread).
        let angles = CalibrationTests.full ? Stats.linspace(0.78, 1.58, 17) : Stats.linspace(0.78, 1.58, 9)
        let root = Xoshiro256(seed: 15), n = 1000
        let scans = try Parallel.map(replicates) { i -> AngleScan in
            var rng = root.child(i)
            return AngleScan(try GaussianChecks.samples(sigma, count: n, rng: &rng), angles: angles, bins: 30, window: 0.3)
        }
        assertCalibrated(scans.map(\.bestAngle), scans.map(\.bestAngleError), truth: 3 * Double.pi / 8, maxBias: 0.03, label: "best angle")
        assertCalibrated(scans.map(\.best), scans.map(\.bestError), truth: 0.5 * log(2 * Double.pi * M_E * (1.5 + 0.5 * 2.0.squareRoot())),
                         maxBias: 0.03, label: "best value")
    }

    /// The crossing of a noisy difference curve, from a weighted quadratic fit. Cheap (no histogram), so it always runs
    /// 2000 replicates against the issue-12 window.
    func testCrossingError() {
        var rng = Xoshiro256(seed: 15)
        let s = Stats.linspace(0.12, 0.24, 13)
        var root = [Double](), err = [Double]()
        for _ in 0..<2000 {
            let e = s.map { 0.004 + 0.01 * $0 }
            let d = zip(s, e).map { -8 * ($0 - 0.177) + 12 * ($0 - 0.177) * ($0 - 0.177) + $1 * rng.normal() }
            let c = CurveCrossing(s: s, d: d, errors: e, degree: 2)!
            root.append(c.root); err.append(c.error)
        }
        let report = Calibration.evaluate(estimates: root, errors: err, truth: 0.177, bias: .empirical)
        print("RMI calibration, crossing: \(report)")
        XCTAssertLessThan(abs(report.bias), 0.001, "bias")
        XCTAssertTrue(report.passes, "crossing: \(report)")
    }
}
