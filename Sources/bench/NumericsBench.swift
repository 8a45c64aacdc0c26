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
    try benchmarkCopula(&rng)
    let counts = (0..<1_000_000).map { _ in rng.int(below: 4096) }
    let te = timePerCall { _ = DiscreteInformation.entropy(samples: counts) }
    print(String(format: "plug-in entropy of 10^6 integer samples (4096 symbols): %.1f ms per call (%.1f M samples/s)", te * 1e3, 1.0 / te))
}

/// Gaussian-copula MI I(x0,x1; x2,x3) + total correlation of 4 non-Gaussian variables at n = 10⁵ against frites'
/// gcmi on the same data, alternating rounds of 5 calls each; the values must agree.
private func benchmarkCopula(_ rng: inout Xoshiro256) throws {
    let n = 100_000, d = 4
    var data = [Double](repeating: 0, count: n * d)
    for i in 0..<n {
        let z = rng.normal(), a = 0.8 * z + 0.6 * rng.normal(), b = 0.5 * z + rng.normal(), c = rng.normal()
        data[i * d] = exp(z); data[i * d + 1] = a * a * a; data[i * d + 2] = tanh(b); data[i * d + 3] = c + 0.3 * z
    }
    let x = Matrix(rows: n, cols: d, data: data)
    var mi = 0.0, tc = 0.0
    func ours() throws -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r = GaussianInformation.copula(columnsOf: x).correlation()
        mi = try GaussianInformation.mutualInformation(r, [0, 1], [2, 3], unit: .bits)
        tc = try GaussianInformation.totalCorrelation(r, unit: .bits)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    }
    _ = try ours()
    let t0 = DispatchTime.now().uptimeNanoseconds
    _ = GaussianInformation.copula(columnsOf: x)
    let tCopula = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("copula_bench_\(ProcessInfo.processInfo.processIdentifier).f64")
    try data.withUnsafeBytes { try Data($0).write(to: file) }
    defer { try? FileManager.default.removeItem(at: file) }
    var peerMI = Double.nan, peerTC = Double.nan, version = "?"
    let (a, b) = try alternate(rounds: 3, ours: { try (0..<5).map { _ in try ours() } }, peer: {
        guard let p = runPeer("copula_frites.py", [file.path, "\(n)", "\(d)", "5"]), let s = p["seconds"] as? [Double] else { return nil }
        peerMI = p["mi_bits"] as? Double ?? .nan; peerTC = p["tc_bits"] as? Double ?? .nan; version = p["frites"] as? String ?? "?"
        return s
    })
    print(String(format: "gaussian-copula MI + TC, n = %d, d = %d: %.2f ms per call (copula transform %.2f ms), MI = %.12f bits, TC = %.12f bits",
                 n, d, a.min()! * 1e3, tCopula * 1e3, mi, tc))
    if !b.isEmpty {
        print(String(format: "  frites %@: MI = %.12f, TC = %.12f bits (|Δ| %.1e, %.1e)", version, peerMI, peerTC, abs(peerMI - mi), abs(peerTC - tc)))
        print("  " + ratioLine(ours: a, peer: b, peerName: "frites"))
    }
}
