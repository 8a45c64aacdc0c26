import Foundation
import Numerics

/// Gaussian total correlation of 50 variables on 10⁵ samples: covariance through BLAS, then a Cholesky log-determinant.
func runNumericsBenchmarks() throws {
    var rng = Xoshiro256(seed: 1)
    let n = 100_000, d = 50
    var data = [Double](repeating: 0, count: n * d)
    for i in 0..<n {
        let common = rng.normal()
        for j in 0..<d { data[i * d + j] = 0.3 * common + rng.normal() }
    }
    let x = Matrix(rows: n, cols: d, data: data)
    var tc = 0.0
    let t = try timePerCall {
        tc = try GaussianInformation.totalCorrelation(x.correlation(), unit: .bits)
    }
    let flops = 2.0 * Double(n) * Double(d) * Double(d)
    print(String(format: "gaussian total correlation, %d vars x %d samples: %.1f ms per call (%.2f GFLOP/s in the covariance gemm), TC = %.4f bits",
                 d, n, t * 1e3, flops / t / 1e9, tc))
    let counts = (0..<1_000_000).map { _ in rng.int(below: 4096) }
    let te = timePerCall { _ = DiscreteInformation.entropy(samples: counts) }
    print(String(format: "plug-in entropy of 10^6 integer samples (4096 symbols): %.1f ms per call (%.1f M samples/s)", te * 1e3, 1.0 / te))
}
