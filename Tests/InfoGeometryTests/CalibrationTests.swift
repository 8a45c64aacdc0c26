import XCTest
import Numerics
@testable import InfoGeometry

/// Calibration of every ± the module reports (issue 12): on synthetic data with a known truth, 500 replicates,
/// pulls (estimate − truth)/error must have sd in 0.9–1.1 and ±1σ must cover the truth in 62–74 % of replicates.
final class CalibrationTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

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
        /// The per-pattern terms behind `fisher` (J_0 at −π) and `probe`, for the expected pull sd of mean ± sd/√K.
        let fisherTerms: [Double], probeTerms: [[Double]]
        /// J_0(−π) symmetrised over the 8 images (issue 20), with its error and per-pattern terms.
        let fisherSym: Double, fisherSymErr: Double, fisherSymTerms: [Double]
        init(_ r: RingOracle.Result, j: Int) {
            kl = r.miKL.mean; klErr = r.miKL.error; direct = r.miDirect.mean; directErr = r.miDirect.error
            fisher = r.fisherEstimate[j]; fisherErr = r.fisherEstimateError[j]
            probe = r.probeMetric.map(\.mean); probeCov = r.probeCovariance
            fisherTerms = r.probeFisherTerms[0]; probeTerms = r.probeTerms
            fisherSym = r.symmetrisedFisherEstimate[j]; fisherSymErr = r.symmetrisedFisherEstimateError[j]
            fisherSymTerms = r.probeSymmetrisedFisherTerms[0]
        }
    }

    /// The pull sd that mean ± sd/√K has for K terms drawn from `pool` (its empirical distribution standing in for the
    /// true one; truth = the pool's mean): 20000 resampled replicates. For skewed terms this exceeds 1 by O(1/K): the
    /// t-statistic effect (issue 12/20: J_0(−π), skewness 2.8, gives 1.048 at K = 200), which is not an error of the
    /// estimator's ± (its size, checked by `assertErrorScale`, is right).
    func expectedPullSD(pool: [Double], k: Int, seed: UInt64 = 99) -> (sd: Double, se: Double) {
        let n = pool.count, mu = Stats.mean(pool), root = Xoshiro256(seed: seed)
        let pulls = Parallel.map(20_000) { rep -> Double in
            var r = root.child(rep)
            var s = 0.0, s2 = 0.0
            for _ in 0..<k { let v = pool[r.int(below: n)]; s += v; s2 += v * v }
            let m = s / Double(k), v = max(0, (s2 - Double(k) * m * m) / Double(k - 1))
            return (m - mu) / (v / Double(k)).squareRoot()
        }
        var p = Pulls(); for v in pulls { p.add(v, 1, truth: 0) }
        let c = tightCalibration(p)
        return (c.sd, c.se)
    }

    /// Pulls whose sd is compared with `expected` (the t-statistic's own pull sd for these terms) instead of 1, within 3
    /// combined sampling errors; the coverage and the se ≤ 0.05 rules are those of `assertTightlyCalibrated`.
    func assertCalibrated(_ p: Pulls, expected: (sd: Double, se: Double), _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let c = tightCalibration(p), comb = (c.se * c.se + expected.se * expected.se).squareRoot()
        print("calibration \(name): \(p.values.count) pulls, sd \(String(format: "%.3f", c.sd)) ± \(String(format: "%.3f", c.se)) against the t-statistic's expected \(String(format: "%.3f ± %.3f", expected.sd, expected.se)) (\(String(format: "%+.1f", (c.sd - expected.sd) / comb)) σ), coverage \(String(format: "%.1f", 100 * c.coverage)) % ± \(String(format: "%.1f", 100 * c.covSE)), mean pull \(String(format: "%+.3f", c.mean))")
        XCTAssertLessThanOrEqual(abs(c.sd - expected.sd), 3 * comb, "\(name): pull sd \(c.sd) ± \(c.se), expected \(expected.sd) ± \(expected.se)", file: file, line: line)
        XCTAssertLessThanOrEqual(c.se, 0.05, "\(name): sampling error of the pull sd \(c.se) too large for a test", file: file, line: line)
        XCTAssertLessThanOrEqual(abs(c.coverage - 0.6827), 3 * c.covSE, "\(name): coverage \(c.coverage)", file: file, line: line)
    }

    /// The size of the claimed error, free of the t-statistic effect: sd(estimate − truth) / rms(claimed error) must be 1
    /// within 3 sampling errors (delta method on the ratio of the two second moments, with their covariance: a replicate
    /// that drew a rare large term has both a large residual and a large claimed error).
    /// With `pool` given and its excess kurtosis above 100 (the 48-point test grid's G terms: 300–9·10⁴, rare terms up to
    /// 340 times the mean) the delta-method error is not trustworthy, and the ratio is printed only; the pull-sd check
    /// against the resampled t-statistic still applies there.
    func assertErrorScale(residuals: [Double], errors: [Double], pool: [Double]? = nil, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let r = Double(residuals.count), m = Stats.mean(residuals)
        let a = residuals.map { ($0 - m) * ($0 - m) }, b = errors.map { $0 * $0 }
        let am = Stats.mean(a), bm = Stats.mean(b)
        var vaa = 0.0, vbb = 0.0, vab = 0.0
        for (x, y) in zip(a, b) { vaa += (x - am) * (x - am); vbb += (y - bm) * (y - bm); vab += (x - am) * (y - bm) }
        vaa /= r - 1; vbb /= r - 1; vab /= r - 1
        let ratio = (am * r / (r - 1) / bm).squareRoot()
        // Var(log ratio²) = Var(ā)/ā² + Var(b̄)/b̄² − 2 Cov(ā, b̄)/(ā b̄); the ratio's se is half of its square root times the ratio.
        let se = 0.5 * ratio * (max(vaa / (am * am) + vbb / (bm * bm) - 2 * vab / (am * bm), 0) / r).squareRoot()
        var kurt = 0.0
        if let pool {
            let mu = Stats.mean(pool), sd = Stats.standardDeviation(pool)
            kurt = pool.reduce(0) { $0 + pow(($1 - mu) / sd, 4) } / Double(pool.count) - 3
        }
        let checked = kurt <= 100
        print("calibration \(name): error scale sd(residual)/rms(error) \(String(format: "%.3f ± %.3f", ratio, se))\(pool != nil ? String(format: ", terms' excess kurtosis %.1f", kurt) : "")\(checked ? "" : " (heavy-tailed: printed only)")")
        if checked { XCTAssertLessThanOrEqual(abs(ratio - 1), 3 * se, "\(name): error scale \(ratio) ± \(se)", file: file, line: line) }
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
            // J_0(−π) and G at the probes: pull sd against the t-statistic's expected sd for their own pooled terms (the
            // criterion "sd = 1" is wrong at K = 200 for skewed terms: an ideal mean ± sd/√K of J_0(−π)'s terms fails it in
            // 20 of 60 batches of 2000 replicates), plus the error scale, which has no t effect.
            let k = runs[0].fisherTerms.count
            let fisherRes = runs.indices.map { (runs[$0].fisher - looTruth(runs, $0, \.fisher)) / f }
            assertCalibrated(fisher, expected: expectedPullSD(pool: runs.flatMap(\.fisherTerms), k: k), "ring J_0(−π), \(tag)")
            assertErrorScale(residuals: fisherRes, errors: runs.map(\.fisherErr), pool: runs.flatMap(\.fisherTerms), "ring J_0(−π), \(tag)")
            if kappa == 0 {
                // Issue 20: J_0(−π) symmetrised over the ring's 8 images (the probe −π is a grid point of the 48-point grid).
                var sym = Pulls()
                for (n, r) in runs.enumerated() { sym.add(r.fisherSym, f * r.fisherSymErr, truth: looTruth(runs, n, \.fisherSym)) }
                let symRes = runs.indices.map { (runs[$0].fisherSym - looTruth(runs, $0, \.fisherSym)) / f }
                assertCalibrated(sym, expected: expectedPullSD(pool: runs.flatMap(\.fisherSymTerms), k: k, seed: 98), "ring J_0(−π) symmetrised, \(tag)")
                assertErrorScale(residuals: symRes, errors: runs.map(\.fisherSymErr), pool: runs.flatMap(\.fisherSymTerms), "ring J_0(−π) symmetrised, \(tag)")
                let gain = Stats.mean(runs.map(\.fisherErr)) / Stats.mean(runs.map(\.fisherSymErr))
                print("ring J_0(−π): mean error plain / symmetrised = \(String(format: "%.2f", gain)); the two estimates agree: mean difference \(String(format: "%+.4f", Stats.mean(runs.map { $0.fisher - $0.fisherSym })))")
                XCTAssertGreaterThan(gain, 2, "symmetrising J_0(−π) over 8 anti-correlated images should cut its error about 3×")
                // Same expectation: the mean difference over the replicates is within 3 of its own standard errors.
                let d = runs.map { $0.fisher - $0.fisherSym }
                XCTAssertLessThanOrEqual(abs(Stats.mean(d)), 3 * Stats.standardError(d))
            } else {
                XCTAssertEqual(runs[0].fisherSym, runs[0].fisher, "κ > 0 breaks the symmetry: the symmetrised J_0 is the plain one")
            }
            for (i, p) in probes.enumerated() {
                assertCalibrated(p, expected: expectedPullSD(pool: runs.flatMap { $0.probeTerms[i] }, k: k, seed: UInt64(100 + i)), "ring G probe \(i), \(tag)")
                let res = runs.indices.map { n in (runs[n].probe[i] - looTruth(runs, n) { $0.probe[i] }) / f }
                assertErrorScale(residuals: res, errors: runs.map { $0.probeCov[i][i].squareRoot() }, pool: runs.flatMap { $0.probeTerms[i] }, "ring G probe \(i), \(tag)")
            }
            if kappa > 0 {
                print("ring oracle κ = 1: mean correlation of the errors at neighbouring probes \(String(format: "%.3f", Stats.mean(corr)))")
                XCTAssertGreaterThan(Stats.mean(corr), 0.3)          // they are correlated: per-point errors alone are not enough
                assertTightlyCalibrated(whitened, "ring G whitened over 4 probes, \(tag)")
            }
        }
    }

    /// Issue 12 / report 001 §2: the 2000-replicate run finds J_0(−π) and G(−π) errors 5–7 % too small at 200 patterns.
    /// Is that the finite-K behaviour of a t-statistic of a skewed mean (excess pull variance ∝ 1/K), negligible at the
    /// report's 8000 patterns? One large oracle run per κ supplies a pool of per-pattern terms (its empirical distribution
    /// stands in for the true one); replicates of K terms drawn from the pool give the pull sd of mean ± sd/√K at each K
    /// with small sampling error. Checks: at K = 200 it reproduces the replicate measurement's excess; the excess falls like
    /// 1/K (K × (sd² − 1) constant within its errors over K = 200…1600); at K = 8000 the predicted sd is within 1 % of 1.
    /// Only with GEOMETRY_LONG_TESTS=1 (about a minute).
    func testRingOracleSmallSampleExcessFallsLikeOneOverK() throws {
        try XCTSkipUnless(Self.long, "set GEOMETRY_LONG_TESTS=1")
        let poolRuns = 4, perRun = 50_000
        for kappa in [0.0, 1.0] {
            let runs = try Parallel.map(poolRuns) { i in try smallOracle(seed: UInt64(10_000 + i), patterns: perRun, kappa: kappa).run() }
            var pools: [(String, [Double])] = [("J_0(−π)", runs.flatMap { $0.probeFisherTerms[0] })]
            for p in 0..<runs[0].probeTerms.count { pools.append(("G probe \(p)", runs.flatMap { $0.probeTerms[p] })) }
            for (name, pool) in pools {
                let n = pool.count, mu = Stats.mean(pool), sd = Stats.standardDeviation(pool)
                let skew = pool.reduce(0) { $0 + pow(($1 - mu) / sd, 3) } / Double(n)
                let kurt = pool.reduce(0) { $0 + pow(($1 - mu) / sd, 4) } / Double(n) - 3
                var line = "κ = \(kappa) \(name): pool \(n), skewness \(String(format: "%.2f", skew)), excess kurtosis \(String(format: "%.1f", kurt));"
                var scaled = [(Double, Double)]()
                for (ki, kk) in [200, 400, 800, 1600, 8000].enumerated() {
                    let reps = kk >= 8000 ? 4000 : 20_000
                    let root = Xoshiro256(seed: UInt64(77 + ki))
                    let pulls = Parallel.map(reps) { rep -> Double in
                        var r = root.child(rep)
                        var s = 0.0, s2 = 0.0
                        for _ in 0..<kk { let v = pool[r.int(below: n)]; s += v; s2 += v * v }
                        let m = s / Double(kk), v = max(0, (s2 - Double(kk) * m * m) / Double(kk - 1))
                        return (m - mu) / (v / Double(kk)).squareRoot()
                    }
                    var p = Pulls(); for v in pulls { p.add(v, 1, truth: 0) }
                    let c = tightCalibration(p)
                    // K (sd² − 1) and its error from the sd's sampling error.
                    let excess = Double(kk) * (c.sd * c.sd - 1), excessErr = Double(kk) * 2 * c.sd * c.se
                    if kk <= 1600 { scaled.append((excess, excessErr)) }
                    line += " K = \(kk): sd \(String(format: "%.3f ± %.3f", c.sd, c.se)), K(sd²−1) \(String(format: "%.0f ± %.0f", excess, excessErr));"
                    // At the report's 8000 patterns, for J_0 (whose terms do not depend on the grid). The G pools of this
                    // coarse 48-point grid hold rare giant terms (testRingOracleGTailByGrid), so at K = 8000 they say
                    // something about the test grid, not about the report's 128-point oracle: printed only.
                    if kk == 8000 && name.hasPrefix("J_0") { XCTAssertLessThan(c.sd, 1.01 + 3 * c.se, "\(name) κ = \(kappa): predicted pull sd at the report's 8000 patterns \(c.sd)") }
                }
                print(line)
                // 1/K: every K(sd² − 1) within 3 combined errors of their weighted mean.
                let w = scaled.map { 1 / ($0.1 * $0.1) }, mean = zip(scaled, w).reduce(0) { $0 + $1.0.0 * $1.1 } / w.reduce(0, +)
                for (e, err) in scaled { XCTAssertLessThanOrEqual(abs(e - mean), 3 * (err * err + 1 / w.reduce(0, +)).squareRoot(), "\(name) κ = \(kappa): K(sd²−1) = \(e) vs \(mean)") }
            }
        }
    }

    /// The heavy tail of the per-pattern G terms (κ = 0) is the coarse test grid's: the same 40000 patterns on the test's
    /// 48-point grid (20 modes) and on the report's 128-point grid (48 modes). Measured: G(−π) skewness 104, excess kurtosis
    /// 2·10⁴, largest term 47× the mean on the 48-point grid; −0.74, 1.2 and 1.34× on the 128-point grid (G(π/4): 26, 10⁴,
    /// 42× against −0.51, −0.7, 1.42×). J_0(−π) is the same on both (skewness 2.84, kurtosis 8.1). Asserts the report grid's
    /// G terms are light-tailed (|excess kurtosis| < 10, largest term < 3× the mean). Only with GEOMETRY_LONG_TESTS=1.
    func testRingOracleGTailByGrid() throws {
        try XCTSkipUnless(Self.long, "set GEOMETRY_LONG_TESTS=1")
        let k = Int(ProcessInfo.processInfo.environment["GEOMETRY_TAIL_PATTERNS"] ?? "") ?? 40_000
        for (grid, modes) in [(48, 20), (128, 48)] {
            let runs = try Parallel.map(2) { i -> RingOracle.Result in
                var o = smallOracle(seed: UInt64(20_000 + i), patterns: k / 2); o.gridSize = grid; o.modes = modes
                return try o.run()
            }
            for (name, pool) in [("J_0(−π)", runs.flatMap { $0.probeFisherTerms[0] }), ("G(−π)", runs.flatMap { $0.probeTerms[0] }), ("G(π/4)", runs.flatMap { $0.probeTerms[1] })] {
                let mu = Stats.mean(pool), sd = Stats.standardDeviation(pool), n = Double(pool.count)
                let skew = pool.reduce(0) { $0 + pow(($1 - mu) / sd, 3) } / n, kurt = pool.reduce(0) { $0 + pow(($1 - mu) / sd, 4) } / n - 3
                let top = pool.sorted(by: >).prefix(3).map { String(format: "%.3g", $0 / mu) }.joined(separator: ", ")
                if grid == 128 && name.hasPrefix("G") {
                    XCTAssertLessThan(abs(kurt), 10, "\(name) on the report's grid: excess kurtosis \(kurt)")
                    XCTAssertLessThan(pool.max()! / mu, 3, "\(name) on the report's grid: largest term / mean")
                }
                print("tail, grid \(grid)/\(modes) modes, \(pool.count) patterns, \(name): mean \(String(format: "%.4g", mu)), skewness \(String(format: "%.2f", skew)), excess kurtosis \(String(format: "%.1f", kurt)), largest terms / mean \(top)")
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

    /// geometry.denoiser's check of the exact denoisers against the oracle (dsm_Gexact_pullsd / _whitened), at the report's
    /// settings: κ = 1, 16 stimuli, 25 ln γ nodes on [10⁻⁴, 50]; the oracle with 8000 patterns on 128 points and 63 modes;
    /// the exact denoisers with 2 × 1536 samples per node and stimulus. R independent replicates (oracle and evaluation
    /// seeds), default 40 (640 pulls). Every value must be finite; the residuals Ĝ_exact − Ĝ_oracle, whitened by their
    /// claimed covariance (the oracle's probe covariance plus the exact denoisers' own variances), must have rms within
    /// 3 sampling errors of 1 and ±1σ coverage within 3 binomial errors of 68.3 %; the repeat pulls of the two exact
    /// evaluations likewise. Measured (40 replicates, release): whitened rms 0.97 ± 0.03 (coverage 69 %), repeat pulls 0.98 ± 0.03, mean residual χ² 18.9 for 16 dof, once the
    /// sharp-posterior fix was in; before it, 3 of the 40 replicates had an infinite exact G. Only with GEOMETRY_LONG_TESTS=1,
    /// and in a release build (about 15 s per replicate on one loaded core): `make calibrate`, or alone
    /// `GEOMETRY_LONG_TESTS=1 swift test -c release -Xswiftc -enable-testing --filter InfoGeometryTests.CalibrationTests/testExactDenoisersAgreeWithTheOracle`
    /// (GEOMETRY_ORACLE_REPLICATES sets R).
    func testExactDenoisersAgreeWithTheOracle() throws {
        try XCTSkipUnless(Self.long, "set GEOMETRY_LONG_TESTS=1")
        let reps = Int(ProcessInfo.processInfo.environment["GEOMETRY_ORACLE_REPLICATES"] ?? "") ?? 40
        var pop = RingPopulation(); pop.priorConcentration = 1
        let grid = Array(Swift.stride(from: 0, to: 128, by: 8)).map { -Double.pi + 2 * Double.pi * Double($0) / 128 }
        let q = LogGammaQuadrature(lowest: 1e-4, highest: 50, intervals: 24)
        let exact = try RingExactDenoiser(population: pop)
        let zero: RingDenoiserEstimator.MetricPredictor = { y, _, _ in ([Double](repeating: 0, count: y.count), [Double](repeating: 0, count: y.count)) }
        var whitened = Pulls(), repeats = Pulls(), plain = Pulls()
        for rep in 0..<reps {
            var o = RingOracle(); o.population = pop; o.patterns = 8000; o.seed = UInt64(5001 + rep)
            o.modes = 63; o.quadrature = q; o.probePoints = grid
            let oracle = try o.run()
            let root = Xoshiro256(seed: UInt64(9001 + rep))
            let ev = Parallel.map(2) { k -> MetricComparison in
                var g = root.child(k)
                return RingDenoiserEstimator.compareMetric(population: pop, exact: exact, learned: zero, grid: grid, quadrature: q, samples: 1536, rng: &g)
            }
            let both = MetricComparison.combine(ev[0], ev[1])
            XCTAssert(both.exactMetric.allSatisfy(\.isFinite) && both.exactError.allSatisfy(\.isFinite), "replicate \(rep): non-finite exact G")
            var cov = oracle.probeCovariance
            for i in grid.indices { cov[i][i] += both.exactError[i] * both.exactError[i] }
            let residual = grid.indices.map { both.exactMetric[$0] - oracle.probeMetric[$0].mean }
            for z in try CorrelatedPulls.whitened(residual: residual, covariance: cov) { whitened.add(z, 1, truth: 0) }
            for i in grid.indices { plain.add(residual[i], cov[i][i].squareRoot(), truth: 0) }
            for z in MetricComparison.repeatPulls(
                MetricComparison(metric: [], metricError: [], exactMetric: [], exactError: [], difference: ev[0].exactMetric, differenceError: ev[0].exactError),
                MetricComparison(metric: [], metricError: [], exactMetric: [], exactError: [], difference: ev[1].exactMetric, differenceError: ev[1].exactError)) {
                repeats.add(z, 1, truth: 0)
            }
        }
        print("exact denoisers vs oracle, \(reps) replicates: plain rms \(String(format: "%.3f", CorrelatedPulls.rms(plain.values)))")
        assertTightlyCalibrated(whitened, "exact denoisers vs oracle, whitened")
        assertTightlyCalibrated(repeats, "exact denoisers, two repeats")
    }

    /// Report 001 §2: geometry.ring's J_0(−π) = 26.05 ± 0.71 rad⁻² (seed 1) lies 2.9 σ below the exact 28.127. Fluctuation or
    /// bias? The directive's oracle (8000 patterns, 128 points, 63 modes; J_0 does not depend on the ln γ nodes, so 3 suffice)
    /// with seeds 1…300. Measured: pulls rms 0.989 ± 0.041, mean −0.05 ± 0.06, coverage 69 ± 3 %, skewness −0.19; seed 1 is
    /// the second lowest of 300 (two beyond −2.9 σ, one expected two-sided for a normal): a fluctuation. Asserts the pulls are
    /// calibrated (tight window) and their mean within 3/√R of 0. Only with GEOMETRY_LONG_TESTS=1 (a minute in a release
    /// build: `make calibrate`, or alone `GEOMETRY_LONG_TESTS=1 swift test -c release -Xswiftc -enable-testing --filter InfoGeometryTests.CalibrationTests/testRingFisherAtMinusPiOverSeeds`).
    func testRingFisherAtMinusPiOverSeeds() throws {
        try XCTSkipUnless(Self.long, "set GEOMETRY_LONG_TESTS=1")
        let pop = RingPopulation(), truth = pop.fisher(at: -Double.pi), seeds = 300
        let pulls = try Parallel.map(seeds) { i -> Double in
            var o = RingOracle(); o.population = pop; o.patterns = 8000; o.gridSize = 128; o.modes = 63; o.seed = UInt64(i + 1)
            o.quadrature = LogGammaQuadrature(lowest: 1e-4, highest: 50, intervals: 2); o.probePoints = [-Double.pi]
            let r = try o.run()
            let j = r.grid.firstIndex { abs($0 + Double.pi) < 1e-12 }!
            return (r.fisherEstimate[j] - truth) / r.fisherEstimateError[j]
        }
        var p = Pulls(); for v in pulls { p.add(v, 1, truth: 0) }
        print("ring J_0(−π) over seeds 1–\(seeds): seed 1 pull \(String(format: "%.2f", pulls[0])), rank \(pulls.filter { $0 < pulls[0] }.count + 1) from below")
        assertTightlyCalibrated(p, "ring J_0(−π) over seeds")
        XCTAssertLessThan(abs(Stats.mean(pulls)), 3 / Double(seeds).squareRoot())
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
/// per-sample differences. Checked by replicate measurement: 500 independent evaluations (48 samples per node and stimulus;
/// geometry.denoiser uses more, the error formula is the same) of a fixed, deliberately wrong predictor pair (the exact
/// denoisers of a population with gain 17 instead of 20 and κ = 0.7 instead of 1), pulls of each evaluation about the mean
/// of the other 499. The paired error must also be well below the exact denoisers' own error.
final class PairedFloorCalibrationTests: XCTestCase {
    override class func setUp() { super.setUp(); TestBLAS.begin() }
    override class func tearDown() { TestBLAS.end(); super.tearDown() }

    func testPairedMetricFloorIsCalibrated() throws {
        var pop = RingPopulation(); pop.priorConcentration = 1
        let exact = try RingExactDenoiser(population: pop)
        var wrong = pop; wrong.gain = 17; wrong.priorConcentration = 0.7
        let other = try RingExactDenoiser(population: wrong)
        let learned: RingDenoiserEstimator.MetricPredictor = { y, g, c in
            let p = other.predict(y: y, gamma: g, counts: c); return (p.conditional, p.unconditional)
        }
        let q = LogGammaQuadrature(lowest: 1e-3, highest: 30, intervals: 8)
        // 48 samples per node and stimulus: with 16 the exact denoisers' own error is too small (pull sd 1.21), with 48
        // 1.07 — the excess of a t-statistic of a skewed mean, falling like 1/samples (0.21 × 16/48 = 0.07).
        let samples = Int(ProcessInfo.processInfo.environment["GEOMETRY_FLOOR_SAMPLES"] ?? "") ?? 48
        let grid = [-2.0, 0.5, 2.5], root = Xoshiro256(seed: 5), reps = 500
        let runs = Parallel.map(reps) { i -> MetricComparison in
            var r = root.child(i)
            return RingDenoiserEstimator.compareMetric(population: pop, exact: exact, learned: learned, grid: grid,
                                                       quadrature: q, samples: samples, rng: &r)
        }
        func pulls(_ value: (MetricComparison) -> [Double], _ error: (MetricComparison) -> [Double]) -> [Double] {
            var out = [Double]()
            for j in grid.indices {
                let total = runs.reduce(0) { $0 + value($1)[j] }, total2 = runs.reduce(0) { $0 + pow(error($1)[j], 2) }
                let k = Double(runs.count - 1)
                for r in runs {
                    let m = (total - value(r)[j]) / k, em = (total2 - pow(error(r)[j], 2)).squareRoot() / k
                    out.append((value(r)[j] - m) / (error(r)[j] * error(r)[j] + em * em).squareRoot())
                }
            }
            return out
        }
        let pd = pulls(\.difference, \.differenceError), pe = pulls(\.exactMetric, \.exactError)
        let rp = (0..<(reps / 2)).flatMap { MetricComparison.repeatPulls(runs[2 * $0], runs[2 * $0 + 1]) }
        func sd(_ v: [Double]) -> Double { (v.reduce(0) { $0 + $1 * $1 } / Double(v.count)).squareRoot() }
        func cover(_ v: [Double]) -> Double { Double(v.filter { abs($0) <= 1 }.count) / Double(v.count) }
        let ratio = Stats.mean(runs.flatMap(\.differenceError)) / Stats.mean(runs.flatMap(\.exactError))
        let rel = Stats.mean(runs.flatMap { r in zip(r.difference, r.exactMetric).map { abs($0 / $1) } })
        print("paired floor (\(samples) samples): pull sd \(sd(pd)) coverage \(cover(pd)); exact: pull sd \(sd(pe)) coverage \(cover(pe)); repeat pulls sd \(sd(rp)); paired/exact error \(ratio); |D|/G \(rel)")
        // Issue 12's standard on 500 replicates × 3 stimuli (1500 pulls each): sd 0.9–1.1, coverage 62–74 %.
        XCTAssert((0.9...1.1).contains(sd(pd)), "paired pull sd \(sd(pd))")
        XCTAssert((0.9...1.1).contains(sd(pe)), "exact pull sd \(sd(pe))")
        XCTAssert((0.9...1.1).contains(sd(rp)), "repeat pull sd \(sd(rp))")
        XCTAssert((0.62...0.74).contains(cover(pd)), "paired coverage \(cover(pd))")
        XCTAssert((0.62...0.74).contains(cover(pe)), "exact coverage \(cover(pe))")
        XCTAssertGreaterThan(rel, 0.03)          // the wrong pair is visibly wrong …
        XCTAssertLessThan(ratio, 0.7)            // … and still measured more precisely than the exact G itself
    }
}
