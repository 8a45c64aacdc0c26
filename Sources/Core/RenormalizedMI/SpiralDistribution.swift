import Foundation
import Numerics

/// The rotated-spiral 2-D density of Fig. 3: x = R(α r) x′, r = |x′|, with x′ a correlated Gaussian (σ₁, σ₂, ρ).
/// The twist map preserves area, so p(x) = p_{x′}(R(−α r) x).
public struct SpiralDistribution: Sendable {
    public var sigma1 = 0.8, sigma2 = 1.0, rho = -0.7, alpha = 0.5

    public init(sigma1: Double = 0.8, sigma2: Double = 1.0, rho: Double = -0.7, alpha: Double = 0.5) {
        self.sigma1 = sigma1; self.sigma2 = sigma2; self.rho = rho; self.alpha = alpha
    }

    /// Unnormalised density at (x₁, x₂).
    public func density(_ x1: Double, _ x2: Double) -> Double {
        let r = (x1 * x1 + x2 * x2).squareRoot()
        let c = cos(alpha * r), s = sin(alpha * r)
        let u = c * x1 + s * x2, v = -s * x1 + c * x2
        let z = (u * u / (sigma1 * sigma1) - 2 * rho * u * v / (sigma1 * sigma2) + v * v / (sigma2 * sigma2)) / (1 - rho * rho)
        return exp(-0.5 * z)
    }

    /// A square grid of `n × n` points on [−extent, extent]² with normalised probabilities.
    public func grid(points n: Int, extent: Double) -> (x: [[Double]], p: [Double]) {
        var xs = [[Double]](), ps = [Double]()
        for i in 0..<n {
            for j in 0..<n {
                let a = -extent + 2 * extent * Double(j) / Double(n - 1)
                let b = -extent + 2 * extent * Double(i) / Double(n - 1)
                xs.append([a, b]); ps.append(density(a, b))
            }
        }
        let total = ps.reduce(0, +)
        return (xs, ps.map { $0 / total })
    }

    /// The same grid with every point moved uniformly within its cell, and the probabilities recomputed there.
    /// Re-drawn at every optimisation step, it stops a feature from hiding steep steps between fixed grid points.
    public func jitteredGrid(points n: Int, extent: Double, rng: inout Xoshiro256) -> (x: [[Double]], p: [Double]) {
        let cell = 2 * extent / Double(n - 1)
        var (xs, _) = grid(points: n, extent: extent)
        var ps = [Double]()
        ps.reserveCapacity(xs.count)
        for i in xs.indices {
            xs[i][0] += cell * (rng.uniform() - 0.5); xs[i][1] += cell * (rng.uniform() - 0.5)
            ps.append(density(xs[i][0], xs[i][1]))
        }
        let total = ps.reduce(0, +)
        return (xs, ps.map { $0 / total })
    }
}

extension SpiralDistribution {
    /// Covariance of the untwisted Gaussian x′.
    public var baseCovariance: Matrix<Double> {
        Matrix([[sigma1 * sigma1, rho * sigma1 * sigma2], [rho * sigma1 * sigma2, sigma2 * sigma2]])
    }

    /// Direction θ of the top principal axis of x′ (in [0, π)).
    public var principalAngle: Double {
        let (_, v) = try! baseCovariance.symmetricEigen()
        var t = atan2(v[1, 1], v[0, 1])
        if t < 0 { t += Double.pi }
        return t >= Double.pi ? t - Double.pi : t
    }

    /// I.i.d. samples: x′ ~ N(0, Σ′) through its Cholesky factor, then x = R(α|x′|) x′.
    public func samples(_ count: Int, rng: inout Xoshiro256) -> [[Double]] {
        let l = try! baseCovariance.cholesky()
        return (0..<count).map { _ in
            let z0 = rng.normal(), z1 = rng.normal()
            let a = l[0, 0] * z0, b = l[1, 0] * z0 + l[1, 1] * z1
            let r = (a * a + b * b).squareRoot(), c = cos(alpha * r), s = sin(alpha * r)
            return [c * a - s * b, s * a + c * b]
        }
    }

    /// The spiral's own principal coordinate f = x·(cos(θ + αr), sin(θ + αr)) = u_θ·x′ and its gradient
    /// (r = |x|; θ the direction of the projection on the untwisted Gaussian).
    public func principalCoordinate(_ x: [Double], angle theta: Double) -> (value: Double, gradient: [Double]) {
        let r = (x[0] * x[0] + x[1] * x[1]).squareRoot()
        let psi = theta + alpha * r, c = cos(psi), s = sin(psi)
        let f = x[0] * c + x[1] * s
        let arg = r > 0 ? alpha / r * (-x[0] * s + x[1] * c) : 0
        return (f, [c + x[0] * arg, s + x[1] * arg])
    }
}
