import Foundation

/// Joint counts of an integer-coded variable x (alphabet `0..<size`) and a binary target σ0, kept per repeat so that
/// counts on any subset of repeats are a cheap sum.
public struct RepeatCounts: Sendable {
    public let size: Int
    public let repeats: Int
    /// `counts[(r * size + x) * 2 + σ0]`.
    public var counts: [Int32]

    /// Counts from per-sample codes and target bits; sample `s` belongs to repeat `s / bins`.
    public init(codes: [Int32], size: Int, target: [UInt8], repeats: Int, bins: Int) {
        precondition(codes.count == repeats * bins && target.count == codes.count)
        self.size = size; self.repeats = repeats
        var c = [Int32](repeating: 0, count: repeats * size * 2)
        c.withUnsafeMutableBufferPointer { cp in
            codes.withUnsafeBufferPointer { x in
                target.withUnsafeBufferPointer { y in
                    for r in 0..<repeats {
                        let base = r * size
                        for t in 0..<bins {
                            let s = r * bins + t
                            cp[(base + Int(x[s])) * 2 + Int(y[s])] += 1
                        }
                    }
                }
            }
        }
        counts = c
    }

    /// Summed counts over the given repeats (all repeats when nil).
    public func joint(repeats subset: [Int]? = nil) -> BinaryJoint {
        var n0 = [Double](repeating: 0, count: size), n1 = n0
        let rs = subset ?? Array(0..<repeats)
        counts.withUnsafeBufferPointer { c in
            for r in rs {
                let base = r * size * 2
                for x in 0..<size { n0[x] += Double(c[base + 2 * x]); n1[x] += Double(c[base + 2 * x + 1]) }
            }
        }
        return BinaryJoint(n0: n0, n1: n1)
    }
}

/// Counts `n0[x]`, `n1[x]` of a binary target σ0 jointly with a discrete variable x.
public struct BinaryJoint: Sendable, Equatable {
    public var n0: [Double]
    public var n1: [Double]
    public init(n0: [Double], n1: [Double]) { precondition(n0.count == n1.count); self.n0 = n0; self.n1 = n1 }
    public var size: Int { n0.count }
    public var total: Double { n0.reduce(0, +) + n1.reduce(0, +) }
    /// Number of states x that occur at least once.
    public var statesSeen: Int { zip(n0, n1).filter { $0 + $1 > 0 }.count }

    /// Plug-in mutual information I(σ0; x) in bits.
    public var mutualInformation: Double { BinaryInfo.mutualInformation(n0: n0, n1: n1) }

    /// The joint after mapping x → `map[x]` (a compression into `m` states).
    public func compressed(_ map: [Int], states m: Int) -> BinaryJoint {
        var a = [Double](repeating: 0, count: m), b = a
        for x in 0..<size { a[map[x]] += n0[x]; b[map[x]] += n1[x] }
        return BinaryJoint(n0: a, n1: b)
    }
}

/// Small entropy helpers for binary targets (bits).
public enum BinaryInfo {
    /// n·H(k/n) in nats for counts k of ones among n, i.e. −k ln(k/n) − (n−k) ln((n−k)/n).
    @inlinable public static func nH(_ k: Double, _ n: Double) -> Double {
        guard n > 0 else { return 0 }
        var s = 0.0
        if k > 0 { s -= k * log(k / n) }
        if n - k > 0 { s -= (n - k) * log((n - k) / n) }
        return s
    }

    /// I(σ0; x) = H(σ0) − H(σ0|x) in bits from counts.
    public static func mutualInformation(n0: [Double], n1: [Double]) -> Double {
        var t0 = 0.0, t1 = 0.0, cond = 0.0
        for x in 0..<n0.count {
            t0 += n0[x]; t1 += n1[x]
            cond += nH(n1[x], n0[x] + n1[x])
        }
        let n = t0 + t1
        guard n > 0 else { return 0 }
        return max(0, (nH(t1, n) - cond) / n) / log(2)
    }

    /// Binary entropy in bits.
    public static func entropy(_ p: Double) -> Double { nH(p, 1) / log(2) }
}
