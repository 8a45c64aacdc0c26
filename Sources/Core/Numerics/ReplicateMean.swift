import Foundation

/// The mean x̄ of R independent replicate values x₁ … x_R (runs, seeds, simulations) and its one-σ error, in the two
/// conventions the reports use. Both start from the replicate spread s/√R (s the sample sd, divisor R − 1), which is
/// too small for few replicates: (x̄ − μ)/(s/√R) is a Student t with R − 1 degrees of freedom, not a standard normal.
///
/// - **Unit pull sd** (`unitPull`, `unitPullError`, `singleRunError`): s/√R · √((R − 1)/(R − 3)), so that the pull
///   (x̄ − μ)/error has standard deviation 1 (the sd of t_ν is √(ν/(ν − 2))). Needs R ≥ 4. ±1σ then covers less than
///   68 % (72.5 % at R = 8 is the t quantile of ±1/1.18). Used where pulls are aggregated (collective, RMI).
/// - **One-σ coverage** (`coverage`, `coverageError`): t_{R−1}(Φ(1)) · s/√R, the half-width that covers 68.27 %
///   exactly for normal replicates (1.3213 · s/√R at R = 3). Needs R ≥ 2. Used where a ± is read as an interval
///   (geometry, RINE).
///
/// The one home of these rules (issue 12): the modules call them rather than carry copies.
public enum ReplicateMean {
    /// x̄ and its unit-pull-sd error; R ≥ 4.
    public static func unitPull(_ values: [Double]) -> (mean: Double, error: Double) {
        precondition(values.count >= 4, "the replicate error needs at least 4 replicates, got \(values.count)")
        return (Stats.mean(values), unitPullError(values)!)
    }

    /// The unit-pull-sd error s/√R · √((R − 1)/(R − 3)), or nil below 4 replicates, where no scale factor gives a
    /// pull sd of 1 (t₂ has no variance; t₃'s pull sd is not defined by a finite fourth moment).
    public static func unitPullError(_ values: [Double]) -> Double? {
        guard values.count >= 4 else { return nil }
        let r = Double(values.count)
        return Stats.standardError(values) * ((r - 1) / (r - 3)).squareRoot()
    }

    /// The one-σ error of a value computed on one run, from the same quantity on K ≥ 4 *other* independent runs of the
    /// same process (not including the run itself): sd(others) · √((K − 1)/(K − 3)). For normal run values,
    /// (value − E value)/sd(others) is a Student t with K − 1 degrees of freedom; the factor gives it unit sd. The error
    /// is about E value, the mean of the estimator over runs (finite-sample bias included).
    public static func singleRunError(others: [Double]) -> Double {
        precondition(others.count >= 4, "the single-run error needs at least 4 other runs, got \(others.count)")
        let k = Double(others.count)
        return Stats.standardDeviation(others) * ((k - 1) / (k - 3)).squareRoot()
    }

    /// x̄, its one-σ-coverage error t_{R−1}(Φ(1)) · s/√R, and s; R ≥ 2.
    public static func coverage(_ values: [Double]) -> (mean: Double, error: Double, sd: Double) {
        precondition(values.count >= 2, "a spread needs at least two replicates, got \(values.count)")
        let sd = Stats.standardDeviation(values)
        return (Stats.mean(values), coverageError(sd: sd, count: values.count), sd)
    }

    /// The one-σ-coverage error of a mean over `count` replicates with sample sd `sd` (divisor R − 1).
    public static func coverageError(sd: Double, count: Int) -> Double {
        precondition(count >= 2, "a spread needs at least two replicates, got \(count)")
        return StudentT.oneSigmaQuantile(dof: count - 1) * sd / Double(count).squareRoot()
    }

    /// The same from a population sd (divisor R, numpy's default `ddof = 0`) over `count` replicates.
    public static func coverageError(populationSD sd0: Double, count: Int) -> Double {
        precondition(count >= 2, "a spread needs at least two replicates, got \(count)")
        let r = Double(count)
        return coverageError(sd: sd0 * (r / (r - 1)).squareRoot(), count: count)
    }
}
