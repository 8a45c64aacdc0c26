import Foundation
import Numerics

/// How a compression counts as capturing the available information "within errors" (the choices the paper leaves
/// open): the global error ΔFI, the finite-sample bias handling of both informations, and the criterion on D_FI.
public struct CriterionChoice: Sendable, Hashable, CustomStringConvertible {
    /// The global error ΔFI(M).
    public enum ErrorDefinition: String, Sendable, CaseIterable {
        /// The paper's literal rule: the median over cases of the per-case random-halves errors of FI(M).
        case medianFIError = "median of per-case FI errors"
        /// The median over cases of the relative random-halves error of the available information δI/I.
        case relativeAvailable = "relative error of I(σ0;{σj})"
        /// Twice the relative error of the available information.
        case twiceRelativeAvailable = "2 × relative error of I(σ0;{σj})"
    }
    /// Finite-sample bias handling of I(σ0;{σj}) and I(σ0;σ̃).
    public enum Bias: String, Sendable, CaseIterable {
        case plugIn = "plug-in", millerMadow = "Miller–Madow", extrapolated = "extrapolated in N"
    }
    public var error: ErrorDefinition
    public var bias: Bias
    /// D_FI(M*) must reach this fraction.
    public var criterion: Double
    public init(error: ErrorDefinition = .relativeAvailable, bias: Bias = .plugIn, criterion: Double = 0.9) {
        self.error = error; self.bias = bias; self.criterion = criterion
    }
    public var description: String { "\(error.rawValue), \(bias.rawValue), \(Int((criterion * 100).rounded()))%" }

    /// Available information and FI(M) of one case under this bias handling.
    func available(_ c: CompressionCase) -> Double {
        switch bias { case .plugIn: c.available; case .millerMadow: c.availableMM; case .extrapolated: c.availableExtrapolated }
    }
    func fraction(_ c: CompressionCase, _ k: Int) -> Double {
        let a = available(c)
        let captured: Double
        switch bias { case .plugIn: captured = c.captured[k]; case .millerMadow: captured = c.capturedMM[k]; case .extrapolated: captured = c.capturedExtrapolated[k] }
        return a > 0 ? captured / a : 1
    }
}

/// One coarse-graining step over all σ0: the compression of every group and the fraction D_FI(M) of groups whose
/// compression into M states captures the available information within errors.
public struct CoarseGrainingStep: Sendable {
    /// `cases[σ0][group]`.
    public var cases: [[CompressionCase]]
    /// Global error ΔFI per grid M (for the default choice: median relative error of the available information).
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
/// compressed again. Step s has groups / 2^(s−1) variables per σ0.
public struct CoarseGraining: Sendable {
    public let raster: SpikeRaster
    public let ranking: [[Int]]
    public let groupSize: Int
    public let groups: Int
    public let settings: SweepSettings
    public let criterion: Double
    public private(set) var steps: [CoarseGrainingStep] = []
    /// The compressed variables σ̃ of the last completed step at its M*, per σ0 and group, one code per sample
    /// (< M* ≤ 255); `outputs[σ0][0]` is the first group chain of Fig 4.
    public private(set) var outputs: [[[UInt8]]] = []

    public init(raster: SpikeRaster, ranking: [[Int]], groupSize: Int = 8, groups: Int = 8,
                settings: SweepSettings, criterion: Double = 0.9) throws {
        guard groups >= 1, groupSize >= 1, groupSize <= 16, groupSize * groups < raster.neurons else {
            throw RetinaError("\(groups) groups of \(groupSize) partners need more than \(raster.neurons) neurons")
        }
        self.raster = raster; self.ranking = ranking; self.groupSize = groupSize; self.groups = groups
        self.settings = settings; self.criterion = criterion
    }

    /// M* of a completed step (the largest grid M when the criterion is never met).
    public func mStar(_ step: Int) -> Int { settings.mGrid[steps[step].mStarIndex ?? settings.mGrid.count - 1] }

    /// Number of variables per σ0 entering step `step` (0-based).
    public func variables(step: Int) -> Int { groups >> step }

    /// Per-sample codes and alphabet sizes of the variables entering step `step` (0-based) for this σ0: the raw
    /// groups at step 0, else pairs of the previous step's outputs (kept from that step, not rebuilt).
    public func inputs(step: Int, sigma0: Int) -> [(codes: [Int32], alphabet: Int)] {
        if step == 0 {
            return (0..<groups).map { l in
                (raster.codes(Array(ranking[sigma0][(l * groupSize)..<((l + 1) * groupSize)])), 1 << groupSize)
            }
        }
        precondition(step == steps.count && outputs.count == raster.neurons, "inputs of step \(step) need step \(step - 1) just completed")
        let m = mStar(step - 1)
        let out = outputs[sigma0]
        return stride(from: 0, to: out.count - 1, by: 2).map { g in
            var codes = [Int32](repeating: 0, count: raster.samples)
            codes.withUnsafeMutableBufferPointer { c in
                out[g].withUnsafeBufferPointer { a in
                    out[g + 1].withUnsafeBufferPointer { b in
                        for s in 0..<c.count { c[s] = Int32(a[s]) * Int32(m) + Int32(b[s]) }
                    }
                }
            }
            return (codes, m * m)
        }
    }

    /// Runs the next step for all σ0 in parallel (one child generator per σ0), then applies the criterion.
    public mutating func runStep(rng: Xoshiro256, bootstrap: Int = 200, progress: (String) -> Void = { _ in }) {
        let step = steps.count
        precondition(variables(step: step) >= 1, "step \(step + 1) needs \(1 << step) groups")
        let n = raster.neurons
        let done = ProgressTally()
        let me = self
        let cases = Parallel.map(n) { s0 -> [CompressionCase] in
            var r = rng.child(s0)
            let target = me.raster.spikes[s0]
            let out = me.inputs(step: step, sigma0: s0).map { input in
                CompressionSweep.run(codes: input.codes, alphabet: input.alphabet, target: target, raster: me.raster,
                                     settings: me.settings, rng: &r)
            }
            let d = done.increment()
            if d % 40 == 0 { progress("coarse-graining step \(step + 1): \(d)/\(n) cells") }
            return out
        }
        var st = CoarseGrainingStep(cases: cases, deltaFI: [], withinErrors: [], mStarIndex: nil, mStarBootstrap: [])
        (st.deltaFI, st.withinErrors) = Self.criterionCurve(cases, sigma0s: Array(0..<n), gridCount: settings.mGrid.count)
        st.mStarIndex = st.withinErrors.firstIndex { $0 >= criterion }
        var b = rng.child(1_000_000 + step)
        // The same M* as `criterionCurve` on each resample (tested), without rebuilding the curve over every M.
        let fast = MStarCriterion(cases: cases, criterion: criterion)
        for _ in 0..<bootstrap {
            let pick = (0..<n).map { _ in b.int(below: n) }
            st.mStarBootstrap.append(fast.mStarIndex(cells: pick).map { settings.mGrid[$0] })
        }
        // Keep this step's compressed variables at its M* for the next step (inputs rebuilt once, from the
        // previous outputs, rather than from the raw groups through every earlier step).
        let k = st.mStarIndex ?? settings.mGrid.count - 1
        let next = Parallel.map(n) { s0 -> [[UInt8]] in
            zip(me.inputs(step: step, sigma0: s0), cases[s0]).map { input, c in
                let map = c.assignments[k]
                return input.codes.map { map[Int($0)] }
            }
        }
        steps.append(st)
        outputs = next
    }

    /// Iterative shortfall 1 − I_IB(M)/I_exact(M) on the inputs of the next step (`steps.count`), for every σ0 and
    /// group: the exact interval optimum against the iterative bottleneck with each number of restarts (random starts
    /// only, no warm start from M − 1), all data. `result[r][case]`, cases ordered by σ0 then group.
    public func restartShortfalls(m: Int, restarts: [Int], rng: Xoshiro256) -> [[Double]] {
        precondition(m >= 1 && m <= 255 && restarts.allSatisfy { $0 >= 1 }, "M in 1...255 and restarts ≥ 1")
        let step = steps.count, n = raster.neurons
        let me = self
        let results = Parallel.map(n) { s0 -> [[Double]] in
            var r = rng.child(s0)
            let target = me.raster.spikes[s0]
            return me.inputs(step: step, sigma0: s0).map { input -> [Double] in
                let j = RepeatCounts(codes: input.codes, size: input.alphabet, target: target,
                                     repeats: me.raster.repeats, bins: me.raster.bins).joint()
                let exact = HardBottleneck.exactOptimum(j, states: m)
                return restarts.map { k in
                    let ib = HardBottleneck.cluster(j, states: m, restarts: k, rng: &r).information
                    return exact > 0 ? max(0, 1 - ib / exact) : 0
                }
            }
        }
        let flat = results.flatMap { $0 }
        return restarts.indices.map { k in flat.map { $0[k] } }
    }

    /// ΔFI and D_FI(M) over the cases of the chosen σ0s. The error of FI is taken as the relative error of the available
    /// information, ΔFI(σ0,{σj}) = δI(σ0;{σj}) / I(σ0;{σj}) (random halves); the global ΔFI is its median, so a case
    /// counts as captured when I_max(M) is within errors of the available information.
    static func criterionCurve(_ cases: [[CompressionCase]], sigma0s: [Int], gridCount: Int) -> ([Double], [Double]) {
        criterionCurve(cases, sigma0s: sigma0s, gridCount: gridCount, choice: CriterionChoice())
    }

    /// ΔFI(M) and D_FI(M) over the cases of the chosen σ0s under any choice of error definition and bias handling.
    public static func criterionCurve(_ cases: [[CompressionCase]], sigma0s: [Int], gridCount: Int,
                                      choice: CriterionChoice) -> ([Double], [Double]) {
        let chosen = sigma0s.flatMap { cases[$0] }
        var deltas = [Double](), within = [Double]()
        let relative = choice.error == .medianFIError ? 0
            : Stats.median(chosen.map { c -> Double in
                let a = choice.available(c)
                return a > 0 ? c.availableError / a : 1
            }) * (choice.error == .twiceRelativeAvailable ? 2 : 1)
        for k in 0..<gridCount {
            let d = choice.error == .medianFIError ? Stats.median(chosen.map { $0.fractionError[k] }) : relative
            deltas.append(d)
            within.append(Double(chosen.filter { choice.fraction($0, k) >= 1 - d }.count) / Double(chosen.count))
        }
        return (deltas, within)
    }

    /// M* (grid value) of a completed step under `choice`, nil when D_FI never reaches the criterion.
    public func mStar(_ step: Int, choice: CriterionChoice) -> Int? {
        let (_, w) = Self.criterionCurve(steps[step].cases, sigma0s: Array(0..<raster.neurons), gridCount: settings.mGrid.count, choice: choice)
        return w.firstIndex { $0 >= choice.criterion }.map { settings.mGrid[$0] }
    }
}
