import Foundation

/// Runs `body` repeatedly for at least `seconds` (after one warm-up call) and returns seconds per call.
func timePerCall(minimumSeconds seconds: Double = 1.0, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var calls = 0
    let start = Date()
    repeat { try body(); calls += 1 } while Date().timeIntervalSince(start) < seconds
    return Date().timeIntervalSince(start) / Double(calls)
}

/// Ours and a peer timed in alternating rounds (ours, peer, ours, peer, …) so that drifts of the machine's load hit
/// both alike. `ours` and `peer` return the seconds of one round (or a list of per-call seconds); a nil peer round
/// stops the peer.
func alternate(rounds: Int, ours: () throws -> [Double], peer: () -> [Double]?) rethrows -> (ours: [Double], peer: [Double]) {
    var a = [Double](), b = [Double](), peerAlive = true
    for _ in 0..<rounds {
        a += try ours()
        if peerAlive { if let t = peer() { b += t } else { peerAlive = false } }
    }
    return (a, b)
}

/// "peer/ours: 2.31× (min), 2.28× (median); ours 4.1/4.3 ms, peer 9.5/9.8 ms (min/median, 6 and 6 runs)".
func ratioLine(ours: [Double], peer: [Double], peerName: String) -> String {
    guard !ours.isEmpty, !peer.isEmpty else { return "\(peerName): not run" }
    func median(_ x: [Double]) -> Double {
        let s = x.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    let om = ours.min()!, pm = peer.min()!, omed = median(ours), pmed = median(peer)
    return String(format: "%@/ours: %.2f× (min), %.2f× (median) [>1: ours faster]; ours %.4g/%.4g s, %@ %.4g/%.4g s (min/median of %d and %d runs)",
                  peerName, pm / om, pmed / omed, om, omed, peerName, pm, pmed, ours.count, peer.count)
}

/// CPU seconds of this process (all threads).
func processCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

/// The 1-, 5- and 15-minute load averages of the machine ("?" where /proc/loadavg is missing).
func loadAverage() -> String {
    guard let s = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "?" }
    return s.split(separator: " ").prefix(3).joined(separator: " ")
}
