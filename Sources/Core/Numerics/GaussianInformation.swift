import Foundation

/// Information quantities of Gaussian variables from covariance or correlation matrices (via Cholesky log-determinants),
/// and the Gaussian-copula transform that maps any continuous marginals to standard normal ones.
public enum GaussianInformation {
    /// Differential entropy ½ log((2πe)^d det Σ).
    public static func entropy(covariance c: Matrix<Double>, unit: InformationUnit = .nats) throws -> Double {
        let d = Double(c.rows)
        return 0.5 * (d * log(2 * Double.pi * M_E) + (try c.logDeterminantSPD())) * unit.fromNats
    }

    /// I(A;B) = ½ [log det Σ_AA + log det Σ_BB − log det Σ_{A∪B}] for disjoint index sets of a covariance/correlation matrix.
    public static func mutualInformation(_ c: Matrix<Double>, _ a: [Int], _ b: [Int], unit: InformationUnit = .nats) throws -> Double {
        let la = try c.block(a).logDeterminantSPD(), lb = try c.block(b).logDeterminantSPD()
        let lab = try c.block(a + b).logDeterminantSPD()
        return 0.5 * (la + lb - lab) * unit.fromNats
    }

    /// Total correlation of the variables `idx` (all if nil): ½ [Σ log Σᵢᵢ − log det Σ].
    public static func totalCorrelation(_ c: Matrix<Double>, _ idx: [Int]? = nil, unit: InformationUnit = .nats) throws -> Double {
        let ids = idx ?? Array(0..<c.rows)
        let diag = ids.reduce(0.0) { $0 + log(c[$1, $1]) }
        return 0.5 * (diag - (try c.block(ids).logDeterminantSPD())) * unit.fromNats
    }

    /// Ranks 1…n of `x` with ties given their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            let avg = Double(i + j) / 2 + 1
            for k in i...j { r[order[k]] = avg }
            i = j + 1
        }
        return r
    }

    /// Gaussian-copula transform of one variable: Φ⁻¹(rank / (n + 1)).
    public static func copula(_ x: [Double]) -> [Double] {
        let n = Double(x.count)
        return ranks(x).map { Special.inverseNormalCDF($0 / (n + 1)) }
    }

    /// Copula-transforms every column of a data matrix (samples in rows).
    public static func copula(columnsOf m: Matrix<Double>) -> Matrix<Double> {
        var out = m
        for j in 0..<m.cols {
            let t = copula(m.column(j))
            for i in 0..<m.rows { out[i, j] = t[i] }
        }
        return out
    }
}
