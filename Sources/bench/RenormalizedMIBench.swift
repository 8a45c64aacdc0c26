import Foundation
import RenormalizedMI
import Numerics

/// Fig. 3 feature optimisation (grid 100², network 2-w-w-w-1 tanh, Adam): Swift time per step against the TensorFlow
/// peer at matched thread counts (1 and 2), alternating rounds, for the report's width 32 and the paper's 150.
///
/// Two clocks: wall time (what a user waits) and CPU time (ours: the process's CPU time over the run; the peer's:
/// Python's `time.process_time()` over its loop, all threads). On a machine shared with other jobs the wall times of
/// both sides stretch with the load, unevenly between rounds; the CPU time of a 1-thread run does not, so its ratio is
/// the like-for-like figure under load. With 2 threads the CPU time is the work of both threads, not the speed.
/// The products of a step are also given in GFLOP/s of CPU time against this run's sgemm 1024² peak, which shows how
/// much of the time is left to win at equal arithmetic.
func runRenormalizedMIBenchmarks() throws {
    // RMI_THREADS / RMI_WIDTH restrict the run to one thread count / one width (unparsable values are ignored);
    // RMI_ROUNDS sets the number of alternating rounds (default 3).
    let env = ProcessInfo.processInfo.environment
    let threadCounts = env["RMI_THREADS"].flatMap { Int($0) }.map { [$0] } ?? [1, 2]
    let configs = env["RMI_WIDTH"].flatMap { Int($0) }.map { [($0, 20)] } ?? [(32, 100), (150, 20)]
    let rounds = env["RMI_ROUNDS"].flatMap { Int($0) }.map { max(1, $0) } ?? 3
    let peak = sgemmPeakCPU()
    print(String(format: "sgemm 1024² peak in CPU time, this run: %.1f GFLOP/s; load average at start %@", peak, loadAverage()))
    for (width, steps) in configs {
        try benchmarkFeatureOptimisation(width: width, steps: steps, threadCounts: threadCounts, rounds: rounds, peak: peak)
    }
    print("load average at end \(loadAverage())")
}


/// Best of 5 timings (CPU time, 1 BLAS thread as `make bench` sets it) of a 1024² sgemm, in GFLOP/s.
private func sgemmPeakCPU() -> Double {
    let s = 1024
    var rng = Xoshiro256(seed: 3)
    let a = (0..<(s * s)).map { _ in Float(rng.normal()) }
    var c = [Float](repeating: 0, count: s * s)
    var best = Double.infinity
    a.withUnsafeBufferPointer { a in
        c.withUnsafeMutableBufferPointer { c in
            for _ in 0..<6 {
                let t0 = processCPUSeconds()
                Float.gemm(false, false, s, s, s, 1, a.baseAddress!, s, a.baseAddress!, s, 0, c.baseAddress!, s)
                best = min(best, processCPUSeconds() - t0)
            }
        }
    }
    return 2 * Double(s * s * s) / best / 1e9
}

/// FLOPs of the matrix products of one step (reverse-over-reverse, `TiledInputGradient`) for `rows` grid points, input
/// dimension 2 and three hidden layers of `width`: per hidden layer l with fan-in k, 2·rows·k·width for each of the
/// forward product, the reverse product, the adjoint product and the two weight gradients, plus the backward product
/// for l ≥ 1 (12 products of width² per row in all); the output layer's products are O(rows·width) and not counted.
func rmiStepFlops(rows: Int, width: Int, inputs: Int = 2) -> Double {
    let r = Double(rows), w = Double(width), d = Double(inputs)
    return 2 * r * (5 * d * w + 2 * 6 * w * w)
}

private func benchmarkFeatureOptimisation(width: Int, steps: Int, threadCounts: [Int], rounds: Int, peak: Double) throws {
    let gridN = 100
    let dist = SpiralDistribution()
    let (points, weights) = dist.grid(points: gridN, extent: 3.5)
    let flops = rmiStepFlops(rows: gridN * gridN, width: width)
    print(String(format: "Fig. 3 optimisation step: %d grid points, 3 tanh layers of %d (%.2f GFLOP of products per step), %d alternating rounds of %d steps",
                 gridN * gridN, width, flops / 1e9, rounds, steps))
    for threads in threadCounts {
        var version = "?"
        var oursCPU = [Double](), peerCPU = [Double]()
        let (ours, peer) = alternate(rounds: rounds, ours: {
            var opt = FeatureOptimizer()
            opt.steps = steps; opt.hidden = [width, width, width]; opt.threads = threads
            var rng = Xoshiro256(seed: 1)
            let start = Date(), c0 = processCPUSeconds()
            _ = opt.run(points: points, weights: weights, rng: &rng)
            oursCPU.append((processCPUSeconds() - c0) / Double(steps + 1))
            return [Date().timeIntervalSince(start) / Double(steps + 1)]
        }, peer: {
            guard let p = runPeer("rmi_tf.py", ["\(steps)", "\(width)", "\(gridN)"], environment: ["PEER_THREADS": "\(threads)"]),
                  let t = p["seconds_per_step"] as? Double else { return nil }
            version = p["tensorflow"] as? String ?? "?"
            if let c = p["cpu_seconds_per_step"] as? Double { peerCPU.append(c) }
            return [t]
        })
        var line = String(format: "  %d thread(s), wall: Swift %.2f ms per step", threads, ours.min()! * 1e3)
        if !peer.isEmpty { line += "; " + ratioLine(ours: ours, peer: peer, peerName: "TensorFlow \(version)") }
        print(line)
        let cpuBest = oursCPU.min()!
        var cpuLine = String(format: "  %d thread(s), CPU%@: Swift %.2f ms per step (%.1f GFLOP/s%@)", threads,
                             threads > 1 ? " (all threads)" : "", cpuBest * 1e3, flops / cpuBest / 1e9,
                             threads == 1 ? String(format: " = %.0f %% of the sgemm peak", 100 * flops / cpuBest / 1e9 / peak) : "")
        if !peerCPU.isEmpty {
            cpuLine += "; " + ratioLine(ours: oursCPU, peer: peerCPU, peerName: "TensorFlow \(version)")
            if threads == 1 { cpuLine += String(format: "; TensorFlow at %.1f GFLOP/s if it does the same products", flops / peerCPU.min()! / 1e9) }
        }
        print(cpuLine)
    }
}
