import Foundation
import Numerics
import Retina

/// A fixed joint distribution of `partners` binary partners (K; 2^K states) and a binary target: independent partners
/// with rates 0.05…0.4 and an effective field with single and pairwise terms, enumerated exactly over the states
/// (counts × 10⁶). K = 8 is the 256-state joint of the earlier benchmark tables (same seed, same draws).
private func benchmarkJoint(partners k: Int = 8) -> BinaryJoint {
    var rng = Xoshiro256(seed: 2024)
    let rates = (0..<k).map { _ in rng.uniform(0.05, 0.4) }
    let j2 = (0..<k).map { _ in rng.normal() }
    let j3 = (0..<(k * (k - 1) / 2)).map { _ in 0.7 * rng.normal() }
    var n0 = [Double](), n1 = [Double]()
    for x in 0..<(1 << k) {
        var px = 1.0, h = -2.0, pair = 0
        for j in 0..<k { let s = (x >> j) & 1; px *= s == 1 ? rates[j] : 1 - rates[j]; h += Double(s) * j2[j] }
        for a in 0..<k { for b in (a + 1)..<k { if (x >> a) & 1 == 1 && (x >> b) & 1 == 1 { h += j3[pair] }; pair += 1 } }
        let q = 1 / (1 + exp(-h))
        n0.append((1e6 * px * (1 - q)).rounded()); n1.append((1e6 * px * q).rounded())
    }
    return BinaryJoint(n0: n0, n1: n1)
}

/// Seconds of the fastest of `repeats` calls of `body`, and its last result.
private func fastest<T>(_ repeats: Int, _ body: () -> T) -> (seconds: Double, value: T) {
    var best = Double.infinity, value: T? = nil
    for _ in 0..<repeats {
        let t0 = DispatchTime.now().uptimeNanoseconds
        value = body()
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    return (best, value!)
}

/// The hard-IB curve I(σ0; σ̃) for M = `ms`: `restarts` starts per M plus a warm start from the M−1 solution, as the
/// retina analyses run it.
private func hardCurve(_ joint: BinaryJoint, ms: [Int], restarts: Int, seed: UInt64) -> [Double] {
    var rng = Xoshiro256(seed: seed)
    var previous: [Int]? = nil
    return ms.map { m in
        let c = HardBottleneck.cluster(joint, states: m, restarts: restarts, rng: &rng, warmStart: previous)
        previous = c.assignment
        return c.information
    }
}

/// Benchmarks for the Retina module:
/// - the hard information bottleneck (iterative, Eqs 4–7) against the exact optimum (interval DP with SMAWK, O(nM)) for
///   M = 1…45 at K = 8…12 partners (256…4096 states), time and the information kept at M = 11;
/// - at equal M = 1…15 on the K = 8 joint, ours against embo's deterministic IB with its bottleneck size fixed to M
///   (best over a β grid) and against a numpy port of our own algorithm, which separates implementation from algorithm.
func runRetinaBenchmarks() throws {
    let ms = Array(1...45), restarts = 3
    print("hard IB (iterative) vs exact optimum (SMAWK interval DP), M = 1…45, \(restarts) restarts + warm start, best of 5:")
    print("   K  states   iterative s   exact s   exact/iterative   I(M=11) iterative   exact (bits)")
    for k in 8...12 {
        let joint = benchmarkJoint(partners: k)
        let hard = fastest(5) { hardCurve(joint, ms: ms, restarts: restarts, seed: 0) }
        let exact = fastest(5) { HardBottleneck.exactCurve(joint, ms: ms).map(\.information) }
        print(String(format: "  %2d  %6d   %11.4f   %7.4f   %15.2f   %17.5f   %.5f", k, 1 << k, hard.seconds, exact.seconds,
                     exact.seconds / hard.seconds, hard.value[10], exact.value[10]))
    }
    let joint = benchmarkJoint()
    let exact11 = HardBottleneck.exactOptimum(joint, states: 11)
    print(String(format: "K = 8: I(σ0;x) = %.4f bits; single-M exactOptimum (SMAWK) at M = 11: %.5f bits",
                 joint.mutualInformation, exact11))

    // Equal M against the peers.
    let mEqual = Array(1...15)
    let ours = fastest(5) { hardCurve(joint, ms: mEqual, restarts: restarts, seed: 0) }
    let exact = fastest(5) { HardBottleneck.exactCurve(joint, ms: mEqual).map(\.information) }
    let fm = FileManager.default
    let total = joint.total
    // embo needs every row to have mass: drop the states that never occur.
    let pxy = (0..<joint.size).filter { joint.n0[$0] + joint.n1[$0] > 0 }
        .map { String(format: "%.12e %.12e", joint.n0[$0] / total, joint.n1[$0] / total) }.joined(separator: "\n")
    let tmp = fm.temporaryDirectory.appendingPathComponent("retina_bench_pxy_\(ProcessInfo.processInfo.processIdentifier).txt")
    try pxy.write(to: tmp, atomically: true, encoding: .utf8)
    defer { try? fm.removeItem(at: tmp) }
    let peer = runPeer("retina_ib_equal_m.py", [tmp.path, String(mEqual.count), "3"])
    let emboBits = peer?["embo_bits"] as? [Double], numpyBits = peer?["numpy_bits"] as? [Double]
    print("equal M on the K = 8 joint (I(σ0;σ̃) in bits; embo: DIB with its size fixed to M, best of \((peer?["betas"] as? Int).map(String.init) ?? "?") β values 1…1e5, 3 restarts):")
    print("   M   exact     ours (hard IB)   numpy port of ours   embo \((peer?["embo"] as? String) ?? "")")
    for (i, m) in mEqual.enumerated() {
        func cell(_ v: [Double]?) -> String { v.map { String(format: "%.5f", $0[i]) } ?? "   –   " }
        print(String(format: "  %2d   %.5f   %.5f          ", m, exact.value[i], ours.value[i]) + cell(numpyBits) + "              " + cell(emboBits))
    }
    print(String(format: "  time for M = 1…15: ours %.5f s, exact %.5f s", ours.seconds, exact.seconds)
          + (peer.flatMap { p in (p["numpy_s"] as? Double).flatMap { ns in (p["embo_s"] as? Double).map { es in
              String(format: ", numpy port %.4f s, embo %.3f s (best of 3)\n  ratios: numpy port / ours %.0f× (implementation), embo / numpy port %.0f× (algorithm: a β sweep of soft-start DIB runs per M), embo / ours %.0f×",
                     ns, es, ns / ours.seconds, es / ns, es / ours.seconds) } } } ?? ""))
}
