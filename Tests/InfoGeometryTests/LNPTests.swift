import XCTest
import Numerics
@testable import InfoGeometry

/// The LNP Gabor bank of `geometry.lnp` (issue 20 §4, second half): its Fisher information, the exact second moments behind
/// the linear-denoiser limit, the reduction to a Gaussian population for an affine rate, the lower bound, and the learned G
/// converging to its limit.
final class LNPTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

    func population(_ nl: PoissonGaborPopulation.Nonlinearity, d: Int = 4, n: Int = 6, gain: Double = 1.5, bias: Double = 0,
                    scale: Double = 5) throws -> PoissonGaborPopulation {
        var rng = Xoshiro256(seed: 21)
        let g = try GaussianLinearPopulation.random(dimension: d, neurons: n, rng: &rng)
        return try PoissonGaborPopulation(priorCovariance: g.priorCovariance, filters: g.weights, nonlinearity: nl,
                                          gain: gain, bias: bias, rateScale: scale)
    }

    func testGaussHermiteIntegratesNormalMoments() throws {
        let (z, w) = try GaussHermite.rule(40)
        XCTAssertEqual(w.reduce(0, +), 1, accuracy: 1e-12)
        XCTAssertEqual(zip(z, w).reduce(0) { $0 + $1.1 * $1.0 * $1.0 }, 1, accuracy: 1e-11)
        XCTAssertEqual(zip(z, w).reduce(0) { $0 + $1.1 * pow($1.0, 4) }, 3, accuracy: 1e-10)
        XCTAssertEqual(zip(z, w).reduce(0) { $0 + $1.1 * exp($1.0) }, exp(0.5), accuracy: 1e-12)
    }

    /// vᵀF(x)v = lim 2 KL(p(r|x) ‖ p(r|x + εv)) / ε², with the Poisson KL in closed form.
    func testFisherMatchesFiniteDifferenceOfTheKL() throws {
        for nl in [PoissonGaborPopulation.Nonlinearity.softplus, .exp] {
            let pop = try population(nl)
            var rng = Xoshiro256(seed: 5)
            for _ in 0..<3 {
                let x = (0..<pop.dimension).map { _ in 0.5 * rng.normal() }
                let v = (0..<pop.dimension).map { _ in rng.normal() }
                let eps = 1e-4
                let z0 = pop.drives(Matrix(rows: 1, cols: pop.dimension, data: x)).data
                let z1 = pop.drives(Matrix(rows: 1, cols: pop.dimension, data: zip(x, v).map { $0 + eps * $1 })).data
                var kl = 0.0
                for (a, b) in zip(z0, z1) { let l0 = pop.rate(a), l1 = pop.rate(b); kl += l0 * log(l0 / l1) - l0 + l1 }
                let f = pop.fisher(at: x)
                var vfv = 0.0
                for i in 0..<pop.dimension { for j in 0..<pop.dimension { vfv += v[i] * f[i, j] * v[j] } }
                XCTAssertEqual(2 * kl / (eps * eps), vfv, accuracy: 1e-3 * vfv, "\(nl)")
            }
        }
    }

    /// With an affine rate ν(1 + a z) that never reaches 0, Cov(r) = ν²a² W̃ΣW̃ᵀ + νI and Cov(r, x) = νa W̃Σ exactly, so the
    /// estimator's limit is the Gaussian population with weights νa W̃ and noise νI, whose G is known in closed form.
    func testAffineRateReducesToTheGaussianPopulation() throws {
        let pop = try population(.linear, gain: 0.05, scale: 50)
        let lim = try pop.linearLimit(features: .counts).population
        var w = pop.filters
        for i in 0..<w.rows { for j in 0..<w.cols { w[i, j] *= 50 * 0.05 / pop.driveScales[i] } }
        let gauss = try GaussianLinearPopulation(priorCovariance: pop.priorCovariance, weights: w,
                                                 noiseCovariance: 50 * Matrix<Double>.identity(pop.neurons))
        XCTAssertEqual(try lim.mutualInformation(), try gauss.mutualInformation(), accuracy: 1e-9)
        let diff = try lim.metric() - gauss.metric()
        XCTAssertLessThan(diff.data.map(abs).max()!, 1e-9)
    }

    /// The quadrature moments agree with sample moments (200000 pairs; tolerance 5 standard errors of a covariance entry).
    func testExactMomentsMatchSampledMoments() throws {
        for feat in PoissonGaborPopulation.Features.allCases {
            let pop = try population(.softplus)
            let mo = try pop.moments(features: feat)
            var rng = Xoshiro256(seed: 9)
            let m = 200_000
            let (x, r) = try pop.sample(m, features: feat, rng: &rng)
            let joint = Matrix(rows: m, cols: pop.dimension + pop.neurons, data: (0..<m).flatMap { x.row($0) + r.row($0) }).covariance()
            for i in 0..<pop.neurons {
                let mean = (0..<m).reduce(0.0) { $0 + r[$1, i] } / Double(m)
                XCTAssertEqual(mean, mo.mean[i], accuracy: 5 * (mo.covariance[i, i] / Double(m)).squareRoot())
                for j in 0..<pop.neurons {
                    let se = ((mo.covariance[i, i] * mo.covariance[j, j] + mo.covariance[i, j] * mo.covariance[i, j]) / Double(m)).squareRoot()
                    XCTAssertEqual(joint[pop.dimension + i, pop.dimension + j], mo.covariance[i, j], accuracy: 5 * se, "\(feat) φ\(i)φ\(j)")
                }
                for a in 0..<pop.dimension {
                    let se = ((pop.priorCovariance[a, a] * mo.covariance[i, i] + mo.crossCovariance[i, a] * mo.crossCovariance[i, a]) / Double(m)).squareRoot()
                    XCTAssertEqual(joint[pop.dimension + i, a], mo.crossCovariance[i, a], accuracy: 5 * se, "\(feat) φ\(i)x\(a)")
                }
            }
        }
    }

    /// One neuron, one dimension: the exact I(R;X) = H(R) − H(R|X) (quadrature over x, sum over counts) is above the
    /// linear-denoiser limit for both feature maps.
    func testLimitIsALowerBoundOnTheExactInformation() throws {
        for nl in [PoissonGaborPopulation.Nonlinearity.softplus, .exp] {
            let pop = try PoissonGaborPopulation(priorCovariance: Matrix([[0.3]]), filters: Matrix([[1.0]]), nonlinearity: nl,
                                                 gain: nl == .exp ? 1 : 1.5, bias: 0, rateScale: 5)
            let (z, w) = try GaussHermite.rule(120)
            let kmax = 1500
            var pr = [Double](repeating: 0, count: kmax + 1), hCond = 0.0
            for (zq, wq) in zip(z, w) {
                let l = pop.rate(zq)
                var p = exp(-l)
                for k in 0...kmax {
                    pr[k] += wq * p
                    if p > 0 { hCond -= wq * p * log(p) }
                    p *= l / Double(k + 1)
                }
            }
            let h = -pr.filter { $0 > 0 }.reduce(0) { $0 + $1 * log($1) }
            let exact = h - hCond
            for feat in PoissonGaborPopulation.Features.allCases {
                let bound = try pop.linearLimit(features: feat).population.mutualInformation()
                XCTAssertLessThan(bound, exact, "\(nl) \(feat)")
                XCTAssertGreaterThan(bound, 0, "\(nl) \(feat)")
            }
        }
    }

    /// The linear-denoiser estimator on LNP samples converges to its exact limit: with 40000 pairs in 4 dimensions the
    /// learned G is within 5 % (Frobenius) and its trace within 4 Monte Carlo errors plus 0.02 nats of finite-sample bias.
    func testLearnedMetricConvergesToTheLimit() throws {
        let pop = try population(.softplus)
        let lim = try pop.linearLimit(features: .counts)
        let g = try lim.population.metric()
        let (sv, _) = try pop.priorCovariance.symmetricEigen()
        var est = LinearDenoiserEstimator(lowestGamma: 1e-3 * sv.first!, highestGamma: 1e3 * sv.last!)
        est.intervals = 16
        var rng = Xoshiro256(seed: 31)
        let train = try pop.sample(40000, features: .counts, rng: &rng)
        let fit = try est.fit(stimuli: train.stimuli, responses: train.responses, rng: &rng)
        let ev = try pop.sample(est.quadrature.gammas.count * 2000, features: .counts, rng: &rng)
        let preds = try est.quadrature.gammas.map { try lim.population.exactNoisePredictors(gamma: $0) }
        let n = pop.neurons
        let limitPredictor: LinearDenoiserEstimator.Predictor = { node, _, y, r in
            var rc = r
            for i in 0..<rc.rows { for j in 0..<n { rc.data[i * n + j] -= lim.mean[j] } }
            return preds[node](y, rc)
        }
        let res = try est.evaluate([LinearDenoiserEstimator.predictor(fit), limitPredictor], stimuli: ev.stimuli, responses: ev.responses, rng: &rng)
        let norm = HighDimAnalysis.frobenius(g)
        XCTAssertLessThan(HighDimAnalysis.frobenius(res[0].metric - g) / norm, 0.05)
        XCTAssertLessThan(HighDimAnalysis.frobenius(res[1].metric - g) / norm, 0.05)
        let tr = SymmetricMatrix.trace(g)
        XCTAssertEqual(res[1].miDirect.value, tr, accuracy: 4 * res[1].miDirect.error)
        XCTAssertEqual(res[0].miDirect.value, tr, accuracy: 4 * res[0].miDirect.error + 0.02)
    }
}
