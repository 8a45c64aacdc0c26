import Foundation
import NeuralNet
import Numerics

/// OpenBLAS sgemm peak, then MLP 100→70→70→1 training throughput at several batch sizes, as a fraction of that peak.
func runNeuralNetBenchmarks() throws {
    var rng = Xoshiro256(seed: 1)
    let s = 1024
    let a = Matrix<Float>(rows: s, cols: s, data: (0..<(s * s)).map { _ in Float(rng.normal()) })
    var c = Matrix<Float>(rows: s, cols: s)
    let tg = timePerCall { Matrix.gemm(a, a, into: &c) }
    let peak = 2.0 * Double(s * s * s) / tg / 1e9
    print(String(format: "sgemm %dx%d peak: %.1f GFLOP/s (OPENBLAS_NUM_THREADS=%@)", s, s, peak,
                 ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default"))
    let widths = [100, 70, 70, 1]
    let perSampleFlops = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + 2.0 * Double($1.0 * $1.1) }
    for batch in [512, 700, 1024] {
        let net = Sequential.mlp(widths: widths, rng: &rng)
        let opt = Adam(learningRate: 1e-3)
        let x = Matrix<Float>(rows: batch, cols: 100, data: (0..<(batch * 100)).map { _ in Float(rng.normal()) })
        let y = Matrix<Float>(rows: batch, cols: 1, data: (0..<batch).map { _ in Float(rng.normal()) })
        let t = timePerCall(minimumSeconds: 2) {
            let (_, g) = Loss.meanSquaredError(net.forward(x, training: true), y)
            net.backward(g)
            opt.step(net.parameters)
        }
        // Forward, plus two gemms per layer in backward (weights and inputs).
        let gflops = 3 * perSampleFlops * Double(batch) / t / 1e9
        print(String(format: "MLP 100-70-70-1, batch %4d: %8.0f samples/s, %.1f GFLOP/s = %.0f%% of sgemm peak",
                     batch, Double(batch) / t, gflops, 100 * gflops / peak))
    }
}
