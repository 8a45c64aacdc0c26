import XCTest
import AnalysisKit
import Numerics
@testable import RenormalizedMI

/// The drop simulation of Fig. 2c–d: particles stay inside their ellipse, the shape feature tracks the deformation,
/// and the analysis runs on a small configuration and range-checks its parameters.
final class DropsTests: XCTestCase {
    func testParticlesStayInsideAndMomentsTrackDeformation() {
        var sim = DropSimulation()
        sim.particles = 10; sim.burnIn = 20
        var rng = Xoshiro256(seed: 31)
        let x = sim.samples(200, spread: 0.3, rng: &rng)
        XCTAssertEqual(x.count, 200)
        XCTAssertEqual(x[0].count, 20)
        // Every particle lies within the longest possible semi-axis, R + √3 × 0.3.
        var largest = 0.0
        for r in x { for i in 0..<10 { let a: Double = r[2 * i], b: Double = r[2 * i + 1]; largest = max(largest, a * a + b * b) } }
        XCTAssertLessThan(largest.squareRoot(), 1 + 3.0.squareRoot() * 0.3)
        // Σx²/N − Σy²/N varies far more across samples at spread 0.3 than at 0.02 (shape fluctuations).
        func spreadOfAnisotropy(_ s: Double) -> Double {
            var g = Xoshiro256(seed: 32)
            var d = [Double]()
            for r in sim.samples(200, spread: s, rng: &g) {
                var t = 0.0
                for i in 0..<10 { let a: Double = r[2 * i], b: Double = r[2 * i + 1]; t += a * a - b * b }
                d.append(t / 10)
            }
            return Stats.standardDeviation(d)
        }
        XCTAssertGreaterThan(spreadOfAnisotropy(0.3), 2 * spreadOfAnisotropy(0.02))
    }

    func testAnalysisRunsAndChecksParameters() throws {
        let out = try RMIAnalyses.drops.run(AnalysisContext(parameters: Parameters(["spread": "[0.1, 0.3]", "particles": "6", "samples": "300", "bins": "8", "sweeps": "2"])))
        XCTAssertTrue(out.values.contains { $0.name == "rmi.drops_moments_30" && $0.value.isFinite })
        XCTAssertThrowsError(try RMIAnalyses.drops.run(AnalysisContext(parameters: Parameters(["spread": "[0.9]"]))))
    }
}
