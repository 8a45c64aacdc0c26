import Foundation
import RenormalizedMI
import Numerics

/// Fig. 3 feature optimisation (grid 100², network 2-w-w-w-1 tanh, Adam): Swift time per step against the TensorFlow
/// peer at matched thread counts (1 and 2), best of `repeats` runs, for the report's width 32 and the paper's 150.
func runRenormalizedMIBenchmarks() throws {
    // RMI_THREADS / RMI_WIDTH restrict the run to one thread count / one width (unparsable values are ignored).
    let env = ProcessInfo.processInfo.environment
    let threadCounts = env["RMI_THREADS"].flatMap { Int($0) }.map { [$0] } ?? [1, 2]
    let configs = env["RMI_WIDTH"].flatMap { Int($0) }.map { [($0, 20)] } ?? [(32, 100), (150, 20)]
    for (width, steps) in configs {
        try benchmarkFeatureOptimisation(width: width, steps: steps, threadCounts: threadCounts)
    }
}

private func benchmarkFeatureOptimisation(width: Int, steps: Int, threadCounts: [Int]) throws {
    let gridN = 100, repeats = 3
    let dist = SpiralDistribution()
    let (points, weights) = dist.grid(points: gridN, extent: 3.5)
    print("Fig. 3 optimisation step: \(gridN * gridN) grid points, 3 tanh layers of \(width), best of \(repeats) runs of \(steps) steps")
    for threads in threadCounts {
        var version = "?"
        // Alternating rounds: one Swift run, then one TensorFlow run, `repeats` times.
        let (ours, peer) = alternate(rounds: repeats, ours: {
            var opt = FeatureOptimizer()
            opt.steps = steps; opt.hidden = [width, width, width]; opt.threads = threads
            var rng = Xoshiro256(seed: 1)
            let start = Date()
            _ = opt.run(points: points, weights: weights, rng: &rng)
            return [Date().timeIntervalSince(start) / Double(steps + 1)]
        }, peer: {
            guard let p = runPeer("rmi_tf.py", ["\(steps)", "\(width)", "\(gridN)"], environment: ["PEER_THREADS": "\(threads)"]),
                  let t = p["seconds_per_step"] as? Double else { return nil }
            version = p["tensorflow"] as? String ?? "?"
            return [t]
        })
        var line = String(format: "  %d thread(s): Swift %.2f ms per step", threads, ours.min()! * 1e3)
        if !peer.isEmpty { line += "; " + ratioLine(ours: ours, peer: peer, peerName: "TensorFlow \(version)") }
        print(line)
    }
}
