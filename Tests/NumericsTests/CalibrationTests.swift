import XCTest
@testable import Numerics

/// Calibration of every error Numerics reports (issue 12 §2): synthetic data of known truth, 500 independent
/// replicates, pull sd in 0.9…1.1 and ±1σ coverage in 62…74 %. Each test also checks that the old rule (error/√2 for
/// random halves and for the Strong et al. extrapolation) fails the same window, so the test has the power to see it.
final class CalibrationTests: XCTestCase {
    static let replicates = 500

    /// A discrete distribution with closed-form entropy: p = (0.4, 0.3, 0.2, 0.1).
    static let p = [0.4, 0.3, 0.2, 0.1]
    static var entropyBits: Double { DiscreteInformation.entropy(probabilities: p) }

    /// Codes 0..<K drawn from `p` by inversion.
    static func draw(_ n: Int, _ rng: inout Xoshiro256) -> [Int] {
        (0..<n).map { _ in
            var u = rng.uniform(), k = 0
            while k < p.count - 1 && u >= p[k] { u -= p[k]; k += 1 }
            return k
        }
    }

    /// Plug-in entropy (bits) of codes 0..<4 at the given indices: counts in a fixed array (fast in debug builds).
    static func plugIn(_ x: [Int], _ idx: [Int]) -> Double {
        var c = [Int](repeating: 0, count: p.count)
        for i in idx { c[x[i]] += 1 }
        return DiscreteInformation.entropy(counts: c)
    }

    func report(_ name: String, _ r: Calibration.Report) {
        print("calibration \(name): \(r)")
    }

    /// Random halves, linear statistic: the mean of n = 40 standard normals, truth 0.
    func testRandomHalvesErrorOfTheMean() {
        let r = Calibration.run(replicates: Self.replicates, seed: 101, truth: 0) { rng -> (estimate: Double, error: Double) in
            let x = (0..<40).map { _ in rng.normal() }
            let h = Resampling.randomHalves(count: x.count, splits: 16, rng: &rng) { idx in Stats.mean(idx.map { x[$0] }) }
            return (Stats.mean(x), h.error)
        }
        report("random halves, mean", r)
        XCTAssertTrue(r.passes, r.description)
        // The old rule, error/√2, on the same replicates.
        let o = Calibration.run(replicates: Self.replicates, seed: 101, truth: 0) { rng -> (estimate: Double, error: Double) in
            let x = (0..<40).map { _ in rng.normal() }
            let h = Resampling.randomHalves(count: x.count, splits: 16, rng: &rng) { idx in Stats.mean(idx.map { x[$0] }) }
            return (Stats.mean(x), h.error / 2.0.squareRoot())
        }
        report("random halves, mean, old /√2 rule", o)
        XCTAssertFalse(o.passes, o.description)
    }

    /// Random halves, non-linear statistic: plug-in entropy of n = 200 draws of p, truth H(p), with the known
    /// Miller–Madow bias −(K − 1)/(2n) nats removed.
    func testRandomHalvesErrorOfPlugInEntropy() {
        let n = 200
        let bias = -Double(Self.p.count - 1) / (2 * Double(n)) / log(2)
        func trial(_ rng: inout Xoshiro256, _ scale: Double) -> (estimate: Double, error: Double) {
            let x = Self.draw(n, &rng)
            let h = Resampling.randomHalves(count: n, splits: 16, rng: &rng) { idx in Self.plugIn(x, idx) }
            return (Self.plugIn(x, Array(0..<n)), h.error * scale)
        }
        let r = Calibration.run(replicates: Self.replicates, seed: 202, truth: Self.entropyBits, bias: .known(bias)) { trial(&$0, 1) }
        report("random halves, plug-in entropy", r)
        XCTAssertTrue(r.passes, r.description)
        let o = Calibration.run(replicates: Self.replicates, seed: 202, truth: Self.entropyBits, bias: .known(bias)) {
            trial(&$0, 1 / 2.0.squareRoot())
        }
        report("random halves, plug-in entropy, old /√2 rule", o)
        XCTAssertFalse(o.passes, o.description)
    }

    /// Random halves on a Gaussian MI from the sample correlation: bivariate normal ρ = 0.6, n = 100, truth
    /// −½ log(1 − ρ²) nats; the estimator's small-sample bias is removed empirically.
    func testRandomHalvesErrorOfGaussianMI() throws {
        let rho = 0.6, n = 100
        let truth = -0.5 * log(1 - rho * rho)
        func mi(_ a: [Double], _ b: [Double], _ idx: [Int]) -> Double {
            var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
            for i in idx { sa += a[i]; sb += b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i]; sab += a[i] * b[i] }
            let m = Double(idx.count)
            let cab = sab - sa * sb / m, caa = saa - sa * sa / m, cbb = sbb - sb * sb / m
            let r = cab / (caa * cbb).squareRoot()
            return -0.5 * log(1 - r * r)
        }
        func trial(_ rng: inout Xoshiro256, _ scale: Double) -> (estimate: Double, error: Double) {
            var a = [Double](), b = [Double]()
            for _ in 0..<n { let u = rng.normal(); a.append(u); b.append(rho * u + (1 - rho * rho).squareRoot() * rng.normal()) }
            let h = Resampling.randomHalves(count: n, splits: 16, rng: &rng) { idx in mi(a, b, idx) }
            return (mi(a, b, Array(0..<n)), h.error * scale)
        }
        let r = Calibration.run(replicates: Self.replicates, seed: 303, truth: truth, bias: .empirical) { trial(&$0, 1) }
        report("random halves, Gaussian MI", r)
        XCTAssertTrue(r.passes, r.description)
        // The correlation-based MI agrees with GaussianInformation on one sample.
        var rng = Xoshiro256(seed: 1)
        var data = [Double]()
        for _ in 0..<n { let u = rng.normal(); data += [u, rho * u + 0.8 * rng.normal()] }
        let m = Matrix(rows: n, cols: 2, data: data)
        XCTAssertEqual(try GaussianInformation.mutualInformation(m.correlation(), [0], [1]),
                       mi(stride(from: 0, to: 2 * n, by: 2).map { data[$0] }, stride(from: 1, to: 2 * n, by: 2).map { data[$0] },
                          Array(0..<n)), accuracy: 1e-12)
        let o = Calibration.run(replicates: Self.replicates, seed: 303, truth: truth, bias: .empirical) { trial(&$0, 1 / 2.0.squareRoot()) }
        report("random halves, Gaussian MI, old /√2 rule", o)
        XCTAssertFalse(o.passes, o.description)
    }

    /// Bootstrap error of the mean of n = 50 normals with mean 1, truth 1. (On skewed data, e.g. exponentials at
    /// n = 50, the pull sd is 1.14: the t-statistic's own skew-induced tails, not a fault of the error.)
    func testBootstrapErrorOfTheMean() {
        func trial(_ rng: inout Xoshiro256, _ scale: Double) -> (estimate: Double, error: Double) {
            let x = (0..<50).map { _ in rng.normal(1, 1) }
            let b = Resampling.bootstrapError(count: x.count, replicates: 100, rng: &rng) { idx in
                var s = 0.0
                for i in idx { s += x[i] }
                return s / Double(idx.count)
            }
            return (Stats.mean(x), b.error * scale)
        }
        let r = Calibration.run(replicates: Self.replicates, seed: 404, truth: 1) { trial(&$0, 1) }
        report("bootstrap, mean", r)
        XCTAssertTrue(r.passes, r.description)
        let o = Calibration.run(replicates: Self.replicates, seed: 404, truth: 1) { trial(&$0, 1 / 2.0.squareRoot()) }
        report("bootstrap, mean, /√2 (power check)", o)
        XCTAssertFalse(o.passes, o.description)
    }

    /// Bootstrap error of the median (the retina's medians over 160 cells), n = 101 draws of a skewed continuous
    /// distribution (log-normal, median 1), 100 resamples; the /√2 power check reuses the same 500 trials.
    func testBootstrapErrorOfTheMedian() {
        let root = Xoshiro256(seed: 707)
        let trials = (0..<Self.replicates).map { k -> (estimate: Double, error: Double) in
            var rng = root.child(k)
            let x = (0..<101).map { _ in exp(rng.normal(0, 0.8)) }
            return (Stats.median(x), Resampling.medianError(x, replicates: 100, rng: &rng))
        }
        let r = Calibration.evaluate(estimates: trials.map(\.estimate), errors: trials.map(\.error), truth: 1)
        report("bootstrap, median", r)
        XCTAssertTrue(r.passes, r.description)
        let o = Calibration.evaluate(estimates: trials.map(\.estimate), errors: trials.map { $0.error / 2.0.squareRoot() }, truth: 1)
        report("bootstrap, median, /√2 (power check)", o)
        XCTAssertFalse(o.passes, o.description)
    }

    /// Standard error of the mean, n = 20 normals with mean 3 and sd 2.
    func testStandardErrorOfTheMean() {
        func trial(_ rng: inout Xoshiro256, _ scale: Double) -> (estimate: Double, error: Double) {
            let x = (0..<20).map { _ in rng.normal(3, 2) }
            return (Stats.mean(x), Stats.standardError(x) * scale)
        }
        let r = Calibration.run(replicates: Self.replicates, seed: 505, truth: 3) { trial(&$0, 1) }
        report("standard error of the mean", r)
        XCTAssertTrue(r.passes, r.description)
        let o = Calibration.run(replicates: Self.replicates, seed: 505, truth: 3) { trial(&$0, 1 / 2.0.squareRoot()) }
        report("standard error of the mean, /√2 (power check)", o)
        XCTAssertFalse(o.passes, o.description)
    }

    /// Slope error of a straight-line fit: y = 1 + 2x + N(0, 0.5²) at 30 points, truth 2. (At 12 points the pull is
    /// t-distributed with 10 degrees of freedom, sd √(10/8) = 1.12: correct errors, heavy tails.)
    func testLinearFitSlopeError() {
        let xs = Stats.linspace(0, 1, 30)
        func trial(_ rng: inout Xoshiro256, _ scale: Double) -> (estimate: Double, error: Double) {
            let f = Stats.linearFit(xs, xs.map { 1 + 2 * $0 + rng.normal(0, 0.5) })
            return (f.slope, f.slopeError * scale)
        }
        let r = Calibration.run(replicates: Self.replicates, seed: 606, truth: 2) { trial(&$0, 1) }
        report("linear fit slope", r)
        XCTAssertTrue(r.passes, r.description)
        let o = Calibration.run(replicates: Self.replicates, seed: 606, truth: 2) { trial(&$0, 1 / 2.0.squareRoot()) }
        XCTAssertFalse(o.passes, o.description)
    }

    /// Strong et al. extrapolation of the plug-in entropy of n = 200 draws of p to infinite data, truth H(p); the
    /// extrapolation removes the 1/N bias, and the residual is removed empirically (and checked to be small).
    func testStrongExtrapolationError() throws {
        let n = 200
        func trial(_ rng: inout Xoshiro256, legacy: Bool) throws -> (estimate: Double, error: Double) {
            let x = Self.draw(n, &rng)
            let e = try SampleSizeExtrapolation.extrapolate(count: n, repeats: 8, legacyHalfRule: legacy, rng: &rng) { idx in
                Self.plugIn(x, idx)
            }
            return (e.value, e.error)
        }
        let r = try Calibration.run(replicates: Self.replicates, seed: 707, truth: Self.entropyBits, bias: .empirical) {
            try trial(&$0, legacy: false)
        }
        report("Strong et al. extrapolation, plug-in entropy", r)
        XCTAssertTrue(r.passes, r.description)
        XCTAssertLessThan(abs(r.pullMean), 0.25, "residual bias after extrapolation, in units of the error")
        let o = try Calibration.run(replicates: Self.replicates, seed: 707, truth: Self.entropyBits, bias: .empirical) {
            try trial(&$0, legacy: true)
        }
        report("Strong et al. extrapolation, old var(half)/2 rule", o)
        XCTAssertFalse(o.passes, o.description)
    }

    func testHarnessOnExactPulls() {
        // Errors equal to the true sd: pull sd ≈ 1 and coverage ≈ 68 %; a known bias is removed.
        let r = Calibration.run(replicates: 2000, seed: 9, truth: 5, bias: .known(0.5)) { rng in (5.5 + 0.1 * rng.normal(), 0.1) }
        XCTAssertEqual(r.pullSD, 1, accuracy: 0.05)
        XCTAssertEqual(r.coverage, 0.683, accuracy: 0.03)
        XCTAssertEqual(r.pullMean, 0, accuracy: 0.05)
        XCTAssertTrue(r.passes)
        let bad = Calibration.evaluate(estimates: [1, 2, 3], errors: [1, .nan, 1], truth: 2)
        XCTAssertEqual(bad.invalid, 1)
        XCTAssertFalse(bad.passes)
    }
}

final class CopulaTransformTests: XCTestCase {
    /// The reference: ranks by a comparison sort, then Φ⁻¹(rank/(n + 1)) element by element (the pre-radix code).
    static func reference(_ x: [Double]) -> [Double] {
        let order = x.indices.sorted { x[$0] < x[$1] }
        var r = [Double](repeating: 0, count: x.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && x[order[j + 1]] == x[order[i]] { j += 1 }
            for k in i...j { r[order[k]] = Double(i + j) / 2 + 1 }
            i = j + 1
        }
        return r.map { Special.inverseNormalCDF($0 / Double(x.count + 1)) }
    }

    func testRadixCopulaMatchesComparisonSortBitForBit() {
        var rng = Xoshiro256(seed: 77)
        for n in [1, 2, 5, 63, 64, 65, 300, 2000] {
            // Mixed signs, ±0, ties, huge and tiny magnitudes.
            var x = (0..<n).map { _ -> Double in
                switch rng.int(below: 6) {
                case 0: return Double(rng.int(below: 5)) - 2
                case 1: return rng.int(below: 2) == 0 ? 0.0 : -0.0
                case 2: return rng.normal() * 1e300
                case 3: return rng.normal() * 1e-300
                default: return rng.normal()
                }
            }
            if n > 3 { x[1] = x[0] }
            XCTAssertEqual(GaussianInformation.ranks(x).map { Special.inverseNormalCDF($0 / Double(n + 1)) }, Self.reference(x), "n = \(n)")
            XCTAssertEqual(GaussianInformation.copula(x), Self.reference(x), "n = \(n)")
            let m = Matrix(rows: n, cols: 3, data: (0..<(3 * n)).map { i in i % 3 == 1 ? x[i / 3] : rng.normal() })
            let g = GaussianInformation.copula(columnsOf: m)
            for j in 0..<3 { XCTAssertEqual(g.column(j), Self.reference(m.column(j)), "n = \(n), column \(j)") }
        }
    }
}
