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

final class PremotorSimulationTests: XCTestCase {
    /// The shuffle keeps every trial's target, moves every trial of a target with more than one trial, and is a permutation.
    func testTargetShuffleIsADerangementWithinTargets() {
        var rng = Xoshiro256(seed: 12)
        let y = (0..<90).map { _ in rng.int(below: 8) } + [8]
        let pi = TargetShuffle.permutation(y, rng: &rng)
        XCTAssertEqual(Set(pi), Set(y.indices))
        XCTAssertTrue(y.indices.allSatisfy { y[pi[$0]] == y[$0] })
        XCTAssertTrue(y.indices.allSatisfy { t in pi[t] != t || y.filter { $0 == y[t] }.count == 1 })
        XCTAssertEqual(pi[90], 90, "a target with one trial keeps it")
    }

    /// Shapes, target order, and the AR(1) deviation: the correlation of the decoded plan between windows falls with
    /// their distance as ρᵏ. The plan is read from the population vector of 400 neurons with strong tuning.
    func testSimulationShapesAndSharedPlanVariability() {
        var sim = PremotorSimulation()
        sim.neurons = 400; sim.windows = 3; sim.planSD = 0.4; sim.planCorrelation = 0.6; sim.windowSeconds = 1
        var rng = Xoshiro256(seed: 13)
        let tuning = sim.tuning(rng: &rng)
        let d = sim.simulate(trialsPerTarget: 150, tuning: tuning, rng: &rng)
        XCTAssertEqual(d.x.count, 3)
        XCTAssertEqual(d.x[0].rows, 1200)
        XCTAssertEqual(d.y[149], 0); XCTAssertEqual(d.y[150], 1); XCTAssertEqual(d.y[1199], 7)
        func deviation(_ w: Int, _ t: Int) -> Double {
            var c = 0.0, s = 0.0
            for i in 0..<sim.neurons { c += Double(d.x[w][t, i]) * cos(tuning.preferred[i]); s += Double(d.x[w][t, i]) * sin(tuning.preferred[i]) }
            let e = atan2(s, c) - Double(d.y[t]) * Double.pi / 4
            return atan2(sin(e), cos(e))
        }
        let dev = (0..<3).map { w in (0..<1200).map { deviation(w, $0) } }
        func corr(_ a: [Double], _ b: [Double]) -> Double {
            let ma = Stats.mean(a), mb = Stats.mean(b)
            let c = zip(a, b).reduce(0.0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
            return c / (a.reduce(0.0) { $0 + ($1 - ma) * ($1 - ma) } * b.reduce(0.0) { $0 + ($1 - mb) * ($1 - mb) }).squareRoot()
        }
        // The population-vector read-out adds its own noise, so the correlations come out a little below ρ and ρ².
        let c1 = corr(dev[0], dev[1]), c2 = corr(dev[0], dev[2])
        XCTAssertGreaterThan(c1, 0.45); XCTAssertLessThan(c1, 0.65)
        XCTAssertGreaterThan(c2, 0.25); XCTAssertLessThan(c2, 0.42)
        sim.planCorrelation = 0
        let e = sim.simulate(trialsPerTarget: 150, tuning: tuning, rng: &rng)
        let dev0 = (0..<2).map { w in (0..<1200).map { t -> Double in
            var c = 0.0, s = 0.0
            for i in 0..<sim.neurons { c += Double(e.x[w][t, i]) * cos(tuning.preferred[i]); s += Double(e.x[w][t, i]) * sin(tuning.preferred[i]) }
            let x = atan2(s, c) - Double(e.y[t]) * Double.pi / 4
            return atan2(sin(x), cos(x))
        } }
        XCTAssertLessThan(abs(corr(dev0[0], dev0[1])), 0.08)
    }

    /// The true-model information of one window: close to log₂ 8 = 3 bits when the plan barely varies and the neurons are
    /// many, and close to the information of the plan alone when the Poisson noise is small (σ_plan = 0.3: 2.33 bits for
    /// a wrapped normal around 8 targets 45° apart, by Monte Carlo; the counts add an angle noise of about 0.06 rad).
    func testBayesInformationLimits() {
        var sim = PremotorSimulation()
        sim.neurons = 60; sim.windows = 1; sim.windowSeconds = 0.5
        var rng = Xoshiro256(seed: 14)
        let tuning = sim.tuning(rng: &rng)
        sim.planSD = 0.05
        let sharp = sim.simulate(trialsPerTarget: 40, tuning: tuning, rng: &rng)
        XCTAssertGreaterThan(sim.bayesInformation(counts: sharp.x[0], y: sharp.y, tuning: tuning, nodes: 31), 2.9)
        sim.planSD = 0.3
        let broad = sim.simulate(trialsPerTarget: 60, tuning: tuning, rng: &rng)
        XCTAssertEqual(sim.bayesInformation(counts: broad.x[0], y: broad.y, tuning: tuning, nodes: 121), 2.31, accuracy: 0.15)
    }
}

final class CrossEntropyStoppingTests: XCTestCase {
    /// Stopping on the validation cross-entropy alone: the best epoch is the lowest mean validation cross-entropy, training
    /// ends `patience` epochs after it (or at the last epoch), and the rule read from the history picks the same epoch.
    func testStoppingOnTheCrossEntropyAlone() {
        var rng = Xoshiro256(seed: 15)
        let d = DiscreteTask.rdnxor.sample(900, rng: &rng)
        let s = trainTestSplit([d.x1, d.x2], d.y, trainFraction: 0.8, rng: &rng)
        let v = trainTestSplit(s.train.x, s.train.y, trainFraction: 0.75, rng: &rng)
        var c = RINEConfig()
        c.epochs = 40; c.learningRate = 0.2
        var r1 = Xoshiro256(seed: 3), r2 = Xoshiro256(seed: 3)
        let ce = RINETrainer(config: c).run(train: v.train, test: s.test, classes: 4, entropyY: 2, validation: v.test,
                                            stopping: EarlyStopping(patience: 3, criterion: .crossEntropy), rng: &r1)
        let valCE = ce.validationCrossEntropiesPerEpoch.map { $0.reduce(0, +) / Double($0.count) * M_LN2 }
        let best = ce.bestEpoch!
        XCTAssertEqual(valCE[best], valCE.min()!)
        XCTAssertEqual(ce.history.count, min(40, best + 4))
        XCTAssertEqual(EarlyStopping(patience: 3).stoppingEpoch(valCE), best)
        // Up to the earlier of the two stops, training is the same as with the objective watched.
        let obj = RINETrainer(config: c).run(train: v.train, test: s.test, classes: 4, entropyY: 2, validation: v.test,
                                             stopping: EarlyStopping(patience: 3), rng: &r2)
        let common = min(ce.history.count, obj.history.count)
        XCTAssertEqual(Array(ce.validationObjective.prefix(common)), Array(obj.validationObjective.prefix(common)))
    }
}
