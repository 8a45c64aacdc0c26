import Foundation
import InfoGeometry
import Numerics
import NeuralNet

/// Benchmarks for the InfoGeometry module: the exact ring oracle (G(x) on a grid, report settings) and the training
/// throughput of the denoising-score-matching networks, and the 64-D linear-denoiser estimator. `GEOMETRY_SWEEP=1` adds the oracle's resolution sweep and
/// `GEOMETRY_INTEGRAND=1` prints the learned versus exact MI integrand per γ node.
func runInfoGeometryBenchmarks() throws {
    let env = ProcessInfo.processInfo.environment
    if env["GEOMETRY_SWEEP"] != nil { try oracleSweep() }
    if env["GEOMETRY_INTEGRAND"] != nil { try denoiserIntegrandDiagnostic() }
    try highDimensionalEstimator()
    denoiserTrainingAgainstPyTorch()

    // Oracle G(x) grid at the report's settings.
    var o = RingOracle()
    o.patterns = 8000; o.gridSize = 128; o.modes = 63
    o.quadrature = LogGammaQuadrature(lowest: 1e-5, highest: 60, intervals: 120)
    var t0 = Date()
    let r = try o.run()
    var dt = Date().timeIntervalSince(t0)
    print(String(format: "ring oracle G(x): %d patterns × %d grid points × %d γ nodes: %.2f s (%.0f pattern·node/s); MI %.4f ± %.4f nats",
                 o.patterns, o.gridSize, o.quadrature.gammas.count, dt, Double(o.patterns * o.quadrature.gammas.count) / dt,
                 r.miKL.mean, r.miKL.error))

    // Denoiser training: two MLPs (conditional and unconditional), report settings, one training set.
    var e = RingDenoiserEstimator()
    e.trainingSize = 4000; e.steps = 2000; e.batchSize = 256; e.hidden = 64
    e.evaluationNodes = 5; e.miSamples = 256; e.metricSamples = 8
    t0 = Date()
    let d = try e.run(metricGrid: [0])
    dt = Date().timeIntervalSince(t0)
    print(String(format: "denoiser training: %d steps × %d samples in %.2f s: %.0f samples/s (both networks), total with evaluation %.2f s",
                 e.steps, e.batchSize, d.trainingSeconds, d.samplesPerSecond, dt))
}

/// The 64-D linear-denoiser estimator (report 001 §5 scale): fit at 25 nodes from 32000 pairs, evaluation on 25 × 2048 pairs.
private func highDimensionalEstimator() throws {
    var rng = Xoshiro256(seed: 1)
    let pop = try GaussianLinearPopulation.random(dimension: 64, neurons: 16, rng: &rng)
    var e = LinearDenoiserEstimator(lowestGamma: 1e-5, highestGamma: 1e3)
    e.intervals = 24
    let (x, r) = try pop.sample(32000, rng: &rng)
    var t0 = Date()
    let fit = try e.fit(stimuli: x, responses: r, rng: &rng)
    let fitSeconds = Date().timeIntervalSince(t0)
    let (xe, re) = try pop.sample(25 * 2048, rng: &rng)
    t0 = Date()
    let ev = try e.evaluate([LinearDenoiserEstimator.predictor(fit)], stimuli: xe, responses: re, rng: &rng)[0]
    let evalSeconds = Date().timeIntervalSince(t0)
    print(String(format: "64-D linear denoisers: fit 32000 pairs × 2 draws × 25 nodes %.2f s (%.0f pair·node/s); evaluation 25 × 2048 pairs %.2f s; MI %.3f vs closed form %.3f nats",
                 fitSeconds, 32000 * 2 * 25 / fitSeconds, evalSeconds, ev.miDirect.value, try pop.mutualInformation()))
}

private func oracleSweep() throws {
    for (n, m, iv) in [(96, 44, 60), (128, 63, 120), (256, 127, 320)] {
        var o = RingOracle(); o.patterns = 400; o.gridSize = n; o.modes = m
        o.quadrature = LogGammaQuadrature(lowest: 1e-5, highest: 60, intervals: iv)
        let r = try o.run()
        print("N=\(n) M=\(m) intervals=\(iv): max |KL − ½∫J| \(r.identityMaxAbsDifference), mean \(r.identityMeanDifference)")
    }
}

private func denoiserIntegrandDiagnostic() throws {
    var e = RingDenoiserEstimator(); e.trainingSize = 16000; e.steps = 10000; e.batchSize = 256
    let r = try e.run(metricGrid: [0])
    var o = RingOracle(); o.patterns = 2000
    o.quadrature = LogGammaQuadrature(lowest: e.lowestGamma, highest: e.highestGamma, intervals: e.evaluationNodes - 1)
    let or = try o.run()
    print("MI denoisers \(r.mi), oracle \(or.miKL.mean)")
    for (i, g) in r.gammas.enumerated() {
        print(String(format: "γ %.2e  denoisers %.4f  oracle %.4f", g, r.integrand[i], or.lossRate[i] * or.gammas[i]))
    }
}

/// The ring denoisers' training loop alone, ours against PyTorch (bench/peers/geometry_torch.py) on 1 thread, in
/// alternating rounds: two tanh MLPs (3 + N)-64-64-1 and 3-64-64-1 with Glorot weights, Adam at 5e-3 with cosine decay,
/// MSE, batch 256, 2000 steps, on a fixed pool of 16 random batches (as `RingDenoiserEstimator.run` trains, without its
/// data generation and validation).
private func denoiserTrainingAgainstPyTorch() {
    let steps = 2000, batch = 256, hidden = 64, neurons = RingPopulation().neurons, lr0: Float = 5e-3
    var version = "?"
    let (ours, peer) = alternate(rounds: 3, ours: {
        var rng = Xoshiro256(seed: 1)
        let cond = Sequential.mlp(widths: [3 + neurons, hidden, hidden, 1], activation: .tanh, initialization: .glorot, rng: &rng)
        let uncond = Sequential.mlp(widths: [3, hidden, hidden, 1], activation: .tanh, initialization: .glorot, rng: &rng)
        let optC = Adam(learningRate: lr0), optU = Adam(learningRate: lr0)
        let poolC = (0..<16).map { _ in Matrix<Float>(rows: batch, cols: 3 + neurons, data: (0..<(batch * (3 + neurons))).map { _ in Float(rng.normal()) }) }
        let poolU = poolC.map { c in Matrix<Float>(rows: batch, cols: 3, data: (0..<batch).flatMap { r in (0..<3).map { c.data[r * (3 + neurons) + $0] } }) }
        let targets = (0..<16).map { _ in Matrix<Float>(rows: batch, cols: 1, data: (0..<batch).map { _ in Float(rng.normal()) }) }
        let start = Date()
        for step in 0..<steps {
            let lr = lr0 * Float(0.05 + 0.95 * 0.5 * (1 + cos(Double.pi * Double(step) / Double(steps))))
            optC.learningRate = lr; optU.learningRate = lr
            let k = step % 16
            let (_, gc) = Loss.meanSquaredError(cond.forward(poolC[k], training: true), targets[k])
            cond.backward(gc); optC.step(cond.parameters)
            let (_, gu) = Loss.meanSquaredError(uncond.forward(poolU[k], training: true), targets[k])
            uncond.backward(gu); optU.step(uncond.parameters)
        }
        return [Date().timeIntervalSince(start)]
    }, peer: {
        guard let p = runPeer("geometry_torch.py", ["\(steps)", "\(neurons)"]), let t = p["seconds"] as? Double else { return nil }
        version = p["torch"] as? String ?? "?"
        return [t]
    })
    var line = String(format: "denoiser training loop alone (2 MLPs, %d steps × %d, 1 thread): ours %.3f s", steps, batch, ours.min()!)
    if !peer.isEmpty { line += "; " + ratioLine(ours: ours, peer: peer, peerName: "PyTorch \(version)") }
    print(line)
}
