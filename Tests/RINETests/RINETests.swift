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
