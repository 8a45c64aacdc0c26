import XCTest
import Numerics
@testable import RenormalizedMI

/// Calibration of the errors that report 002 derives from independent training runs and from the comparison with the
/// authors' file: synthetic data of known truth, 2000 replicates each (cheap: no histogram per replicate), the issue-12
/// window (pull sd 0.9–1.1, ±1σ coverage 62–74 %).
final class RunCalibrationTests: XCTestCase {
    let replicates = 2000
    /// `RMI_CALIBRATION=1` (the release-mode calibration run, see CalibrationTests): the run-spread test at 8000
    /// replicates against the plain issue-12 window (50 s in release under load ≈ 18).
    static let full = ProcessInfo.processInfo.environment["RMI_CALIBRATION"] == "1"

    @discardableResult
    func check(_ estimates: [Double], _ errors: [Double], truth: Double, bias: Calibration.Bias = .none, label: String,
               passes: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> Calibration.Report {
        let report = Calibration.evaluate(estimates: estimates, errors: errors, truth: truth, bias: bias)
        print("RMI run calibration, \(label): \(report)")
        XCTAssertEqual(report.passes, passes, "\(label): \(report)", file: file, line: line)
        return report
    }

    /// The mean over 8 runs with ReplicateMean.unitPullError passes; the plain s/√8 does not (pull sd √(7/5) = 1.18). With 4 runs
    /// the pull sd is still 1 but ±1σ covers 82 % (conservative), outside the window: so every run block of report 002
    /// has 8 runs (the authors' recipe block had 4 until 2026-12-08). `RMI_CALIBRATION=1` runs 8000 replicates.
    func testRunMeanError() {
        let root = Xoshiro256(seed: 31)
        for runs in [8, 4] {
            var est = [Double](), err = [Double](), plain = [Double]()
            for i in 0..<(RunCalibrationTests.full && runs == 8 ? 8000 : replicates) {
                var rng = root.child(runs * 100_000 + i)
                let v = (0..<runs).map { _ in 2 + 0.3 * rng.normal() }
                est.append(Stats.mean(v)); err.append(ReplicateMean.unitPullError(v)!); plain.append(Stats.standardError(v))
            }
            if runs == 8 {
                check(est, err, truth: 2, label: "mean of 8 runs, ReplicateMean.unitPullError")
                check(est, plain, truth: 2, label: "mean of 8 runs, plain s/√n", passes: false)
            } else {
                // With 4 runs the pulls are a Student t with 3 degrees of freedom (scaled to unit variance), whose
                // fourth moment is infinite: the sample sd of the pulls is dominated by a few large ones (measured
                // 1.55 over 2000 replicates) and cannot be calibrated. ±1σ covers 82 % (conservative).
                let r = Calibration.evaluate(estimates: est, errors: err, truth: 2)
                print("RMI run calibration, mean of 4 runs, ReplicateMean.unitPullError (coverage only): \(r)")
                XCTAssertTrue((0.78...0.86).contains(r.coverage), "conservative coverage expected with 4 runs: \(r)")
            }
        }
        XCTAssertNil(ReplicateMean.unitPullError([1, 2, 3]))
    }

    /// Run-to-run spread of a feature map (`regionSD`, the core and tail s.d. of Fig. 3) over 8 runs whose features
    /// vary in `modes` latent directions plus independent point noise. Truth: the mean of the statistic over the
    /// replicates (its sampling distribution is what the error describes).
    func spreadReplicates(modes: Int, seed: UInt64) -> (est: [Double], err: [Double], plain: [Double]) {
        let points = 200, runs = 8
        var setup = Xoshiro256(seed: seed)
        let a = (0..<points).map { _ in (0..<modes).map { _ in setup.normal() } }
        let noise = (0..<points).map { _ in 0.3 * abs(setup.normal()) }
        let w = (0..<points).map { _ in 0.1 + setup.uniform() }
        let region = (0..<points).map { $0 < points / 2 }
        let root = Xoshiro256(seed: seed &+ 1)
        var est = [Double](), err = [Double](), plain = [Double]()
        for i in 0..<(RunCalibrationTests.full ? 8000 : 1000) {
            var rng = root.child(i)
            let f = (0..<runs).map { _ -> [Double] in
                let z = (0..<modes).map { _ in rng.normal() }
                return (0..<points).map { p in (0..<modes).reduce(0) { $0 + a[p][$1] * z[$1] } + noise[p] * rng.normal() }
            }
            let stat = { (g: [[Double]]) in RunSpread.regionSD(g, weights: w, region: region) }
            est.append(stat(f)); err.append(RunSpread.spreadError(f, stat)!.error); plain.append(RunSpread.jackknife(f, stat)!)
        }
        return (est, err, plain)
    }

    /// Measured (1000 replicates): log-jackknife × t has pull sd 1.01 / 1.03 and coverage 74.3 / 73.0 % for 3 / 10
    /// modes; at 8000 replicates (`RMI_CALIBRATION=1`) pull sd 1.095 / 1.044 and coverage 71.8 / 71.4 %, inside the
    /// issue-12 window, so the 74.3 % of 1000 replicates was their binomial noise (sd 1.4 %), and the default run
    /// allows 62–76 % for it. The plain jackknife has pull sd 1.11 / 1.21 (3 modes, 1000 / 8000 replicates). With a
    /// single mode (the statistic is then a scaled sample s.d. of 8 values) neither is calibrated: pull sd 1.64 / 1.50.
    func testSpreadError() {
        for (modes, seed) in [(3, UInt64(41)), (10, 43)] {
            let r = spreadReplicates(modes: modes, seed: seed)
            let c = Calibration.evaluate(estimates: r.est, errors: r.err, truth: Stats.mean(r.est))
            print("RMI run calibration, regionSD over 8 runs, \(modes) modes, log-jackknife × t: \(c)")
            let coverage = RunCalibrationTests.full ? 0.62...0.74 : 0.62...0.76
            XCTAssertTrue(c.passes(pullWindow: 0.9...1.1, coverageWindow: coverage), "\(modes) modes: \(c)")
            let p = Calibration.evaluate(estimates: r.est, errors: r.plain, truth: Stats.mean(r.est))
            print("RMI run calibration, regionSD over 8 runs, \(modes) modes, plain jackknife: \(p)")
            if modes == 3 { XCTAssertGreaterThan(p.pullSD, 1.1, "the plain jackknife is too small here") }
        }
        let one = spreadReplicates(modes: 1, seed: 47)
        print("RMI run calibration, regionSD over 8 runs, 1 mode, log-jackknife × t (not calibrated): "
              + "\(Calibration.evaluate(estimates: one.est, errors: one.err, truth: Stats.mean(one.est)))")
    }

    /// The crossing read off by linear interpolation on the authors' σ grid, with the delta-method error from the two
    /// bracketing differences (each with a random-halves-like error, itself uncertain by 10 %).
    func testLinearCrossingError() {
        let s = Stats.linspace(0.1, 1, 20)
        let curve = s.map { -7.5 * ($0 - 0.178) + 5 * ($0 - 0.178) * ($0 - 0.178) }
        let e = s.map { 0.002 + 0.001 * $0 }
        let truth = CurveCrossing.linearInterpolation(s: s, d: curve)!
        let root = Xoshiro256(seed: 53)
        var est = [Double](), err = [Double]()
        for i in 0..<replicates {
            var rng = root.child(i)
            let d = zip(curve, e).map { $0 + $1 * rng.normal() }
            let claimed = e.map { $0 * (1 + 0.1 * rng.normal()) }
            let c = CurveCrossing.linearInterpolation(s: s, d: d, errors: claimed)!
            est.append(c.root); err.append(c.error)
        }
        let r = check(est, err, truth: truth, label: "linear-interpolation crossing, delta method")
        XCTAssertLessThan(abs(r.pullMean), 0.1)
    }

    /// The mean difference of our 20 values from the authors' single estimates with the same errors (which vary by 5×
    /// over the levels, as ours do); the old form mean(e)·√(2/L) is smaller than the exact √(2Σe²)/L.
    func testMeanDifferenceError() {
        let levels = 20
        let e = Stats.linspace(0.0005, 0.0025, levels)
        let truth = (0..<levels).map { 1 + 0.05 * Double($0) }
        let root = Xoshiro256(seed: 59)
        var est = [Double](), err = [Double](), old = [Double]()
        for i in 0..<replicates {
            var rng = root.child(i)
            let theirs = zip(truth, e).map { $0 + $1 * rng.normal() }
            let ours = zip(truth, e).map { $0 + $1 * rng.normal() }
            let claimed = e.map { $0 * (1 + 0.1 * rng.normal()) }
            let d = MeanDifference.estimate(ours: ours, theirs: theirs, errors: claimed)
            est.append(d.value); err.append(d.error); old.append(Stats.mean(claimed) * (2.0 / Double(levels)).squareRoot())
        }
        check(est, err, truth: 0, label: "mean difference from the authors' file")
        let o = Calibration.evaluate(estimates: est, errors: old, truth: 0)
        print("RMI run calibration, mean difference, old mean(e)·√(2/L): \(o)")
        XCTAssertGreaterThan(o.pullSD, Calibration.evaluate(estimates: est, errors: err, truth: 0).pullSD)
    }
}
