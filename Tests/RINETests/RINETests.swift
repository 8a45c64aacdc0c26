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

/// The error of a mean over random train/test splits of one data set (issue 22: the split spread of the network
/// estimates), on a synthetic task: Y uniform on 4 symbols, each source a noisy copy (the symbol itself with probability
/// 0.6, else uniform), one-hot inputs, I(Xᵢ; Y) = 0.643 bits. Each of 300 replicate data sets of 150 samples is split 10
/// times 80/20 and RINE (β = 1, linear decoders, a few SGD steps: a cheap configuration) is trained on every split. The
/// pulls are taken about the mean over the replicates (`Calibration.Bias.empirical`): the test is of the error's size,
/// i.e. of how far another data set of the same size would move the estimate; the estimator's bias against I(X; Y) is
/// printed, not tested. Finding (not yet a calibrated error): the plain t-corrected spread over splits, the error the
/// reach analysis reports, is too small (here pull sd 1.48, coverage 55 %; 1.76 and 48 % with 500 replicates of 200
/// samples and 12 splits); `SplitSpread`, which adds v/n for the sampling of the data set, is conservative (pull sd
/// 0.74, coverage 83 %; 0.88 and 75 % in the larger run). The assertions pin both sides of that bracket. 15 s in debug
/// on the shared machine.
final class SplitSpreadCalibrationTests: XCTestCase {
    static let channel: DiscreteTask = {
        var rows = [(Int, Int, Int, Double)]()
        func p(_ x: Int, _ y: Int) -> Double { (x == y ? 0.6 : 0) + 0.4 / 4 }
        for y in 0..<4 { for a in 0..<4 { for b in 0..<4 { rows.append((a, b, y, 0.25 * p(a, y) * p(b, y))) } } }
        return DiscreteTask(name: "NOISY4", rows)
    }()

    /// The per-trial contributions rₛ = −log₂ f(yₛ) − ½(CE₁(s) + CE₂(s)) average exactly to the split's estimate.
    func testPerTrialContributionsAverageToTheEstimate() {
        var rng = Xoshiro256(seed: 42)
        let d = Self.channel.sample(300, oneHot: true, rng: &rng)
        let s = trainTestSplit([d.x1, d.x2], d.y, trainFraction: 0.8, rng: &rng)
        var c = RINEConfig()
        c.hidden = []; c.batchNorm = false; c.epochs = 3
        let h = RINEReadout.labelEntropy(s.test.y)
        let run = RINETrainer(config: c).run(train: s.train, test: s.test, classes: 4, entropyY: h, rng: &rng)
        var counts = [Int: Int]()
        for y in s.test.y { counts[y, default: 0] += 1 }
        let r = zip(run.perSampleRedundancy, s.test.y).map { $0 - h - log2(Double(counts[$1]!) / Double(s.test.y.count)) }
        XCTAssertEqual(Stats.mean(r), run.redundancy, accuracy: 1e-5)
        XCTAssertEqual(SplitSpread.perSampleVariance(perSampleRedundancy: run.perSampleRedundancy, labels: s.test.y, entropyY: h), Stats.variance(r), accuracy: 1e-12)
    }

    func testThePlainSplitSpreadUndercoversAndSplitSpreadBracketsIt() {
        let task = Self.channel
        XCTAssertEqual(ExactRedundancy.mutualInformationX1(task), 0.6428, accuracy: 1e-3)
        var c = RINEConfig()
        c.hidden = []; c.batchNorm = false; c.learningRate = 0.5; c.momentum = 0.5; c.weightDecay = 0
        c.batchSize = 60; c.epochs = 3; c.beta = 1; c.scheduleBeta = false
        let splits = 10, samples = 150, replicates = 300
        let root = Xoshiro256(seed: 41)
        var counts = (test: 0, rest: 0)
        let runs = Parallel.map(replicates) { r -> (mean: Double, plain: Double, corrected: Double, test: Int, rest: Int) in
            var rng = root.child(r)
            let d = task.sample(samples, oneHot: true, rng: &rng)
            var test = 0, rest = 0
            let v = (0..<splits).map { _ -> (Double, Double) in
                let s = trainTestSplit([d.x1, d.x2], d.y, trainFraction: 0.8, rng: &rng)
                test = s.test.y.count; rest = s.train.y.count
                let h = RINEReadout.labelEntropy(s.test.y)
                let run = RINETrainer(config: c).run(train: s.train, test: s.test, classes: 4, entropyY: h, rng: &rng)
                return (run.redundancy, SplitSpread.perSampleVariance(perSampleRedundancy: run.perSampleRedundancy, labels: s.test.y, entropyY: h))
            }
            let plain = SeedSpread.summary(v.map(\.0)), corrected = SplitSpread.summary(v.map(\.0), perSampleVariances: v.map(\.1), dataSize: samples)
            return (plain.mean, plain.error, corrected.error, test, rest)
        }
        counts = (runs[0].test, runs[0].rest)
        XCTAssertEqual(counts.test, 30); XCTAssertEqual(counts.rest, 120)
        let truth = ExactRedundancy.mutualInformationX1(task)
        let corrected = Calibration.evaluate(estimates: runs.map(\.mean), errors: runs.map(\.corrected), truth: truth, bias: .empirical)
        let plain = Calibration.evaluate(estimates: runs.map(\.mean), errors: runs.map(\.plain), truth: truth, bias: .empirical)
        // The plain spread undercovers; SplitSpread covers at least as often as a one-σ interval should, without being
        // wider than about 1.4 times the actual spread of the estimates.
        XCTAssertGreaterThan(plain.pullSD, 1.3, "plain split spread: " + plain.description)
        XCTAssertLessThan(plain.coverage, 0.6, "plain split spread: " + plain.description)
        XCTAssertGreaterThanOrEqual(corrected.coverage, 0.66, "SplitSpread: " + corrected.description)
        XCTAssertTrue((0.7...1.1).contains(corrected.pullSD), "SplitSpread: " + corrected.description)
        print("split spread calibration, corrected: \(corrected)\nplain: \(plain)")
    }
}
