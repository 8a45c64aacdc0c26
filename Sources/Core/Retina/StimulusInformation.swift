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

/// Fig 4 and Eqs (13)–(15) with the stimulus s read as the time bin of the repeated movie: the single-bin
/// informations of σ0 with s and with a network variable x (the compressed σ̃), and the Strong et al. information
/// rate of σ0's words of L bins.
public enum StimulusDecomposition {
    /// Plug-in (bits) over the repeats in `subset`, for x coded 0..<alphabet per sample:
    /// [I(σ0;s), I(σ0;x), I(σ0;x|s), I(σ0;s|x), I(σ0;s) − I(σ0;x)]. I(σ0;s|x) = I(x,σ0;s) − I(x;s) is ΔI(σ0;s) of
    /// Eq (13); Eq (14) is the identity I(σ0;s|x) = I(σ0;s) + I(σ0;x|s) − I(σ0;x) of these entropies, and the last
    /// component is the residual of Eq (15), ΔI − I(σ0;x|s).
    public static func plugIn(codes: [UInt8], alphabet: Int, target: [UInt8], bins: Int, repeats subset: [Int]) -> [Double] {
        var n1x = [Double](repeating: 0, count: alphabet), nx = n1x
        var n1xt = [Double](repeating: 0, count: alphabet * bins), nxt = n1xt
        var n1t = [Double](repeating: 0, count: bins)
        codes.withUnsafeBufferPointer { c in
            target.withUnsafeBufferPointer { y in
                for r in subset {
                    let base = r * bins
                    for t in 0..<bins {
                        let x = Int(c[base + t]), s = Double(y[base + t])
                        nx[x] += 1; n1x[x] += s
                        nxt[t * alphabet + x] += 1; n1xt[t * alphabet + x] += s
                        n1t[t] += s
                    }
                }
            }
        }
        let total = Double(subset.count * bins), nr = Double(subset.count)
        let h = BinaryInfo.nH(n1t.reduce(0, +), total)
        var hT = 0.0, hX = 0.0, hXT = 0.0
        for t in 0..<bins { hT += BinaryInfo.nH(n1t[t], nr) }
        for x in 0..<alphabet { hX += BinaryInfo.nH(n1x[x], nx[x]) }
        for i in 0..<(alphabet * bins) where nxt[i] > 0 { hXT += BinaryInfo.nH(n1xt[i], nxt[i]) }
        let k = 1 / (total * log(2))
        let iS = (h - hT) * k, iX = (h - hX) * k, iXgS = (hT - hXT) * k, iSgX = (hX - hXT) * k
        return [iS, iX, iXgS, iSgX, iS - iX]
    }

    /// Each component extrapolated to infinitely many repeats, I(N) = I∞ + a/N + b/N² (`SampleSizeExtrapolation`,
    /// the same subsets for every component, so the linear identity of Eq (14) survives), with its error.
    public static func extrapolated(codes: [UInt8], alphabet: Int, target: [UInt8], repeats: Int, bins: Int,
                                    rng: inout Xoshiro256) throws -> [(value: Double, error: Double)] {
        try extrapolateComponents(count: repeats, dims: 5, rng: &rng) {
            plugIn(codes: codes, alphabet: alphabet, target: target, bins: bins, repeats: $0)
        }
    }

    static let fractions = [1, 0.8, 0.6, 0.5, 0.4, 0.3]

    /// `SampleSizeExtrapolation.extrapolate` of every component of a vector statistic on the same subsets.
    static func extrapolateComponents(count n: Int, dims: Int, rng: inout Xoshiro256,
                                      _ estimate: ([Int]) -> [Double]) throws -> [(value: Double, error: Double)] {
        var cache = [[Double]](), out = [(value: Double, error: Double)](), after = rng
        for d in 0..<dims {
            var r = rng, i = 0
            let res = try SampleSizeExtrapolation.extrapolate(count: n, fractions: fractions, repeats: 4, quadratic: true, rng: &r) { idx in
                if d == 0 { cache.append(estimate(idx)) }
                i += 1
                return cache[i - 1][d]
            }
            out.append((res.value, res.error)); after = r
        }
        rng = after
        return out
    }

    /// Plug-in information (bits per bin) of σ0's words of `word` consecutive bins about the time bin: the entropy of
    /// all words minus the mean over start bins of the entropy across repeats, divided by the word length.
    public static func wordPlugIn(words: [UInt8], word: Int, bins: Int, repeats subset: [Int]) -> Double {
        let starts = bins - word + 1, size = 1 << word
        var all = [Double](repeating: 0, count: size), per = [Double](repeating: 0, count: size)
        var noise = 0.0
        let nr = Double(subset.count)
        func entropyTimesN(_ c: [Double], _ n: Double) -> Double {
            var s = n > 0 ? n * log(n) : 0
            for v in c where v > 0 { s -= v * log(v) }
            return s
        }
        words.withUnsafeBufferPointer { w in
            for t in 0..<starts {
                for k in 0..<size { per[k] = 0 }
                for r in subset { per[Int(w[r * starts + t])] += 1 }
                noise += entropyTimesN(per, nr)
                for k in 0..<size { all[k] += per[k] }
            }
        }
        let total = nr * Double(starts)
        return (entropyTimesN(all, total) - noise) / total / log(2) / Double(word)
    }

    /// Words of `word` bins of one neuron, `words[r * (bins − word + 1) + t]` (bit i = spike in bin t + i).
    public static func words(_ spikes: [UInt8], repeats: Int, bins: Int, word: Int) -> [UInt8] {
        precondition((1...8).contains(word) && word <= bins)
        let starts = bins - word + 1
        var out = [UInt8](repeating: 0, count: repeats * starts)
        for r in 0..<repeats { for t in 0..<starts {
            var c = 0
            for i in 0..<word { c |= Int(spikes[r * bins + t + i]) << i }
            out[r * starts + t] = UInt8(c)
        } }
        return out
    }

    /// Strong et al. (1998) information rate of σ0 (bits per bin): I_L/L for words of L = 1…`maxWord` bins, each
    /// extrapolated in the number of repeats, then extrapolated linearly in 1/L over L = 2…maxWord to L → ∞. The
    /// error bounds the propagation of the per-L errors over any correlation between them (Σ_L |w_L| σ_L,
    /// conservative). Returns the rate, its
    /// error and the per-L values.
    public static func wordRate(_ raster: SpikeRaster, neuron: Int, maxWord: Int, rng: inout Xoshiro256) throws
        -> (value: Double, error: Double, perWord: [(value: Double, error: Double)]) {
        precondition(maxWord >= 3 && maxWord <= 8)
        var per = [(value: Double, error: Double)]()
        for l in 1...maxWord {
            let w = words(raster.spikes[neuron], repeats: raster.repeats, bins: raster.bins, word: l)
            let r = try SampleSizeExtrapolation.extrapolate(count: raster.repeats, fractions: fractions, repeats: 4, quadratic: true, rng: &rng) {
                wordPlugIn(words: w, word: l, bins: raster.bins, repeats: $0)
            }
            per.append((r.value, r.error))
        }
        // Linear fit I_L/L = R + c/L over L = 2…maxWord; R = Σ w_L (I_L/L) with the fit's sensitivities w_L.
        let ls = (2...maxWord).map { 1 / Double($0) }
        let ys = per.dropFirst().map(\.value), es = per.dropFirst().map(\.error)
        let mx = Stats.mean(ls), sxx = ls.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        let w = ls.map { 1 / Double(ls.count) - mx * ($0 - mx) / sxx }
        let value = zip(w, ys).map { $0 * $1 }.reduce(0, +)
        let error = zip(w, es).map { abs($0) * $1 }.reduce(0, +)
        return (value, error, per)
    }
}
