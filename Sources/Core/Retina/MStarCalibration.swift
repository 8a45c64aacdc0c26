import Foundation
import Numerics

/// The default M* criterion of one coarse-graining step in a form fast enough for bootstraps and calibration runs:
/// FI(M) per case (non-decreasing in M, as `CompressionSweep` makes I_max), the relative error of the available
/// information per case, and the cases of each σ0 (a "cell"). `mStarIndex(cells:)` gives exactly the M* index of
/// `CoarseGraining.criterionCurve` with `CriterionChoice()` on the same σ0 choices (tested), in O(cases · log grid).
public struct MStarCriterion: Sendable {
    /// FI per case and grid index, row-major `fi[case * gridCount + k]`.
    public let fi: [Double]
    /// Relative error δI/I of the available information per case (1 when I ≤ 0, as in `criterionCurve`).
    public let relativeError: [Double]
    /// Cases of cell c: `cellStart[c]..<cellStart[c + 1]`.
    public let cellStart: [Int]
    public let gridCount: Int
    public let criterion: Double

    public var cells: Int { cellStart.count - 1 }

    /// From FI curves (each non-decreasing in M), relative errors and the number of cases per cell.
    public init(fi: [[Double]], relativeError: [Double], casesPerCell: [Int], criterion: Double) {
        precondition(fi.count == relativeError.count && casesPerCell.reduce(0, +) == fi.count && !fi.isEmpty, "one FI curve and one error per case")
        let k = fi[0].count
        precondition(k >= 1 && fi.allSatisfy { $0.count == k }, "every FI curve on the same grid")
        precondition(fi.allSatisfy { c in zip(c, c.dropFirst()).allSatisfy { $0 <= $1 } }, "FI must be non-decreasing in M")
        self.fi = fi.flatMap { $0 }
        self.relativeError = relativeError
        var start = [0]
        for n in casesPerCell { start.append(start.last! + n) }
        cellStart = start; gridCount = k; self.criterion = criterion
    }

    /// The criterion of a completed step's cases (plug-in FI, relative error of the available information).
    public init(cases: [[CompressionCase]], criterion: Double) {
        let flat = cases.flatMap { $0 }
        self.init(fi: flat.map(\.fraction),
                  relativeError: flat.map { $0.available > 0 ? $0.availableError / $0.available : 1 },
                  casesPerCell: cases.map(\.count), criterion: criterion)
    }

    /// Index into the grid of M* over the cases of the chosen cells (with repetition), nil when D_FI never reaches
    /// the criterion. `scratch` avoids reallocations in loops.
    public func mStarIndex(cells chosen: [Int]) -> Int? {
        var errors = [Double]()
        errors.reserveCapacity(chosen.count * 8)
        for c in chosen { for i in cellStart[c]..<cellStart[c + 1] { errors.append(relativeError[i]) } }
        let d = Stats.median(errors)
        let threshold = 1 - d
        var firstPass = [Int](repeating: 0, count: gridCount + 1)
        var total = 0
        fi.withUnsafeBufferPointer { f in
            for c in chosen {
                for i in cellStart[c]..<cellStart[c + 1] {
                    // First k with FI[k] ≥ 1 − d (FI non-decreasing), gridCount when none.
                    var lo = 0, hi = gridCount
                    let base = i * gridCount
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if f[base + mid] >= threshold { hi = mid } else { lo = mid + 1 }
                    }
                    firstPass[lo] += 1
                    total += 1
                }
            }
        }
        var passed = 0
        for k in 0..<gridCount {
            passed += firstPass[k]
            if Double(passed) / Double(total) >= criterion { return k }
        }
        return nil
    }
}

/// Calibration of the error of M* (issue 12). M* is the first grid M at which the fraction D_FI of (σ0, group) cases
/// with FI(M) ≥ 1 − ΔFI reaches the criterion: a discrete statistic of the whole population of cells.
///
/// A synthetic world with a known M*: a finite population of cells, each with its cases' true FI curves f(M), the
/// noise s(M) of a measured FI and the true relative error r of the available information. One experiment draws
/// `cells` cells from the population (with replacement) and measures every case: FI_obs(M) = max_{M' ≤ M}(f(M') +
/// z·s(M')), one z ~ N(0, 1) per case (correlated ρ within a cell), and r̂ = r·√(χ²_ν/ν). The analysis' estimator
/// then gives M̂* and its error. The truth is the M* of the population under the same measurement: ΔFI is the
/// population median of r̂ (solved with the χ²_ν distribution) and D_FI(M) = mean over cases of
/// P(FI_obs(M) ≥ 1 − ΔFI) = Φ(−min_{M' ≤ M} (1 − ΔFI − f(M'))/s(M')), both in closed form.
public enum MStarCalibration {
    /// One case of the population: the true FI curve, the noise of a measured FI and the true relative error r.
    public struct TrueCase: Sendable {
        public var fi: [Double]
        public var noise: [Double]
        public var relativeError: Double
        public init(fi: [Double], noise: [Double], relativeError: Double) {
            self.fi = fi; self.noise = noise; self.relativeError = relativeError
        }
    }

    /// Measurement model of one experiment.
    public struct Measurement: Sendable {
        /// Degrees of freedom ν of the per-case error estimate (halves − 1; 2 splits give 4 halves, ν = 3).
        public var degrees: Int
        /// Correlation of the FI noise z between the cases of one cell (the same σ0).
        public var withinCell: Double
        public init(degrees: Int = 3, withinCell: Double = 0.5) {
            precondition(degrees >= 1 && (0...1).contains(withinCell))
            self.degrees = degrees; self.withinCell = withinCell
        }
    }

    /// The population's M*: index into the grid (nil when never reached), ΔFI and D_FI per grid index.
    public static func truth(_ population: [[TrueCase]], criterion: Double, measurement: Measurement)
        -> (index: Int?, deltaFI: Double, dfi: [Double]) {
        let flat = population.flatMap { $0 }
        let nu = Double(measurement.degrees)
        // Population median of r̂ = r √(χ²_ν/ν): mean over cases of P(r̂ ≤ Δ) = F_ν(ν Δ²/r²) = 1/2.
        func cdf(_ d: Double) -> Double {
            flat.map { $0.relativeError > 0 ? chiSquareCDF(nu * d * d / ($0.relativeError * $0.relativeError), degrees: measurement.degrees) : 1 }
                .reduce(0, +) / Double(flat.count)
        }
        var lo = 0.0, hi = 10 * (flat.map(\.relativeError).max() ?? 1) + 1e-12
        for _ in 0..<200 { let mid = 0.5 * (lo + hi); if cdf(mid) < 0.5 { lo = mid } else { hi = mid } }
        let delta = 0.5 * (lo + hi)
        let k = flat[0].fi.count
        var dfi = [Double](repeating: 0, count: k)
        for c in flat {
            var minT = Double.infinity
            for j in 0..<k {
                let gap = 1 - delta - c.fi[j]
                let t = c.noise[j] > 0 ? gap / c.noise[j] : (gap <= 0 ? -Double.infinity : Double.infinity)
                minT = min(minT, t)
                dfi[j] += Special.normalCDF(-minT)
            }
        }
        dfi = dfi.map { $0 / Double(flat.count) }
        return (dfi.firstIndex { $0 >= criterion }, delta, dfi)
    }

    /// χ²_ν cumulative distribution P(ν/2, x/2) (regularised lower incomplete gamma, series; continued fraction for
    /// large x).
    static func chiSquareCDF(_ x: Double, degrees: Int) -> Double {
        guard x > 0 else { return 0 }
        let a = Double(degrees) / 2, z = x / 2
        if z < a + 1 {
            var term = 1 / a, sum = term, n = a
            for _ in 0..<10_000 { n += 1; term *= z / n; sum += term; if term < sum * 1e-16 { break } }
            return min(1, sum * exp(-z + a * log(z) - lgamma(a)))
        }
        // Lentz continued fraction for Q(a, z).
        var b = z + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < 1e-300 { d = 1e-300 }
            c = b + an / c; if abs(c) < 1e-300 { c = 1e-300 }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return max(0, 1 - exp(-z + a * log(z) - lgamma(a)) * h)
    }

    /// One experiment: draws `cells` cells of the population and measures them.
    public static func experiment(_ population: [[TrueCase]], cells: Int, measurement: Measurement, criterion: Double,
                                  rng: inout Xoshiro256) -> MStarCriterion {
        var fi = [[Double]](), rel = [Double](), counts = [Int]()
        let rho = measurement.withinCell
        for _ in 0..<cells {
            let cell = population[rng.int(below: population.count)]
            let zc = rng.normal()
            for c in cell {
                let z = rho.squareRoot() * zc + (1 - rho).squareRoot() * rng.normal()
                var best = -Double.infinity
                fi.append(zip(c.fi, c.noise).map { f, s in best = max(best, f + z * s); return best })
                var chi2 = 0.0
                for _ in 0..<measurement.degrees { let g = rng.normal(); chi2 += g * g }
                rel.append(c.relativeError * (chi2 / Double(measurement.degrees)).squareRoot())
            }
            counts.append(cell.count)
        }
        return MStarCriterion(fi: fi, relativeError: rel, casesPerCell: counts, criterion: criterion)
    }

    /// M* of one step, its bootstrap over σ0 and the error rules compared by the calibration.
    public struct Estimate: Sendable {
        /// Grid value of M* (the largest grid value when never reached, as in the report).
        public var mStar: Double
        /// Grid values of M* on bootstrap resamples of the cells.
        public var bootstrap: [Double]
        /// sd of the bootstrap values (the report's error before the calibration).
        public var bootstrapSD: Double
        /// Grid spacing above M* (the resolution of the statistic).
        public var spacing: Double
        /// The calibrated error (`calibratedError`).
        public var error: Double { calibratedError(bootstrap: bootstrap, spacing: spacing) }
    }

    /// The calibrated error of M* from its bootstrap values: half the width of the central 68 % bootstrap percentile
    /// interval plus half a grid step, (q₈₄ − q₁₆)/2 + spacing/2 (a continuity correction: M̂* stands for the grid
    /// cell around it). For a bootstrap spread much wider than the grid it tends to the bootstrap sd. The bootstrap sd
    /// alone undercovers at ±2σ (it is below one grid step while M̂* misses the truth by one step in 10–40 % of
    /// experiments); this rule covers the truth at least at the nominal rate at ±1σ and ±2σ on every synthetic
    /// scenario (`MStarCalibrationTests`, report 000's calibration table). No symmetric error can reach the 62–74 %
    /// window of issue 12 at ±1σ when M̂* equals the truth in more than 74 % of experiments: the test is coverage of
    /// at least nominal, within the binomial error.
    public static func calibratedError(bootstrap: [Double], spacing: Double) -> Double {
        guard bootstrap.count >= 2 else { return .nan }
        return (Stats.quantile(bootstrap, 0.8413) - Stats.quantile(bootstrap, 0.1587)) / 2 + spacing / 2
    }

    /// M* and its bootstrap over σ0 (same resampling as `CoarseGraining.runStep`).
    public static func estimate(_ crit: MStarCriterion, grid: [Int], bootstrap: Int, rng: inout Xoshiro256) -> Estimate {
        let n = crit.cells
        let value = { (k: Int?) -> Double in Double(grid[k ?? grid.count - 1]) }
        let k = crit.mStarIndex(cells: Array(0..<n))
        let boots = (0..<bootstrap).map { _ in value(crit.mStarIndex(cells: (0..<n).map { _ in rng.int(below: n) })) }
        let ki = k ?? grid.count - 1
        let spacing = ki + 1 < grid.count ? Double(grid[ki + 1] - grid[ki]) : 1
        return Estimate(mStar: value(k), bootstrap: boots, bootstrapSD: Stats.standardDeviation(boots), spacing: spacing)
    }

    /// Coverage of the truth by one interval rule over the replicates.
    public struct Coverage: Sendable, CustomStringConvertible {
        public var rule: String
        /// Fraction of replicates with |M̂* − M*| ≤ 1σ and ≤ 2σ, and the mean σ.
        public var within1: Double, within2: Double, meanError: Double
        public var description: String { String(format: "%@: ±1σ %.3f, ±2σ %.3f (mean σ %.2f)", rule, within1, within2, meanError) }
    }

    /// Result of a calibration run.
    public struct Report: Sendable, CustomStringConvertible {
        public var replicates: Int
        /// The population's M* (grid value), ΔFI and the margin D_FI(M*) − criterion and D_FI one step below.
        public var truth: Double, deltaFI: Double, dfiAtTruth: Double, dfiBelow: Double
        /// Distribution of M̂* over the replicates: mean, sd, and the fraction equal to the truth.
        public var mean: Double, sd: Double, exact: Double
        /// Coverage per rule: bootstrap sd; bootstrap sd with the grid quantisation (spacing/√12) or half a step in
        /// quadrature; the calibrated error (`Estimate.error`: 68 % percentile half-width plus half a step).
        public var rules: [Coverage]
        public var description: String {
            String(format: "%d replicates, true M* %.0f (ΔFI %.4f, D_FI %.3f at M*, %.3f one step below); M̂* mean %.2f, sd %.2f, = truth in %.1f %%\n",
                   replicates, truth, deltaFI, dfiAtTruth, dfiBelow, mean, sd, 100 * exact) + rules.map { "  \($0)" }.joined(separator: "\n")
        }
        public func coverage(_ rule: String) -> Coverage { rules.first { $0.rule == rule }! }
    }

    /// Runs `replicates` experiments (child generators of `seed`, in parallel) and measures the coverage of the truth.
    public static func run(_ population: [[TrueCase]], grid: [Int], cells: Int, criterion: Double = 0.9,
                           measurement: Measurement = Measurement(), replicates: Int, bootstrap: Int, seed: UInt64) -> Report {
        precondition(replicates >= 2 && bootstrap >= 2 && cells >= 1 && grid.count == population[0][0].fi.count)
        let t = truth(population, criterion: criterion, measurement: measurement)
        let trueK = t.index ?? grid.count - 1
        let trueM = Double(grid[trueK])
        let root = Xoshiro256(seed: seed)
        let est = Parallel.map(replicates) { r -> Estimate in
            var g = root.child(r)
            let crit = experiment(population, cells: cells, measurement: measurement, criterion: criterion, rng: &g)
            return estimate(crit, grid: grid, bootstrap: bootstrap, rng: &g)
        }
        let m = est.map(\.mStar)
        func cover(_ rule: String, _ sigma: (Estimate) -> Double) -> Coverage {
            let s = est.map(sigma)
            let d = zip(m, s).map { (abs($0 - trueM), $1) }
            return Coverage(rule: rule, within1: Double(d.filter { $0.0 <= $0.1 + 1e-9 }.count) / Double(est.count),
                            within2: Double(d.filter { $0.0 <= 2 * $0.1 + 1e-9 }.count) / Double(est.count), meanError: Stats.mean(s))
        }
        let rules = [cover("bootstrap sd", \.bootstrapSD),
                     cover("bootstrap sd ⊕ quantisation", { ($0.bootstrapSD * $0.bootstrapSD + $0.spacing * $0.spacing / 12).squareRoot() }),
                     cover("bootstrap sd ⊕ half step", { ($0.bootstrapSD * $0.bootstrapSD + $0.spacing * $0.spacing / 4).squareRoot() }),
                     cover("calibrated", \.error)]
        return Report(replicates: replicates, truth: trueM, deltaFI: t.deltaFI, dfiAtTruth: t.dfi[trueK],
                      dfiBelow: trueK > 0 ? t.dfi[trueK - 1] : .nan, mean: Stats.mean(m), sd: Stats.standardDeviation(m),
                      exact: Double(m.filter { $0 == trueM }.count) / Double(m.count), rules: rules)
    }

    /// A synthetic population resembling step 1 of the real data: `cells` cells of `casesPerCell` groups with
    /// FI(M) = 1 − exp(−(M − 1)/τ), τ log-normal (median `tauMedian`, log-sd `tauSpread`), relative errors log-normal
    /// around `errorMedian` (log-sd 0.3) and FI noise `noiseRatio` · r · (1 − f(M) + 0.2).
    public static func syntheticPopulation(cells: Int, casesPerCell: Int = 8, grid: [Int], tauMedian: Double, tauSpread: Double,
                                           errorMedian: Double = 0.025, noiseRatio: Double = 0.5, seed: UInt64) -> [[TrueCase]] {
        var rng = Xoshiro256(seed: seed)
        return (0..<cells).map { _ in
            let cellShift = rng.normal()
            return (0..<casesPerCell).map { _ in
                let tau = tauMedian * exp(tauSpread * (0.5 * cellShift + 0.75.squareRoot() * rng.normal()))
                let r = errorMedian * exp(0.3 * rng.normal())
                let f = grid.map { 1 - exp(-Double($0 - 1) / tau) }
                return TrueCase(fi: f, noise: f.map { noiseRatio * r * (1 - $0 + 0.2) }, relativeError: r)
            }
        }
    }

    /// The parametric bootstrap of a measured step: its cases taken as the population (FI curves as true curves,
    /// their random-halves FI errors as the noise, their relative errors as r).
    public static func population(of cases: [[CompressionCase]]) -> [[TrueCase]] {
        cases.map { cell in cell.map { c in
            TrueCase(fi: c.fraction, noise: c.fractionError.map { $0.isFinite ? $0 : 0 },
                     relativeError: c.available > 0 ? c.availableError / c.available : 1)
        } }
    }
}
