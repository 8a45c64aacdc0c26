import XCTest
import Numerics
@testable import Retina

/// A synthetic raster: neuron 0 is a noisy function of neurons 1–3; the others are independent noise.
func syntheticRaster(repeats: Int = 20, neurons: Int = 12, bins: Int = 100, seed: UInt64 = 1) -> SpikeRaster {
    var rng = Xoshiro256(seed: seed)
    var sp = [[UInt8]](repeating: [UInt8](repeating: 0, count: repeats * bins), count: neurons)
    let drive = (0..<bins).map { _ in rng.uniform() }   // a stimulus shared by the repeats
    for s in 0..<(repeats * bins) {
        let t = s % bins
        for n in 1..<neurons { sp[n][s] = rng.uniform() < 0.1 + 0.4 * drive[t] * Double(n % 2) ? 1 : 0 }
        let x = Int(sp[1][s]) + Int(sp[2][s]) + Int(sp[3][s])
        sp[0][s] = rng.uniform() < [0.05, 0.5, 0.2, 0.9][x] ? 1 : 0
    }
    return SpikeRaster(repeats: repeats, neurons: neurons, bins: bins, spikes: sp)
}

final class SeriesAndDataTests: XCTestCase {
    func testParameterCountsOfTheTruncations() {
        XCTAssertEqual((1...5).map { SeriesExpansion(partners: 8, order: $0).parameterCount }, [1, 9, 37, 93, 163])
    }

    func testCodingCostOfIndependentModelIsOneAndFullModelIsZero() throws {
        let r = syntheticRaster()
        let rc = RepeatCounts(codes: r.codes([1, 2, 3]), size: 8, target: r.spikes[0], repeats: r.repeats, bins: r.bins)
        let j = rc.joint()
        let ind = try SeriesExpansion(partners: 3, order: 1).fit(j, ridge: 0)
        XCTAssertEqual(SeriesExpansion.codingCost(approx: ind, independent: ind, on: j), 1, accuracy: 1e-9)
        let full = try SeriesExpansion(partners: 3, order: 4).fit(j, ridge: 0)   // saturated: 8 parameters for 8 states
        XCTAssertEqual(SeriesExpansion.codingCost(approx: full, independent: ind, on: j), 0, accuracy: 1e-6)
        let pair = try SeriesExpansion(partners: 3, order: 2).fit(j, ridge: 0)
        let c2 = SeriesExpansion.codingCost(approx: pair, independent: ind, on: j)
        XCTAssertGreaterThan(c2, 0.01); XCTAssertLessThan(c2, 1)   // the generating field is not pairwise
    }

    func testCodesCountsAndPairwiseInformation() {
        let r = syntheticRaster()
        let codes = r.codes([1, 2])
        for s in [0, 17, 555] { XCTAssertEqual(Int(codes[s]), Int(r.spikes[1][s]) + 2 * Int(r.spikes[2][s])) }
        let rc = RepeatCounts(codes: codes, size: 4, target: r.spikes[0], repeats: r.repeats, bins: r.bins)
        XCTAssertEqual(rc.joint().total, Double(r.samples))
        XCTAssertEqual(rc.joint(repeats: [0, 1]).total, Double(2 * r.bins))
        let mi = PartnerRanking.pairwiseInformation(r)
        let direct = DiscreteInformation.mutualInformation(r.spikes[0].map(Int.init), r.spikes[2].map(Int.init))
        XCTAssertEqual(mi[0][2], direct, accuracy: 1e-12)
        XCTAssertEqual(Set(PartnerRanking.ranked(mi, target: 0).prefix(3)), [1, 2, 3])
    }

    func testStimulusInformationBounds() throws {
        let r = syntheticRaster(repeats: 40)
        var rng = Xoshiro256(seed: 2)
        // neuron 2 is stimulus-driven, neuron 4 is not (n % 2 == 0): extrapolated information ≈ 0
        let driven = try StimulusInformation.extrapolated(r, neuron: 3, rng: &rng)
        let flat = try StimulusInformation.extrapolated(r, neuron: 4, rng: &rng)
        XCTAssertGreaterThan(driven.value, 0.02)
        XCTAssertLessThan(abs(flat.value), 0.01)
        XCTAssertLessThan(StimulusInformation.plugIn(r, neuron: 3, repeats: Array(0..<40)), 1)
    }

    func testCoarseGrainingRunsTwoStepsDeterministically() throws {
        let r = syntheticRaster(repeats: 10, neurons: 12, bins: 60)
        let mi = PartnerRanking.pairwiseInformation(r)
        let ranking = (0..<r.neurons).map { PartnerRanking.ranked(mi, target: $0) }
        let settings = SweepSettings(mGrid: [1, 2, 3, 4, 6, 8], restarts: 3, splits: 1)
        func run() throws -> CoarseGraining {
            var cg = try CoarseGraining(raster: r, ranking: ranking, groupSize: 2, groups: 4, settings: settings)
            cg.runStep(rng: Xoshiro256(seed: 9), bootstrap: 10)
            cg.runStep(rng: Xoshiro256(seed: 10), bootstrap: 10)
            return cg
        }
        let a = try run(), b = try run()
        XCTAssertEqual(a.steps.count, 2)
        XCTAssertEqual(a.steps[1].cases[0].count, 2)
        XCTAssertEqual(a.steps[0].withinErrors, b.steps[0].withinErrors)
        XCTAssertEqual(a.steps[1].cases[3][1].captured, b.steps[1].cases[3][1].captured)
        // 2 binary partners have 4 states: M = 4 keeps everything
        XCTAssertTrue(a.steps[0].cases.allSatisfy { $0.allSatisfy { abs($0.fraction[3] - 1) < 1e-12 } })
        XCTAssertEqual(a.steps[0].withinErrors.last, 1)
        XCTAssertThrowsError(try CoarseGraining(raster: r, ranking: ranking, groupSize: 4, groups: 3, settings: settings))
    }
}
