import Foundation

/// Relative redundancy r(A) of every subset A ⊆ S (bitmask index), computed by depth-first enumeration with an
/// incrementally grown Cholesky factor: each subset costs one appended block, O(|A|² d³) instead of a fresh factorisation.
public struct SubsetRedundancyTable: Sendable {
    /// Largest number of elements for which the full table is built (2^n entries).
    public static let maxElements = 20
    public let n: Int
    /// r[mask] for mask in 0 ..< 2^n.
    public let r: [Double]

    public init(_ g: GaussianRedundancy) {
        precondition(g.n <= Self.maxElements, "exact subset table limited to \(Self.maxElements) elements")
        n = g.n
        var table = [Double](repeating: 0, count: 1 << g.n)
        var chol = IncrementalCholesky(capacity: g.n * g.d)
        func visit(_ start: Int, _ mask: Int, _ count: Int, _ sumLD: Double, _ sumH: Double) {
            for i in start..<g.n {
                for k in 0..<g.d { chol.append(column: i * g.d + k, of: g) }
                let m = mask | (1 << i)
                let sl = sumLD + g.elementLogDet[i], sh = sumH + g.elementEntropy[i]
                table[m] = GaussianRedundancy.ratio(logDet: chol.logDet, sumLogDet: sl, sumEntropy: sh, count: count + 1)
                visit(i + 1, m, count + 1, sl, sh)
                chol.pop(g.d)
            }
        }
        visit(0, 0, 0, 0, 0)
        r = table
    }
}

/// Probabilities p(A|j) = Π_{i∈A} p(j|i) Π_{i∉A} (1 − p(j|i)) of all subsets for one component (bitmask index).
func subsetProbabilities(_ q: [Double]) -> [Double] {
    var p = [Double](repeating: 0, count: 1 << q.count)
    p[0] = 1
    var size = 1
    for (k, qk) in q.enumerated() {
        let bit = 1 << k
        for m in 0..<size {
            let v = p[m]
            p[m | bit] = v * qk
            p[m] = v * (1 - qk)
        }
        size <<= 1
    }
    return p
}
