import Foundation
import DataFiles

/// Binary spike trains of a repeated-stimulus experiment: `spikes[n][r * bins + t]` ∈ {0, 1}
/// for neuron `n`, repeat `r` and time bin `t`. Samples are indexed by `r * bins + t`.
public struct SpikeRaster: Sendable {
    public let repeats: Int
    public let neurons: Int
    public let bins: Int
    public let spikes: [[UInt8]]
    public var samples: Int { repeats * bins }

    public init(repeats: Int, neurons: Int, bins: Int, spikes: [[UInt8]]) {
        precondition(spikes.count == neurons && spikes.allSatisfy { $0.count == repeats * bins })
        self.repeats = repeats; self.neurons = neurons; self.bins = bins; self.spikes = spikes
    }

    /// Reads a raster file by its extension: `.npy`, an array of shape (repeats, neurons, bins) of 0/1 values (any
    /// numeric dtype, C order); otherwise a MAT v5 file with the variable `bint` (see `init(matFile:)`).
    public init(contentsOf url: URL) throws {
        guard url.pathExtension.lowercased() == "npy" else { try self.init(matFile: url); return }
        let a = try NPYArray(contentsOf: url)
        guard a.shape.count == 3, a.shape.allSatisfy({ $0 > 0 }) else {
            throw DataFileError(file: url.path, message: "expected a spike raster of shape (repeats, neurons, bins), found \(a.shape)")
        }
        let (nr, nn, nt) = (a.shape[0], a.shape[1], a.shape[2])
        if let bad = a.data.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw DataFileError(file: url.path, message: "expected 0/1 spikes, found \(a.data[bad]) at flat index \(bad) (binarise spike counts first)")
        }
        var sp = [[UInt8]](repeating: [UInt8](repeating: 0, count: nr * nt), count: nn)
        for n in 0..<nn {
            for r in 0..<nr { for t in 0..<nt { sp[n][r * nt + t] = a.data[(r * nn + n) * nt + t] == 1 ? 1 : 0 } }
        }
        self.init(repeats: nr, neurons: nn, bins: nt, spikes: sp)
    }

    /// Reads a MAT v5 variable `repeats × neurons × bins` (MATLAB column-major) of 0/1 values.
    public init(matFile url: URL, variable: String = "bint") throws {
        let mat = try MATFile(contentsOf: url)
        let a = try mat.variable(variable)
        guard a.dimensions.count == 3 else {
            throw RetinaError("variable \(variable) has dimensions \(a.dimensions); expected repeats × neurons × bins")
        }
        let (nr, nn, nt) = (a.dimensions[0], a.dimensions[1], a.dimensions[2])
        // Zero-sized dimensions would reach the preconditions of the resampling code (built with -Ounchecked).
        guard nr >= 1, nn >= 1, nt >= 1 else {
            throw DataFileError(file: url.path, message: "variable \(variable) has dimensions \(a.dimensions); expected repeats × neurons × bins, each at least 1")
        }
        let bytes: [UInt8] = try a.uint8Data ?? a.finiteData().map { $0 > 0.5 ? 1 : 0 }
        var sp = [[UInt8]](repeating: [UInt8](repeating: 0, count: nr * nt), count: nn)
        bytes.withUnsafeBufferPointer { src in
            for n in 0..<nn {
                sp[n].withUnsafeMutableBufferPointer { dst in
                    for t in 0..<nt {
                        let base = nr * (n + nn * t)
                        for r in 0..<nr { dst[r * nt + t] = src[base + r] > 0 ? 1 : 0 }
                    }
                }
            }
        }
        self.init(repeats: nr, neurons: nn, bins: nt, spikes: sp)
    }

    /// The raster made of the given repeats (in that order; a repeat may occur more than once, as in a bootstrap).
    public func resampled(repeats picks: [Int]) -> SpikeRaster {
        precondition(!picks.isEmpty && picks.allSatisfy { (0..<repeats).contains($0) }, "repeat index out of range")
        let sp = spikes.map { row -> [UInt8] in
            var out = [UInt8](); out.reserveCapacity(picks.count * bins)
            for r in picks { out.append(contentsOf: row[(r * bins)..<((r + 1) * bins)]) }
            return out
        }
        return SpikeRaster(repeats: picks.count, neurons: neurons, bins: bins, spikes: sp)
    }

    /// Per-sample integer code of a group of neurons: bit k is the spike of `group[k]`.
    public func codes(_ group: [Int]) -> [Int32] {
        precondition(group.count <= 30)
        var out = [Int32](repeating: 0, count: samples)
        out.withUnsafeMutableBufferPointer { o in
            for (k, n) in group.enumerated() {
                spikes[n].withUnsafeBufferPointer { s in
                    for i in 0..<o.count { o[i] |= Int32(s[i]) << Int32(k) }
                }
            }
        }
        return out
    }
}

/// An error in the retina analyses with a message for the reader.
public struct RetinaError: Error, CustomStringConvertible {
    public let description: String
    public init(_ m: String) { description = m }
}
