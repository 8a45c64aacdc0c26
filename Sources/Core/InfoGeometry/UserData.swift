import Foundation
import Numerics
import AnalysisKit
import DataFiles

/// Data parameters of the geometry analyses (issue 13 §1). Every file goes through `AnalysisContext.dataFile`, so its
/// sha256 enters the cache key. The main array of an analysis is `data:`; further arrays have their own names. The
/// keys of earlier versions (`images_file`, `tuning_file`, …) are still accepted as aliases.
enum GeometryData {
    /// The key a directive uses for a file: `primary`, or its old name `alias`; nil when neither is set. Both is an error.
    static func key(_ p: Parameters, _ primary: String, alias: String) throws -> String? {
        let a = p.raw(primary) != nil, b = p.raw(alias) != nil
        if a && b {
            throw ParameterError(key: alias, line: p.entries[alias]?.line, message: "'\(alias)' is the old name of '\(primary)'; set only one of them")
        }
        return a ? primary : (b ? alias : nil)
    }

    /// Describes the file keys under `replicate describe` (each dataFile call notes its key and stops the probe).
    static func noteFiles(_ ctx: AnalysisContext, _ keys: [(String, String)]) {
        guard ctx.parameters.probe != nil else { return }
        for (k, d) in keys { _ = try? ctx.dataFile(k, default: d) }
    }

    /// A stack of square grey images, one row of side² values per image.
    struct Images { let images: [[Float]]; let side: Int; let file: String }

    /// Reads the first `limit` images of `url`: an IDX file of unsigned bytes, shape (N, S, S), optionally gzip
    /// (scaled to [0, 1], as for Fashion-MNIST), or a .npy array of shape (N, S, S) (values used as they are).
    /// A wrong shape is an error naming the file, the expected shape and the one found.
    static func images(_ url: URL, limit: Int, minSide: Int) throws -> Images {
        if url.pathExtension.lowercased() == "npy" {
            let a = try NPYArray(contentsOf: url)
            guard a.data.allSatisfy({ $0.isFinite }) else { throw DataFileError(file: url.path, message: "images contain NaN or infinite values") }
            let d = a.data
            return try cut(a.shape, url: url, limit: limit, minSide: minSide) { i, size in d[i * size ..< (i + 1) * size].map { Float($0) } }
        }
        let f = try IDXFile(contentsOf: url)
        let b = f.bytes
        return try cut(f.dimensions, url: url, limit: limit, minSide: minSide) { i, size in b[i * size ..< (i + 1) * size].map { Float($0) / 255 } }
    }

    private static func cut(_ dims: [Int], url: URL, limit: Int, minSide: Int, _ row: (Int, Int) -> [Float]) throws -> Images {
        guard dims.count == 3, dims[1] == dims[2], dims[1] >= minSide, dims[0] >= 1 else {
            throw DataFileError(file: url.path, message: "expected an image stack of shape (N, S, S) with N ≥ 1 and S ≥ \(minSide) (the patch side), found shape \(dims)")
        }
        let n = min(limit, dims[0]), size = dims[1] * dims[2]
        return Images(images: (0..<n).map { row($0, size) }, side: dims[1], file: url.lastPathComponent)
    }

    /// A matrix from a .npy (2-D) or CSV file, checked against the expected shape (nil: any).
    static func matrix(_ url: URL, rows: Int?, columns: Int?, what: String) throws -> Matrix<Double> {
        let t = try NumericTable(contentsOf: url)
        if (rows.map { $0 != t.rows } ?? false) || (columns.map { $0 != t.columns } ?? false) {
            let e = "\(rows.map(String.init) ?? "any") × \(columns.map(String.init) ?? "any")"
            throw DataFileError(file: url.path, message: "\(what): expected a \(e) matrix, found \(t.rows) × \(t.columns)")
        }
        return Matrix(rows: t.rows, cols: t.columns, data: t.values)
    }
}
