import XCTest
import Numerics
@testable import InfoGeometry

/// The d-dimensional pieces: exact Gaussian noise predictors, the linear-denoiser estimator against the closed form,
/// its calibrated errors, and the closed-form subspace information (issue 20 §4, §5, §7).
final class HighDimTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

    func population(_ d: Int, _ n: Int, seed: UInt64) throws -> GaussianLinearPopulation {
        var rng = Xoshiro256(seed: seed)
        return try GaussianLinearPopulation.random(dimension: d, neurons: n, rng: &rng)
    }

    func estimator(_ pop: GaussianLinearPopulation, intervals: Int = 16) throws -> LinearDenoiserEstimator {
        let (sv, _) = try pop.priorCovariance.symmetricEigen()
        var e = LinearDenoiserEstimator(lowestGamma: 1e-3 * sv.first!, highestGamma: 1e3 * sv.last!)
        e.intervals = intervals
        return e
    }

    func exact(_ pop: GaussianLinearPopulation, _ e: LinearDenoiserEstimator) throws -> LinearDenoiserEstimator.Predictor {
        let p = try e.quadrature.gammas.map { try pop.exactNoisePredictors(gamma: $0) }
        return { k, _, y, r in p[k](y, r) }
    }

    /// The exact predictors minimise the denoising loss: E‖ξ − ε̂‖² = d − γ tr((Σ+γ)⁻¹) unconditionally (closed form).
    func testExactPredictorsHaveTheOptimalLoss() throws {
        let pop = try population(6, 9, seed: 3)
        var rng = Xoshiro256(seed: 4)
        let gamma = 0.3
        let (x, r) = try pop.sample(20000, rng: &rng)
        let (y, xi) = LinearDenoiserEstimator.noisy(x, gamma: gamma, rng: &rng)
        let (ec, eu) = try pop.exactNoisePredictors(gamma: gamma)(y, r)
        let lu = zip(xi.data, eu.data).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 20000
        let lc = zip(xi.data, ec.data).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / 20000
        let au = try SymmetricMatrix.shifted(pop.priorCovariance, by: gamma).inverseSPD()
        let ac = try SymmetricMatrix.shifted(pop.posteriorCovariance(), by: gamma).inverseSPD()
        XCTAssertEqual(lu, 6 - gamma * SymmetricMatrix.trace(au), accuracy: 0.03)
        XCTAssertEqual(lc, 6 - gamma * SymmetricMatrix.trace(ac), accuracy: 0.03)
    }

    /// 64-D case with exact denoisers: the quadrature of the estimator reproduces the closed-form G, and the Monte Carlo
    /// MI agrees with I(R;X) within 4 of its errors.
    func test64DimensionalExactDenoisersMatchClosedForm() throws {
        let pop = try population(64, 16, seed: 5)
        var e = try estimator(pop, intervals: 24)
        e.eigenvalueErrorCount = 0
        let g = try pop.metric(), gq = try e.metricByQuadrature(pop)
        XCTAssertLessThan(HighDimAnalysis.frobenius(gq - g) / HighDimAnalysis.frobenius(g), 1e-3)
        var rng = Xoshiro256(seed: 6)
        let nodes = e.quadrature.gammas.count
        let (x, r) = try pop.sample(nodes * 300, rng: &rng)
        let ev = try e.evaluate([try exact(pop, e)], stimuli: x, responses: r, rng: &rng)[0]
        let mi = try pop.mutualInformation()
        XCTAssertLessThan(abs(ev.miDirect.value - mi), 4 * ev.miDirect.error, "direct \(ev.miDirect) vs \(mi)")
        XCTAssertLessThan(abs(ev.miLossDifference.value - mi), 4 * ev.miLossDifference.error, "loss diff \(ev.miLossDifference) vs \(mi)")
    }

    /// Learned linear denoisers in 16-D: the learned G converges to the closed form (relative Frobenius error, top
    /// eigenvector) as the number of pairs grows.
    func testLearnedMetricConvergesToClosedForm() throws {
        let pop = try population(16, 12, seed: 7)
        var e = try estimator(pop, intervals: 12)
        e.drawsPerPair = 1; e.eigenvalueErrorCount = 0
        let g = try pop.metric()
        let (_, gv) = try PatchGeometry.descending(g)
        let nodes = e.quadrature.gammas.count
        var rng = Xoshiro256(seed: 8)
        let (xe, re) = try pop.sample(nodes * 2000, rng: &rng)
        var errors = [Double](), angles = [Double]()
        for n in [1000, 16000] {
            var tr = Xoshiro256(seed: UInt64(n))
            let (x, r) = try pop.sample(n, rng: &tr)
            let fit = try e.fit(stimuli: x, responses: r, rng: &tr)
            var er = Xoshiro256(seed: 9)
            let ev = try e.evaluate([LinearDenoiserEstimator.predictor(fit)], stimuli: xe, responses: re, rng: &er)[0]
            errors.append(HighDimAnalysis.frobenius(ev.metric - g) / HighDimAnalysis.frobenius(g))
            angles.append(try SubspaceComparison.largestAngle(ev.eigenvectors, gv, k: 1))
        }
        XCTAssertLessThan(errors[1], 0.5 * errors[0], "\(errors)")
        XCTAssertLessThan(errors[1], 0.1, "\(errors)")
        XCTAssertLessThan(angles[1], 0.2, "\(angles)")
    }

    /// The MI errors and the first-order error of λ₁ (exact predictors; truth: the same quadrature with closed-form J_γ) are calibrated.
    func testEstimatorMIErrorIsCalibrated() throws {
        let pop = try population(3, 4, seed: 11)
        var e = try estimator(pop, intervals: 8)
        e.eigenvalueErrorCount = 0
        let mi = try pop.mutualInformation()
        XCTAssertEqual(SymmetricMatrix.trace(try e.metricByQuadrature(pop)), mi, accuracy: 1e-2 * mi)
        let pred = try exact(pop, e)
        let nodes = e.quadrature.gammas.count
        let truth = SymmetricMatrix.trace(try e.metricByQuadrature(pop))
        for lossDifference in [false, true] {
            let rep = try Calibration.run(replicates: 500, seed: lossDifference ? 13 : 12, truth: truth) { rng in
                let (x, r) = try pop.sample(nodes * 32, rng: &rng)
                let ev = try e.evaluate([pred], stimuli: x, responses: r, rng: &rng)[0]
                let m = lossDifference ? ev.miLossDifference : ev.miDirect
                return (m.value, m.error)
            }
            print("linear-denoiser MI (\(lossDifference ? "loss difference" : "direct")): \(rep)")
            XCTAssertTrue(rep.passes, rep.description)
        }
        // First-order error of the largest eigenvalue (truth: the quadrature's λ₁ with the same nodes).
        e.eigenvalueErrorCount = 1
        let lambda1 = try PatchGeometry.descending(try e.metricByQuadrature(pop)).0[0]
        let rep = try Calibration.run(replicates: 500, seed: 14, truth: lambda1) { rng in
            let (x, r) = try pop.sample(nodes * 32, rng: &rng)
            let ev = try e.evaluate([pred], stimuli: x, responses: r, rng: &rng)[0]
            return (ev.eigenvalues[0], ev.eigenvalueErrors[0])
        }
        print("linear-denoiser λ₁: \(rep)")
        XCTAssertTrue(rep.passes, rep.description)
    }

    /// The optimum over k-dimensional projections bounds every subspace's information; G with the Σₓ coarse-graining
    /// metric reaches it; tr G′ = I(R;X) for any metric; the full space carries I(R;X).
    func testSubspaceInformation() throws {
        let pop = try population(6, 4, seed: 21)
        let mi = try pop.mutualInformation()
        let opt = try pop.optimalSubspaces()
        XCTAssertEqual(opt.gains.reduce(0, +), mi, accuracy: 1e-10)
        XCTAssertEqual(try pop.subspaceInformation(Matrix<Double>.identity(6)), mi, accuracy: 1e-10)
        let (_, gv) = try PatchGeometry.descending(try pop.metric())
        var rng = Xoshiro256(seed: 22)
        for k in 1...5 {
            let best = opt.gains.prefix(k).reduce(0, +)
            XCTAssertEqual(try pop.subspaceInformation(opt.directions.selectingColumns(Array(0..<k))), best, accuracy: 1e-10)
            XCTAssertLessThanOrEqual(try pop.subspaceInformation(gv.selectingColumns(Array(0..<k))), best + 1e-12)
            var v = Matrix<Double>(rows: 6, cols: k)
            for i in v.data.indices { v.data[i] = rng.normal() }
            XCTAssertLessThanOrEqual(try pop.subspaceInformation(v), best + 1e-12)
        }
        let white = try SubspaceInformation.metric(pop, coarseGraining: pop.priorCovariance)
        XCTAssertEqual(white.values.reduce(0, +), mi, accuracy: 1e-10)
        for k in 1...5 {
            XCTAssertEqual(try pop.subspaceInformation(white.readouts.selectingColumns(Array(0..<k))), opt.gains.prefix(k).reduce(0, +), accuracy: 1e-9)
        }
        var diag = Matrix<Double>(rows: 6, cols: 6)
        for i in 0..<6 { diag[i, i] = pop.priorCovariance[i, i] }
        XCTAssertEqual(try SubspaceInformation.metric(pop, coarseGraining: diag).values.reduce(0, +), mi, accuracy: 1e-10)
        XCTAssertEqual(HighDimAnalysis.degenerateNote([1, 0.99, 0.5], 0), "≈ #2")
        XCTAssertEqual(HighDimAnalysis.degenerateNote([1, 0.8, 0.5], 1), "")
    }
}
