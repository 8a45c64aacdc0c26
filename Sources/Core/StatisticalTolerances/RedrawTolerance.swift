import Foundation
import AnalysisKit
import Numerics

/// Check tolerance of a value that a rounding-level change of the code redraws (issue 12 §4).
///
/// Trainings of neural estimators are chaotic: another BLAS kernel or a reordered sum sends every run elsewhere, so a
/// stored mean over runs can only be compared with an independent redraw of all its runs. Stored and redrawn value
/// then differ by √2 σ, σ the value's standard error. σ is estimated from the same runs with ν degrees of freedom, so
/// the bound is √2 · t_ν(99.865 %) · σ̂: the two-sided 99.73 % quantile of Student's t, the 3σ of a normal.
///
/// Two error conventions come in (see `ReplicateMean`): a plain standard error σ̂ = s/√R (`standardError(_:runs:)`),
/// or a one-σ-coverage error t_ν(84.13 %) · σ̂ (`tolerance(error:dof:)`), from which σ̂ = error / t_ν(84.13 %).
/// The one home of this rule for RenormalizedMI and RINE.
public enum RedrawTolerance {
    /// One-sided 99.865 %: the two-sided 99.73 % of a normal 3σ.
    public static let coverage = 0.5 + 0.5 * erf(3 / 2.0.squareRoot())

    /// √2 · t_ν(99.865 %) / t_ν(84.13 %): turns a one-σ-coverage error on ν degrees of freedom into the redraw bound.
    /// 8.2 for ν = 4 (5 runs), 20.6 for ν = 2 (3 runs), 5.3 for ν = 7.
    public static func factor(dof: Int) -> Double {
        precondition(dof >= 1, "need at least one degree of freedom")
        return 2.0.squareRoot() * StudentT.quantile(coverage, dof: dof) / StudentT.oneSigmaQuantile(dof: dof)
    }

    /// The bound for a value with one-σ-coverage error `error` on `dof` degrees of freedom (fractional ν, e.g.
    /// Welch–Satterthwaite, rounded down). Without an error (one run) there is no spread to go by: the value must then
    /// reproduce to rounding (relative 10⁻⁶), which a kernel change will break.
    public static func tolerance(error: Double?, dof: Double) -> Tolerance {
        guard let error, error.isFinite, error > 0, dof >= 1 else { return .relative(1e-6) }
        return .absolute(factor(dof: Int(dof.rounded(.down))) * error)
    }

    /// The same for a mean over `runs` independent runs (ν = runs − 1).
    public static func tolerance(error: Double?, runs: Int) -> Tolerance { tolerance(error: error, dof: Double(runs - 1)) }

    /// The bound √2 · t_{runs−1}(99.865 %) · se for a plain standard error `se` over `runs` runs, or nil when there is
    /// no spread to go by (one run, or no error).
    public static func standardError(_ se: Double?, runs: Int) -> Tolerance? {
        guard runs > 1, let se, se.isFinite else { return nil }
        return .absolute(2.0.squareRoot() * StudentT.quantile(coverage, dof: runs - 1) * se)
    }

    /// A spread (sd over runs) without an error of its own: its relative standard error is 1/√(2(runs − 1)), so the
    /// redraw bound is 3√2/√(2(runs − 1)) = 3/√(runs − 1), relative.
    public static func spread(runs: Int) -> Tolerance { .relative(3 / Double(max(runs - 1, 1)).squareRoot()) }

    /// A median over runs (e.g. the median best epoch): standard error √(π/2) · sd/√n (normal approximation) and the
    /// same bound √2 · t_{n−1}(99.865 %) · se. One run or no spread: the value must reproduce exactly.
    public static func median(_ v: [Double]) -> Tolerance {
        guard v.count > 1 else { return .absolute(0) }
        let se = (Double.pi / 2).squareRoot() * Stats.standardDeviation(v) / Double(v.count).squareRoot()
        guard se > 0 else { return .absolute(0) }
        return .absolute(2.0.squareRoot() * StudentT.quantile(coverage, dof: v.count - 1) * se)
    }

    /// A fraction k/runs of runs with some outcome (e.g. stopped at the epoch cap): binomial standard error from the
    /// Laplace estimate (k + 1)/(runs + 2), never zero (so a fraction of 0 or 1 does not get a bound of 0), times 3√2.
    public static func fraction(_ k: Int, runs: Int) -> Tolerance {
        precondition(runs >= 1, "a fraction needs at least one run")
        let p = Double(k + 1) / Double(runs + 2)
        return .absolute(3 * 2.0.squareRoot() * (p * (1 - p) / Double(runs)).squareRoot())
    }
}
