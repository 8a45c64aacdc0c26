import Foundation

/// Entropy, mutual information and divergences of discrete variables, from counts or integer-coded samples.
public enum DiscreteInformation {
    /// Plug-in (maximum-likelihood) entropy of a count vector.
    public static func entropy<C: Collection>(counts: C, unit: InformationUnit = .bits) -> Double where C.Element: BinaryInteger {
        var n = 0.0, s = 0.0
        for c in counts where c > 0 { let x = Double(c); n += x; s += x * log(x) }
        guard n > 0 else { return 0 }
        return (log(n) - s / n) * unit.fromNats
    }

    /// Miller–Madow bias-corrected entropy: plug-in + (m − 1)/(2N) nats, m = number of occupied bins.
    public static func millerMadowEntropy<C: Collection>(counts: C, unit: InformationUnit = .bits) -> Double where C.Element: BinaryInteger {
        let n = counts.reduce(0) { $0 + Int($1) }
        let m = counts.filter { $0 > 0 }.count
        guard n > 0 else { return 0 }
        return entropy(counts: counts, unit: unit) + Double(m - 1) / (2 * Double(n)) * unit.fromNats
    }

    /// Entropy of a distribution given as probabilities (zeros allowed).
    public static func entropy(probabilities p: [Double], unit: InformationUnit = .bits) -> Double {
        var s = 0.0
        for x in p where x > 0 { s -= x * log(x) }
        return s * unit.fromNats
    }

    /// Counts of each distinct code, sorted so that sums over them (and hence results) do not depend on hash order.
    public static func counts<S: Sequence>(_ codes: S) -> [Int] where S.Element: Hashable {
        var d = [S.Element: Int]()
        for c in codes { d[c, default: 0] += 1 }
        return d.values.sorted()
    }

    /// Plug-in entropy of integer-coded samples.
    public static func entropy<S: Sequence>(samples: S, unit: InformationUnit = .bits) -> Double where S.Element: Hashable {
        entropy(counts: counts(samples), unit: unit)
    }

    /// Mutual information I(X;Y) from a joint count table `joint[x][y]` (plug-in).
    public static func mutualInformation(joint: [[Int]], unit: InformationUnit = .bits) -> Double {
        let rows = joint.map { $0.reduce(0, +) }
        var cols = [Int](repeating: 0, count: joint.first?.count ?? 0)
        for r in joint { for (j, c) in r.enumerated() { cols[j] += c } }
        return entropy(counts: rows, unit: unit) + entropy(counts: cols, unit: unit) - entropy(counts: joint.flatMap { $0 }, unit: unit)
    }

    /// Mutual information I(X;Y) from paired integer-coded samples (plug-in).
    public static func mutualInformation(_ x: [Int], _ y: [Int], unit: InformationUnit = .bits) -> Double {
        precondition(x.count == y.count, "paired samples must have equal length")
        let joint = zip(x, y).map { PairKey(a: $0, b: $1) }
        return entropy(samples: x, unit: unit) + entropy(samples: y, unit: unit) - entropy(samples: joint, unit: unit)
    }

    /// Conditional entropy H(Y|X) from paired samples.
    public static func conditionalEntropy(_ y: [Int], given x: [Int], unit: InformationUnit = .bits) -> Double {
        entropy(samples: zip(x, y).map { PairKey(a: $0, b: $1) }, unit: unit) - entropy(samples: x, unit: unit)
    }

    /// Kullback–Leibler divergence D(p‖q) of two distributions; infinite if p has mass where q has none.
    public static func klDivergence(_ p: [Double], _ q: [Double], unit: InformationUnit = .bits) -> Double {
        precondition(p.count == q.count)
        var s = 0.0
        for (a, b) in zip(p, q) where a > 0 {
            if b <= 0 { return .infinity }
            s += a * log(a / b)
        }
        return s * unit.fromNats
    }

    /// Total correlation Σ H(Xᵢ) − H(X₁..Xₙ) of samples (`samples[t][i]` = value of variable i at sample t).
    public static func totalCorrelation(_ samples: [[Int]], unit: InformationUnit = .bits) -> Double {
        guard let n = samples.first?.count else { return 0 }
        let marginals = (0..<n).map { i in entropy(samples: samples.map { $0[i] }, unit: unit) }.reduce(0, +)
        return marginals - entropy(samples: samples, unit: unit)
    }

    /// Dual total correlation H(X) − Σ H(Xᵢ | X₋ᵢ) of samples.
    public static func dualTotalCorrelation(_ samples: [[Int]], unit: InformationUnit = .bits) -> Double {
        guard let n = samples.first?.count else { return 0 }
        let joint = entropy(samples: samples, unit: unit)
        var residual = 0.0
        for i in 0..<n {
            let rest = samples.map { s -> [Int] in var r = s; r.remove(at: i); return r }
            residual += joint - entropy(samples: rest, unit: unit)
        }
        return joint - residual
    }

    /// Packs up to 64 binary variables (non-zero = 1) into one integer code, bit i = variable i.
    @inlinable public static func binaryWord<C: Collection>(_ bits: C) -> UInt64 where C.Element: BinaryInteger {
        precondition(bits.count <= 64, "at most 64 binary variables fit in a word")
        var w: UInt64 = 0
        for (i, b) in bits.enumerated() where b != 0 { w |= 1 << UInt64(i) }
        return w
    }
}

/// A pair of integer codes usable as a dictionary key (joint symbols).
public struct PairKey: Hashable, Sendable {
    public let a: Int, b: Int
    public init(a: Int, b: Int) { self.a = a; self.b = b }
}
