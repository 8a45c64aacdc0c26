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

    static var long: Bool { ProcessInfo.processInfo.environment["GEOMETRY_LONG_TESTS"] == "1" }

    /// A small oracle: 48 grid points, 20 modes, 11 ln γ nodes. (A 32-point grid with 14 modes is too coarse: sharp
    /// posteriors are under-resolved and G near the preferred angles becomes heavy-tailed, mean pull −2.9.)
    func smallOracle(seed: UInt64, patterns: Int, kappa: Double = 0, priorProposal: Bool = false) -> RingOracle {
        var o = RingOracle(); o.patterns = patterns; o.gridSize = 48; o.modes = 20; o.seed = seed
        o.population.priorConcentration = kappa; o.priorProposal = priorProposal
        o.quadrature = LogGammaQuadrature(lowest: 1e-4, highest: 30, intervals: 10)
        if kappa > 0 {
            // Four probes: two pairs of neighbours 2π/16 apart (the spacing of geometry.denoiser's 16 metric points), one
            // pair where the prior is smallest (x = −π) and one at a preferred angle.
            let d = 2 * Double.pi / 16
            o.probePoints = [-Double.pi, -Double.pi + d, Double.pi / 4, Double.pi / 4 + d]
        }
        return o
    }

    /// Number of replicates of the ring oracle calibration: 500 (issue 12), 2000 with GEOMETRY_LONG_TESTS=1.
    static var ringReplicates: Int { long ? 2000 : 500 }

    /// Pull sd within 3 sampling errors of 1 (the error of a sample sd over R pulls, from their measured fourth moment and
    /// at least the normal-theory 1/√(2R)), that error ≤ 0.05, and ±1σ coverage within 3 binomial errors of 68.3 %.
    func tightCalibration(_ p: Pulls) -> (sd: Double, se: Double, coverage: Double, covSE: Double, mean: Double, passes: Bool) {
        let r = Double(p.values.count), m = Stats.mean(p.values), sd = p.sd
        let m4 = p.values.reduce(0) { $0 + pow($1 - m, 4) } / r
        let se = max(1 / (2 * r).squareRoot(), (max(m4 - pow(sd, 4), 0) / r).squareRoot() / (2 * sd))
        let cov = 0.6827, covSE = (cov * (1 - cov) / r).squareRoot()
        return (sd, se, p.coverage, covSE, m, abs(sd - 1) <= 3 * se && se <= 0.05 && abs(p.coverage - cov) <= 3 * covSE)
    }

    func assertTightlyCalibrated(_ p: Pulls, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let c = tightCalibration(p)
        print("calibration \(name): \(p.values.count) pulls, sd \(String(format: "%.3f", c.sd)) ± \(String(format: "%.3f", c.se)), coverage \(String(format: "%.1f", 100 * c.coverage)) % ± \(String(format: "%.1f", 100 * c.covSE)), mean pull \(String(format: "%+.3f", c.mean))")
        XCTAssertLessThanOrEqual(abs(c.sd - 1), 3 * c.se, "\(name): pull sd \(c.sd) ± \(c.se)", file: file, line: line)
        XCTAssertLessThanOrEqual(c.se, 0.05, "\(name): sampling error of the pull sd \(c.se) too large for a test", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(c.coverage - 0.6827), 3 * c.covSE, "\(name): coverage \(c.coverage)", file: file, line: line)
    }

    struct RingRun { let kl: Double, klErr: Double, direct: Double, directErr: Double, fisher: Double, fisherErr: Double
        let probe: [Double], probeCov: [[Double]]
        init(_ r: RingOracle.Result, j: Int) {
            kl = r.miKL.mean; klErr = r.miKL.error; direct = r.miDirect.mean; directErr = r.miDirect.error
            fisher = r.fisherEstimate[j]; fisherErr = r.fisherEstimateError[j]
            probe = r.probeMetric.map(\.mean); probeCov = r.probeCovariance
        }
    }

    /// Replicates of the small oracle with 200 patterns each (in parallel).
    func ringRuns(kappa: Double, priorProposal: Bool = false, replicates: Int) throws -> [RingRun] {
        try Parallel.map(replicates) { rep in
            let r = try smallOracle(seed: UInt64(rep + 1), patterns: 200, kappa: kappa, priorProposal: priorProposal).run()
            return RingRun(r, j: r.grid.firstIndex { abs($0 + Double.pi) < 1e-12 }!)
        }
    }

    /// Leave-one-out truth: the mean of the other R − 1 replicates (the same estimator on (R − 1) × 200 patterns). Its own
    /// variance, σ²/(R − 1), is added to the claimed one by the factor R/(R − 1) on the error.
    func looTruth(_ runs: [RingRun], _ i: Int, _ value: (RingRun) -> Double) -> Double {
        (runs.reduce(0) { $0 + value($1) } - value(runs[i])) / Double(runs.count - 1)
    }

    /// The ring oracle's Monte Carlo errors, for the uniform prior (geometry.ring) and for the von Mises prior with κ = 1
    /// (geometry.denoiser's oracle, drawn from a uniform proposal with exact importance weights): MI (KL and direct),
    /// J_0(−π) and G at the probe points (symmetrised for the uniform prior), each with ≥ 500 replicates of 200 patterns.
    /// For κ = 1 the probe covariance is checked too: the errors at neighbouring probes are correlated, and the
    /// whitened pulls L⁻¹(Ĝ − G) (LLᵀ the claimed covariance) must have sd ≈ 1.
    func testRingOracleErrorsAreCalibrated() throws {
        let reps = Self.ringReplicates
        for kappa in [0.0, 1.0] {
            let runs = try ringRuns(kappa: kappa, replicates: reps)
            let f = (Double(reps) / Double(reps - 1)).squareRoot()
            var kl = Pulls(), direct = Pulls(), fisher = Pulls()
            var probes = [Pulls](repeating: Pulls(), count: runs[0].probe.count), whitened = Pulls()
            var corr = [Double]()
            for (n, r) in runs.enumerated() {
                kl.add(r.kl, f * r.klErr, truth: looTruth(runs, n, \.kl))
                direct.add(r.direct, f * r.directErr, truth: looTruth(runs, n, \.direct))
                fisher.add(r.fisher, f * r.fisherErr, truth: looTruth(runs, n, \.fisher))
                let truthProbe = probes.indices.map { i in looTruth(runs, n) { $0.probe[i] } }
                for i in probes.indices { probes[i].add(r.probe[i], f * r.probeCov[i][i].squareRoot(), truth: truthProbe[i]) }
                if kappa > 0 {
                    let z = try CorrelatedPulls.whitened(residual: zip(r.probe, truthProbe).map { ($0 - $1) / f }, covariance: r.probeCov)
                    for v in z { whitened.add(v, 1, truth: 0) }
                    corr.append(r.probeCov[0][1] / (r.probeCov[0][0] * r.probeCov[1][1]).squareRoot())
                    corr.append(r.probeCov[2][3] / (r.probeCov[2][2] * r.probeCov[3][3]).squareRoot())
                }
            }
            let tag = "κ = \(kappa)"
            assertTightlyCalibrated(kl, "ring MI (KL), \(tag)")
            assertTightlyCalibrated(direct, "ring MI (direct), \(tag)")
            assertTightlyCalibrated(fisher, "ring J_0(−π), \(tag)")
            for (i, p) in probes.enumerated() { assertTightlyCalibrated(p, "ring G probe \(i), \(tag)") }
            if kappa > 0 {
                print("ring oracle κ = 1: mean correlation of the errors at neighbouring probes \(String(format: "%.3f", Stats.mean(corr)))")
                XCTAssertGreaterThan(Stats.mean(corr), 0.3)          // they are correlated: per-point errors alone are not enough
                assertTightlyCalibrated(whitened, "ring G whitened over 4 probes, \(tag)")
            }
        }
    }

    /// The earlier design for the von Mises prior — patterns drawn from the prior itself, plain errors — fails the same test
    /// (measured: J_0(−π) pull sd 1.35, driven by a few large pulls, while its coverage stays near 68 %). Only with
    /// GEOMETRY_LONG_TESTS=1.
    func testRingOraclePriorProposalFails() throws {
        try XCTSkipUnless(Self.long, "set GEOMETRY_LONG_TESTS=1")
        let runs = try ringRuns(kappa: 1, priorProposal: true, replicates: 500)
        var fisher = Pulls(), probes = [Pulls](repeating: Pulls(), count: runs[0].probe.count)
        for (n, r) in runs.enumerated() {
            fisher.add(r.fisher, r.fisherErr, truth: looTruth(runs, n, \.fisher))
            for i in probes.indices { probes[i].add(r.probe[i], r.probeCov[i][i].squareRoot(), truth: looTruth(runs, n) { $0.probe[i] }) }
        }
        var failures = 0
        for (name, p) in [("J_0(−π)", fisher)] + probes.enumerated().map { ("G probe \($0.offset)", $0.element) } {
            let c = tightCalibration(p)
            if !c.passes { failures += 1 }
            print("calibration ring \(name), κ = 1, prior proposal: pull sd \(String(format: "%.3f", c.sd)) ± \(String(format: "%.3f", c.se)), coverage \(String(format: "%.1f", 100 * c.coverage)) %, mean pull \(String(format: "%+.3f", c.mean)), \(c.passes ? "passes" : "fails")")
        }
        XCTAssertGreaterThan(fisher.sd, 1.2)
        XCTAssertGreaterThan(failures, 0)
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
