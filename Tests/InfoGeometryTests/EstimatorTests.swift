import XCTest
import Numerics
import AnalysisKit
@testable import InfoGeometry

final class EstimatorTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

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

    /// The learned estimator against the exact oracle, on the von Mises ring (both denoisers non-trivial), with a small
    /// budget that runs in seconds in a debug build (1500 steps, 32 hidden units). Stated error: with this budget the networks
    /// underfit and the learned MI lies within 0.5 nats (30 %) below the exact value by both estimators (measured: 1.30 and 1.38
    /// against 1.68); on fresh data no learned loss beats the exact denoiser's by more than 3 standard errors;
    /// the exact denoisers, evaluated on the same samples, recover the exact MI within the quadrature and Monte Carlo error.
    func testLearnedEstimatorAgainstExactOracle() throws {
        var e = RingDenoiserEstimator()
        e.population.priorConcentration = 1
        e.trainingSize = 3000; e.steps = 1500; e.batchSize = 128; e.hidden = 32; e.validationInterval = 100; e.lossDraws = 2
        e.evaluationNodes = 13; e.miSamples = 512; e.metricSamples = 48
        let r = try e.run(metricGrid: [-Double.pi, 0])
        var en = RingCountEnumeration(); en.population = e.population; en.gridSize = 64
        let mi = try en.run().mutualInformation
        print("learned MI direct \(r.miDirect), loss difference \(r.miLossDifference), exact-denoiser \(r.exactMIDirect), exact \(mi); losses fresh \(r.freshLoss) exact \(r.exactFreshLoss); train \(r.trainLoss) exact \(r.exactTrainLoss)")
        XCTAssertEqual(r.miDirect.value, mi, accuracy: 0.5)
        XCTAssertEqual(r.miLossDifference.value, mi, accuracy: 0.5)
        XCTAssertEqual(r.exactMIDirect.value, mi, accuracy: 4 * r.exactMIDirect.error + 0.03)
        XCTAssertEqual(r.exactMILossDifference.value, mi, accuracy: 4 * r.exactMILossDifference.error + 0.03)
        XCTAssertGreaterThan(r.freshLoss.conditional.value, r.exactFreshLoss.conditional.value - 3 * r.freshLoss.conditional.error)
        XCTAssertGreaterThan(r.freshLoss.unconditional.value, r.exactFreshLoss.unconditional.value - 3 * r.freshLoss.unconditional.error)
        XCTAssert(r.metric.allSatisfy { $0.isFinite && $0 > 0 })
        XCTAssertGreaterThan(r.bestStep.conditional, 0)
        // Same seed, same numbers (checked on a small budget: rerunning the one above doubled the test's time).
        var small = e; small.trainingSize = 300; small.steps = 200; small.miSamples = 64; small.metricSamples = 8; small.evaluationNodes = 5
        let s1 = try small.run(metricGrid: [0]), s2 = try small.run(metricGrid: [0])
        XCTAssertEqual(s1.miDirect.value, s2.miDirect.value)
        XCTAssertEqual(s1.metric, s2.metric)
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
