import Foundation
import Numerics

/// Information a single neuron carries about a repeated stimulus by the direct method (Strong et al. 1998):
/// I(σ; s) = H(σ) − ⟨H(σ | t)⟩_t, where P(σ | t) is the spike probability in time bin t across repeats, extrapolated
/// to infinitely many repeats with a fit I(N) = I∞ + a/N + b/N² over random subsets of the repeats.
public enum StimulusInformation {
    /// Plug-in estimate (bits) from the repeats in `subset`.
    public static func plugIn(_ raster: SpikeRaster, neuron: Int, repeats subset: [Int]) -> Double {
        let bins = raster.bins
        var perBin = [Double](repeating: 0, count: bins)
        raster.spikes[neuron].withUnsafeBufferPointer { s in
            for r in subset { for t in 0..<bins { perBin[t] += Double(s[r * bins + t]) } }
        }
        let nr = Double(subset.count)
        var noise = 0.0, ones = 0.0
        for t in 0..<bins { noise += BinaryInfo.nH(perBin[t], nr); ones += perBin[t] }
        let total = nr * Double(bins)
        return max(0, BinaryInfo.nH(ones, total) - noise) / total / log(2)
    }

    /// Extrapolated estimate with its error (spread of the extrapolation over resampled subsets).
    public static func extrapolated(_ raster: SpikeRaster, neuron: Int, rng: inout Xoshiro256) throws -> (value: Double, error: Double) {
        let r = try SampleSizeExtrapolation.extrapolate(count: raster.repeats, fractions: [1, 0.8, 0.6, 0.5, 0.4, 0.3], repeats: 6,
                                                        quadratic: true, rng: &rng) { plugIn(raster, neuron: neuron, repeats: $0) }
        return (r.value, r.error)
    }
}
