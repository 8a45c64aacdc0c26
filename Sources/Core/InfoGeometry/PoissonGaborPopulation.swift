import Foundation
import Numerics

/// Linear–nonlinear–Poisson (LNP) population on a Gaussian stimulus: x ~ N(0, Σₓ), each neuron i has the normalised drive
/// zᵢ = wᵢᵀx / sᵢ (sᵢ² = wᵢᵀΣₓwᵢ, so zᵢ ~ N(0, 1)) and fires rᵢ ~ Poisson(λᵢ), λᵢ = ν · f(a zᵢ + b), independently given x.
///
/// No closed form exists for G. What is exact is the limit of the *linear-denoiser* estimator (`LinearDenoiserEstimator`):
/// least-squares predictors in (y, φ(r)) depend only on the joint second moments of (x, φ(r)), so with infinitely many pairs
/// the learned G is the closed-form G of the Gaussian surrogate with those moments, `linearLimit`. Its trace is a lower
/// bound on I(R; X), because x is Gaussian: I(X; R) ≥ I(X; φ(R)) ≥ ½ log det Σₓ − ½ log det Cov(x − LMMSE(φ)).
/// The moments are computed by Gauss–Hermite quadrature over the (correlated, unit-variance) drives.
public struct PoissonGaborPopulation: Sendable {
    /// Static nonlinearity f of the rate.
    public enum Nonlinearity: String, Sendable, CaseIterable {
        case softplus, exp
        /// f(t) = max(0, 1 + t): the rate is affine in the drive (for tests: it reduces to a Gaussian-equivalent population).
        case linear
        public func value(_ t: Double) -> Double {
            switch self {
            case .softplus: return t > 30 ? t : Foundation.log1p(Foundation.exp(t))
            case .exp: return Foundation.exp(t)
            case .linear: return max(0, 1 + t)
            }
        }
        public func derivative(_ t: Double) -> Double {
            switch self {
            case .softplus: return 1 / (1 + Foundation.exp(-t))
            case .exp: return Foundation.exp(t)
            case .linear: return t > -1 ? 1 : 0
            }
        }
    }

    /// Response features φ(r) the linear denoisers see.
    public enum Features: String, Sendable, CaseIterable {
        /// φ(r) = r.
        case counts
        /// φ(r) = 2√(r + 3/8) (Anscombe's variance-stabilising transform).
        case anscombe
        func apply(_ k: Int) -> Double { self == .counts ? Double(k) : 2 * (Double(k) + 0.375).squareRoot() }
        /// E[φ(r)] and E[φ(r)²] for r ~ Poisson(λ).
        func moments(_ lambda: Double) -> (Double, Double) {
            switch self {
            case .counts: return (lambda, lambda + lambda * lambda)
            case .anscombe:
                let m2 = 4 * (lambda + 0.375)
                if lambda > 400 { return (2 * (lambda + 0.375).squareRoot() - 0.25 / lambda.squareRoot(), m2) }
                let kmax = Int(lambda + 12 * lambda.squareRoot() + 30)
                var p = Foundation.exp(-lambda), m1 = 0.0
                for k in 0...kmax { m1 += p * apply(k); p *= lambda / Double(k + 1) }
                return (m1, m2)
            }
        }
    }

    public let priorCovariance: Matrix<Double>
    public let filters: Matrix<Double>
    public var nonlinearity: Nonlinearity
    public var gain: Double
    public var bias: Double
    /// ν: the rate scale (expected count per window at f = 1).
    public var rateScale: Double
    /// sᵢ = (wᵢᵀΣₓwᵢ)^½.
    public let driveScales: [Double]

    public init(priorCovariance: Matrix<Double>, filters: Matrix<Double>, nonlinearity: Nonlinearity = .softplus,
                gain: Double = 1.5, bias: Double = 0, rateScale: Double = 5) throws {
        guard priorCovariance.rows == priorCovariance.cols, filters.cols == priorCovariance.rows, filters.rows >= 1,
              gain > 0, rateScale > 0 else {
            throw AnalysisFailureMessage("LNP population: Σx must be d×d with d = filter length, gain and rate scale > 0")
        }
        _ = try priorCovariance.cholesky()
        let sw = Matrix.product(filters, priorCovariance)
        let s = (0..<filters.rows).map { i in (0..<filters.cols).reduce(0.0) { $0 + sw[i, $1] * filters[i, $1] }.squareRoot() }
        guard s.allSatisfy({ $0 > 0 }) else { throw AnalysisFailureMessage("LNP population: a filter has zero drive variance") }
        self.priorCovariance = priorCovariance; self.filters = filters; self.nonlinearity = nonlinearity
        self.gain = gain; self.bias = bias; self.rateScale = rateScale; self.driveScales = s
    }

    public var dimension: Int { priorCovariance.rows }
    public var neurons: Int { filters.rows }

    /// Rate of a neuron at normalised drive z.
    public func rate(_ z: Double) -> Double { rateScale * nonlinearity.value(gain * z + bias) }

    /// Normalised drives z = x wᵢ / sᵢ for the rows of x (n × neurons).
    public func drives(_ x: Matrix<Double>) -> Matrix<Double> {
        var z = Matrix.product(x, filters, transB: true)
        for i in 0..<z.rows { for j in 0..<z.cols { z.data[i * z.cols + j] /= driveScales[j] } }
        return z
    }

    /// n independent pairs (x, φ(r)) as rows.
    public func sample(_ n: Int, features: Features, rng: inout Xoshiro256) throws -> (stimuli: Matrix<Double>, responses: Matrix<Double>) {
        let lx = try priorCovariance.cholesky()
        var zz = Matrix<Double>(rows: n, cols: dimension)
        for i in zz.data.indices { zz.data[i] = rng.normal() }
        let x = Matrix.product(zz, lx, transB: true)
        var r = drives(x)
        for i in r.data.indices { r.data[i] = features.apply(rng.poisson(rate(r.data[i]))) }
        return (x, r)
    }

    /// Fisher information at x: F(x) = Σᵢ (λᵢ′)² / λᵢ · (wᵢ/sᵢ)(wᵢ/sᵢ)ᵀ, λᵢ′ = ν a f′(a zᵢ + b).
    public func fisher(at x: [Double]) -> Matrix<Double> {
        let z = drives(Matrix(rows: 1, cols: dimension, data: x)).data
        return fisherFromDriveWeights(z.map(fisherWeight))
    }

    /// (λ′)²/λ at drive z (0 where the rate vanishes).
    func fisherWeight(_ z: Double) -> Double {
        let l = rate(z), dl = rateScale * gain * nonlinearity.derivative(gain * z + bias)
        return l > 1e-300 ? dl * dl / l : 0
    }

    func fisherFromDriveWeights(_ c: [Double]) -> Matrix<Double> {
        let d = dimension
        var f = Matrix<Double>(rows: d, cols: d)
        for i in 0..<neurons {
            let w = (0..<d).map { filters[i, $0] / driveScales[i] }
            for a in 0..<d { for b in 0..<d { f.data[a * d + b] += c[i] * w[a] * w[b] } }
        }
        return f
    }

    /// Prior-averaged Fisher information E_x F(x) (Gauss–Hermite over each drive).
    public func meanFisher(nodes: Int = 80) throws -> Matrix<Double> {
        let (z, w) = try GaussHermite.rule(nodes)
        let c = zip(z, w).reduce(0.0) { $0 + $1.1 * fisherWeight($1.0) }
        return fisherFromDriveWeights([Double](repeating: c, count: neurons))
    }

    /// Exact second moments of (x, φ(r)): mean of φ, Cov(φ, x) (neurons × d) and Cov(φ, φ).
    public func moments(features: Features, nodes: Int = 80) throws -> (mean: [Double], crossCovariance: Matrix<Double>, covariance: Matrix<Double>) {
        let (z, w) = try GaussHermite.rule(nodes)
        let m = z.map { features.moments(rate($0)) }
        let mu = zip(m, w).reduce(0.0) { $0 + $1.1 * $1.0.0 }
        let second = zip(m, w).reduce(0.0) { $0 + $1.1 * $1.0.1 }
        let zm = zip(zip(z, m), w).reduce(0.0) { $0 + $1.1 * $1.0.0 * $1.0.1.0 }     // E[z φ] (all neurons alike in z)
        let n = neurons, d = dimension
        // Cov(x, φᵢ) = E[x | zᵢ] = Σₓwᵢ zᵢ / sᵢ, so Cov(φᵢ, x) = E[zᵢ φᵢ] (Σₓ wᵢ)ᵀ / sᵢ.
        let sw = Matrix.product(filters, priorCovariance)
        var cross = Matrix<Double>(rows: n, cols: d)
        for i in 0..<n { for j in 0..<d { cross[i, j] = zm * sw[i, j] / driveScales[i] } }
        var cov = Matrix<Double>(rows: n, cols: n)
        let m1 = m.map(\.0)
        for i in 0..<n {
            cov[i, i] = second - mu * mu
            for j in 0..<i {
                var rho = 0.0
                for a in 0..<d { rho += sw[i, a] * filters[j, a] }
                rho /= driveScales[i] * driveScales[j]
                rho = min(1, max(-1, rho))
                let c = (1 - rho * rho).squareRoot()
                // E[φ(λ(z₁)) φ(λ(ρ z₁ + √(1−ρ²) z₂))]
                var e = 0.0
                for (p, zp) in z.enumerated() {
                    var inner = 0.0
                    for (q, zq) in z.enumerated() { inner += w[q] * features.moments(rate(rho * zp + c * zq)).0 }
                    e += w[p] * m1[p] * inner
                }
                cov[i, j] = e - mu * mu; cov[j, i] = cov[i, j]
            }
        }
        return ([Double](repeating: mu, count: n), cross, cov)
    }

    /// The Gaussian surrogate with the same second moments of (x, φ(r)): r̃ = A x + η, A = Cov(φ, x) Σₓ⁻¹,
    /// Cov(η) = Cov(φ) − A Σₓ Aᵀ. Its closed-form G is the limit of the linear-denoiser estimator; tr G ≤ I(R; X).
    public func linearLimit(features: Features, nodes: Int = 80) throws -> (population: GaussianLinearPopulation, mean: [Double]) {
        let mo = try moments(features: features, nodes: nodes)
        let a = try priorCovariance.solve(mo.crossCovariance.transposed).transposed
        let noise = SymmetricMatrix.symmetrized(mo.covariance - Matrix.product(a, mo.crossCovariance, transB: true))
        return (try GaussianLinearPopulation(priorCovariance: priorCovariance, weights: a, noiseCovariance: noise), mo.mean)
    }
}

/// Gauss–Hermite quadrature for the standard normal weight: Σ wₖ f(zₖ) ≈ E f(Z), Z ~ N(0, 1) (Golub–Welsch).
public enum GaussHermite {
    public static func rule(_ n: Int) throws -> (nodes: [Double], weights: [Double]) {
        precondition(n >= 1)
        var j = Matrix<Double>(rows: n, cols: n)
        for k in 1..<max(n, 1) { let b = Double(k).squareRoot(); j[k - 1, k] = b; j[k, k - 1] = b }
        let (vals, vecs) = try j.symmetricEigen()
        return (vals, (0..<n).map { vecs[0, $0] * vecs[0, $0] })
    }
}
