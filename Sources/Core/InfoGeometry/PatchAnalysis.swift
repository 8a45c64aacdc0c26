import Foundation
import Numerics
import DataFiles
import AnalysisKit

/// `geometry.patches`: eigenvectors of G, of the Fisher information and of PCA for Gabor neurons on Fashion-MNIST patches (item 4).
enum PatchAnalysis {
    static let imagesID = "fashion-mnist/train-images-idx3-ubyte.gz"
    static let labelsID = "fashion-mnist/train-labels-idx1-ubyte.gz"

    static func run(_ ctx: AnalysisContext) throws -> AnalysisOutput {
        let p = ctx.parameters
        let images = try p.int("images", default: 5000, range: 1...60000)
        let count = try p.int("patches", default: 20000, range: 100...1_000_000)
        let side = try p.int("side", default: 8, range: 3...28)
        let noise = try p.double("noise_variance", default: 0.05, range: 1e-8...1e6)
        let orientations = try p.int("orientations", default: 4, range: 1...32)
        let wavelengths = try p.doubles("wavelengths", default: [4, 8])
        let sigma = try p.double("sigma", default: 2, range: 0.1...100)
        let top = try p.int("top", default: 4, range: 1...16)
        let seed = try p.int("seed", default: 1, range: 0...Int(Int32.max))
        let imagesURL = try ctx.dataFile("images_file", default: imagesID), labelsURL = try ctx.dataFile("labels_file", default: labelsID)
        try p.rejectUnused()
        let data = try FashionMNIST(images: imagesURL, labels: labelsURL, limit: images)
        var rng = Xoshiro256(seed: UInt64(seed))
        let x = try PatchGeometry.patches(from: data.images, imageSide: 28, patchSide: side, count: count, rng: &rng)
        var cov = x.covariance()
        let ridge = 1e-4 * SymmetricMatrix.trace(cov) / Double(cov.rows)
        cov = SymmetricMatrix.shifted(cov, by: ridge)
        let w = PatchGeometry.gaborBank(side: side, orientations: orientations, wavelengths: wavelengths, sigma: sigma)
        ctx.progress("patches: \(count) patches, \(w.rows) Gabor neurons")
        let r = try PatchGeometry.analyse(patchCovariance: cov, filters: w, noiseVariance: noise, top: top)

        func image(_ v: Matrix<Double>, _ k: Int) -> [[Double]] {
            (0..<side).map { i in (0..<side).map { j in v[i * side + j, k] } }
        }
        var panels = [Panel]()
        for (name, vecs, vals) in [("G", r.metricVectors, r.metricValues), ("Fisher", r.fisherVectors, r.fisherValues), ("PCA", r.pcaVectors, r.pcaValues)] {
            for k in 0..<r.top {
                panels.append(Panel(title: "\(name) #\(k + 1) (λ = \(String(format: "%.3g", vals[k])))",
                                    heatmap: Heatmap(values: image(vecs, k), palette: "defined (0 '#2166ac', 0.5 '#f7f7f7', 1 '#b2182b')")))
            }
        }
        let fig = Figure(id: "patch-eigenvectors", caption: "Top \(r.top) eigenvectors, as \(side)×\(side) images, of the multi-scale metric G (top row), the Fisher information F = WᵀW/σ² (middle) and the patch covariance (PCA, bottom), for \(w.rows) Gabor neurons with Gaussian noise (σ² = \(noise)) on Fashion-MNIST patches. λ for G is in nats (they sum to I(R;X)).",
                         altText: "A grid of small images: G eigenvectors are smooth oriented patterns, Fisher eigenvectors are Gabor-like, PCA eigenvectors are smooth low-frequency modes.",
                         panels: panels, columns: r.top, panelWidth: 220, panelHeight: 220)
        let n = min(8, r.metricValues.count)
        let table = Table(id: "patch-spectra", caption: "Leading eigenvalues of G (nats), F and the patch covariance.",
                          columns: ["k", "λ_k(G)", "λ_k(F)", "λ_k(Σx)"],
                          rows: (0..<n).map { [String($0 + 1), String(format: "%.4f", r.metricValues[$0]), String(format: "%.3f", r.fisherValues[$0]), String(format: "%.4f", r.pcaValues[$0])] })
        return AnalysisOutput(tables: [table], figures: [fig], values: [
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
