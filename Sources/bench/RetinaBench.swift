import Foundation
import Numerics
import Retina

/// A fixed joint distribution of 8 binary partners and a binary target: independent partners with rates 0.05…0.4 and
/// an effective field with pairwise and three-body terms, enumerated exactly over the 256 states (counts × 10⁶).
private func benchmarkJoint() -> BinaryJoint {
    var rng = Xoshiro256(seed: 2024)
    let rates = (0..<8).map { _ in rng.uniform(0.05, 0.4) }
    let j2 = (0..<8).map { _ in rng.normal() }
    let j3 = (0..<28).map { _ in 0.7 * rng.normal() }
    var n0 = [Double](), n1 = [Double]()
    for x in 0..<256 {
        var px = 1.0, h = -2.0, pair = 0
        for j in 0..<8 { let s = (x >> j) & 1; px *= s == 1 ? rates[j] : 1 - rates[j]; h += Double(s) * j2[j] }
        for a in 0..<8 { for b in (a + 1)..<8 { if (x >> a) & 1 == 1 && (x >> b) & 1 == 1 { h += j3[pair] }; pair += 1 } }
        let q = 1 / (1 + exp(-h))
        n0.append((1e6 * px * (1 - q)).rounded()); n1.append((1e6 * px * q).rounded())
    }
    return BinaryJoint(n0: n0, n1: n1)
}

/// Benchmarks for the Retina module: the hard information bottleneck over M = 1…45 on a fixed joint distribution,
/// against the deterministic IB curve of the Python package embo on the same distribution.
func runRetinaBenchmarks() throws {
    let joint = benchmarkJoint()
    let ms = Array(1...45), restarts = 3
    var best = Double.infinity, curve = [Double]()
    for rep in 0..<5 {
        var rng = Xoshiro256(seed: UInt64(rep))
        let t0 = DispatchTime.now().uptimeNanoseconds
        var previous: [Int]? = nil
        curve = ms.map { m in
            let c = HardBottleneck.cluster(joint, states: m, restarts: restarts, rng: &rng, warmStart: previous)
            previous = c.assignment
            return c.information
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    let available = joint.mutualInformation
    print(String(format: "hard IB curve, 256 states, M = 1…45, %d restarts + warm start from M−1: %.4f s (I(σ0;x) = %.4f bits, I at M=11: %.4f, M=45: %.4f)",
                 restarts, best, available, curve[10], curve[44]))
    let exact11 = HardBottleneck.exactOptimum(joint, states: 11)
    var exactTime = Double.infinity, exactCurve = [Double]()
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        exactCurve = HardBottleneck.exactCurve(joint, ms: ms).map(\.information)
        exactTime = min(exactTime, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    print(String(format: "exact optimum, interval DP for M = 1…45: %.4f s (M=11: %.4f bits, single-M DP %.4f; M=45: %.4f)",
                 exactTime, exactCurve[10], exact11, exactCurve[44]))

    // Peer: embo (deterministic IB, alpha = 0, 30 β values, 3 restarts).
    let fm = FileManager.default
    let script = URL(fileURLWithPath: fm.currentDirectoryPath).appendingPathComponent("bench/peers/retina_embo.py")
    guard fm.fileExists(atPath: script.path) else { print("embo peer: \(script.path) not found (run from the project root)"); return }
    let check = Process()
    check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    check.arguments = [peerPython(), "-c", "import embo"]
    check.standardError = FileHandle.nullDevice
    do { try check.run(); check.waitUntilExit() } catch { print("embo peer: \(peerPython()) not available (\(error))"); return }
    guard check.terminationStatus == 0 else { print("embo peer: `import embo` failed; install it with `pip install embo` to compare"); return }
    let total = joint.total
    // embo needs every row to have mass: drop the states that never occur.
    let pxy = (0..<256).filter { joint.n0[$0] + joint.n1[$0] > 0 }.map { String(format: "%.12e %.12e", joint.n0[$0] / total, joint.n1[$0] / total) }.joined(separator: "\n")
    let tmp = fm.temporaryDirectory.appendingPathComponent("retina_bench_pxy_\(ProcessInfo.processInfo.processIdentifier).txt")
    try pxy.write(to: tmp, atomically: true, encoding: .utf8)
    defer { try? fm.removeItem(at: tmp) }
    let p = Process(), pipe = Pipe()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = [peerPython(), script.path, tmp.path, "3"]
    p.standardOutput = pipe
    try p.run()
    let out = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    guard p.terminationStatus == 0,
          let line = String(data: out, encoding: .utf8)?.split(separator: "\n").last,
          case let fields = line.split(separator: " ").compactMap({ Double($0) }), fields.count == 3 else {
        print("embo peer: failed (status \(p.terminationStatus))"); return
    }
    let secs = fields[0], iy = fields[1]
    print(String(format: "embo DIB curve (30 β, 3 restarts): %.4f s, max I(T;Y) = %.4f bits", secs, iy))
    print(String(format: "ratio embo / hard IB: %.0f× (embo traces the soft/deterministic IB curve over β; ours runs the hard IB at fixed M — same joint, same kind of curve)", secs / best))
}
