import Foundation
import Numerics

/// Numerically exact multi-scale geometry of a ring population, with coarse-graining taken as diffusion on the circle
/// (y = x + √γ ξ mod 2π), so that the uniform prior stays uniform and p_γ(y) = 1/2π at every scale.
///
/// Response patterns r_k are drawn from p(r) (stimuli stratified over the circle). For each pattern the posterior p(x | r_k)
/// is computed on an N-point grid, expanded in Fourier modes and diffused exactly (mode n decays as e^{−γn²/2}).
/// This gives p_γ(y | r_k) and its y-derivative, hence u_k(y) = ∂_y log p_γ(y | r_k) (the prior term vanishes on the circle).
/// Three estimates of the same mutual information use the same patterns:
/// * `direct`: log p(r_k | x_k) − log p(r_k);
/// * `kl`: KL(p(x | r_k) ‖ p(x)) (Rao–Blackwellised over x);
/// * `identity`: ½ ∫ dγ E_{y∼p_γ(y|r_k)} u_k(y)² — de Bruijn's identity applied to each pattern, which must equal `kl`
///   pattern by pattern up to quadrature error.
/// G(x) = ½ ∫ dγ E_{y∼N(x,γ)} J_γ(y), with J_γ(y) p_γ(y) = E_k[p_γ(y | r_k) u_k(y)²] (importance sampling over r).
public struct RingOracle: Sendable {
    public var population = RingPopulation()
    public var patterns = 8000
    public var gridSize = 128
    public var modes = 48
    public var quadrature = LogGammaQuadrature(lowest: 1e-5, highest: 60, intervals: 80)
    public var seed: UInt64 = 1

    public init() {}

    /// Output of `run()`.
    public struct Result: Sendable {
        public let grid: [Double]
        /// tr G(x) (a scalar here) on the grid.
        public let metric: [Double]
        /// Exact Fisher information J(x).
        public let fisher: [Double]
        /// J_0(x) = E_{r|x}[(∂ₓ log p(r|x))²] estimated from the sampled patterns, with its standard error.
        public let fisherEstimate: [Double]
        public let fisherEstimateError: [Double]
        public let gammas: [Double]
        /// ½ E_{y∼p_γ} J_γ(y) = −dI(R;Y_γ)/dγ at each quadrature node.
        public let lossRate: [Double]
        /// I(R; Y_γ) at each quadrature node (integrated down from the largest γ).
        public let coarseGrainedInformation: [Double]
        public let miDirect: (mean: Double, error: Double)
        public let miKL: (mean: Double, error: Double)
        public let miIdentity: (mean: Double, error: Double)
        /// ∫ p(x) tr G(x) dx.
        public let integratedMetric: Double
        /// max_k |KL_k − ½∫ relative Fisher_k dγ| and the mean of the signed difference.
        public let identityMaxAbsDifference: Double
        public let identityMeanDifference: Double
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Result {
        let n = gridSize, k = patterns, m = min(modes, gridSize / 2 - 1), nb = 2 * m + 1
        guard k >= 10, n >= 16, m >= 4 else { throw AnalysisFailureMessage("ring oracle needs ≥ 10 patterns and a grid of ≥ 16 points") }
        let pop = population, h = 2 * Double.pi / Double(n)
        let grid = (0..<n).map { -Double.pi + Double($0) * h }

        // Patterns r_k ~ p(r), stimuli stratified on the circle.
        var rng = Xoshiro256(seed: seed)
        var stimuli = [Double](repeating: 0, count: k), counts = [[Int]]()
        counts.reserveCapacity(k)
        for i in 0..<k {
            stimuli[i] = -Double.pi + 2 * Double.pi * (Double(i) + rng.uniform()) / Double(k)
            counts.append(pop.sample(at: stimuli[i], rng: &rng))
        }

        // Tables of log f and f′/f on the grid.
        let nn = pop.neurons
        var logf = [Double](repeating: 0, count: nn * n), fv = logf, dlogf = logf
        for i in 0..<nn { for j in 0..<n {
            let f = pop.rate(i, at: grid[j]); fv[i * n + j] = f; logf[i * n + j] = log(f)
            dlogf[i * n + j] = pop.rateDerivative(i, at: grid[j])
        } }
        let sumF = (0..<n).map { j in (0..<nn).reduce(0.0) { $0 + fv[$1 * n + j] } }

        // Posterior densities, per-pattern MI terms and γ = 0 relative Fisher information.
        var post = Matrix<Double>(rows: k, cols: n)
        var direct = [Double](repeating: 0, count: k), kl = direct, rel0 = direct
        var j0 = [Double](repeating: 0, count: n), j0sq = j0
        post.data.withUnsafeMutableBufferPointer { p in
            var row = [Double](repeating: 0, count: n)
            for a in 0..<k {
                let r = counts[a]
                var lfact = 0.0
                for i in 0..<nn { lfact += lgamma(Double(r[i]) + 1) }
                var mx = -Double.infinity
                for j in 0..<n {
                    var l = -sumF[j] - lfact
                    for i in 0..<nn { l += Double(r[i]) * logf[i * n + j] }
                    row[j] = l; mx = max(mx, l)
                }
                var s = 0.0
                for j in 0..<n { row[j] = exp(row[j] - mx); s += row[j] }
                let logPr = mx + log(s / Double(n))
                direct[a] = pop.logLikelihood(r, at: stimuli[a]) - logPr
                var klSum = 0.0, relSum = 0.0
                for j in 0..<n {
                    let dens = row[j] / s * Double(n) / (2 * Double.pi)
                    p[a * n + j] = dens
                    if dens > 0 { klSum += dens * log(dens * 2 * Double.pi) }
                    var sc = 0.0
                    for i in 0..<nn { sc += (Double(r[i]) / fv[i * n + j] - 1) * dlogf[i * n + j] }
                    let c = dens * sc * sc
                    relSum += c
                    let jc = 2 * Double.pi * c
                    j0[j] += jc; j0sq[j] += jc * jc
                }
                kl[a] = klSum * h; rel0[a] = relSum * h
            }
        }
        let fisherEst = j0.map { $0 / Double(k) }
        let fisherErr = (0..<n).map { j -> Double in
            let mean = fisherEst[j], v = j0sq[j] / Double(k) - mean * mean
            return (max(v, 0) / Double(k - 1)).squareRoot()
        }
        progress("ring oracle: \(k) posteriors on \(n) grid points")

        // Fourier analysis matrix (N × nb) and coefficient scaling.
        var analysis = Matrix<Double>(rows: n, cols: nb)
        for j in 0..<n {
            analysis[j, 0] = 1 / Double(n)
            for q in 1...m {
                analysis[j, 2 * q - 1] = 2 * cos(Double(q) * grid[j]) / Double(n)
                analysis[j, 2 * q] = 2 * sin(Double(q) * grid[j]) / Double(n)
            }
        }
        let coef = Matrix.product(post, analysis)        // K × nb
        func synthesis(_ gamma: Double, derivative: Bool) -> Matrix<Double> {
            var s = Matrix<Double>(rows: nb, cols: n)
            for j in 0..<n {
                s[0, j] = derivative ? 0 : 1
                for q in 1...m {
                    let e = exp(-gamma * Double(q * q) / 2), c = cos(Double(q) * grid[j]), sn = sin(Double(q) * grid[j])
                    if derivative { s[2 * q - 1, j] = -Double(q) * e * sn; s[2 * q, j] = Double(q) * e * c }
                    else { s[2 * q - 1, j] = e * c; s[2 * q, j] = e * sn }
                }
            }
            return s
        }

        let q = quadrature
        var identity = rel0.map { 0.5 * q.gammas[0] * $0 }        // ½ γ_lo J_0 below the grid
        var metric = fisherEst.map { 0.5 * q.gammas[0] * $0 }
        var lossRate = [Double](repeating: 0, count: q.gammas.count)
        // Each γ node is independent: per-pattern relative Fisher information s_k(γ) and the diffused J_γ, in preallocated slots.
        var perPattern = [[Double]](repeating: [], count: q.gammas.count)
        var smoothedJ = [[Double]](repeating: [], count: q.gammas.count)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: q.gammas.count) { gi in
            let gamma = q.gammas[gi]
            let sp = synthesis(gamma, derivative: false), sd = synthesis(gamma, derivative: true)
            let pg = Matrix.product(coef, sp), dg = Matrix.product(coef, sd)
            var jp = [Double](repeating: 0, count: n), sk = [Double](repeating: 0, count: k)
            pg.data.withUnsafeBufferPointer { pp in dg.data.withUnsafeBufferPointer { dd in
                for a in 0..<k {
                    var s = 0.0
                    for j in 0..<n {
                        let pv = pp[a * n + j]
                        if pv > 1e-12 { let c = dd[a * n + j] * dd[a * n + j] / pv; s += c; jp[j] += c }
                    }
                    sk[a] = s * h
                }
            } }
            // J_γ(y) = 2π E_k[p_γ(y|r_k) u_k²], then E_{y∼N(x,γ)} by diffusing it for a time γ.
            let jy = Matrix(rows: 1, cols: n, data: jp.map { 2 * Double.pi * $0 / Double(k) })
            let smoothed = Matrix.product(Matrix.product(jy, analysis), sp)
            lock.lock(); perPattern[gi] = sk; smoothedJ[gi] = smoothed.data; lock.unlock()
        }
        progress("ring oracle: \(q.gammas.count) γ nodes done")
        for gi in 0..<q.gammas.count {
            let w = q.weights[gi], sk = perPattern[gi], sm = smoothedJ[gi]
            var total = 0.0
            for a in 0..<k { identity[a] += 0.5 * w * sk[a]; total += sk[a] }
            lossRate[gi] = 0.5 * total / Double(k)
            for j in 0..<n { metric[j] += 0.5 * w * sm[j] }
        }

        // I(R; Y_γ) by integrating the loss rate down from the top node (trapezoid in log γ).
        var curve = [Double](repeating: 0, count: q.gammas.count)
        for gi in stride(from: q.gammas.count - 2, through: 0, by: -1) {
            let a = lossRate[gi] * q.gammas[gi], b = lossRate[gi + 1] * q.gammas[gi + 1]
            curve[gi] = curve[gi + 1] + 0.5 * (a + b) * q.logGammaStep
        }

        func meanSE(_ v: [Double]) -> (Double, Double) {
            let mu = v.reduce(0, +) / Double(v.count)
            let s2 = v.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(v.count - 1)
            return (mu, (s2 / Double(v.count)).squareRoot())
        }
        let diffs = zip(kl, identity).map { $0 - $1 }
        return Result(grid: grid, metric: metric, fisher: grid.map(pop.fisher(at:)),
                      fisherEstimate: fisherEst, fisherEstimateError: fisherErr,
                      gammas: q.gammas, lossRate: lossRate, coarseGrainedInformation: curve,
                      miDirect: meanSE(direct), miKL: meanSE(kl), miIdentity: meanSE(identity),
                      integratedMetric: metric.reduce(0, +) / Double(n),
                      identityMaxAbsDifference: diffs.map(abs).max() ?? 0,
                      identityMeanDifference: diffs.reduce(0, +) / Double(k))
    }
}
