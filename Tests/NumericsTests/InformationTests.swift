import XCTest
@testable import Numerics

final class PinnedStreamTests: XCTestCase {
    /// First outputs of xoshiro256** seeded by SplitMix64(42), computed independently (Python reference).
    func testStreamIsPinned() {
        var r = Xoshiro256(seed: 42)
        XCTAssertEqual([r.next(), r.next(), r.next()], [1546998764402558742, 6990951692964543102, 12544586762248559009])
    }
}

final class DiscreteInformationTests: XCTestCase {
    /// Counts of the peer's sample: numpy default_rng(0).choice(32, 50, p ∝ 1/k).
    let zipfCounts = [10, 6, 4, 1, 3, 2, 4, 2, 3, 1, 2, 0, 0, 0, 2, 1, 0, 1, 1, 0, 2, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0, 1]

    func testZipfPeerValues() {
        XCTAssertEqual(zipfCounts.reduce(0, +), 50)
        XCTAssertEqual(DiscreteInformation.entropy(counts: zipfCounts), 3.919080, accuracy: 1e-6)
        XCTAssertEqual(DiscreteInformation.millerMadowEntropy(counts: zipfCounts), 4.193192, accuracy: 1e-6)
        XCTAssertEqual(DiscreteInformation.entropy(counts: zipfCounts, unit: .nats), 3.919080 * log(2), accuracy: 1e-6)
    }

    func testXorTotalAndDualTotalCorrelation() {
        var samples = [[Int]]()
        for a in 0...1 { for b in 0...1 { samples.append([a, b, a ^ b]) } }
        XCTAssertEqual(DiscreteInformation.totalCorrelation(samples), 1, accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.dualTotalCorrelation(samples), 2, accuracy: 1e-12)
        // Three independent bits: both vanish.
        var ind = [[Int]]()
        for a in 0...1 { for b in 0...1 { for c in 0...1 { ind.append([a, b, c]) } } }
        XCTAssertEqual(DiscreteInformation.totalCorrelation(ind), 0, accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.dualTotalCorrelation(ind), 0, accuracy: 1e-12)
    }

    func testMutualInformationAndConditionalEntropy() {
        let x = [0, 0, 1, 1, 0, 0, 1, 1], y = [0, 0, 1, 1, 1, 1, 0, 0]
        XCTAssertEqual(DiscreteInformation.mutualInformation(x, x), 1, accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.mutualInformation(x, y), 0, accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.conditionalEntropy(y, given: x), 1, accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.mutualInformation(joint: [[3, 1], [1, 3]]),
                       1 - DiscreteInformation.entropy(probabilities: [0.75, 0.25]), accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.klDivergence([0.5, 0.5], [0.25, 0.75]), 0.5 * log2(2) + 0.5 * log2(2.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(DiscreteInformation.klDivergence([1, 0], [0, 1]), .infinity)
        XCTAssertEqual(DiscreteInformation.binaryWord([1, 0, 1, 1]), 0b1101)
    }

    func testStrongExtrapolationRecoversInfiniteDataLimit() throws {
        // A synthetic estimator with bias 3/N: the fit must recover I∞ = 1.
        var rng = Xoshiro256(seed: 3)
        let r = try SampleSizeExtrapolation.extrapolate(count: 1000, repeats: 4, rng: &rng) { idx in 1 + 3 / Double(idx.count) }
        XCTAssertEqual(r.value, 1, accuracy: 1e-9)
        XCTAssertEqual(r.sizes.first, 1000)
        // Plug-in entropy of a uniform 16-symbol source is biased low; extrapolation removes most of the bias.
        var src = Xoshiro256(seed: 5)
        let data = (0..<400).map { _ in src.int(below: 16) }
        let plug = DiscreteInformation.entropy(samples: data)
        let ex = try SampleSizeExtrapolation.extrapolate(count: data.count, repeats: 20, rng: &rng) { idx in
            DiscreteInformation.entropy(samples: idx.map { data[$0] })
        }
        XCTAssertLessThan(abs(ex.value - 4), abs(plug - 4))
    }

    func testResamplingErrorsScaleLikeTheStandardError() {
        var rng = Xoshiro256(seed: 11)
        let x = (0..<2000).map { _ in rng.normal() }
        let boot = Resampling.bootstrapError(count: x.count, replicates: 200, rng: &rng) { idx in Stats.mean(idx.map { x[$0] }) }
        XCTAssertEqual(boot.error, 1 / 2000.0.squareRoot(), accuracy: 0.006)
        let halves = Resampling.randomHalves(count: x.count, splits: 50, rng: &rng) { idx in Stats.mean(idx.map { x[$0] }) }
        XCTAssertEqual(halves.error, 1 / 2000.0.squareRoot(), accuracy: 0.008)
    }
}

final class GaussianInformationTests: XCTestCase {
    func testBivariateNormalClosedForm() throws {
        let c = Matrix<Double>([[1, 0.8], [0.8, 1]])
        XCTAssertEqual(try GaussianInformation.mutualInformation(c, [0], [1], unit: .bits), 0.736966, accuracy: 1e-6)
        XCTAssertEqual(try GaussianInformation.totalCorrelation(c, unit: .bits), 0.736966, accuracy: 1e-6)
        XCTAssertEqual(try GaussianInformation.entropy(covariance: Matrix<Double>([[1]])), 0.5 * log(2 * Double.pi * M_E), accuracy: 1e-12)
    }

    func testCopulaOfMonotoneTransformedSamples() throws {
        var rng = Xoshiro256(seed: 2)
        let n = 20000
        var data = [Double]()
        for _ in 0..<n {
            let a = rng.normal(), b = 0.8 * a + 0.6 * rng.normal()
            data += [exp(a), b * b * b] // monotone transforms leave the copula unchanged
        }
        let g = GaussianInformation.copula(columnsOf: Matrix(rows: n, cols: 2, data: data))
        let mi = try GaussianInformation.mutualInformation(g.correlation(), [0], [1], unit: .bits)
        XCTAssertEqual(mi, 0.736966, accuracy: 0.02)
    }

    func testRanksAndInverseNormal() {
        XCTAssertEqual(GaussianInformation.ranks([3, 1, 3, 2]), [3.5, 1, 3.5, 2])
        XCTAssertEqual(Special.inverseNormalCDF(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(Special.inverseNormalCDF(1e-10), -6.361340902404056, accuracy: 1e-9)
        for p in [0.001, 0.2, 0.5, 0.7, 0.999] { XCTAssertEqual(Special.normalCDF(Special.inverseNormalCDF(p)), p, accuracy: 1e-12) }
        XCTAssertEqual(Special.digamma(1), -0.5772156649015329, accuracy: 1e-12)
        XCTAssertEqual(Special.logSumExp([1000, 1000]), 1000 + log(2), accuracy: 1e-12)
    }
}

final class StatisticsTests: XCTestCase {
    func testLeastSquaresAndLinearFit() throws {
        let x = [0.0, 1, 2, 3, 4], y = x.map { 2 + 3 * $0 }
        var design = Matrix<Double>(rows: 5, cols: 2)
        for i in 0..<5 { design[i, 0] = 1; design[i, 1] = x[i] }
        let beta = try Stats.leastSquares(design: design, y)
        XCTAssertEqual(beta[0], 2, accuracy: 1e-10); XCTAssertEqual(beta[1], 3, accuracy: 1e-10)
        let f = Stats.linearFit(x, y)
        XCTAssertEqual(f.slope, 3, accuracy: 1e-12); XCTAssertEqual(f.intercept, 2, accuracy: 1e-12)
        XCTAssertEqual(Stats.median([5, 1, 3, 2]), 2.5)
        XCTAssertEqual(Stats.quantile([1, 2, 3, 4, 5], 0.25), 2)
        XCTAssertEqual(Stats.histogram([0.1, 0.2, 0.9, 5], bins: 2, lo: 0, hi: 1), [2, 2])
    }

    func testKernelDensityIntegratesToOne() {
        var rng = Xoshiro256(seed: 9)
        let x = (0..<500).map { _ in rng.normal() }
        let grid = Stats.linspace(-6, 6, 601)
        let d = Stats.kernelDensity(x, grid: grid)
        XCTAssertEqual(d.reduce(0, +) * 0.02, 1, accuracy: 0.01)
    }
}
