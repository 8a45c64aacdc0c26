import Foundation
import Numerics

/// The optimal (Bayes) noise predictors of the ring population, the targets that denoising score matching learns.
///
/// With y = x + √γ ξ on the circle (ξ the unwrapped Gaussian noise), Tweedie's formula on the circle reads
/// E[ξ | y] = −√γ ∂_y log p_γ(y) and E[ξ | y, r] = −√γ ∂_y log p_γ(y | r); p_γ is the prior (or the posterior p(x | r))
/// diffused for a time γ, computed exactly in Fourier modes from an N-point grid. Their mean squared errors are the lowest
/// achievable denoising losses, 1 − γ E[(∂_y log p_γ)²].
public struct RingExactDenoiser: Sendable {
    public let population: RingPopulation
    public let gridSize: Int
    public let modes: Int
    let grid: [Double]
    let logPrior: [Double]
    let logf: [Double], rates: [Double]
    let analysis: Matrix<Double>
    let priorCoefficients: [Double]

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
        var post = Matrix<Double>(rows: b, cols: n)
        post.data.withUnsafeMutableBufferPointer { p in
            for s in 0..<b {
                let r = counts[s]
                var mx = -Double.infinity
                for j in 0..<n {
                    var l = logPrior[j]
                    for i in 0..<nn { l += Double(r[i]) * logf[i * n + j] - rates[i * n + j] }
                    p[s * n + j] = l; mx = max(mx, l)
                }
                var sum = 0.0
                for j in 0..<n { let e = exp(p[s * n + j] - mx); p[s * n + j] = e; sum += e }
                for j in 0..<n { p[s * n + j] /= sum }
            }
        }
        let coef = Matrix.product(post, analysis)
        var unc = [Double](repeating: 0, count: b), con = unc
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
                        con[s] = noisePrediction(UnsafeBufferPointer(rebasing: cc[(s * nb)..<((s + 1) * nb)]), y: y[s], gamma: gamma[s], decay: dk)
                    }
                }
            }
        }
        return (unc, con)
    }
}
