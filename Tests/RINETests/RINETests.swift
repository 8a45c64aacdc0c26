import XCTest
import Numerics
@testable import RINE

final class ExactRedundancyTests: XCTestCase {
    func testIWedgeOfCanonicalTasks() {
        let expected = ["UNQ": 0.0, "AND": 0.0, "RDNXOR": 1.0, "IMPERFECTRDN": 0.0]
        for t in DiscreteTask.canonical {
            XCTAssertEqual(ExactRedundancy.iWedge(t).value, expected[t.name]!, accuracy: 1e-12, t.name)
        }
        XCTAssertEqual(ExactRedundancy.mutualInformationX1(.and), 0.311278, accuracy: 1e-6)
        XCTAssertEqual(ExactRedundancy.mutualInformationJoint(.unq), 2, accuracy: 1e-12)
        XCTAssertEqual(ExactRedundancy.setPartitions(3).count, 5) // Bell number B3
    }

    func testEightClassDistribution() {
        for n in [4, 8] {
            let t = EightClassTask.distribution(n)
            XCTAssertEqual(t.outcomes.reduce(0.0) { $0 + $1.p }, 1, accuracy: 1e-12)
            XCTAssertEqual(ExactRedundancy.entropyY(t), 3, accuracy: 1e-12)
        }
        XCTAssertEqual(ExactRedundancy.iWedge(EightClassTask.distribution(8)).value, 3, accuracy: 1e-12)
        // n = 6: shared classes 2–5; the random values (shifted 0–7) join classes 2 and 3 to everything, so only classes 4
        // and 5 are common events: Q ∈ {4, 5, rest} with probabilities 1/8, 1/8, 3/4.
        XCTAssertEqual(ExactRedundancy.iWedge(EightClassTask.distribution(6)).value, 0.75 + 0.75 * log2(4.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(ExactRedundancy.iWedge(EightClassTask.distribution(4)).value, 0, accuracy: 1e-12)
        // I∧ by brute force over all coarsenings agrees with I(C; Y) on RDNXOR (4 components, Bell number 15).
        let comp = ExactRedundancy.commonComponents(.rdnxor)
        let brute = ExactRedundancy.setPartitions(4).map { part in
            ExactRedundancy.mi(DiscreteTask.rdnxor.outcomes.map { (part[comp[$0.x1]], $0.y, $0.p) }) }.max()!
        XCTAssertEqual(brute, ExactRedundancy.iWedge(.rdnxor).value, accuracy: 1e-12)
    }
}

final class TrainerTests: XCTestCase {
    func run(_ task: DiscreteTask, beta: Double) -> Double {
        var c = RINEConfig()
        c.beta = beta; c.epochs = 8
        var rng = Xoshiro256(seed: 11)
        let d = task.sample(1500, rng: &rng)
        let s = trainTestSplit([d.x1, d.x2], d.y, trainFraction: 0.8, rng: &rng)
        return RINETrainer(config: c).run(train: s.train, test: s.test, classes: task.ySymbols,
                                          entropyY: ExactRedundancy.entropyY(task), rng: &rng).redundancy
    }

    func testRedundantBitIsFoundAndUniqueBitsAreNot() {
        XCTAssertGreaterThan(run(.rdnxor, beta: 15), 0.8)
        XCTAssertLessThan(run(.unq, beta: 50), 0.2)
        XCTAssertGreaterThan(run(.unq, beta: 0), 0.8, "without the penalty: the average usable information")
    }

    func testTrainingIsDeterministic() {
        XCTAssertEqual(run(.and, beta: 5), run(.and, beta: 5))
    }
}

/// Calibration of the split error of the reach analysis (`HalfSampleSpread`). Synthetic task: Y uniform on 4 symbols,
/// two one-hot sources, each a copy of Y kept with probability 0.6 and otherwise uniform (I(X₁;Y) = 0.643 bits). Each
/// replicate draws a data set of 150 trials and estimates the redundancy as the reach analysis does, the mean over J
/// random 80/20 splits of H_test(Y) − ½(CE₁ + CE₂) with decoders fitted on the training trials of the split. The pulls
/// are taken about the mean over the replicates (`Calibration.Bias.empirical`): the test is of the error's size (how far
/// another data set of the same size moves the estimate); the estimator's bias against I(X;Y) is not tested.
final class SplitErrorCalibrationTests: XCTestCase {
    static let channel: DiscreteTask = {
        var rows = [(Int, Int, Int, Double)]()
        func p(_ x: Int, _ y: Int) -> Double { (x == y ? 0.6 : 0) + 0.4 / 4 }
        for y in 0..<4 { for a in 0..<4 { for b in 0..<4 { rows.append((a, b, y, 0.25 * p(a, y) * p(b, y))) } } }
        return DiscreteTask(name: "NOISY4", rows)
    }()

    /// The design: per halving the two halves partition the trials; per partition the folds partition the half, and each
    /// fold's rest is the other folds of its half.
    func testHalvingDesignCoversEachHalfOncePerPartition() {
        var rng = Xoshiro256(seed: 40)
        let u = HalfSampleSpread.units(count: 31, halvings: 3, folds: 4, partitions: 2, rng: &rng)
        XCTAssertEqual(u.count, 3 * 2 * 2 * 4)
        for k in 0..<3 {
            let halves = (0..<2).map { h in Set(u.filter { $0.halving == k && $0.half == h && $0.partition == 0 }.flatMap(\.test)) }
            XCTAssertEqual(halves[0].count, 15); XCTAssertEqual(halves[1].count, 16)
            XCTAssertTrue(halves[0].isDisjoint(with: halves[1]))
            XCTAssertEqual(halves[0].union(halves[1]), Set(0..<31))
            for h in 0..<2 { for p in 0..<2 {
                let folds = u.filter { $0.halving == k && $0.half == h && $0.partition == p }
                XCTAssertEqual(folds.map(\.fold), [0, 1, 2, 3])
                XCTAssertEqual(folds.flatMap(\.test).count, halves[h].count, "each trial of the half tested once")
                for f in folds { XCTAssertEqual(Set(f.test + f.rest), halves[h]); XCTAssertTrue(Set(f.test).isDisjoint(with: f.rest)) }
            } }
        }
        // The summary on a design whose halves agree exactly: no data variance, the error is the t-corrected split spread.
        let s = HalfSampleSpread.summary(splitEstimates: [1, 2, 3], unitEstimates: [Double](repeating: 5, count: 48), halvings: 3, folds: 4, partitions: 2)
        XCTAssertEqual(s.dataVariance, 0); XCTAssertEqual(s.mean, 2)
        XCTAssertEqual(s.error, StudentT.oneSigmaQuantile(dof: 2) * (1.0 / 3).squareRoot(), accuracy: 1e-12)
    }

    /// The split estimate with decoders fitted by counting: p̂ᵢ(y | xᵢ) the add-one smoothed frequencies of the training
    /// trials, read on the test trials against the entropy of their labels (bits). Cheap, and fitted on the same data set
    /// like RINE's decoders, so it has the training dependence the error has to account for.
    static func countingEstimate(_ d: (x1: [Int], x2: [Int], y: [Int]), test: [Int], rest: [Int]) -> Double {
        var ce = 0.0
        for x in [d.x1, d.x2] {
            var table = [Double](repeating: 1, count: 16)
            for t in rest { table[x[t] * 4 + d.y[t]] += 1 }
            for a in 0..<4 { let s = (0..<4).reduce(0.0) { $0 + table[a * 4 + $1] }; for y in 0..<4 { table[a * 4 + y] /= s } }
            ce += test.reduce(0.0) { $0 - log2(table[x[$1] * 4 + d.y[$1]]) } / Double(test.count)
        }
        return RINEReadout.labelEntropy(test.map { d.y[$0] }) - ce / 2
    }

    /// One replicate: the mean of J random 80/20 split estimates, its plain t-corrected split spread and the
    /// `HalfSampleSpread` error (K = 8 halvings, 5 folds, 2 partitions).
    static func replicate(samples n: Int, splits: Int, halvings: Int, folds: Int, partitions: Int, rng: inout Xoshiro256,
                          estimate: (_ test: [Int], _ rest: [Int], _ rng: inout Xoshiro256) -> Double) -> (mean: Double, plain: Double, calibrated: Double) {
        let v = (0..<splits).map { _ -> Double in
            let perm = rng.permutation(n), nTest = n / 5
            return estimate(Array(perm[0..<nTest]), Array(perm[nTest...]), &rng)
        }
        let units = HalfSampleSpread.units(count: n, halvings: halvings, folds: folds, partitions: partitions, rng: &rng)
        let u = units.map { estimate($0.test, $0.rest, &rng) }
        let s = HalfSampleSpread.summary(splitEstimates: v, unitEstimates: u, halvings: halvings, folds: folds, partitions: partitions)
        return (s.mean, ReplicateMean.coverage(v).error, s.error)
    }

    /// 500 data sets of 150 trials, 10 splits each, counting decoders: the plain split spread (what the reach analysis
    /// reported before) undercovers badly; `HalfSampleSpread` has pull sd in 0.9–1.1 and ±1σ coverage in 62–74 %.
    /// About a second in debug.
    func testHalfSampleSpreadIsCalibratedWithFittedDecoders() {
        let task = Self.channel
        XCTAssertEqual(ExactRedundancy.mutualInformationX1(task), 0.6428, accuracy: 1e-3)
        let root = Xoshiro256(seed: 41)
        let runs = Parallel.map(500) { r -> (mean: Double, plain: Double, calibrated: Double) in
            var rng = root.child(r)
            let d = task.sample(150, oneHot: true, rng: &rng)
            let data = (x1: (0..<150).map { t in (0..<4).first { d.x1[t, $0] > 0 }! }, x2: (0..<150).map { t in (0..<4).first { d.x2[t, $0] > 0 }! }, y: d.y)
            return Self.replicate(samples: 150, splits: 10, halvings: 8, folds: 5, partitions: 2, rng: &rng) { test, rest, _ in
                Self.countingEstimate(data, test: test, rest: rest)
            }
        }
        let truth = ExactRedundancy.mutualInformationX1(task)
        let plain = Calibration.evaluate(estimates: runs.map(\.mean), errors: runs.map(\.plain), truth: truth, bias: .empirical)
        let calibrated = Calibration.evaluate(estimates: runs.map(\.mean), errors: runs.map(\.calibrated), truth: truth, bias: .empirical)
        print("split error calibration (counting decoders), HalfSampleSpread: \(calibrated)\nplain split spread: \(plain)")
        XCTAssertGreaterThan(plain.pullSD, 1.3, "plain split spread: " + plain.description)
        XCTAssertTrue(calibrated.passes, "HalfSampleSpread: " + calibrated.description)
    }

    /// The same with RINE's own trainer (linear decoders, β = 1, 3 epochs: a cheap configuration) instead of counting:
    /// the training noise enters the split estimates too. Slow (about 100 trainings per replicate), so only with
    /// RINE_LONG_CALIBRATION=<replicates> (≥ 200; 500 for the acceptance window) in the environment: 500 replicates
    /// took 62 CPU s in debug.
    func testHalfSampleSpreadIsCalibratedWithRINE() throws {
        guard let env = ProcessInfo.processInfo.environment["RINE_LONG_CALIBRATION"], let replicates = Int(env), replicates >= 200 else {
            throw XCTSkip("set RINE_LONG_CALIBRATION=<replicates ≥ 200> to run the RINE calibration")
        }
        let task = Self.channel
        var c = RINEConfig()
        c.hidden = []; c.batchNorm = false; c.learningRate = 0.5; c.momentum = 0.5; c.weightDecay = 0
        c.batchSize = 60; c.epochs = 3; c.beta = 1; c.scheduleBeta = false
        let root = Xoshiro256(seed: 43)
        let runs = Parallel.map(replicates) { r -> (mean: Double, plain: Double, calibrated: Double) in
            var rng = root.child(r)
            let d = task.sample(150, oneHot: true, rng: &rng)
            return Self.replicate(samples: 150, splits: 6, halvings: 6, folds: 4, partitions: 2, rng: &rng) { test, rest, rng in
                let tr = (x: [d.x1.selectingRows(rest), d.x2.selectingRows(rest)], y: rest.map { d.y[$0] })
                let te = (x: [d.x1.selectingRows(test), d.x2.selectingRows(test)], y: test.map { d.y[$0] })
                return RINETrainer(config: c).run(train: tr, test: te, classes: 4, entropyY: RINEReadout.labelEntropy(te.y), rng: &rng).redundancy
            }
        }
        let truth = ExactRedundancy.mutualInformationX1(task)
        let plain = Calibration.evaluate(estimates: runs.map(\.mean), errors: runs.map(\.plain), truth: truth, bias: .empirical)
        let calibrated = Calibration.evaluate(estimates: runs.map(\.mean), errors: runs.map(\.calibrated), truth: truth, bias: .empirical)
        print("split error calibration (RINE), HalfSampleSpread: \(calibrated)\nplain split spread: \(plain)")
        // Measured 2026-12-04, 500 replicates: HalfSampleSpread pull sd 1.066, coverage 71.6 %; plain 1.267 / 64.0 % (this
        // cheap trainer's own noise is a larger part of the split spread than with counting decoders).
        XCTAssertGreaterThan(plain.pullSD, 1.15, "plain split spread: " + plain.description)
        XCTAssertTrue(calibrated.passes(pullWindow: 0.9...1.1, coverageWindow: replicates >= 500 ? 0.62...0.74 : 0.6...0.76), "HalfSampleSpread: " + calibrated.description)
    }
}
