import XCTest
import Numerics
import AnalysisKit
@testable import InfoGeometry

final class EstimatorTests: XCTestCase {
    /// The γ quadrature converges exponentially: coarse grids must show a visible error, fine ones none.
    func testGaussianQuadratureConvergence() throws {
        var rng = Xoshiro256(seed: 1)
        let pop = try GaussianLinearPopulation.random(dimension: 5, neurons: 8, rng: &rng)
        let mi = try pop.mutualInformation()
        let coarse = abs(SymmetricMatrix.trace(try pop.metricByQuadrature(intervals: 40)) - mi)
        let fine = abs(SymmetricMatrix.trace(try pop.metricByQuadrature(intervals: 1600)) - mi)
        print("Gaussian identity error: 40 intervals \(coarse), 1600 intervals \(fine)")
        XCTAssertGreaterThan(coarse, 1e-6)
        XCTAssertLessThan(fine, 1e-10)
    }

    func testPatchGeometryOnSyntheticImages() throws {
        var rng = Xoshiro256(seed: 3)
        // Smooth random images: sums of a few random low-frequency cosines.
        let images: [[Float]] = (0..<50).map { _ in
            let a = rng.normal(), b = rng.normal(), fx = rng.uniform(0, 0.5), fy = rng.uniform(0, 0.5)
            return (0..<(12 * 12)).map { k in Float(0.5 + 0.2 * a * cos(fx * Double(k % 12)) + 0.2 * b * sin(fy * Double(k / 12)) + 0.05 * rng.normal()) }
        }
        let x = try PatchGeometry.patches(from: images, imageSide: 12, patchSide: 6, count: 2000, rng: &rng)
        let cov = SymmetricMatrix.shifted(x.covariance(), by: 1e-4)
        let w = PatchGeometry.gaborBank(side: 6, orientations: 4, wavelengths: [4], sigma: 1.5)
        XCTAssertEqual(w.rows, 8)
        let r = try PatchGeometry.analyse(patchCovariance: cov, filters: w, noiseVariance: 0.05, top: 3)
        XCTAssertEqual(r.metricValues.reduce(0, +), r.mutualInformation, accuracy: 1e-9)
        XCTAssertLessThan(r.quadratureDeviation, 1e-6)
        for o in [r.overlapMetricFisher, r.overlapMetricPCA, r.overlapFisherPCA] { XCTAssert(o >= 0 && o <= 1 + 1e-12) }
        XCTAssert(r.metricValues[0] >= r.metricValues[1])
    }

    func testDenoiserRunsAndIsFinite() throws {
        var e = RingDenoiserEstimator()
        e.trainingSize = 200; e.steps = 150; e.batchSize = 64; e.hidden = 16
        e.evaluationNodes = 9; e.miSamples = 128; e.metricSamples = 16
        let r = try e.run(metricGrid: [-Double.pi, 0, 1])
        XCTAssert(r.mi.isFinite && r.mi > 0 && r.mi < 10, "MI \(r.mi)")
        XCTAssertEqual(r.metric.count, 3)
        XCTAssert(r.metric.allSatisfy { $0.isFinite && $0 >= 0 })
        // Same seed, same numbers.
        let r2 = try e.run(metricGrid: [-Double.pi, 0, 1])
        XCTAssertEqual(r.mi, r2.mi)
    }

    func testCatalogAndParameterErrors() throws {
        let names = InfoGeometryCatalog.analyses.map(\.name)
        XCTAssertEqual(Set(names).count, names.count)
        XCTAssert(names.allSatisfy { $0.hasPrefix("geometry.") })
        let gauss = InfoGeometryCatalog.analyses.first { $0.name == "geometry.gaussian" }!
        XCTAssertThrowsError(try gauss.run(AnalysisContext(parameters: Parameters(["dimension": "zero"]))))
        XCTAssertThrowsError(try gauss.run(AnalysisContext(parameters: Parameters(["dimensoin": "3"]))))
        let out = try gauss.run(AnalysisContext(parameters: Parameters(["dimension": "3", "neurons": "4"])))
        let mi = out.values.first { $0.name == "geometry.gauss_mi" }!.value
        let tr = out.values.first { $0.name == "geometry.gauss_trG_quad" }!.value
        XCTAssertEqual(mi, tr, accuracy: 1e-6)
    }
}
