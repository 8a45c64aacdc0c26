import Foundation
import Numerics
import RINE

/// One canonical-example training (UNQ, β = 15, one seed) in Swift against the same setup in PyTorch on the CPU.
func runRINEBenchmarks() throws {
    var config = RINEConfig()
    config.beta = 15
    let task = DiscreteTask.unq
    var result = 0.0, seed = 0
    var peerInfo: [String: Any] = [:]
    // Alternating rounds: one Swift training (seeds 1, 2, 3), then one PyTorch training.
    let (ours, peer) = alternate(rounds: 3, ours: {
        seed += 1
        var rng = Xoshiro256(seed: UInt64(seed))
        let data = task.sample(10_000, rng: &rng)
        let split = trainTestSplit([data.x1, data.x2], data.y, trainFraction: 0.8, rng: &rng)
        let start = Date()
        result = RINETrainer(config: config).run(train: split.train, test: split.test, classes: 4,
                                                 entropyY: ExactRedundancy.entropyY(task), rng: &rng).redundancy
        return [Date().timeIntervalSince(start)]
    }, peer: {
        guard let p = runPeer("rine_torch.py", ["30"]), let t = p["seconds"] as? Double else { return nil }
        peerInfo = p
        return [t]
    })
    print(String(format: "Swift: %.3f s per training (best of %d), test redundancy %.3f bits", ours.min()!, ours.count, result))
    if !peer.isEmpty {
        print(String(format: "PyTorch %@ (%d threads): redundancy %.3f bits", peerInfo["torch"] as? String ?? "?",
                     peerInfo["threads"] as? Int ?? 0, peerInfo["redundancy_bits"] as? Double ?? .nan))
        print("  " + ratioLine(ours: ours, peer: peer, peerName: "PyTorch"))
    }
}
