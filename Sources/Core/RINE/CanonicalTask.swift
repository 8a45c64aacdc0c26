import Foundation
import Numerics

/// A discrete joint distribution p(x₁, x₂, y) given as a list of outcomes (Appendix A of the paper).
public struct DiscreteTask: Sendable {
    public struct Outcome: Sendable { public let x1: Int, x2: Int, y: Int; public let p: Double }
    public let name: String
    public let outcomes: [Outcome]
    public let x1Symbols: Int, x2Symbols: Int, ySymbols: Int

    public init(name: String, _ rows: [(Int, Int, Int, Double)]) {
        self.name = name
        outcomes = rows.map { Outcome(x1: $0.0, x2: $0.1, y: $0.2, p: $0.3) }
        x1Symbols = (rows.map(\.0).max() ?? 0) + 1
        x2Symbols = (rows.map(\.1).max() ?? 0) + 1
        ySymbols = (rows.map(\.2).max() ?? 0) + 1
    }

    /// UNQ: each source contributes one unique bit; Y = (X₁, X₂).
    public static let unq = DiscreteTask(name: "UNQ", [(0, 0, 0, 0.25), (0, 1, 1, 0.25), (1, 0, 2, 0.25), (1, 1, 3, 0.25)])
    /// AND: Y = X₁ ∧ X₂.
    public static let and = DiscreteTask(name: "AND", [(0, 0, 0, 0.25), (0, 1, 0, 0.25), (1, 0, 0, 0.25), (1, 1, 1, 0.25)])
    /// RDNXOR: one redundant bit (r/R) and one synergistic XOR bit. Symbols r0, r1, R0, R1 = 0, 1, 2, 3.
    public static let rdnxor = DiscreteTask(name: "RDNXOR", [
        (0, 0, 0, 0.125), (0, 1, 1, 0.125), (1, 0, 1, 0.125), (1, 1, 0, 0.125),
        (2, 2, 2, 0.125), (2, 3, 3, 0.125), (3, 2, 3, 0.125), (3, 3, 2, 0.125)])
    /// IMPERFECTRDN: X₁ determines Y; X₂ copies it but flips with a small probability.
    public static let imperfectRdn = DiscreteTask(name: "IMPERFECTRDN", [(0, 0, 0, 0.499), (0, 1, 0, 0.001), (1, 1, 1, 0.5)])

    /// XOR: Y = X₁ ⊕ X₂ (purely synergistic).
    public static let xor = DiscreteTask(name: "XOR", [(0, 0, 0, 0.25), (0, 1, 1, 0.25), (1, 0, 1, 0.25), (1, 1, 0, 0.25)])
    /// RDN: X₁ = X₂ = Y, one uniform bit (purely redundant).
    public static let rdn = DiscreteTask(name: "RDN", [(0, 0, 0, 0.5), (1, 1, 1, 0.5)])

    public static let canonical = [unq, and, rdnxor, imperfectRdn]

    /// `count` i.i.d. samples with integer labels. Each source is one scalar input holding its symbol's index (as in the
    /// paper's reference setup), or a one-hot vector when `oneHot` is set.
    public func sample(_ count: Int, oneHot: Bool = false, rng: inout Xoshiro256) -> (x1: Matrix<Float>, x2: Matrix<Float>, y: [Int]) {
        var a = Matrix<Float>(rows: count, cols: oneHot ? x1Symbols : 1), b = Matrix<Float>(rows: count, cols: oneHot ? x2Symbols : 1)
        var y = [Int](repeating: 0, count: count)
        let weights = outcomes.map(\.p)
        for i in 0..<count {
            let o = outcomes[rng.categorical(weights)]
            if oneHot { a[i, o.x1] = 1; b[i, o.x2] = 1 } else { a[i, 0] = Float(o.x1); b[i, 0] = Float(o.x2) }
            y[i] = o.y
        }
        return (a, b, y)
    }
}

/// Exact information quantities of a discrete task: mutual informations and the Griffith et al. redundancy I∧.
public enum ExactRedundancy {
    static func mi(_ pairs: [(Int, Int, Double)]) -> Double {
        var pa = [Int: Double](), pb = [Int: Double](), pab = [PairKey: Double]()
        for (a, b, p) in pairs { pa[a, default: 0] += p; pb[b, default: 0] += p; pab[PairKey(a: a, b: b), default: 0] += p }
        var s = 0.0
        // Sorted keys: a fixed summation order, so the value is identical in every process (Dictionary order is seeded).
        for k in pab.keys.sorted(by: { ($0.a, $0.b) < ($1.a, $1.b) }) where pab[k]! > 0 {
            let p = pab[k]!
            s += p * log2(p / (pa[k.a]! * pb[k.b]!))
        }
        return s
    }

    public static func mutualInformationX1(_ t: DiscreteTask) -> Double { mi(t.outcomes.map { ($0.x1, $0.y, $0.p) }) }
    public static func mutualInformationX2(_ t: DiscreteTask) -> Double { mi(t.outcomes.map { ($0.x2, $0.y, $0.p) }) }
    public static func mutualInformationJoint(_ t: DiscreteTask) -> Double {
        mi(t.outcomes.map { ($0.x1 * t.x2Symbols + $0.x2, $0.y, $0.p) })
    }
    public static func entropyY(_ t: DiscreteTask) -> Double {
        var py = [Int: Double]()
        for o in t.outcomes { py[o.y, default: 0] += o.p }
        return DiscreteInformation.entropy(probabilities: py.keys.sorted().map { py[$0]! })
    }

    /// Connected components of the bipartite support graph of (x₁, x₂): the finest common function Q = f₁(X₁) = f₂(X₂).
    public static func commonComponents(_ t: DiscreteTask) -> [Int] {
        // Union-find over x1 symbols (0..<n1) and x2 symbols (n1..<n1+n2).
        var parent = Array(0..<(t.x1Symbols + t.x2Symbols))
        func find(_ i: Int) -> Int { var i = i; while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }; return i }
        for o in t.outcomes where o.p > 0 { parent[find(o.x1)] = find(t.x1Symbols + o.x2) }
        let roots = (0..<t.x1Symbols).map(find)
        let labels = Array(Set(roots)).sorted()
        return roots.map { labels.firstIndex(of: $0)! }
    }

    /// I∧(X₁; X₂ → Y) = max over common deterministic functions Q of I(Q; Y). Every common function is a coarsening of the
    /// support graph's components C, and a coarsening cannot raise I(·; Y) (data processing), so I∧ = I(C; Y); no
    /// enumeration of partitions is needed (`functionsTried` is 1).
    public static func iWedge(_ t: DiscreteTask) -> (value: Double, functionsTried: Int) {
        let comp = commonComponents(t)
        return (mi(t.outcomes.map { (comp[$0.x1], $0.y, $0.p) }), 1)
    }

    /// All set partitions of k items as block labels (restricted growth strings).
    static func setPartitions(_ k: Int) -> [[Int]] {
        var out = [[Int]]()
        func grow(_ prefix: [Int], _ maxLabel: Int) {
            if prefix.count == k { out.append(prefix); return }
            for l in 0...(maxLabel + 1) { grow(prefix + [l], max(maxLabel, l)) }
        }
        if k == 0 { return [[]] }
        grow([0], 0)
        return out
    }
}
