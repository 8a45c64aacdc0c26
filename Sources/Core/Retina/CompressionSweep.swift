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
    public init(mGrid: [Int], restarts: Int, splits: Int, exact: Bool = false) {
        precondition(!mGrid.isEmpty && mGrid.allSatisfy { $0 >= 1 && $0 <= 255 } && mGrid == mGrid.sorted())
        self.mGrid = mGrid; self.restarts = restarts; self.splits = splits; self.exact = exact
    }
}

/// The result of compressing one group of partners {σj} of one σ0 into M states, for every M of the grid.
public struct CompressionCase: Sendable {
    /// Available information I(σ0; {σj}) in bits (plug-in, all data) and its random-halves error.
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
}

/// Compression of one group: all data and random halves of the repeats, for every M.
public enum CompressionSweep {
    public static func run(codes: [Int32], alphabet: Int, target: [UInt8], raster: SpikeRaster,
                           settings: SweepSettings, rng: inout Xoshiro256) -> CompressionCase {
        let rc = RepeatCounts(codes: codes, size: alphabet, target: target, repeats: raster.repeats, bins: raster.bins)
        let full = rc.joint()
        var halves = [BinaryJoint]()
        for _ in 0..<settings.splits {
            let perm = rng.permutation(raster.repeats)
            let h = raster.repeats / 2
            halves.append(rc.joint(repeats: Array(perm[0..<h])))
            halves.append(rc.joint(repeats: Array(perm[h...])))
        }
        let avail = full.mutualInformation
        let availHalves = halves.map(\.mutualInformation)
        var captured = [Double](), assignments = [[UInt8]]()
        var halfCaptured = [Double](repeating: 0, count: halves.count)
        var halfAssign = [[Int]?](repeating: nil, count: halves.count)
        var previous: [Int]? = nil
        var fraction = [Double](), fractionErr = [Double]()
        var bestFull = -1.0, bestAssignment = [UInt8]()
        let exactFull = settings.exact ? HardBottleneck.exactCurve(full, ms: settings.mGrid) : []
        let exactHalves = settings.exact ? halves.map { HardBottleneck.exactCurve($0, ms: settings.mGrid) } : []
        for (g, m) in settings.mGrid.enumerated() {
            let c = settings.exact ? exactFull[g]
                : HardBottleneck.cluster(full, states: m, restarts: settings.restarts, rng: &rng, warmStart: previous)
            previous = c.assignment
            // I_max(M) cannot decrease with M: a solution with fewer states is admissible with more.
            if c.information > bestFull { bestFull = c.information; bestAssignment = c.assignment.map { UInt8($0) } }
            captured.append(bestFull)
            assignments.append(bestAssignment)
            var fh = [Double]()
            for (k, hj) in halves.enumerated() {
                let ch = settings.exact ? exactHalves[k][g]
                    : HardBottleneck.cluster(hj, states: m, restarts: settings.restarts, rng: &rng, warmStart: halfAssign[k])
                halfAssign[k] = ch.assignment
                halfCaptured[k] = max(halfCaptured[k], ch.information)
                fh.append(availHalves[k] > 0 ? halfCaptured[k] / availHalves[k] : 1)
            }
            fraction.append(avail > 0 ? bestFull / avail : 1)
            fractionErr.append(fh.count > 1 ? Stats.standardDeviation(fh) / 2.0.squareRoot() : 0)
        }
        return CompressionCase(available: avail,
                               availableError: availHalves.count > 1 ? Stats.standardDeviation(availHalves) / 2.0.squareRoot() : 0,
                               captured: captured, fraction: fraction, fractionError: fractionErr,
                               assignments: assignments, statesSeen: full.statesSeen)
    }
}
