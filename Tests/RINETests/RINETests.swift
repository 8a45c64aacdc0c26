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

    func testIdealisedEightClassRedundancy() {
        XCTAssertEqual(EightClassTask.exactRedundancy(4), 0, accuracy: 1e-12)
        XCTAssertEqual(EightClassTask.exactRedundancy(8), 3, accuracy: 1e-12)
        XCTAssertEqual(EightClassTask.exactRedundancy(6), 2, accuracy: 1e-12) // 4 shared classes of 1/8 plus "outside" 1/2
    }
}

final class TrainerTests: XCTestCase {
    func run(_ task: DiscreteTask, beta: Double) -> Double {
        var c = RINEConfig()
        c.beta = beta; c.epochs = 12
        var rng = Xoshiro256(seed: 11)
        let d = task.sample(3000, rng: &rng)
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
