import XCTest
import Numerics
@testable import Retina

/// Issue 12 §2: the error of the all-data coding cost C (Eq 9), `retina.c_example_order5`, is the random-halves spread
/// of C over halvings of the repeats. Synthetic recordings with K = 3 partners and a three-body term that the
/// second-order series cannot represent, so that C > 0 is a real quantity; 500 replicates.
///
/// Measured 2026-12-07 (pull sd / ±1σ coverage; repeats × bins, halvings): 60 × 20, 10: 1.181 / 61.6 %; 60 × 20,
/// 20: 1.154 / 61.0 %; 120 × 20: 1.103 / 65.8 %; 60 × 60: 1.101 / 66.4 %; 240 × 40: 1.198 / 61.4 %. A bootstrap over
/// repeats (100 resamples) gives the same (1.107–1.159), and the ridge (0, ½ on halves) changes nothing. The mean error
/// is 0.93–0.99 of the sd of the estimates; the excess pull sd comes from the ratio C = (L₂ − L_min)/(L_ind − L_min),
/// whose spread varies from data set to data set more than either resampling error follows. So this error is about
/// 10–20 % small in its tails, a recorded shortfall: the test asserts pull sd ≤ 1.25 and coverage ≥ 58 %, and that the
/// /√2 rule fails. The sd over train/test splits that the page used before is the spread of a held-out cost, not an
/// error of the all-data one, and is kept as its own value.
final class CodingCostHalvesTests: XCTestCase {
    func testHalvesErrorOfTheAllDataCodingCost() throws {
        let root = Xoshiro256(seed: 2026)
        let repeats = 60, bins = 20
        func p(_ x: Int) -> Double {
            let b = (0..<3).map { Double((x >> $0) & 1) }
            let h = -1.2 + 0.8 * b[0] + 0.5 * b[1] - 0.4 * b[2] + 1.2 * b[0] * b[1] * b[2] - 0.6 * b[0] * b[1]
            return 1 / (1 + exp(-h))
        }
        let trials = (0..<500).map { k -> (estimate: Double, error: Double) in
            var rng = root.child(k)
            var codes = [Int32](), target = [UInt8]()
            for _ in 0..<repeats { for _ in 0..<bins {
                let x = rng.int(below: 8); codes.append(Int32(x)); target.append(rng.uniform() < p(x) ? 1 : 0)
            } }
            let rc = RepeatCounts(codes: codes, size: 8, target: target, repeats: repeats, bins: bins)
            let c = (try? CodingCostSweep.fullCosts(rc.joint(), partners: 3, orders: [2], ridge: 1))?[0] ?? .nan
            let e = CodingCostSweep.fullCostHalvesError(rc, partners: 3, orders: [2], splits: 10, ridge: 1, rng: &rng)[0]
            return (c, e)
        }
        let r = Calibration.evaluate(estimates: trials.map(\.estimate), errors: trials.map(\.error), truth: 0, bias: .empirical)
        print("all-data coding cost, random halves: \(r)")
        XCTAssertTrue(r.passes(pullWindow: 0.9...1.25, coverageWindow: 0.58...0.74), r.description)
        let old = Calibration.evaluate(estimates: trials.map(\.estimate), errors: trials.map { $0.error / 2.0.squareRoot() },
                                       truth: 0, bias: .empirical)
        print("all-data coding cost, /√2: \(old)")
        XCTAssertFalse(old.passes(pullWindow: 0.9...1.25, coverageWindow: 0.58...0.74), old.description)
    }
}
