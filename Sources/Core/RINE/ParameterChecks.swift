import AnalysisKit

/// Range-checked reads of RINE's list parameters and network shapes (issue 14 §4). Every RINE analysis reads all its
/// parameters through these and `Parameters`' ranged accessors, then calls `rejectUnused()`, before it samples, loads
/// or trains anything: a misspelt key or an out-of-range value is a `ParameterError` at its line within milliseconds,
/// not after the training, and `replicate describe`'s probe stops.
enum RINEParameterChecks {
    /// An error for `key`, located at its line when the directive gave it.
    static func error(_ p: Parameters, _ key: String, _ message: String) -> ParameterError {
        ParameterError(key: key, line: p.entries[key]?.line, message: message)
    }

    /// A non-empty list of numbers, each in `range`, with at most `maxCount` entries.
    static func doubles(_ p: Parameters, _ key: String, default d: [Double], each range: ClosedRange<Double>,
                        maxCount: Int = 50, what: String = "value") throws -> [Double] {
        let xs = try p.doubles(key, default: d)
        guard xs.count <= maxCount else { throw error(p, key, "at most \(maxCount) entries, got \(xs.count)") }
        if let bad = xs.first(where: { !range.contains($0) }) {
            throw error(p, key, "every \(what) must lie in \(range.lowerBound)…\(range.upperBound), got \(bad)")
        }
        return xs
    }

    /// A non-empty list of integers, each in `range`, with `count` entries (default at most 50).
    static func ints(_ p: Parameters, _ key: String, default d: [Int], each range: ClosedRange<Int>,
                     count: ClosedRange<Int> = 1...50, what: String = "value") throws -> [Int] {
        let xs = try p.ints(key, default: d)
        guard count.contains(xs.count) else {
            throw error(p, key, "expected \(count.lowerBound)…\(count.upperBound) entries, got \(xs.count)")
        }
        if let bad = xs.first(where: { !range.contains($0) }) {
            throw error(p, key, "every \(what) must lie in \(range.lowerBound)…\(range.upperBound), got \(bad)")
        }
        return xs
    }

    /// Hidden-layer widths of the decoders: 1 to 6 layers of 1 to 1024 units (at most about 6 M weights per decoder,
    /// some 200 MB with gradients and Adam moments for a training's two decoders; a typo such as an extra zero is
    /// reported instead of attempted).
    static func hidden(_ p: Parameters, default d: [Int]) throws -> [Int] {
        try ints(p, "hidden", default: d, each: 1...1024, count: 1...6, what: "layer width")
    }

    /// Largest simulated input an analysis builds in one piece, in Float entries (400 MB): parameters whose ranges are
    /// each fine can still multiply to more memory than the machine has.
    static let largestInput = 100_000_000

    /// Rejects under `key` a combination of sizes whose product `entries` exceeds `largestInput`.
    static func checkSize(_ p: Parameters, _ key: String, entries: Int, what: String) throws {
        guard entries <= largestInput else {
            throw error(p, key, "\(what) would hold \(entries) numbers, more than the \(largestInput) allowed")
        }
    }
}
