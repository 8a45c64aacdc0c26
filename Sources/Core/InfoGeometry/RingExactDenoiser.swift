import Foundation
import Numerics

/// The optimal (Bayes) noise predictors of the ring population, the targets that denoising score matching learns.
///
/// With y = x + √γ ξ on the circle (ξ the unwrapped Gaussian noise), Tweedie's formula on the circle reads
/// E[ξ | y] = −√γ ∂_y log p_γ(y) and E[ξ | y, r] = −√γ ∂_y log p_γ(y | r); p_γ is the prior (or the posterior p(x | r))
/// diffused for a time γ, computed exactly in Fourier modes from an N-point grid. Their mean squared errors are the lowest
/// achievable denoising losses, 1 − γ E[(∂_y log p_γ)²].
///
/// Below `directBelow` (γ < 0.06) the conditional prediction is computed directly instead, as
/// E[ξ | y, r] = E[(y − x)/√γ | y, r] with weights p(x | r) N(y; x, γ): the trapezoid rule in log space over the window
/// y ± 8√γ of a 16N-point grid, with the analytic posterior at every node and a spacing ≤ min(0.6√γ, 0.06). The Fourier
/// route cannot do this for sharp posteriors: with the 64-point grid and 31 modes, a high-count pattern's posterior
/// (width ≲ 0.13 rad) is aliased and truncated at 10⁻⁴–10⁻² of its peak, and where y lies in its tail p_γ(y | r) could come
/// out ≤ 0, giving an infinite or wrong score. Measured at geometry.denoiser's settings (16 stimuli, 25 nodes, 1536 samples
/// per node): 3 of 40 evaluations of G by the exact denoisers were infinite, and 8 of 2.5 million samples had δ² off by
/// more than 0.1 against a 256-point, 127-mode grid (largest: ∞ and 0.86). Above 0.06 the modes beyond 31 are damped by
/// e^{−γq²/2} < 10⁻¹³ and the Fourier route is exact to rounding. The unconditional prediction (the smooth prior) always
/// uses the Fourier route.
public struct RingExactDenoiser: Sendable {
    public let population: RingPopulation
    public let gridSize: Int
    public let modes: Int
    let grid: [Double]
    let logPrior: [Double]
    let logf: [Double], rates: [Double]
    /// log πⱼ − Σᵢ fᵢ(xⱼ) on the grid.
    let fourierBase: [Double]
    let analysis: Matrix<Double>
    let priorCoefficients: [Double]
    /// γ below which the conditional prediction is computed directly (see the type's comment).
    public let directBelow = 0.06
    /// The direct route's grid: 16N points, log prior − Σᵢ fᵢ and log fᵢ at each.
    let fineSize: Int
    let fineBase: [Double], fineLogf: [Double]

    public init(population: RingPopulation, gridSize: Int = 64, modes: Int = 31) throws {
        guard gridSize >= 16, gridSize <= 4096, modes >= 4, modes < gridSize / 2 else {
            throw AnalysisFailureMessage("exact denoiser: grid 16…4096 and 4 ≤ modes < grid/2")
        }
        self.population = population; self.gridSize = gridSize; self.modes = modes
        let n = gridSize, h = 2 * Double.pi / Double(n)
        grid = (0..<n).map { -Double.pi + Double($0) * h }
        let prior = population.priorWeights(on: grid)
        logPrior = prior.map { log($0) }
        var lf = [Double](), fv = [Double]()
        for i in 0..<population.neurons { for j in 0..<n { let f = population.rate(i, at: grid[j]); fv.append(f); lf.append(log(f)) } }
        logf = lf; rates = fv
        fourierBase = (0..<n).map { j in (0..<population.neurons).reduce(log(prior[j])) { $0 - fv[$1 * n + j] } }
        let nb = 2 * modes + 1
        var an = Matrix<Double>(rows: n, cols: nb)
        for j in 0..<n {
            an[j, 0] = 1 / (2 * Double.pi)
            for q in 1...modes {
                an[j, 2 * q - 1] = cos(Double(q) * grid[j]) / Double.pi
                an[j, 2 * q] = sin(Double(q) * grid[j]) / Double.pi
            }
        }
        analysis = an
        // Coefficients of a density given by its masses πⱼ: p(y) = Σ_q c_q φ_q(y) with c = Σⱼ πⱼ φ(xⱼ)/norm.
        priorCoefficients = Matrix.product(Matrix(rows: 1, cols: n, data: prior), an).data
        let m = 16 * n, hf = 2 * Double.pi / Double(m)
        fineSize = m
        var base = [Double](repeating: 0, count: m), flf = [Double](repeating: 0, count: population.neurons * m)
        for j in 0..<m {
            let x = -Double.pi + Double(j) * hf
            var b = log(population.priorShape(x))
            for i in 0..<population.neurons { let f = population.rate(i, at: x); b -= f; flf[i * m + j] = log(f) }
            base[j] = b
        }
        fineBase = base; fineLogf = flf
    }

    /// E[ξ | y, r] = E[(y − x)/√γ | y, r] for γ < `directBelow`, by the trapezoid rule over x ∈ y ± 8√γ in log space.
    func directConditional(y: Double, gamma: Double, counts r: [Int], buffer: inout [Double]) -> Double {
        let m = fineSize, nn = population.neurons, hf = 2 * Double.pi / Double(m)
        let sg = gamma.squareRoot(), half = 8 * sg
        let stride = max(1, Int(min(0.6 * sg, 0.06) / hf))
        let j0 = Int(((y - half + Double.pi) / hf).rounded(.down)), j1 = Int(((y + half + Double.pi) / hf).rounded(.up))
        let count = (j1 - j0) / stride + 1
        if buffer.count < count { buffer = [Double](repeating: 0, count: count) }
        var mx = -Double.infinity
        let inv2g = 1 / (2 * gamma), rc = r.map(Double.init)
        fineBase.withUnsafeBufferPointer { fb in fineLogf.withUnsafeBufferPointer { fl in buffer.withUnsafeMutableBufferPointer { l in
            for k in 0..<count {
                let j = j0 + k * stride, t = ((j % m) + m) % m
                let d = -Double.pi + Double(j) * hf - y
                var v = fb[t] - d * d * inv2g
                for i in 0..<nn { v += rc[i] * fl[i * m + t] }
                l[k] = v; mx = max(mx, v)
            }
        } } }
        var sw = 0.0, swd = 0.0
        buffer.withUnsafeBufferPointer { l in
            for k in 0..<count {
                let w = exp(l[k] - mx), d = -Double.pi + Double(j0 + k * stride) * hf - y
                sw += w; swd += w * d
            }
        }
        return -swd / (sw * sg)
    }

    /// ε̂ = −√γ ∂_y log p_γ(y) for density coefficients c (nb of them); `decay[q − 1]` = exp(−γq²/2). cos(qy) and sin(qy)
    /// by the angle-addition recurrence from cos y and sin y (error growth over the modes at rounding level).
    @inline(__always) func noisePrediction(_ c: UnsafeBufferPointer<Double>, y: Double, gamma: Double, decay: UnsafeBufferPointer<Double>) -> Double {
        var p = c[0], dp = 0.0
        let c1 = cos(y), s1 = sin(y)
        var cq = c1, sq = s1
        for q in 1...modes {
            let e = decay[q - 1]
            p += e * (c[2 * q - 1] * cq + c[2 * q] * sq)
            dp += Double(q) * e * (c[2 * q] * cq - c[2 * q - 1] * sq)
            let cn = cq * c1 - sq * s1
            sq = sq * c1 + cq * s1; cq = cn
        }
        return -gamma.squareRoot() * dp / max(p, 1e-300)
    }

    /// The optimal unconditional and conditional noise predictions E[ξ | y] and E[ξ | y, r] for each sample.
    public func predict(y: [Double], gamma: [Double], counts: [[Int]]) -> (unconditional: [Double], conditional: [Double]) {
        let b = y.count, n = gridSize, nn = population.neurons, nb = 2 * modes + 1
        // Posteriors on the grid only for the samples that take the Fourier route (γ ≥ directBelow).
        let fourier = (0..<b).filter { gamma[$0] >= directBelow }
        var row = [Int](repeating: -1, count: b)
        for (k, s) in fourier.enumerated() { row[s] = k }
        // Log posteriors as one product: counts (k × neurons) · log f (neurons × N), plus log prior − Σᵢ fᵢ.
        var cm = Matrix<Double>(rows: max(fourier.count, 1), cols: nn)
        for (k, s) in fourier.enumerated() { for i in 0..<nn { cm.data[k * nn + i] = Double(counts[s][i]) } }
        var post = Matrix.product(cm, Matrix(rows: nn, cols: n, data: logf))
        fourierBase.withUnsafeBufferPointer { base in post.data.withUnsafeMutableBufferPointer { p in
            for k in 0..<fourier.count {
                var mx = -Double.infinity
                for j in 0..<n { let l = p[k * n + j] + base[j]; p[k * n + j] = l; mx = max(mx, l) }
                var sum = 0.0
                for j in 0..<n { let e = exp(p[k * n + j] - mx); p[k * n + j] = e; sum += e }
                let inv = 1 / sum
                for j in 0..<n { p[k * n + j] *= inv }
            }
        } }
        let coef = fourier.isEmpty ? Matrix<Double>(rows: 1, cols: nb) : Matrix.product(post, analysis)
        var unc = [Double](repeating: 0, count: b), con = unc
        var buffer = [Double]()
        // The decay factors depend on γ only (callers pass runs of equal γ): recomputed when γ changes.
        var decay = [Double](repeating: 0, count: modes), lastGamma = Double.nan
        priorCoefficients.withUnsafeBufferPointer { pc in
            coef.data.withUnsafeBufferPointer { cc in
                for s in 0..<b {
                    if gamma[s] != lastGamma {
                        lastGamma = gamma[s]
                        for q in 1...modes { decay[q - 1] = exp(-lastGamma * Double(q * q) / 2) }
                    }
                    decay.withUnsafeBufferPointer { dk in
                        unc[s] = noisePrediction(pc, y: y[s], gamma: gamma[s], decay: dk)
                        if row[s] >= 0 {
                            con[s] = noisePrediction(UnsafeBufferPointer(rebasing: cc[(row[s] * nb)..<((row[s] + 1) * nb)]), y: y[s], gamma: gamma[s], decay: dk)
                        }
                    }
                    if row[s] < 0 { con[s] = directConditional(y: y[s], gamma: gamma[s], counts: counts[s], buffer: &buffer) }
                }
            }
        }
        return (unc, con)
    }
}
