import CBLAS
import Foundation

/// Element types that OpenBLAS and LAPACKE handle: `Double` and `Float`.
public protocol BLASScalar: BinaryFloatingPoint & Codable & Sendable where Self.RawSignificand: FixedWidthInteger {
    static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self,
                     _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                     _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    static func potrf(_ n: Int, _ a: UnsafeMutablePointer<Self>) -> Int32
    static func potri(_ n: Int, _ a: UnsafeMutablePointer<Self>) -> Int32
    static func syevd(_ n: Int, _ a: UnsafeMutablePointer<Self>, _ w: UnsafeMutablePointer<Self>) -> Int32
    static func gesv(_ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Self>, _ ipiv: UnsafeMutablePointer<Int32>,
                     _ b: UnsafeMutablePointer<Self>) -> Int32
    static func logValue(_ x: Self) -> Self
}

@inline(__always) private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Double: BLASScalar {
    public static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                            _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                            _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        cblas_dgemm(CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func potrf(_ n: Int, _ a: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dpotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n))
    }
    public static func potri(_ n: Int, _ a: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dpotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n))
    }
    public static func syevd(_ n: Int, _ a: UnsafeMutablePointer<Double>, _ w: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n), w)
    }
    public static func gesv(_ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Double>, _ ipiv: UnsafeMutablePointer<Int32>,
                            _ b: UnsafeMutablePointer<Double>) -> Int32 {
        LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(n), ipiv, b, Int32(nrhs))
    }
    public static func logValue(_ x: Double) -> Double { Foundation.log(x) }
}

extension Float: BLASScalar {
    public static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                            _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                            _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
    public static func potrf(_ n: Int, _ a: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_spotrf(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n))
    }
    public static func potri(_ n: Int, _ a: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_spotri(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n))
    }
    public static func syevd(_ n: Int, _ a: UnsafeMutablePointer<Float>, _ w: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_ssyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "L")), Int32(n), a, Int32(n), w)
    }
    public static func gesv(_ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Float>, _ ipiv: UnsafeMutablePointer<Int32>,
                            _ b: UnsafeMutablePointer<Float>) -> Int32 {
        LAPACKE_sgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(n), ipiv, b, Int32(nrhs))
    }
    public static func logValue(_ x: Float) -> Float { Foundation.log(x) }
}

/// A failure of a LAPACK factorisation (matrix not positive definite, singular, ...).
public struct LinearAlgebraError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// A dense row-major matrix of `Double` or `Float`, with matrix products through OpenBLAS
/// and factorisations through LAPACKE.
public struct Matrix<T: BLASScalar>: Equatable, Codable, Sendable {
    public let rows: Int
    public let cols: Int
    /// Row-major storage: element (i, j) is `data[i * cols + j]`.
    public var data: [T]

    @inlinable
    public init(rows: Int, cols: Int, repeating v: T = 0) {
        self.rows = rows; self.cols = cols; data = Array(repeating: v, count: rows * cols)
    }
    @inlinable
    public init(rows: Int, cols: Int, data: [T]) {
        precondition(data.count == rows * cols, "Matrix data has \(data.count) elements, expected \(rows * cols)")
        self.rows = rows; self.cols = cols; self.data = data
    }
    /// A matrix whose elements are left unset, for outputs that are about to be overwritten entirely (gemm with β = 0).
    @inlinable
    public init(rows: Int, cols: Int, uninitialized: Void) {
        self.rows = rows; self.cols = cols
        data = [T](unsafeUninitializedCapacity: rows * cols) { _, count in count = rows * cols }
    }
    /// Builds a matrix from nested rows (all of equal length).
    public init(_ nested: [[T]]) {
        let c = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == c }, "ragged rows")
        rows = nested.count; cols = c
        data = nested.flatMap { $0 }
    }
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.data[i * n + i] = 1 }
        return m
    }
    public static func diagonal(_ d: [T]) -> Matrix {
        var m = Matrix(rows: d.count, cols: d.count)
        for i in 0..<d.count { m.data[i * d.count + i] = d[i] }
        return m
    }

    @inlinable public subscript(i: Int, j: Int) -> T {
        get { data[i * cols + j] }
        set { data[i * cols + j] = newValue }
    }
    @inlinable
    public func row(_ i: Int) -> [T] { Array(data[i * cols ..< (i + 1) * cols]) }
    @inlinable
    public func column(_ j: Int) -> [T] { (0..<rows).map { data[$0 * cols + j] } }
    public var diagonalElements: [T] { (0..<Swift.min(rows, cols)).map { data[$0 * cols + $0] } }
    public var nested: [[T]] { (0..<rows).map(row) }

    @inlinable
    public var transposed: Matrix {
        var t = Matrix(rows: cols, cols: rows)
        for i in 0..<rows { for j in 0..<cols { t.data[j * rows + i] = data[i * cols + j] } }
        return t
    }

    /// Rows selected by index (in the given order).
    @inlinable
    public func selectingRows(_ idx: [Int]) -> Matrix {
        var out = [T](); out.reserveCapacity(idx.count * cols)
        for i in idx { out.append(contentsOf: data[i * cols ..< (i + 1) * cols]) }
        return Matrix(rows: idx.count, cols: cols, data: out)
    }
    /// Columns selected by index (in the given order).
    public func selectingColumns(_ idx: [Int]) -> Matrix {
        var out = [T](); out.reserveCapacity(idx.count * rows)
        for i in 0..<rows { for j in idx { out.append(data[i * cols + j]) } }
        return Matrix(rows: rows, cols: idx.count, data: out)
    }
    /// The square sub-matrix on the given indices (e.g. a block of a covariance matrix).
    public func block(_ idx: [Int]) -> Matrix {
        var out = [T](); out.reserveCapacity(idx.count * idx.count)
        for i in idx { for j in idx { out.append(data[i * cols + j]) } }
        return Matrix(rows: idx.count, cols: idx.count, data: out)
    }

    /// `C = alpha * op(A) * op(B) + beta * C` through BLAS gemm.
    @inlinable
    public static func gemm(_ a: Matrix, transA: Bool = false, _ b: Matrix, transB: Bool = false,
                            alpha: T = 1, beta: T = 0, into c: inout Matrix) {
        let m = transA ? a.cols : a.rows, k = transA ? a.rows : a.cols
        let kb = transB ? b.cols : b.rows, n = transB ? b.rows : b.cols
        precondition(k == kb, "gemm: inner dimensions \(k) and \(kb) differ")
        precondition(c.rows == m && c.cols == n, "gemm: output is \(c.rows)x\(c.cols), expected \(m)x\(n)")
        if m == 0 || n == 0 { return }
        a.data.withUnsafeBufferPointer { pa in
            b.data.withUnsafeBufferPointer { pb in
                c.data.withUnsafeMutableBufferPointer { pc in
                    T.gemm(transA, transB, m, n, k, alpha, pa.baseAddress!, Swift.max(a.cols, 1),
                           pb.baseAddress!, Swift.max(b.cols, 1), beta, pc.baseAddress!, Swift.max(n, 1))
                }
            }
        }
    }

    /// Matrix product through BLAS.
    @inlinable
    public static func * (a: Matrix, b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, cols: b.cols, uninitialized: ())
        gemm(a, b, into: &c)
        return c
    }
    /// `op(A) * op(B)` through BLAS, without forming transposes.
    @inlinable
    public static func product(_ a: Matrix, transA: Bool = false, _ b: Matrix, transB: Bool = false) -> Matrix {
        var c = Matrix(rows: transA ? a.cols : a.rows, cols: transB ? b.rows : b.cols, uninitialized: ())
        gemm(a, transA: transA, b, transB: transB, into: &c)
        return c
    }
    /// Matrix–vector product.
    public static func * (a: Matrix, x: [T]) -> [T] {
        (a * Matrix(rows: x.count, cols: 1, data: x)).data
    }
    public static func + (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols)
        return Matrix(rows: a.rows, cols: a.cols, data: zip(a.data, b.data).map { $0 + $1 })
    }
    public static func - (a: Matrix, b: Matrix) -> Matrix {
        precondition(a.rows == b.rows && a.cols == b.cols)
        return Matrix(rows: a.rows, cols: a.cols, data: zip(a.data, b.data).map { $0 - $1 })
    }
    public static func * (s: T, a: Matrix) -> Matrix { Matrix(rows: a.rows, cols: a.cols, data: a.data.map { s * $0 }) }

    /// Lower-triangular Cholesky factor L with A = L Lᵀ. Throws if A is not positive definite.
    public func cholesky() throws -> Matrix {
        precondition(rows == cols, "cholesky needs a square matrix")
        var l = self
        let info = l.data.withUnsafeMutableBufferPointer { T.potrf(rows, $0.baseAddress!) }
        if info != 0 { throw LinearAlgebraError("Cholesky failed (info \(info)): matrix is not positive definite") }
        for i in 0..<rows { for j in (i + 1)..<Swift.max(cols, i + 1) { l.data[i * cols + j] = 0 } }
        return l
    }

    /// Natural log of the determinant of a symmetric positive-definite matrix, via Cholesky.
    public func logDeterminantSPD() throws -> T {
        let l = try cholesky()
        var s: T = 0
        for i in 0..<rows { s += T.logValue(l.data[i * cols + i]) }
        return 2 * s
    }

    /// Inverse of a symmetric positive-definite matrix, via Cholesky.
    public func inverseSPD() throws -> Matrix {
        var a = try cholesky()
        let info = a.data.withUnsafeMutableBufferPointer { T.potri(rows, $0.baseAddress!) }
        if info != 0 { throw LinearAlgebraError("SPD inverse failed (info \(info))") }
        for i in 0..<rows { for j in (i + 1)..<rows { a.data[i * cols + j] = a.data[j * cols + i] } }
        return a
    }

    /// Eigen-decomposition of a symmetric matrix: eigenvalues ascending, eigenvectors as the columns of `vectors`.
    public func symmetricEigen() throws -> (values: [T], vectors: Matrix) {
        precondition(rows == cols, "symmetricEigen needs a square matrix")
        var a = self
        var w = [T](repeating: 0, count: rows)
        let info = a.data.withUnsafeMutableBufferPointer { pa in
            w.withUnsafeMutableBufferPointer { T.syevd(rows, pa.baseAddress!, $0.baseAddress!) }
        }
        if info != 0 { throw LinearAlgebraError("symmetric eigen-decomposition failed (info \(info))") }
        return (w, a)
    }

    /// Solves A X = B for square A by LU with partial pivoting.
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(rows == cols && b.rows == rows, "solve: shapes do not match")
        var a = self, x = b
        var ipiv = [Int32](repeating: 0, count: rows)
        let info = a.data.withUnsafeMutableBufferPointer { pa in
            ipiv.withUnsafeMutableBufferPointer { pp in
                x.data.withUnsafeMutableBufferPointer { T.gesv(rows, b.cols, pa.baseAddress!, pp.baseAddress!, $0.baseAddress!) }
            }
        }
        if info != 0 { throw LinearAlgebraError("solve failed (info \(info)): matrix is singular") }
        return x
    }
    /// Solves A x = b for a vector b.
    public func solve(_ b: [T]) throws -> [T] { try solve(Matrix(rows: b.count, cols: 1, data: b)).data }
}

extension Matrix where T == Double {
    /// Sample covariance (divisor n − 1) of the columns of a data matrix with samples in rows (BLAS dsyrk).
    public func covariance() -> Matrix<Double> {
        precondition(rows > 1, "covariance needs at least two samples")
        var means = [Double](repeating: 0, count: cols)
        var centred = self
        centred.data.withUnsafeMutableBufferPointer { a in
            for i in 0..<rows { for j in 0..<cols { means[j] += a[i * cols + j] } }
            for j in 0..<cols { means[j] /= Double(rows) }
            for i in 0..<rows { for j in 0..<cols { a[i * cols + j] -= means[j] } }
        }
        var c = Matrix<Double>(rows: cols, cols: cols)
        centred.data.withUnsafeBufferPointer { a in
            c.data.withUnsafeMutableBufferPointer { out in
                cblas_dsyrk(CblasRowMajor, CblasLower, CblasTrans, Int32(cols), Int32(rows), 1 / Double(rows - 1),
                            a.baseAddress!, Int32(cols), 0, out.baseAddress!, Int32(cols))
            }
        }
        for i in 0..<cols { for j in (i + 1)..<Swift.max(cols, i + 1) { c.data[i * cols + j] = c.data[j * cols + i] } }
        return c
    }
    /// Pearson correlation of the columns of a data matrix with samples in rows.
    public func correlation() -> Matrix<Double> {
        var c = covariance()
        let sd = (0..<cols).map { c[$0, $0].squareRoot() }
        for i in 0..<cols { for j in 0..<cols { c[i, j] /= (sd[i] * sd[j]) } }
        for i in 0..<cols { c[i, i] = 1 }
        return c
    }
}
