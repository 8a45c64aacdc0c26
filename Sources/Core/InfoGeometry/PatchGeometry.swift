import Foundation
import Numerics

/// Image-patch population: a bank of Gabor-like linear neurons with Gaussian noise, r = W x + η, on s×s patches
/// whose prior is the Gaussian with the empirical patch covariance. The multi-scale metric is then the closed form of
/// `GaussianLinearPopulation`, and its eigenvectors can be compared with those of the Fisher information F = WᵀW/σ²
/// (the fine-scale geometry) and of the patch covariance (PCA, the stimulus statistics alone).
public enum PatchGeometry {
    /// `count` random s×s patches (rows, pixel values) cut from square grey images of side `imageSide`.
    public static func patches(from images: [[Float]], imageSide: Int, patchSide s: Int, count: Int,
                               rng: inout Xoshiro256) throws -> Matrix<Double> {
        guard !images.isEmpty, s >= 2, s <= imageSide, count >= 2 else { throw AnalysisFailureMessage("patches: need images, 2 ≤ side ≤ image side, ≥ 2 patches") }
        var out = Matrix<Double>(rows: count, cols: s * s)
        for p in 0..<count {
            let img = images[rng.int(below: images.count)]
            let r0 = rng.int(below: imageSide - s + 1), c0 = rng.int(below: imageSide - s + 1)
            for i in 0..<s { for j in 0..<s { out[p, i * s + j] = Double(img[(r0 + i) * imageSide + c0 + j]) } }
        }
        return out
    }

    /// Unit-norm Gabor filters (rows) on an s×s grid centred on the patch: every orientation × phase × wavelength.
    public static func gaborBank(side s: Int, orientations: Int, wavelengths: [Double], sigma: Double,
                                 phases: [Double] = [0, Double.pi / 2]) -> Matrix<Double> {
        var rows = [[Double]]()
        let c = Double(s - 1) / 2
        for lambda in wavelengths { for o in 0..<orientations { for phi in phases {
            let th = Double.pi * Double(o) / Double(orientations)
            var f = [Double](repeating: 0, count: s * s)
            for i in 0..<s { for j in 0..<s {
                let x = Double(j) - c, y = Double(i) - c
                let xr = x * cos(th) + y * sin(th)
                f[i * s + j] = exp(-(x * x + y * y) / (2 * sigma * sigma)) * cos(2 * Double.pi * xr / lambda + phi)
            } }
            let mean = f.reduce(0, +) / Double(f.count)
            f = f.map { $0 - mean }
            let norm = f.reduce(0) { $0 + $1 * $1 }.squareRoot()
            rows.append(f.map { $0 / norm })
        } } }
        return Matrix(rows)
    }

    /// Eigen-analysis of the three geometries.
    public struct Result: Sendable {
        public let mutualInformation: Double
        /// Max |G_closed − G_quadrature| (check of the closed form on this population).
        public let quadratureDeviation: Double
        /// Eigenvalues (descending) and the matching eigenvectors (columns) of G, F and the patch covariance.
        public let metricValues: [Double], metricVectors: Matrix<Double>
        public let fisherValues: [Double], fisherVectors: Matrix<Double>
        public let pcaValues: [Double], pcaVectors: Matrix<Double>
        /// Mean squared cosine between the top-k subspaces: ‖V_Gᵀ V_F‖²_F / k and ‖V_Gᵀ V_PCA‖²_F / k.
        public let overlapMetricFisher: Double
        public let overlapMetricPCA: Double
        public let overlapFisherPCA: Double
        /// Share of I(R;X) carried by the top-k eigen-directions of G.
        public let topShare: Double
        public let top: Int
    }

    static func descending(_ m: Matrix<Double>) throws -> ([Double], Matrix<Double>) {
        let (w, v) = try m.symmetricEigen()
        let n = w.count
        var vec = Matrix<Double>(rows: n, cols: n)
        for k in 0..<n {
            let src = n - 1 - k
            // Sign convention: the entry of largest magnitude is positive.
            var big = 0.0
            for i in 0..<n where abs(v[i, src]) > abs(big) { big = v[i, src] }
            let sgn: Double = big < 0 ? -1 : 1
            for i in 0..<n { vec[i, k] = sgn * v[i, src] }
        }
        return (w.reversed(), vec)
    }

    static func overlap(_ a: Matrix<Double>, _ b: Matrix<Double>, _ k: Int) -> Double {
        var s = 0.0
        for i in 0..<k { for j in 0..<k {
            var d = 0.0
            for r in 0..<a.rows { d += a[r, i] * b[r, j] }
            s += d * d
        } }
        return s / Double(k)
    }

    public static func analyse(patchCovariance: Matrix<Double>, filters: Matrix<Double>, noiseVariance: Double,
                               top: Int) throws -> Result {
        let n = filters.rows
        let pop = try GaussianLinearPopulation(priorCovariance: patchCovariance, weights: filters,
                                               noiseCovariance: noiseVariance * Matrix<Double>.identity(n))
        let g = try pop.metric()
        let gq = try pop.metricByQuadrature(lowest: 1e-9, highest: 1e7, intervals: 800)
        let (gv, gV) = try descending(g), (fv, fV) = try descending(try pop.fisher()), (pv, pV) = try descending(patchCovariance)
        let k = min(top, g.rows)
        return Result(mutualInformation: try pop.mutualInformation(),
                      quadratureDeviation: SymmetricMatrix.maxAbsDifference(g, gq),
                      metricValues: gv, metricVectors: gV, fisherValues: fv, fisherVectors: fV, pcaValues: pv, pcaVectors: pV,
                      overlapMetricFisher: overlap(gV, fV, k), overlapMetricPCA: overlap(gV, pV, k), overlapFisherPCA: overlap(fV, pV, k),
                      topShare: gv.prefix(k).reduce(0, +) / gv.reduce(0, +), top: k)
    }
}

/// Information carried by the top-k eigen-directions of G, F and Σₓ against the best possible k-dimensional projection,
/// in closed form for a linear-Gaussian population (issue 20 §5), and G under another coarse-graining metric K.
public enum SubspaceInformation {
    /// I(R; Vₖᵀx) for k = 1…kmax, with Vₖ the first k columns of `directions`.
    public static func curve(_ pop: GaussianLinearPopulation, directions v: Matrix<Double>, upTo kmax: Int) throws -> [Double] {
        try (1...kmax).map { try pop.subspaceInformation(v.selectingColumns(Array(0..<$0))) }
    }

    /// The metric for coarse-graining y = x + √γ K^½ ξ: in whitened coordinates x′ = K^-½ x it is
    /// G′ = ½(log Σ′ − log C′) with Σ′ = K^-½ Σₓ K^-½, C′ = K^-½ C K^-½, and tr G′ = I(R; X) for every K. Returns its eigenvalues
    /// (descending) and the read-out directions V = K^-½ U (columns; Vᵀx = Uᵀx′) of its eigenvectors U.
    public static func metric(_ pop: GaussianLinearPopulation, coarseGraining k: Matrix<Double>) throws -> (values: [Double], readouts: Matrix<Double>) {
        let kih = try SymmetricMatrix.apply(k, { 1 / $0.squareRoot() })
        let c = try pop.posteriorCovariance()
        let sp = SymmetricMatrix.symmetrized(kih * pop.priorCovariance * kih), cp = SymmetricMatrix.symmetrized(kih * c * kih)
        let g = SymmetricMatrix.symmetrized(0.5 * (try SymmetricMatrix.log(sp) - SymmetricMatrix.log(cp)))
        let (vals, u) = try PatchGeometry.descending(g)
        return (vals, kih * u)
    }
}
