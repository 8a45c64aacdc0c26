import Foundation

/// Student's t distribution with ν degrees of freedom: CDF by Simpson integration of the density, quantile by bisection.
public enum StudentT {
    public static func density(_ t: Double, dof: Int) -> Double {
        let v = Double(dof)
        return exp(lgamma((v + 1) / 2) - lgamma(v / 2)) / (v * Double.pi).squareRoot() * pow(1 + t * t / v, -(v + 1) / 2)
    }

    public static func cdf(_ x: Double, dof: Int) -> Double {
        precondition(dof >= 1, "degrees of freedom must be ≥ 1")
        let a = abs(x), m = 2000, h = a / Double(m)
        var s = density(0, dof: dof) + density(a, dof: dof)
        for i in 1..<m { s += (i % 2 == 1 ? 4 : 2) * density(Double(i) * h, dof: dof) }
        let half = s * h / 3
        return x >= 0 ? 0.5 + half : 0.5 - half
    }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache = [Int: Double]()

    /// The quantile at Φ(1) ≈ 0.8413 (the one-σ point of a normal), cached per ν.
    public static func oneSigmaQuantile(dof: Int) -> Double {
        cacheLock.lock(); defer { cacheLock.unlock() }
        if let q = cache[dof] { return q }
        let q = quantile(0.5 + 0.5 * erf(1 / 2.0.squareRoot()), dof: dof)
        cache[dof] = q
        return q
    }

    /// The p-quantile for 0.5 ≤ p < 1 (to 1e-10).
    public static func quantile(_ p: Double, dof: Int) -> Double {
        precondition(p >= 0.5 && p < 1 && dof >= 1, "quantile needs 0.5 ≤ p < 1 and dof ≥ 1")
        var lo = 0.0, hi = 1.0
        while cdf(hi, dof: dof) < p { hi *= 2 }
        while hi - lo > 1e-10 { let mid = (lo + hi) / 2; if cdf(mid, dof: dof) < p { lo = mid } else { hi = mid } }
        return (lo + hi) / 2
    }
}
