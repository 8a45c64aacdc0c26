import Foundation
import Numerics

/// Pairwise mutual information between single neurons, computed with bit-packed spike trains and popcounts.
public enum PartnerRanking {
    /// `mi[i][j]` = I(σ_i; σ_j) in bits (plug-in), diagonal = H(σ_i).
    public static func pairwiseInformation(_ raster: SpikeRaster) -> [[Double]] {
        let n = raster.neurons, s = raster.samples, words = (s + 63) / 64
        var packed = [[UInt64]](repeating: [UInt64](repeating: 0, count: words), count: n)
        for i in 0..<n {
            raster.spikes[i].withUnsafeBufferPointer { b in
                packed[i].withUnsafeMutableBufferPointer { w in
                    for k in 0..<s where b[k] != 0 { w[k >> 6] |= 1 << UInt64(k & 63) }
                }
            }
        }
        let ones = packed.map { $0.reduce(0) { $0 + $1.nonzeroBitCount } }
        let total = Double(s)
        // One row of the matrix per task.
        return Parallel.map(n) { i -> [Double] in
            (0..<n).map { j in
                var n11 = 0
                packed[i].withUnsafeBufferPointer { a in
                    packed[j].withUnsafeBufferPointer { b in for w in 0..<words { n11 += (a[w] & b[w]).nonzeroBitCount } }
                }
                let ni = Double(ones[i]), nj = Double(ones[j]), c11 = Double(n11)
                let c10 = ni - c11, c01 = nj - c11, c00 = total - ni - nj + c11
                // I = H(σi) − H(σi|σj)
                let cond = BinaryInfo.nH(c11, nj) + BinaryInfo.nH(c10, c10 + c00)
                return max(0, BinaryInfo.nH(ni, total) - (i == j ? 0 : cond)) / total / log(2)
            }
        }
    }

    /// The other neurons ordered by decreasing I(σ0; σ_j) (ties by index).
    public static func ranked(_ mi: [[Double]], target: Int) -> [Int] {
        (0..<mi.count).filter { $0 != target }.sorted { mi[target][$0] > mi[target][$1] || (mi[target][$0] == mi[target][$1] && $0 < $1) }
    }
}
