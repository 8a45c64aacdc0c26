import Foundation
import Numerics
import AnalysisKit

/// Gaussian-copula lower bound on the redundancy of sets of multivariate elements.
///
/// Every element i is a d-dimensional variable (d columns of the data matrix). Each column is copula-transformed
/// (rank → Φ⁻¹), the correlation matrix C of all n·d columns is formed, and for a set A of elements
/// I_G(A) = ½ [Σ_{i∈A} log det C_ii − log det C_AA],  H_G(i) = ½ [d log(2πe) + log det C_ii],
/// r(A) = I_G(A) / Σ_{i∈A} H_G(i), with r = 0 for |A| ≤ 1 (all in nats).
public struct GaussianRedundancy: Sendable {
    /// Number of elements.
    public let n: Int
    /// Dimension of each element.
    public let d: Int
    /// Correlation matrix of the n·d copula-transformed columns, row-major.
    public let correlation: [Double]
    /// log det C_ii of each element's own block.
    public let elementLogDet: [Double]
    /// Gaussian entropy H_G(i) of each element (nats); replaced by `normalisedLikeAuthors(raw:)`.
    public private(set) var elementEntropy: [Double]

    /// Builds the bound from a data matrix with samples in rows and n·d columns (element i owns columns i·d ..< (i+1)·d).
    public init(samples: Matrix<Double>, elementDimension d: Int, copula: Bool = true) throws {
        guard d >= 1, samples.cols % d == 0 else {
            throw AnalysisFailure("data has \(samples.cols) columns, not a multiple of the element dimension \(d)")
        }
        guard samples.rows > samples.cols else {
            throw AnalysisFailure("\(samples.rows) samples are too few for \(samples.cols) variables (need more samples than variables)")
        }
        for v in samples.data where !v.isFinite { throw AnalysisFailure("data contain non-finite values; remove gaps first") }
        let x = copula ? GaussianInformation.copula(columnsOf: samples) : samples
        try self.init(correlation: x.correlation(), elementDimension: d)
    }

    /// Builds the bound from a given correlation matrix of n·d variables.
    public init(correlation c: Matrix<Double>, elementDimension d: Int) throws {
        precondition(c.rows == c.cols && c.rows % d == 0)
        self.d = d
        self.n = c.rows / d
        self.correlation = c.data
        var ld = [Double](repeating: 0, count: n), h = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let l = try c.block(Array(i * d ..< (i + 1) * d)).logDeterminantSPD()
            ld[i] = l
            h[i] = 0.5 * (Double(d) * log(2 * Double.pi * M_E) + l)
        }
        for i in 0..<n where h[i] <= 0 {
            throw AnalysisFailure("element \(i) has non-positive Gaussian entropy \(h[i]); its components are (nearly) collinear")
        }
        elementLogDet = ld
        elementEntropy = h
    }

    /// The normalisation of the authors' later code (crtwomey/sscs, R/sscs.R: `new_sscs`,
    /// `default_quantization_scale`): the entropy of element i is the Gaussian entropy of its *raw* data,
    /// H_i = ½ [d log(2πe) + log det Σ_i] with Σ_i the sample covariance of its d raw columns, plus one system-wide
    /// offset q = (I(S) − Σ_i H_i)/n + max(0, 1 − min_i(H_i + q₀)) with q₀ the first term, which makes r(S) = 1 before
    /// the second term and keeps every H_i + q ≥ 1 (so r(S) ≤ 1). The information terms I(A) are unchanged (copula
    /// correlation, between elements; sscs's own I also counts correlations within an element). Returns the model
    /// with H_i + q as element entropies and q.
    public func normalisedLikeAuthors(raw: Matrix<Double>) throws -> (model: GaussianRedundancy, offset: Double) {
        guard raw.cols == n * d, raw.rows > 1 else { throw AnalysisFailure("raw data have \(raw.cols) columns, expected \(n * d)") }
        let cov = raw.covariance()
        var h = [Double](repeating: 0, count: n)
        for i in 0..<n {
            h[i] = 0.5 * (Double(d) * log(2 * Double.pi * M_E) + (try cov.block(Array(i * d ..< (i + 1) * d)).logDeterminantSPD()))
        }
        let all = Array(0..<n)
        let iSystem = 0.5 * (elementLogDet.reduce(0, +) - logDet(all))
        let q0 = (iSystem - h.reduce(0, +)) / Double(n)
        let q = q0 + max(0, 1 - h.map { $0 + q0 }.min()!)
        var out = self
        out.elementEntropy = h.map { $0 + q }
        return (out, q)
    }

    /// Column indices of the elements in `members`.
    @inlinable func columns(_ members: [Int]) -> [Int] {
        var out = [Int](); out.reserveCapacity(members.count * d)
        for i in members { for k in 0..<d { out.append(i * d + k) } }
        return out
    }

    /// log det C_AA for the listed elements (0 for the empty set).
    public func logDet(_ members: [Int]) -> Double {
        if members.isEmpty { return 0 }
        var chol = IncrementalCholesky(capacity: members.count * d)
        for c in columns(members) { chol.append(column: c, of: self) }
        return chol.logDet
    }

    /// Relative redundancy r(A) of the listed elements.
    public func relativeRedundancy(_ members: [Int]) -> Double {
        if members.count <= 1 { return 0 }
        var sumLD = 0.0, sumH = 0.0
        for i in members { sumLD += elementLogDet[i]; sumH += elementEntropy[i] }
        return 0.5 * (sumLD - logDet(members)) / sumH
    }

    /// Relative redundancy from precomputed pieces: log det C_AA, Σ log det C_ii and Σ H_i over A of size `count`.
    @inlinable static func ratio(logDet: Double, sumLogDet: Double, sumEntropy: Double, count: Int) -> Double {
        count <= 1 ? 0 : 0.5 * (sumLogDet - logDet) / sumEntropy
    }

    /// Elements of a bitmask.
    static func members(_ mask: UInt64) -> [Int] {
        var out = [Int](), m = mask
        while m != 0 { let b = m.trailingZeroBitCount; out.append(b); m &= m - 1 }
        return out
    }
}

/// A Cholesky factor grown one variable at a time (lower triangular, row-major, fixed capacity).
struct IncrementalCholesky {
    var l: [Double]
    var cols: [Int] = []
    let capacity: Int
    var size = 0
    var logDet = 0.0
    /// Set when the matrix stopped being numerically positive definite.
    var singular = false

    init(capacity: Int) { self.capacity = capacity; l = [Double](repeating: 0, count: max(capacity, 1) * max(capacity, 1)) }

    /// Appends variable `c` of the correlation matrix as the next row/column.
    mutating func append(column c: Int, of g: GaussianRedundancy) {
        let k = size, cap = capacity, nc = g.n * g.d
        g.correlation.withUnsafeBufferPointer { cp in
            l.withUnsafeMutableBufferPointer { lp in
                var diag = cp[c * nc + c]
                for j in 0..<k {
                    var s = cp[c * nc + cols[j]]
                    for t in 0..<j { s -= lp[k * cap + t] * lp[j * cap + t] }
                    let v = s / lp[j * cap + j]
                    lp[k * cap + j] = v
                    diag -= v * v
                }
                if diag < 1e-12 { singular = true; diag = 1e-12 }
                let r = diag.squareRoot()
                lp[k * cap + k] = r
                logDet += 2 * log(r)
            }
        }
        cols.append(c)
        size += 1
    }

    /// Removes the last `count` variables.
    mutating func pop(_ count: Int) {
        for _ in 0..<count {
            size -= 1
            logDet -= 2 * log(l[size * capacity + size])
            cols.removeLast()
        }
    }
}
