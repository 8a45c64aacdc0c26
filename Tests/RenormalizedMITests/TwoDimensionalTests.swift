import XCTest
import Numerics
@testable import RenormalizedMI

/// The bilinear 2-D histogram and its gradient, and the noise metric Σ(x) of Eq. (A1).
final class TwoDimensionalTests: XCTestCase {
    /// The analytic gradient of the bilinear 2-D entropy (with and without the range term) against central differences.
    func testLinear2DGradient() {
        var rng = Xoshiro256(seed: 21)
        let a = (0..<300).map { _ in rng.normal() }, b = a.map { 0.5 * $0 + rng.normal() }
        let w = (0..<300).map { _ in 0.5 + rng.uniform() }
        for range in [true, false] {
            let (_, ga, gb) = HistogramEntropy.entropy2DLinear(a, b, weights: w, bins: 9, rangeGradient: range)
            let iMin = a.indices.min { a[$0] < a[$1] }!, iMax = b.indices.max { b[$0] < b[$1] }!
            // Without the range term, only samples that are not extremes have the fixed-range gradient.
            for i in range ? [0, 7, 42, 199, iMin, iMax] : [0, 7, 42, 199].filter({ $0 != iMin && $0 != iMax }) {
                let eps = 1e-6
                func h(_ da: Double, _ db: Double) -> Double {
                    var aa = a, bb = b; aa[i] += da; bb[i] += db
                    return HistogramEntropy.entropy2DLinear(aa, bb, weights: w, bins: 9).value
                }
                XCTAssertEqual(ga[i], (h(eps, 0) - h(-eps, 0)) / (2 * eps), accuracy: 1e-5, "∂H/∂a[\(i)], range \(range)")
                XCTAssertEqual(gb[i], (h(0, eps) - h(0, -eps)) / (2 * eps), accuracy: 1e-5, "∂H/∂b[\(i)], range \(range)")
            }
        }
    }

    /// The bilinear 2-D entropy of a correlated Gaussian approaches the closed form, and its influence values average
    /// to the same entropy as `entropy2DLinear` (up to the interpolation of ln p̂).
    func testLinear2DEntropyOfGaussian() throws {
        let c = Matrix<Double>([[1, 0.5], [0.5, 2]])
        var rng = Xoshiro256(seed: 22)
        let x = try GaussianChecks.samples(c, count: 40_000, rng: &rng)
        let a = x.map { $0[0] }, b = x.map { $0[1] }
        let exact = try GaussianInformation.entropy(covariance: c)
        XCTAssertEqual(HistogramEntropy.entropy2DLinear(a, b, bins: 40).value, exact, accuracy: 0.03)
        XCTAssertEqual(Stats.mean(EntropyInfluence.twoDimensional(a, b, bins: 40, rule: .linear)), exact, accuracy: 0.03)
        let e = RenormalizedMI.estimate2D(a, b, logGradient: [Double](repeating: 0, count: a.count), bins: 40, rule: .linear, splits: 5)
        XCTAssertEqual(e.value, exact, accuracy: 4 * e.error + 0.02)
    }

    /// The noise metric Σ(x): for a constant Σ = LLᵀ, Ĩ_Σ(x, f) = Ĩ(z, f(Lz)) with z = L⁻¹x, so for a linear feature
    /// v·x of x ~ N(0, C) it is ½ln(2πe vᵀCv) − ½ln(vᵀΣv); a scalar Σ = c²I shifts Ĩ by −ln c exactly.
    func testNoiseMetric() throws {
        let cov = Matrix<Double>([[1, 0.5], [0.5, 2]]), sigma = Matrix<Double>([[0.5, 0.2], [0.2, 0.3]])
        var rng = Xoshiro256(seed: 23)
        let x = try GaussianChecks.samples(cov, count: 50_000, rng: &rng)
        let v = [0.6, 0.8]
        let f = x.map { v[0] * $0[0] + v[1] * $0[1] }, g = x.map { _ in v }
        let plain = RenormalizedMI.oneDimensional(values: f, gradients: g, bins: 200)
        let withMetric = RenormalizedMI.oneDimensional(values: f, gradients: g, bins: 200, metric: { _ in sigma })
        var vsv = 0.0, vcv = 0.0
        for i in 0..<2 { for j in 0..<2 { vsv += v[i] * sigma[i, j] * v[j]; vcv += v[i] * cov[i, j] * v[j] } }
        XCTAssertEqual(plain - withMetric, 0.5 * log(vsv), accuracy: 1e-12)
        XCTAssertEqual(withMetric, 0.5 * log(2 * Double.pi * M_E * vcv) - 0.5 * log(vsv), accuracy: 0.02)
        let scaled = RenormalizedMI.oneDimensional(values: f, gradients: g, bins: 200, metric: { _ in Matrix<Double>([[4, 0], [0, 4]]) })
        XCTAssertEqual(plain - scaled, log(2.0), accuracy: 1e-12)
        // A position-dependent Σ(x) = (1 + x₁²) I weights each sample's gradient term: ⟨½ ln(1 + x₁²)⟩ more.
        let local = RenormalizedMI.oneDimensional(values: f, gradients: g, bins: 200,
                                                  metric: { i in Matrix<Double>([[1 + x[i][0] * x[i][0], 0], [0, 1 + x[i][0] * x[i][0]]]) })
        XCTAssertEqual(plain - local, Stats.mean(x.map { 0.5 * log(1 + $0[0] * $0[0]) }), accuracy: 1e-10)
    }

    /// The fast subset mean used by the halves errors equals the mean influence of the subset, for both rules.
    func testSubsetMeanMatchesInfluence() {
        var rng = Xoshiro256(seed: 24)
        let y = (0..<500).map { _ -> Double in let a = rng.normal(); return a + 0.3 * a * a * a }
        let idx = HalvesErrors.halves(count: 500, splits: 1)[0]
        for rule in HistogramRule.allCases {
            XCTAssertEqual(EntropyInfluence.mean(y, indices: idx, bins: 40, rule: rule),
                           Stats.mean(EntropyInfluence.oneDimensional(HalvesErrors.pick(y, idx), bins: 40, rule: rule)), accuracy: 1e-12)
        }
    }
}
