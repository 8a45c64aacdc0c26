import Foundation

/// Runs `body` repeatedly for at least `seconds` (after one warm-up call) and returns seconds per call.
func timePerCall(minimumSeconds seconds: Double = 1.0, _ body: () throws -> Void) rethrows -> Double {
    try body()
    var calls = 0
    let start = Date()
    repeat { try body(); calls += 1 } while Date().timeIntervalSince(start) < seconds
    return Date().timeIntervalSince(start) / Double(calls)
}
