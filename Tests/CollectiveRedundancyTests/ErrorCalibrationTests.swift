import XCTest
import Numerics
@testable import CollectiveRedundancy

/// Issue 12: calibration of the errors report 004 puts on values computed from one recording. Acceptance: over
/// N ≥ 500 synthetic replicates the pull sd lies within 1 ± 3/√(2N) (three sampling errors of an sd) and ±1σ covers
/// the truth in 62–74 % of them.
final class ErrorCalibrationTests: XCTestCase {
    static func window(_ n: Int) -> ClosedRange<Double> { let t = 3 / (2 * Double(n)).squareRoot(); return (1 - t)...(1 + t) }

    /// ±1σ coverage of a Student t with ν degrees of freedom scaled to unit sd, P(|t| ≤ √(ν/(ν − 2))) (Simpson's rule
    /// on the density), and the window of three binomial sampling errors around it for n replicates. For ν → ∞ it is
    /// the normal 68.3 %; the heavy tails of a t put more inside (73.3 % at ν = 6).
    static func tCoverageWindow(dof nu: Double, replicates n: Int) -> (expected: Double, window: ClosedRange<Double>) {
        let c = (nu / (nu - 2)).squareRoot(), steps = 2000
        let norm = exp(lgamma((nu + 1) / 2) - lgamma(nu / 2)) / (nu * Double.pi).squareRoot()
        func f(_ t: Double) -> Double { norm * pow(1 + t * t / nu, -(nu + 1) / 2) }
        let h = 2 * c / Double(steps)
        var sum = f(-c) + f(c)
        for i in 1..<steps { sum += (i % 2 == 1 ? 4 : 2) * f(-c + Double(i) * h) }
        let p = sum * h / 3
        let e = 3 * (p * (1 - p) / Double(n)).squareRoot()
        return (p, (p - e)...(p + e))
    }

    /// T samples of 2-D elements whose coordinates share one AR(1) factor per element pair (within-pair correlation
    /// `rho`), autocorrelated in time with coefficient `phi` (τ_int = (1 + φ)/(1 − φ)).
    static func data(T: Int, elements: Int, rho: Double, phi: Double, rng: inout Xoshiro256) -> Matrix<Double> {
        var x = Matrix<Double>(rows: T, cols: 2 * elements)
        var common = [rng.normal(), rng.normal()]
        var own = (0..<(2 * elements)).map { _ in rng.normal() }
        let s = (1 - phi * phi).squareRoot()
        for t in 0..<T {
            for c in 0..<(2 * elements) { x[t, c] = rho.squareRoot() * common[c % 2] + (1 - rho).squareRoot() * own[c] }
            for k in 0..<2 { common[k] = phi * common[k] + s * rng.normal() }
            for c in 0..<(2 * elements) { own[c] = phi * own[c] + s * rng.normal() }
        }
        return x
    }

    static func r(_ x: Matrix<Double>) throws -> Double {
        let g = try GaussianRedundancy(samples: x, elementDimension: 2)
        return g.relativeRedundancy(Array(0..<g.n))
    }

    /// The error of one simulated run from K = 7 other runs (Fig. 2–4 values, model polarisation): r(S) of a short
    /// autocorrelated recording, about the estimator's mean (its finite-sample bias is part of E r̂, removed
    /// empirically). The plain sd of the others, without the t factor √((K−1)/(K−3)) = 1.22, is too small.
    func testSingleRunErrorFromOtherRunsIsCalibrated() throws {
        let n = 500
        let root = Xoshiro256(seed: 31)
        let trials = try Parallel.map(n) { k -> (value: Double, others: [Double]) in
            var rng = root.child(k)
            let runs = try (0..<8).map { _ in try Self.r(Self.data(T: 150, elements: 3, rho: 0.5, phi: 0.6, rng: &rng)) }
            return (runs[0], Array(runs.dropFirst()))
        }
        let report = Calibration.evaluate(estimates: trials.map(\.value), errors: trials.map { ReplicateMean.singleRunError(others: $0.others) },
                                          truth: 0, bias: .empirical)
        // the pull is a t with 6 degrees of freedom: unit sd, but 73 % inside ±1σ (normal: 68 %)
        let coverage = Self.tCoverageWindow(dof: 6, replicates: n)
        print("single-run error, K = 7 others: \(report); t6 coverage \(coverage.expected)")
        XCTAssertTrue(report.passes(pullWindow: Self.window(n), coverageWindow: coverage.window), report.description)
        let old = Calibration.evaluate(estimates: trials.map(\.value), errors: trials.map { Stats.standardDeviation($0.others) },
                                       truth: 0, bias: .empirical)
        XCTAssertGreaterThan(old.pullSD, Self.window(n).upperBound, "the plain sd of 7 runs should be too small: \(old)")
    }

    /// The block-jackknife error (Numerics `BlockJackknife`) of r(S) on one autocorrelated recording (the fish values):
    /// blocks ≥ 5 τ_int from the estimated τ_int. An i.i.d. bootstrap of the same statistic, which ignores the autocorrelation, is too small.
    func testBlockJackknifeErrorIsCalibrated() throws {
        let n = 500
        let root = Xoshiro256(seed: 32)
        let trials = try Parallel.map(n) { k -> (estimate: Double, error: Double, blocks: Int) in
            var rng = root.child(k)
            let x = Self.data(T: 240, elements: 3, rho: 0.5, phi: 0.6, rng: &rng)
            let blocks = BlockJackknife.blocks(samples: x.rows, tau: IntegratedAutocorrelation(columnsOf: x).tau) ?? 0
            guard blocks >= 4 else { return (.nan, .nan, 0) }
            let j = try BlockJackknife.error(count: x.rows, blocks: blocks) { idx in try Self.r(x.selectingRows(idx)) }
            return (j.estimate, j.error, blocks)
        }
        let report = Calibration.evaluate(estimates: trials.map(\.estimate), errors: trials.map(\.error), truth: 0, bias: .empirical)
        print("block jackknife: \(report), median blocks \(Stats.median(trials.map { Double($0.blocks) }))")
        XCTAssertTrue(report.passes(pullWindow: Self.window(n)), report.description)
        let medianBlocks = Stats.median(trials.map { Double($0.blocks) })
        XCTAssertTrue((8...16).contains(medianBlocks), "median blocks \(medianBlocks)")
        let iid = try Calibration.run(replicates: 100, seed: 33, truth: 0, bias: .empirical) { rng in
            let x = Self.data(T: 240, elements: 3, rho: 0.5, phi: 0.6, rng: &rng)
            let b = try Resampling.bootstrapError(count: x.rows, replicates: 25, rng: &rng) { idx in try Self.r(x.selectingRows(idx)) }
            return (try Self.r(x), b.error)
        }
        print("i.i.d. bootstrap: \(iid)")
        XCTAssertGreaterThan(iid.pullSD, 1.3, "an i.i.d. bootstrap ignores the autocorrelation: \(iid)")
    }

    /// Summed social forces with reference k reproduce the averaged model exactly for a group of k, and differ for
    /// other sizes; the minimum-image cohesion of two agents across the box edge.
    func testSummedForcesAndGroupOrder() {
        var q = FlockingParameters()
        q.transient = 10; q.duration = 60; q.sampleInterval = 1
        var s = q
        s.summedForcesReference = 6
        var r1 = Xoshiro256(seed: 4), r2 = Xoshiro256(seed: 4)
        let a = FlockingSimulation.simulate(agents: 6, parameters: q, rng: &r1), b = FlockingSimulation.simulate(agents: 6, parameters: s, rng: &r2)
        XCTAssertEqual(a.vx, b.vx); XCTAssertEqual(a.x, b.x)
        var r3 = Xoshiro256(seed: 4), r4 = Xoshiro256(seed: 4)
        XCTAssertNotEqual(FlockingSimulation.simulate(agents: 8, parameters: q, rng: &r3).vx,
                          FlockingSimulation.simulate(agents: 8, parameters: s, rng: &r4).vx)
        let t = FlockTrajectory(agents: 2, samples: 1, x: [0.5, 49.5 + 100], y: [10, 10], vx: [1, 1], vy: [0, 0])
        let o = GroupOrder(t, parameters: q)
        XCTAssertEqual(o.meanDistance, 1, accuracy: 1e-12)
        XCTAssertEqual(o.polarisation, 1, accuracy: 1e-12)
    }
}
