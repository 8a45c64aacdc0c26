import XCTest
import Numerics
@testable import NeuralNet

/// The vectorised activation backward passes (ReLU's eight-lane select, tanh's 1 − h² from the stored forward output)
/// must give exactly the scalar formulas: σ′ applied to the upstream gradient, bit for bit, at every length.
final class ActivationBackwardTests: XCTestCase {
    func testReluBackwardMatchesScalarBitForBit() {
        for n in [0, 1, 7, 8, 9, 64, 1003] { // below, at and off the lane width
            var rng = Xoshiro256(seed: UInt64(n))
            var z = (0..<n).map { _ in Float(rng.normal()) }
            if n > 4 { z[0] = 0; z[1] = -0.0; z[2] = .nan; z[3] = .infinity; z[4] = -.infinity }
            let g = (0..<n).map { _ in Float(rng.normal()) }
            let layer = Activation(.relu)
            _ = layer.forward(Matrix(rows: 1, cols: n, data: z), training: true)
            let out = layer.backward(Matrix(rows: 1, cols: n, data: g))
            for i in 0..<n {
                let expected: Float = z[i] > 0 ? g[i] : 0
                XCTAssertEqual(out.data[i].bitPattern, expected.bitPattern, "n = \(n), i = \(i), z = \(z[i])")
            }
        }
    }

    func testTanhBackwardMatchesScalarBitForBit() {
        let n = 1003
        var rng = Xoshiro256(seed: 3)
        let z = (0..<n).map { _ in Float(3 * rng.normal()) }, g = (0..<n).map { _ in Float(rng.normal()) }
        let layer = Activation(.tanh)
        _ = layer.forward(Matrix(rows: 1, cols: n, data: z), training: true)
        let out = layer.backward(Matrix(rows: 1, cols: n, data: g))
        for i in 0..<n {
            let t = fastTanh(z[i])
            XCTAssertEqual(out.data[i].bitPattern, (g[i] * (1 - t * t)).bitPattern, "z = \(z[i])")
        }
    }
}
