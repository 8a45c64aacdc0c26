import XCTest
import Numerics
@testable import CollectiveRedundancy

final class GaussianRedundancyTests: XCTestCase {
    func testRedundancyMatchesClosedForm() throws {
        let g = try blockModel([3], rho: 0.5)
        // det of 3×3 equicorrelation = (1−ρ)²(1+2ρ)
        let expectedI = -0.5 * log(0.25 * 2.0)
        let h = 0.5 * log(2 * Double.pi * M_E)
        XCTAssertEqual(g.relativeRedundancy([0, 1, 2]), expectedI / (3 * h), accuracy: 1e-12)
        XCTAssertEqual(g.relativeRedundancy([1]), 0)
        XCTAssertEqual(g.relativeRedundancy([]), 0)
    }

    func testSubsetTableAgreesWithDirectComputation() throws {
        var rng = Xoshiro256(seed: 3)
        var x = Matrix<Double>(rows: 400, cols: 10)
        for t in 0..<400 { let z = rng.normal(); for c in 0..<10 { x[t, c] = (c < 6 ? z : 0) + rng.normal() } }
        let g = try GaussianRedundancy(samples: x, elementDimension: 2)
        let table = SubsetRedundancyTable(g)
        for mask in [0b11, 0b10101, 0b11111, 0b110] {
            let members = GaussianRedundancy.members(UInt64(mask))
            XCTAssertEqual(table.r[mask], g.relativeRedundancy(members), accuracy: 1e-10)
        }
        // Monte Carlo increments agree with table differences
        let mc = MonteCarloDeltaD(g)
        let inc = mc.increments(0b00101)
        XCTAssertEqual(inc[1], table.r[0b00111] - table.r[0b00101], accuracy: 1e-9)
        XCTAssertEqual(inc[2], table.r[0b00101] - table.r[0b00001], accuracy: 1e-9)
        XCTAssertEqual(inc[4], table.r[0b10101] - table.r[0b00101], accuracy: 1e-9)
    }

    func testExactDeltaDEqualsBruteForceExpectation() throws {
        let g = try blockModel([3, 2], rho: 0.6)
        let table = SubsetRedundancyTable(g)
        var rng = Xoshiro256(seed: 9)
        let m = 2
        let a = RedundancyCompressor.randomAssignment(n: 5, m: m, rng: &rng)
        let dd = exactDeltaD(table: table, assign: a, m: m)
        for i in 0..<5 { for j in 0..<m {
            var s = 0.0
            for b in 0..<32 where b & (1 << i) == 0 {
                var pb = 1.0
                for k in 0..<5 where k != i { pb *= (b & (1 << k)) != 0 ? a[k * m + j] : 1 - a[k * m + j] }
                s += pb * (table.r[b | (1 << i)] - table.r[b])
            }
            XCTAssertEqual(dd[i * m + j], s, accuracy: 1e-12)
        } }
        // Monte Carlo estimate converges to it
        let mc = MonteCarloDeltaD(g)
        let est = mc.deltaD(assign: a, m: m, samples: 20000, rng: &rng)
        for k in 0..<dd.count { XCTAssertEqual(est[k], dd[k], accuracy: 0.01) }
    }

    func testCompressionRecoversBlocks() throws {
        let g = try blockModel([4, 3], rho: 0.7)
        let comp = RedundancyCompressor(model: g)
        var s = CompressionSettings(components: 2)
        let exact = comp.best(s, initialisations: 8, seed: 1).best
        XCTAssertEqual(labelAgreement(labels: exact.labels, groups: [0, 0, 0, 0, 1, 1, 1]), 1)
        s.method = .monteCarlo(samples: 20)
        let mc = comp.best(s, initialisations: 8, seed: 1).best
        XCTAssertEqual(labelAgreement(labels: mc.labels, groups: [0, 0, 0, 0, 1, 1, 1]), 1)
        XCTAssertEqual(mc.hardAverageRedundancy, exact.hardAverageRedundancy, accuracy: 1e-12)
        // for independent blocks r(S) is the entropy-weighted mean of the block redundancies (no between-block term)
        let one = comp.best(CompressionSettings(components: 1), initialisations: 1, seed: 1).best
        let r4 = g.relativeRedundancy([0, 1, 2, 3]), r3 = g.relativeRedundancy([4, 5, 6])
        XCTAssertEqual(one.hardAverageRedundancy, (4 * r4 + 3 * r3) / 7, accuracy: 1e-12)
        XCTAssertEqual(exact.hardAverageRedundancy, (r4 + r3) / 2, accuracy: 1e-12)
        // deterministic regardless of scheduling
        XCTAssertEqual(comp.best(s, initialisations: 8, seed: 1).scores, comp.best(s, initialisations: 8, seed: 1).scores)
        // and identical to a serial loop over the same child generators, in initialisation order
        let root = Xoshiro256(seed: 1)
        let serial = (0..<8).map { k -> Double in
            var rng = root.child(k)
            let init0 = RedundancyCompressor.randomAssignment(n: g.n, m: s.components, rng: &rng)
            return comp.run(s, initial: init0, rng: &rng).hardAverageRedundancy
        }
        XCTAssertEqual(comp.best(s, initialisations: 8, seed: 1).scores, serial)
    }

    func testSavitzkyGolayDerivativeIsExactForCubics() throws {
        let sg = try SavitzkyGolay(window: 7, order: 3)
        let f: (Double) -> Double = { 2 + 0.5 * $0 - 0.3 * $0 * $0 + 0.1 * $0 * $0 * $0 }
        let t0 = 1.7
        let est = (-3...3).enumerated().reduce(0.0) { $0 + sg.derivativeWeights[$1.offset] * f(t0 + Double($1.element)) }
        XCTAssertEqual(est, 0.5 - 0.6 * t0 + 0.3 * t0 * t0, accuracy: 1e-10)
        XCTAssertEqual(sg.derivativeWeights[6] * 252, -22, accuracy: 1e-9)
    }

    func testFlockingGroupIsPolarisedAndDeterministic() {
        var q = FlockingParameters()
        q.duration = 200; q.transient = 100; q.sampleInterval = 2
        var r1 = Xoshiro256(seed: 2), r2 = Xoshiro256(seed: 2)
        let a = FlockingSimulation.simulate(agents: 5, parameters: q, rng: &r1)
        let b = FlockingSimulation.simulate(agents: 5, parameters: q, rng: &r2)
        XCTAssertEqual(a.vx, b.vx)
        XCTAssertEqual(a.samples, 100)
        let s = a.samples - 1
        let sx = (0..<5).map { a.vx[s * 5 + $0] }.reduce(0, +), sy = (0..<5).map { a.vy[s * 5 + $0] }.reduce(0, +)
        XCTAssertGreaterThan((sx * sx + sy * sy).squareRoot() / 5, 0.8)
    }

    func testBadInputIsRejected() {
        XCTAssertThrowsError(try GaussianRedundancy(samples: Matrix<Double>(rows: 3, cols: 4), elementDimension: 2))
        XCTAssertThrowsError(try GaussianRedundancy(samples: Matrix<Double>(rows: 30, cols: 5), elementDimension: 2))
    }
}

final class FishVelocitiesTests: XCTestCase {
    func testGapsAreExcludedOnRealFish() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/datasets/fish/zebrafish_8_trajectories.npy")
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("fish data not present at \(url.path)") }
        let f = try FishVelocities(url: url, filter: try SavitzkyGolay(), minimumSamples: 100, maxAnimals: 8)
        XCTAssertEqual(f.animals.count, 8)
        XCTAssertLessThan(f.frames.count, 508 - 6)
        XCTAssertTrue(f.data.data.allSatisfy(\.isFinite))
        XCTAssertGreaterThan(f.frames.first!, 2)
    }
}

final class LabelAgreementTests: XCTestCase {
    func testOptimalMatchingIgnoresLabelNames() {
        let groups = [0, 0, 0, 1, 1, 2, 2, 2]
        let a = labelAgreement(labels: [5, 5, 7, 7, 7, 9, 9, 5], groups: groups)
        let b = labelAgreement(labels: [1, 1, 0, 0, 0, 2, 2, 1], groups: groups)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a, 6.0 / 8.0)
        XCTAssertEqual(labelAgreement(labels: [3, 3, 3, 4, 4, 0, 0, 0], groups: groups), 1)
    }
}
