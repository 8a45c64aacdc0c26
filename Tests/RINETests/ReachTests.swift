import XCTest
import Numerics
@testable import RINE

final class PreferredDirectionTests: XCTestCase {
    func testCosineTuningIsRecovered() {
        for pd in [0.3, 2.0, 4.5, 6.1] {
            let curve = (0..<8).map { 10 + 4 * cos(PreferredDirection.angle(ofDirection: $0) - pd) }
            let f = PreferredDirection.fit(curve)
            XCTAssertEqual(f.angle, pd, accuracy: 1e-12)
            XCTAssertEqual(f.cosineR2, 1, accuracy: 1e-12)
        }
        XCTAssertEqual(PreferredDirection.fit([Double](repeating: 3, count: 8)).cosineR2, 0)
        // A pure second harmonic has no cosine component.
        XCTAssertEqual(PreferredDirection.fit((0..<8).map { cos(2 * PreferredDirection.angle(ofDirection: $0)) }).cosineR2, 0, accuracy: 1e-12)
    }

    func testTuningCurvesUseOnlyTheGivenTrials() {
        // Neuron 0 fires 1 + direction; trial 3 (direction 1) is an outlier that must be ignored when left out.
        let dirs = [0, 0, 1, 1, 2, 3, 4, 5, 6, 7]
        var rates = Matrix<Double>(rows: dirs.count, cols: 1)
        for t in dirs.indices { rates[t, 0] = Double(1 + dirs[t]) }
        rates[3, 0] = 100
        let c = PreferredDirection.tuningCurves(rates: rates, directions: dirs, trials: dirs.indices.filter { $0 != 3 })
        XCTAssertEqual(c[0], (0..<8).map { Double(1 + $0) })
    }

    func testGroupsAreEqualSectorsInAngleOrder() {
        let angles = [5.0, 0.1, 3.0, 1.0, 6.0, 2.0, 4.0, 0.5, 2.5]
        let g = PreferredDirection.groups(angles, count: 3)
        XCTAssertEqual(g.map(\.count), [3, 3, 3])
        XCTAssertEqual(Set(g.flatMap { $0 }), Set(angles.indices))
        XCTAssertEqual(g[0], [1, 3, 7])       // 0.1, 1.0, 0.5
        XCTAssertEqual(g[2], [0, 4, 6])       // 5.0, 6.0, 4.0
    }
}

final class PseudoSessionTests: XCTestCase {
    func testPairsShareTheTargetAndUseEachTrialOnce() {
        var rng = Xoshiro256(seed: 3)
        let dirs = (0..<101).map { _ in rng.int(below: 8) }
        let pairs = PseudoSession.pairs(directions: dirs, rng: &rng)
        XCTAssertEqual(pairs.count, (0..<8).reduce(0) { acc, c in acc + dirs.filter { $0 == c }.count / 2 })
        XCTAssertTrue(pairs.allSatisfy { dirs[$0.0] == dirs[$0.1] && $0.0 != $0.1 })
        let used = pairs.flatMap { [$0.0, $0.1] }
        XCTAssertEqual(Set(used).count, used.count)
    }

    func testPartitionIsDisjointAndCovers() {
        var rng = Xoshiro256(seed: 4)
        let p = TrialPartition(count: 158, testFraction: 0.2, validationFraction: 0.2, rng: &rng)
        XCTAssertEqual(p.test.count, 32)
        XCTAssertEqual(p.validation.count, 25)
        XCTAssertEqual(Set(p.train + p.validation + p.test), Set(0..<158))
        XCTAssertEqual(p.train.count + p.validation.count + p.test.count, 158)
    }
}

final class EarlyStoppingTests: XCTestCase {
    func split(_ seed: UInt64) -> (train: (x: [Matrix<Float>], y: [Int]), val: (x: [Matrix<Float>], y: [Int]), test: (x: [Matrix<Float>], y: [Int])) {
        var rng = Xoshiro256(seed: seed)
        let d = DiscreteTask.rdnxor.sample(900, rng: &rng)
        let s = trainTestSplit([d.x1, d.x2], d.y, trainFraction: 0.8, rng: &rng)
        let v = trainTestSplit(s.train.x, s.train.y, trainFraction: 0.75, rng: &rng)
        return (v.train, v.test, s.test)
    }

    /// With a patience longer than training, the validation pass changes nothing: same random stream, same result.
    func testValidationWithoutStoppingLeavesTheRunUnchanged() {
        var c = RINEConfig()
        c.epochs = 6
        let d = split(5)
        var r1 = Xoshiro256(seed: 9), r2 = Xoshiro256(seed: 9)
        let plain = RINETrainer(config: c).run(train: d.train, test: d.test, classes: 4, entropyY: 2, rng: &r1)
        let watched = RINETrainer(config: c).run(train: d.train, test: d.test, classes: 4, entropyY: 2,
                                                 validation: d.val, stopping: EarlyStopping(patience: 100), rng: &r2)
        XCTAssertEqual(plain.redundancy, watched.redundancy)
        XCTAssertEqual(watched.validationObjective.count, 6)
        XCTAssertEqual(watched.validationObjective[watched.bestEpoch!], watched.validationObjective.min()!)
        XCTAssertEqual(watched.readout(atEpoch: 5).redundancy, watched.redundancy)
        XCTAssertNil(plain.bestEpoch)
    }

    func testTrainingStopsAfterPatienceEpochsWithoutImprovement() {
        var c = RINEConfig()
        c.epochs = 40; c.learningRate = 0.2  // a large step: the validation objective stalls early
        let d = split(6)
        var rng = Xoshiro256(seed: 2)
        let r = RINETrainer(config: c).run(train: d.train, test: d.test, classes: 4, entropyY: 2,
                                           validation: d.val, stopping: EarlyStopping(patience: 3), rng: &rng)
        let best = r.bestEpoch!
        XCTAssertEqual(r.history.count, min(40, best + 4))
        XCTAssertTrue(r.validationObjective[(best + 1)...].allSatisfy { $0 >= r.validationObjective[best] })
        XCTAssertEqual(EarlyStopping(patience: 3).stoppingEpoch(r.validationObjective), best)
    }

    /// A shorter patience read from the history of a run with a longer one picks the epoch a run with the shorter
    /// patience picks: training is the same up to the earlier stop (the reach analysis' spread over stopping rules).
    func testShorterPatienceIsReadFromTheLongerRunsHistory() {
        var c = RINEConfig()
        c.epochs = 40; c.learningRate = 0.2
        let d = split(6)
        var r1 = Xoshiro256(seed: 2), r2 = Xoshiro256(seed: 2)
        let long = RINETrainer(config: c).run(train: d.train, test: d.test, classes: 4, entropyY: 2,
                                              validation: d.val, stopping: EarlyStopping(patience: 8), rng: &r1)
        let short = RINETrainer(config: c).run(train: d.train, test: d.test, classes: 4, entropyY: 2,
                                               validation: d.val, stopping: EarlyStopping(patience: 3), rng: &r2)
        XCTAssertEqual(EarlyStopping(patience: 3).stoppingEpoch(long.validationObjective), short.bestEpoch)
        XCTAssertEqual(Array(long.validationObjective.prefix(short.validationObjective.count)), short.validationObjective)
        XCTAssertEqual(long.validationCrossEntropiesPerEpoch.count, long.history.count)
        XCTAssertEqual(EarlyStopping(patience: 2).stoppingEpoch([3, 2, 2.5, 2.5, 1]), 1, "stops at epoch 3, before the later minimum")
        XCTAssertEqual(EarlyStopping(patience: 5).stoppingEpoch([3, 2, 2.5, 2.5, 1]), 4)
        XCTAssertNil(EarlyStopping(patience: 5).stoppingEpoch([]))
    }
}

final class EightClassSamplingTests: XCTestCase {
    func testBalancedLabelsAndSharedInputs() {
        var rng = Xoshiro256(seed: 8)
        let d = EightClassTask.sample(80, n: 4, common: 3, balancedLabels: true, rng: &rng)
        XCTAssertEqual(d.y, (0..<80).map { $0 % 8 })
        XCTAssertEqual(d.x[0].cols, 4)
        for i in 0..<80 {
            XCTAssertEqual(d.x[0].row(i).suffix(3), [-2, -2, -2])
            XCTAssertEqual(d.x[1].row(i).suffix(3), [-2, -2, -2])
            if d.y[i] < 4 { XCTAssertEqual(d.x[0][i, 0], Float(d.y[i])) }
            if d.y[i] >= 4 { XCTAssertEqual(d.x[1][i, 0], Float(d.y[i])) }
        }
    }

    /// Shared constant inputs pull the cosine towards 1, independent noise inputs towards 0; zero vectors are left out.
    func testCosineSimilarityCurves() {
        var rng = Xoshiro256(seed: 9)
        let c0 = EightClassTask.cosineSimilarity(EightClassTask.sample(4000, n: 4, common: 0, balancedLabels: true, rng: &rng).x)
        let c20 = EightClassTask.cosineSimilarity(EightClassTask.sample(4000, n: 4, common: 20, balancedLabels: true, rng: &rng).x)
        let n20 = EightClassTask.cosineSimilarity(EightClassTask.sample(4000, n: 8, noise: 20, balancedLabels: true, rng: &rng).x)
        XCTAssertGreaterThan(c20, 0.8)
        XCTAssertLessThan(c0, c20)
        XCTAssertLessThan(abs(n20), 0.3)
        // n = 8 without appended inputs: both scalars equal the class, so the cosine is 1 except for class 0 (zero vector, left out).
        XCTAssertEqual(EightClassTask.cosineSimilarity(EightClassTask.sample(800, n: 8, noise: 0, balancedLabels: true, rng: &rng).x), 1, accuracy: 1e-12)
        XCTAssertTrue(EightClassTask.cosineSimilarity([Matrix<Float>(rows: 2, cols: 1), Matrix<Float>(rows: 2, cols: 1)]).isNaN)
    }
}
