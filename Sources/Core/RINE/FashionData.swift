import AnalysisKit
import DataFiles
import Foundation

/// The images of `rine.fashion` (issue 13 §1): four data parameters, each a path relative to the report or a manifest
/// id, read through `AnalysisContext.dataFile` (so each file's sha256 enters the cache key). Defaults are the paper's
/// Fashion-MNIST files. Images: an IDX file of unsigned bytes (plain or gzip), dimensions [n, 28, 28] (or [n, 784]),
/// or a table (.npy, CSV) of n rows × 784 pixels, row-major, in [0, 1] or in 0…255 (divided by 255 when any pixel
/// exceeds 1). Labels: an IDX file of dimensions [n], or a one-column table of integers 0…9, one per image.
enum FashionInput {
    /// One split: pixel intensities in [0, 1], one image of 784 values per row, and the labels 0…9.
    struct Split { let images: [[Float]]; let labels: [Int] }

    static let side = 28, pixels = 28 * 28
    /// (data key, labels key, default images id, default labels id) of the training and the test split.
    static let train = (images: "data", labels: "labels", defaultImages: "fashion-mnist/train-images-idx3-ubyte.gz",
                        defaultLabels: "fashion-mnist/train-labels-idx1-ubyte.gz")
    static let test = (images: "test_data", labels: "test_labels", defaultImages: "fashion-mnist/t10k-images-idx3-ubyte.gz",
                       defaultLabels: "fashion-mnist/t10k-labels-idx1-ubyte.gz")

    static func isTable(_ url: URL) -> Bool { ["npy", "csv", "tsv", "txt"].contains(url.pathExtension.lowercased()) }

    /// Resolves the two files of a split (no reading: call before `rejectUnused`, read after).
    static func urls(_ ctx: AnalysisContext, _ s: (images: String, labels: String, defaultImages: String, defaultLabels: String)) throws -> (images: URL, labels: URL) {
        if ctx.parameters.probe != nil {
            // `replicate describe`: note every file key (each dataFile call notes its key and stops the probe).
            for (k, d) in [(train.images, train.defaultImages), (train.labels, train.defaultLabels), (test.images, test.defaultImages), (test.labels, test.defaultLabels)] {
                _ = try? ctx.dataFile(k, default: d)
            }
        }
        return (try ctx.dataFile(s.images, default: s.defaultImages), try ctx.dataFile(s.labels, default: s.defaultLabels))
    }

    /// Reads the first `limit` images and labels of a split; shape, count and label errors are ParameterErrors at the
    /// file's key naming the file, the expected shape and the one found.
    static func load(_ p: Parameters, images imagesURL: URL, labels labelsURL: URL, keys: (images: String, labels: String), limit: Int) throws -> Split {
        func fail(_ key: String, _ message: String) -> Error { RINEParameterChecks.error(p, key, message) }
        func read<T>(_ key: String, _ f: () throws -> T) throws -> T {
            do { return try f() } catch let e as DataFileError { throw fail(key, e.description) }
        }
        var images = [[Float]](), total = 0
        if isTable(imagesURL) {
            let t = try read(keys.images) { try NumericTable(contentsOf: imagesURL, maxValues: RINEParameterChecks.largestInput) }
            guard t.columns == pixels else {
                throw fail(keys.images, "\(imagesURL.path): expected a table of shape (images, \(pixels)) (28 × 28 pixels per row), found (\(t.rows), \(t.columns))")
            }
            // NaN passes the range test below (every comparison with it is false): non-finite pixels are named first.
            if let i = t.values.firstIndex(where: { !$0.isFinite }) {
                throw fail(keys.images, "\(imagesURL.path): row \(i / pixels + 1), pixel \(i % pixels + 1) is \(t.values[i]); pixels must be finite, in [0, 1] or 0…255")
            }
            let scale: Double = t.values.contains { $0 > 1 } ? 1.0 / 255 : 1
            guard !t.values.contains(where: { $0 < 0 || $0 * scale > 1 }) else {
                throw fail(keys.images, "\(imagesURL.path): pixels must lie in [0, 1] or 0…255")
            }
            total = t.rows
            let n = min(limit, t.rows)
            images = (0..<n).map { i in (0..<pixels).map { Float(t[i, $0] * scale) } }
        } else {
            let idx = try read(keys.images) { try IDXFile(contentsOf: imagesURL) }
            let d = idx.dimensions
            guard (d.count == 3 && d[1] == side && d[2] == side) || (d.count == 2 && d[1] == pixels) else {
                throw fail(keys.images, "\(imagesURL.path): expected IDX images of dimensions [n, \(side), \(side)] or [n, \(pixels)], found \(d)")
            }
            total = d[0]
            let n = min(limit, d[0])
            images = (0..<n).map { i in idx.bytes[(i * pixels)..<((i + 1) * pixels)].map { Float($0) / 255 } }
        }
        var labels = [Int]()
        if isTable(labelsURL) {
            let t = try read(keys.labels) { try NumericTable(contentsOf: labelsURL, maxValues: RINEParameterChecks.largestInput) }
            guard t.columns == 1 else {
                throw fail(keys.labels, "\(labelsURL.path): expected one label per row, shape (images, 1), found (\(t.rows), \(t.columns))")
            }
            labels = try t.values.prefix(images.count).enumerated().map { i, v in
                guard v == v.rounded(), (0...9).contains(v) else { throw fail(keys.labels, "\(labelsURL.path): labels must be integers 0…9, row \(i + 1) holds \(v)") }
                return Int(v)
            }
            guard t.rows == total else {
                throw fail(keys.labels, "\(labelsURL.path) has \(t.rows) labels but \(imagesURL.path) has \(total) images (expected one label per image)")
            }
        } else {
            let idx = try read(keys.labels) { try IDXFile(contentsOf: labelsURL) }
            guard idx.dimensions.count == 1 else {
                throw fail(keys.labels, "\(labelsURL.path): expected IDX labels of dimensions [n], found \(idx.dimensions)")
            }
            guard idx.dimensions[0] == total else {
                throw fail(keys.labels, "\(labelsURL.path) has \(idx.dimensions[0]) labels but \(imagesURL.path) has \(total) images (expected one label per image)")
            }
            labels = try idx.bytes.prefix(images.count).enumerated().map { i, b in
                guard b <= 9 else { throw fail(keys.labels, "\(labelsURL.path): labels must be 0…9, label \(i + 1) is \(b)") }
                return Int(b)
            }
        }
        guard images.count >= 10 else { throw fail(keys.images, "\(imagesURL.path): \(images.count) images, too few (at least 10)") }
        return Split(images: images, labels: labels)
    }
}
