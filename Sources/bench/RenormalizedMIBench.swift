import Foundation
import RenormalizedMI
import Numerics

/// Fig. 3 feature optimisation (grid 100², network 2-32-32-32-1 tanh, Adam): Swift time per step vs the TensorFlow peer.
func runRenormalizedMIBenchmarks() throws {
    let steps = 100, width = 32, gridN = 100
    let dist = SpiralDistribution()
    let (points, weights) = dist.grid(points: gridN, extent: 3.5)
    var swiftSteps = [Int: Double]()
    for threads in [1, 2] {
        var opt = FeatureOptimizer()
        opt.steps = steps; opt.hidden = [width, width, width]; opt.threads = threads
        var rng = Xoshiro256(seed: 1)
        let start = Date()
        _ = opt.run(points: points, weights: weights, rng: &rng)
        swiftSteps[threads] = Date().timeIntervalSince(start) / Double(steps + 1)
        print(String(format: "Swift, %d thread(s): %.2f ms per step (%d grid points, width %d)", threads, swiftSteps[threads]! * 1e3,
                     gridN * gridN, width))
    }
    if let peer = runPeer("rmi_tf.py", ["\(steps)", "\(width)", "\(gridN)"]), let t = peer["seconds_per_step"] as? Double {
        let best = swiftSteps.values.min()!
        print(String(format: "TensorFlow %@ (PEER_THREADS=%@): %.2f ms per step; best Swift is %.2fx %@", peer["tensorflow"] as? String ?? "?",
                     ProcessInfo.processInfo.environment["PEER_THREADS"] ?? "default", t * 1e3,
                     t > best ? t / best : best / t, t > best ? "faster" : "slower"))
    }
}
