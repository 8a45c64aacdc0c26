import Foundation
import Numerics

/// Learned multi-scale metric G of a d-dimensional stimulus from a finite set of (x, r) pairs, with denoisers that are
/// linear in their inputs at each noise level (fitted to the denoising loss by least squares).
///
/// At each log-γ node the conditional noise predictor ε̂_c(y, r) = [y, φ(r), 1] B_c and the unconditional one
/// ε̂_u(y) = [y, 1] B_u minimise the denoising loss E‖ξ − ε̂‖² on the training pairs (each with fresh ξ, y = x + √γ ξ).
/// For a linear-Gaussian population the exact predictors E[ξ | y, r] and E[ξ | y] lie in this class, so the learned G
/// converges to the closed form as the number of pairs grows; for a non-Gaussian prior or a nonlinear population it is
/// the best linear-denoiser approximation. With δ = ε̂_c − ε̂_u (so γ u uᵀ = δ δᵀ by Tweedie's formula) and t = ln γ,
///
///   G = ½ ∫ dt E[δ δᵀ],   I(R; X) = tr G (direct),   I = ½ ∫ dt (L_u − L_c) (I-MMSE loss difference),
///
/// where for a stimulus-independent G (Gaussian case) the expectation runs over (x, r, ξ) jointly and in general it is the
/// prior average ∫ p(x) G(x) dx. Below γ_lo the integrand per unit t grows like γ, above γ_hi it decays like 1/γ, so each
/// tail adds its end node's value once (first-order end corrections).
public struct LinearDenoiserEstimator: Sendable {
    public var lowestGamma: Double
    public var highestGamma: Double
    /// Simpson intervals in ln γ (rounded up to even): intervals + 1 nodes.
    public var intervals = 24
    /// Fresh noise draws per training pair at each node.
    public var drawsPerPair = 2
    /// Ridge added to the normal equations, relative to their mean diagonal.
    public var ridge = 1e-9
    /// How many leading eigenvalues get a first-order Monte Carlo error (each costs a pass over the samples).
    public var eigenvalueErrorCount = 8

    public init(lowestGamma: Double, highestGamma: Double) {
        self.lowestGamma = lowestGamma; self.highestGamma = highestGamma
    }

    public var quadrature: LogGammaQuadrature { LogGammaQuadrature(lowest: lowestGamma, highest: highestGamma, intervals: intervals) }

    /// Weights per unit E[·] at each node for ∫ dt, including the two first-order tail corrections.
    public var nodeWeights: [Double] {
        let q = quadrature
        var w = zip(q.weights, q.gammas).map { $0 / $1 }
        w[0] += 1; w[w.count - 1] += 1
        return w
    }

    /// The fitted predictors at each node: B_c is (d + m + 1) × d, B_u is (d + 1) × d (rows: y, φ(r), intercept).
    public struct Fit: Sendable {
        public let gammas: [Double]
        public let conditional: [Matrix<Double>]
        public let unconditional: [Matrix<Double>]
    }

    /// [y, r, 1] (or [y, 1] without responses) as rows.
    static func design(_ y: Matrix<Double>, _ r: Matrix<Double>?) -> Matrix<Double> {
        let d = y.cols, m = r?.cols ?? 0, p = d + m + 1
        var f = Matrix<Double>(rows: y.rows, cols: p)
        for i in 0..<y.rows {
            for j in 0..<d { f.data[i * p + j] = y.data[i * d + j] }
            if let r { for j in 0..<m { f.data[i * p + d + j] = r.data[i * m + j] } }
            f.data[i * p + p - 1] = 1
        }
        return f
    }

    /// y = x + √γ ξ for every row, with ξ drawn from `rng`; returns (y, ξ).
    static func noisy(_ x: Matrix<Double>, gamma: Double, rng: inout Xoshiro256) -> (Matrix<Double>, Matrix<Double>) {
        var xi = Matrix<Double>(rows: x.rows, cols: x.cols)
        for i in xi.data.indices { xi.data[i] = rng.normal() }
        let s = gamma.squareRoot()
        return (Matrix(rows: x.rows, cols: x.cols, data: zip(x.data, xi.data).map { $0 + s * $1 }), xi)
    }

    static func leastSquares(_ f: Matrix<Double>, _ target: Matrix<Double>, ridge: Double) throws -> Matrix<Double> {
        var ata = Matrix.product(f, transA: true, f)
        let mean = ata.diagonalElements.reduce(0, +) / Double(ata.rows)
        for i in 0..<ata.rows { ata[i, i] += ridge * mean }
        return try ata.solve(Matrix.product(f, transA: true, target))
    }

    /// Fits both predictors at every node from the pairs (rows of `stimuli` and `responses`).
    public func fit(stimuli x: Matrix<Double>, responses r: Matrix<Double>, rng: inout Xoshiro256) throws -> Fit {
        guard x.rows == r.rows, x.rows > x.cols + r.cols + 1, drawsPerPair >= 1, lowestGamma > 0, highestGamma > lowestGamma else {
            throw AnalysisFailureMessage("linear denoisers: need as many stimuli as responses and more pairs than inputs (\(x.cols + r.cols + 1)); 0 < γ_lo < γ_hi")
        }
        var xs = x, rs = r
        if drawsPerPair > 1 {
            xs = Matrix(rows: x.rows * drawsPerPair, cols: x.cols, data: Array([[Double]](repeating: x.data, count: drawsPerPair).joined()))
            rs = Matrix(rows: r.rows * drawsPerPair, cols: r.cols, data: Array([[Double]](repeating: r.data, count: drawsPerPair).joined()))
        }
        var bc = [Matrix<Double>](), bu = [Matrix<Double>]()
        for gamma in quadrature.gammas {
            let (y, xi) = Self.noisy(xs, gamma: gamma, rng: &rng)
            bc.append(try Self.leastSquares(Self.design(y, rs), xi, ridge: ridge))
            bu.append(try Self.leastSquares(Self.design(y, nil), xi, ridge: ridge))
        }
        return Fit(gammas: quadrature.gammas, conditional: bc, unconditional: bu)
    }

    /// Noise predictors (conditional, unconditional) for the rows of y and r at node `node`.
    public typealias Predictor = (_ node: Int, _ gamma: Double, _ y: Matrix<Double>, _ r: Matrix<Double>) throws -> (Matrix<Double>, Matrix<Double>)

    public static func predictor(_ fit: Fit) -> Predictor {
        { node, _, y, r in (Matrix.product(design(y, r), fit.conditional[node]), Matrix.product(design(y, nil), fit.unconditional[node])) }
    }

    /// A Monte Carlo value and its standard error.
    public typealias Estimate = (value: Double, error: Double)

    /// G, its eigen-decomposition (descending, first-order errors of the eigenvalues) and both MI estimators.
    public struct Evaluation: Sendable {
        public let metric: Matrix<Double>
        public let eigenvalues: [Double]
        /// Eigenvectors as columns, in the order of `eigenvalues`, sign fixed so the largest entry is positive.
        public let eigenvectors: Matrix<Double>
        /// First-order Monte Carlo error of the leading `eigenvalueErrorCount` eigenvalues, from the samples of (vₖᵀ δ)²
        /// (valid for non-degenerate λₖ).
        public let eigenvalueErrors: [Double]
        public let miDirect: Estimate
        public let miLossDifference: Estimate
    }

    /// Evaluates the predictors on independent evaluation pairs: node k uses rows k·M ..< (k+1)·M of `stimuli`/`responses`
    /// with fresh ξ from `rng` (nodes independent, as `MonteCarloQuadrature` assumes). Several predictors are evaluated on
    /// the same samples (e.g. learned and exact, so that the exact one gives the evaluation's floor).
    public func evaluate(_ predictors: [Predictor], stimuli x: Matrix<Double>, responses r: Matrix<Double>,
                         rng: inout Xoshiro256) throws -> [Evaluation] {
        let q = quadrature, nodes = q.gammas.count, d = x.cols
        guard x.rows == r.rows, x.rows % nodes == 0, x.rows / nodes >= 2 else {
            throw AnalysisFailureMessage("linear denoisers: evaluation needs a multiple of \(nodes) pairs, ≥ 2 per node")
        }
        let m = x.rows / nodes, w = nodeWeights
        var sums = [Matrix<Double>](repeating: Matrix(rows: d, cols: d), count: predictors.count)
        var direct = [[[Double]]](repeating: [], count: predictors.count), lossDiff = direct
        var deltas = [[Matrix<Double>]](repeating: [], count: predictors.count)
        for (k, gamma) in q.gammas.enumerated() {
            let rowsK = Array((k * m)..<((k + 1) * m))
            let xk = x.selectingRows(rowsK), rk = r.selectingRows(rowsK)
            let (y, xi) = Self.noisy(xk, gamma: gamma, rng: &rng)
            for (pi, pred) in predictors.enumerated() {
                let (ec, eu) = try pred(k, gamma, y, rk)
                let delta = ec - eu
                sums[pi] = sums[pi] + (0.5 * w[k] / Double(m)) * Matrix.product(delta, transA: true, delta)
                var dir = [Double](repeating: 0, count: m), ld = dir
                for s in 0..<m { for j in 0..<d {
                    let i = s * d + j, dc = xi.data[i] - ec.data[i], du = xi.data[i] - eu.data[i]
                    dir[s] += delta.data[i] * delta.data[i]; ld[s] += du * du - dc * dc
                } }
                direct[pi].append(dir); lossDiff[pi].append(ld); deltas[pi].append(delta)
            }
        }
        let half = w.map { 0.5 * $0 }
        return try (0..<predictors.count).map { pi in
            let g = SymmetricMatrix.symmetrized(sums[pi])
            let (vals, vecs) = try PatchGeometry.descending(g)
            // First-order errors: λₖ = vₖᵀ G vₖ, so its samples are (vₖᵀ δ)² at each node.
            let errs = (0..<min(d, eigenvalueErrorCount)).map { kk -> Double in
                let v = vecs.column(kk)
                let samples = deltas[pi].map { dm in (0..<dm.rows).map { s -> Double in
                    var p = 0.0
                    for j in 0..<d { p += dm.data[s * d + j] * v[j] }
                    return p * p
                } }
                return MonteCarloQuadrature.estimate(weights: half, samples: samples).error
            }
            return Evaluation(metric: g, eigenvalues: vals, eigenvectors: vecs, eigenvalueErrors: errs,
                              miDirect: MonteCarloQuadrature.estimate(weights: half, samples: direct[pi]),
                              miLossDifference: MonteCarloQuadrature.estimate(weights: half, samples: lossDiff[pi]))
        }
    }

    /// G from closed-form J_γ at the same nodes (no Monte Carlo): the quadrature's own error against the exact G.
    public func metricByQuadrature(_ pop: GaussianLinearPopulation) throws -> Matrix<Double> {
        let c = try pop.posteriorCovariance(), w = nodeWeights
        var g = Matrix<Double>(rows: pop.dimension, cols: pop.dimension)
        for (k, gamma) in quadrature.gammas.enumerated() {
            g = g + (0.5 * w[k] * gamma) * (try pop.scaleFisher(gamma: gamma, posterior: c))
        }
        return SymmetricMatrix.symmetrized(g)
    }
}

/// Principal angles between subspaces and related comparisons of eigenvector sets.
public enum SubspaceComparison {
    /// Largest principal angle (radians) between the spans of the first k columns of a and b.
    public static func largestAngle(_ a: Matrix<Double>, _ b: Matrix<Double>, k: Int) throws -> Double {
        let ka = a.selectingColumns(Array(0..<k)), kb = b.selectingColumns(Array(0..<k))
        let m = Matrix.product(ka, transA: true, kb)
        let (cos2, _) = try Matrix.product(m, transA: true, m).symmetricEigen()
        return acos(min(1, max(0, cos2[0]).squareRoot()))
    }
}
