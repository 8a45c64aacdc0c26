import XCTest
import Numerics
@testable import InfoGeometry

/// Calibration of every ± the module reports (issue 12): on synthetic data with a known truth, 500 replicates,
/// pulls (estimate − truth)/error must have sd in 0.9–1.1 and ±1σ must cover the truth in 62–74 % of replicates.
final class CalibrationTests: XCTestCase {
    struct Pulls { var values = [Double](); var covered = 0
        mutating func add(_ est: Double, _ err: Double, truth: Double) { let p = (est - truth) / err; values.append(p); if abs(p) <= 1 { covered += 1 } }
        var sd: Double { Stats.standardDeviation(values) }
        var coverage: Double { Double(covered) / Double(values.count) }
    }
    func assertCalibrated(_ p: Pulls, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        print("calibration \(name): pull sd \(String(format: "%.3f", p.sd)), coverage \(String(format: "%.1f", 100 * p.coverage)) %, mean pull \(String(format: "%+.3f", Stats.mean(p.values)))")
        XCTAssert(p.sd >= 0.9 && p.sd <= 1.1, "\(name): pull sd \(p.sd)", file: file, line: line)
        XCTAssert(p.coverage >= 0.62 && p.coverage <= 0.74, "\(name): coverage \(p.coverage)", file: file, line: line)
    }

    func smallOracle(seed: UInt64, patterns: Int, stratified: Bool = false) -> RingOracle {
        var o = RingOracle(); o.patterns = patterns; o.gridSize = 48; o.modes = 20; o.seed = seed; o.stratified = stratified
        o.quadrature = LogGammaQuadrature(lowest: 1e-4, highest: 30, intervals: 10)
        return o
    }

    /// The ring oracle's Monte Carlo errors: MI (KL and direct), J_0(−π) and the symmetrised G at the two probe points.
    /// Truth: the same estimators with 200 times more patterns (their own error, 1/√200 of one replicate's, is negligible).
    func testRingOracleErrorsAreCalibrated() throws {
        let truth = try smallOracle(seed: 999, patterns: 40_000).run()
        let j = truth.grid.firstIndex { abs($0 + Double.pi) < 1e-12 }!
        var kl = Pulls(), direct = Pulls(), fisher = Pulls(), gGap = Pulls(), gPref = Pulls()
        for rep in 0..<500 {
            let r = try smallOracle(seed: UInt64(rep + 1), patterns: 200).run()
            kl.add(r.miKL.mean, r.miKL.error, truth: truth.miKL.mean)
            direct.add(r.miDirect.mean, r.miDirect.error, truth: truth.miDirect.mean)
            fisher.add(r.fisherEstimate[j], r.fisherEstimateError[j], truth: truth.fisherEstimate[j])
            gGap.add(r.probeMetric[0].mean, r.probeMetric[0].error, truth: truth.probeMetric[0].mean)
            gPref.add(r.probeMetric[1].mean, r.probeMetric[1].error, truth: truth.probeMetric[1].mean)
        }
        assertCalibrated(kl, "ring MI (KL)")
        assertCalibrated(direct, "ring MI (direct)")
        assertCalibrated(fisher, "ring J_0(−π)")
        assertCalibrated(gGap, "ring G(−π) symmetrised")
        assertCalibrated(gPref, "ring G(π/4) symmetrised")
    }

    /// The Monte Carlo quadrature error used by the learned estimator (MI, losses and G): independent samples at each
    /// node of a weighted sum, here exponential and normal samples with known means.
    func testMonteCarloQuadratureErrorIsCalibrated() {
        var rng = Xoshiro256(seed: 11)
        let w = [0.5, 1.3, 0.2, 0.9], means = [1.0, 0.3, 2.0, 0.7]
        let truth = zip(w, means).reduce(0) { $0 + $1.0 * $1.1 }
        var p = Pulls()
        for _ in 0..<1000 {
            let samples = means.enumerated().map { (i, m) in (0..<64).map { _ in i % 2 == 0 ? -m * log(1 - rng.uniform()) : m + rng.normal() } }
            let e = MonteCarloQuadrature.estimate(weights: w, samples: samples)
            p.add(e.value, e.error, truth: truth)
        }
        assertCalibrated(p, "Monte Carlo quadrature")
    }
}

/// The floor of the learned ring G (issue 20 §2): a pair of predictors and the exact denoisers are evaluated on common
/// samples (`RingDenoiserEstimator.compareMetric`) and the paired difference D(x) carries the standard error of the
/// per-sample differences. Checked by replicate measurement: 40 independent evaluations of a fixed, deliberately wrong
/// predictor pair (the exact denoisers of a population with gain 17 instead of 20 and κ = 0.7 instead of 1), pulls of each
/// evaluation about the mean of the other 39. The paired error must also be well below the exact denoisers' own error.
final class PairedFloorCalibrationTests: XCTestCase {
    func testPairedMetricFloorIsCalibrated() throws {
        var pop = RingPopulation(); pop.priorConcentration = 1
        let exact = try RingExactDenoiser(population: pop)
        var wrong = pop; wrong.gain = 17; wrong.priorConcentration = 0.7
        let other = try RingExactDenoiser(population: wrong)
        let learned: RingDenoiserEstimator.MetricPredictor = { y, g, c in
            let p = other.predict(y: y, gamma: g, counts: c); return (p.conditional, p.unconditional)
        }
        let q = LogGammaQuadrature(lowest: 1e-3, highest: 30, intervals: 8)
        let grid = [-2.0, 0.5, 2.5], root = Xoshiro256(seed: 5), reps = 40
        let runs = (0..<reps).map { i -> MetricComparison in
            var r = root.child(i)
            return RingDenoiserEstimator.compareMetric(population: pop, exact: exact, learned: learned, grid: grid,
                                                       quadrature: q, samples: 48, rng: &r)
        }
        func pulls(_ value: (MetricComparison) -> [Double], _ error: (MetricComparison) -> [Double]) -> [Double] {
            var out = [Double]()
            for (i, r) in runs.enumerated() { for j in grid.indices {
                let others = runs.indices.filter { $0 != i }
                let m = others.reduce(0) { $0 + value(runs[$1])[j] } / Double(others.count)
                let em = (others.reduce(0) { $0 + pow(error(runs[$1])[j], 2) }).squareRoot() / Double(others.count)
                out.append((value(r)[j] - m) / (error(r)[j] * error(r)[j] + em * em).squareRoot())
            } }
            return out
        }
        let pd = pulls(\.difference, \.differenceError), pe = pulls(\.exactMetric, \.exactError)
        let rp = (0..<(reps / 2)).flatMap { MetricComparison.repeatPulls(runs[2 * $0], runs[2 * $0 + 1]) }
        func sd(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 } / Double(v.count)).squareRoot() }
        func cover(_ v: [Double]) -> Double { Double(v.filter { abs($0) <= 1 }.count) / Double(v.count) }
        let ratio = Stats.mean(runs.flatMap(\.differenceError)) / Stats.mean(runs.flatMap(\.exactError))
        let rel = Stats.mean(runs.flatMap { r in zip(r.difference, r.exactMetric).map { abs($0 / $1) } })
        print("paired floor: pull sd \(sd(pd)) coverage \(cover(pd)); exact: pull sd \(sd(pe)) coverage \(cover(pe)); repeat pulls sd \(sd(rp)); paired/exact error \(ratio); |D|/G \(rel)")
        XCTAssert((0.8...1.2).contains(sd(pd)), "paired pull sd \(sd(pd))")
        XCTAssert((0.8...1.2).contains(sd(pe)), "exact pull sd \(sd(pe))")
        XCTAssert((0.7...1.3).contains(sd(rp)), "repeat pull sd \(sd(rp))")
        XCTAssert((0.58...0.78).contains(cover(pd)), "paired coverage \(cover(pd))")
        XCTAssertGreaterThan(rel, 0.03)          // the wrong pair is visibly wrong …
        XCTAssertLessThan(ratio, 0.7)            // … and still measured more precisely than the exact G itself
    }
}
