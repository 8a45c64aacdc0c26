import Foundation
import Numerics
import RINE

/// One canonical-example training (UNQ, β = 15, one seed) in Swift against the same setup in PyTorch on the CPU.
func runRINEBenchmarks() throws {
    var config = RINEConfig()
    config.beta = 15
    let task = DiscreteTask.unq
    var times = [Double](), result = 0.0
    for s in 0..<3 {
        var rng = Xoshiro256(seed: UInt64(s + 1))
        let data = task.sample(10_000, rng: &rng)
        let split = trainTestSplit([data.x1, data.x2], data.y, trainFraction: 0.8, rng: &rng)
        let start = Date()
        result = RINETrainer(config: config).run(train: split.train, test: split.test, classes: 4,
                                                 entropyY: ExactRedundancy.entropyY(task), rng: &rng).redundancy
        times.append(Date().timeIntervalSince(start))
    }
    let swiftTime = times.min()!
    print(String(format: "Swift: %.3f s per training (best of 3), test redundancy %.3f bits", swiftTime, result))
    if let peer = runPeer("rine_torch.py", ["30"]), let t = peer["seconds"] as? Double {
        print(String(format: "PyTorch %@ (%d threads): %.3f s per training, redundancy %.3f bits; Swift is %.1fx %@",
                     peer["torch"] as? String ?? "?", peer["threads"] as? Int ?? 0, t, peer["redundancy_bits"] as? Double ?? .nan,
                     t > swiftTime ? t / swiftTime : swiftTime / t, t > swiftTime ? "faster" : "slower"))
    }
}
