import XCTest
import Numerics
import AnalysisKit
@testable import InfoGeometry

final class OracleTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

    func testGaussianLinearIdentityAndClosedForms() throws {
        var rng = Xoshiro256(seed: 7)
        let pop = try GaussianLinearPopulation.random(dimension: 5, neurons: 8, rng: &rng)
        let mi = try pop.mutualInformation()
        let g = try pop.metric()
        XCTAssertEqual(SymmetricMatrix.trace(g), mi, accuracy: 1e-10)
        let gq = try pop.metricByQuadrature()
        XCTAssertLessThan(SymmetricMatrix.maxAbsDifference(g, gq), 1e-6)
        XCTAssertEqual(SymmetricMatrix.trace(gq), mi, accuracy: 1e-6)
        for gamma in [1e-3, 0.3, 5.0] {
            let a = try pop.scaleFisher(gamma: gamma), b = try pop.scaleFisherFromDefinition(gamma: gamma)
            XCTAssertLessThan(SymmetricMatrix.maxAbsDifference(a, b), 1e-9)
        }
        // γ → 0 gives the Fisher information; I(R;Y_0) = I(R;X).
        XCTAssertLessThan(SymmetricMatrix.maxAbsDifference(try pop.scaleFisher(gamma: 0), try pop.fisher()), 1e-9)
        XCTAssertEqual(try pop.coarseGrainedInformation(gamma: 0), mi, accuracy: 1e-10)
    }

    /// Issue 14, audit G1: gamma_min = gamma_max = 1 passes both ranges but leaves an empty γ interval. It must be a parameter
    /// error naming both keys and the rule, thrown before the quadrature (whose precondition it used to reach) is built.
    func testRingEmptyGammaIntervalIsAParameterError() throws {
        for (lo, hi) in [("1", "1"), ("1.0", "1")] {
            let p = Parameters(["gamma_min": lo, "gamma_max": hi])
            XCTAssertThrowsError(try RingAnalysis.oracle(from: p)) { e in
                guard let pe = e as? ParameterError else { return XCTFail("not a ParameterError: \(e)") }
                XCTAssertEqual(pe.key, "gamma_max")
                XCTAssertTrue(pe.message.contains("gamma_min") && pe.message.contains("gamma_max") && pe.message.contains("smaller than"),
                              pe.message)
            }
            XCTAssertThrowsError(try RingAnalysis.run(AnalysisContext(parameters: Parameters(["gamma_min": lo, "gamma_max": hi]))))
        }
        // Only gamma_min given (gamma_max defaults to 60): valid; a tiny positive interval is valid too.
        XCTAssertEqual(try RingAnalysis.oracle(from: Parameters(["gamma_min": "1"])).quadrature.gammas.last!, 60, accuracy: 1e-9)
        let q = try RingAnalysis.oracle(from: Parameters(["gamma_min": "0.5", "gamma_max": "1", "intervals": "2"])).quadrature
        XCTAssertEqual(q.gammas.first!, 0.5, accuracy: 1e-12); XCTAssertEqual(q.gammas.last!, 1, accuracy: 1e-12)
    }

    func testRingFisherAtMinusPi() {
        XCTAssertEqual(RingPopulation().fisher(at: -Double.pi), 28.127, accuracy: 5e-4)
        XCTAssertEqual(RingPopulation().fisher(at: Double.pi), 28.127, accuracy: 5e-4)
    }

    func testRingOracleIdentityPerPattern() throws {
        var o = RingOracle()
        o.patterns = 300; o.gridSize = 128; o.modes = 63
        o.quadrature = LogGammaQuadrature(lowest: 1e-5, highest: 60, intervals: 120)
        let r = try o.run()
        XCTAssertLessThan(r.identityMaxAbsDifference, 1e-4)
        XCTAssertEqual(r.integratedMetric, r.miIdentity.mean, accuracy: 1e-6)
        XCTAssertEqual(r.miKL.mean, 1.875, accuracy: 5 * r.miKL.error + 0.01)
        XCTAssertEqual(r.miDirect.mean, 1.875, accuracy: 5 * r.miDirect.error + 0.01)
        let j = r.grid.firstIndex { abs($0 + Double.pi) < 1e-12 }!
        XCTAssertEqual(r.fisherEstimate[j], r.fisher[j], accuracy: 5 * r.fisherEstimateError[j])
    }
}
