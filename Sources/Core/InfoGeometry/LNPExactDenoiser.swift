import Foundation
import Numerics

/// The exact (Bayes) denoisers of the LNP population, E[x | y] and E[x | y, r], for y = x + √γ ξ.
///
/// x | y is Gaussian, N(m, S) with m = Σₓ(Σₓ + γI)⁻¹ y and S = γ Σₓ(Σₓ + γI)⁻¹, and the responses depend on x only
/// through the n normalised drives z = W̃x (W̃ the filters divided by their drive scales sᵢ). Hence
///
///   E[x | y, r] = m + S W̃ᵀ A⁻¹ (E[z | y, r] − W̃m),   A = W̃ S W̃ᵀ,
///
/// and only an n-dimensional posterior, p(z | y, r) ∝ N(z; W̃m, A) Πᵢ Poisson(rᵢ; λ(zᵢ)), is not Gaussian. It is log-concave
/// (softplus and exp rates), so its mode is found by Newton's method in whitened coordinates z = W̃m + L v (A = L Lᵀ), and
/// E[z | y, r] is computed by self-normalised importance sampling from the Laplace approximation N(v̂, H⁻¹) at the mode,
/// with `draws` antithetic draws (v̂ ± ε). The self-normalised estimate has a bias of order 1/draws; the effective sample
/// size of the weights is returned as a diagnostic. Noise predictors are ε̂ = (y − E[x | ·])/√γ.
///
/// The importance-sampling noise η of ε̂_c would bias E[δδᵀ] upwards by E[ηηᵀ] (δ = ε̂_c − ε̂_u); the predictions are
/// therefore also returned from two independent halves of the draws, whose product δ₁δ₂ᵀ is free of that bias
/// (`pairedMetric`). The posterior needs n ≤ d filters with linearly independent drives.
public struct LNPExactDenoiser: Sendable {
    public let population: PoissonGaborPopulation
    /// Importance-sampling draws per (y, r) (even: antithetic pairs).
    public var draws = 16
    public var newtonIterations = 60

    public init(population: PoissonGaborPopulation, draws: Int = 16) throws {
        guard population.nonlinearity != .linear else {
            throw AnalysisFailureMessage("exact LNP denoiser: the rate must be softplus or exp (log-concave likelihood)")
        }
        guard draws >= 4, draws % 4 == 0 else { throw AnalysisFailureMessage("exact LNP denoiser: draws must be a multiple of 4 (two halves of antithetic pairs)") }
        guard population.neurons <= population.dimension else {
            throw AnalysisFailureMessage("exact LNP denoiser: needs at most as many neurons (\(population.neurons)) as stimulus dimensions (\(population.dimension))")
        }
        self.population = population; self.draws = draws
    }

    /// Per-sample diagnostics of the last prediction batch.
    public struct Diagnostics: Sendable {
        /// Mean of (Σw)²/(Σw²)/draws over the samples (1: weights all equal).
        public var meanEffectiveFraction: Double
        /// Largest number of Newton iterations used.
        public var maxIterations: Int
    }

    /// Count of each response feature (the inverse of `Features.apply`).
    static func count(_ phi: Double, _ features: PoissonGaborPopulation.Features) -> Int {
        switch features {
        case .counts: return Int(phi.rounded())
        case .anscombe: return Int((phi * phi / 4 - 0.375).rounded())
        }
    }

    /// Second derivative of the rate nonlinearity.
    static func second(_ nl: PoissonGaborPopulation.Nonlinearity, _ t: Double) -> Double {
        switch nl {
        case .softplus: let s = 1 / (1 + Foundation.exp(-t)); return s * (1 - s)
        case .exp: return Foundation.exp(t)
        case .linear: return 0
        }
    }

    /// Noise predictions (conditional, unconditional), each m × d, for the rows of y (m × d) and response features φ(r)
    /// (m × n). The importance-sampling draws come from `rng`.
    public func predict(gamma: Double, y: Matrix<Double>, responses: Matrix<Double>, features: PoissonGaborPopulation.Features,
                        rng: inout Xoshiro256) throws -> (conditional: Matrix<Double>, unconditional: Matrix<Double>,
                                                          halves: (Matrix<Double>, Matrix<Double>), diagnostics: Diagnostics) {
        let pop = population, d = pop.dimension, n = pop.neurons, rows = y.rows
        guard y.cols == d, responses.cols == n, responses.rows == rows, gamma > 0 else {
            throw AnalysisFailureMessage("exact LNP denoiser: y must be m × \(d) and responses m × \(n)")
        }
        let sigma = pop.priorCovariance
        var shifted = sigma
        for i in 0..<d { shifted[i, i] += gamma }
        let mMat = SymmetricMatrix.symmetrized(try shifted.solve(sigma))          // Σ(Σ + γI)⁻¹
        let sMat = gamma * mMat
        var wt = pop.filters
        for i in 0..<n { for j in 0..<d { wt[i, j] /= pop.driveScales[i] } }
        let a = SymmetricMatrix.symmetrized(Matrix.product(wt, Matrix.product(sMat, wt, transB: true)))
        let l = try a.cholesky()                                                   // A = L Lᵀ
        // E[x | y, r] − m = S W̃ᵀ A⁻¹ (E[z] − W̃m) = S W̃ᵀ A⁻¹ L E[v] = S W̃ᵀ L⁻ᵀ E[v]: K = S W̃ᵀ L⁻ᵀ (d × n).
        let swt = Matrix.product(sMat, wt, transB: true)                         // d × n
        let k = try l.solve(swt.transposed).transposed                            // (L⁻¹ (S W̃ᵀ)ᵀ)ᵀ = S W̃ᵀ L⁻ᵀ
        let mean = Matrix.product(y, mMat)                                         // rows m_y (Σ(Σ+γI)⁻¹ symmetric)
        let mu = Matrix.product(mean, wt, transB: true)                            // rows W̃ m_y
        let nu = pop.rateScale, gain = pop.gain, bias = pop.bias, nl = pop.nonlinearity
        let ld = l.data
        var ev = Matrix<Double>(rows: rows, cols: n), ev1 = ev, ev2 = ev
        var essSum = 0.0, maxIt = 0
        // Work buffers.
        var v = [Double](repeating: 0, count: n), z = v, grad = v, step = v, hd = v, trial = v
        var h = [Double](repeating: 0, count: n * n), c = h
        var eps = v, vs = v, acc = v, acc1 = v, acc2 = v
        func loglik(_ z: [Double], _ r: [Int]) -> Double {
            var s = 0.0
            for i in 0..<n {
                let lam = nu * nl.value(gain * z[i] + bias)
                s += (r[i] > 0 ? Double(r[i]) * log(max(lam, 1e-300)) : 0) - lam
            }
            return s
        }
        func drive(_ v: [Double], _ row: Int, into z: inout [Double]) {
            for i in 0..<n {
                var s = mu.data[row * n + i]
                for j in 0...i { s += ld[i * n + j] * v[j] }
                z[i] = s
            }
        }
        for s in 0..<rows {
            let r = (0..<n).map { Self.count(responses.data[s * n + $0], features) }
            for i in 0..<n { v[i] = 0 }
            drive(v, s, into: &z)
            var obj = loglik(z, r)
            var it = 0
            while it < newtonIterations {
                it += 1
                // ℓᵢ′ and −ℓᵢ″ at z.
                for i in 0..<n {
                    let t = gain * z[i] + bias, lam = max(nu * nl.value(t), 1e-300)
                    let d1 = nu * gain * nl.derivative(t), d2 = nu * gain * gain * Self.second(nl, t)
                    let ri = Double(r[i])
                    grad[i] = (ri / lam - 1) * d1
                    hd[i] = max(0, -((ri / lam - 1) * d2 - ri * d1 * d1 / (lam * lam)))
                }
                // Gradient in v: −v + Lᵀ ℓ′; Hessian of −log π: I + Lᵀ D L.
                for j in 0..<n {
                    var g = -v[j]
                    for i in j..<n { g += ld[i * n + j] * grad[i] }
                    step[j] = g
                }
                for p in 0..<n { for q in 0...p {
                    var sum = p == q ? 1.0 : 0.0
                    for i in p..<n { sum += ld[i * n + p] * hd[i] * ld[i * n + q] }
                    h[p * n + q] = sum; h[q * n + p] = sum
                } }
                try Self.choleskyInPlace(&h, n)
                Self.solveCholesky(h, n, &step)
                var maxStep = 0.0
                for j in 0..<n { maxStep = max(maxStep, abs(step[j])) }
                // Backtracking on the concave log posterior −½|v|² + Σ ℓ.
                var t = 1.0, accepted = false
                let current = obj - 0.5 * v.reduce(0) { $0 + $1 * $1 }
                for _ in 0..<40 {
                    for j in 0..<n { trial[j] = v[j] + t * step[j] }
                    drive(trial, s, into: &z)
                    let o = loglik(z, r), val = o - 0.5 * trial.reduce(0) { $0 + $1 * $1 }
                    if val >= current - 1e-12 * abs(current) { v = trial; obj = o; accepted = true; break }
                    t *= 0.5
                }
                if !accepted { drive(v, s, into: &z); break }
                if maxStep * t < 1e-10 { break }
            }
            maxIt = max(maxIt, it)
            // Hessian at the mode for the proposal: H = C Cᵀ, draws v = v̂ + C⁻ᵀ ε.
            drive(v, s, into: &z)
            for i in 0..<n {
                let t = gain * z[i] + bias, lam = max(nu * nl.value(t), 1e-300)
                let d1 = nu * gain * nl.derivative(t), d2 = nu * gain * gain * Self.second(nl, t)
                let ri = Double(r[i])
                hd[i] = max(0, -((ri / lam - 1) * d2 - ri * d1 * d1 / (lam * lam)))
            }
            for p in 0..<n { for q in 0...p {
                var sum = p == q ? 1.0 : 0.0
                for i in p..<n { sum += ld[i * n + p] * hd[i] * ld[i * n + q] }
                c[p * n + q] = sum; c[q * n + p] = sum
            } }
            try Self.choleskyInPlace(&c, n)
            var logw = [Double](), samples = [[Double]]()
            logw.reserveCapacity(draws); samples.reserveCapacity(draws)
            for _ in 0..<(draws / 2) {
                for i in 0..<n { eps[i] = rng.normal() }
                // C⁻ᵀ ε: back substitution with the upper factor Cᵀ.
                var u = eps
                for i in stride(from: n - 1, through: 0, by: -1) {
                    var sum = u[i]
                    for j in (i + 1)..<n { sum -= c[j * n + i] * u[j] }
                    u[i] = sum / c[i * n + i]
                }
                let e2 = eps.reduce(0) { $0 + $1 * $1 }
                for sign in [1.0, -1.0] {
                    for j in 0..<n { vs[j] = v[j] + sign * u[j] }
                    drive(vs, s, into: &z)
                    logw.append(loglik(z, r) - 0.5 * vs.reduce(0) { $0 + $1 * $1 } + 0.5 * e2)
                    samples.append(vs)
                }
            }
            let mx = logw.max()!
            var wsum = 0.0, w2 = 0.0, ws1 = 0.0, ws2 = 0.0
            for j in 0..<n { acc[j] = 0; acc1[j] = 0; acc2[j] = 0 }
            for (idx, lw) in logw.enumerated() {
                let w = Foundation.exp(lw - mx)
                wsum += w; w2 += w * w
                if idx < draws / 2 { ws1 += w; for j in 0..<n { acc1[j] += w * samples[idx][j] } }
                else { ws2 += w; for j in 0..<n { acc2[j] += w * samples[idx][j] } }
            }
            for j in 0..<n { acc[j] = acc1[j] + acc2[j] }
            essSum += wsum * wsum / w2 / Double(draws)
            for j in 0..<n { ev.data[s * n + j] = acc[j] / wsum; ev1.data[s * n + j] = acc1[j] / ws1; ev2.data[s * n + j] = acc2[j] / ws2 }
        }
        // ε̂_u = (y − m)/√γ, ε̂_c = ε̂_u − K E[v]/√γ.
        let rs = 1 / gamma.squareRoot()
        var eu = y - mean
        for i in eu.data.indices { eu.data[i] *= rs }
        func conditional(_ e: Matrix<Double>) -> Matrix<Double> {
            let shift = Matrix.product(e, k, transB: true)                        // m × d
            var ec = eu
            for i in ec.data.indices { ec.data[i] -= rs * shift.data[i] }
            return ec
        }
        return (conditional(ev), eu, (conditional(ev1), conditional(ev2)),
                Diagnostics(meanEffectiveFraction: essSum / Double(max(rows, 1)), maxIterations: maxIt))
    }

    /// In-place Cholesky factor (lower triangle, row-major n × n); throws if not positive definite.
    static func choleskyInPlace(_ a: inout [Double], _ n: Int) throws {
        for j in 0..<n {
            var s = a[j * n + j]
            for k in 0..<j { s -= a[j * n + k] * a[j * n + k] }
            guard s > 0 else { throw AnalysisFailureMessage("exact LNP denoiser: Hessian not positive definite") }
            let l = s.squareRoot()
            a[j * n + j] = l
            for i in (j + 1)..<n {
                var t = a[i * n + j]
                for k in 0..<j { t -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = t / l
            }
            for i in 0..<j { a[i * n + j] = 0 }
        }
    }

    /// Solves (C Cᵀ) x = b in place, C the lower factor from `choleskyInPlace`.
    static func solveCholesky(_ c: [Double], _ n: Int, _ b: inout [Double]) {
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= c[i * n + k] * b[k] }
            b[i] = s / c[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = b[i]
            for k in (i + 1)..<n { s -= c[k * n + i] * b[k] }
            b[i] = s / c[i * n + i]
        }
    }
}

/// The exact denoisers' G minus a reference predictor's G on common samples (issue 20 §4: how far the linear-denoiser
/// limit is from the true G): ΔG = ½ ∫ dt E[sym(δ₁δ₂ᵀ) − δ_ref δ_refᵀ], δ₁, δ₂ from the two independent halves of the
/// importance-sampling draws (so that their noise does not bias ΔG), with the trace's Monte Carlo error from the per-sample
/// differences and the Frobenius-norm noise of ΔG, (Σ_k (½w_k)² Σ_ij var(D_ij)/M)^½.
public struct PairedMetricDifference: Sendable {
    public let metric: Matrix<Double>
    public let trace: (value: Double, error: Double)
    public let frobeniusNoise: Double
    public let meanEffectiveFraction: Double
}

extension LNPExactDenoiser {
    /// Evaluates the exact denoisers and `reference` on the pairs (node k uses rows k·M ..< (k+1)·M, fresh ξ from `rng`,
    /// importance-sampling draws from `rng.child(node)` of a child stream), as `LinearDenoiserEstimator.evaluate` does.
    /// With `referenceExact` (another exact denoiser, e.g. with more draws) the reference is that denoiser, also through
    /// the product of its two halves, so that the difference isolates the self-normalised bias of the draw count.
    public func pairedMetric(estimator est: LinearDenoiserEstimator, reference: LinearDenoiserEstimator.Predictor,
                             stimuli x: Matrix<Double>, responses r: Matrix<Double>, features: PoissonGaborPopulation.Features,
                             referenceExact: LNPExactDenoiser? = nil,
                             rng: inout Xoshiro256) throws -> PairedMetricDifference {
        let q = est.quadrature, nodes = q.gammas.count, d = x.cols
        guard x.rows == r.rows, x.rows % nodes == 0, x.rows / nodes >= 2 else {
            throw AnalysisFailureMessage("exact LNP denoiser: evaluation needs a multiple of \(nodes) pairs, ≥ 2 per node")
        }
        let m = x.rows / nodes, half = est.nodeWeights.map { 0.5 * $0 }
        let isRoot = rng.child(7919)
        var metric = Matrix<Double>(rows: d, cols: d)
        var traceSamples = [[Double]](), noise2 = 0.0, ess = 0.0
        for (k, gamma) in q.gammas.enumerated() {
            let rowsK = Array((k * m)..<((k + 1) * m))
            let xk = x.selectingRows(rowsK), rk = r.selectingRows(rowsK)
            let (y, _) = LinearDenoiserEstimator.noisy(xk, gamma: gamma, rng: &rng)
            var isRng = isRoot.child(k)
            let ex = try predict(gamma: gamma, y: y, responses: rk, features: features, rng: &isRng)
            var refHalves: (Matrix<Double>, Matrix<Double>)? = nil
            let (rc, ru): (Matrix<Double>, Matrix<Double>)
            if let re = referenceExact {
                var refRng = isRoot.child(100_000 + k)
                let o = try re.predict(gamma: gamma, y: y, responses: rk, features: features, rng: &refRng)
                (rc, ru) = (o.conditional, o.unconditional); refHalves = o.halves
            } else {
                (rc, ru) = try reference(k, gamma, y, rk)
            }
            ess += ex.diagnostics.meanEffectiveFraction / Double(nodes)
            var sum = [Double](repeating: 0, count: d * d), sum2 = sum
            var tr = [Double](repeating: 0, count: m)
            var a = [Double](repeating: 0, count: d), b = a, c = a, c2 = a
            for s in 0..<m {
                for j in 0..<d {
                    let i = s * d + j
                    a[j] = ex.halves.0.data[i] - ex.unconditional.data[i]
                    b[j] = ex.halves.1.data[i] - ex.unconditional.data[i]
                    if let h = refHalves { c[j] = h.0.data[i] - ru.data[i]; c2[j] = h.1.data[i] - ru.data[i] }
                    else { c[j] = rc.data[i] - ru.data[i]; c2[j] = c[j] }
                    tr[s] += a[j] * b[j] - c[j] * c2[j]
                }
                for i in 0..<d { for j in i..<d {
                    let v = 0.5 * (a[i] * b[j] + b[i] * a[j]) - 0.5 * (c[i] * c2[j] + c2[i] * c[j])
                    sum[i * d + j] += v; sum2[i * d + j] += v * v
                } }
            }
            traceSamples.append(tr)
            var v2 = 0.0
            for i in 0..<d { for j in i..<d {
                let mean = sum[i * d + j] / Double(m)
                let vr = max(0, sum2[i * d + j] / Double(m) - mean * mean) * Double(m) / Double(m - 1)
                v2 += (i == j ? 1 : 2) * vr
                metric[i, j] += half[k] * mean
                if i != j { metric[j, i] += half[k] * mean }
            } }
            noise2 += half[k] * half[k] * v2 / Double(m)
        }
        let t = MonteCarloQuadrature.estimate(weights: half, samples: traceSamples)
        return PairedMetricDifference(metric: metric, trace: (t.value, t.error), frobeniusNoise: noise2.squareRoot(), meanEffectiveFraction: ess)
    }
}
