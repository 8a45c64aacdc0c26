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
        let q = bisect(0.5 + 0.5 * erf(1 / 2.0.squareRoot()), dof: dof)
        cache[dof] = q
        return q
    }

    nonisolated(unsafe) private static var quantileCache = [QuantileKey: Double]()
    private struct QuantileKey: Hashable { let p: UInt64, dof: Int }

    /// The p-quantile for 0.5 ≤ p < 1 (to 1e-10), cached per (p, ν): one bisection costs about 40 CDFs of 2000 density
    /// evaluations each, and tolerance rules call it per value (60 000 calls made a debug test take 596 s).
    public static func quantile(_ p: Double, dof: Int) -> Double {
        precondition(p >= 0.5 && p < 1 && dof >= 1, "quantile needs 0.5 ≤ p < 1 and dof ≥ 1")
        let key = QuantileKey(p: p.bitPattern, dof: dof)
        cacheLock.lock()
        if let q = quantileCache[key] { cacheLock.unlock(); return q }
        cacheLock.unlock()
        let q = bisect(p, dof: dof)
        cacheLock.lock(); if quantileCache.count < 10_000 { quantileCache[key] = q }; cacheLock.unlock()
        return q
    }

    private static func bisect(_ p: Double, dof: Int) -> Double {
        var lo = 0.0, hi = 1.0
        while cdf(hi, dof: dof) < p { hi *= 2 }
        while hi - lo > 1e-10 { let mid = (lo + hi) / 2; if cdf(mid, dof: dof) < p { lo = mid } else { hi = mid } }
        return (lo + hi) / 2
    }
}
