import Foundation
import Numerics

/// Spectral functions of symmetric matrices (internal helpers of the InfoGeometry module).
enum SymmetricMatrix {
    /// f(A) = V diag(f(λ)) Vᵀ for a symmetric A.
    static func apply(_ a: Matrix<Double>, _ f: (Double) -> Double) throws -> Matrix<Double> {
        let (w, v) = try a.symmetricEigen()
        let n = a.rows
        var vf = v
        for i in 0..<n { for j in 0..<n { vf[i, j] = v[i, j] * f(w[j]) } }
        return Matrix.product(vf, v, transB: true)
    }

    /// Matrix logarithm of a symmetric positive-definite matrix.
    static func log(_ a: Matrix<Double>) throws -> Matrix<Double> {
        let (w, _) = try a.symmetricEigen()
        guard let m = w.first, m > 0 else { throw AnalysisFailureMessage("matrix logarithm of a matrix that is not positive definite") }
        return try apply(a, Foundation.log)
    }

    /// A + s·I.
    static func shifted(_ a: Matrix<Double>, by s: Double) -> Matrix<Double> {
        var b = a
        for i in 0..<a.rows { b[i, i] += s }
        return b
    }

    static func trace(_ a: Matrix<Double>) -> Double { a.diagonalElements.reduce(0, +) }

    /// Largest absolute entry of A − B.
    static func maxAbsDifference(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
        zip(a.data, b.data).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Symmetrises (A + Aᵀ)/2 (removes rounding asymmetry).
    static func symmetrized(_ a: Matrix<Double>) -> Matrix<Double> {
        var b = a
        for i in 0..<a.rows { for j in 0..<a.cols { b[i, j] = 0.5 * (a[i, j] + a[j, i]) } }
        return b
    }
}

/// Errors at rounding level depend on the BLAS/LAPACK build and thread count; reports show them floored at 10⁻¹³
/// so that pages stay byte-identical.
func roundingFloor(_ e: Double) -> Double { max(e, 1e-13) }

/// A numerical failure inside the InfoGeometry core.
public struct AnalysisFailureMessage: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}
