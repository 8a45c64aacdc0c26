import Foundation
import Numerics

/// One coarse-graining step over all σ0: the compression of every group and the fraction D_FI(M) of groups whose
/// compression into M states captures the available information within errors.
public struct CoarseGrainingStep: Sendable {
    /// `cases[σ0][group]`.
    public var cases: [[CompressionCase]]
    /// Global error ΔFI (same for every M): median over all cases of the relative error of the available information.
    public var deltaFI: [Double]
    /// D_FI(M): fraction of cases with FI(M) ≥ 1 − ΔFI(M).
    public var withinErrors: [Double]
    /// Index into the M grid of M* (first M with D_FI ≥ criterion), nil if never reached.
    public var mStarIndex: Int?
    /// M* from bootstrap resamples of the σ0 choices (grid value, or nil when not reached).
    public var mStarBootstrap: [Int?]
}

/// The iterated compression of the paper (Eqs 10–12): each σ0's partners ranked by I(σ0;σj) are taken in groups of K,
/// each group is compressed into M states, then pairs of compressed variables (at the previous step's M*) are
/// compressed again.
public struct CoarseGraining: Sendable {
    public let raster: SpikeRaster
    public let ranking: [[Int]]
    public let groupSize: Int
    public let groups: Int
    public let settings: SweepSettings
    public let criterion: Double
    public private(set) var steps: [CoarseGrainingStep] = []

    public init(raster: SpikeRaster, ranking: [[Int]], groupSize: Int = 8, groups: Int = 8,
                settings: SweepSettings, criterion: Double = 0.9) throws {
        guard groups >= 1, groupSize >= 1, groupSize * groups < raster.neurons else {
            throw RetinaError("\(groups) groups of \(groupSize) partners need more than \(raster.neurons) neurons")
        }
        self.raster = raster; self.ranking = ranking; self.groupSize = groupSize; self.groups = groups
        self.settings = settings; self.criterion = criterion
    }

    /// M* of a completed step (the largest grid M when the criterion is never met).
    public func mStar(_ step: Int) -> Int { settings.mGrid[steps[step].mStarIndex ?? settings.mGrid.count - 1] }

    /// Per-sample codes and alphabet sizes of the variables entering step `step` (0-based) for this σ0.
    public func inputs(step: Int, sigma0: Int) -> [(codes: [Int32], alphabet: Int)] {
        if step == 0 {
            return (0..<groups).map { l in
                (raster.codes(Array(ranking[sigma0][(l * groupSize)..<((l + 1) * groupSize)])), 1 << groupSize)
            }
        }
        let previous = inputs(step: step - 1, sigma0: sigma0)
        let k = steps[step - 1].mStarIndex ?? settings.mGrid.count - 1
        let m = settings.mGrid[k]
        let compressed: [[Int32]] = previous.enumerated().map { g, input in
            let map = steps[step - 1].cases[sigma0][g].assignments[k]
            return input.codes.map { Int32(map[Int($0)]) }
        }
        return stride(from: 0, to: compressed.count - 1, by: 2).map { g in
            (zip(compressed[g], compressed[g + 1]).map { $0 * Int32(m) + $1 }, m * m)
        }
    }

    /// Runs the next step for all σ0 in parallel (one child generator per σ0), then applies the criterion.
    public mutating func runStep(rng: Xoshiro256, bootstrap: Int = 200, progress: (String) -> Void = { _ in }) {
        let step = steps.count
        let n = raster.neurons
        var results = [[CompressionCase]?](repeating: nil, count: n)
        let lock = NSLock()
        var done = 0
        let me = self
        results.withUnsafeMutableBufferPointer { out in
            let slots = out
            DispatchQueue.concurrentPerform(iterations: n) { s0 in
                var r = rng.child(s0)
                let target = me.raster.spikes[s0]
                slots[s0] = me.inputs(step: step, sigma0: s0).map { input in
                    CompressionSweep.run(codes: input.codes, alphabet: input.alphabet, target: target, raster: me.raster,
                                         settings: me.settings, rng: &r)
                }
                lock.lock(); done += 1; let d = done; lock.unlock()
                if d % 40 == 0 { progress("coarse-graining step \(step + 1): \(d)/\(n) cells") }
            }
        }
        let cases = results.map { $0! }
        var st = CoarseGrainingStep(cases: cases, deltaFI: [], withinErrors: [], mStarIndex: nil, mStarBootstrap: [])
        (st.deltaFI, st.withinErrors) = Self.criterionCurve(cases, sigma0s: Array(0..<n), gridCount: settings.mGrid.count)
        st.mStarIndex = st.withinErrors.firstIndex { $0 >= criterion }
        var b = rng.child(1_000_000 + step)
        for _ in 0..<bootstrap {
            let pick = (0..<n).map { _ in b.int(below: n) }
            let (_, w) = Self.criterionCurve(cases, sigma0s: pick, gridCount: settings.mGrid.count)
            st.mStarBootstrap.append(w.firstIndex { $0 >= criterion }.map { settings.mGrid[$0] })
        }
        steps.append(st)
    }

    /// ΔFI and D_FI(M) over the cases of the chosen σ0s. The error of FI is taken as the relative error of the available
    /// information, ΔFI(σ0,{σj}) = δI(σ0;{σj}) / I(σ0;{σj}) (random halves); the global ΔFI is its median, so a case
    /// counts as captured when I_max(M) is within errors of the available information.
    static func criterionCurve(_ cases: [[CompressionCase]], sigma0s: [Int], gridCount: Int) -> ([Double], [Double]) {
        let chosen = sigma0s.flatMap { cases[$0] }
        let d = Stats.median(chosen.map { $0.available > 0 ? $0.availableError / $0.available : 1 })
        var within = [Double]()
        for k in 0..<gridCount {
            within.append(Double(chosen.filter { $0.fraction[k] >= 1 - d }.count) / Double(chosen.count))
        }
        return ([Double](repeating: d, count: gridCount), within)
    }
}
