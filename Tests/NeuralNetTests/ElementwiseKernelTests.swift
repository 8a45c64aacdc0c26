import XCTest
import Foundation
import ElementwiseKernels
@testable import NeuralNet

/// The C kernels (dispatched to AVX-512/AVX2/baseline at load time) must give exactly the Swift reference results.
final class ElementwiseKernelTests: XCTestCase {
    func testTanhKernelsMatchSwiftBitForBit() {
        let n = 1003 // not a multiple of any vector width
        let x = (0..<n).map { Float($0 - n / 2) * 0.021 }
        var y = x
        y.withUnsafeMutableBufferPointer { ek_tanh_inplace($0.baseAddress!, n) }
        for i in 0..<n {
            XCTAssertEqual(y[i], fastTanh(x[i]), "x = \(x[i])")
            XCTAssertEqual(Double(y[i]), Foundation.tanh(Double(x[i])), accuracy: 2e-6)
        }
        let u = (0..<n).map { Float(sin(Double($0))) }, v = (0..<n).map { Float(cos(Double($0) * 0.7)) }
        var out = [Float](repeating: 0, count: n), zbar = out, ubar = out, dz = out
        ek_tanh_slope_product(&out, u, y, n)
        ek_tanh_slope_adjoint(&zbar, &ubar, v, u, y, n)
        ek_tanh_slope_backward(&dz, v, u, y, n)
        for i in 0..<n {
            let s = 1 - y[i] * y[i]
            XCTAssertEqual(out[i], u[i] * s)
            XCTAssertEqual(zbar[i], v[i] * u[i] * (-2 * y[i] * s))
            XCTAssertEqual(ubar[i], v[i] * s)
            XCTAssertEqual(dz[i], v[i] * s + u[i])
        }
    }
}
