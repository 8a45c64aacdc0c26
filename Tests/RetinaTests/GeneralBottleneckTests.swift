import XCTest
import Numerics
@testable import Retina

/// `retina.bottleneck`'s method on a generated raster with a known answer: σ0 = σ1 AND σ2 exactly, beside two cells of
/// pure noise. Its two best partners are cells 1 and 2; two compressed states ({σ1σ2 = 11} and the rest) keep all of
/// I(σ0;{σ1,σ2}) = H(σ0), one state keeps nothing.
final class GeneralBottleneckTests: XCTestCase {
    func testAndOfTwoPartnersIsCompressedExactlyIntoTwoStates() throws {
        let repeats = 10, bins = 400, n = repeats * bins
        var rng = Xoshiro256(seed: 5)
        let s1 = (0..<n).map { _ in UInt8(rng.uniform() < 0.5 ? 1 : 0) }, s2 = (0..<n).map { _ in UInt8(rng.uniform() < 0.5 ? 1 : 0) }
        let noise = (0..<2).map { _ in (0..<n).map { _ in UInt8(rng.uniform() < 0.3 ? 1 : 0) } }
        let s0 = zip(s1, s2).map { $0 & $1 }
        let raster = SpikeRaster(repeats: repeats, neurons: 5, bins: bins, spikes: [s0, s1, s2] + noise)
        let mi = PartnerRanking.pairwiseInformation(raster)
        let c = try GeneralBottleneck.curve(raster: raster, mi: mi, target: 0, partners: 2, states: [1, 2, 3, 4], restarts: 3,
                                            splits: 5, orders: [1, 2, 3], costSplits: 3, trainFraction: 0.6, ridge: 1, seed: 1)
        XCTAssertEqual(Set(c.partners), [1, 2])
        let p = Double(s0.reduce(0) { $0 + Int($1) }) / Double(n)
        let h = -(p * log2(p) + (1 - p) * log2(1 - p))
        XCTAssertEqual(c.available, h, accuracy: 1e-12)
        XCTAssertEqual(c.exact[0], 0, accuracy: 1e-12)
        XCTAssertEqual(c.iterative[0], 0, accuracy: 1e-12)
        for i in 1..<4 {
            XCTAssertEqual(c.exact[i], h, accuracy: 1e-12, "M = \(c.states[i])")
            XCTAssertEqual(c.iterative[i], h, accuracy: 1e-12, "M = \(c.states[i])")
            // Every half compresses exactly too, so FI = 1 with no spread.
            XCTAssertEqual(c.exactFraction[i], 1, accuracy: 1e-12)
            XCTAssertEqual(c.exactFractionError[i], 0, accuracy: 1e-12)
        }
        XCTAssertGreaterThan(c.availableError, 0)
        XCTAssertLessThan(c.availableError, 0.05 * c.available)
        // The coding cost is relative to the independent code (order 1: C = 1); order 3 holds the AND term σ0σ1σ2, so
        // it codes σ0 almost perfectly (the ridge keeps C a little above 0).
        XCTAssertEqual(c.parameters, [1, 3, 4])
        XCTAssertEqual(c.codingCost[0], 1, accuracy: 1e-9)
        XCTAssertLessThan(c.codingCost[2], 0.05)
        XCTAssertLessThan(c.codingCostTest[2], 0.05)
    }

    func testExactBoundsIterativeOnNoisyData() throws {
        let repeats = 20, bins = 300, n = repeats * bins
        var rng = Xoshiro256(seed: 9)
        let partners = (0..<6).map { _ in (0..<n).map { _ in UInt8(rng.uniform() < 0.3 ? 1 : 0) } }
        let s0 = (0..<n).map { i -> UInt8 in
            let field = -1.5 + (0..<6).reduce(0.0) { $0 + Double(partners[$1][i]) * (0.4 + 0.2 * Double($1)) }
            return UInt8(rng.uniform() < 1 / (1 + exp(-field)) ? 1 : 0)
        }
        let raster = SpikeRaster(repeats: repeats, neurons: 7, bins: bins, spikes: [s0] + partners)
        let c = try GeneralBottleneck.curve(raster: raster, mi: PartnerRanking.pairwiseInformation(raster), target: 0, partners: 6,
                                            states: Array(1...10), restarts: 3, splits: 4, orders: [1, 2, 3, 4], costSplits: 3,
                                            trainFraction: 0.6, ridge: 1, seed: 2)
        for i in c.states.indices {
            XCTAssertLessThanOrEqual(c.iterative[i], c.exact[i] + 1e-12)
            XCTAssertLessThanOrEqual(c.exact[i], c.available + 1e-12)
            if i > 0 {
                XCTAssertGreaterThanOrEqual(c.exact[i], c.exact[i - 1] - 1e-12)
                XCTAssertGreaterThanOrEqual(c.iterative[i], c.iterative[i - 1])
            }
            XCTAssertTrue(c.exactFractionError[i].isFinite && c.exactFractionError[i] >= 0)
        }
        XCTAssertTrue(c.availableError.isFinite && c.availableError > 0)
        // Higher orders fit at least as well on the data they were fitted to.
        XCTAssertLessThanOrEqual(c.codingCost[3], c.codingCost[2] + 1e-9)
        XCTAssertLessThanOrEqual(c.codingCost[2], c.codingCost[1] + 1e-9)
    }
}
