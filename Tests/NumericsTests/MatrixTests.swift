import XCTest
@testable import Numerics

final class MatrixTests: XCTestCase {
    func testGemmAgainstHandComputedProduct() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        XCTAssertEqual((a * b).nested, [[58, 64], [139, 154]])
        XCTAssertEqual(Matrix<Double>.product(a, transA: true, a).nested, [[17, 22, 27], [22, 29, 36], [27, 36, 45]])
        let af = Matrix<Float>([[1, 2], [3, 4]])
        XCTAssertEqual((af * af).nested, [[7, 10], [15, 22]])
    }

    func testCholeskyLogDetInverse() throws {
        let a = Matrix<Double>([[4, 2], [2, 3]])
        let l = try a.cholesky()
        XCTAssertEqual(l[0, 0], 2, accuracy: 1e-12)
        XCTAssertEqual(l[1, 0], 1, accuracy: 1e-12)
        XCTAssertEqual(l[0, 1], 0)
        XCTAssertEqual(l[1, 1], 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try a.logDeterminantSPD(), log(8.0), accuracy: 1e-12)
        let inv = try a.inverseSPD()
        XCTAssertEqual(inv.nested[0][0], 3.0 / 8, accuracy: 1e-12)
        XCTAssertEqual(inv.nested[0][1], -2.0 / 8, accuracy: 1e-12)
        XCTAssertEqual(inv.nested[1][0], -2.0 / 8, accuracy: 1e-12)
        XCTAssertThrowsError(try Matrix<Double>([[1, 2], [2, 1]]).cholesky())
    }

    func testSymmetricEigenAndSolve() throws {
        let a = Matrix<Double>([[2, 1], [1, 2]])
        let (w, v) = try a.symmetricEigen()
        XCTAssertEqual(w[0], 1, accuracy: 1e-12)
        XCTAssertEqual(w[1], 3, accuracy: 1e-12)
        XCTAssertEqual(abs(v[0, 1]), 1 / 2.0.squareRoot(), accuracy: 1e-12)
        let x = try a.solve([3, 3])
        XCTAssertEqual(x[0], 1, accuracy: 1e-12)
        XCTAssertEqual(x[1], 1, accuracy: 1e-12)
        XCTAssertThrowsError(try Matrix<Double>([[1, 1], [1, 1]]).solve([1, 2]))
    }
}

final class RandomTests: XCTestCase {
    func testSameSeedSameStreamAndKnownFirstValue() {
        var a = Xoshiro256(seed: 42), b = Xoshiro256(seed: 42)
        let xa = (0..<5).map { _ in a.next() }, xb = (0..<5).map { _ in b.next() }
        XCTAssertEqual(xa, xb)
        var c = Xoshiro256(seed: 43)
        XCTAssertNotEqual(xa[0], c.next())
        XCTAssertNotEqual(a.child(0).seed, a.child(1).seed)
    }

    func testNormalMomentsAndPermutation() {
        var r = Xoshiro256(seed: 7)
        let n = 200_000
        var s = 0.0, s2 = 0.0
        for _ in 0..<n { let x = r.normal(); s += x; s2 += x * x }
        XCTAssertEqual(s / Double(n), 0, accuracy: 0.01)
        XCTAssertEqual(s2 / Double(n), 1, accuracy: 0.01)
        XCTAssertEqual(r.permutation(50).sorted(), Array(0..<50))
        var counts = [0, 0, 0]
        for _ in 0..<30_000 { counts[r.categorical([1, 2, 3])] += 1 }
        XCTAssertEqual(Double(counts[2]) / 30_000, 0.5, accuracy: 0.02)
        var pm = 0.0
        for _ in 0..<20_000 { pm += Double(r.poisson(4.5)) }
        XCTAssertEqual(pm / 20_000, 4.5, accuracy: 0.06)
        var pl = 0.0
        for _ in 0..<20_000 { pl += Double(r.poisson(60)) }
        XCTAssertEqual(pl / 20_000, 60, accuracy: 0.3)
    }
}
