import Foundation
import InfoGeometry

/// Benchmarks for the InfoGeometry module: the exact ring oracle (G(x) on a grid) and denoiser training throughput.
func runInfoGeometryBenchmarks() throws {
    let env = ProcessInfo.processInfo.environment
    if env["GEOMETRY_DENOISER"] != nil { try denoiserSweep(); return }
    if env["GEOMETRY_SWEEP"] != nil {
        for (n, m, iv) in [(96, 44, 60), (128, 48, 80), (128, 63, 160), (256, 100, 160), (256, 127, 320)] {
            var o = RingOracle(); o.patterns = 400; o.gridSize = n; o.modes = m
            o.quadrature = LogGammaQuadrature(lowest: 1e-5, highest: 60, intervals: iv)
            let r = try o.run()
            print("N=\(n) M=\(m) iv=\(iv): maxdiff \(r.identityMaxAbsDifference) meandiff \(r.identityMeanDifference) KL \(r.miKL.mean) id \(r.miIdentity.mean)")
        }
    }
    var o = RingOracle()
    let t0 = Date()
    let r = try o.run()
    let dt = Date().timeIntervalSince(t0)
    print(String(format: "ring oracle: %d patterns, %d grid points, %d γ nodes: %.2f s", o.patterns, o.gridSize, o.quadrature.gammas.count, dt))
    print("MI direct \(r.miDirect) KL \(r.miKL) identity \(r.miIdentity) ∫pG \(r.integratedMetric) maxdiff \(r.identityMaxAbsDifference)")
    o.patterns = 1
}

func denoiserSweep() throws {
    let grid = (0..<32).map { -Double.pi + 2 * Double.pi * Double($0) / 32 }
    for n in [250, 1000, 4000, 16000] {
        var e = RingDenoiserEstimator(); e.trainingSize = n
        e.steps = Int(ProcessInfo.processInfo.environment["STEPS"] ?? "3000")!
        let r = try e.run(metricGrid: grid)
        print("n=\(n): MI \(r.mi) ± \(r.miError), loss \(r.finalLossConditional)/\(r.finalLossUnconditional), \(r.trainingSeconds) s, \(Int(r.samplesPerSecond)) samples/s")
        print("  G: " + r.metric.enumerated().filter { $0.offset % 4 == 0 }.map { String(format: "%.1f", $0.element) }.joined(separator: " "))
    }
}
