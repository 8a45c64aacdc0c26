import Foundation

/// Calibration of an error estimator on synthetic data of known truth θ.
///
/// Each replicate r draws a fresh data set (its own generator `child(r)` of the seed, so the result does not depend on
/// threads), computes the estimate θ̂_r and its claimed standard error σ̂_r, and forms the pull
/// z_r = (θ̂_r − θ − b)/σ̂_r, with b a bias to remove (none, known in closed form, or the empirical mean offset).
/// A calibrated error has sd(z) ≈ 1 and covers the truth, |z| ≤ 1, in ≈ 68.3 % of replicates.
/// The acceptance window used by the tests (issue 12): sd(z) in 0.9…1.1 and ±1σ coverage in 62…74 % over ≥ 500
/// replicates.
///
/// Usage in any test target:
///
///     let r = try Calibration.run(replicates: 500, seed: 1, truth: h) { rng in
///         let data = draw(&rng); return (estimate(data), error(data))
///     }
///     XCTAssertTrue(r.passes, r.description)
public enum Calibration {
    /// The bias b subtracted from every estimate before forming the pulls.
    public enum Bias: Sendable {
        /// No bias correction: pulls about the truth.
        case none
        /// A bias known in closed form (e.g. the Miller–Madow term of a plug-in entropy).
        case known(Double)
        /// The mean offset mean(θ̂) − θ over the replicates (tests the error's size, not the estimator's bias).
        case empirical
    }

    /// Summary of the pulls of one calibration run.
    public struct Report: Sendable, CustomStringConvertible {
        public let replicates: Int
        /// Mean and standard deviation of the pulls z.
        public let pullMean: Double, pullSD: Double
        /// Fraction of replicates with |z| ≤ 1.
        public let coverage: Double
        /// The bias b that was removed.
        public let bias: Double
        /// Mean claimed error and the actual sd of the estimates (their ratio is the calibration in another form).
        public let meanError: Double, estimateSD: Double
        /// Replicates whose error was not finite and positive (they count as failures of coverage).
        public let invalid: Int

        /// sd(z) in `pullWindow` and coverage in `coverageWindow`, and no invalid error.
        public func passes(pullWindow: ClosedRange<Double> = 0.9...1.1,
                           coverageWindow: ClosedRange<Double> = 0.62...0.74) -> Bool {
            invalid == 0 && pullWindow.contains(pullSD) && coverageWindow.contains(coverage)
        }

        /// The default window of issue 12.
        public var passes: Bool { passes() }

        public var description: String {
            String(format: "%d replicates: pull mean %+.3f, pull sd %.3f, ±1σ coverage %.1f %%, bias removed %.4g, "
                   + "mean error %.4g vs sd of estimates %.4g, invalid %d",
                   replicates, pullMean, pullSD, 100 * coverage, bias, meanError, estimateSD, invalid)
        }
    }

    /// Pulls of given estimates and errors about `truth`.
    public static func evaluate(estimates: [Double], errors: [Double], truth: Double, bias: Bias = .none) -> Report {
        precondition(estimates.count == errors.count && estimates.count >= 2, "need ≥ 2 paired estimates and errors")
        let b: Double
        switch bias {
        case .none: b = 0
        case .known(let v): b = v
        case .empirical: b = Stats.mean(estimates) - truth
        }
        var pulls = [Double](), covered = 0, invalid = 0
        for (e, s) in zip(estimates, errors) {
            guard s.isFinite && s > 0 && e.isFinite else { invalid += 1; continue }
            let z = (e - truth - b) / s
            pulls.append(z)
            if abs(z) <= 1 { covered += 1 }
        }
        return Report(replicates: estimates.count, pullMean: Stats.mean(pulls), pullSD: Stats.standardDeviation(pulls),
                      coverage: Double(covered) / Double(estimates.count), bias: b,
                      meanError: Stats.mean(errors.filter { $0.isFinite }), estimateSD: Stats.standardDeviation(estimates),
                      invalid: invalid)
    }

    /// Runs `trial` on `replicates` independent generators (`Xoshiro256(seed:).child(r)`), concurrently, and
    /// evaluates the pulls. Deterministic for a fixed seed.
    public static func run(replicates: Int, seed: UInt64, truth: Double, bias: Bias = .none,
                           _ trial: (inout Xoshiro256) throws -> (estimate: Double, error: Double)) rethrows -> Report {
        precondition(replicates >= 2, "need at least 2 replicates")
        let root = Xoshiro256(seed: seed)
        let results = try Parallel.map(replicates) { r -> (estimate: Double, error: Double) in
            var rng = root.child(r)
            return try trial(&rng)
        }
        return evaluate(estimates: results.map(\.estimate), errors: results.map(\.error), truth: truth, bias: bias)
    }
}
