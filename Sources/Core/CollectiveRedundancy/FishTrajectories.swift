import Foundation
import Numerics
import DataFiles
import AnalysisKit

/// Savitzky–Golay first-derivative filter (least-squares polynomial of `order` over a centred `window`).
public struct SavitzkyGolay: Sendable {
    public let window: Int
    public let order: Int
    /// Weights w_k (k = −h … h) with v(t) ≈ Σ_k w_k x(t + k) per frame.
    public let derivativeWeights: [Double]

    public init(window: Int = 7, order: Int = 3) throws {
        guard window % 2 == 1, window > order else { throw AnalysisFailure("Savitzky–Golay needs an odd window larger than the order") }
        self.window = window; self.order = order
        let h = window / 2
        // V: window × (order+1) Vandermonde; weights for the derivative = row 1 of (VᵀV)⁻¹ Vᵀ.
        var v = Matrix<Double>(rows: window, cols: order + 1)
        for (r, k) in (-h...h).enumerated() { for p in 0...order { v[r, p] = pow(Double(k), Double(p)) } }
        let vtv = Matrix<Double>.product(v, transA: true, v)
        let sol = try vtv.solve(v.transposed)   // (order+1) × window
        derivativeWeights = sol.row(1)
    }
}

/// Velocities of tracked animals with NaN gaps handled explicitly: a velocity exists only where the whole filter window
/// is tracked; a time sample is kept only when every retained animal has a velocity there.
public struct FishVelocities: Sendable {
    /// Indices of the retained animals in the file.
    public let animals: [Int]
    /// Kept frame indices.
    public let frames: [Int]
    /// samples × (2 · animals) matrix (vx, vy per animal), per-frame units.
    public let data: Matrix<Double>
    /// Positions (x, y) of the retained animals at the kept frames, same layout.
    public let positions: Matrix<Double>
    public let totalFrames: Int
    public let totalAnimals: Int
    public let missingFraction: Double

    /// Interior gaps that were filled by linear interpolation (count of gaps, count of frames).
    public let interpolatedGaps: Int, interpolatedFrames: Int

    /// Reads a (frames, animals, 2) .npy array and filters it; animals with the most gaps are dropped until at least
    /// `minimumSamples` complete samples remain (and no more than `maxAnimals` are kept). Interior tracking gaps of at
    /// most `maxGap` frames (both neighbours tracked) are first filled by linear interpolation of the position.
    public init(url: URL, filter: SavitzkyGolay, minimumSamples: Int, maxAnimals: Int, maxGap: Int = 0) throws {
        let a = try NPYArray(contentsOf: url)
        guard a.shape.count == 3, a.shape[2] == 2 else {
            throw AnalysisFailure("\(url.path): expected a (frames, animals, 2) array of positions, found shape (\(a.shape.map(String.init).joined(separator: ", ")))")
        }
        guard maxGap >= 0 else { throw AnalysisFailure("maxGap must be ≥ 0, got \(maxGap)") }
        let T = a.shape[0], N = a.shape[1], h = filter.window / 2
        guard N >= 1, T >= filter.window else {
            throw AnalysisFailure("\(url.lastPathComponent): \(T) frames of \(N) animals; the Savitzky–Golay window needs at least \(filter.window) frames of one animal")
        }
        totalFrames = T; totalAnimals = N
        missingFraction = Double(a.data.filter { $0.isNaN }.count) / Double(a.data.count)
        var raw = a.data
        var gaps = 0, filled = 0
        if maxGap > 0 {
            func ok(_ t: Int, _ f: Int) -> Bool { raw[(t * N + f) * 2].isFinite && raw[(t * N + f) * 2 + 1].isFinite }
            for f in 0..<N {
                var t = 1
                while t < T {
                    if !ok(t, f) && ok(t - 1, f) {
                        var e = t
                        while e < T && !ok(e, f) { e += 1 }
                        if e < T && e - t <= maxGap {
                            for u in t..<e {
                                let w = Double(u - t + 1) / Double(e - t + 1)
                                for c in 0..<2 { raw[(u * N + f) * 2 + c] = (1 - w) * raw[((t - 1) * N + f) * 2 + c] + w * raw[(e * N + f) * 2 + c] }
                            }
                            gaps += 1; filled += e - t
                        }
                        t = e
                    } else { t += 1 }
                }
            }
        }
        interpolatedGaps = gaps; interpolatedFrames = filled
        func pos(_ t: Int, _ f: Int, _ c: Int) -> Double { raw[(t * N + f) * 2 + c] }
        // valid[f][t]: velocity of animal f defined at frame t
        var valid = [[Bool]](repeating: [Bool](repeating: false, count: T), count: N)
        var vel = [[Double]](repeating: [Double](repeating: .nan, count: 2 * T), count: N)
        for f in 0..<N {
            for t in h..<(T - h) {
                var ok = true
                for k in -h...h where !(pos(t + k, f, 0).isFinite && pos(t + k, f, 1).isFinite) { ok = false; break }
                if !ok { continue }
                valid[f][t] = true
                for c in 0..<2 {
                    var s = 0.0
                    for k in -h...h { s += filter.derivativeWeights[k + h] * pos(t + k, f, c) }
                    vel[f][2 * t + c] = s
                }
            }
        }
        var keep = Array(0..<N)
        func completeFrames(_ set: [Int]) -> [Int] { (0..<T).filter { t in set.allSatisfy { valid[$0][t] } } }
        var frames = completeFrames(keep)
        while keep.count > 2 && (frames.count < minimumSamples || keep.count > maxAnimals) {
            // drop the animal whose removal recovers most complete frames (ties: most invalid frames, then lowest index)
            var missing = [Int](repeating: 0, count: T)   // retained animals without a velocity at t
            for f in keep { for t in 0..<T where !valid[f][t] { missing[t] += 1 } }
            var bestDrop = 0, bestGain = -1, bestInvalid = -1
            for (p, f) in keep.enumerated() {
                var gain = 0, invalid = 0
                for t in 0..<T where !valid[f][t] { invalid += 1; if missing[t] == 1 { gain += 1 } }
                if gain > bestGain || (gain == bestGain && invalid > bestInvalid) { bestGain = gain; bestInvalid = invalid; bestDrop = p }
            }
            keep.remove(at: bestDrop)
            frames = completeFrames(keep)
        }
        // At least 4 complete samples as well: IntegratedAutocorrelation and the block jackknife of the fish analyses
        // need them (their preconditions are unchecked in the -Ounchecked build).
        guard frames.count > 2 * keep.count, frames.count >= 4 else {
            throw AnalysisFailure("only \(frames.count) complete samples for \(keep.count) animals in \(url.lastPathComponent)")
        }
        animals = keep; self.frames = frames
        var m = Matrix<Double>(rows: frames.count, cols: 2 * keep.count)
        var p = m
        for (s, t) in frames.enumerated() {
            for (e, f) in keep.enumerated() {
                m[s, 2 * e] = vel[f][2 * t]; m[s, 2 * e + 1] = vel[f][2 * t + 1]
                p[s, 2 * e] = pos(t, f, 0); p[s, 2 * e + 1] = pos(t, f, 1)
            }
        }
        data = m; positions = p
    }
}
