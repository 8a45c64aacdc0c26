import Foundation
import Numerics

/// Mean of R independent replicate values with its one-σ error.
///
/// The error is the replicate spread s/√R, widened by √((R − 1)/(R − 3)) so that for normally distributed replicate
/// values the pull (mean − μ)/error, a Student t with R − 1 degrees of freedom rescaled, has unit standard deviation
/// (the plain s/√R gives sd √((R−1)/(R−3)), 1.13 at R = 10). Needs R ≥ 4.
public enum ReplicateSpread {
    public static func mean(_ values: [Double]) -> (mean: Double, error: Double) {
        precondition(values.count >= 4, "the replicate error needs at least 4 replicates, got \(values.count)")
        let r = Double(values.count)
        return (Stats.mean(values), Stats.standardError(values) * ((r - 1) / (r - 3)).squareRoot())
    }
}

extension ReplicateSpread {
    /// The one-σ error of a value computed on one run, from the same quantity on K ≥ 4 *other* independent runs of the
    /// same process (not including the run itself): sd(others) · √((K − 1)/(K − 3)). For normally distributed run
    /// values, (value − E value)/sd(others) is a Student t with K − 1 degrees of freedom; the factor gives it unit
    /// standard deviation. The error is about E value, the mean of the estimator over runs (finite-sample bias included).
    public static func single(others: [Double]) -> Double {
        precondition(others.count >= 4, "the single-run error needs at least 4 other runs, got \(others.count)")
        let k = Double(others.count)
        return Stats.standardDeviation(others) * ((k - 1) / (k - 3)).squareRoot()
    }
}
