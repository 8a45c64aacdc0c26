import Foundation
import Numerics
import DataFiles
import AnalysisKit

/// `geometry.patches`: eigenvectors of G, of the Fisher information and of PCA for Gabor neurons on Fashion-MNIST patches (item 4).
enum PatchAnalysis {
    static let imagesID = "fashion-mnist/train-images-idx3-ubyte.gz"
    static let labelsID = "fashion-mnist/train-labels-idx1-ubyte.gz"

    /// Patch prior and Gabor bank shared by `geometry.patches` and `geometry.highdim`.
    struct Setup {
        let covariance: Matrix<Double>
        let patches: Matrix<Double>
        let filters: Matrix<Double>
        let side: Int, images: Int, count: Int, ridge: Double, noise: Double
        let orientations: Int, wavelengths: [Double], sigma: Double
    }

    /// Reads the patch and filter-bank parameters and returns the loader, to be called after `rejectUnused`.
    static func setup(_ ctx: AnalysisContext, seed: Int, defaultPatches: Int = 20000) throws -> () throws -> Setup {
        let p = ctx.parameters
        let images = try p.int("images", default: 5000, range: 1...60000)
        let count = try p.int("patches", default: defaultPatches, range: 100...1_000_000)
        let side = try p.int("side", default: 8, range: 3...32)
        let noise = try p.double("noise_variance", default: 0.05, range: 1e-8...1e6)
        let orientations = try p.int("orientations", default: 4, range: 1...32)
        let wavelengths = try p.doubles("wavelengths", default: [4, 8])
        guard !wavelengths.isEmpty, wavelengths.allSatisfy({ $0 > 0 && $0 <= 1000 }) else {
            throw ParameterError(key: "wavelengths", line: p.entries["wavelengths"]?.line, message: "need a non-empty list of wavelengths in (0, 1000] px")
        }
        let sigma = try p.double("sigma", default: 2, range: 0.1...100)
        // The images: `data:` (old name `images_file`), default the paper's Fashion-MNIST training set. Class labels are
        // not used by the geometry; `labels:` (old name `labels_file`) is accepted and only checked against the images.
        GeometryData.noteFiles(ctx, [("data", imagesID), ("labels", "none (not used)")])
        let imagesKey = try GeometryData.key(p, "data", alias: "images_file") ?? "data"
        let labelsKey = try GeometryData.key(p, "labels", alias: "labels_file")
        let imagesURL = try ctx.dataFile(imagesKey, default: imagesID)
        let labelsURL = try labelsKey.map { try ctx.dataFile($0, default: "") }
        return {
        let data = try GeometryData.images(imagesURL, limit: images, minSide: side)
        if let labelsURL {
            let n = try labelCount(labelsURL)
            guard n >= data.images.count else {
                throw DataFileError(file: labelsURL.path, message: "expected at least \(data.images.count) labels (one per image used), found \(n)")
            }
        }
        var rng = Xoshiro256(seed: UInt64(seed))
        let x = try PatchGeometry.patches(from: data.images, imageSide: data.side, patchSide: side, count: count, rng: &rng)
        var cov = x.covariance()
        let ridge = 1e-4 * SymmetricMatrix.trace(cov) / Double(cov.rows)
        cov = SymmetricMatrix.shifted(cov, by: ridge)
        let w = PatchGeometry.gaborBank(side: side, orientations: orientations, wavelengths: wavelengths, sigma: sigma)
        return Setup(covariance: cov, patches: x, filters: w, side: side, images: images, count: count, ridge: ridge, noise: noise,
                     orientations: orientations, wavelengths: wavelengths, sigma: sigma)
        }
    }

    /// Number of labels in an IDX (1-D) or .npy/CSV (one column) label file.
    static func labelCount(_ url: URL) throws -> Int {
        let ext = url.pathExtension.lowercased()
        if ext == "npy" || ext == "csv" || ext == "txt" {
            let t = try NumericTable(contentsOf: url, expectedColumns: 1)
            return t.rows
        }
        let f = try IDXFile(contentsOf: url)
        guard f.dimensions.count == 1 else { throw DataFileError(file: url.path, message: "expected a 1-D label file of shape (N), found shape \(f.dimensions)") }
        return f.dimensions[0]
    }

    /// Orthonormal basis (columns) of the span of the first k columns of v (modified Gram–Schmidt).
    static func orthonormal(_ v: Matrix<Double>, _ k: Int) -> Matrix<Double> {
        var cols = [[Double]]()
        for j in 0..<k {
            var c = v.column(j)
            for q in cols { let d = zip(c, q).reduce(0) { $0 + $1.0 * $1.1 }; for i in c.indices { c[i] -= d * q[i] } }
            let n = c.reduce(0) { $0 + $1 * $1 }.squareRoot()
            cols.append(c.map { $0 / n })
        }
        var out = Matrix<Double>(rows: v.rows, cols: k)
        for j in 0..<k { for i in 0..<v.rows { out[i, j] = cols[j][i] } }
        return out
    }

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let top = try p.int("top", default: 4, range: 1...16)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let load = try setup(ctx, seed: seed)
        try p.rejectUnused()
        let s = try load()
        let cov = s.covariance, w = s.filters, side = s.side, noise = s.noise, count = s.count, images = s.images, ridge = s.ridge
        ctx.progress("patches: \(count) patches, \(w.rows) Gabor neurons")
        let r = try PatchGeometry.analyse(patchCovariance: cov, filters: w, noiseVariance: noise, top: top)

        func image(_ v: Matrix<Double>, _ k: Int) -> [[Double]] {
            (0..<side).map { i in (0..<side).map { j in v[i * side + j, k] } }
        }
        var panels = [Panel]()
        for (name, vecs, vals) in [("G", r.metricVectors, r.metricValues), ("Fisher", r.fisherVectors, r.fisherValues), ("PCA", r.pcaVectors, r.pcaValues)] {
            for k in 0..<r.top {
                let deg = HighDimAnalysis.degenerateNote(vals, k)
                panels.append(Panel(title: "\(name) #\(k + 1) (λ = \(String(format: "%.3g", vals[k])))\(deg.isEmpty ? "" : " " + deg + ": basis arbitrary")",
                                    heatmap: Heatmap(values: image(vecs, k), colorRange: .symmetric, colorGroup: "eigenvectors", colorLabel: "component")))
            }
        }
        let fig = Figure(id: "patch-eigenvectors", caption: "Top \(r.top) eigenvectors, as \(side)×\(side) images, of the multi-scale metric G (top row), the Fisher information F = WᵀW/σ² (middle) and the patch covariance (PCA, bottom), for \(w.rows) Gabor neurons with Gaussian noise (σ² = \(noise)) on Fashion-MNIST patches. λ for G is in nats (they sum to I(R;X)). One colour scale for all panels, centred on zero (white), for the components of unit-norm eigenvectors.",
                         altText: "A grid of small images: G eigenvectors are smooth oriented patterns, Fisher eigenvectors are Gabor-like, PCA eigenvectors are smooth low-frequency modes.",
                         panels: panels, columns: r.top, panelWidth: 220, panelHeight: 220)
        let n = min(8, r.metricValues.count)
        let table = Table(id: "patch-spectra", caption: "Leading eigenvalues of G (nats), F and the patch covariance.",
                          columns: ["k", "λ_k(G)", "λ_k(F)", "λ_k(Σx)"],
                          rows: (0..<n).map { [String($0 + 1), String(format: "%.4f", r.metricValues[$0]), String(format: "%.3f", r.fisherValues[$0]), String(format: "%.4f", r.pcaValues[$0])] })
        // §5: information carried by the top-k directions of each geometry, against the best k-dimensional projection.
        let pop = try GaussianLinearPopulation(priorCovariance: cov, weights: w, noiseCovariance: noise * Matrix<Double>.identity(w.rows))
        let kmax = min(8, cov.rows)
        let opt = try pop.optimalSubspaces()
        let optCurve = (1...kmax).map { opt.gains.prefix($0).reduce(0, +) }
        let gC = try SubspaceInformation.curve(pop, directions: r.metricVectors, upTo: kmax)
        let fC = try SubspaceInformation.curve(pop, directions: r.fisherVectors, upTo: kmax)
        let pC = try SubspaceInformation.curve(pop, directions: r.pcaVectors, upTo: kmax)
        let whitened = try SubspaceInformation.metric(pop, coarseGraining: cov)
        let wC = try SubspaceInformation.curve(pop, directions: whitened.readouts, upTo: kmax)
        let infoTable = Table(id: "patch-subspace-info", caption: "Information (nats) carried by the projection of the patch onto the top-k eigen-directions, I(R; Vₖᵀx) = ½[log det(VₖᵀΣₓVₖ) − log det(VₖᵀCVₖ)], for G (isotropic coarse-graining), the Fisher information and PCA, against the best possible k-dimensional projection (top-k generalised eigenvectors of Σₓ v = μ C v, ½ Σ log μ). Last column: G for coarse-graining with the prior's own covariance (y = x + √γ Σₓ^½ ξ), whose read-out directions are exactly the optimal ones. The full population carries \(String(format: "%.3f", r.mutualInformation)) nats.",
                              columns: ["k", "optimum", "G", "Fisher", "PCA", "G, Σₓ-metric"],
                              rows: (0..<kmax).map { [String($0 + 1), String(format: "%.4f", optCurve[$0]), String(format: "%.4f", gC[$0]), String(format: "%.4f", fC[$0]), String(format: "%.4f", pC[$0]), String(format: "%.4f", wC[$0])] })
        // Robustness: G's top-k read-out subspace and its information share under other modelling choices.
        let k = r.top
        func variant(_ label: String, _ c: Matrix<Double>, _ filt: Matrix<Double>, _ nv: Double, metric km: Matrix<Double>? = nil) throws -> [String] {
            let vp = try GaussianLinearPopulation(priorCovariance: c, weights: filt, noiseCovariance: nv * Matrix<Double>.identity(filt.rows))
            let dirs: Matrix<Double>
            if let km { dirs = try SubspaceInformation.metric(vp, coarseGraining: km).readouts } else { dirs = try PatchGeometry.descending(try vp.metric()).1 }
            let best = try vp.optimalSubspaces().gains.prefix(k).reduce(0, +)
            let gInfo = try vp.subspaceInformation(dirs.selectingColumns(Array(0..<k)))
            let fInfo = try vp.subspaceInformation(PatchGeometry.descending(try vp.fisher()).1.selectingColumns(Array(0..<k)))
            let pInfo = try vp.subspaceInformation(PatchGeometry.descending(c).1.selectingColumns(Array(0..<k)))
            // Angle between read-out subspaces: orthonormalise both spans first (Σ-metric read-outs are not orthonormal).
            let angle = HighDimAnalysis.degrees(try SubspaceComparison.largestAngle(orthonormal(dirs, k), r.metricVectors, k: k))
            return [label, String(format: "%.3f", try vp.mutualInformation()), String(format: "%.3f", best), String(format: "%.1f %%", 100 * gInfo / best),
                    String(format: "%.1f %%", 100 * fInfo / best), String(format: "%.1f %%", 100 * pInfo / best), String(format: "%.1f°", angle)]
        }
        let half = count / 2
        let covA = SymmetricMatrix.shifted(s.patches.selectingRows(Array(0..<half)).covariance(), by: ridge)
        let covB = SymmetricMatrix.shifted(s.patches.selectingRows(Array(half..<count)).covariance(), by: ridge)
        var diagK = Matrix<Double>(rows: cov.rows, cols: cov.rows)
        for i in 0..<cov.rows { diagK[i, i] = cov[i, i] }
        let robust = [
            try variant("baseline (σ² = \(noise), \(s.orientations) orientations, λ = \(s.wavelengths.map { String(format: "%g", $0) }.joined(separator: ", ")) px)", cov, w, noise),
            try variant("noise variance × 0.1", cov, w, noise * 0.1),
            try variant("noise variance × 10", cov, w, noise * 10),
            try variant("8 orientations", cov, PatchGeometry.gaborBank(side: side, orientations: 8, wavelengths: s.wavelengths, sigma: s.sigma), noise),
            try variant("wavelengths 3, 6 px", cov, PatchGeometry.gaborBank(side: side, orientations: s.orientations, wavelengths: [3, 6], sigma: s.sigma), noise),
            try variant("Gabor σ = 1.5 px", cov, PatchGeometry.gaborBank(side: side, orientations: s.orientations, wavelengths: s.wavelengths, sigma: 1.5), noise),
            try variant("first half of the patches", covA, w, noise),
            try variant("second half of the patches", covB, w, noise),
            try variant("coarse-graining metric diag(Σₓ)", cov, w, noise, metric: diagK),
            try variant("coarse-graining metric Σₓ", cov, w, noise, metric: cov),
        ]
        let robustTable = Table(id: "patch-robustness", caption: "Robustness of G's top-\(k) directions (closed form): I(R;X), the best \(k)-dimensional projection's information, the share of it carried by the top-\(k) directions of G, Fisher and PCA, and the largest principal angle between G's top-\(k) read-out subspace and the baseline's. Each row changes one choice of the baseline.",
                                columns: ["variant", "I(R;X) (nats)", "best top-\(k) (nats)", "G / best", "Fisher / best", "PCA / best", "angle to baseline G"], rows: robust)
        let degenerate = (0..<k).filter { !HighDimAnalysis.degenerateNote(r.fisherValues, $0).isEmpty }.count
        return AnalysisOutput(tables: [table, infoTable, robustTable], figures: [fig], values: [
            Scalar("geometry.patch_info_opt", optCurve[k - 1], significantFigures: 4, unit: "nats", tolerance: .relative(1e-4)),
            Scalar("geometry.patch_info_G", gC[k - 1], significantFigures: 4, unit: "nats", tolerance: .relative(1e-4)),
            Scalar("geometry.patch_info_F", fC[k - 1], significantFigures: 4, unit: "nats", tolerance: .relative(1e-4)),
            Scalar("geometry.patch_info_P", pC[k - 1], significantFigures: 4, unit: "nats", tolerance: .relative(1e-4)),
            Scalar("geometry.patch_info_Gshare", 100 * gC[k - 1] / optCurve[k - 1], significantFigures: 3, unit: "%", tolerance: .absolute(0.1)),
            Scalar("geometry.patch_info_Fshare", 100 * fC[k - 1] / optCurve[k - 1], significantFigures: 3, unit: "%", tolerance: .absolute(0.1)),
            Scalar("geometry.patch_info_Pshare", 100 * pC[k - 1] / optCurve[k - 1], significantFigures: 3, unit: "%", tolerance: .absolute(0.1)),
            Scalar("geometry.patch_info_whitened_dev", roundingFloor(abs(wC[k - 1] - optCurve[k - 1])), significantFigures: 2, unit: "nats", tolerance: .absolute(1e-8)),
            Scalar("geometry.patch_fisher_degenerate", Double(degenerate), significantFigures: 1, tolerance: .absolute(0)),
            Scalar("geometry.patch_mi", r.mutualInformation, significantFigures: 4, unit: "nats", tolerance: .relative(1e-4)),
            Scalar("geometry.patch_quad_dev", roundingFloor(r.quadratureDeviation), significantFigures: 2, tolerance: .absolute(1e-5)),
            Scalar("geometry.patch_top_share", 100 * r.topShare, significantFigures: 3, unit: "%", tolerance: .absolute(0.1)),
            Scalar("geometry.patch_overlap_GF", r.overlapMetricFisher, significantFigures: 2, tolerance: .absolute(0.01)),
            Scalar("geometry.patch_overlap_GP", r.overlapMetricPCA, significantFigures: 2, tolerance: .absolute(0.01)),
            Scalar("geometry.patch_overlap_FP", r.overlapFisherPCA, significantFigures: 2, tolerance: .absolute(0.01)),
            Scalar("geometry.patch_neurons", Double(w.rows), significantFigures: 3, tolerance: .absolute(0)),
        ], notes: ["geometry.patches: \(images) Fashion-MNIST training images, \(count) random \(side)×\(side) patches, ridge \(ridge), seed \(seed)"])
    }
}
