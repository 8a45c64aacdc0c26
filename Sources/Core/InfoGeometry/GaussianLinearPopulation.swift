import Foundation
import Numerics

/// Linear-Gaussian population r = W x + η with x ~ N(0, Σₓ) and η ~ N(0, Σₙ): every quantity of the
/// multi-scale geometry is available in closed form.
///
/// With the coarse-grained stimulus y = x + √γ ξ, both p_γ(y | r) and p_γ(y) are Gaussian, so the per-scale Fisher matrix
/// J_γ(y) = E_{r|y}[u uᵀ] does not depend on y:  J_γ = (C + γI)⁻¹ − (Σₓ + γI)⁻¹, with C = (Σₓ⁻¹ + F)⁻¹ the posterior
/// covariance and F = Wᵀ Σₙ⁻¹ W the (constant) Fisher information. Integrating over γ gives
/// G = ½ (log Σₓ − log C)  (matrix logarithms), and tr G = ½ log det(I + Σₓ F) = I(R; X).
public struct GaussianLinearPopulation: Sendable {
    public let priorCovariance: Matrix<Double>
    public let weights: Matrix<Double>
    public let noiseCovariance: Matrix<Double>

    public init(priorCovariance: Matrix<Double>, weights: Matrix<Double>, noiseCovariance: Matrix<Double>) throws {
        let d = priorCovariance.rows, n = weights.rows
        guard priorCovariance.cols == d, weights.cols == d, noiseCovariance.rows == n, noiseCovariance.cols == n else {
            throw AnalysisFailureMessage("shapes do not match: Σx \(d)×\(priorCovariance.cols), W \(n)×\(weights.cols), Σn \(noiseCovariance.rows)×\(noiseCovariance.cols)")
        }
        _ = try priorCovariance.cholesky(); _ = try noiseCovariance.cholesky()
        self.priorCovariance = priorCovariance; self.weights = weights; self.noiseCovariance = noiseCovariance
    }

    public var dimension: Int { priorCovariance.rows }
    public var neurons: Int { weights.rows }

    /// Fisher information F = Wᵀ Σₙ⁻¹ W (the same at every x).
    public func fisher() throws -> Matrix<Double> {
        let sw = try noiseCovariance.solve(weights)
        return SymmetricMatrix.symmetrized(Matrix.product(weights, transA: true, sw))
    }

    /// Posterior covariance C = Cov(x | r) = (Σₓ⁻¹ + F)⁻¹.
    public func posteriorCovariance() throws -> Matrix<Double> {
        try (try priorCovariance.inverseSPD() + fisher()).inverseSPD()
    }

    /// I(R; X) = ½ (log det Σₓ − log det C) in nats.
    public func mutualInformation() throws -> Double {
        0.5 * (try priorCovariance.logDeterminantSPD() - posteriorCovariance().logDeterminantSPD())
    }

    /// Closed-form multi-scale metric G = ½ (log Σₓ − log C).
    public func metric() throws -> Matrix<Double> {
        SymmetricMatrix.symmetrized(0.5 * (try SymmetricMatrix.log(priorCovariance) - SymmetricMatrix.log(posteriorCovariance())))
    }

    /// Per-scale Fisher matrix J_γ = (C + γI)⁻¹ − (Σₓ + γI)⁻¹.
    public func scaleFisher(gamma: Double) throws -> Matrix<Double> {
        let c = try posteriorCovariance()
        return try scaleFisher(gamma: gamma, posterior: c)
    }

    func scaleFisher(gamma: Double, posterior c: Matrix<Double>) throws -> Matrix<Double> {
        try SymmetricMatrix.shifted(c, by: gamma).inverseSPD() - SymmetricMatrix.shifted(priorCovariance, by: gamma).inverseSPD()
    }

    /// J_γ(y) straight from its definition E_{r|y}[u uᵀ]: with A = (C+γI)⁻¹ and m(r) = E[x | r],
    /// u = A (m(r) − y) + (Σₓ+γI)⁻¹ y has zero mean given y and covariance A Cov(m | y) A, where
    /// Cov(m | y) = (Σₓ − C) − (Σₓ − C)(Σₓ + γI)⁻¹(Σₓ − C). Used to check the closed form above.
    public func scaleFisherFromDefinition(gamma: Double) throws -> Matrix<Double> {
        let c = try posteriorCovariance()
        let a = try SymmetricMatrix.shifted(c, by: gamma).inverseSPD()
        let sm = priorCovariance - c                                  // Cov(E[x|r]) = Cov(E[x|r], y)
        let condCov = sm - sm * (try SymmetricMatrix.shifted(priorCovariance, by: gamma).solve(sm))
        return SymmetricMatrix.symmetrized(a * condCov * a)
    }

    /// G by numerical integration of ½ ∫ J_γ dγ on a log-γ Simpson grid, with the two ends added analytically
    /// to first order: ½ γ_lo F below the grid and ½ (Σₓ − C)/γ_hi above it.
    public func metricByQuadrature(lowest: Double = 1e-8, highest: Double = 1e8, intervals: Int = 1600) throws -> Matrix<Double> {
        let c = try posteriorCovariance()
        let q = LogGammaQuadrature(lowest: lowest, highest: highest, intervals: intervals)
        var g = Matrix<Double>(rows: dimension, cols: dimension)
        for (gamma, w) in zip(q.gammas, q.weights) {
            g = g + (0.5 * w) * (try scaleFisher(gamma: gamma, posterior: c))
        }
        g = g + (0.5 * lowest) * (try fisher())
        g = g + (0.5 / highest) * (priorCovariance - c)
        return SymmetricMatrix.symmetrized(g)
    }

    /// ½ tr J_γ: the rate −dI(R; Y_γ)/dγ at which coarse-graining destroys information.
    public func informationLossRate(gamma: Double) throws -> Double {
        0.5 * SymmetricMatrix.trace(try scaleFisher(gamma: gamma))
    }

    /// I(R; Y_γ) = ½ [log det(Σₓ + γI) − log det(C + γI)].
    public func coarseGrainedInformation(gamma: Double) throws -> Double {
        let c = try posteriorCovariance()
        return 0.5 * (try SymmetricMatrix.shifted(priorCovariance, by: gamma).logDeterminantSPD()
                      - SymmetricMatrix.shifted(c, by: gamma).logDeterminantSPD())
    }

    /// n independent pairs (x, r) as rows: x = L z (Σₓ = L Lᵀ), r = W x + Lₙ z′.
    public func sample(_ n: Int, rng: inout Xoshiro256) throws -> (stimuli: Matrix<Double>, responses: Matrix<Double>) {
        let lx = try priorCovariance.cholesky(), ln = try noiseCovariance.cholesky()
        var z = Matrix<Double>(rows: n, cols: dimension), zn = Matrix<Double>(rows: n, cols: neurons)
        for i in z.data.indices { z.data[i] = rng.normal() }
        for i in zn.data.indices { zn.data[i] = rng.normal() }
        let x = Matrix.product(z, lx, transB: true)
        return (x, Matrix.product(x, weights, transB: true) + Matrix.product(zn, ln, transB: true))
    }

    /// The exact noise predictors at noise level γ for rows y, r (y = x + √γ ξ): the unconditional
    /// E[ξ | y] = √γ (Σₓ + γI)⁻¹ y and the conditional E[ξ | y, r] = √γ (C + γI)⁻¹ (y − m(r)), m(r) = C Wᵀ Σₙ⁻¹ r.
    public func exactNoisePredictors(gamma: Double) throws -> (_ y: Matrix<Double>, _ r: Matrix<Double>) -> (Matrix<Double>, Matrix<Double>) {
        let c = try posteriorCovariance(), s = gamma.squareRoot()
        let au = s * (try SymmetricMatrix.shifted(priorCovariance, by: gamma).inverseSPD())
        let ac = s * (try SymmetricMatrix.shifted(c, by: gamma).inverseSPD())
        let readout = Matrix.product(try noiseCovariance.solve(weights), c)     // Σₙ⁻¹ W C (n × d): row m(r)ᵀ = rᵀ Σₙ⁻¹ W C
        return { y, r in (Matrix.product(y - Matrix.product(r, readout), ac), Matrix.product(y, au)) }
    }

    /// Information carried by the projection Vᵀx onto the span of the columns of V:
    /// I(R; Vᵀx) = ½ [log det(Vᵀ Σₓ V) − log det(Vᵀ C V)].
    public func subspaceInformation(_ v: Matrix<Double>) throws -> Double {
        let c = try posteriorCovariance()
        return 0.5 * (try Matrix.product(v, transA: true, priorCovariance * v).logDeterminantSPD()
                      - Matrix.product(v, transA: true, c * v).logDeterminantSPD())
    }

    /// The most informative k-dimensional projection: by the Courant–Fischer theorem for the pencil (Σₓ, C), the top-k
    /// generalised eigenvalues μ of Σₓ v = μ C v give max_V I(R; Vᵀx) = ½ Σ log μ. Returns the k values ½ log μ (descending)
    /// and the matching directions V (columns).
    public func optimalSubspaces() throws -> (gains: [Double], directions: Matrix<Double>) {
        // With C = L Lᵀ: Σ v = μ C v ⇔ (L⁻¹ Σ L⁻ᵀ) w = μ w, v = L⁻ᵀ w.
        let c = try posteriorCovariance(), l = try c.cholesky()
        let li = try l.solve(Matrix<Double>.identity(dimension))
        let m = SymmetricMatrix.symmetrized(li * priorCovariance * li.transposed)
        let (mu, w) = try PatchGeometry.descending(m)
        return (mu.map { 0.5 * log($0) }, Matrix.product(li, transA: true, w))
    }

    /// A random test population: Σₓ = A Aᵀ/d + 0.1 I, W with N(0, 1/d) entries, Σₙ = B Bᵀ/n + 0.5 I.
    public static func random(dimension d: Int, neurons n: Int, rng: inout Xoshiro256) throws -> GaussianLinearPopulation {
        func spd(_ k: Int, _ ridge: Double) -> Matrix<Double> {
            var a = Matrix<Double>(rows: k, cols: k)
            for i in a.data.indices { a.data[i] = rng.normal() }
            return SymmetricMatrix.shifted((1 / Double(k)) * Matrix.product(a, a, transB: true), by: ridge)
        }
        let sx = spd(d, 0.1)
        var w = Matrix<Double>(rows: n, cols: d)
        for i in w.data.indices { w.data[i] = rng.normal() / Double(d).squareRoot() }
        let sn = spd(n, 0.5)
        return try GaussianLinearPopulation(priorCovariance: sx, weights: w, noiseCovariance: sn)
    }
}
