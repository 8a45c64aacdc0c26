import Foundation
import Numerics

/// Settings of a compression sweep over numbers of states M.
public struct SweepSettings: Sendable {
    /// Numbers of states M to try (ascending, each ≤ 255).
    public var mGrid: [Int]
    /// Restarts of the hard information bottleneck per fit.
    public var restarts: Int
    /// Random half-splits of the repeats for error bars (each gives two halves).
    public var splits: Int
    /// Use the exact interval optimum (dynamic programming) instead of the iterative hard IB.
    public var exact: Bool
    /// With the iterative optimiser, also compute the exact optimum on the same (all-data) joint distribution.
    public var compareExact: Bool
    /// Also compute the Miller–Madow corrected and the sample-size extrapolated informations (systematic study).
    public var biasVariants: Bool
    public init(mGrid: [Int], restarts: Int, splits: Int, exact: Bool = false, compareExact: Bool = false, biasVariants: Bool = false) {
        precondition(!mGrid.isEmpty && mGrid.allSatisfy { $0 >= 1 && $0 <= 255 } && mGrid == mGrid.sorted())
        self.mGrid = mGrid; self.restarts = restarts; self.splits = splits; self.exact = exact
        self.compareExact = compareExact; self.biasVariants = biasVariants
    }
}

/// The result of compressing one group of partners {σj} of one σ0 into M states, for every M of the grid.
public struct CompressionCase: Sendable {
    /// Available information I(σ0; {σj}) in bits (plug-in, all data) and its random-halves error with the χ² excess
    /// removed (`BiasCorrection.halvesErrorOfInformation`).
    public var available: Double
    public var availableError: Double
    /// Captured information I_max(M) in bits on all data, per grid M.
    public var captured: [Double]
    /// Fraction FI = I_max(M)/I(σ0;{σj}) and its random-halves error, per grid M.
    public var fraction: [Double]
    public var fractionError: [Double]
    /// Assignments x → σ̃ fitted on all data, per grid M (`assignments[k][x]`).
    public var assignments: [[UInt8]]
    /// States of the input variable seen in the data.
    public var statesSeen: Int
    /// The exact optimum of Eq (3) on the same all-data joint, per grid M (empty unless requested).
    public var exactCaptured: [Double] = []
    /// Miller–Madow corrected available and captured information (bits; empty unless requested).
    public var availableMM: Double = .nan
    public var capturedMM: [Double] = []
    /// Available and captured information extrapolated to infinitely many repeats, I(N) = I∞ + a/N, with the
    /// all-data assignments held fixed (bits; empty unless requested).
    public var availableExtrapolated: Double = .nan
    public var capturedExtrapolated: [Double] = []
    /// The same two corrections applied to the exact optimum's assignments (empty unless both were requested).
    public var exactCapturedMM: [Double] = []
    public var exactCapturedExtrapolated: [Double] = []

    /// This case with the exact optimum on the same inputs in place of the iterative result (requires `exactCaptured`;
    /// the per-case FI errors stay those of the iterative halves).
    public var withExactOptimum: CompressionCase {
        var c = self
        c.captured = exactCaptured
        c.fraction = exactCaptured.map { available > 0 ? $0 / available : 1 }
        if !exactCapturedMM.isEmpty { c.capturedMM = exactCapturedMM }
        if !exactCapturedExtrapolated.isEmpty { c.capturedExtrapolated = exactCapturedExtrapolated }
        return c
    }
}

/// Random-halves errors of several statistics computed on the same halves: the halves are drawn by
/// `Resampling.randomHalves` and every component's error is `Resampling.halvesError` of its half values (Numerics;
/// no private copy of the rule).
public enum HalvesErrors {
    /// `statistics(repeats)` returns the vector of statistics on one half; the result holds every half's vector and the
    /// error of each component.
    public static func run(count n: Int, splits: Int, rng: inout Xoshiro256,
                           statistics: ([Int]) -> [Double]) -> (perHalf: [[Double]], errors: [Double]) {
        var perHalf = [[Double]]()
        _ = Resampling.randomHalves(count: n, splits: splits, rng: &rng) { idx -> Double in
            let v = statistics(idx)
            perHalf.append(v)
            return v.first ?? 0
        }
        let dims = perHalf.first?.count ?? 0
        return (perHalf, (0..<dims).map { d in Resampling.halvesError(perHalf.map { $0[d] }) })
    }
}

/// Compression of one group: all data and random halves of the repeats, for every M.
public enum CompressionSweep {
    /// The captured-information curve I_max(M) over the grid on one joint distribution (non-decreasing in M: a solution
    /// with fewer states is admissible with more), with the assignment that achieves each value.
    static func curve(_ joint: BinaryJoint, settings: SweepSettings, exact: Bool, rng: inout Xoshiro256) -> (info: [Double], assignments: [[Int]]) {
        var info = [Double](), assignments = [[Int]]()
        let exactCurve = exact ? HardBottleneck.exactCurve(joint, ms: settings.mGrid) : []
        var previous: [Int]? = nil
        var best = -1.0, bestAssignment = [Int]()
        for (g, m) in settings.mGrid.enumerated() {
            let c = exact ? exactCurve[g]
                : HardBottleneck.cluster(joint, states: m, restarts: settings.restarts, rng: &rng, warmStart: previous)
            previous = c.assignment
            if c.information > best { best = c.information; bestAssignment = c.assignment }
            info.append(best); assignments.append(bestAssignment)
        }
        return (info, assignments)
    }

    public static func run(codes: [Int32], alphabet: Int, target: [UInt8], raster: SpikeRaster,
                           settings: SweepSettings, rng: inout Xoshiro256) -> CompressionCase {
        let rc = RepeatCounts(codes: codes, size: alphabet, target: target, repeats: raster.repeats, bins: raster.bins)
        return run(counts: rc, settings: settings, rng: &rng)
    }

    public static func run(counts rc: RepeatCounts, settings: SweepSettings, rng: inout Xoshiro256) -> CompressionCase {
        let full = rc.joint()
        let avail = full.mutualInformation
        let (captured, fullAssign) = curve(full, settings: settings, exact: settings.exact, rng: &rng)
        // Halves: [I(σ0;x), FI(M_1), FI(M_2), …] on each half; FI on a half uses that half's own optimum.
        var halfRNG = rng.child(1)
        var optRNG = rng.child(2)
        let halves = HalvesErrors.run(count: rc.repeats, splits: settings.splits, rng: &halfRNG) { idx in
            let j = rc.joint(repeats: idx)
            let a = j.mutualInformation
            let c = curve(j, settings: settings, exact: settings.exact, rng: &optRNG).info
            return [a] + c.map { a > 0 ? $0 / a : 1 }
        }
        let availError = BiasCorrection.halvesErrorOfInformation(halfValues: halves.perHalf.map { $0[0] }, full: full)
        var result = CompressionCase(available: avail, availableError: availError,
                                     captured: captured, fraction: captured.map { avail > 0 ? $0 / avail : 1 },
                                     fractionError: Array(halves.errors.dropFirst()),
                                     assignments: fullAssign.map { $0.map { UInt8($0) } }, statesSeen: full.statesSeen)
        var exactAssign = [[Int]]()
        if settings.compareExact && !settings.exact {
            let curve = HardBottleneck.exactCurve(full, ms: settings.mGrid)
            result.exactCaptured = curve.map(\.information)
            exactAssign = curve.map(\.assignment)
        }
        if settings.biasVariants {
            let ms = settings.mGrid
            result.availableMM = BiasCorrection.millerMadow(full)
            result.capturedMM = (0..<ms.count).map { BiasCorrection.millerMadow(full.compressed(fullAssign[$0], states: ms[$0])) }
            result.exactCapturedMM = exactAssign.enumerated().map { BiasCorrection.millerMadow(full.compressed($1, states: ms[$0])) }
            var exRNG = rng.child(3)
            let maps: [([Int], Int)?] = [nil] + fullAssign.enumerated().map { ($1, ms[$0]) } + exactAssign.enumerated().map { ($1, ms[$0]) }
            let ex = BiasCorrection.extrapolated(rc, maps: maps, rng: &exRNG)
            result.availableExtrapolated = ex[0]
            result.capturedExtrapolated = Array(ex[1...ms.count])
            result.exactCapturedExtrapolated = Array(ex[(ms.count + 1)...])
        }
        return result
    }
}

/// Finite-sample bias handling for I(σ0; x) with a binary σ0 (bits).
public enum BiasCorrection {
    /// Degrees of freedom ν = B_xσ − B_x − B_σ + 1 of the χ² term of the plug-in information (occupied cells).
    public static func chiSquareDegrees(_ j: BinaryJoint) -> Int {
        var bxy = 0, bx = 0, any0 = false, any1 = false
        for x in 0..<j.size {
            let a = j.n0[x] > 0, b = j.n1[x] > 0
            bxy += (a ? 1 : 0) + (b ? 1 : 0); bx += (a || b) ? 1 : 0
            any0 = any0 || a; any1 = any1 || b
        }
        return max(0, bxy - bx - (any0 ? 1 : 0) - (any1 ? 1 : 0) + 1)
    }

    /// Standard error of the plug-in Î = I(σ0;x) (bits) on N samples from its random-half estimates Î_h.
    /// To second order Î = c|z|² with c = 1/(2N ln 2) and z ~ N(μ, λ·1_ν) the normalised count deviations (λ = 1 for
    /// multinomial sampling, λ < 1 when a stimulus stratifies the samples), so Var Î = c²(4λ|μ|² + 2λ²ν). Over random
    /// halves of fixed data Î_h = c|z + w|² with w ~ N(0, λ·1_ν) the split noise, so the spread of the halves is
    /// s_h² = c²(4λ|z|² + 2λ²ν): since E|z|² = |μ|² + λν the halves overstate the variance by 4c²λ²ν (by up to √3 in
    /// σ when μ = 0 — the miscalibration measured in the bias-dominated regime). The mean offset of the halves,
    /// b̂ = mean(Î_h) − Î = cλν, measures λ; the estimator removes the excess, σ² = s_h² − 4c²λ̂²ν, and keeps at least
    /// the pure-noise variance 2c²λ̂²ν. For Î ≫ b̂ it is the halves error itself.
    public static func halvesErrorOfInformation(halfValues: [Double], full j: BinaryJoint) -> Double {
        let sh = Resampling.halvesError(halfValues)
        let n = j.total
        let nu = Double(chiSquareDegrees(j))
        guard sh.isFinite, n > 0, nu > 0 else { return sh }
        let c = 1 / (2 * n * log(2))
        let lambda = max(0, (Stats.mean(halfValues) - j.mutualInformation) / (c * nu))
        let excess = 4 * c * c * lambda * lambda * nu
        return sqrt(max(sh * sh - excess, excess / 2))
    }


    /// Miller–Madow: the plug-in information minus (B_xσ − B_x − B_σ + 1)/(2N ln 2), B counting the occupied cells.
    public static func millerMadow(_ j: BinaryJoint) -> Double {
        var bxy = 0, bx = 0, t0 = 0.0, t1 = 0.0
        for x in 0..<j.size {
            let a = j.n0[x] > 0, b = j.n1[x] > 0
            bxy += (a ? 1 : 0) + (b ? 1 : 0); bx += (a || b) ? 1 : 0
            t0 += j.n0[x]; t1 += j.n1[x]
        }
        let by = (t0 > 0 ? 1 : 0) + (t1 > 0 ? 1 : 0)
        let n = t0 + t1
        guard n > 0 else { return 0 }
        return j.mutualInformation - Double(bxy - bx - by + 1) / (2 * n * log(2))
    }

    /// Extrapolation to infinitely many repeats: I on all repeats and on `draws` random subsets of 1/2 and 1/4 of
    /// them, fitted by I(N) = I∞ + a/N (least squares on the three mean values); one value per map (nil: x itself,
    /// else x compressed by the map into the given number of states).
    public static func extrapolated(_ rc: RepeatCounts, maps: [([Int], Int)?], draws: Int = 4, rng: inout Xoshiro256) -> [Double] {
        let fractions = [1.0, 0.5, 0.25]
        var means = [[Double]](repeating: [], count: maps.count)
        var inverseN = [Double]()
        for f in fractions {
            let size = max(2, Int((Double(rc.repeats) * f).rounded()))
            let reps = f >= 1 ? 1 : draws
            var sums = [Double](repeating: 0, count: maps.count)
            for _ in 0..<reps {
                let subset = f >= 1 ? Array(0..<rc.repeats) : Array(rng.permutation(rc.repeats)[0..<size])
                let j = rc.joint(repeats: subset)
                for (k, map) in maps.enumerated() {
                    sums[k] += map.map { j.compressed($0.0, states: $0.1).mutualInformation } ?? j.mutualInformation
                }
            }
            for k in 0..<maps.count { means[k].append(sums[k] / Double(reps)) }
            inverseN.append(1 / Double(size))
        }
        return means.map { Stats.linearFit(inverseN, $0).intercept }
    }
}
