import XCTest
import Numerics
@testable import RINE

/// `RINEBiasCorrection` against the known truth (issue 22): the readout Ĥ_test − CE of decoders fitted on the same data
/// set is biased low (the plug-in entropy of the test labels and the decoders' learning bias); the corrected readout,
/// with its error from the same HalfSampleSpread design, must cover the truth itself, without removing any bias.
final class BiasCorrectionCalibrationTests: XCTestCase {
    func testMillerMadowTerm() {
        XCTAssertEqual(RINEBiasCorrection.millerMadow([0, 1, 2, 3, 0, 1, 2, 3]), 3 / (16 * M_LN2), accuracy: 1e-15)
        XCTAssertEqual(RINEBiasCorrection.millerMadow([5, 5, 5]), 0)
        XCTAssertEqual(RINEBiasCorrection.corrected(full: 1, halfTrain: 0.9, testLabels: [1, 1]), 1.1, accuracy: 1e-15)
    }

    /// 500 data sets of 600 trials of SplitErrorCalibrationTests' noisy channel (truth I(X₁;Y) = 0.6428 bits), counting
    /// decoders (add-one smoothed frequencies), 10 splits, HalfSampleSpread with 8 halvings × 2 partitions × 5 folds.
    /// Plain readout: pulls about the truth are off-centre (bias ≈ −0.03 bits, ±1σ covers < 62 %). Corrected readout
    /// (Miller–Madow on the test-label entropy, 2 CE(n) − CE(n/2) from a second fit on a random half of each partition's
    /// training trials): pull sd in 0.9–1.1 and coverage in 62–74 % about the truth, no bias removed. A prototype of the
    /// same design (200 replicates) gave bias −0.0028, pull sd 1.04, coverage 70 % corrected; −0.031, 1.08, 57.5 % plain.
    ///
    /// 175 s in debug (2026-12-07, loaded machine), so only with RINE_BIAS_CALIBRATION=1 in the environment:
    /// `RINE_BIAS_CALIBRATION=1 swift test -c release --filter BiasCorrectionCalibrationTests`. Measured (debug, 500
    /// replicates): corrected pull mean −0.064, pull sd 1.068, coverage 64.6 %, mean error 0.0476 vs sd of estimates
    /// 0.0465; plain pull mean −0.847, pull sd 1.053, coverage 54.4 %.
    func testCorrectedReadoutCoversTheTruth() throws {
        guard ProcessInfo.processInfo.environment["RINE_BIAS_CALIBRATION"] != nil else {
            throw XCTSkip("set RINE_BIAS_CALIBRATION=1 to run the bias-correction calibration (500 replicates)")
        }
        let task = SplitErrorCalibrationTests.channel, n = 600
        let truth = ExactRedundancy.mutualInformationX1(task)
        let root = Xoshiro256(seed: 46)
        let runs = Parallel.map(500) { r -> (plain: Double, plainError: Double, corrected: Double, correctedError: Double) in
            var rng = root.child(r)
            let d = task.sample(n, oneHot: true, rng: &rng)
            let data = (x1: (0..<n).map { t in (0..<4).first { d.x1[t, $0] > 0 }! }, x2: (0..<n).map { t in (0..<4).first { d.x2[t, $0] > 0 }! }, y: d.y)
            var rngPlain = rng.child(1), rngCorrected = rng.child(2)
            let plain = SplitErrorCalibrationTests.replicate(samples: n, splits: 10, halvings: 8, folds: 5, partitions: 2, rng: &rngPlain) { test, rest, _ in
                SplitErrorCalibrationTests.countingEstimate(data, test: test, rest: rest)
            }
            let corrected = SplitErrorCalibrationTests.replicate(samples: n, splits: 10, halvings: 8, folds: 5, partitions: 2, rng: &rngCorrected) { test, rest, rng in
                let half = rng.permutation(rest.count).prefix(rest.count / 2).map { rest[$0] }
                return RINEBiasCorrection.corrected(full: SplitErrorCalibrationTests.countingEstimate(data, test: test, rest: rest),
                                                    halfTrain: SplitErrorCalibrationTests.countingEstimate(data, test: test, rest: half),
                                                    testLabels: test.map { data.y[$0] })
            }
            return (plain.mean, plain.calibrated, corrected.mean, corrected.calibrated)
        }
        let plain = Calibration.evaluate(estimates: runs.map(\.plain), errors: runs.map(\.plainError), truth: truth)
        let corrected = Calibration.evaluate(estimates: runs.map(\.corrected), errors: runs.map(\.correctedError), truth: truth)
        print("bias correction calibration, corrected: \(corrected)\nplain (no correction): \(plain)")
        XCTAssertTrue(corrected.passes, "corrected: " + corrected.description)
        XCTAssertFalse(plain.passes, "plain: " + plain.description)
        XCTAssertLessThan(plain.coverage, 0.62, "plain: " + plain.description)
    }
}
