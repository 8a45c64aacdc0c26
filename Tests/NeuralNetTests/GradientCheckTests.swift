import XCTest
import Numerics
@testable import NeuralNet

/// Finite-difference checks of every backward pass, and small training runs.
final class GradientCheckTests: XCTestCase {
    func randomMatrix(_ r: Int, _ c: Int, _ rng: inout Xoshiro256) -> Matrix<Float> {
        Matrix(rows: r, cols: c, data: (0..<(r * c)).map { _ in Float(rng.normal()) })
    }

    /// Compares analytic parameter gradients of `loss` with central differences on a sample of coordinates.
    func checkParameters(_ net: Sequential, loss: () -> Float, analytic: () -> Void, tolerance: Float = 2e-2, step: Float = 1e-2,
                         file: StaticString = #filePath, line: UInt = #line) {
        net.zeroGrad()
        analytic()
        let grads = net.parameters.map(\.grad)
        for (pi, p) in net.parameters.enumerated() {
            for i in stride(from: 0, to: p.value.count, by: max(1, p.value.count / 7)) {
                let old = p.value[i], h = step
                p.value[i] = old + h; let lp = loss()
                p.value[i] = old - h; let lm = loss()
                p.value[i] = old
                let fd = (lp - lm) / (2 * h), an = grads[pi][i]
                XCTAssertEqual(an, fd, accuracy: tolerance * max(1, abs(fd)), "param \(pi)[\(i)]", file: file, line: line)
            }
        }
    }

    func testDenseTanhReluMSE() {
        var rng = Xoshiro256(seed: 1)
        let net = Sequential([Dense(3, 5, initialization: .glorot, rng: &rng), Activation(.tanh),
                              Dense(5, 4, rng: &rng), Activation(.relu), Dense(4, 2, rng: &rng)])
        let x = randomMatrix(6, 3, &rng), y = randomMatrix(6, 2, &rng)
        checkParameters(net, loss: { Loss.meanSquaredError(net.forward(x), y).loss },
                        analytic: { net.backward(Loss.meanSquaredError(net.forward(x), y).gradient) }, step: 2e-3)
    }

    func testBatchNormSoftmaxCrossEntropy() {
        var rng = Xoshiro256(seed: 2)
        let net = Sequential.mlp(widths: [4, 6, 3], batchNorm: true, rng: &rng)
        let x = randomMatrix(8, 4, &rng), labels = (0..<8).map { $0 % 3 }
        checkParameters(net, loss: {
            let before = net.layers.compactMap { $0 as? BatchNorm }.map { ($0.runningMean, $0.runningVar) }
            let l = Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: labels).loss
            for (bn, s) in zip(net.layers.compactMap { $0 as? BatchNorm }, before) { bn.runningMean = s.0; bn.runningVar = s.1 }
            return l
        }, analytic: { net.backward(Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: labels).gradient) })
    }

    func testSoftmaxBackwardMatchesFiniteDifferences() {
        var rng = Xoshiro256(seed: 3)
        let z = randomMatrix(2, 4, &rng), w = randomMatrix(2, 4, &rng)
        let f: (Matrix<Float>) -> Float = { zz in zip(Loss.softmax(zz).data, w.data).map { abs($0 - $1) }.reduce(0, +) }
        let p = Loss.softmax(z)
        let gp = p.zipMap(w) { $0 > $1 ? 1 : -1 }
        let g = Loss.softmaxBackward(probabilities: p, gradProbabilities: gp)
        for i in 0..<z.data.count {
            var zp = z, zm = z
            zp.data[i] += 1e-3; zm.data[i] -= 1e-3
            XCTAssertEqual(g.data[i], (f(zp) - f(zm)) / 2e-3, accuracy: 1e-2)
        }
    }

    func testInputGradient() {
        var rng = Xoshiro256(seed: 4)
        let net = Sequential.mlp(widths: [3, 8, 8, 1], activation: .tanh, initialization: .glorot, rng: &rng)
        let x = randomMatrix(5, 3, &rng)
        let g = net.inputGradient(x)
        for i in 0..<x.data.count {
            var xp = x, xm = x
            xp.data[i] += 1e-2; xm.data[i] -= 1e-2
            let fd = (net.forward(xp).data.reduce(0, +) - net.forward(xm).data.reduce(0, +)) / 2e-2
            XCTAssertEqual(g.data[i], fd, accuracy: 1e-2)
        }
        XCTAssertTrue(net.parameters.allSatisfy { $0.grad.allSatisfy { $0 == 0 } }, "input gradients leave parameter grads alone")
    }

    func testJacobianModeGradients() {
        var rng = Xoshiro256(seed: 5)
        for kind in [Activation.Kind.tanh, .softplus, .sigmoid] {
            let net = Sequential.mlp(widths: [2, 6, 5, 1], activation: kind, initialization: .glorot, rng: &rng)
            let x = randomMatrix(7, 2, &rng)
            // Jacobian agrees with the input gradient.
            let (f, j) = net.forwardWithJacobian(x)
            let gx = net.inputGradient(x)
            for i in 0..<7 { for k in 0..<2 { XCTAssertEqual(j[k][i, 0], gx[i, k], accuracy: 1e-5) } }
            XCTAssertEqual(f.data, net.forward(x).data)
            // L = Σ 0.3 f + Σ log(|∇f|² + 0.1): depends on the Jacobian, like the renormalized MI.
            func loss() -> Float {
                let (ff, jj) = net.forwardWithJacobian(x)
                var s: Float = 0
                for i in 0..<7 { s += 0.3 * ff[i, 0] + log(jj[0][i, 0] * jj[0][i, 0] + jj[1][i, 0] * jj[1][i, 0] + 0.1) }
                return s
            }
            checkParameters(net, loss: loss, analytic: {
                let (_, jj) = net.forwardWithJacobian(x)
                let gf = Matrix<Float>(rows: 7, cols: 1, repeating: 0.3)
                var g0 = Matrix<Float>(rows: 7, cols: 1), g1 = Matrix<Float>(rows: 7, cols: 1)
                for i in 0..<7 {
                    let n2 = jj[0][i, 0] * jj[0][i, 0] + jj[1][i, 0] * jj[1][i, 0] + 0.1
                    g0[i, 0] = 2 * jj[0][i, 0] / n2; g1[i, 0] = 2 * jj[1][i, 0] / n2
                }
                net.backwardWithJacobian(gf, [g0, g1])
            }, tolerance: 3e-2)
        }
    }
}

final class DoubleBackpropTests: XCTestCase {
    /// Reverse-over-reverse must give the same f, ∇ₓf and parameter gradients as the tangent mode.
    func testMatchesTangentMode() {
        for kind in [Activation.Kind.tanh, .softplus, .relu] {
            var rng = Xoshiro256(seed: 21)
            let net = Sequential.mlp(widths: [2, 7, 6, 1], activation: kind, initialization: .glorot, rng: &rng)
            let x = Matrix<Float>(rows: 9, cols: 2, data: (0..<18).map { _ in Float(rng.normal()) })
            func lossGrads(_ f: Matrix<Float>, _ j0: [Float], _ j1: [Float]) -> (Matrix<Float>, Matrix<Float>, Matrix<Float>) {
                let gf = Matrix<Float>(rows: 9, cols: 1, repeating: 0.3)
                var g0 = Matrix<Float>(rows: 9, cols: 1), g1 = Matrix<Float>(rows: 9, cols: 1)
                for i in 0..<9 { let n2 = j0[i] * j0[i] + j1[i] * j1[i] + 0.1; g0.data[i] = 2 * j0[i] / n2; g1.data[i] = 2 * j1[i] / n2 }
                return (gf, g0, g1)
            }
            net.zeroGrad()
            let (f, jac) = net.forwardWithJacobian(x)
            let (gf, g0, g1) = lossGrads(f, jac[0].data, jac[1].data)
            net.backwardWithJacobian(gf, [g0, g1])
            let tangentGrads = net.parameters.map(\.grad)
            net.zeroGrad()
            let (f2, grad, tape) = net.forwardWithInputGradient(x)
            XCTAssertEqual(f2.data, f.data)
            for i in 0..<9 { XCTAssertEqual(grad[i, 0], jac[0].data[i], accuracy: 1e-5); XCTAssertEqual(grad[i, 1], jac[1].data[i], accuracy: 1e-5) }
            var gg = Matrix<Float>(rows: 9, cols: 2)
            for i in 0..<9 { gg[i, 0] = g0.data[i]; gg[i, 1] = g1.data[i] }
            net.backwardWithInputGradient(gf, gg, tape: tape)
            for (a, b) in zip(tangentGrads, net.parameters.map(\.grad)) {
                for k in a.indices { XCTAssertEqual(a[k], b[k], accuracy: 1e-4 * max(1, abs(a[k])), "\(kind)") }
            }
        }
    }
}

final class TiledInputGradientTests: XCTestCase {
    /// The cache-blocked engine must reproduce the layer-by-layer reverse-over-reverse pass for every activation, with
    /// ragged last tiles and several threads.
    func testMatchesLayerByLayerPass() {
        for kind in [Activation.Kind.tanh, .sigmoid, .softplus, .relu] {
            for (tile, threads) in [(8, 1), (5, 3), (64, 2)] {
                var rng = Xoshiro256(seed: 5)
                let rows = 37
                let net = Sequential.mlp(widths: [3, 7, 9, 6, 1], activation: kind, initialization: .glorot, rng: &rng)
                let x = (0..<(rows * 3)).map { _ in Float(rng.normal()) }
                let gfData = (0..<rows).map { _ in Float(rng.normal()) }, ggData = (0..<(rows * 3)).map { _ in Float(rng.normal()) }
                net.zeroGrad()
                let (f, grad, tape) = net.forwardWithInputGradient(Matrix(rows: rows, cols: 3, data: x))
                net.backwardWithInputGradient(Matrix(rows: rows, cols: 1, data: gfData), Matrix(rows: rows, cols: 3, data: ggData), tape: tape)
                let reference = net.parameters.map(\.grad)
                net.zeroGrad()
                let engine = TiledInputGradient(network: net, tileRows: tile, threads: threads)
                let (f2, grad2) = engine.evaluate(x)
                for i in 0..<rows { XCTAssertEqual(f2[i], f.data[i], accuracy: 1e-5 * max(1, abs(f.data[i]))) }
                for i in grad.data.indices { XCTAssertEqual(grad2[i], grad.data[i], accuracy: 1e-5 * max(1, abs(grad.data[i]))) }
                engine.accumulateGradients(gradOutput: gfData, gradGradient: ggData)
                for (a, b) in zip(reference, net.parameters.map(\.grad)) {
                    XCTAssertEqual(a.count, b.count)
                    for k in a.indices { XCTAssertEqual(b[k], a[k], accuracy: 1e-4 * max(1, abs(a[k])), "\(kind) tile \(tile)") }
                }
                // A second call accumulates rather than overwrites.
                engine.accumulateGradients(gradOutput: gfData, gradGradient: ggData)
                XCTAssertEqual(net.parameters[0].grad[0], 2 * reference[0][0], accuracy: 1e-4 * max(1, abs(reference[0][0])))
            }
        }
    }
}

extension TiledInputGradientTests {
    /// Threads take tiles from a shared queue and each tile accumulates into its own buffer, summed in tile order: the
    /// outputs and parameter gradients are the same bits for 2, 3 and 5 threads, and f, ∇ₓf equal the 1-thread values.
    func testSharedTileQueueIsDeterministicForAnyThreadCount() {
        for kind in [Activation.Kind.tanh, .relu] {
            var rng = Xoshiro256(seed: 11)
            let rows = 203
            let net = Sequential.mlp(widths: [3, 16, 16, 1], activation: kind, initialization: .glorot, rng: &rng)
            let x = (0..<(rows * 3)).map { _ in Float(rng.normal()) }
            let gf = (0..<rows).map { _ in Float(rng.normal()) }, gg = (0..<(rows * 3)).map { _ in Float(rng.normal()) }
            func run(_ threads: Int) -> (f: [Float], g: [Float], grads: [[Float]]) {
                net.zeroGrad()
                let engine = TiledInputGradient(network: net, tileRows: 16, threads: threads)
                let (f, g) = engine.evaluate(x)
                engine.accumulateGradients(gradOutput: gf, gradGradient: gg)
                // a second batch through the same engine reuses (and re-zeroes) the per-tile buffers
                _ = engine.evaluate(x)
                engine.accumulateGradients(gradOutput: gf, gradGradient: gg)
                return (f, g, net.parameters.map(\.grad))
            }
            let one = run(1), two = run(2)
            XCTAssertEqual(two.f, one.f, "\(kind)"); XCTAssertEqual(two.g, one.g, "\(kind)")
            for t in [3, 5] {
                let r = run(t)
                XCTAssertEqual(r.f, two.f, "\(kind) \(t) threads"); XCTAssertEqual(r.g, two.g)
                XCTAssertEqual(r.grads, two.grads, "\(kind): \(t) threads must give the 2-thread gradient bits")
            }
            for (a, b) in zip(one.grads, two.grads) {
                for k in a.indices { XCTAssertEqual(b[k], a[k], accuracy: 1e-4 * max(1, abs(a[k]))) }
            }
        }
    }
}

final class InferenceModeTests: XCTestCase {
    /// Batch normalisation in inference mode is an affine map; its input gradient must match finite differences.
    func testBatchNormInputGradientInInferenceMode() {
        var rng = Xoshiro256(seed: 1)
        let net = Sequential.mlp(widths: [3, 4, 1], activation: .tanh, batchNorm: true, rng: &rng)
        _ = net.forward(Matrix<Float>(rows: 8, cols: 3, data: (0..<24).map { _ in Float(rng.normal()) }), training: true)
        let x = Matrix<Float>(rows: 5, cols: 3, data: (0..<15).map { _ in Float(rng.normal()) })
        let g = net.inputGradient(x)
        for i in 0..<15 {
            var xp = x, xm = x
            xp.data[i] += 1e-2; xm.data[i] -= 1e-2
            let fd = (net.forward(xp).data.reduce(0, +) - net.forward(xm).data.reduce(0, +)) / 2e-2
            XCTAssertEqual(g.data[i], fd, accuracy: 1e-2)
        }
    }

    func testCrossEntropyIsExactForLargeMargins() {
        XCTAssertEqual(Loss.softmaxCrossEntropy(Matrix<Float>([[200, 0]]), labels: [1]).loss, 200, accuracy: 1e-3)
    }
}

final class TrainingTests: XCTestCase {
    func testLearnsXORWithSGDAndAdam() {
        let x = Matrix<Float>([[0, 0], [0, 1], [1, 0], [1, 1]]), labels = [0, 1, 1, 0]
        for useAdam in [false, true] {
            var rng = Xoshiro256(seed: 7)
            let net = Sequential.mlp(widths: [2, 16, 2], activation: .tanh, initialization: .glorot, rng: &rng)
            let opt: Optimizer = useAdam ? Adam(learningRate: 0.05) : SGD(learningRate: 0.2, momentum: 0.9)
            var loss: Float = 10
            for _ in 0..<400 {
                let ce = Loss.softmaxCrossEntropy(net.forward(x, training: true), labels: labels)
                loss = ce.loss
                net.backward(ce.gradient)
                opt.step(net.parameters)
            }
            XCTAssertLessThan(loss, 0.05, useAdam ? "Adam" : "SGD")
        }
    }

    func testSameSeedSameTraining() {
        func train() -> [Float] {
            var rng = Xoshiro256(seed: 9)
            let net = Sequential.mlp(widths: [3, 10, 1], batchNorm: true, rng: &rng)
            let x = Matrix<Float>(rows: 64, cols: 3, data: (0..<192).map { _ in Float(rng.normal()) })
            let y = Matrix<Float>(rows: 64, cols: 1, data: (0..<64).map { i in x.data[3 * i] - 2 * x.data[3 * i + 1] })
            let opt = SGD(learningRate: 0.05, momentum: 0.9, weightDecay: 0.005)
            for _ in 0..<5 {
                for b in miniBatches(count: 64, batchSize: 16, rng: &rng) {
                    let (_, g) = Loss.meanSquaredError(net.forward(x.selectingRows(b), training: true), y.selectingRows(b))
                    net.backward(g); opt.step(net.parameters)
                }
            }
            return net.parameters.flatMap(\.value)
        }
        XCTAssertEqual(train(), train())
    }
}
