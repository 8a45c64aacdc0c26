import Foundation

/// Information quantities of Gaussian variables from covariance or correlation matrices (via Cholesky log-determinants),
/// and the Gaussian-copula transform that maps any continuous marginals to standard normal ones.
public enum GaussianInformation {
    /// Differential entropy ½ log((2πe)^d det Σ).
    public static func entropy(covariance c: Matrix<Double>, unit: InformationUnit = .nats) throws -> Double {
        let d = Double(c.rows)
        return 0.5 * (d * log(2 * Double.pi * M_E) + (try c.logDeterminantSPD())) * unit.fromNats
    }

    /// I(A;B) = ½ [log det Σ_AA + log det Σ_BB − log det Σ_{A∪B}] for disjoint index sets of a covariance/correlation matrix.
    public static func mutualInformation(_ c: Matrix<Double>, _ a: [Int], _ b: [Int], unit: InformationUnit = .nats) throws -> Double {
        let la = try c.block(a).logDeterminantSPD(), lb = try c.block(b).logDeterminantSPD()
        let lab = try c.block(a + b).logDeterminantSPD()
        return 0.5 * (la + lb - lab) * unit.fromNats
    }

    /// Total correlation of the variables `idx` (all if nil): ½ [Σ log Σᵢᵢ − log det Σ].
    public static func totalCorrelation(_ c: Matrix<Double>, _ idx: [Int]? = nil, unit: InformationUnit = .nats) throws -> Double {
        let ids = idx ?? Array(0..<c.rows)
        let diag = ids.reduce(0.0) { $0 + log(c[$1, $1]) }
        return 0.5 * (diag - (try c.block(ids).logDeterminantSPD())) * unit.fromNats
    }

    /// Ranks 1…n of `x` with ties given their average rank.
    public static func ranks(_ x: [Double]) -> [Double] {
        var r = [Double](repeating: 0, count: x.count)
        var order = [Int32](repeating: 0, count: x.count)
        x.withUnsafeBufferPointer { xs in
            r.withUnsafeMutableBufferPointer { rs in
                order.withUnsafeMutableBufferPointer { os in
                    RankSort.order(xs.baseAddress!, stride: 1, count: xs.count, into: os.baseAddress!)
                    RankSort.assign(xs.baseAddress!, stride: 1, order: os.baseAddress!, count: xs.count,
                                    into: rs.baseAddress!, outStride: 1) { Double($0) }
                }
            }
        }
        return r
    }

    /// Gaussian-copula transform of one variable: Φ⁻¹(rank / (n + 1)).
    public static func copula(_ x: [Double]) -> [Double] {
        copula(columnsOf: Matrix(rows: x.count, cols: 1, data: x)).data
    }

    /// Copula-transforms every column of a data matrix (samples in rows): Φ⁻¹(rank / (n + 1)) per column, ties at
    /// their average rank. Φ⁻¹ is tabulated once for the n integer ranks (shared by all columns); a tie group's
    /// average rank, a half-integer, is transformed directly. Columns are ordered by a radix sort of their
    /// order-preserving bit patterns. Same values as transforming each column on its own.
    public static func copula(columnsOf m: Matrix<Double>) -> Matrix<Double> {
        let n = m.rows, d = m.cols
        guard n > 0 && d > 0 else { return m }
        let denominator = Double(n + 1)
        var table = [Double](repeating: 0, count: n)
        for r in 0..<n { table[r] = Special.inverseNormalCDF(Double(r + 1) / denominator) }
        var out = Matrix<Double>(rows: n, cols: d)
        var order = [Int32](repeating: 0, count: n)
        m.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer { dst in
                order.withUnsafeMutableBufferPointer { os in
                    table.withUnsafeBufferPointer { tab in
                        for j in 0..<d {
                            RankSort.order(src.baseAddress! + j, stride: d, count: n, into: os.baseAddress!)
                            RankSort.assign(src.baseAddress! + j, stride: d, order: os.baseAddress!, count: n,
                                            into: dst.baseAddress! + j, outStride: d) { rank in
                                let whole = rank.rounded(.down)
                                return whole == rank ? tab[Int(rank) - 1] : Special.inverseNormalCDF(rank / denominator)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

/// Sorting permutations of strided Double columns, for ranks and copula transforms.
enum RankSort {
    /// Order-preserving map of a Double's bits to UInt64 (negative numbers: all bits flipped; others: sign bit set).
    @inline(__always) static func key(_ v: Double) -> UInt64 {
        let b = v.bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    /// `order[0..<n]` = indices of `x[i * stride]` in ascending order (LSD radix sort on `key`, 11-bit digits,
    /// skipping digits that are the same for every value; insertion sort below 64 values). Ties are adjacent.
    static func order(_ x: UnsafePointer<Double>, stride: Int, count n: Int, into order: UnsafeMutablePointer<Int32>) {
        precondition(n <= Int(Int32.max), "at most 2^31 − 1 samples")
        if n < 64 {
            for i in 0..<n {
                let v = key(x[i * stride])
                var k = i
                while k > 0 && key(x[Int(order[k - 1]) * stride]) > v { order[k] = order[k - 1]; k -= 1 }
                order[k] = Int32(i)
            }
            return
        }
        let bits = 11, buckets = 1 << bits, passes = 6
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * n)
        let idx = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * n)
        let hist = UnsafeMutablePointer<Int>.allocate(capacity: passes * buckets)
        defer { keys.deallocate(); idx.deallocate(); hist.deallocate() }
        hist.initialize(repeating: 0, count: passes * buckets)
        for i in 0..<n {
            let k = key(x[i * stride])
            keys[i] = k; idx[i] = Int32(i)
            for p in 0..<passes { hist[p * buckets + Int((k >> UInt64(p * bits)) & UInt64(buckets - 1))] += 1 }
        }
        var srcK = keys, srcI = idx, dstK = keys + n, dstI = idx + n
        for p in 0..<passes {
            let h = hist + p * buckets
            let shift = UInt64(p * bits), mask = UInt64(buckets - 1)
            if h[Int((srcK[0] >> shift) & mask)] == n { continue } // one digit value: the pass changes nothing
            var sum = 0
            for b in 0..<buckets { let c = h[b]; h[b] = sum; sum += c }
            for i in 0..<n {
                let k = srcK[i], b = Int((k >> shift) & mask)
                let at = h[b]; h[b] = at + 1
                dstK[at] = k; dstI[at] = srcI[i]
            }
            swap(&srcK, &dstK); swap(&srcI, &dstI)
        }
        order.update(from: srcI, count: n)
    }

    /// Writes `transform(rank)` of every value to `out[i * outStride]`, ranks 1…n from `order`, tie groups at their
    /// average rank.
    @inline(__always)
    static func assign(_ x: UnsafePointer<Double>, stride: Int, order: UnsafePointer<Int32>, count n: Int,
                       into out: UnsafeMutablePointer<Double>, outStride: Int, _ transform: (Double) -> Double) {
        var i = 0
        while i < n {
            let v = x[Int(order[i]) * stride]
            var j = i
            while j + 1 < n && x[Int(order[j + 1]) * stride] == v { j += 1 }
            let t = transform(Double(i + j) / 2 + 1)
            for k in i...j { out[Int(order[k]) * outStride] = t }
            i = j + 1
        }
    }
}
